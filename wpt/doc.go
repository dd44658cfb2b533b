// Package wpt runs the Web Platform Tests for fetch (the .any.js files,
// unmodified) in pure Go: a JavaScript host on goja (package js), a Go
// emulation of the wptserve handlers the tests call (package wpt/server),
// and a runner that reports results.
//
// # Running
//
//	go run ./cmd/wpt -root <WPT dir> [-wptreport out.json] [-expect wpt/expectations.json] [paths...]
//	WPT_ROOT=<WPT dir> go test ./wpt/...
//
// Each .any.js file runs in window scope as /dir/name.any.html (one run per
// META: variant), in a fresh js.Runtime whose location is
// http://web-platform.test:<port>/dir/name.any.html on the test server.
// The runner loads resources/testharness.js, a small reporter of its own
// (in place of testharnessreport.js), the META: script= includes and the
// test file as scripts of one task (js.Runtime.RunScripts): goja would
// otherwise run pending promise jobs between scripts, and testharness.js's
// shell environment would see "all loaded" before the test had run.
//
// No leniency for the missing document: testharness.js's shell environment
// completes right after the scripts' microtasks, before an unhandled
// rejection of theirs is reported, where a browser's harness waits for
// "load" and then a task and reports ERROR. The reporter therefore reads the
// harness status only a task after "load" (see reporterJS), so such a file
// is a harness ERROR here too.
//
// Files run in parallel, each with a timeout (10 s, or 60 s for META:
// timeout=long). When a file's time is up, or its event loop runs out of
// work while tests are still pending, the runner calls testharness's
// timeout() and reports the harness status TIMEOUT; subtests left NOTRUN by
// a timed-out harness are reported as TIMEOUT.
//
// Skipped, with the reason in the report: .h2. files (HTTP/2), files whose
// META: global= excludes window (worker-only), and files whose META scripts
// are not in the tree. Not run at all, but counted (and listed as SKIP in
// wptreport JSON) so that the report shows the scope: .window.js and
// .worker.js tests and HTML test pages (.html, .htm, .xhtml), outside
// resources/ and support/ folders.
//
// # Results
//
// The table has one line per directory (files, subtests passed, failed and
// timed out, harness errors, skipped .any.js files, files not run), then
// "not run: A .window.js, B .worker.js, C .html files; only .any.js files
// run", and ends with "N passed, M failed", where failed counts every subtest that did not pass plus every
// file whose harness status was not OK. -wptreport writes the standard
// wptreport JSON.
//
// # Expectations
//
// expectations.json lists every known failure with a one-line reason:
//
//	{"/fetch/api/basic/x.any.html": {"subtest name": "reason", "(harness)": "reason", "*": "whole file"}}
//
// "(harness)" expects a harness status other than OK; "*" expects the whole
// file not to pass. -expect compares a run with the file and exits 1 on any
// unexpected result: a failure not listed, or a listed subtest that now
// passes. A "*" file is not compared, so "*" is only for files whose
// results vary from run to run; a "*" file that passes entirely is printed
// as STALE, and -update-expect rewrites the file from the run, keeping the
// reasons already written for failures that did not change and dropping
// "*" entries of files that pass.
package wpt
