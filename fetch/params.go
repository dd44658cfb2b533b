package fetch

import (
	"context"
	"sync"
	"time"

	"github.com/wfetch/wfetch/abort"
	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/response"
)

// fetchParams is the Fetch Standard's fetch params, cut down to what a
// synchronous Go fetch needs: the request, its timing info, the client, the
// context whose values (not cancellation) network requests carry, and the
// signal that stands for the fetch controller's abort.
// https://fetch.spec.whatwg.org/#fetch-params
type fetchParams struct {
	req        *request.Internal
	timing     *timingRecorder
	timingInfo timingRecorder // what timing points to, for the top-level fetch
	client     *Client
	ctx        context.Context // values only; cancellation comes through signal
	signal     *abort.Signal   // the request's signal and ctx combined; nil never aborts
	obs        *Observer       // the fetch's observer (events.go), nil for none

	// authUser and authPass are credentials a login hook supplied for the
	// authentication fetch (kept here instead of in the request's URL).
	authUser, authPass string
	hasAuth            bool
	loginAttempts      int

	// live is the network body of the latest HTTP-network fetch that has
	// not been handed to the caller or discarded.
	live *netBody

	// nb0 is the first network body of the fetch, allocated with it (see
	// newNetBody). (It holds no reference to a response's stream, so
	// keeping fp reachable through it keeps no response alive.)
	nb0     netBody
	nb0Used bool
}

// canceled reports whether the fetch params are canceled (aborted; fetch
// has no separate "terminated" state here: termination is a network error
// returned directly). https://fetch.spec.whatwg.org/#fetch-params-canceled
func (fp *fetchParams) canceled() bool { return fp.signal.Aborted() }

// appropriateNetworkError returns the aborted network error carrying the
// signal's reason. https://fetch.spec.whatwg.org/#appropriate-network-error
func (fp *fetchParams) appropriateNetworkError() *response.Internal {
	return response.AppropriateNetworkError(true, fp.signal.Reason())
}

// netErr returns a network error response with the given reason.
func netErr(reason errs.NetworkReason, cause error, format string, args ...any) *response.Internal {
	return response.NetworkError(errs.Network(reason, cause, format, args...))
}

// timingRecorder holds a fetch timing info that transport callbacks (which
// may run on other goroutines) update.
// https://fetch.spec.whatwg.org/#fetch-timing-info
type timingRecorder struct {
	mu sync.Mutex
	t  response.TimingInfo
}

func (r *timingRecorder) set(f func(t *response.TimingInfo)) {
	r.mu.Lock()
	f(&r.t)
	r.mu.Unlock()
}

func (r *timingRecorder) get() response.TimingInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.t
}

// now is the clock for timing info; coarsening is left out (Go callers are
// not script and there is no cross-origin isolation to protect).
func now() time.Time { return time.Now() }
