package abort

import "weak"

// link joins a dependent signal to one of its source signals. The source's
// dependents list and the dependent's sources list share it. The source
// holds the dependent weakly, as the spec says; strong holds it while it is
// kept (see updateKeepLocked). The dependent holds its source strongly
// (the spec says weakly): a source that a timer or context holds only
// weakly must live as long as a dependent that can still observe it.
type link struct {
	src    *Signal
	dep    weak.Pointer[Signal]
	strong *Signal // written under the dependent's lock only
}

// minPrune is the smallest dependents list that gets pruned.
const minPrune = 64

// Any returns a signal that aborts as soon as any of signals does, with that
// signal's reason. If one of them is already aborted, the result is returned
// aborted with the reason of the first such signal. nil entries are skipped
// (a nil *Signal never aborts).
//
// The result depends directly on the signals that can abort on their own:
// passing a signal made by Any depends on that signal's sources instead, so
// chains of Any never grow. Sources hold their dependents weakly: a result
// nobody holds and nobody waits for (no callbacks, no Done channel) is
// garbage collected and dropped from its sources' lists as they grow, so
// calling Any repeatedly with a long-lived signal does not grow that
// signal's memory without bound. A result with callbacks or a Done channel
// is held by its sources until it aborts, so its callbacks run even if
// nobody else holds it.
//
// https://dom.spec.whatwg.org/#dom-abortsignal-any
func Any(signals ...*Signal) *Signal {
	return createDependentAbortSignal(signals)
}

// createDependentAbortSignal builds a signal that follows signals.
//
// https://dom.spec.whatwg.org/#create-a-dependent-abort-signal
func createDependentAbortSignal(signals []*Signal) *Signal {
	// 1. The result. Nobody else sees it until it is returned, so its own
	// fields are set without its lock.
	result := new(Signal)
	// 2. An already aborted input gives an already aborted result.
	for _, s := range signals {
		if r := s.Reason(); r != nil {
			result.setReasonLocked(r)
			return result
		}
	}
	// 3. Mark it dependent.
	result.dependent = true
	// 4. Link it to each signal that is not dependent, and to the sources of
	// each that is. Concurrently with this, a signal may abort after the
	// check in step 2; then the link is refused and the result takes that
	// reason, as if step 2 had seen it. Once linked, the result is visible
	// to an aborting source, so from here on it is locked. Locks nest only
	// as dependent, then source (or input dependent), never the other way.
	result.mu.Lock()
	defer result.mu.Unlock()
	self := weak.Make(result)
	var seen map[*Signal]bool
	if len(signals) > 8 {
		seen = make(map[*Signal]bool)
	}
	addSource := func(src *Signal) bool {
		if seen != nil {
			if seen[src] {
				return true
			}
			seen[src] = true
		} else {
			for _, l := range result.sources {
				if l.src == src {
					return true
				}
			}
		}
		l := &link{src: src, dep: self}
		if r := src.addDependent(l); r != nil {
			result.setReasonLocked(r)
			return false
		}
		result.sources = append(result.sources, l)
		return true
	}
	for _, s := range signals {
		if s == nil {
			continue
		}
		s.mu.Lock()
		dependent, reason := s.dependent, s.reason
		sources := make([]*Signal, 0, len(s.sources))
		for _, l := range s.sources {
			sources = append(sources, l.src)
		}
		s.mu.Unlock()
		if reason != nil {
			result.setReasonLocked(reason)
			return result
		}
		// 4.1. A signal that aborts on its own is a source.
		if !dependent {
			if !addSource(s) {
				return result
			}
			continue
		}
		// 4.2. A dependent one contributes its sources (4.2.1: which are
		// neither aborted nor dependent; a source that aborted since is
		// caught by addSource).
		for _, src := range sources {
			if !addSource(src) {
				return result
			}
		}
	}
	// 5.
	return result
}

// addDependent appends l to s's dependent signals. If s is aborted it does
// not, and returns the reason instead. Now and then it drops the entries of
// dependents that are aborted or garbage collected, so the list stays
// proportional to the dependents that are alive.
func (s *Signal) addDependent(l *link) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.reason != nil {
		return s.reason
	}
	if len(s.dependents) >= max(s.pruneAt, minPrune) {
		s.pruneDependentsLocked()
		s.pruneAt = 2 * len(s.dependents)
	}
	s.dependents = append(s.dependents, l)
	return nil
}

// pruneDependentsLocked drops dependents that are gone or aborted, keeping
// the order of the rest.
func (s *Signal) pruneDependentsLocked() {
	kept := s.dependents[:0]
	for _, l := range s.dependents {
		if d := l.dep.Value(); d != nil && !d.aborted.Load() {
			kept = append(kept, l)
		}
	}
	clear(s.dependents[len(kept):])
	s.dependents = kept
}

// dependentCount returns the length of s's dependents list (for tests).
func (s *Signal) dependentCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.dependents)
}
