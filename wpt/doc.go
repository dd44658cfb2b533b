// Package wpt runs the Web Platform Tests for fetch (the .any.js files,
// unmodified) in pure Go: a JavaScript host on goja, a Go emulation of the
// wptserve handlers the tests call, and a runner that reports results.
package wpt
