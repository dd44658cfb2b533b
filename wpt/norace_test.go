//go:build !race

package wpt

const raceEnabled = false
