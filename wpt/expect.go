package wpt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

// WholeFile is the subtest key that marks a whole test file as expected
// not to pass: its harness status and all its subtests may fail.
const WholeFile = "*"

// HarnessKey is the subtest key for an expected harness status other than
// OK (ERROR, TIMEOUT) while the subtests are still compared one by one.
const HarnessKey = "(harness)"

// Expectations lists every known failure: test name → subtest name →
// one-line reason. The file is JSON of the same shape:
//
//	{"/fetch/api/x.any.html": {"subtest name": "reason", "*": "whole file"}}
type Expectations map[string]map[string]string

// LoadExpectations reads an expectations file.
func LoadExpectations(name string) (Expectations, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var e Expectations
	if err := json.Unmarshal(b, &e); err != nil {
		return nil, fmt.Errorf("wpt: %s: %w", name, err)
	}
	return e, nil
}

// Save writes the expectations as sorted, indented JSON.
func (e Expectations) Save(name string) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(e); err != nil { // maps encode with sorted keys
		return err
	}
	return os.WriteFile(name, buf.Bytes(), 0o644)
}

// Unexpected is a result that differs from the expectations.
type Unexpected struct {
	Test, Subtest string
	Got           string // the status seen
	Why           string // "unexpected failure: ..." or "unexpected pass (remove from expectations)"
}

func (u Unexpected) String() string {
	if u.Subtest == "" {
		return fmt.Sprintf("%s: %s", u.Test, u.Why)
	}
	return fmt.Sprintf("%s: %q: %s", u.Test, u.Subtest, u.Why)
}

// Compare lists results that the expectations do not predict: failures not
// listed, and listed subtests that now pass.
func (e Expectations) Compare(rep *Report) []Unexpected {
	var out []Unexpected
	for _, res := range rep.Results {
		exp := e[res.Test]
		if _, ok := exp[WholeFile]; ok {
			continue
		}
		if res.Status != OK {
			if _, ok := exp[HarnessKey]; !ok {
				out = append(out, Unexpected{res.Test, "", res.Status, "unexpected harness " + res.Status + ": " + oneLine(res.Message)})
			}
		} else if _, ok := exp[HarnessKey]; ok {
			out = append(out, Unexpected{res.Test, "", res.Status, "harness now OK (remove " + HarnessKey + " from expectations)"})
		}
		for _, s := range res.Subtests {
			_, listed := exp[s.Name]
			switch {
			case s.Status != PASS && !listed:
				out = append(out, Unexpected{res.Test, s.Name, s.Status, "unexpected " + s.Status + ": " + oneLine(s.Message)})
			case s.Status == PASS && listed:
				out = append(out, Unexpected{res.Test, s.Name, s.Status, "unexpected pass (remove it from expectations)"})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Test != out[j].Test {
			return out[i].Test < out[j].Test
		}
		return out[i].Subtest < out[j].Subtest
	})
	return out
}

// Stale lists the tests of rep that pass entirely (harness OK, every
// subtest PASS) although e marks them "*": their entry hides results, and
// Update drops it.
func (e Expectations) Stale(rep *Report) []string {
	var out []string
	for _, res := range rep.Results {
		if _, ok := e[res.Test][WholeFile]; ok && passes(res) {
			out = append(out, res.Test)
		}
	}
	sort.Strings(out)
	return out
}

// passes reports whether a result has harness status OK and only passing
// subtests.
func passes(res Result) bool {
	if res.Status != OK {
		return false
	}
	for _, s := range res.Subtests {
		if s.Status != PASS {
			return false
		}
	}
	return true
}

// Update returns expectations for the tests in rep (replacing what e said
// about them, keeping e's reasons where a failure is unchanged) plus e's
// entries for tests rep did not run. A "*" entry is kept for a test that
// still does not pass and dropped for one that passes.
func (e Expectations) Update(rep *Report) Expectations {
	out := Expectations{}
	for k, v := range e {
		out[k] = v
	}
	for _, res := range rep.Results {
		old := e[res.Test]
		m := map[string]string{}
		reason := func(key, status string, msg *string) string {
			if r, ok := old[key]; ok {
				return r
			}
			return Reason(status, msg)
		}
		if res.Status != OK {
			m[HarnessKey] = reason(HarnessKey, res.Status, res.Message)
		}
		for _, s := range res.Subtests {
			if s.Status != PASS {
				m[s.Name] = reason(s.Name, s.Status, s.Message)
			}
		}
		if w, ok := old[WholeFile]; ok && len(m) > 0 {
			// A "*" entry stays while the file does not pass; a file
			// that passes loses it, so that it is compared again.
			m = map[string]string{WholeFile: w}
		}
		if len(m) == 0 {
			delete(out, res.Test)
		} else {
			out[res.Test] = m
		}
	}
	return out
}

// ExpectationPaths are the WPT folders that expectations.json covers, that
// go test runs when WPT_ROOT is set, and that cmd/wpt runs by default.
var ExpectationPaths = []string{"fetch", "mimesniff", "xhr"}

// knownCauses map a failure message fragment to the reason written into
// expectations for it: the host features the tests need that wfetch's
// runner does not provide.
var knownCauses = []struct{ fragment, reason string }{
	{"document is not defined", "needs a DOM document (iframes, window events): the goja host has none"},
	{"XMLHttpRequest is not defined", "XMLHttpRequest is not implemented"},
	{"caches is not defined", "the Cache API (caches) is not implemented"},
	{"Worker is not defined", "workers are not implemented"},
	{"Float16Array is not defined", "goja has no Float16Array"},
	{"WebSocket is not defined", "WebSocket is not implemented"},
	{"EventSource is not defined", "EventSource is not implemented"},
	{"navigator is not defined", "navigator is not implemented"},
}

// Reason is the one-line reason recorded for a failure: a known cause, or
// the status and the first 200 characters of the message.
func Reason(status string, msg *string) string {
	if msg != nil {
		for _, k := range knownCauses {
			if strings.Contains(*msg, k.fragment) {
				return k.reason
			}
		}
	}
	return status + ": " + oneLine(msg)
}
