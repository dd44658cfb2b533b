package cache

import (
	"fmt"
	"io"
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
