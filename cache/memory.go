package cache

import (
	"bytes"
	"container/list"
	"context"
	"strconv"
	"sync"
)

// Memory is a Store in process memory, bounded by the bytes of stored
// bodies and headers; the least recently used buckets are evicted first.
// It is the default Store of New.
type Memory struct {
	mu       sync.Mutex
	maxBytes int64
	size     int64
	entries  int
	lru      list.List // of *memBucket, front: most recently used
	buckets  map[string]*memBucket
	bodies   map[string][]byte
	next     uint64
}

type memBucket struct {
	name    string
	entries []*Entry // replaced, never changed in place
	size    int64
	elem    *list.Element
}

// NewMemory returns an empty Memory store holding up to maxBytes of
// bodies and headers (DefaultMaxBytes when maxBytes <= 0).
func NewMemory(maxBytes int64) *Memory {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	m := &Memory{maxBytes: maxBytes, buckets: map[string]*memBucket{}, bodies: map[string][]byte{}}
	m.lru.Init()
	return m
}

// Get implements Store.
func (m *Memory) Get(_ context.Context, bucket string) ([]*Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b := m.buckets[bucket]
	if b == nil {
		return nil, nil
	}
	m.lru.MoveToFront(b.elem)
	return b.entries, nil
}

// Update implements Store.
func (m *Memory) Update(_ context.Context, bucket string, update func([]*Entry) []*Entry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	b := m.buckets[bucket]
	var old []*Entry
	if b != nil {
		old = b.entries
	}
	next := update(old)
	for _, e := range next {
		e.derive() // before other goroutines can see it
		if e.mem == nil && e.Body != "" {
			// The entry holds its bytes: a response being read keeps them
			// after the entry is replaced or evicted.
			e.mem = m.bodies[e.Body]
		}
	}
	m.dropBodiesLocked(old, next)
	if b != nil {
		m.removeLocked(b)
	}
	if len(next) == 0 {
		return nil
	}
	b = &memBucket{name: bucket, entries: next}
	for _, e := range next {
		b.size += e.size()
	}
	b.elem = m.lru.PushFront(b)
	m.buckets[bucket] = b
	m.size += b.size
	m.entries += len(next)
	for m.size > m.maxBytes && m.lru.Len() > 0 {
		victim := m.lru.Back().Value.(*memBucket)
		m.dropBodiesLocked(victim.entries, nil)
		m.removeLocked(victim)
	}
	return nil
}

// removeLocked unlinks a bucket (its bodies are the caller's business).
func (m *Memory) removeLocked(b *memBucket) {
	m.lru.Remove(b.elem)
	delete(m.buckets, b.name)
	m.size -= b.size
	m.entries -= len(b.entries)
}

// dropBodiesLocked deletes the bodies of old that no entry of next names.
func (m *Memory) dropBodiesLocked(old, next []*Entry) {
	for _, o := range old {
		kept := false
		for _, n := range next {
			kept = kept || n.Body == o.Body
		}
		if !kept {
			delete(m.bodies, o.Body)
		}
	}
}

// NewBody implements Store: the body is buffered (up to the store's
// capacity).
func (m *Memory) NewBody(context.Context) (BodyWriter, error) {
	return &memWriter{m: m}, nil
}

type memWriter struct {
	m   *Memory
	buf []byte
	err error
}

func (w *memWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	if int64(len(w.buf)+len(p)) > w.m.maxBytes {
		w.err, w.buf = ErrTooLarge, nil
		return 0, w.err
	}
	w.buf = append(w.buf, p...)
	return len(p), nil
}

func (w *memWriter) Commit() (string, error) {
	if w.err != nil {
		return "", w.err
	}
	w.m.mu.Lock()
	defer w.m.mu.Unlock()
	w.m.next++
	id := strconv.FormatUint(w.m.next, 10)
	w.m.bodies[id] = w.buf
	w.buf, w.err = nil, ErrTooLarge // one commit
	return id, nil
}

func (w *memWriter) Abort() { w.buf, w.err = nil, ErrTooLarge }

// OpenBody implements Store.
func (m *Memory) OpenBody(_ context.Context, e *Entry) (Body, error) {
	if e.mem != nil {
		return memBody{bytes.NewReader(e.mem)}, nil
	}
	m.mu.Lock()
	b, ok := m.bodies[e.Body]
	m.mu.Unlock()
	if !ok {
		return nil, ErrNoBody
	}
	return memBody{bytes.NewReader(b)}, nil
}

// DeleteBody implements Store.
func (m *Memory) DeleteBody(_ context.Context, name string) error {
	m.mu.Lock()
	delete(m.bodies, name)
	m.mu.Unlock()
	return nil
}

type memBody struct{ *bytes.Reader }

func (memBody) Close() error { return nil }

// Len returns the number of stored entries.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.entries
}

// Size returns the bytes the stored entries take (bodies and headers).
func (m *Memory) Size() int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.size
}

// Clear drops every entry.
func (m *Memory) Clear() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.lru.Init()
	m.buckets = map[string]*memBucket{}
	m.bodies = map[string][]byte{}
	m.size, m.entries = 0, 0
}
