package fetch

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/response"
	"github.com/wfetch/wfetch/weburl"
)

// Observer receives the events of one fetch, the Go shape of Electron's
// net.ClientRequest events, Taro's RequestTask callbacks and dio's progress
// callbacks. It is carried by the context the fetch runs under
// (WithObserver), so it needs no client of its own and applies to exactly
// the fetches made with that context. Every field is optional; an Observer
// with none set costs nothing.
//
// The callbacks run on the goroutine that does the work: UploadProgress on
// the transport's writer, DownloadProgress and Chunk on the goroutine
// reading the body, the others on the goroutine calling Fetch. They must
// not block for long.
//
// This is beyond the Fetch Standard (whose only progress reporting is the
// stream itself); it does not change what fetch does unless a callback
// says so.
type Observer struct {
	// UploadProgress reports the request body as the transport reads it
	// to send it: Transferred is the bytes read so far, Total the body's
	// length (-1 when unknown, as for a stream without a size). It works
	// for streamed bodies. Calls are throttled (ProgressInterval); the
	// last one, with Done set, is always made.
	UploadProgress func(Progress)
	// DownloadProgress reports the final response's body as it is read:
	// Transferred is the bytes received from the network (before content
	// decoding), Decoded the bytes the body has produced, Total the
	// Content-Length (-1 when absent). Throttled like UploadProgress; the
	// last call has Done set.
	DownloadProgress func(Progress)
	// Headers is called once the final response's headers are in, before
	// its body is read (Taro's onHeadersReceived, Electron's 'response').
	// A non-nil error aborts: the body is cancelled and Fetch returns the
	// error.
	Headers func(*response.Response) error
	// Chunk is called with each piece of the decoded response body as the
	// body is read (Taro's onChunkReceived), without buffering: the slice
	// is only valid during the call. The caller still reads the body (for
	// example with io.Copy(io.Discard, ...)); a non-nil error fails that
	// read with a network error wrapping it.
	Chunk func([]byte) error
	// Redirect is called before a redirect is followed (Electron's
	// 'redirect' event and followRedirect), before the client's
	// WithRedirectHook and the redirect checks (limit, credentials in the
	// location), with the redirect response's body still unread. Returning
	// nil follows it; ErrStopRedirect stops and makes the
	// redirect response itself (3xx status, Location, body) the response;
	// any other error fails the fetch with a network error of reason
	// "redirect" wrapping it.
	Redirect func(RedirectInfo) error
	// Login answers a 401 with WWW-Authenticate for this fetch (Electron's
	// 'login' event), in place of the client's WithLoginHook.
	Login func(ctx context.Context, challenge AuthChallenge) (user, pass string, ok bool)
	// Retry is called before a retry (see RetryPolicy): attempt is the one
	// that failed (1 for the first), delay the wait before the next, resp
	// or err what the failed attempt gave (resp's body is discarded after
	// the call).
	Retry func(attempt int, delay time.Duration, resp *response.Response, err error)
	// ProgressInterval is the least time between two progress calls of
	// one body (the first and the last are always made). 0 means
	// DefaultProgressInterval; a negative value reports every read.
	ProgressInterval time.Duration
}

// DefaultProgressInterval is how often progress is reported at most when
// Observer.ProgressInterval is 0.
const DefaultProgressInterval = 100 * time.Millisecond

// Progress is one progress report of a body being sent or received.
type Progress struct {
	// Transferred is the bytes sent (upload) or received from the network
	// (download, before content decoding).
	Transferred int64
	// Decoded is the bytes of the decoded body produced so far (download);
	// for an upload it equals Transferred.
	Decoded int64
	// Total is the expected Transferred at the end: the request body's
	// length, or the response's Content-Length; -1 when unknown.
	Total int64
	// Done is set on the last report, when the body ended (at its end or
	// with an error).
	Done bool
}

