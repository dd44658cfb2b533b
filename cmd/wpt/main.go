// Command wpt runs the Web Platform Tests for fetch against wfetch.
//
//	go run ./cmd/wpt -root <WPT dir> [-wptreport out.json] [-expect wpt/expectations.json] [paths...]
//
// The runner is being built under issue 6; this command currently only
// reports that.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "wpt: the WPT runner is not built yet (issue 6)")
	os.Exit(2)
}
