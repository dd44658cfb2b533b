package fetch

import (
	"context"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/wfetch/wfetch/cache"
	"github.com/wfetch/wfetch/request"
)

// This file connects HTTP-network-or-cache fetch to the HTTP cache (see
// package cache): what the cache needs to know beyond the HTTP request, and
// the background revalidation of stale-while-revalidate responses.

// cacheContext returns the context of the *http.Request the HTTP cache
// sees: fp's, carrying the partition key (the client's origin: a client is
// one top-level document), whether credentials are included (credentialed
// and anonymous requests never share entries) and the cache mode.
func (c *Client) cacheContext(fp *fetchParams, httpReq *request.Internal, includeCredentials bool) context.Context {
	ctx := fp.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	key := ""
	if c.origin != nil {
		key = c.origin.Serialize()
	}
	return cache.WithRequestInfo(ctx, cache.RequestInfo{
		PartitionKey: key,
		Credentials:  includeCredentials,
		Mode:         string(httpReq.Cache),
		RequestTime:  time.Now(),
	})
}

// staleWhileRevalidate reports whether the cache lets a stale stored
// response be used while it is revalidated (caches that do not say are
// assumed not to).
func (c *Client) staleWhileRevalidate(req *http.Request, stored *http.Response) bool {
	s, ok := c.cache.(interface {
		StaleWhileRevalidate(*http.Request, *http.Response) bool
	})
	return ok && s.StaleWhileRevalidate(req, stored)
}

// DefaultRevalidateTimeout bounds a background revalidation (see
// WithRevalidateTimeout).
const DefaultRevalidateTimeout = 30 * time.Second

// WithRevalidateTimeout bounds each background revalidation of a
// stale-while-revalidate response (default DefaultRevalidateTimeout): past
// it, the revalidation is cancelled, its connection closed. d <= 0 keeps the
// default.
func WithRevalidateTimeout(d time.Duration) Option {
	return func(c *Client) {
		if d > 0 {
			c.revalidator.timeout = d
		}
	}
}

// revalidator runs a client's background revalidations: at most one at a
// time per stored response (per method, URL, partition and credentials
// flag), each bounded by a timeout, all cancelled by Client.Close.
type revalidator struct {
	timeout time.Duration

	mu       sync.Mutex
	closed   bool
	ctx      context.Context // cancelled by Close
	cancel   context.CancelFunc
	inflight map[string]bool
	wg       sync.WaitGroup
}

// start runs fn on its own goroutine with a context that ends after the
// timeout or at Close, unless a revalidation with the same key runs
// already (or the client is closed). It reports whether fn was started.
func (r *revalidator) start(parent context.Context, key string, fn func(ctx context.Context)) bool {
	r.mu.Lock()
	if r.closed || r.inflight[key] {
		r.mu.Unlock()
		return false
	}
	if r.ctx == nil {
		r.ctx, r.cancel = context.WithCancel(context.Background())
		r.inflight = map[string]bool{}
	}
	r.inflight[key] = true
	r.wg.Add(1)
	done := r.ctx
	r.mu.Unlock()

	timeout := r.timeout
	if timeout <= 0 {
		timeout = DefaultRevalidateTimeout
	}
	// The caller's values (not its cancellation: the caller has its
	// response already), the timeout, and the client's lifetime.
	ctx := context.Background()
	if parent != nil {
		ctx = context.WithoutCancel(parent)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	stop := context.AfterFunc(done, cancel)
	go func() {
		defer r.wg.Done()
		defer func() {
			stop()
			cancel()
			r.mu.Lock()
			delete(r.inflight, key)
			r.mu.Unlock()
		}()
		fn(ctx)
	}()
	return true
}

// close cancels every running revalidation, waits for them to end and
// refuses new ones.
func (r *revalidator) close() {
	r.mu.Lock()
	r.closed = true
	if r.cancel != nil {
		r.cancel()
	}
	r.mu.Unlock()
	r.wg.Wait()
}

// Close ends the client's background work: running stale-while-revalidate
// revalidations are cancelled (their connections closed) and waited for,
// no new ones start (stale responses are then validated in the
// foreground), and idle connections are closed. Fetches still work after
// Close.
func (c *Client) Close() error {
	c.revalidator.close()
	c.CloseIdleConnections()
	return nil
}

// revalidateInBackground starts the revalidation of
// https://fetch.spec.whatwg.org/#http-network-or-cache-fetch step 8.25.2.1:
// a copy of the request with cache mode "no-cache" (its Cache-Control left
// alone) and no service workers runs main fetch on its own goroutine; its
// body is read to the end so the cache stores the new response. It reports
// false when it did not start one: one already runs for the same stored
// response (deduplicated: key), or the client is closed.
//
// Deviation: the standard starts one revalidation per use of the stale
// response; here at most one per stored response runs at a time, bounded
// by the client's revalidation timeout and cancelled by Client.Close, so
// an origin that never answers costs one goroutine and one connection.
func (c *Client) revalidateInBackground(fp *fetchParams, key string) bool {
	rr := shallowCloneRequest(fp.req)
	rr.Cache = request.CacheNoCache
	rr.PreventNoCacheCacheControlHeaderModification = true
	rr.ServiceWorkersMode = "none"
	rr.Body = nil
	rr.Signal = nil
	return c.revalidator.start(fp.ctx, key, func(ctx context.Context) {
		resp := c.fetch(ctx, rr, combineSignals(ctx, nil), nil)
		if r := resp.Unfiltered(); r != nil && r.Body != nil && r.Body.Stream != nil {
			if rd, err := r.Body.Stream.GetReader(); err == nil {
				_, _ = io.Copy(io.Discard, rd)
				_ = rd.Close()
			}
		}
	})
}

// revalidationKey identifies the stored response a background
// revalidation is for.
func revalidationKey(req *http.Request) string {
	info := cache.RequestInfoOf(req.Context())
	cred := "a"
	if info.Credentials {
		cred = "c"
	}
	return info.PartitionKey + "\x00" + cred + "\x00" + req.Method + "\x00" + req.URL.String()
}