// ErrStopRedirect, returned by Observer.Redirect, stops following
// redirects: the redirect response becomes fetch's response.
var ErrStopRedirect = errors.New("fetch: stop following redirects")

// perFetchKey is the context key of a fetch's per-request settings.
type perFetchKey struct{}

// perFetch holds what a context carries for the fetches made under it: one
// value, so a fetch looks up one context key however many are set.
type perFetch struct {
	obs   *Observer
	retry *RetryPolicy
}

// fromContext returns the per-fetch settings under ctx, or nil.
func fromContext(ctx context.Context) *perFetch {
	if ctx == nil {
		return nil
	}
	p, _ := ctx.Value(perFetchKey{}).(*perFetch)
	return p
}

// withPerFetch returns ctx with a copy of its per-fetch settings changed
// by set.
func withPerFetch(ctx context.Context, set func(*perFetch)) context.Context {
	if ctx == nil {
		ctx = context.Background()
	}
	var p perFetch
	if old := fromContext(ctx); old != nil {
		p = *old
	}
	set(&p)
	return context.WithValue(ctx, perFetchKey{}, &p)
}

// WithObserver returns a context under which fetches report their events
// to obs (nil removes an observer set earlier).
func WithObserver(ctx context.Context, obs *Observer) context.Context {
	return withPerFetch(ctx, func(p *perFetch) { p.obs = obs })
}

// ObserverFrom returns the observer carried by ctx, or nil.
func ObserverFrom(ctx context.Context) *Observer {
	if p := fromContext(ctx); p != nil {
		return p.obs
	}
	return nil
}

// interval is the throttle interval of progress reports.
func (o *Observer) interval() time.Duration {
	if o.ProgressInterval == 0 {
		return DefaultProgressInterval
	}
	return o.ProgressInterval
}

// loginHook returns the login hook for a fetch: the observer's, else the
// client's.
func (fp *fetchParams) loginHook() func(context.Context, AuthChallenge) (string, string, bool) {
	if fp.obs != nil && fp.obs.Login != nil {
		return fp.obs.Login
	}
	return fp.client.loginHook
}

// throttle decides when a progress report is due.
type throttle struct {
	every time.Duration
	last  time.Time
}

// due reports whether a report should be made now (always when final).
func (t *throttle) due(final bool) bool {
	if t.every < 0 || final {
		return true
	}
	n := time.Now()
	if t.last.IsZero() || n.Sub(t.last) >= t.every {
		t.last = n
		return true
	}
	return false
}

// observeUpload wraps the request's body (and its GetBody) so that the
// observer sees upload progress.
func (o *Observer) observeUpload(hreq *http.Request) {
	if o == nil || o.UploadProgress == nil || hreq.Body == nil || hreq.Body == http.NoBody {
		return
	}
	total := hreq.ContentLength
	if total == 0 {
		total = -1 // a stream body of unknown length
	}
	hreq.Body = &uploadProgress{rc: hreq.Body, obs: o, total: total, t: throttle{every: o.interval()}}
	if gb := hreq.GetBody; gb != nil {
		hreq.GetBody = func() (io.ReadCloser, error) {
			rc, err := gb()
			if err != nil {
				return nil, err
			}
			return &uploadProgress{rc: rc, obs: o, total: total, t: throttle{every: o.interval()}}, nil
		}
	}
}

// uploadProgress counts the request body's bytes as the transport reads
// them.
type uploadProgress struct {
	rc    io.ReadCloser
	obs   *Observer
	total int64
	n     int64
	done  bool
	t     throttle
}

func (u *uploadProgress) Read(p []byte) (int, error) {
	n, err := u.rc.Read(p)
	u.n += int64(n)
	final := err != nil
	if final && u.done {
		return n, err
	}
	if (n > 0 || final) && u.t.due(final) {
		u.done = final
		u.obs.UploadProgress(Progress{Transferred: u.n, Decoded: u.n, Total: u.total, Done: final})
	}
	return n, err
}

func (u *uploadProgress) Close() error { return u.rc.Close() }

