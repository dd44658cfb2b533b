package body

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wfetch/wfetch/internal/errs"
)

func isTypeError(err error) bool {
	var te *errs.TypeError
	return errors.As(err, &te)
}

// chunkSource produces the given chunks, one per pull, and records cancels.
type chunkSource struct {
	mu       sync.Mutex
	chunks   [][]byte
	err      error // returned after the chunks, instead of closing
	pulls    int
	canceled bool
	reason   error
}

func (c *chunkSource) Pull(ctx context.Context, ctrl *Controller) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pulls++
	if len(c.chunks) == 0 {
		if c.err != nil {
			return c.err
		}
		return ctrl.Close()
	}
	ch := c.chunks[0]
	c.chunks = c.chunks[1:]
	return ctrl.Enqueue(ch)
}

func (c *chunkSource) Cancel(reason error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.canceled, c.reason = true, reason
	return nil
}

func chunksOf(ss ...string) [][]byte {
	var out [][]byte
	for _, s := range ss {
		out = append(out, []byte(s))
	}
	return out
}

func TestStreamReadChunks(t *testing.T) {
	src := &chunkSource{chunks: chunksOf("ab", "cde", "f")}
	s, _ := NewStream(src)
	if s.State() != StateReadable || s.Locked() || s.Disturbed() {
		t.Fatalf("fresh stream: state %v locked %v disturbed %v", s.State(), s.Locked(), s.Disturbed())
	}
	r, err := s.GetReader()
	if err != nil {
		t.Fatal(err)
	}
	if !s.Locked() {
		t.Error("GetReader did not lock")
	}
	if _, err := s.GetReader(); !isTypeError(err) {
		t.Errorf("second GetReader: %v, want TypeError", err)
	}
	if err := s.Cancel(nil); !isTypeError(err) {
		t.Errorf("Cancel on locked stream: %v, want TypeError", err)
	}
	if _, _, err := s.Tee(); !isTypeError(err) {
		t.Errorf("Tee on locked stream: %v, want TypeError", err)
	}
	var got []string
	for {
		c, err := r.ReadChunk()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(c))
	}
	if diff := cmp.Diff([]string{"ab", "cde", "f"}, got); diff != "" {
		t.Errorf("chunks (-want +got):\n%s", diff)
	}
	if s.State() != StateClosed || !s.Disturbed() {
		t.Errorf("after EOF: state %v disturbed %v", s.State(), s.Disturbed())
	}
	select {
	case <-r.Closed():
	default:
		t.Error("Closed channel not closed")
	}
	r.ReleaseLock()
	if s.Locked() {
		t.Error("ReleaseLock did not unlock")
	}
	if _, err := r.Read(make([]byte, 4)); !isTypeError(err) {
		t.Errorf("Read after release: %v, want TypeError", err)
	}
}

func TestStreamReadIntoSmallBuffers(t *testing.T) {
	tests := []struct {
		name string
		s    func() *Stream
	}{
		{"chunks", func() *Stream {
			s, _ := NewStream(&chunkSource{chunks: chunksOf("hello ", "wo", "rld")})
			return s
		}},
		{"reader", func() *Stream { return NewReaderStream(bytes.NewReader([]byte("hello world"))) }},
		{"bytes", func() *Stream { return NewBytesStream([]byte("hello world")) }},
		{"iotest-onebyte", func() *Stream { return NewReaderStream(&oneByteReader{s: "hello world"}) }},
	}
	for _, tc := range tests {
		for _, size := range []int{1, 3, 64} {
			t.Run(fmt.Sprintf("%s/%d", tc.name, size), func(t *testing.T) {
				r, _ := tc.s().GetReader()
				var out []byte
				buf := make([]byte, size)
				for {
					n, err := r.Read(buf)
					out = append(out, buf[:n]...)
					if err == io.EOF {
						break
					}
					if err != nil {
						t.Fatal(err)
					}
				}
				if string(out) != "hello world" {
					t.Errorf("got %q", out)
				}
			})
		}
	}
}

type oneByteReader struct{ s string }

func (o *oneByteReader) Read(p []byte) (int, error) {
	if o.s == "" {
		return 0, io.EOF
	}
	p[0] = o.s[0]
	o.s = o.s[1:]
	return 1, nil
}

