package js

import (
	"context"
	"io"
	"testing"

	"github.com/wfetch/wfetch/body"
)

// benchRead reads a Go stream of n bytes from script with src (which sets
// globalThis.out to the byte count) and checks the count.
func benchRead(b *testing.B, n int, src string) {
	data := make([]byte, n)
	b.SetBytes(int64(n))
	for b.Loop() {
		rt := New()
		rt.VM().Set("s", rt.NewReadableStream(body.NewReaderStream(&chunkedReader{data: data, chunk: 64 << 10})))
		if _, err := rt.RunScript("b.js", src); err != nil {
			b.Fatal(err)
		}
		if err := rt.Run(context.Background()); err != nil {
			b.Fatal(err)
		}
		if got := rt.VM().Get("out").ToInteger(); got != int64(n) {
			b.Fatalf("read %d bytes, want %d", got, n)
		}
		rt.Close()
	}
}

// chunkedReader yields data in chunks of at most chunk bytes.
type chunkedReader struct {
	data  []byte
	chunk int
}

func (c *chunkedReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := min(len(p), c.chunk, len(c.data))
	copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

// BenchmarkScriptReadsGoStream reads 4 MiB of a Go stream with a default
// reader (one Uint8Array per chunk).
func BenchmarkScriptReadsGoStream(b *testing.B) {
	benchRead(b, 4<<20, `var out = 0; const rd = s.getReader();
		(async () => { for (;;) { const {value, done} = await rd.read(); if (done) break; out += value.byteLength; } })();`)
}

// BenchmarkScriptReadsGoStreamBYOB reads 4 MiB into one buffer with a BYOB
// reader (no copy between reads).
func BenchmarkScriptReadsGoStreamBYOB(b *testing.B) {
	benchRead(b, 4<<20, `var out = 0; const rd = s.getReader({mode: "byob"});
		(async () => { let buf = new ArrayBuffer(4 << 20);
			for (;;) { const {value, done} = await rd.read(new Uint8Array(buf, out, Math.min(65536, buf.byteLength - out) || 1)); if (value) { buf = value.buffer; out += value.byteLength; } if (done || out === buf.byteLength) break; } })();`)
}

// BenchmarkGoReadsScriptStream reads 4 MiB that script enqueues as
// 64 KiB Uint8Arrays, as a Response body consumer would.
func BenchmarkGoReadsScriptStream(b *testing.B) {
	const n = 4 << 20
	b.SetBytes(n)
	for b.Loop() {
		rt := New()
		v, err := rt.RunScript("b.js", `let left = 4 << 20; new ReadableStream({pull(c) {
			if (left === 0) { c.close(); return; } const k = Math.min(65536, left); left -= k; c.enqueue(new Uint8Array(k)); }})`)
		if err != nil {
			b.Fatal(err)
		}
		s := rt.ReadableStreamOf(v)
		settle := rt.Ref()
		total := 0
		go func() {
			rd, _ := s.GetReader()
			for {
				c, err := rd.ReadChunk()
				total += len(c)
				if err != nil {
					break
				}
			}
			settle(nil)
		}()
		if err := rt.Run(context.Background()); err != nil {
			b.Fatal(err)
		}
		if total != n {
			b.Fatalf("read %d, want %d", total, n)
		}
		rt.Close()
	}
}
