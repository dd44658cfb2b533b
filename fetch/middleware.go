package fetch

import (
	"context"
	"sync"

	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/response"
)

// Handler runs one fetch of a Request: the shape of Client.FetchRequest,
// and of every stage of a middleware chain.
type Handler func(ctx context.Context, req *request.Request) (*response.Response, error)

// Middleware wraps the fetch of a Request object, dio's interceptors over
// fetch's own types: it gets the next handler and returns one that may
// change the request before calling next (onRequest), answer without
// calling it (a canned or cached response), call it again (retry, with a
// clone of the request made beforehand: a body is read once), look at or
// replace the response (onResponse), or turn an error into a response or a
// response into an error (onError). Middleware runs in the order given:
// the first is outermost. See OnRequest, OnResponse, OnError and
// RequestLock for the common cases.
//
// Middleware works at the level of fetch(): it sees each call once, with
// the Request as given and the final response after redirects. Interceptor
// (an http.RoundTripper wrapper) still works at the level of each HTTP
// exchange, redirects and preflights included.
type Middleware func(next Handler) Handler

// WithMiddleware adds middleware around every fetch of the client (see
// Middleware). Options add to the chain in order.
func WithMiddleware(mw ...Middleware) Option {
	return func(c *Client) { c.middleware = append(c.middleware, mw...) }
}

// buildHandler composes the client's middleware around fetchRequest, once.
func (c *Client) buildHandler() {
	if len(c.middleware) == 0 {
		return
	}
	h := Handler(c.fetchRequest)
	for i := len(c.middleware) - 1; i >= 0; i-- {
		if c.middleware[i] != nil {
			h = c.middleware[i](h)
		}
	}
	c.handler = h
}

// OnRequest returns middleware that calls f before each fetch (dio's
// onRequest): f may change the request (its headers are mutable through
// req.Headers() unless its guard forbids), return another request to
// fetch instead, or fail with an error that becomes fetch's, so the
// network is never reached. A nil request from f means req.
func OnRequest(f func(ctx context.Context, req *request.Request) (*request.Request, error)) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, req *request.Request) (*response.Response, error) {
			nr, err := f(ctx, req)
			if err != nil {
				return nil, err
			}
			if nr == nil {
				nr = req
			}
			return next(ctx, nr)
		}
	}
}

// OnResponse returns middleware that calls f with each response fetch
// produced (dio's onResponse): f may return it, another response, or an
// error (for example for a 4xx), which fetch then fails with. Returning an
// error or another response, f should close resp's body.
func OnResponse(f func(ctx context.Context, req *request.Request, resp *response.Response) (*response.Response, error)) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, req *request.Request) (*response.Response, error) {
			resp, err := next(ctx, req)
			if err != nil {
				return nil, err
			}
			return f(ctx, req, resp)
		}
	}
}

// OnError returns middleware that calls f when a fetch fails (dio's
// onError): f may return a response to use instead (a fallback), or an
// error (the same one, or another).
func OnError(f func(ctx context.Context, req *request.Request, err error) (*response.Response, error)) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, req *request.Request) (*response.Response, error) {
			resp, err := next(ctx, req)
			if err == nil {
				return resp, nil
			}
			return f(ctx, req, err)
		}
	}
}

// RequestLock holds requests back while something, typically a token
// refresh, is under way: dio's interceptor lock. While it is locked, the
// fetches passing through its Middleware wait (until Unlock, or until
// their context ends) instead of going out with a token about to be
// replaced. The zero RequestLock is unlocked and ready to use; it must not
// be copied after first use.
type RequestLock struct {
	mu      sync.Mutex
	waiting chan struct{} // non-nil while locked; closed by Unlock
}

// Lock makes the requests that pass the lock's middleware from now on
// wait. Locking a locked RequestLock does nothing.
func (l *RequestLock) Lock() {
	l.mu.Lock()
	if l.waiting == nil {
		l.waiting = make(chan struct{})
	}
	l.mu.Unlock()
}

// Unlock lets the waiting requests go on. Unlocking an unlocked
// RequestLock does nothing.
func (l *RequestLock) Unlock() {
	l.mu.Lock()
	if l.waiting != nil {
		close(l.waiting)
		l.waiting = nil
	}
	l.mu.Unlock()
}

// Locked reports whether the lock holds requests back.
func (l *RequestLock) Locked() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.waiting != nil
}

// Wait returns once the lock is unlocked, or with ctx's error when ctx
// ends first.
func (l *RequestLock) Wait(ctx context.Context) error {
	for {
		l.mu.Lock()
		ch := l.waiting
		l.mu.Unlock()
		if ch == nil {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
}

// Middleware returns middleware that makes each fetch wait while the lock
// is locked. Put it before (outside) the middleware that locks it, so
// that the refresh itself, made with the same client, is not held back:
// do the refresh with a context from SkipLock.
func (l *RequestLock) Middleware() Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, req *request.Request) (*response.Response, error) {
			if ctx.Value(skipLockKey{l}) == nil {
				if err := l.Wait(ctx); err != nil {
					return nil, err
				}
			}
			return next(ctx, req)
		}
	}
}

type skipLockKey struct{ l *RequestLock }

// SkipLock returns a context whose fetches pass l's middleware even while
// l is locked: the context for the refresh request that the lock waits
// for.
func (l *RequestLock) SkipLock(ctx context.Context) context.Context {
	return context.WithValue(ctx, skipLockKey{l}, true)
}
