package cache_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/wfetch/wfetch/cache"
	"github.com/wfetch/wfetch/fetch"
	"github.com/wfetch/wfetch/response"
)

// BenchmarkFetchHit is a whole fetch answered by each store (4 KiB body),
// against BenchmarkFetchLoopback: the same fetch over the network.
func BenchmarkFetchHit(b *testing.B) {
	body := strings.Repeat("x", 4096)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=3600")
		io.WriteString(w, body)
	}))
	defer srv.Close()
	run := func(b *testing.B, client *fetch.Client, want response.CacheOutcome) {
		defer client.Close()
		get := func() response.CacheOutcome {
			resp, err := client.Fetch(context.Background(), srv.URL, nil)
			if err != nil {
				b.Fatal(err)
			}
			if text, _ := resp.Text(); len(text) != len(body) {
				b.Fatalf("body of %d bytes", len(text))
			}
			return resp.CacheOutcome()
		}
		get()
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if o := get(); o != want {
				b.Fatalf("outcome %q, want %q", o, want)
			}
		}
	}
	mk := stores()
	for _, name := range []string{"memory", "disk", "redis"} {
		b.Run(name, func(b *testing.B) {
			s := mk[name](b)
			run(b, fetch.NewClient(fetch.WithHTTPCache(cache.New(cache.WithStore(s)))), response.CacheHit)
		})
	}
	b.Run("loopback", func(b *testing.B) { run(b, fetch.NewClient(), response.CacheNone) })
}
