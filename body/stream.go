package body

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"

	"github.com/wfetch/wfetch/internal/errs"
)

// StreamState is the state of a Stream: readable, closed or errored.
// https://streams.spec.whatwg.org/#readablestream-state
type StreamState int

// The three states of a Stream.
const (
	StateReadable StreamState = iota // chunks may still arrive
	StateClosed                      // ended (fully read, or cancelled); reads report io.EOF
	StateErrored                     // failed; reads report the stored error
)

// String returns the spec's name of the state.
func (s StreamState) String() string {
	switch s {
	case StateReadable:
		return "readable"
	case StateClosed:
		return "closed"
	case StateErrored:
		return "errored"
	}
	return "unknown"
}

// Source is a stream's underlying source: the producer that a Stream pulls
// bytes from when a reader wants more than is queued.
// https://streams.spec.whatwg.org/#underlying-source-api
//
// Pull is called with no other Pull of the same stream running. It should
// enqueue at least one chunk with c.Enqueue, or close the stream with
// c.Close, or return an error (which errors the stream). If it returns nil
// having done none of these, the stream calls it again when a reader still
// waits. ctx is cancelled when the stream is cancelled or ends, so a Pull
// blocked on I/O should watch it.
//
// Cancel is called once when a consumer cancels the stream, with the
// consumer's reason (which may be nil); its error is returned to the
// canceller.
type Source interface {
	Pull(ctx context.Context, c *Controller) error
	Cancel(reason error) error
}

// ByteSource is a Source that can also write straight into a reader's
// buffer (the spec's BYOB, "bring your own buffer", reads). When the queue
// is empty, Reader.Read hands its buffer to ReadInto instead of calling
// Pull, so bytes are copied once and no chunk is allocated. ReadInto follows
// io.Reader's contract: io.EOF ends the stream (it may come with the last
// bytes), any other error errors it.
type ByteSource interface {
	Source
	ReadInto(ctx context.Context, p []byte) (int, error)
}

// SourceFuncs builds a Source from two functions. A nil PullFunc makes a
// push-only stream (chunks arrive only through the Controller); a nil
// CancelFunc does nothing on cancel.
type SourceFuncs struct {
	PullFunc   func(ctx context.Context, c *Controller) error
	CancelFunc func(reason error) error
}

// Pull calls PullFunc if set.
func (f SourceFuncs) Pull(ctx context.Context, c *Controller) error {
	if f.PullFunc == nil {
		return nil
	}
	return f.PullFunc(ctx, c)
}

// Cancel calls CancelFunc if set.
func (f SourceFuncs) Cancel(reason error) error {
	if f.CancelFunc == nil {
		return nil
	}
	return f.CancelFunc(reason)
}

// Stream is the Go face of a ReadableStream of bytes: a one-shot sequence of
// chunks pulled from a Source into a queue and read through one Reader at a
// time. https://streams.spec.whatwg.org/#rs-class
//
// A Stream is safe for concurrent use. Memory stays bounded by what readers
// leave unread: a Stream never buffers more than the source produced for the
// pending reads, except in the branches of Tee (see there).
type Stream struct {
	mu             sync.Mutex
	cond           sync.Cond // broadcast on enqueue, state change, pull end, release
	state          StreamState
	queue          []any // []byte chunks, or values (see Controller.EnqueueValue)
	queued         int64 // bytes of []byte chunks in queue
	closeRequested bool
	storedErr      error
	reader         *Reader
	disturbed      bool
	pulling        bool
	pushOnly       bool
	src            Source
	done           chan struct{} // made lazily; closed on leaving readable
	ctrl           Controller
	hwm            int64
	onTake         func() // called after chunks leave the queue (s.mu held)
	firstReader    Reader // the first reader GetReader hands out (saves an allocation); its s is set once handed out
}

// NewStream creates a readable stream over src and returns it with its
// controller, through which src (or anyone holding it) enqueues chunks,
// closes or errors the stream. A nil src makes a push-only stream whose
// chunks come only through the controller.
// https://streams.spec.whatwg.org/#readablestream-set-up
func NewStream(src Source) (*Stream, *Controller) {
	s := new(Stream)
	s.init(src)
	return s, &s.ctrl
}

