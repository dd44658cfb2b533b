package server

import (
	"strings"
	"sync"

	"github.com/wfetch/wfetch/internal/ascii"
)

// stash is wptserve's Stash: values shared across requests, each stored
// under a (path, key) pair and read once (take removes it).
type stash struct {
	mu sync.Mutex
	m  map[[2]string]any
}

func newStash() *stash { return &stash{m: map[[2]string]any{}} }

// stashKey is wptserve's _wrap_key: the path defaults to the request's
// path and gets a leading "/"; a UUID key is normalised to its 32 hex
// digits (wptserve rejects non-UUID keys; this one takes them as they are).
func stashKey(r *request, key, path string) [2]string {
	if path == "" {
		path = r.Path
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	return [2]string{path, normUUID(key)}
}

func normUUID(key string) string {
	k := strings.TrimSpace(key)
	k = strings.TrimPrefix(strings.TrimPrefix(k, "urn:"), "uuid:")
	k = strings.TrimSuffix(strings.TrimPrefix(k, "{"), "}")
	k = strings.ReplaceAll(k, "-", "")
	if len(k) != 32 {
		return key
	}
	for i := 0; i < len(k); i++ {
		if !ascii.IsHex(k[i]) {
			return key
		}
	}
	return strings.ToLower(k)
}

// put stores value; a key already present is an error, as in wptserve.
func (s *stash) put(r *request, key string, value any, path string) {
	k := stashKey(r, key, path)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[k]; ok {
		raise("StashError: tried to overwrite existing shared stash value for key %s (path %s)", key, k[0])
	}
	s.m[k] = value
}

// take removes and returns the value, or nil.
func (s *stash) take(r *request, key string, path string) any {
	k := stashKey(r, key, path)
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[k]
	if !ok {
		return nil
	}
	delete(s.m, k)
	return v
}

// update runs fn under the stash lock (request.server.stash.lock) with
// take/put semantics: fn gets the current value (nil if none) and returns
// the value to keep (nil removes it).
func (s *stash) update(r *request, key, path string, fn func(old any) any) {
	k := stashKey(r, key, path)
	s.mu.Lock()
	defer s.mu.Unlock()
	v := fn(s.m[k])
	if v == nil {
		delete(s.m, k)
		return
	}
	s.m[k] = v
}
