package wpt

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func strp(s string) *string { return &s }

func TestExpectationsUpdate(t *testing.T) {
	rep := &Report{Results: []Result{
		{Test: "/a.any.html", Status: OK, Subtests: []Subtest{
			{Name: "passes", Status: PASS},
			{Name: "fails", Status: FAIL, Message: strp("assert_true: expected true got false")},
			{Name: "needs XHR", Status: FAIL, Message: strp("XMLHttpRequest is not defined")},
		}},
		{Test: "/b.any.html", Status: TIMEOUT, Subtests: []Subtest{{Name: "slow", Status: TIMEOUT, Message: strp("Test timed out")}}},
		{Test: "/c.any.html", Status: ERROR, Message: strp("boom")},
		{Test: "/fixed.any.html", Status: OK, Subtests: []Subtest{{Name: "x", Status: PASS}}},
		{Test: "/flaky-passes.any.html", Status: OK, Subtests: []Subtest{{Name: "x", Status: PASS}}},
		{Test: "/flaky-fails.any.html", Status: OK, Subtests: []Subtest{{Name: "x", Status: FAIL}}},
	}}
	old := Expectations{
		"/a.any.html":     {"fails": "known bug #12"},
		"/c.any.html":     {WholeFile: "broken test"},
		"/fixed.any.html": {"x": "was failing"},
		"/other.any.html": {"y": "not run this time"},
		// "*" is dropped for a file that passes, kept for one that fails.
		"/flaky-passes.any.html": {WholeFile: "flaky"},
		"/flaky-fails.any.html":  {WholeFile: "flaky"},
	}
	if diff := cmp.Diff([]string{"/flaky-passes.any.html"}, old.Stale(rep)); diff != "" {
		t.Errorf("Stale (-want +got)\n%s", diff)
	}
	got := old.Update(rep)
	want := Expectations{
		"/a.any.html":           {"fails": "known bug #12", "needs XHR": "XMLHttpRequest is not implemented"},
		"/b.any.html":           {HarnessKey: "TIMEOUT: (no message)", "slow": "TIMEOUT: Test timed out"},
		"/c.any.html":           {WholeFile: "broken test"},
		"/other.any.html":       {"y": "not run this time"},
		"/flaky-fails.any.html": {WholeFile: "flaky"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Update (-want +got)\n%s", diff)
	}
	if u := got.Compare(rep); len(u) != 0 {
		t.Errorf("Compare after Update: %v", u)
	}
	if u := old.Compare(rep); len(u) != 4 {
		// needs XHR, b harness, b slow, fixed x passes.
		t.Errorf("Compare with old expectations: got %d unexpected, want 4: %v", len(u), u)
	}
}

func TestAliasPorts(t *testing.T) {
	aliases := map[int]int{41234: 8000, 41235: 8443}
	got := aliasPorts(aliases, "http://web-platform.test:41234/x and https://www1.web-platform.test:41235/ but :412345 and :99")
	want := "http://web-platform.test:8000/x and https://www1.web-platform.test:8443/ but :412345 and :99"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
