package fetch

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/wfetch/wfetch/abort"
	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/response"
)

// RetryPolicy makes fetch try a request again when an attempt fails in a
// way that may pass (a dropped connection, a 503), the Go shape of resty's
// and req's retry options and of dio's retry interceptors. Give it to a
// client (WithRetry) or to the fetches under a context (WithRetryPolicy).
// It is beyond the Fetch Standard: each attempt is a whole fetch (redirects,
// CORS and the cache included), and Attempts tells how many were made.
//
// Rules that always hold: only idempotent methods (GET, HEAD, OPTIONS,
// TRACE, PUT, DELETE) are retried unless NonIdempotent is set; a request
// whose body is a stream (no source to extract again) is never sent twice;
// an abort (signal, context, WithTotalTimeout) stops at once, also while
// waiting; the wait honours a Retry-After header (seconds or HTTP-date).
type RetryPolicy struct {
	// MaxAttempts is the most attempts, the first included; 0 means
	// DefaultMaxAttempts, 1 turns retries off.
	MaxAttempts int
	// BaseDelay is the wait before the first retry, doubled for each one
	// after it (exponential backoff) up to MaxDelay, with jitter: the wait
	// is drawn between half and all of that. 0 means 100 ms.
	BaseDelay time.Duration
	// MaxDelay caps the backoff. 0 means 10 s.
	MaxDelay time.Duration
	// MaxRetryAfter is the longest Retry-After fetch waits for; a response
	// asking for more is returned as it is. 0 means 1 minute.
	MaxRetryAfter time.Duration
	// NonIdempotent allows retrying POST, PATCH and other methods that are
	// not idempotent.
	NonIdempotent bool
	// ShouldRetry decides whether an attempt is retried: resp is the
	// response (nil on error), err the error (nil with a response). nil
	// means DefaultShouldRetry.
	ShouldRetry func(attempt int, resp *response.Response, err error) bool
}

// DefaultMaxAttempts is RetryPolicy.MaxAttempts when 0.
const DefaultMaxAttempts = 3

// DefaultShouldRetry retries the responses and errors that often pass: the
// statuses 408, 429, 500, 502, 503 and 504, and network errors of reason
// "connect", "reset" and "timeout" (a timeout of any phase but "total").
// Aborts, CORS, blocked requests and other errors are final.
func DefaultShouldRetry(attempt int, resp *response.Response, err error) bool {
	if err != nil {
		var ne *NetworkError
		if !errors.As(err, &ne) {
			return false
		}
		switch ne.Reason {
		case ReasonConnect, ReasonReset:
			return true
		case ReasonTimeout:
			var te *TimeoutError
			return !errors.As(err, &te) || te.Phase != PhaseTotal
		}
		return false
	}
	switch resp.Status() {
	case 408, 429, 500, 502, 503, 504:
		return true
	}
	return false
}

// WithRetry makes the client retry requests as p says (see RetryPolicy);
// WithRetryPolicy overrides it for the fetches under a context. A nil p
// turns retries off.
func WithRetry(p *RetryPolicy) Option {
	return func(c *Client) { c.retry = p }
}

// WithRetryPolicy returns a context under which fetches retry as p says,
// in place of the client's policy; a policy with MaxAttempts 1 turns
// retries off for them.
func WithRetryPolicy(ctx context.Context, p *RetryPolicy) context.Context {
	return withPerFetch(ctx, func(pf *perFetch) { pf.retry = p })
}

// RetryError is what a fetch that was retried fails with: the last
// attempt's error and how many attempts were made. errors.As and errors.Is
// see through it to the error (*TypeError, *NetworkError, ...).
type RetryError struct {
	Attempts int
	Err      error
}

func (e *RetryError) Error() string {
	return fmt.Sprintf("%v (after %d attempts)", e.Err, e.Attempts)
}

// Unwrap returns the last attempt's error.
func (e *RetryError) Unwrap() error { return e.Err }

// Attempts returns how many times fetch sent the request that gave resp:
// 1 unless a RetryPolicy retried it.
func Attempts(resp *response.Response) int {
	if resp == nil || resp.Internal() == nil {
		return 0
	}
	if n := resp.Internal().Attempts; n > 0 {
		return int(n)
	}
	return 1
}

// isIdempotent reports whether a method is idempotent (RFC 9110 §9.2.2).
func isIdempotent(m string) bool {
	switch m {
	case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE":
		return true
	}
	return false
}

// retries reports whether p may retry req at all.
func (p *RetryPolicy) retries(req *request.Internal) bool {
	if p == nil || p.MaxAttempts == 1 {
		return false
	}
	if !p.NonIdempotent && !isIdempotent(req.Method) {
		return false
	}
	// A stream body cannot be sent again.
	return req.Body == nil || req.Body.Source != nil
}

