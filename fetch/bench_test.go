package fetch

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
)

func benchServer(b *testing.B, size int) string {
	payload := []byte(strings.Repeat("x", size))
	srv := newServer(b, func(w http.ResponseWriter, r *http.Request) { w.Write(payload) })
	return srv.URL
}

func benchFetch(b *testing.B, size int) {
	url := benchServer(b, size)
	c := newTestClient(b)
	ctx := context.Background()
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r, err := c.Fetch(ctx, url, nil)
		if err != nil {
			b.Fatal(err)
		}
		rd, _ := r.Body().GetReader()
		if _, err := io.Copy(io.Discard, rd); err != nil {
			b.Fatal(err)
		}
	}
}

func benchNetHTTP(b *testing.B, size int) {
	url := benchServer(b, size)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DisableCompression = true
	b.Cleanup(tr.CloseIdleConnections)
	hc := &http.Client{Transport: tr}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		resp, err := hc.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
	}
}

// BenchmarkFetchGet measures a GET through Client.Fetch with the body read
// through its stream; compare with BenchmarkNetHTTPGet.
func BenchmarkFetchGet(b *testing.B) {
	b.Run("1KiB", func(b *testing.B) { benchFetch(b, 1<<10) })
	b.Run("1MiB", func(b *testing.B) { benchFetch(b, 1<<20) })
}

// BenchmarkNetHTTPGet is the same GET with net/http's Client.
func BenchmarkNetHTTPGet(b *testing.B) {
	b.Run("1KiB", func(b *testing.B) { benchNetHTTP(b, 1<<10) })
	b.Run("1MiB", func(b *testing.B) { benchNetHTTP(b, 1<<20) })
}

// BenchmarkFetchOverhead measures the fetch pipeline alone: a transport
// that answers from memory, so only wfetch's own per-request work counts.
func BenchmarkFetchOverhead(b *testing.B) {
	payload := strings.Repeat("x", 1<<10)
	c := NewClient(WithTransport(RoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Status: "200 OK", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{"Content-Type": {"text/plain"}}, Body: io.NopCloser(strings.NewReader(payload))}, nil
	})))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		r, err := c.Fetch(ctx, "http://example.test/x", nil)
		if err != nil {
			b.Fatal(err)
		}
		rd, _ := r.Body().GetReader()
		io.Copy(io.Discard, rd)
	}
}

// BenchmarkFetchBytes measures a GET read with Response.Bytes, one request
// at a time and with 16 in parallel; compare with BenchmarkNetHTTPReadAll.
func BenchmarkFetchBytes(b *testing.B) {
	for _, size := range []int{1 << 10, 1 << 20} {
		for _, par := range []int{1, 16} {
			b.Run(fmt.Sprintf("%s/par=%d", sizeLabel(size), par), func(b *testing.B) {
				url := benchServer(b, size)
				c := NewClient(WithMaxIdleConnsPerHost(par * runtime.GOMAXPROCS(0)))
				ctx := context.Background()
				b.SetBytes(int64(size))
				b.ReportAllocs()
				b.SetParallelism(par)
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						r, err := c.Fetch(ctx, url, nil)
						if err != nil {
							b.Error(err)
							return
						}
						if _, err := r.Bytes(); err != nil {
							b.Error(err)
							return
						}
					}
				})
			})
		}
	}
}

// BenchmarkNetHTTPReadAll is BenchmarkFetchBytes with net/http and
// io.ReadAll.
func BenchmarkNetHTTPReadAll(b *testing.B) {
	for _, size := range []int{1 << 10, 1 << 20} {
		for _, par := range []int{1, 16} {
			b.Run(fmt.Sprintf("%s/par=%d", sizeLabel(size), par), func(b *testing.B) {
				url := benchServer(b, size)
				tr := http.DefaultTransport.(*http.Transport).Clone()
				tr.DisableCompression = true
				tr.MaxIdleConnsPerHost = par * runtime.GOMAXPROCS(0)
				b.Cleanup(tr.CloseIdleConnections)
				hc := &http.Client{Transport: tr}
				b.SetBytes(int64(size))
				b.ReportAllocs()
				b.SetParallelism(par)
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						resp, err := hc.Get(url)
						if err != nil {
							b.Error(err)
							return
						}
						_, err = io.ReadAll(resp.Body)
						resp.Body.Close()
						if err != nil {
							b.Error(err)
							return
						}
					}
				})
			})
		}
	}
}

func sizeLabel(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%dMiB", n>>20)
	}
	return fmt.Sprintf("%dKiB", n>>10)
}
