package js

import (
	"context"
	"errors"
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wfetch/wfetch/body"
	"github.com/wfetch/wfetch/internal/errs"
)

// TestJSStreamReadFromGo reads a script-made stream (with an asynchronous
// pull) from a Go goroutine while the loop runs.
func TestJSStreamReadFromGo(t *testing.T) {
	rt := New()
	v, err := rt.RunScript("t.js", `let n = 0; new ReadableStream({
		pull(c) { return new Promise(res => setTimeout(() => { n++; if (n > 3) c.close(); else c.enqueue(new TextEncoder().encode("c" + n)); res(); }, 1)); }
	})`)
	if err != nil {
		t.Fatal(err)
	}
	s := rt.ReadableStreamOf(v)
	if s == nil {
		t.Fatal("ReadableStreamOf: nil")
	}
	settle := rt.Ref()
	var got []byte
	var readErr error
	go func() {
		rd, err := s.GetReader()
		if err == nil {
			got, err = io.ReadAll(rd)
		}
		readErr = err
		settle(nil)
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := rt.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if readErr != nil || string(got) != "c1c2c3" {
		t.Errorf("read %q, %v; want c1c2c3", got, readErr)
	}
	if !s.Disturbed() || !s.Locked() {
		t.Errorf("disturbed %v locked %v, want both", s.Disturbed(), s.Locked())
	}
}

// TestJSStreamBadChunkFromGo checks that a chunk that is not a Uint8Array
// reaches Go readers of bytes as a TypeError, and a script error as itself.
func TestJSStreamBadChunkFromGo(t *testing.T) {
	tests := []struct {
		name, src string
		check     func(err error) bool
	}{
		{"string chunk", `new ReadableStream({start(c) { c.enqueue("x"); }})`, func(err error) bool {
			var te *errs.TypeError
			return errors.As(err, &te)
		}},
		{"error", `new ReadableStream({start(c) { c.error("boom"); }})`, func(err error) bool {
			var je *JSError
			return errors.As(err, &je) && je.Value.String() == "boom"
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rt := New()
			v, err := rt.RunScript("t.js", tc.src)
			if err != nil {
				t.Fatal(err)
			}
			rd, err := rt.ReadableStreamOf(v).GetReader()
			if err != nil {
				t.Fatal(err)
			}
			_, err = rd.ReadChunk()
			if !tc.check(err) {
				t.Errorf("ReadChunk error %v (%T)", err, err)
			}
		})
	}
}

// TestGoStreamReadFromJS reads a Go stream (as a fetch body would be) from
// script: chunks are Uint8Arrays, and a Go cancel reason reaches the source.
func TestGoStreamReadFromJS(t *testing.T) {
	rt := New()
	chunks := [][]byte{[]byte("ab"), []byte("cd")}
	var cancelled error
	s, _ := body.NewStream(body.SourceFuncs{
		PullFunc: func(ctx context.Context, c *body.Controller) error {
			if len(chunks) == 0 {
				return c.Close()
			}
			err := c.Enqueue(chunks[0])
			chunks = chunks[1:]
			return err
		},
		CancelFunc: func(reason error) error { cancelled = reason; return nil },
	})
	rt.VM().Set("goStream", rt.NewReadableStream(s))
	rt.VM().Set("goStream2", rt.NewReadableStream(s))
	_, err := rt.RunScript("t.js", `var out = String(goStream === goStream2);
		const rd = goStream.getReader();
		(async () => {
			for (;;) { const {value, done} = await rd.read(); if (done) break; out += "|" + value.constructor.name + ":" + new TextDecoder().decode(value); }
			await rd.closed; out += "|closed";
		})();`)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := rt.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("true|Uint8Array:ab|Uint8Array:cd|closed", rt.VM().Get("out").String()); diff != "" {
		t.Error(diff)
	}

	// Cancel from script with a reason Go sees as a *JSError.
	s2, _ := body.NewStream(body.SourceFuncs{
		PullFunc:   func(ctx context.Context, c *body.Controller) error { return nil },
		CancelFunc: func(reason error) error { cancelled = reason; return nil },
	})
	rt.VM().Set("s2", rt.NewReadableStream(s2))
	if _, err := rt.RunScript("t2.js", `s2.cancel("stop")`); err != nil {
		t.Fatal(err)
	}
	var je *JSError
	if !errors.As(cancelled, &je) || je.Value.String() != "stop" {
		t.Errorf("cancel reason %v, want JSError stop", cancelled)
	}
	if s2.State() != body.StateClosed {
		t.Errorf("state %v after cancel", s2.State())
	}
}

// TestResponseStreams covers streams as Response bodies: the original
// object comes back from .body, reads disturb the body at once, a body
// clone's branch gets cloned chunks.
func TestResponseStreams(t *testing.T) {
	runCases(t, []jsCase{
		{"body identity", `const rs = new ReadableStream(); const r = new Response(rs); var out = String(r.body === rs);
			out += new Request("http://x/", {method: "POST", body: rs, duplex: "half"}).body === rs;`, "truetrue"},
		{"bodyUsed after read", `const rs = new ReadableStream(); const r = new Response(rs); const rd = rs.getReader();
			var out = String(r.bodyUsed); rd.read().then(x => out += x.done); out += r.bodyUsed; rd.cancel();`, "falsetruetrue"},
		{"bad chunk", `var out = ""; new Response(new ReadableStream({start(c) { c.enqueue("x"); c.close(); }})).text().catch(e => out = e.name);`, "TypeError"},
		{"error propagates", `var out = ""; const err = new Error("e");
			new Response(new ReadableStream({pull(c) { c.error(err); }})).arrayBuffer().catch(e => out = String(e === err));`, "true"},
		{"clone clones chunks", `var out = ""; const u = new Uint8Array([1, 2]);
			const r = new Response(new ReadableStream({start(c) { c.enqueue(u); c.close(); }})); const c = r.clone();
			r.body.getReader().read().then(a => { out += (a.value === u); return c.body.getReader().read(); }).then(b => out += "," + (b.value === u) + "," + b.value.join());`,
			"true,false,1,2"},
		{"text from stream", `var out = ""; new Response(new ReadableStream({start(c) { c.enqueue(new TextEncoder().encode("hé")); c.enqueue(new TextEncoder().encode("llo")); c.close(); }})).text().then(t => out = t);`, "héllo"},
		{"response body read by script", `var out = ""; const rd = new Response("data").body.getReader({mode: "byob"});
			rd.read(new Uint8Array(2)).then(r => { out += new TextDecoder().decode(r.value); return rd.read(new Uint8Array(8)); }).then(r => out += new TextDecoder().decode(r.value));`, "data"},
	})
}

// TestCloseEndsPendingReads checks that closing a Runtime ends the
// goroutines of reads that can never complete.
func TestCloseEndsPendingReads(t *testing.T) {
	before := runtime.NumGoroutine()
	rt := New()
	_, err := rt.RunScript("t.js", `const rd = new ReadableStream().getReader(); rd.read(); rd.closed;
		const rd2 = new ReadableStream({pull() { return new Promise(() => {}); }}).getReader(); rd2.read();`)
	if err != nil {
		t.Fatal(err)
	}
	rt.Close()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines left running (%d before)", n-before, before)
	}
}
