package wpt

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Meta holds the "// META:" lines at the top of a test file.
// https://web-platform-tests.org/writing-tests/testharness.html#tests-for-other-or-multiple-globals-any-js
type Meta struct {
	Title    string
	Scripts  []string // as written: relative to the test file or absolute from the root
	Timeout  string   // "long" or ""
	Globals  []string // the global= list; empty means the default "window,dedicatedworker"
	Variants []string // each "?..." or "#..." variant
}

// ParseMeta reads the META lines of a test file's source.
func ParseMeta(src []byte) Meta {
	var m Meta
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		rest, ok := strings.CutPrefix(line, "// META:")
		if !ok {
			if strings.HasPrefix(line, "//") {
				continue
			}
			break
		}
		key, val, ok := strings.Cut(strings.TrimSpace(rest), "=")
		if !ok {
			continue
		}
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		switch key {
		case "title":
			m.Title = val
		case "script":
			m.Scripts = append(m.Scripts, val)
		case "timeout":
			m.Timeout = val
		case "global":
			for _, g := range strings.Split(val, ",") {
				if g = strings.TrimSpace(g); g != "" {
					m.Globals = append(m.Globals, g)
				}
			}
		case "variant":
			m.Variants = append(m.Variants, val)
		}
	}
	return m
}

// windowScope reports whether the globals list includes a window test
// (wptserve's rules: "window" or the default; "!window" excludes it).
func (m Meta) windowScope() bool {
	if len(m.Globals) == 0 {
		return true
	}
	win := false
	for _, g := range m.Globals {
		switch g {
		case "window", "default":
			win = true
		case "!window":
			return false
		}
	}
	return win
}

// Test is one test to run: a .any.js file in window scope, with one of its
// variants.
type Test struct {
	File    string // path of the .any.js file from the root, with a leading "/"
	Name    string // the test URL path: /dir/x.any.html plus the variant
	Variant string
	Meta    Meta
}

// Long reports whether the test asked for the long timeout.
func (t Test) Long() bool { return t.Meta.Timeout == "long" }

// Skip is a test file the runner does not run, and why.
type Skip struct {
	Name   string // the test URL path (a .window.js file is /dir/x.window.html)
	Reason string
	// Kind is "" for an .any.js file that cannot run here, or the kind of
	// test file the runner never runs: NotRunWindow, NotRunWorker or
	// NotRunHTML.
	Kind string
}

// The kinds of test files the runner does not run (Skip.Kind): only .any.js
// files run, in window scope.
const (
	NotRunWindow = ".window.js" // window-only tests; most need a document
	NotRunWorker = ".worker.js" // dedicated-worker-only tests
	NotRunHTML   = ".html"      // HTML test pages (.html, .htm, .xhtml)
)

// NotRunKinds lists the kinds in the order the summary prints them.
var NotRunKinds = []string{NotRunWindow, NotRunWorker, NotRunHTML}

// notRunKind returns the kind of a test file the runner does not run, or ""
// for any other file.
func notRunKind(name string) string {
	switch {
	case strings.HasSuffix(name, ".any.js"):
		return ""
	case strings.HasSuffix(name, ".window.js"):
		return NotRunWindow
	case strings.HasSuffix(name, ".worker.js"):
		return NotRunWorker
	case strings.HasSuffix(name, ".html"), strings.HasSuffix(name, ".htm"), strings.HasSuffix(name, ".xhtml"):
		return NotRunHTML
	}
	return ""
}

// notRunSkip describes a file of a kind the runner does not run.
func notRunSkip(file, kind string) Skip {
	name := file
	if kind != NotRunHTML {
		name = strings.TrimSuffix(file, ".js") + ".html"
	}
	return Skip{Name: name, Reason: "not run: only .any.js files are (" + kind + " file)", Kind: kind}
}

// Discover finds the .any.js tests under the given paths (files or folders
// relative to root; none means the whole root) and the ones it skips,
// including the test files of kinds it does not run (.window.js, .worker.js,
// HTML pages), so that a report shows the scope.
func Discover(root string, paths []string) ([]Test, []Skip, error) {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	seen := map[string]bool{}
	var files []string
	var notRun []Skip
	for _, p := range paths {
		p = strings.TrimPrefix(filepath.ToSlash(p), "/")
		full := filepath.Join(root, filepath.FromSlash(p))
		st, err := os.Stat(full)
		if err != nil {
			return nil, nil, fmt.Errorf("wpt: %s: %w", p, err)
		}
		if !st.IsDir() {
			rel := path.Clean("/" + p)
			if !seen[rel] {
				seen[rel] = true
				files = append(files, rel)
			}
			continue
		}
		err = filepath.WalkDir(full, func(fp string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if n := d.Name(); fp != full && (n == "resources" || n == "support" || strings.HasPrefix(n, ".")) {
					return filepath.SkipDir
				}
				return nil
			}
			kind := notRunKind(d.Name())
			if kind == "" && !strings.HasSuffix(d.Name(), ".any.js") {
				return nil
			}
			rel, err := filepath.Rel(root, fp)
			if err != nil {
				return err
			}
			rel = "/" + filepath.ToSlash(rel)
			if seen[rel] {
				return nil
			}
			seen[rel] = true
			if kind != "" {
				notRun = append(notRun, notRunSkip(rel, kind))
			} else {
				files = append(files, rel)
			}
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("wpt: %w", err)
		}
	}
	sort.Strings(files)
	var tests []Test
	var skips []Skip
	for _, f := range files {
		src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		if err != nil {
			return nil, nil, fmt.Errorf("wpt: %w", err)
		}
		meta := ParseMeta(src)
		base := strings.TrimSuffix(f, ".js") + ".html"
		if !strings.HasSuffix(f, ".any.js") {
			if kind := notRunKind(f); kind != "" {
				skips = append(skips, notRunSkip(f, kind))
			} else {
				skips = append(skips, Skip{Name: f, Reason: "only .any.js files are run"})
			}
			continue
		}
		if reason := skipReason(root, f, meta); reason != "" {
			skips = append(skips, Skip{Name: base, Reason: reason})
			continue
		}
		variants := meta.Variants
		if len(variants) == 0 {
			variants = []string{""}
		}
		for _, v := range variants {
			tests = append(tests, Test{File: f, Name: base + v, Variant: v, Meta: meta})
		}
	}
	sort.Slice(notRun, func(i, j int) bool { return notRun[i].Name < notRun[j].Name })
	return tests, append(skips, notRun...), nil
}

// skipReason says why a test file cannot run here, or "".
func skipReason(root, file string, m Meta) string {
	name := path.Base(file)
	switch {
	case strings.Contains(name, ".h2."):
		return "needs HTTP/2 (.h2. test)"
	case !m.windowScope():
		return "worker-only test (global=" + strings.Join(m.Globals, ",") + ")"
	}
	for _, s := range m.Scripts {
		p := resolveScript(file, s)
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(p))); err != nil {
			return "META script " + p + " is not in the WPT tree"
		}
	}
	return ""
}

// resolveScript resolves a META script path against the test file.
func resolveScript(file, script string) string {
	script, _, _ = strings.Cut(script, "?")
	if strings.HasPrefix(script, "/") {
		return path.Clean(script)
	}
	return path.Join(path.Dir(file), script)
}
