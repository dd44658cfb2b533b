package fetch

import (
	"context"

	"github.com/wfetch/wfetch/abort"
	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/response"
)

// Fetch runs fetch(input, init) on the default client (see DefaultClient
// and Client.Fetch).
func Fetch(ctx context.Context, input any, init *request.Init) (*response.Response, error) {
	return DefaultClient().Fetch(ctx, input, init)
}

// Fetch runs fetch(input, init) in the client's environment: input is a URL
// string (relative URLs need a base URL), a *weburl.URL, a *net/url.URL or a
// *request.Request; init may be nil.
//
// It returns once the response headers are in; read the body through the
// response's Body mixin (Text, Bytes, JSON, Body().GetReader(), ...), or
// cancel it to release the connection early.
//
// ctx and init's signal both abort the fetch, at any stage, body included.
// Errors:
//   - a bad input or init: the *TypeError (or RangeError) the Request
//     constructor throws;
//   - an abort: the signal's reason, as given (an "AbortError" DOMException
//     by default; for ctx, see abort.FromContext), also from body reads;
//   - a network error: a *TypeError whose cause is a *NetworkError with the
//     Reason that says what failed.
//
// https://fetch.spec.whatwg.org/#fetch-method
func (c *Client) Fetch(ctx context.Context, input any, init *request.Init) (*response.Response, error) {
	if c.err != nil {
		return nil, c.err
	}
	// 1-2. The Request object, in the client's environment.
	envOpt := c.envOpt
	if envOpt == nil {
		envOpt = request.WithEnvironment(c.env)
	}
	req, err := request.New(input, init, envOpt)
	if err != nil {
		return nil, err
	}
	return c.FetchRequest(ctx, req)
}

// FetchRequest runs fetch for a Request object that was already
// constructed (with the client's Environment, or with none, in which case
// the client's is used). It is what the JavaScript binding calls after
// running the Request constructor itself. See Client.Fetch for ctx and the
// errors.
//
// https://fetch.spec.whatwg.org/#fetch-method
func (c *Client) FetchRequest(ctx context.Context, req *request.Request) (*response.Response, error) {
	if c.err != nil {
		return nil, c.err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if c.handler != nil {
		return c.handler(ctx, req) // middleware (middleware.go)
	}
	return c.fetchRequest(ctx, req)
}

// fetchRequest is FetchRequest below the client's middleware.
// https://fetch.spec.whatwg.org/#fetch-method
func (c *Client) fetchRequest(ctx context.Context, req *request.Request) (*response.Response, error) {
	// 3. The request.
	if req == nil {
		return nil, errs.TypeErrorf("FetchRequest: nil request")
	}
	in := req.Internal()
	if err := checkInternal(in); err != nil {
		return nil, err
	}
	// 4. An aborted signal rejects at once with its reason.
	rs := req.Signal()
	if rs == in.Signal {
		rs = requestSignal(in)
	}
	sig := combineSignals(ctx, rs)
	if c.totalTimeout > 0 {
		sig = c.withTotalTimeout(sig)
	}
	if sig.Aborted() {
		return nil, abortFetchCall(in, sig.Reason())
	}
	// (The context's observer and retry policy: events.go, retry.go.)
	var obs *Observer
	retry := c.retry
	if pf := fromContext(ctx); pf != nil {
		obs = pf.obs
		if pf.retry != nil {
			retry = pf.retry
		}
	}
	if retry != nil && retry.retries(in) {
		return c.fetchRetrying(ctx, in, sig, obs, retry)
	}
	// 5-10. (Service workers, realms and the controller: the signal is the
	// controller here; an abort while fetching ends the fetch with an
	// aborted network error, and later ones error the body stream.)
	// 11. Fetch, and process the response.
	resp, err := settle(c.fetch(ctx, in, sig, obs), sig, in)
	if err == nil && obs != nil && obs.Headers != nil {
		return obs.headersReceived(resp)
	}
	return resp, err
}

// abortFetchCall runs "abort the fetch() call" for a fetch that has no
// response yet: the request body, if still readable, is cancelled with the
// reason, which fetch rejects with.
// https://fetch.spec.whatwg.org/#abort-fetch
func abortFetchCall(req *request.Internal, reason error) error {
	// 1. Reject with the reason.
	// 2. Cancel the request body, if it is readable.
	if req != nil && req.Body != nil && req.Body.Stream != nil && !req.Body.Stream.Locked() {
		_ = req.Body.Stream.Cancel(reason)
	}
	// 3-4. There is no response object yet.
	return reason
}

// settle turns fetch's response into fetch()'s outcome: the abort reason
// for an aborted fetch, a TypeError for a network error, else a Response
// with immutable headers.
// https://fetch.spec.whatwg.org/#fetch-method (step 11, processResponse)
func settle(resp *response.Internal, sig *abort.Signal, req *request.Internal) (*response.Response, error) {
	// 11.1-11.2. Aborted: reject with the abort reason.
	if resp.IsAbortedNetworkError() || (resp.IsNetworkError() && sig.Aborted()) {
		r := sig.Reason()
		if r == nil {
			r = errs.NewAbortError("")
		}
		return nil, abortFetchCall(req, r)
	}
	// 11.3. A network error: reject with a TypeError.
	if resp.IsNetworkError() {
		return nil, &errs.TypeError{Message: "fetch failed", Err: resp.Err}
	}
	// 11.4. A Response object with immutable headers.
	return response.FromInternal(resp), nil
}

// Timing returns the fetch timing info of a response fetch produced:
// start, redirect, connection, TLS, request and response times. The
// response end time is set once the body has been read to its end (or
// cancelled).
func Timing(resp *response.Response) response.TimingInfo {
	if resp == nil || resp.Internal() == nil {
		return response.TimingInfo{}
	}
	ti := resp.Internal().TimingInfo
	if ti.BodyEnd != nil {
		if ti.ResponseEnd.IsZero() {
			ti.ResponseEnd = ti.BodyEnd.BodyEndTime()
		}
		ti.BodyEnd = nil
	}
	return ti
}
