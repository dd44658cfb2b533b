package wpt

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dop251/goja"

	"github.com/wfetch/wfetch/js"
	"github.com/wfetch/wfetch/wpt/server"
)

// Config configures a run.
type Config struct {
	Root  string   // the WPT checkout
	Paths []string // files or folders under Root; none means all of it
	Jobs  int      // files run in parallel; 0 means GOMAXPROCS
	// Timeout and LongTimeout bound one file (defaults 10 s and 60 s,
	// the latter for META: timeout=long).
	Timeout, LongTimeout time.Duration
	// Host is the origin tests pretend to run at (default
	// http://web-platform.test:8000) unless a Server is given.
	Host string
	// HTTPSHost is the origin of .https. tests (default: Host with https).
	HTTPSHost string
	// Substitute, if set, applies wptserve's {{...}} substitution to .sub.
	// scripts (the test server's Substitute).
	Substitute func(string) string
	// Setup, if set, runs on each new Runtime before the test's script, to
	// install bindings that need the test server (fetch).
	Setup func(rt *js.Runtime, t Test)
	// PortAliases renames ports in subtest names and messages (actual →
	// canonical), so that names that embed the test server's kernel-picked
	// ports read as with wptserve's defaults (8000, 8001, 8443, 8444) and
	// stay the same from run to run.
	PortAliases map[int]int
	// Log, if set, receives console output and uncaught errors.
	Log io.Writer

	server *server.Server
}

// Status values, as in wptreport.
const (
	OK                 = "OK"
	ERROR              = "ERROR"
	TIMEOUT            = "TIMEOUT"
	PRECONDITIONFAILED = "PRECONDITION_FAILED"
	SKIP               = "SKIP"
	PASS               = "PASS"
	FAIL               = "FAIL"
	NOTRUN             = "NOTRUN"
)

var subtestStatus = []string{PASS, FAIL, TIMEOUT, NOTRUN, PRECONDITIONFAILED}
var harnessStatus = []string{OK, ERROR, TIMEOUT, PRECONDITIONFAILED}

// Result is the outcome of one test file (one variant), shaped like a
// wptreport result.
type Result struct {
	Test     string    `json:"test"`
	Status   string    `json:"status"`
	Message  *string   `json:"message"`
	Subtests []Subtest `json:"subtests"`
	Duration int64     `json:"duration"` // milliseconds
}

// Subtest is one subtest's outcome.
type Subtest struct {
	Name    string  `json:"name"`
	Status  string  `json:"status"`
	Message *string `json:"message"`
}

// Run discovers and runs the tests, in parallel, and returns the report.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	tests, skips, err := Discover(cfg.Root, cfg.Paths)
	if err != nil {
		return nil, err
	}
	jobs := cfg.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	rep := &Report{Skipped: skips, Start: time.Now()}
	results := make([]Result, len(tests))
	var wg sync.WaitGroup
	sem := make(chan struct{}, jobs)
	for i, t := range tests {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[i] = RunTest(ctx, cfg, t)
		}()
	}
	wg.Wait()
	rep.Results = results
	rep.End = time.Now()
	return rep, nil
}

// reporterJS is our testharnessreport: it hands the results to Go when the
// harness completes, but no earlier than a browser's harness would.
//
// Without a document, testharness.js uses its shell environment, which
// counts the page as loaded right after the scripts' microtasks: a file
// whose subtests are all synchronous completes there, before the task that
// reports the unhandled rejections of those microtasks. With a document (a
// browser) the harness waits for "load" and then a task, so an error or an
// unhandled rejection reported until then makes its status ERROR
// (testharness.js's own "error" and "unhandledrejection" listeners set it,
// on the same status object, even after completion). The reporter therefore
// holds an OK result until a task after "load", and reads the status then.
// __wpt_flush reports a held result at once (the runner calls it when the
// loop ended before that point).
const reporterJS = `
(function () {
	var loaded = false, held = null;
	function flush() {
		if (held !== null) { var f = held; held = null; f(); }
	}
	self.__wpt_flush = flush;
	addEventListener("load", function () {
		setTimeout(function () { loaded = true; flush(); }, 0);
	});
	add_completion_callback(function (tests, status) {
		held = function () {
			__wpt_done(tests.map(function (t) {
				return {name: String(t.name), status: t.status, message: t.message == null ? null : String(t.message)};
			}), {status: status.status, message: status.message == null ? null : String(status.message)});
		};
		if (loaded || status.status !== 0) flush();
	});
})();
`

