package cache

import (
	"context"
	"errors"
	"io"
)

// Store is where a Cache keeps its entries and their bodies. The Cache
// holds the HTTP caching logic (RFC 9111); a Store only keeps what it is
// given. Three are provided: NewMemory (the default, bounded LRU), NewDisk
// (a directory shared by goroutines and processes) and NewRedis (a Redis
// server shared by a fleet).
//
// Entries live in buckets: the Cache puts every entry for one URL (all
// methods, partitions, credentials flags and variants) in the bucket
// named by the URL, and the entries with a No-Vary-Search header in a
// bucket named by the URL without its query, so that invalidating a URL
// touches one bucket and a lookup reads one or two.
//
// A Store is safe for concurrent use. Its errors are not fatal to a fetch:
// the Cache treats them as a miss or as not storing (see WithErrorHandler).
type Store interface {
	// Get returns the entries in a bucket (nil when there are none). The
	// caller must not change them.
	Get(ctx context.Context, bucket string) ([]*Entry, error)
	// Update replaces a bucket's entries by update(current) atomically:
	// racing updates of one bucket are serialized, none is lost. update
	// may be called more than once (a Store may retry) and must not keep
	// or change its argument. Bodies that no remaining entry names are
	// deleted, but stay readable through entries already returned for a
	// grace of a few minutes (a served response opens its body on its first
	// read). An empty result deletes the bucket.
	Update(ctx context.Context, bucket string, update func([]*Entry) []*Entry) error
	// NewBody starts writing a body. The body is kept only if Commit
	// succeeds and an Update then stores an entry naming it.
	NewBody(ctx context.Context) (BodyWriter, error)
	// OpenBody opens the body an entry names (ErrNoBody when it is gone).
	OpenBody(ctx context.Context, e *Entry) (Body, error)
	// DeleteBody drops a committed body that no entry names (one the Cache
	// decided not to store after all).
	DeleteBody(ctx context.Context, name string) error
}

// BodyWriter writes one body to a Store.
type BodyWriter interface {
	// Write appends to the body. It fails with ErrTooLarge when the body
	// exceeds what the Store keeps.
	io.Writer
	// Commit finishes the body and returns its name, for Entry.Body.
	Commit() (string, error)
	// Abort drops the body.
	Abort()
}

// Body is a stored body, read at any offset. Close releases it.
type Body interface {
	io.ReaderAt
	io.Closer
}

// ErrTooLarge is the error of a BodyWriter whose body exceeds what its
// Store keeps (the response is then not stored).
var ErrTooLarge = errors.New("cache: body larger than the store keeps")

// ErrNoBody is the error of OpenBody when the body is gone (evicted, or
// expired).
var ErrNoBody = errors.New("cache: stored body not found")

// maxPerBucket caps the entries in one bucket (the oldest go first): a
// URL with many partitions or variants must not grow a bucket without
// bound.
const maxPerBucket = 64
