package fetch

import (
	"crypto/rand"
	"fmt"
	"sync"

	"github.com/wfetch/wfetch/body"
	"github.com/wfetch/wfetch/weburl"
)

// BlobStore is a blob URL store: it maps blob: URLs to the blobs registered
// with CreateObjectURL, so that fetching the URL yields the blob.
// https://w3c.github.io/FileAPI/#BlobURLStore
//
// A BlobStore is safe for concurrent use.
type BlobStore struct {
	mu      sync.RWMutex
	entries map[string]*body.Blob
}

// NewBlobStore returns an empty store.
func NewBlobStore() *BlobStore { return &BlobStore{entries: map[string]*body.Blob{}} }

// CreateObjectURL registers blob and returns its new blob URL, "blob:"
// followed by origin ("null" when empty) "/" and a random UUID.
// https://w3c.github.io/FileAPI/#dfn-createObjectURL
func (s *BlobStore) CreateObjectURL(blob *body.Blob, origin string) string {
	if origin == "" {
		origin = "null"
	}
	u := "blob:" + origin + "/" + newUUID()
	s.mu.Lock()
	s.entries[u] = blob
	s.mu.Unlock()
	return u
}

// RevokeObjectURL removes the entry for url, if any. Fetching url afterwards
// is a network error. https://w3c.github.io/FileAPI/#dfn-revokeObjectURL
func (s *BlobStore) RevokeObjectURL(url string) {
	u, err := weburl.Parse(url, nil)
	if err != nil || u.Scheme() != "blob" {
		return
	}
	s.mu.Lock()
	delete(s.entries, u.Serialize(true))
	s.mu.Unlock()
}

// Resolve returns the blob registered for u (fragment ignored), or nil.
// https://w3c.github.io/FileAPI/#blob-url-resolve
func (s *BlobStore) Resolve(u *weburl.URL) *body.Blob {
	if s == nil || u == nil || u.Scheme() != "blob" {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.entries[u.Serialize(true)]
}

// CreateObjectURL registers blob in the client's blob store with the
// client's origin and returns its blob: URL.
func (c *Client) CreateObjectURL(blob *body.Blob) string {
	return c.blobs.CreateObjectURL(blob, c.Origin())
}

// RevokeObjectURL removes url from the client's blob store.
func (c *Client) RevokeObjectURL(url string) { c.blobs.RevokeObjectURL(url) }

// newUUID returns a random (version 4) UUID in its lowercase string form.
// https://wicg.github.io/uuid/#generate-a-random-uuid
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