// RunTest runs one test file in its own Runtime.
func RunTest(ctx context.Context, cfg Config, t Test) Result {
	start := time.Now()
	res := runTest(ctx, cfg, t)
	if len(cfg.PortAliases) > 0 {
		res.Message = aliasPortsPtr(cfg.PortAliases, res.Message)
		for i := range res.Subtests {
			res.Subtests[i].Name = aliasPorts(cfg.PortAliases, res.Subtests[i].Name)
			res.Subtests[i].Message = aliasPortsPtr(cfg.PortAliases, res.Subtests[i].Message)
		}
	}
	res.Test = t.Name
	res.Duration = time.Since(start).Milliseconds()
	return res
}

func errResult(status, format string, args ...any) Result {
	msg := fmt.Sprintf(format, args...)
	return Result{Status: status, Message: &msg, Subtests: []Subtest{}}
}

func runTest(ctx context.Context, cfg Config, t Test) Result {
	host := cfg.Host
	if host == "" {
		host = "http://web-platform.test:8000"
	}
	if strings.Contains(path.Base(t.File), ".https.") {
		if cfg.HTTPSHost != "" {
			host = cfg.HTTPSHost
		} else {
			host = "https" + strings.TrimPrefix(host, "http")
		}
	}
	scripts, err := buildScripts(cfg, t)
	if err != nil {
		return errResult(ERROR, "%v", err)
	}
	logw := cfg.Log
	if logw == nil {
		logw = io.Discard
	}
	rt := js.New(js.WithLocation(host+t.Name), js.WithConsole(logw), js.WithErrorReporter(func(msg string) {
		fmt.Fprintf(logw, "%s: %s\n", t.Name, msg)
	}))
	defer rt.Close()
	if cfg.Setup != nil {
		cfg.Setup(rt, t)
	}
	var got *Result
	rt.VM().Set("__wpt_done", func(fc goja.FunctionCall) goja.Value {
		got = collect(fc.Argument(0), fc.Argument(1))
		rt.Stop()
		return goja.Undefined()
	})
	limit := cfg.Timeout
	if limit == 0 {
		limit = 10 * time.Second
	}
	if t.Long() {
		limit = cfg.LongTimeout
		if limit == 0 {
			limit = 60 * time.Second
		}
	}
	tctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	done := make(chan struct{})
	var runErr error
	go func() {
		// The script itself may spin forever; Run interrupts it via tctx.
		defer close(done)
		if err := rt.RunScripts(scripts...); err != nil {
			runErr = err
			return
		}
		if got != nil {
			return
		}
		// The page has loaded.
		rt.Post(func() { rt.Dispatch(rt.VM().GlobalObject(), "load", false, nil) })
		runErr = rt.Run(tctx)
	}()
	select {
	case <-done:
	case <-tctx.Done():
		rt.VM().Interrupt(tctx.Err())
		if !waitFor(done, 2*time.Second) {
			// Script is blocked in Go (a synchronous XHR, say): end the
			// Runtime's network work, and give up on it if that is not
			// enough, so that one test never stalls the run.
			rt.Close()
			if !waitFor(done, 2*time.Second) {
				return errResult(TIMEOUT, "the test did not finish within %v and could not be stopped", limit)
			}
		}
	}
	if got != nil {
		return *got
	}
	// The harness did not finish: by timeout, by the loop going idle, or by
	// an interrupted script. Ask it to time out, and give it a moment.
	rt.VM().ClearInterrupt()
	gctx, gcancel := context.WithTimeout(ctx, 2*time.Second)
	defer gcancel()
	rt.Post(func() {
		if f := rt.VM().Get("__wpt_flush"); f != nil && rt.IsCallable(f) {
			rt.Call(f, goja.Undefined())
		}
		if got != nil {
			return
		}
		if f := rt.VM().Get("timeout"); f != nil && rt.IsCallable(f) {
			rt.Call(f, goja.Undefined())
		}
	})
	_ = rt.Run(gctx)
	if got != nil {
		if got.Status == OK && runErr == nil && tctx.Err() == nil {
			// The loop ran out of work with tests still pending: they
			// could never finish, which a browser reports as a timeout.
			got.Status = TIMEOUT
		}
		return *got
	}
	if runErr != nil && !errors.Is(runErr, context.DeadlineExceeded) {
		return errResult(ERROR, "%v", runErr)
	}
	return errResult(TIMEOUT, "the test did not finish within %v", limit)
}

