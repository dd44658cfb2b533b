package response

import "github.com/wfetch/wfetch/body"

// Close releases the response's body and what holds it: for a body still
// streaming from the network, the connection (which is closed, since the
// body was not read to its end). It is a Go addition to the standard's API,
// safe on every response (a null body, a network error, a body read to its
// end) and on a response closed before, so `defer resp.Close()` is always
// right. A body that no reader holds is cancelled, so it counts as used
// afterwards; a body a reader holds is errored, and that reader's reads fail
// with a TypeError. A response that is dropped unread is released anyway
// once the garbage collector finds its body unreachable, but Close does it
// at once.
func (r *Response) Close() error {
	if r == nil {
		return nil
	}
	b := body.InnerBody(&r.Mixin)
	if b == nil {
		return nil
	}
	return b.Stream.Discard(nil)
}
