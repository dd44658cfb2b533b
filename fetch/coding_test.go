package fetch

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"

	"github.com/wfetch/wfetch/internal/errs"
)

func encodeWith(t testing.TB, coding string, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w io.WriteCloser
	switch coding {
	case "gzip", "x-gzip":
		w = gzip.NewWriter(&buf)
	case "deflate":
		w, _ = zlib.NewWriterLevel(&buf, zlib.DefaultCompression)
	case "raw-deflate":
		w, _ = flate.NewWriter(&buf, flate.DefaultCompression)
	case "br":
		w = brotli.NewWriter(&buf)
	case "zstd":
		var err error
		w, err = zstd.NewWriter(&buf)
		if err != nil {
			t.Fatal(err)
		}
	case "identity":
		return data
	default:
		t.Fatalf("unknown coding %s", coding)
	}
	w.Write(data)
	w.Close()
	return buf.Bytes()
}

func TestContentEncoding(t *testing.T) {
	payload := []byte(strings.Repeat("fetch content coding test. ", 200))
	type variant struct {
		header string   // Content-Encoding sent
		apply  []string // codings applied, in order
	}
	variants := []variant{
		{"gzip", []string{"gzip"}},
		{"x-gzip", []string{"gzip"}},
		{"deflate", []string{"deflate"}},
		{"deflate", []string{"raw-deflate"}},
		{"br", []string{"br"}},
		{"zstd", []string{"zstd"}},
		{"identity", nil},
		{"gzip, br", []string{"gzip", "br"}},
		{"br, zstd, gzip", []string{"br", "zstd", "gzip"}},
		{"GZIP", []string{"gzip"}},
	}
	bodies := map[string][]byte{}
	for i, v := range variants {
		b := payload
		for _, c := range v.apply {
			b = encodeWith(t, c, b)
		}
		bodies[fmt.Sprint(i)] = b
	}
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		i := strings.TrimPrefix(r.URL.Path, "/")
		var v variant
		fmt.Sscan(i, new(int))
		for j := range variants {
			if fmt.Sprint(j) == i {
				v = variants[j]
			}
		}
		w.Header().Set("Content-Encoding", v.header)
		w.Write(bodies[i])
	})
	c := newTestClient(t)
	for i, v := range variants {
		t.Run(v.header+"/"+strings.Join(v.apply, "+"), func(t *testing.T) {
			r := mustFetch(t, c, fmt.Sprintf("%s/%d", srv.URL, i), nil)
			got, err := r.Bytes()
			if err != nil {
				t.Fatalf("body: %v", err)
			}
			if !bytes.Equal(got, payload) {
				t.Errorf("decoded %d bytes, want %d", len(got), len(payload))
			}
			if ce := r.Headers().Value("Content-Encoding"); ce != v.header {
				t.Errorf("Content-Encoding header %q", ce)
			}
		})
	}
}

// TestContentEncodingCorrupt: every coding with corrupt or truncated data
// yields a bad-encoding network error from the body read, while fetch
// itself resolves (the headers were fine).
func TestContentEncodingCorrupt(t *testing.T) {
	payload := []byte(strings.Repeat("corrupt me ", 500))
	cases := map[string][]byte{}
	for _, c := range []string{"gzip", "deflate", "br", "zstd"} {
		good := encodeWith(t, c, payload)
		cases[c+"/garbage"] = []byte("this is not " + c + " data at all, not even close......")
		cases[c+"/truncated"] = good[:len(good)/2]
		bad := append([]byte(nil), good...)
		for i := len(bad) / 3; i < len(bad)/3+8 && i < len(bad); i++ {
			bad[i] ^= 0xff
		}
		cases[c+"/flipped"] = bad
	}
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		coding, _, _ := strings.Cut(name, "/")
		w.Header().Set("Content-Encoding", coding)
		w.Write(cases[name])
	})
	c := newTestClient(t)
	for name := range cases {
		t.Run(name, func(t *testing.T) {
			r := mustFetch(t, c, srv.URL+"/"+name, nil)
			_, err := r.Bytes()
			if err == nil {
				t.Fatalf("corrupt body decoded without error")
			}
			if got := networkReason(err); got != errs.ReasonBadEncoding {
				t.Errorf("reason %q, want bad-encoding (%v)", got, err)
			}
		})
	}
	// An unknown coding passes the bytes through untouched.
	srv2 := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "snappy")
		io.WriteString(w, "raw bytes")
	})
	if got := text(t, mustFetch(t, c, srv2.URL, nil)); got != "raw bytes" {
		t.Errorf("unknown coding: %q", got)
	}
}

// rawServer answers every connection with the given raw HTTP response.
func rawServer(t *testing.T, raw string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				if _, err := http.ReadRequest(bufio.NewReader(conn)); err != nil {
					return
				}
				io.WriteString(conn, raw)
			}()
		}
	}()
	return "http://" + ln.Addr().String() + "/"
}

func TestContentLength(t *testing.T) {
	c := newTestClient(t)
	// Shorter body than announced: the body read fails (connection closed).
	short := rawServer(t, "HTTP/1.1 200 OK\r\nContent-Length: 20\r\nConnection: close\r\n\r\nonly ten b")
	r := mustFetch(t, c, short, nil)
	_, err := r.Bytes()
	if got := networkReason(err); got != errs.ReasonReset {
		t.Errorf("short body: reason %q (%v)", got, err)
	}
	// Conflicting duplicates: a network error.
	dup := rawServer(t, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\nConnection: close\r\n\r\nabcd")
	_, err = c.Fetch(t.Context(), dup, nil)
	if got := networkReason(err); got != errs.ReasonContentLength {
		t.Errorf("conflicting Content-Length: reason %q (%v)", got, err)
	}
	// Equal duplicates are one length.
	same := rawServer(t, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc")
	if got := text(t, mustFetch(t, c, same, nil)); got != "abc" {
		t.Errorf("equal duplicates: %q", got)
	}
	// Extra bytes past Content-Length are ignored.
	long := rawServer(t, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabcdef")
	if got := text(t, mustFetch(t, c, long, nil)); got != "abc" {
		t.Errorf("long body: %q", got)
	}
	// A gzip body cut short by the connection.
	gz := encodeWith(t, "gzip", []byte(strings.Repeat("z", 5000)))
	cut := rawServer(t, fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(gz), gz[:len(gz)/2]))
	_, err = mustFetch(t, c, cut, nil).Bytes()
	if got := networkReason(err); got != errs.ReasonReset && got != errs.ReasonBadEncoding {
		t.Errorf("cut gzip: reason %q (%v)", got, err)
	}
}
