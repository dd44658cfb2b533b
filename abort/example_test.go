package abort_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wfetch/wfetch/abort"
	"github.com/wfetch/wfetch/abort/aborttest"
)

func ExampleController() {
	c := abort.NewController()
	s := c.Signal()
	s.AddAlgorithm(func(reason error) { fmt.Println("algorithm:", reason) })
	s.AddEventListener(func(reason error) { fmt.Println("listener:", reason) })

	c.Abort(nil) // callbacks run here, algorithms first
	fmt.Println(s.Aborted(), errors.Is(s.ThrowIfAborted(), abort.ErrAbort))
	// Output:
	// algorithm: AbortError: signal is aborted without reason
	// listener: AbortError: signal is aborted without reason
	// true true
}

func ExampleTimeout() {
	clock := aborttest.NewClock(time.Unix(0, 0)) // or omit WithClock for real time
	s := abort.Timeout(5*time.Second, abort.WithClock(clock))

	clock.Advance(4 * time.Second)
	fmt.Println(s.Aborted())
	clock.Advance(time.Second)
	fmt.Println(s.Aborted(), s.Reason(), errors.Is(s.Reason(), abort.ErrTimeout))
	// Output:
	// false
	// true TimeoutError: signal timed out true
}

func ExampleFromContext() {
	ctx, cancel := context.WithCancel(context.Background())
	s := abort.FromContext(ctx)
	cancel()
	<-s.Done()
	fmt.Println(s.Reason())
	fmt.Println(errors.Is(s.Reason(), abort.ErrAbort), errors.Is(s.Reason(), context.Canceled))
	// Output:
	// AbortError: context canceled
	// true true
}

func ExampleAny() {
	user := abort.NewController()
	clock := aborttest.NewClock(time.Unix(0, 0))
	s := abort.Any(user.Signal(), abort.Timeout(time.Minute, abort.WithClock(clock)))

	user.Abort(errors.New("user gave up"))
	clock.Advance(time.Hour) // the timeout fires too late to matter
	fmt.Println(s.Reason())
	// Output: user gave up
}

func ExampleSignal_Context() {
	c := abort.NewController()
	ctx, cancel := c.Signal().Context(context.Background())
	defer cancel()

	c.Abort(errors.New("shutting down"))
	<-ctx.Done()
	fmt.Println(ctx.Err(), "/", context.Cause(ctx))
	// Output: context canceled / shutting down
}
