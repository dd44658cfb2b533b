package fetch

import (
	"context"
	"io"
	"net/http"
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

// revalidateInBackground starts the revalidation of
// https://fetch.spec.whatwg.org/#http-network-or-cache-fetch step 8.25.2.1:
// a copy of the request with cache mode "no-cache" (its Cache-Control left
// alone) and no service workers runs main fetch on its own goroutine; its
// body is read to the end so the cache stores the new response.
func (c *Client) revalidateInBackground(fp *fetchParams) {
	rr := shallowCloneRequest(fp.req)
	rr.Cache = request.CacheNoCache
	rr.PreventNoCacheCacheControlHeaderModification = true
	rr.ServiceWorkersMode = "none"
	rr.Body = nil
	rr.Signal = nil
	ctx := context.Background()
	if fp.ctx != nil {
		ctx = context.WithoutCancel(fp.ctx)
	}
	go func() {
		resp := c.fetch(ctx, rr, nil)
		if r := resp.Unfiltered(); r != nil && r.Body != nil && r.Body.Stream != nil {
			if rd, err := r.Body.Stream.GetReader(); err == nil {
				_, _ = io.Copy(io.Discard, rd)
				_ = rd.Close()
			}
		}
	}()
}
