//go:build race

package wpt

// raceEnabled slows everything down; TestWPT gives tests more time.
const raceEnabled = true
