package errs

import (
	"errors"
	"io"
	"testing"
)

func TestKindsMatch(t *testing.T) {
	netErr := Network(ReasonTLS, io.ErrUnexpectedEOF, "handshake with %s", "example.test")
	tests := []struct {
		name   string
		err    error
		target error
		want   bool
	}{
		{"abort matches abort", NewAbortError(""), ErrAbort, true},
		{"timeout is not abort", NewTimeoutError(""), ErrAbort, false},
		{"timeout matches timeout", NewTimeoutError("late"), ErrTimeout, true},
		{"network under TypeError", netErr, ErrNetwork, true},
		{"network reason matches", netErr, &NetworkError{Reason: ReasonTLS}, true},
		{"network other reason", netErr, &NetworkError{Reason: ReasonDNS}, false},
		{"cause reachable", netErr, io.ErrUnexpectedEOF, true},
		{"wrapped cause via %w", TypeErrorf("reading: %w", io.EOF), io.EOF, true},
	}
	for _, tc := range tests {
		if got := errors.Is(tc.err, tc.target); got != tc.want {
			t.Errorf("%s: errors.Is = %v, want %v (err %v)", tc.name, got, tc.want, tc.err)
		}
	}
	var te *TypeError
	if !errors.As(netErr, &te) || te.Message != "fetch failed" {
		t.Errorf("errors.As TypeError: %v", netErr)
	}
	var ne *NetworkError
	if !errors.As(netErr, &ne) || ne.Reason != ReasonTLS {
		t.Errorf("errors.As NetworkError: %v", netErr)
	}
}

func TestMessages(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{TypeErrorf("bad header %q", "a b"), `TypeError: bad header "a b"`},
		{RangeErrorf("status %d out of range", 42), "RangeError: status 42 out of range"},
		{TypeErrorf("reading: %w", io.EOF), "TypeError: reading: EOF"},
		{NewAbortError(""), "AbortError: signal is aborted without reason"},
		{Network(ReasonDNS, nil, "no such host %s", "x.test"), "TypeError: fetch failed: network error (dns): no such host x.test"},
	}
	for _, tc := range tests {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
	if c := NewAbortError("").Code(); c != 20 {
		t.Errorf("AbortError code = %d, want 20", c)
	}
}

func TestTimeoutError(t *testing.T) {
	err := NetworkTimeout(PhaseSend, 0, io.ErrShortWrite, "sending to %s", "x.test")
	for _, tc := range []struct {
		name   string
		target error
		want   bool
	}{
		{"ErrTimeout", ErrTimeout, true},
		{"ErrNetwork", ErrNetwork, true},
		{"reason timeout", &NetworkError{Reason: ReasonTimeout}, true},
		{"same phase", &TimeoutError{Phase: PhaseSend}, true},
		{"any phase", &TimeoutError{}, true},
		{"other phase", &TimeoutError{Phase: PhaseBody}, false},
		{"ErrAbort", ErrAbort, false},
		{"cause", io.ErrShortWrite, true},
	} {
		if got := errors.Is(err, tc.target); got != tc.want {
			t.Errorf("%s: errors.Is = %v, want %v", tc.name, got, tc.want)
		}
	}
	var te *TimeoutError
	if !errors.As(err, &te) || te.Phase != PhaseSend || !te.Timeout() {
		t.Errorf("errors.As TimeoutError: %v", err)
	}
	want := "TypeError: fetch failed: network error (timeout): sending to x.test: TimeoutError: send timeout: short write"
	if got := err.Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
