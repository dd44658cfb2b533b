//go:build !unix

package cache

import "sync"

// lockFiles are the process-local locks standing in for flock(2) where
// there is none: updates are serialized within this process only.
var lockFiles sync.Map // path → *sync.Mutex

func lockFile(path string) (func(), error) {
	m, _ := lockFiles.LoadOrStore(path, new(sync.Mutex))
	mu := m.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock, nil
}