func TestStreamErrorSurfaces(t *testing.T) {
	boom := errors.New("boom")
	src := &chunkSource{chunks: chunksOf("a"), err: boom}
	s, _ := NewStream(src)
	r, _ := s.GetReader()
	if c, err := r.ReadChunk(); err != nil || string(c) != "a" {
		t.Fatalf("first chunk: %q, %v", c, err)
	}
	if _, err := r.ReadChunk(); !errors.Is(err, boom) {
		t.Fatalf("second read: %v, want boom", err)
	}
	if s.State() != StateErrored || !errors.Is(s.Err(), boom) {
		t.Errorf("state %v err %v", s.State(), s.Err())
	}
	// The error is sticky.
	if _, err := r.Read(make([]byte, 1)); !errors.Is(err, boom) {
		t.Errorf("read after error: %v", err)
	}
	// Cancel of an errored stream reports its error.
	if err := r.Cancel(nil); !errors.Is(err, boom) {
		t.Errorf("cancel after error: %v", err)
	}
}

func TestStreamReaderErrorMidway(t *testing.T) {
	boom := errors.New("disk on fire")
	s := NewReaderStream(io.MultiReader(bytes.NewReader([]byte("partial")), &errReader{boom}))
	r, _ := s.GetReader()
	_, err := io.ReadAll(r)
	if !errors.Is(err, boom) {
		t.Fatalf("ReadAll: %v", err)
	}
}

type errReader struct{ err error }

func (e *errReader) Read([]byte) (int, error) { return 0, e.err }

func TestStreamCancelPropagates(t *testing.T) {
	src := &chunkSource{chunks: chunksOf("a", "b")}
	s, _ := NewStream(src)
	reason := errors.New("not interested")
	if err := s.Cancel(reason); err != nil {
		t.Fatal(err)
	}
	if !src.canceled || src.reason != reason {
		t.Errorf("source cancel: %v %v", src.canceled, src.reason)
	}
	if s.State() != StateClosed || !s.Disturbed() {
		t.Errorf("state %v disturbed %v", s.State(), s.Disturbed())
	}
	// A second cancel is a no-op and does not reach the source again.
	src.canceled = false
	if err := s.Cancel(nil); err != nil || src.canceled {
		t.Errorf("second cancel: %v, source called %v", err, src.canceled)
	}
	r, _ := s.GetReader()
	if _, err := r.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("read after cancel: %v, want EOF", err)
	}
}

// blockingReadCloser blocks in Read until closed.
type blockingReadCloser struct {
	once    sync.Once
	closed  chan struct{}
	reading chan struct{}
}

func newBlocking() *blockingReadCloser {
	return &blockingReadCloser{closed: make(chan struct{}), reading: make(chan struct{}, 1)}
}

func (b *blockingReadCloser) Read(p []byte) (int, error) {
	select {
	case b.reading <- struct{}{}:
	default:
	}
	<-b.closed
	return 0, errors.New("read on closed body")
}

func (b *blockingReadCloser) Close() error {
	b.once.Do(func() { close(b.closed) })
	return nil
}

func TestStreamCancelUnblocksPendingRead(t *testing.T) {
	rc := newBlocking()
	s := NewReaderStream(rc)
	r, _ := s.GetReader()
	done := make(chan error)
	go func() {
		_, err := r.Read(make([]byte, 8))
		done <- err
	}()
	<-rc.reading
	if err := r.Cancel(errors.New("stop")); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != io.EOF {
		t.Errorf("pending read after cancel: %v, want io.EOF", err)
	}
}

func TestReaderCloseCancels(t *testing.T) {
	rc := newBlocking()
	s := NewReaderStream(rc)
	r, _ := s.GetReader()
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-rc.closed:
	default:
		t.Error("underlying reader not closed")
	}
	if s.Locked() || !s.Disturbed() || s.State() != StateClosed {
		t.Errorf("locked %v disturbed %v state %v", s.Locked(), s.Disturbed(), s.State())
	}
}

func TestReleaseLockFailsPendingRead(t *testing.T) {
	s, c := NewStream(nil)
	r, _ := s.GetReader()
	done := make(chan error)
	go func() {
		_, err := r.ReadChunk()
		done <- err
	}()
	// Wait until the read is waiting (the stream is disturbed by then).
	for !s.Disturbed() {
		runtime.Gosched()
	}
	r.ReleaseLock()
	if err := <-done; !isTypeError(err) {
		t.Errorf("pending read after ReleaseLock: %v, want TypeError", err)
	}
	// The stream works on with a new reader.
	r2, err := s.GetReader()
	if err != nil {
		t.Fatal(err)
	}
	c.Enqueue([]byte("x"))
	c.Close()
	if b, err := io.ReadAll(r2); err != nil || string(b) != "x" {
		t.Errorf("new reader: %q %v", b, err)
	}
}