// NewStreamBody returns a body of the given length (-1: null) whose stream
// reads src, allocated together with its stream: NewStream and a Body in
// one allocation, for bodies made often (network responses).
func NewStreamBody(src Source, length int64) *Body {
	a := new(struct {
		b Body
		s Stream
	})
	a.s.init(src)
	a.b.Stream, a.b.Length = &a.s, length
	return &a.b
}

// init sets up a new stream over src.
func (s *Stream) init(src Source) {
	s.src = src
	if src == nil {
		s.pushOnly = true
		s.src = SourceFuncs{}
	} else if f, ok := src.(SourceFuncs); ok && f.PullFunc == nil {
		s.pushOnly = true
	}
	s.cond.L = &s.mu
	s.ctrl.s = s
}

// NewReaderStream returns a stream that reads r on demand. Reads into a
// caller's buffer go straight to r (no intermediate chunk), so streaming
// through it takes constant memory. When r is an io.Closer it is closed at
// end of stream, on a read error, and on cancel (which is how a cancel
// unblocks a pending Read).
func NewReaderStream(r io.Reader) *Stream {
	s, _ := NewStream(&readerSource{r: r})
	return s
}

// NewBytesStream returns a stream of the bytes b, which it does not copy: b
// must not be modified afterwards.
func NewBytesStream(b []byte) *Stream {
	s, _ := NewStream(&segmentsSource{segs: [][]byte{b}})
	return s
}

// newSegmentsStream streams the concatenation of segs without copying them.
func newSegmentsStream(segs [][]byte) *Stream {
	s, _ := NewStream(&segmentsSource{segs: segs})
	return s
}

// A nil *Stream is the standard's null body: its methods are safe to call
// and treat it as an empty stream that has already closed (State reports
// closed, GetReader and Tee fail with a TypeError, Cancel does nothing).

