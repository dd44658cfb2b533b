// Command wpt runs the Web Platform Tests for fetch against wfetch.
//
//	go run ./cmd/wpt -root <WPT dir> [-wptreport out.json] [-expect wpt/expectations.json] [-update-expect] [paths...]
//
// It runs the .any.js tests under the given paths (folders or files
// relative to the root; default: fetch, mimesniff and xhr) in window scope, each in
// its own JavaScript runtime, against an emulated wptserve, and prints a
// table per directory and a final "N passed, M failed" line. With -expect
// it exits 1 when a result differs from the expectations file; with
// -update-expect it rewrites that file from this run's results.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"time"

	"github.com/wfetch/wfetch/wpt"
	"github.com/wfetch/wfetch/wpt/server"
)

func main() {
	os.Exit(run())
}

func run() int {
	root := flag.String("root", os.Getenv("WPT_ROOT"), "WPT checkout (default $WPT_ROOT)")
	report := flag.String("wptreport", "", "write wptreport JSON to this file")
	expect := flag.String("expect", "", "expectations file to compare against (exit 1 on unexpected results)")
	update := flag.Bool("update-expect", false, "rewrite the -expect file from this run's results")
	jobs := flag.Int("j", 0, "files to run in parallel (default GOMAXPROCS)")
	verbose := flag.Bool("v", false, "list every failing subtest")
	timeout := flag.Duration("timeout", 10*time.Second, "per-file timeout")
	long := flag.Duration("long-timeout", 60*time.Second, "per-file timeout for META: timeout=long")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: wpt -root <WPT dir> [-wptreport out.json] [-expect file [-update-expect]] [paths...]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *root == "" {
		flag.Usage()
		return 2
	}
	if !*verbose {
		// net/http logs protocol oddities that some tests provoke on purpose.
		log.SetOutput(io.Discard)
	}
	if *update && *expect == "" {
		fmt.Fprintln(os.Stderr, "wpt: -update-expect needs -expect <file>")
		return 2
	}
	srv, err := server.Start(server.Config{Root: *root})
	if err != nil {
		fmt.Fprintln(os.Stderr, "wpt: starting the test server:", err)
		return 1
	}
	defer srv.Close()
	paths := flag.Args()
	if len(paths) == 0 {
		paths = wpt.ExpectationPaths
	}
	cfg := wpt.Config{
		Root:        *root,
		Paths:       paths,
		Jobs:        *jobs,
		Timeout:     *timeout,
		LongTimeout: *long,
	}
	wpt.UseServer(&cfg, srv)
	rep, err := wpt.Run(context.Background(), cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if *verbose {
		rep.WriteFailures(os.Stdout)
		for _, s := range rep.Skipped {
			fmt.Printf("%s: skipped: %s\n", s.Name, s.Reason)
		}
	}
	rep.WriteTable(os.Stdout)
	if *report != "" {
		if err := rep.WriteWPTReportFile(*report); err != nil {
			fmt.Fprintln(os.Stderr, "wpt:", err)
			return 1
		}
	}
	if *expect == "" {
		return 0
	}
	exp, err := wpt.LoadExpectations(*expect)
	if err != nil && !(*update && os.IsNotExist(err)) {
		fmt.Fprintln(os.Stderr, "wpt:", err)
		return 1
	}
	if *update {
		if err := exp.Update(rep).Save(*expect); err != nil {
			fmt.Fprintln(os.Stderr, "wpt:", err)
			return 1
		}
		fmt.Printf("wrote %s\n", *expect)
		return 0
	}
	for _, t := range exp.Stale(rep) {
		fmt.Printf("STALE %s: passes, but is marked %q (-update-expect drops the entry)\n", t, wpt.WholeFile)
	}
	unexpected := exp.Compare(rep)
	for _, u := range unexpected {
		fmt.Println("UNEXPECTED", u)
	}
	if len(unexpected) > 0 {
		fmt.Printf("%d unexpected results (see %s)\n", len(unexpected), strings.TrimSpace(*expect))
		return 1
	}
	fmt.Println("all results as expected")
	return 0
}
