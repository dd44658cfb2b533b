package wpt

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wfetch/wfetch/wpt/server"
)

// TestRunnerSelfTest runs the runner over testdata/root, a tiny tree with
// our own testharness-style harness.
func TestRunnerSelfTest(t *testing.T) {
	rep, err := Run(context.Background(), Config{Root: "testdata/root", Timeout: 3 * time.Second, LongTimeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	type sub struct{ Name, Status string }
	got := map[string][]sub{}
	status := map[string]string{}
	for _, r := range rep.Results {
		status[r.Test] = r.Status
		for _, s := range r.Subtests {
			got[r.Test] = append(got[r.Test], sub{s.Name, s.Status})
		}
	}
	wantStatus := map[string]string{
		"/sample/basic.any.html": OK,
		"/sample/hang.any.html":  TIMEOUT,
		// An unhandled rejection after all-synchronous subtests: a
		// browser's harness, waiting for load, reports ERROR.
		"/sample/late-rejection.any.html": ERROR,
		"/sample/throws.any.html":         ERROR,
		"/sample/variants.any.html?a":     OK,
		"/sample/variants.any.html?b":     OK,
	}
	if diff := cmp.Diff(wantStatus, status); diff != "" {
		t.Errorf("harness statuses (-want +got)\n%s", diff)
	}
	want := map[string][]sub{
		"/sample/basic.any.html": {
			{"META script is loaded", PASS},
			{"location is the .any.html URL", PASS},
			{"a failing subtest", FAIL},
			{"promise_test waits for timers", PASS},
			{"async_test with step_timeout-like timer", PASS},
			{"globals are there", PASS},
		},
		"/sample/hang.any.html":           {{"never settles", TIMEOUT}, {"passes before the hang", PASS}},
		"/sample/late-rejection.any.html": {{"synchronous", PASS}},
		"/sample/throws.any.html":         {{"first", PASS}},
		"/sample/variants.any.html?a":     {{"variant ?a", PASS}},
		"/sample/variants.any.html?b":     {{"variant ?b", PASS}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("subtests (-want +got)\n%s", diff)
	}
	type skip struct{ Name, Kind string }
	var skipped []skip
	for _, s := range rep.Skipped {
		skipped = append(skipped, skip{s.Name, s.Kind})
	}
	wantSkipped := []skip{
		{"/sample/worker.any.html", ""},
		{"/sample/x.h2.any.html", ""},
		// Not run (only .any.js files are); resources/frame.html is not a test.
		{"/sample/doc.html", NotRunHTML},
		{"/sample/legacy.htm", NotRunHTML},
		{"/sample/only.worker.html", NotRunWorker},
		{"/sample/page.window.html", NotRunWindow},
	}
	if diff := cmp.Diff(wantSkipped, skipped); diff != "" {
		t.Errorf("skipped (-want +got)\n%s", diff)
	}

	var table bytes.Buffer
	rep.WriteTable(&table)
	wantTail := "not run: 1 .window.js, 1 .worker.js, 2 .html files; only .any.js files run\n10 passed, 5 failed\n"
	if !strings.HasSuffix(table.String(), wantTail) {
		t.Errorf("table does not end with\n%s\ngot:\n%s", wantTail, table.String())
	}
	if !strings.Contains(table.String(), "sample         6      10       5          1               3        2        4\n") {
		t.Errorf("table row for sample: got\n%s", table.String())
	}

	var buf bytes.Buffer
	if err := rep.WriteWPTReport(&buf); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Results []struct {
			Test     string  `json:"test"`
			Status   string  `json:"status"`
			Message  *string `json:"message"`
			Subtests []struct {
				Name    string  `json:"name"`
				Status  string  `json:"status"`
				Message *string `json:"message"`
			} `json:"subtests"`
		} `json:"results"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Results) != 12 || doc.Results[0].Test != "/sample/basic.any.html" || doc.Results[0].Subtests[0].Status != PASS || doc.Results[0].Subtests[0].Message != nil {
		t.Errorf("unexpected wptreport: %s", buf.String())
	}

	// Expectations generated from this run match it; a changed result does not.
	exp := Expectations{}.Update(rep)
	if u := exp.Compare(rep); len(u) != 0 {
		t.Errorf("fresh expectations report %v", u)
	}
	if _, ok := exp["/sample/basic.any.html"]["a failing subtest"]; !ok {
		t.Errorf("expectations miss the failing subtest: %v", exp)
	}
	delete(exp, "/sample/throws.any.html")
	exp["/sample/variants.any.html?a"] = map[string]string{"variant ?a": "reason"}
	var whys []string
	for _, u := range exp.Compare(rep) {
		whys = append(whys, u.Test+" "+u.Subtest+" "+u.Got)
	}
	wantWhys := []string{"/sample/throws.any.html  ERROR", "/sample/variants.any.html?a variant ?a PASS"}
	if diff := cmp.Diff(wantWhys, whys); diff != "" {
		t.Errorf("Compare (-want +got)\n%s", diff)
	}
}

func TestParseMeta(t *testing.T) {
	src := "// META: title=T\n// META: global=window,worker\n// META: script=/common/utils.js\n// META: script=../resources/utils.js\n// META: timeout=long\n// META: variant=?1-8\n\n// a comment\n'use strict';\n// META: script=ignored.js\n"
	want := Meta{Title: "T", Scripts: []string{"/common/utils.js", "../resources/utils.js"}, Timeout: "long",
		Globals: []string{"window", "worker"}, Variants: []string{"?1-8"}}
	if diff := cmp.Diff(want, ParseMeta([]byte(src))); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

// TestWPT runs the runner over the real WPT tree when WPT_ROOT is set and
// compares with expectations.json.
func TestWPT(t *testing.T) {
	root := os.Getenv("WPT_ROOT")
	if root == "" {
		t.Skip("WPT_ROOT is not set: skipping the WPT run (set it to a WPT checkout, e.g. WPT_ROOT=/work/wpt/test/fixtures/wpt)")
	}
	srv, err := server.Start(server.Config{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	exp, err := LoadExpectations("expectations.json")
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Root: root, Paths: ExpectationPaths}
	if raceEnabled {
		// The race detector makes scripts several times slower.
		cfg.Timeout, cfg.LongTimeout = 50*time.Second, 300*time.Second
	}
	UseServer(&cfg, srv)
	rep, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	var table bytes.Buffer
	rep.WriteTable(&table)
	t.Log("\n" + table.String())
	for _, u := range exp.Compare(rep) {
		t.Errorf("UNEXPECTED %s", u)
	}
}