var portRE = regexp.MustCompile(`:\d{2,5}\b`)

// aliasPorts replaces ":<port>" for the ports in aliases.
func aliasPorts(aliases map[int]int, s string) string {
	return portRE.ReplaceAllStringFunc(s, func(m string) string {
		n, err := strconv.Atoi(m[1:])
		if err != nil {
			return m
		}
		if c, ok := aliases[n]; ok {
			return ":" + strconv.Itoa(c)
		}
		return m
	})
}

func aliasPortsPtr(aliases map[int]int, s *string) *string {
	if s == nil {
		return nil
	}
	v := aliasPorts(aliases, *s)
	return &v
}

func waitFor(ch <-chan struct{}, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ch:
		return true
	case <-t.C:
		return false
	}
}

// collect converts the reporter's arguments: the tests (name, status,
// message) and the harness status.
func collect(testsV, statusV goja.Value) *Result {
	res := &Result{Status: ERROR, Subtests: []Subtest{}}
	if st, ok := statusV.(*goja.Object); ok {
		res.Status = harnessStatus[clamp(int(st.Get("status").ToInteger()), len(harnessStatus))]
		res.Message = optString(st.Get("message"))
	}
	arr, ok := testsV.(*goja.Object)
	if !ok {
		return res
	}
	n := int(arr.Get("length").ToInteger())
	for i := 0; i < n; i++ {
		t, ok := arr.Get(strconv.Itoa(i)).(*goja.Object)
		if !ok {
			continue
		}
		s := subtestStatus[clamp(int(t.Get("status").ToInteger()), len(subtestStatus))]
		msg := optString(t.Get("message"))
		if s == NOTRUN && res.Status == TIMEOUT {
			// Tests still pending when the harness timed out.
			s = TIMEOUT
			m := "Test timed out"
			msg = &m
		}
		res.Subtests = append(res.Subtests, Subtest{Name: t.Get("name").String(), Status: s, Message: msg})
	}
	return res
}

func optString(v goja.Value) *string {
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return nil
	}
	s := v.String()
	return &s
}

func clamp(i, n int) int {
	if i < 0 || i >= n {
		return n - 1
	}
	return i
}

// buildScripts lists the prelude, testharness.js, our reporter, the META
// scripts and the test. They run as one task (js.Runtime.RunScripts): with
// a microtask checkpoint between them, the harness would see "all loaded"
// before the test file ran.
func buildScripts(cfg Config, t Test) ([]js.Script, error) {
	var pre strings.Builder
	pre.WriteString("self.GLOBAL = {isWindow: function () { return true; }, isWorker: function () { return false; }, isShadowRealm: function () { return false; }};\n")
	if t.Meta.Title != "" {
		fmt.Fprintf(&pre, "self.META_TITLE = %q;\n", t.Meta.Title)
	}
	scripts := []js.Script{{Name: "prelude.js", Source: pre.String()}}
	add := func(p string) error {
		src, err := os.ReadFile(filepath.Join(cfg.Root, filepath.FromSlash(p)))
		if err != nil {
			return fmt.Errorf("reading %s: %w", p, err)
		}
		s := string(src)
		if strings.Contains(path.Base(p), ".sub.") && cfg.Substitute != nil {
			s = cfg.Substitute(s)
		}
		scripts = append(scripts, js.Script{Name: p, Source: s})
		return nil
	}
	if err := add("/resources/testharness.js"); err != nil {
		return nil, err
	}
	scripts = append(scripts, js.Script{Name: "testharnessreport.js", Source: reporterJS})
	for _, s := range t.Meta.Scripts {
		if err := add(resolveScript(t.File, s)); err != nil {
			return nil, err
		}
	}
	if err := add(t.File); err != nil {
		return nil, err
	}
	return scripts, nil
}