func TestPushStream(t *testing.T) {
	s, c := NewStream(nil)
	go func() {
		for i := range 100 {
			c.Enqueue([]byte{byte(i)})
		}
		c.Enqueue(nil) // ignored
		c.Close()
	}()
	r, _ := s.GetReader()
	b, err := io.ReadAll(r)
	if err != nil || len(b) != 100 || b[99] != 99 {
		t.Fatalf("got %d bytes, %v", len(b), err)
	}
	if err := c.Enqueue([]byte("late")); !isTypeError(err) {
		t.Errorf("enqueue after close: %v", err)
	}
	if err := c.Close(); !isTypeError(err) {
		t.Errorf("close twice: %v", err)
	}
	if c.DesiredSize() != 0 {
		t.Errorf("desired size %d", c.DesiredSize())
	}
}

func TestCloseWaitsForQueue(t *testing.T) {
	s, c := NewStream(nil)
	c.Enqueue([]byte("ab"))
	c.Close()
	if s.State() != StateReadable {
		t.Fatalf("closed before queue drained: %v", s.State())
	}
	if err := c.Enqueue([]byte("c")); !isTypeError(err) {
		t.Errorf("enqueue while closing: %v", err)
	}
	r, _ := s.GetReader()
	buf := make([]byte, 1)
	r.Read(buf)
	if s.State() != StateReadable {
		t.Errorf("closed with a byte queued")
	}
	r.Read(buf)
	if s.State() != StateClosed {
		t.Errorf("not closed after drain: %v", s.State())
	}
}

func TestTeeUneven(t *testing.T) {
	var chunks []string
	var want bytes.Buffer
	for i := range 50 {
		c := fmt.Sprintf("chunk-%02d;", i)
		chunks = append(chunks, c)
		want.WriteString(c)
	}
	src := &chunkSource{chunks: chunksOf(chunks...)}
	s, _ := NewStream(src)
	b1, b2, err := s.Tee()
	if err != nil {
		t.Fatal(err)
	}
	if !s.Locked() {
		t.Error("tee did not lock the original")
	}
	// Read branch 1 completely first, then branch 2 (which buffered all).
	r1, _ := b1.GetReader()
	got1, err := io.ReadAll(r1)
	if err != nil {
		t.Fatal(err)
	}
	r2, _ := b2.GetReader()
	got2, err := io.ReadAll(r2)
	if err != nil {
		t.Fatal(err)
	}
	if string(got1) != want.String() || string(got2) != want.String() {
		t.Errorf("branches differ from source:\n%q\n%q", got1, got2)
	}
	if src.pulls != 51 {
		t.Errorf("source pulled %d times, want 51 (each chunk once)", src.pulls)
	}
}

func TestTeeConcurrent(t *testing.T) {
	data := make([]byte, 1<<20+123)
	for i := range data {
		data[i] = byte(i * 7)
	}
	for _, size := range [][2]int{{1, 4096}, {100, 7}, {32 << 10, 32 << 10}} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			s := NewReaderStream(bytes.NewReader(data))
			b1, b2, err := s.Tee()
			if err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			var got [2][]byte
			var gerr [2]error
			for i, b := range []*Stream{b1, b2} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r, _ := b.GetReader()
					buf := make([]byte, size[i])
					var out []byte
					for {
						n, err := r.Read(buf)
						out = append(out, buf[:n]...)
						if err == io.EOF {
							break
						}
						if err != nil {
							gerr[i] = err
							return
						}
					}
					got[i] = out
				}()
			}
			wg.Wait()
			for i := range 2 {
				if gerr[i] != nil || !bytes.Equal(got[i], data) {
					t.Errorf("branch %d: %d bytes, err %v", i+1, len(got[i]), gerr[i])
				}
			}
		})
	}
}

func TestTeeChunksIndependent(t *testing.T) {
	s, _ := NewStream(&chunkSource{chunks: chunksOf("abc")})
	b1, b2, _ := s.Tee()
	r1, _ := b1.GetReader()
	c, _ := r1.ReadChunk()
	c[0] = 'X'
	r2, _ := b2.GetReader()
	c2, _ := r2.ReadChunk()
	if string(c2) != "abc" {
		t.Errorf("branch 2 saw branch 1's write: %q", c2)
	}
}