// fetchRetrying runs fetch for req up to the policy's attempts. Each
// attempt fetches a fresh copy of the request as it was before the first
// (fetch changes its request: headers, URL list, method, body).
func (c *Client) fetchRetrying(ctx context.Context, req *request.Internal, sig *abort.Signal, obs *Observer, p *RetryPolicy) (*response.Response, error) {
	maxAttempts := p.MaxAttempts
	if maxAttempts <= 0 {
		maxAttempts = DefaultMaxAttempts
	}
	should := p.ShouldRetry
	if should == nil {
		should = DefaultShouldRetry
	}
	pristine := snapshotRequest(req)
	cur := req
	for attempt := 1; ; attempt++ {
		r, err := settle(c.fetch(ctx, cur, sig, obs), sig, cur)
		retry := !sig.Aborted() && attempt < maxAttempts && should(attempt, r, err)
		var delay time.Duration
		var next *request.Internal
		if retry {
			delay, retry = p.delay(attempt, r)
		}
		if retry {
			var nerr error
			next, nerr = pristine.attempt()
			retry = nerr == nil
		}
		if !retry {
			if err == nil && obs != nil && obs.Headers != nil {
				r, err = obs.headersReceived(r)
			}
			return finishAttempts(r, err, attempt)
		}
		if obs != nil && obs.Retry != nil {
			obs.Retry(attempt, delay, r, err)
		}
		if r != nil {
			discardBody(r.Internal().Unfiltered())
		}
		if werr := waitRetry(sig, delay); werr != nil {
			return nil, werr
		}
		cur = next
	}
}

// finishAttempts records the attempt count on the outcome.
func finishAttempts(r *response.Response, err error, attempts int) (*response.Response, error) {
	if err != nil {
		if attempts > 1 && !errors.Is(err, ErrAbort) {
			return nil, &RetryError{Attempts: attempts, Err: err}
		}
		return nil, err
	}
	in := r.Internal()
	in.Attempts = int32(attempts)
	if u := in.Unfiltered(); u != in {
		u.Attempts = int32(attempts)
	}
	return r, nil
}

// waitRetry waits d, or until the fetch is aborted (its reason is
// returned).
func waitRetry(sig *abort.Signal, d time.Duration) error {
	if sig.Aborted() {
		return sig.Reason()
	}
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	var done <-chan struct{}
	if sig != nil {
		done = sig.Done()
	}
	select {
	case <-t.C:
		return nil
	case <-done:
		return sig.Reason()
	}
}

// delay is the wait before the retry after attempt: the response's
// Retry-After when it has one (ok is false when that is longer than
// MaxRetryAfter), else the backoff with jitter.
func (p *RetryPolicy) delay(attempt int, resp *response.Response) (time.Duration, bool) {
	if resp != nil {
		if v := resp.Headers().Value("Retry-After"); v != "" {
			d, ok := parseRetryAfter(v, time.Now())
			if ok {
				maxRA := p.MaxRetryAfter
				if maxRA == 0 {
					maxRA = time.Minute
				}
				return d, d <= maxRA
			}
		}
	}
	base, maxD := p.BaseDelay, p.MaxDelay
	if base <= 0 {
		base = 100 * time.Millisecond
	}
	if maxD <= 0 {
		maxD = 10 * time.Second
	}
	return backoff(base, maxD, attempt, rand.Float64()), true
}

// backoff is base·2^(attempt-1) capped at maxD, scaled into [1/2, 1) by
// jitter (a number in [0, 1)).
func backoff(base, maxD time.Duration, attempt int, jitter float64) time.Duration {
	d := base
	for i := 1; i < attempt && d < maxD; i++ {
		d *= 2
	}
	d = min(d, maxD)
	return d/2 + time.Duration(jitter*float64(d/2))
}

// parseRetryAfter parses a Retry-After value: delay-seconds or an
// HTTP-date (RFC 9110 §10.2.3). A date in the past is no wait.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if n, err := strconv.ParseUint(v, 10, 32); err == nil {
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// requestSnapshot is a request as it was before its first attempt.
type requestSnapshot struct{ req request.Internal }

// snapshotRequest copies what fetch changes in a request: the header list
// and the URL list (the body is extracted again from its source).
func snapshotRequest(r *request.Internal) *requestSnapshot {
	s := &requestSnapshot{req: *r}
	l := r.Header.Clone()
	s.req.Header = &l
	s.req.URLList = append(s.req.URLList[:0:0], r.URLList...)
	return s
}

// attempt returns a fresh request for one more attempt.
func (s *requestSnapshot) attempt() (*request.Internal, error) {
	n := s.req
	l := s.req.Header.Clone()
	n.Header = &l
	n.URLList = append(s.req.URLList[:0:0], s.req.URLList...)
	if n.Body != nil {
		b, err := n.Body.Reextract()
		if err != nil {
			return nil, err
		}
		n.Body = b
	}
	return &n, nil
}
