package wpt

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"
	"time"
)

// Report is the outcome of a run.
type Report struct {
	Results    []Result
	Skipped    []Skip
	Start, End time.Time
}

// Counts are the totals for a group of results.
type Counts struct {
	Files, Passed, Failed, TimedOut int
	// Skipped counts .any.js files that cannot run here; NotRun counts the
	// test files of kinds the runner does not run (Skip.Kind), and
	// NotRunByKind splits them by kind.
	Skipped, NotRun int
	NotRunByKind    map[string]int
	// HarnessErrors counts files whose harness status was not OK (each
	// also counts as one failure).
	HarnessErrors int
}

func (c *Counts) add(r Result) {
	c.Files++
	if r.Status != OK {
		c.HarnessErrors++
		c.Failed++
	}
	for _, s := range r.Subtests {
		switch s.Status {
		case PASS:
			c.Passed++
		case TIMEOUT, NOTRUN:
			c.TimedOut++
			c.Failed++
		default:
			c.Failed++
		}
	}
}

// Totals counts all results. Failed includes timed-out subtests and files
// whose harness status was not OK.
func (r *Report) Totals() Counts {
	var c Counts
	for _, res := range r.Results {
		c.add(res)
	}
	for _, s := range r.Skipped {
		c.skip(s)
	}
	return c
}

func (c *Counts) skip(s Skip) {
	if s.Kind == "" {
		c.Skipped++
		return
	}
	c.NotRun++
	if c.NotRunByKind == nil {
		c.NotRunByKind = map[string]int{}
	}
	c.NotRunByKind[s.Kind]++
}

// ByDir counts results per directory.
func (r *Report) ByDir() map[string]*Counts {
	m := map[string]*Counts{}
	get := func(name string) *Counts {
		d := strings.TrimPrefix(path.Dir(name), "/")
		if m[d] == nil {
			m[d] = &Counts{}
		}
		return m[d]
	}
	for _, res := range r.Results {
		get(res.Test).add(res)
	}
	for _, s := range r.Skipped {
		get(s.Name).skip(s)
	}
	return m
}

// WriteTable prints one line per directory (files run, subtests passed,
// failed, timed out, harness errors, skipped .any.js files, test files not
// run), then a line counting the files not run by kind ("not run: 97
// .window.js, 1 .worker.js, 493 .html files; only .any.js files run"), then
// "N passed, M failed".
func (r *Report) WriteTable(w io.Writer) {
	dirs := r.ByDir()
	names := make([]string, 0, len(dirs))
	width := len("directory")
	for d := range dirs {
		names = append(names, d)
		width = max(width, len(d))
	}
	sort.Strings(names)
	fmt.Fprintf(w, "%-*s %6s %7s %7s %10s %15s %8s %8s\n", width, "directory", "files", "passed", "failed", "timed out", "harness errors", "skipped", "not run")
	for _, d := range names {
		c := dirs[d]
		fmt.Fprintf(w, "%-*s %6d %7d %7d %10d %15d %8d %8d\n", width, d, c.Files, c.Passed, c.Failed, c.TimedOut, c.HarnessErrors, c.Skipped, c.NotRun)
	}
	t := r.Totals()
	if t.NotRun > 0 {
		var parts []string
		for _, k := range NotRunKinds {
			parts = append(parts, fmt.Sprintf("%d %s", t.NotRunByKind[k], k))
		}
		fmt.Fprintf(w, "not run: %s files; only .any.js files run\n", strings.Join(parts, ", "))
	}
	fmt.Fprintf(w, "%d passed, %d failed\n", t.Passed, t.Failed)
}

// WriteFailures lists every non-passing subtest and harness status, one
// line each.
func (r *Report) WriteFailures(w io.Writer) {
	for _, res := range r.Results {
		if res.Status != OK {
			fmt.Fprintf(w, "%s: harness %s: %s\n", res.Test, res.Status, oneLine(res.Message))
		}
		for _, s := range res.Subtests {
			if s.Status != PASS {
				fmt.Fprintf(w, "%s: %s: %s: %s\n", res.Test, s.Name, s.Status, oneLine(s.Message))
			}
		}
	}
}

// wptReport is the wptreport JSON document.
type wptReport struct {
	Results   []Result       `json:"results"`
	RunInfo   map[string]any `json:"run_info"`
	TimeStart int64          `json:"time_start"`
	TimeEnd   int64          `json:"time_end"`
}

// WriteWPTReport writes the results as wptreport JSON; skipped files get
// status SKIP with the reason as message.
func (r *Report) WriteWPTReport(w io.Writer) error {
	doc := wptReport{
		Results:   append([]Result(nil), r.Results...),
		RunInfo:   map[string]any{"product": "wfetch", "browser_version": "go", "os": "linux"},
		TimeStart: r.Start.UnixMilli(),
		TimeEnd:   r.End.UnixMilli(),
	}
	for _, s := range r.Skipped {
		msg := s.Reason
		doc.Results = append(doc.Results, Result{Test: s.Name, Status: SKIP, Message: &msg, Subtests: []Subtest{}})
	}
	sort.Slice(doc.Results, func(i, j int) bool { return doc.Results[i].Test < doc.Results[j].Test })
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(doc)
}

// WriteWPTReportFile writes the wptreport JSON to a file.
func (r *Report) WriteWPTReportFile(name string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := r.WriteWPTReport(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func oneLine(s *string) string {
	if s == nil {
		return "(no message)"
	}
	m := strings.Join(strings.Fields(*s), " ")
	if len(m) > 200 {
		m = m[:200] + "…"
	}
	return m
}