func TestTeeCancel(t *testing.T) {
	src := &chunkSource{chunks: chunksOf("a", "b", "c")}
	s, _ := NewStream(src)
	b1, b2, _ := s.Tee()
	r1 := errors.New("reason 1")
	r2 := errors.New("reason 2")
	if err := b1.Cancel(r1); err != nil {
		t.Fatal(err)
	}
	if src.canceled {
		t.Fatal("source cancelled after only one branch")
	}
	// Branch 2 still reads everything.
	rd, _ := b2.GetReader()
	got, err := io.ReadAll(rd)
	if err != nil || string(got) != "abc" {
		t.Fatalf("branch 2: %q %v", got, err)
	}

	src = &chunkSource{chunks: chunksOf("a", "b", "c")}
	s, _ = NewStream(src)
	b1, b2, _ = s.Tee()
	b1.Cancel(r1)
	b2.Cancel(r2)
	if !src.canceled || !errors.Is(src.reason, r1) || !errors.Is(src.reason, r2) {
		t.Errorf("source cancel %v with %v, want both reasons", src.canceled, src.reason)
	}
	if s.State() != StateClosed {
		t.Errorf("original state %v", s.State())
	}
}

func TestTeeCancelUnblocksOtherBranch(t *testing.T) {
	rc := newBlocking()
	s := NewReaderStream(rc)
	b1, b2, _ := s.Tee()
	r1, _ := b1.GetReader()
	done := make(chan error)
	go func() {
		_, err := r1.Read(make([]byte, 8))
		done <- err
	}()
	<-rc.reading
	b2.Cancel(nil)
	r1.Cancel(nil)
	if err := <-done; err != io.EOF {
		t.Errorf("pending branch read: %v, want EOF", err)
	}
	select {
	case <-rc.closed:
	default:
		t.Error("source not closed after both branches cancelled")
	}
}

func TestTeeErrorReachesBothBranches(t *testing.T) {
	boom := errors.New("boom")
	s, _ := NewStream(&chunkSource{chunks: chunksOf("a"), err: boom})
	b1, b2, _ := s.Tee()
	r1, _ := b1.GetReader()
	got, err := io.ReadAll(r1)
	if !errors.Is(err, boom) || string(got) != "a" {
		t.Errorf("branch 1: %q %v", got, err)
	}
	// Erroring a stream drops its queue (as in the spec), so branch 2
	// sees only the error.
	r2, _ := b2.GetReader()
	if got, err := io.ReadAll(r2); !errors.Is(err, boom) {
		t.Errorf("branch 2: %q %v", got, err)
	}
}

func TestConcurrentReadersOnOneReader(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 10000)
	s := NewReaderStream(bytes.NewReader(data))
	r, _ := s.GetReader()
	var mu sync.Mutex
	total := 0
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 333)
			for {
				n, err := r.Read(buf)
				mu.Lock()
				total += n
				mu.Unlock()
				if err != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	if total != len(data) {
		t.Errorf("read %d bytes, want %d", total, len(data))
	}
}

func TestStateString(t *testing.T) {
	got := []string{StateReadable.String(), StateClosed.String(), StateErrored.String(), StreamState(9).String()}
	if diff := cmp.Diff([]string{"readable", "closed", "errored", "unknown"}, got); diff != "" {
		t.Error(diff)
	}
}

type jsChunk struct{ b []byte }

func (j *jsChunk) Bytes() []byte { return j.b }

func TestValueChunks(t *testing.T) {
	s, c := NewStream(nil)
	obj := &struct{ n int }{1}
	c.EnqueueValue([]byte("ab"))
	c.EnqueueValue(&jsChunk{[]byte("cd")})
	c.EnqueueValue(obj)
	c.Close()
	r, _ := s.GetReader()
	v, err := r.ReadValue()
	if b, ok := v.([]byte); !ok || string(b) != "ab" || err != nil {
		t.Errorf("first value %v %v", v, err)
	}
	// A ByteChunk reads as bytes, partially too.
	buf := make([]byte, 1)
	if n, err := r.Read(buf); n != 1 || buf[0] != 'c' || err != nil {
		t.Errorf("partial ByteChunk read: %d %q %v", n, buf, err)
	}
	if c, err := r.ReadChunk(); string(c) != "d" || err != nil {
		t.Errorf("rest of ByteChunk: %q %v", c, err)
	}
	// Any other value is a TypeError for byte readers.
	if _, err := r.Read(buf); !isTypeError(err) {
		t.Errorf("non-bytes chunk: %v, want TypeError", err)
	}
	if _, err := r.Read(buf); err != io.EOF {
		t.Errorf("after bad chunk: %v, want EOF", err)
	}
}

