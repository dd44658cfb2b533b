package cache

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func BenchmarkLookupHit(b *testing.B) {
	c := New()
	for i := range 1000 {
		u := fmt.Sprintf("http://example.test/%d", i)
		kept := c.Store(newReq("GET", u, nil), newResp(200, hdr("Cache-Control", "max-age=3600", "Content-Type", "text/plain"), "hello"))
		io.ReadAll(kept.Body)
	}
	req := newReq("GET", "http://example.test/500", nil)
	b.ReportAllocs()
	for b.Loop() {
		r, _ := c.Lookup(req)
		if r == nil {
			b.Fatal("miss")
		}
	}
}

func BenchmarkLookupMiss(b *testing.B) {
	c := New()
	req := newReq("GET", "http://example.test/none", nil)
	b.ReportAllocs()
	for b.Loop() {
		c.Lookup(req)
	}
}

func BenchmarkStore4KiB(b *testing.B) {
	c := New()
	body := strings.Repeat("x", 4096)
	req := newReq("GET", "http://example.test/r", nil)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		kept := c.Store(req, newResp(200, hdr("Cache-Control", "max-age=3600"), body))
		io.Copy(io.Discard, kept.Body)
	}
}

// benchBody is the body of the hit and round-trip benchmarks.
var benchBody = strings.Repeat("x", 4096)

// BenchmarkHit is a cache hit in each store: Lookup and reading the 4 KiB
// body. Compare with BenchmarkLoopbackRoundTrip.
func BenchmarkHit(b *testing.B) {
	for _, ts := range testStores {
		b.Run(ts.name, func(b *testing.B) {
			c := New(WithStore(ts.make(b)))
			u := "http://example.test/bench"
			kept := c.Store(newReq("GET", u, nil), newResp(200, hdr("Cache-Control", "max-age=3600", "Content-Type", "text/plain"), benchBody))
			io.ReadAll(kept.Body)
			kept.Body.Close()
			req := newReq("GET", u, nil)
			b.ReportAllocs()
			b.SetBytes(int64(len(benchBody)))
			for b.Loop() {
				r, _ := c.Lookup(req)
				if r == nil {
					b.Fatal("miss")
				}
				if n, _ := io.Copy(io.Discard, r.Body); n != int64(len(benchBody)) {
					b.Fatalf("read %d bytes", n)
				}
				r.Body.Close()
			}
		})
	}
}

// BenchmarkLoopbackRoundTrip is a GET of the same 4 KiB response from an
// HTTP/1.1 server on 127.0.0.1 over a kept-alive connection.
func BenchmarkLoopbackRoundTrip(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=3600")
		io.WriteString(w, benchBody)
	}))
	defer srv.Close()
	client := srv.Client()
	b.ReportAllocs()
	b.SetBytes(int64(len(benchBody)))
	for b.Loop() {
		resp, err := client.Get(srv.URL)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}