// State reports whether the stream is readable, closed or errored.
func (s *Stream) State() StreamState {
	if s == nil {
		return StateClosed
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

// Err returns the stored error of an errored stream, else nil.
func (s *Stream) Err() error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.storedErr
}

// Done returns a channel that is closed when the stream leaves the readable
// state (closed or errored).
func (s *Stream) Done() <-chan struct{} {
	if s == nil {
		return closedChan
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.doneLocked()
}

// doneLocked returns the Done channel, making it on first use (closed at
// once when the stream already left the readable state). s.mu is held.
func (s *Stream) doneLocked() chan struct{} {
	if s.done == nil {
		s.done = make(chan struct{})
		if s.state != StateReadable {
			close(s.done)
		}
	}
	return s.done
}

// sourceContext is the context a stream passes to its source's Pull and
// ReadInto: never done while the stream is readable, and done (canceled)
// once it closes or errors. It is the stream itself, so it costs nothing
// until a source asks for its Done channel.
type sourceContext Stream

func (c *sourceContext) Deadline() (time.Time, bool) { return time.Time{}, false }

func (c *sourceContext) Done() <-chan struct{} { return (*Stream)(c).Done() }

func (c *sourceContext) Err() error {
	s := (*Stream)(c)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state != StateReadable {
		return context.Canceled
	}
	return nil
}

func (c *sourceContext) Value(key any) any { return nil }

// sourceCtx returns the stream's source context.
func (s *Stream) sourceCtx() context.Context { return (*sourceContext)(s) }

// Locked reports whether a reader holds the stream.
// https://streams.spec.whatwg.org/#is-readable-stream-locked
func (s *Stream) Locked() bool {
	if s == nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reader != nil
}

// Disturbed reports whether the stream has ever been read from or cancelled.
// https://streams.spec.whatwg.org/#is-readable-stream-disturbed
func (s *Stream) Disturbed() bool {
	if s == nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.disturbed
}

// GetReader locks the stream to a new reader. It fails with a TypeError when
// the stream is already locked.
// https://streams.spec.whatwg.org/#acquire-readable-stream-reader
func (s *Stream) GetReader() (*Reader, error) {
	if s == nil {
		return nil, errs.TypeErrorf("the body is null: there is no stream to read")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// 1. A locked stream cannot get a second reader.
	if s.reader != nil {
		return nil, errs.TypeErrorf("the stream is locked to a reader")
	}
	// 2. Tie a new reader to the stream.
	var r *Reader
	if s.firstReader.s == nil {
		r = &s.firstReader
		r.s = s
	} else {
		r = &Reader{s: s}
	}
	s.reader = r
	return r, nil
}

// Cancel cancels an unlocked stream: queued chunks are dropped, the stream
// closes, and the source's Cancel runs with reason. It fails with a
// TypeError when the stream is locked (cancel through its Reader then).
// https://streams.spec.whatwg.org/#rs-cancel
func (s *Stream) Cancel(reason error) error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	locked := s.reader != nil
	s.mu.Unlock()
	if locked {
		return errs.TypeErrorf("cannot cancel a locked stream")
	}
	return s.cancel(reason)
}

// Discard ends the stream from the consumer's side whether or not a reader
// holds it, releasing what its source holds (for a response body, the
// network connection). An unlocked stream is cancelled with reason (so it
// counts as disturbed); a locked one is errored with reason, or a TypeError
// when reason is nil, so its reader's pending and later reads fail, and its
// source is cancelled. A stream that already ended is left as it is.
// Discard is safe to call more than once, concurrently with reads, and on a
// nil (null) stream.
func (s *Stream) Discard(reason error) error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	if s.reader == nil {
		s.mu.Unlock()
		_ = s.cancel(reason)
		return nil
	}
	if s.state != StateReadable {
		s.mu.Unlock()
		return nil
	}
	s.disturbed = true
	err := reason
	if err == nil {
		err = errs.TypeErrorf("the body was discarded")
	}
	s.errorLocked(err)
	src := s.src
	s.mu.Unlock()
	_ = src.Cancel(reason)
	return nil
}

// closedChan is the Done channel of a nil stream.
var closedChan = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// cancel runs ReadableStreamCancel.
// https://streams.spec.whatwg.org/#readable-stream-cancel
func (s *Stream) cancel(reason error) error {
	s.mu.Lock()
	// 1. Mark the stream disturbed.
	s.disturbed = true
	switch s.state {
	case StateClosed: // 2. Nothing to do for a closed stream.
		s.mu.Unlock()
		return nil
	case StateErrored: // 3. An errored stream reports its error.
		err := s.storedErr
		s.mu.Unlock()
		return err
	}
	// 4-5. Close the stream (pending reads see the end) and drop the queue.
	s.closeLocked()
	src := s.src
	s.mu.Unlock()
	// 6. Let the source know why.
	return src.Cancel(reason)
}

// closeLocked runs ReadableStreamClose. s.mu is held.
// https://streams.spec.whatwg.org/#readable-stream-close
func (s *Stream) closeLocked() {
	if s.state != StateReadable {
		return
	}
	s.state = StateClosed
	s.queue, s.queued = nil, 0
	if s.done != nil {
		close(s.done)
	}
	s.cond.Broadcast()
}

// errorLocked runs ReadableStreamError. s.mu is held.
// https://streams.spec.whatwg.org/#readable-stream-error
func (s *Stream) errorLocked(err error) {
	if s.state != StateReadable {
		return
	}
	if err == nil {
		err = errs.TypeErrorf("stream errored")
	}
	s.state = StateErrored
	s.storedErr = err
	s.queue, s.queued = nil, 0
	if s.done != nil {
		close(s.done)
	}
	s.cond.Broadcast()
}

// readMode says what a read wants.
type readMode int

const (
	readInto  readMode = iota // bytes copied into p
	readChunk                 // one chunk as bytes
	readValue                 // one chunk as enqueued
)

// ByteChunk is a chunk value (see Controller.EnqueueValue) that readers of
// bytes can read: its Bytes method returns its content.
type ByteChunk interface{ Bytes() []byte }

// chunkBytes returns a queued chunk's bytes, or false when it has none.
func chunkBytes(v any) ([]byte, bool) {
	switch c := v.(type) {
	case []byte:
		return c, true
	case ByteChunk:
		return c.Bytes(), true
	}
	return nil, false
}

// popLocked removes the queue's head.
func (s *Stream) popLocked() {
	if b, ok := s.queue[0].([]byte); ok {
		s.queued -= int64(len(b))
	}
	s.queue[0] = nil
	s.queue = s.queue[1:]
}

// read serves one read of r: bytes into p, one chunk, or one value,
// pulling from the source when the queue is empty.
// https://streams.spec.whatwg.org/#readable-stream-default-reader-read
func (s *Stream) read(r *Reader, p []byte, mode readMode) (int, any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.released {
		return 0, nil, errs.TypeErrorf("the reader's lock was released")
	}
	// 1. Reading disturbs the stream.
	s.disturbed = true
	for {
		// A released lock fails the read; queued chunks stay for the next
		// reader.
		if r.released {
			return 0, nil, errs.TypeErrorf("the reader's lock was released")
		}
		// 2. Serve from the queue first.
		if len(s.queue) > 0 {
			n, out, err := s.takeLocked(p, mode)
			if s.onTake != nil {
				s.onTake()
			}
			if len(s.queue) == 0 {
				s.queue = nil
				// A close waiting for the queue to drain happens now.
				if s.closeRequested {
					s.closeLocked()
				}
			}
			return n, out, err
		}
		// 3. A closed stream reports the end; an errored one its error.
		switch s.state {
		case StateClosed:
			return 0, nil, io.EOF
		case StateErrored:
			return 0, nil, s.storedErr
		}
		// 4. Wait for another pull, or for a push-only source to enqueue.
		if s.pulling || s.pushOnly {
			s.cond.Wait()
			continue
		}
		// 5. Pull, without holding the lock.
		s.pulling = true
		if bs, ok := s.src.(ByteSource); ok && mode == readInto {
			s.mu.Unlock()
			n, err := bs.ReadInto(s.sourceCtx(), p)
			s.mu.Lock()
			s.pulling = false
			s.cond.Broadcast()
			if s.state != StateReadable {
				continue // cancelled or errored meanwhile: bytes are dropped
			}
			switch {
			case err == io.EOF:
				s.closeLocked()
			case err != nil:
				s.errorLocked(err)
			}
			if n > 0 {
				return n, nil, nil
			}
			continue
		}
		s.mu.Unlock()
		err := s.src.Pull(s.sourceCtx(), &s.ctrl)
		s.mu.Lock()
		s.pulling = false
		s.cond.Broadcast()
		if err != nil {
			s.errorLocked(err)
		}
	}
}

// takeLocked takes from the non-empty queue. A chunk without bytes read as
// bytes is dropped with a TypeError (the fetch reading loops' rule).
func (s *Stream) takeLocked(p []byte, mode readMode) (int, any, error) {
	head := s.queue[0]
	switch mode {
	case readValue:
		s.popLocked()
		return 0, head, nil
	case readChunk:
		s.popLocked()
		b, ok := chunkBytes(head)
		if !ok {
			return 0, nil, errs.TypeErrorf("stream chunk is %T, not bytes", head)
		}
		return len(b), b, nil
	}
	n := 0
	for len(s.queue) > 0 && n < len(p) {
		b, ok := chunkBytes(s.queue[0])
		if !ok {
			if n > 0 {
				break // report the bytes now, the bad chunk next time
			}
			bad := s.queue[0]
			s.popLocked()
			return 0, nil, errs.TypeErrorf("stream chunk is %T, not bytes", bad)
		}
		c := copy(p[n:], b)
		n += c
		if c == len(b) {
			s.popLocked()
			continue
		}
		// Keep the rest as a plain byte chunk.
		if _, plain := s.queue[0].([]byte); plain {
			s.queued -= int64(c)
		} else {
			s.queued += int64(len(b) - c)
		}
		s.queue[0] = b[c:]
	}
	return n, nil, nil
}

// Tee splits the stream into two branches that each see every chunk. It
// locks the stream. Reading one branch pulls from the stream and queues the
// chunk for the other branch too, so a branch that is read more slowly (or
// not at all) buffers what the other has read ahead: that buffer is
// unbounded, as in the spec. Read both branches (concurrently is fine) to
// keep memory bounded. Cancelling one branch stops queueing for it;
// cancelling both cancels the stream with both reasons joined. The second
// branch gets copies of []byte chunks; other values are shared.
// https://streams.spec.whatwg.org/#readable-stream-tee
func (s *Stream) Tee() (*Stream, *Stream, error) { return s.TeeClone(nil) }

// TeeClone is Tee with clone making the second branch's copy of each value
// chunk (not []byte ones, which are always copied): a binding's structured
// clone. A clone error errors both branches and cancels the stream with it.
// https://streams.spec.whatwg.org/#abstract-opdef-readablestreamdefaulttee
func (s *Stream) TeeClone(clone func(v any) (any, error)) (*Stream, *Stream, error) {
	return s.tee(clone, 0)
}

// TeeBounded is Tee with backpressure: a branch does not read ahead of the
// other by more than limit bytes (about one chunk more). Reading one branch
// blocks while the other holds limit bytes unread, until that branch is
// read, cancelled or ends, so both branches must be read concurrently (or
// the slower one cancelled); reading one to the end before starting the
// other deadlocks once limit is reached. Memory stays within limit plus a
// chunk. A limit <= 0 means no limit (Tee).
func (s *Stream) TeeBounded(limit int64) (*Stream, *Stream, error) {
	return s.tee(nil, limit)
}

// tee runs ReadableStreamTee with an optional clone and queue limit.
// https://streams.spec.whatwg.org/#readable-stream-tee
func (s *Stream) tee(clone func(v any) (any, error), limit int64) (*Stream, *Stream, error) {
	if s == nil {
		return nil, nil, errs.TypeErrorf("the body is null: there is no stream to tee")
	}
	// 1. Lock the stream to the tee's reader (TypeError when locked).
	r, err := s.GetReader()
	if err != nil {
		return nil, nil, err
	}
	t := &tee{reader: r, clone: clone, limit: limit, wake: make(chan struct{})}
	// 2-3. Create the two branches, both pulling through the tee.
	b1, c1 := NewStream(&teeBranch{t: t, i: 0})
	b2, c2 := NewStream(&teeBranch{t: t, i: 1})
	if limit > 0 {
		b1.onTake, b2.onTake = t.notify, t.notify
	}
	t.ctrls = [2]*Controller{c1, c2}
	return b1, b2, nil
}

// tee is the shared state of two tee branches.
type tee struct {
	readMu   sync.Mutex // one read of the original at a time
	mu       sync.Mutex // guards canceled, reasons and wake
	reader   *Reader
	clone    func(any) (any, error)
	limit    int64 // most bytes a branch may hold unread; 0: no limit
	ctrls    [2]*Controller
	canceled [2]bool
	reasons  [2]error
	wake     chan struct{} // closed and replaced when a branch's queue shrinks
}

// notify wakes a pull waiting for the other branch to catch up.
func (t *tee) notify() {
	t.mu.Lock()
	close(t.wake)
	t.wake = make(chan struct{})
	t.mu.Unlock()
}

// otherFull reports whether the other branch holds more than the limit
// unread, with the channel that signals a change.
func (b *teeBranch) otherFull() (<-chan struct{}, bool) {
	t := b.t
	t.mu.Lock()
	canceled, wake := t.canceled[1-b.i], t.wake
	t.mu.Unlock()
	return wake, !canceled && t.ctrls[1-b.i].over(t.limit)
}

// teeBranch is the source of one branch of a tee.
type teeBranch struct {
	t *tee
	i int
}

// Pull reads one chunk of the original and queues it for both branches
// (the pull algorithm of ReadableStreamDefaultTee).
func (b *teeBranch) Pull(ctx context.Context, c *Controller) error {
	t := b.t
	for {
		t.readMu.Lock()
		// While we waited, the other branch may have read a chunk for us.
		if c.hasQueuedOrEnded() {
			t.readMu.Unlock()
			return nil
		}
		// With a limit, wait (not holding readMu, so the other branch
		// can take what it has) until the other branch catches up.
		if t.limit > 0 {
			if wake, full := b.otherFull(); full {
				t.readMu.Unlock()
				select {
				case <-wake:
					continue
				case <-ctx.Done():
					return nil
				}
			}
		}
		break
	}
	defer t.readMu.Unlock()
	v, err := t.reader.ReadValue()
	t.mu.Lock()
	canceled := t.canceled
	t.mu.Unlock()
	// The second branch's copy.
	var v2 any
	if err == nil && !canceled[1] {
		switch x := v.(type) {
		case []byte:
			// Copied, so a consumer that modifies a chunk cannot
			// affect the other branch.
			v2 = append([]byte(nil), x...)
		default:
			v2 = v
			if t.clone != nil {
				var cerr error
				if v2, cerr = t.clone(v); cerr != nil {
					t.ctrls[0].Error(cerr)
					t.ctrls[1].Error(cerr)
					t.reader.Cancel(cerr)
					return nil
				}
			}
		}
	}
	for i, ctrl := range t.ctrls {
		if canceled[i] {
			continue
		}
		switch {
		case err == io.EOF:
			ctrl.Close()
		case err != nil:
			ctrl.Error(err)
		case i == 0:
			ctrl.EnqueueValue(v)
		default:
			ctrl.EnqueueValue(v2)
		}
	}
	return nil
}

// Cancel marks the branch cancelled, and cancels the original with both
// reasons once both branches are.
func (b *teeBranch) Cancel(reason error) error {
	t := b.t
	t.mu.Lock()
	t.canceled[b.i] = true
	t.reasons[b.i] = reason
	both := t.canceled[0] && t.canceled[1]
	reasons := t.reasons
	t.mu.Unlock()
	t.notify()
	if !both {
		return nil
	}
	return t.reader.Cancel(errors.Join(reasons[0], reasons[1]))
}

// Reader is the one reader of a locked Stream: a ReadableStreamDefaultReader
// that is also an io.ReadCloser. It is safe for concurrent use.
// https://streams.spec.whatwg.org/#default-reader-class
type Reader struct {
	s        *Stream
	released bool     // guarded by s.mu
	probe    [64]byte // for readAll's end-of-stream probe

	amu     sync.Mutex // guards pending and serving
	pending []chan ChunkResult
	serving bool
}

// Read copies up to len(p) bytes of the stream into p, pulling from the
// source when nothing is queued. It returns io.EOF at the end of the stream,
// the stream's error when it errored, and a TypeError after ReleaseLock.
func (r *Reader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	n, _, err := r.s.read(r, p, readInto)
	return n, err
}

// ReadChunk returns the next chunk of the stream as produced by its source
// (a non-empty slice the caller owns), or io.EOF at the end. A value chunk
// that is not bytes (see Controller.EnqueueValue) is dropped with a
// TypeError.
func (r *Reader) ReadChunk() ([]byte, error) {
	_, c, err := r.s.read(r, nil, readChunk)
	if c == nil {
		return nil, err
	}
	return c.([]byte), err
}

// ReadValue returns the next chunk as it was enqueued: a []byte, or any
// value given to Controller.EnqueueValue. It is for bindings whose streams
// carry values of their own (a JavaScript ReadableStream's chunks).
func (r *Reader) ReadValue() (any, error) {
	_, v, err := r.s.read(r, nil, readValue)
	return v, err
}

// ChunkResult is the outcome of ReadChunkAsync.
type ChunkResult struct {
	Chunk []byte
	Err   error
}

// ReadChunkAsync starts a ReadChunk and returns a channel that receives its
// result: the stream is disturbed at once (as by a JavaScript read() call),
// and several pending reads complete in the order they were made. A
// pending read ends when a chunk arrives, or the stream ends, is
// cancelled, or the lock is released.
func (r *Reader) ReadChunkAsync() <-chan ChunkResult {
	ch := make(chan ChunkResult, 1)
	s := r.s
	s.mu.Lock()
	if !r.released {
		s.disturbed = true
	}
	s.mu.Unlock()
	r.amu.Lock()
	r.pending = append(r.pending, ch)
	start := !r.serving
	r.serving = true
	r.amu.Unlock()
	if start {
		go r.serveAsync()
	}
	return ch
}

// serveAsync runs the pending asynchronous reads one after another.
func (r *Reader) serveAsync() {
	for {
		r.amu.Lock()
		if len(r.pending) == 0 {
			r.serving = false
			r.amu.Unlock()
			return
		}
		ch := r.pending[0]
		r.pending = r.pending[1:]
		r.amu.Unlock()
		c, err := r.ReadChunk()
		ch <- ChunkResult{Chunk: c, Err: err}
	}
}

// Cancel cancels the stream through its reader.
// https://streams.spec.whatwg.org/#generic-reader-cancel
func (r *Reader) Cancel(reason error) error {
	r.s.mu.Lock()
	released := r.released
	r.s.mu.Unlock()
	if released {
		return errs.TypeErrorf("the reader's lock was released")
	}
	return r.s.cancel(reason)
}

// ReleaseLock unlocks the stream so another reader can be got. Reads
// blocked on this reader return a TypeError.
// https://streams.spec.whatwg.org/#readable-stream-reader-generic-release
func (r *Reader) ReleaseLock() {
	s := r.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.released {
		return
	}
	r.released = true
	if s.reader == r {
		s.reader = nil
	}
	s.cond.Broadcast()
}

// WriteTo writes the rest of the stream to w (io.WriterTo, so io.Copy uses
// it): it reads in 64 KiB pieces, so a network body is read from the
// socket in large reads, with fewer system calls than io.Copy's 8 KiB
// buffer would make. It stops at the end of the stream, or at the first
// error of the stream or of w.
func (r *Reader) WriteTo(w io.Writer) (int64, error) {
	bp := copyBufPool.Get().(*[]byte)
	defer copyBufPool.Put(bp)
	buf := *bp
	var total int64
	for {
		n, err := r.Read(buf)
		if n > 0 {
			m, werr := w.Write(buf[:n])
			total += int64(m)
			if werr == nil && m < n {
				werr = io.ErrShortWrite
			}
			if werr != nil {
				return total, werr
			}
		}
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
}

// copyBufPool holds WriteTo's buffers.
var copyBufPool = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}

// Closed returns a channel closed when the stream closes or errors (the
// reader's closed promise); see Stream.Err for the error.
func (r *Reader) Closed() <-chan struct{} { return r.s.Done() }

// Close cancels the stream unless it already ended, and releases the lock:
// the io.Closer way to stop reading early.
func (r *Reader) Close() error {
	var err error
	if r.s.State() == StateReadable {
		err = r.Cancel(nil)
	}
	r.ReleaseLock()
	return err
}

// Controller lets a source (or, for push streams, any producer) feed its
// stream. https://streams.spec.whatwg.org/#rs-default-controller-class
type Controller struct {
	s *Stream
}

// Enqueue appends a chunk to the stream's queue, waking a waiting reader.
// Empty chunks are ignored. The stream keeps chunk: do not modify it
// afterwards. It fails with a TypeError once the stream is closed, errored
// or asked to close.
// https://streams.spec.whatwg.org/#readable-stream-default-controller-enqueue
func (c *Controller) Enqueue(chunk []byte) error {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closeRequested || s.state != StateReadable {
		return errs.TypeErrorf("cannot enqueue into a stream that is %s", s.stateNameLocked())
	}
	if len(chunk) == 0 {
		return nil
	}
	s.queue = append(s.queue, chunk)
	s.queued += int64(len(chunk))
	s.cond.Broadcast()
	return nil
}

// EnqueueValue appends a chunk that is any value, for bindings whose
// streams carry values of their own. Readers of bytes (Read, ReadChunk,
// and so the Body consumers) read a []byte or a ByteChunk value as bytes,
// and fail with a TypeError on any other value; ReadValue returns it as
// it is. Tee gives both branches the same value unless TeeClone is used.
func (c *Controller) EnqueueValue(v any) error {
	if b, ok := v.([]byte); ok {
		return c.Enqueue(b)
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closeRequested || s.state != StateReadable {
		return errs.TypeErrorf("cannot enqueue into a stream that is %s", s.stateNameLocked())
	}
	s.queue = append(s.queue, v)
	s.cond.Broadcast()
	return nil
}

func (s *Stream) stateNameLocked() string {
	if s.state == StateReadable && s.closeRequested {
		return "closing"
	}
	return s.state.String()
}

// Close closes the stream once its queued chunks are read. It fails with a
// TypeError when the stream is already closed, errored or closing.
// https://streams.spec.whatwg.org/#readable-stream-default-controller-close
func (c *Controller) Close() error {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closeRequested || s.state != StateReadable {
		return errs.TypeErrorf("cannot close a stream that is %s", s.stateNameLocked())
	}
	s.closeRequested = true
	if len(s.queue) == 0 {
		s.closeLocked()
	}
	s.cond.Broadcast()
	return nil
}

// Error errors the stream with err: queued chunks are dropped and every
// read reports err. It does nothing when the stream already ended.
// https://streams.spec.whatwg.org/#readable-stream-default-controller-error
func (c *Controller) Error(err error) {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	s.errorLocked(err)
}

// DesiredSize is the high-water mark (0: pull only on demand) minus the
// queued byte count; 0 once closed, and reported as 0 when errored.
// https://streams.spec.whatwg.org/#readable-stream-default-controller-get-desired-size
func (c *Controller) DesiredSize() int64 {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state != StateReadable {
		return 0
	}
	return s.hwm - s.queued
}

// over reports whether the stream is readable and holds more than limit
// bytes unread.
func (c *Controller) over(limit int64) bool {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state == StateReadable && s.queued > limit
}

// hasQueuedOrEnded reports whether the stream has chunks waiting or has
// stopped accepting them.
func (c *Controller) hasQueuedOrEnded() bool {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue) > 0 || s.closeRequested || s.state != StateReadable
}

// readerSource adapts an io.Reader.
type readerSource struct {
	r      io.Reader
	mu     sync.Mutex
	closed bool
}

const chunkSize = 32 << 10

func (rs *readerSource) ReadInto(ctx context.Context, p []byte) (int, error) {
	n, err := rs.r.Read(p)
	if err != nil {
		rs.close()
	}
	return n, err
}

func (rs *readerSource) Pull(ctx context.Context, c *Controller) error {
	buf := make([]byte, chunkSize)
	n, err := rs.ReadInto(ctx, buf)
	if n > 0 {
		c.Enqueue(buf[:n:n])
	}
	if err == io.EOF {
		c.Close()
		return nil
	}
	return err
}

func (rs *readerSource) Cancel(reason error) error {
	// A stream read through another stream's Reader passes the reason on.
	if r, ok := rs.r.(*Reader); ok {
		rs.mu.Lock()
		done := rs.closed
		rs.closed = true
		rs.mu.Unlock()
		if done {
			return nil
		}
		err := r.Cancel(reason)
		r.ReleaseLock()
		return err
	}
	rs.close()
	return nil
}

func (rs *readerSource) close() {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.closed {
		return
	}
	rs.closed = true
	if c, ok := rs.r.(io.Closer); ok {
		c.Close()
	}
}

// segmentsSource streams a list of byte slices without copying them into
// one; it reports io.EOF with the last bytes so the stream closes as soon as
// everything was read.
type segmentsSource struct {
	mu   sync.Mutex
	segs [][]byte
}

func (ss *segmentsSource) ReadInto(ctx context.Context, p []byte) (int, error) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	n := 0
	for n < len(p) && len(ss.segs) > 0 {
		c := copy(p[n:], ss.segs[0])
		n += c
		if c == len(ss.segs[0]) {
			ss.segs[0] = nil
			ss.segs = ss.segs[1:]
		} else {
			ss.segs[0] = ss.segs[0][c:]
		}
	}
	for len(ss.segs) > 0 && len(ss.segs[0]) == 0 {
		ss.segs = ss.segs[1:]
	}
	if len(ss.segs) == 0 {
		return n, io.EOF
	}
	return n, nil
}

func (ss *segmentsSource) Pull(ctx context.Context, c *Controller) error {
	ss.mu.Lock()
	for len(ss.segs) > 0 && len(ss.segs[0]) == 0 {
		ss.segs = ss.segs[1:]
	}
	if len(ss.segs) == 0 {
		ss.mu.Unlock()
		c.Close()
		return nil
	}
	seg := ss.segs[0]
	if len(seg) > 4*chunkSize {
		seg = seg[:4*chunkSize]
	}
	ss.segs[0] = ss.segs[0][len(seg):]
	ss.mu.Unlock()
	// Chunks are copies: the segments may be a body's source or a Blob's
	// bytes, which a consumer must not be able to change.
	return c.Enqueue(append([]byte(nil), seg...))
}

func (ss *segmentsSource) Cancel(reason error) error {
	ss.mu.Lock()
	ss.segs = nil
	ss.mu.Unlock()
	return nil
}