func TestBadChunkFailsConsumers(t *testing.T) {
	// response-stream-bad-chunk.any.js: a chunk that is not bytes makes
	// each consumer fail with a TypeError.
	for _, bad := range []any{"a string", 42, map[string]int{}} {
		s, c := NewStream(nil)
		c.EnqueueValue(bad)
		c.Close()
		b, _, err := Extract(s, false)
		if err != nil {
			t.Fatal(err)
		}
		m := NewMixin(b, nil)
		if _, err := m.Text(); !isTypeError(err) {
			t.Errorf("%T chunk: %v, want TypeError", bad, err)
		}
	}
}

func TestTeeValues(t *testing.T) {
	s, c := NewStream(nil)
	obj := &struct{ n int }{1}
	c.EnqueueValue(obj)
	c.Close()
	b1, b2, _ := s.TeeClone(func(v any) (any, error) {
		o := *(v.(*struct{ n int }))
		return &o, nil
	})
	r1, _ := b1.GetReader()
	r2, _ := b2.GetReader()
	v1, _ := r1.ReadValue()
	v2, _ := r2.ReadValue()
	if v1 != any(obj) {
		t.Error("branch 1 did not get the original value")
	}
	if v2 == any(obj) || v2.(*struct{ n int }).n != 1 {
		t.Error("branch 2 did not get a clone")
	}

	boom := errors.New("cannot clone")
	s, c = NewStream(nil)
	c.EnqueueValue(obj)
	b1, b2, _ = s.TeeClone(func(any) (any, error) { return nil, boom })
	r1, _ = b1.GetReader()
	if _, err := r1.ReadValue(); !errors.Is(err, boom) {
		t.Errorf("clone failure on branch 1: %v", err)
	}
	if !errors.Is(b2.Err(), boom) || s.State() != StateClosed {
		t.Errorf("clone failure: branch 2 %v, original %v", b2.Err(), s.State())
	}
}

func TestReadChunkAsync(t *testing.T) {
	s, c := NewStream(nil)
	r, _ := s.GetReader()
	var chans []<-chan ChunkResult
	for range 5 {
		chans = append(chans, r.ReadChunkAsync())
	}
	if !s.Disturbed() {
		t.Error("ReadChunkAsync did not disturb at once")
	}
	for i := range 5 {
		c.Enqueue([]byte{byte('a' + i)})
	}
	for i, ch := range chans {
		res := <-ch
		if res.Err != nil || string(res.Chunk) != string(rune('a'+i)) {
			t.Errorf("read %d: %q %v", i, res.Chunk, res.Err)
		}
	}
	// A pending read ends when the lock is released.
	pending := r.ReadChunkAsync()
	r.ReleaseLock()
	if res := <-pending; !isTypeError(res.Err) {
		t.Errorf("pending read after release: %v", res.Err)
	}
}

func queuedBytes(s *Stream) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queued
}

func TestTeeBounded(t *testing.T) {
	data := make([]byte, 4<<20)
	for i := range data {
		data[i] = byte(i % 251)
	}
	const limit = 64 << 10
	s := NewReaderStream(bytes.NewReader(data))
	b1, b2, err := s.TeeBounded(limit)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var maxQueued [2]int64
	var got [2][]byte
	branches := []*Stream{b1, b2}
	for i, b := range branches {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, _ := b.GetReader()
			buf := make([]byte, 1000+i*7000)
			for {
				n, err := r.Read(buf)
				got[i] = append(got[i], buf[:n]...)
				maxQueued[1-i] = max(maxQueued[1-i], queuedBytes(branches[1-i]))
				if err != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	for i := range 2 {
		if !bytes.Equal(got[i], data) {
			t.Errorf("branch %d: %d bytes", i+1, len(got[i]))
		}
		if maxQueued[i] > limit+chunkSize {
			t.Errorf("branch %d held %d bytes, limit %d", i+1, maxQueued[i], limit)
		}
	}
	t.Logf("most bytes held unread: %v", maxQueued)
}

func TestTeeBoundedBlocksUntilOtherCancelled(t *testing.T) {
	s := NewReaderStream(bytes.NewReader(make([]byte, 1<<20)))
	b1, b2, _ := s.TeeBounded(1)
	r1, _ := b1.GetReader()
	done := make(chan int64)
	go func() {
		n, _ := io.Copy(io.Discard, r1)
		done <- n
	}()
	// Branch 1 stalls once branch 2 holds a chunk; cancelling branch 2
	// lets it finish.
	for queuedBytes(b2) == 0 {
		runtime.Gosched()
	}
	select {
	case n := <-done:
		t.Fatalf("branch 1 finished (%d bytes) while branch 2 was full", n)
	default:
	}
	b2.Cancel(nil)
	if n := <-done; n != 1<<20 {
		t.Errorf("branch 1 read %d bytes", n)
	}
}
