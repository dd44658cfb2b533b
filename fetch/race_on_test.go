//go:build race

package fetch

// raceEnabled reports whether the tests run under the race detector.
const raceEnabled = true