// observeDownload returns the readers a response body is read through when
// the observer wants download progress or chunks: wire wraps the
// transport's body (counting the bytes received), and decoded(rc) the body
// after content decoding. It returns nil when there is nothing to observe.
func (o *Observer) observeDownload(hresp *http.Response) *downloadProgress {
	if o == nil || (o.DownloadProgress == nil && o.Chunk == nil) || hresp.Body == nil || hresp.Body == http.NoBody {
		return nil
	}
	return &downloadProgress{obs: o, total: hresp.ContentLength, t: throttle{every: o.interval()}}
}

// downloadProgress observes one response body: the wire side counts the
// bytes off the network; the decoded side counts the body's bytes,
// reports progress and hands out chunks.
type downloadProgress struct {
	obs     *Observer
	total   int64
	wireN   int64
	decoded int64
	done    bool
	t       throttle
}

// wire wraps the transport's body.
func (d *downloadProgress) wire(rc io.ReadCloser) io.ReadCloser {
	return &wireCounter{rc: rc, d: d}
}

// wrap wraps the decoded body.
func (d *downloadProgress) wrap(rc io.ReadCloser) io.ReadCloser {
	return &decodedObserver{rc: rc, d: d}
}

type wireCounter struct {
	rc io.ReadCloser
	d  *downloadProgress
}

func (w *wireCounter) Read(p []byte) (int, error) {
	n, err := w.rc.Read(p)
	w.d.wireN += int64(n)
	return n, err
}

func (w *wireCounter) Close() error { return w.rc.Close() }

type decodedObserver struct {
	rc io.ReadCloser
	d  *downloadProgress
}

func (r *decodedObserver) Read(p []byte) (int, error) {
	n, err := r.rc.Read(p)
	d := r.d
	d.decoded += int64(n)
	if n > 0 && d.obs.Chunk != nil {
		if cerr := d.obs.Chunk(p[:n]); cerr != nil {
			d.report(true)
			return n, cerr
		}
	}
	if n > 0 || err != nil {
		d.report(err != nil)
	}
	return n, err
}

// Close closes the body. (It makes no report: a cancel may run on another
// goroutine than the reads.)
func (r *decodedObserver) Close() error { return r.rc.Close() }

// report makes a progress report when one is due.
func (d *downloadProgress) report(final bool) {
	if d.done || d.obs.DownloadProgress == nil || !d.t.due(final) {
		return
	}
	d.done = final
	d.obs.DownloadProgress(Progress{Transferred: d.wireN, Decoded: d.decoded, Total: d.total, Done: final})
}

// observeRedirect asks the observer whether to follow a redirect to loc.
// It returns nil to follow, resp itself when the observer stops with
// ErrStopRedirect, or a network error (with resp discarded) for any other
// error.
func (c *Client) observeRedirect(fp *fetchParams, resp *response.Internal, loc *weburl.URL) *response.Internal {
	req := fp.req
	internal := resp.Unfiltered()
	method := req.Method
	if ((internal.Status == 301 || internal.Status == 302) && method == "POST") ||
		(internal.Status == 303 && method != "GET" && method != "HEAD") {
		method = "GET"
	}
	info := RedirectInfo{
		Status: internal.Status, Method: method, URL: loc.Href(),
		From: req.CurrentURL().Href(), Header: internal.Header.HTTP(), Count: req.RedirectCount + 1,
	}
	err := fp.obs.Redirect(info)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrStopRedirect):
		return resp
	}
	c.discard(fp, resp)
	return netErr(errs.ReasonRedirect, err, "redirect to %s stopped by the observer", loc.Href())
}

// headersReceived runs the observer's Headers callback for a response
// fetch() is about to return; an error cancels the body.
func (o *Observer) headersReceived(r *response.Response) (*response.Response, error) {
	if err := o.Headers(r); err != nil {
		_ = r.Close()
		return nil, err
	}
	return r, nil
}
