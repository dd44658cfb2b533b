// Command wfetch fetches a URL with WHATWG Fetch semantics (package fetch)
// and writes the response body to standard output.
//
//	wfetch [-X method] [-H 'Name: value']... [-d body] [-i] [-o file]
//	       [-origin URL] [-redirect follow|error|manual] [-timeout d] URL
//
// Examples:
//
//	go run ./cmd/wfetch data:,hello
//	wfetch -i https://example.com/
//	wfetch -X POST -H 'Content-Type: application/json' -d '{"a":1}' http://127.0.0.1:8080/api
//
// -d @file sends the contents of file. With -i the status line and the
// response headers are printed before the body. A network error (or any
// other failure) is reported on standard error and the exit status is 1.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/wfetch/wfetch/fetch"
	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/request"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "wfetch:", err)
		}
		os.Exit(1)
	}
}

// headerFlags collects repeated -H values.
type headerFlags []string

func (h *headerFlags) String() string     { return strings.Join(*h, ", ") }
func (h *headerFlags) Set(v string) error { *h = append(*h, v); return nil }

// run is the whole command, testable: args without the program name.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("wfetch", flag.ContinueOnError)
	fs.SetOutput(stderr)
	method := fs.String("X", "", "request method (default GET, or POST with -d)")
	var hdrs headerFlags
	fs.Var(&hdrs, "H", "request header 'Name: value' (repeatable)")
	data := fs.String("d", "", "request body; @file reads it from file")
	include := fs.Bool("i", false, "print the status line and response headers")
	output := fs.String("o", "", "write the body to this file instead of standard output")
	origin := fs.String("origin", "", "fetch as a document of this origin (browser semantics: CORS, Origin header)")
	redirect := fs.String("redirect", "follow", "redirect mode: follow, error or manual")
	timeout := fs.Duration("timeout", 0, "abort the whole fetch after this long (0: no limit)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: wfetch [-X method] [-H 'Name: value']... [-d body] [-i] [-o file] [-origin URL] [-redirect mode] [-timeout d] URL")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("exactly one URL is needed")
	}
	target := fs.Arg(0)

	var opts []fetch.Option
	if *origin != "" {
		opts = append(opts, fetch.WithOrigin(*origin))
	}
	client := fetch.NewClient(opts...)
	defer client.CloseIdleConnections()

	init := &request.Init{}
	hl := headers.Pairs{}
	for _, h := range hdrs {
		name, value, ok := strings.Cut(h, ":")
		if !ok {
			return fmt.Errorf("bad header %q: want 'Name: value'", h)
		}
		hl = append(hl, []string{strings.TrimSpace(name), strings.TrimSpace(value)})
	}
	if len(hl) > 0 {
		init.Headers = hl
	}
	flagSet := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { flagSet[f.Name] = true })
	if flagSet["d"] {
		var b []byte
		if name, ok := strings.CutPrefix(*data, "@"); ok {
			var err error
			if b, err = os.ReadFile(name); err != nil {
				return err
			}
		} else {
			b = []byte(*data)
		}
		init.Body = b
		if *method == "" {
			*method = "POST"
		}
	}
	if *method != "" {
		init.Method = method
	}
	mode := request.Redirect(*redirect)
	init.Redirect = &mode

	if *timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *timeout)
		defer cancel()
	}
	resp, err := client.Fetch(ctx, target, init)
	if err != nil {
		return err
	}
	out := stdout
	if *output != "" {
		f, err := os.Create(*output)
		if err != nil {
			return err
		}
		defer f.Close()
		out = f
	}
	if *include {
		fmt.Fprintf(stdout, "%d %s\n", resp.Status(), resp.StatusText())
		for name, value := range resp.Headers().All() {
			fmt.Fprintf(stdout, "%s: %s\n", name, value)
		}
		fmt.Fprintln(stdout)
	}
	stream := resp.Body()
	if stream == nil {
		return nil
	}
	rd, err := stream.GetReader()
	if err != nil {
		return err
	}
	defer rd.Close()
	if _, err := io.Copy(out, rd); err != nil {
		return err
	}
	if *output != "" {
		return out.(*os.File).Close()
	}
	return nil
}
