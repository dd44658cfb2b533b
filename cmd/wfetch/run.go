package main

import (
	"context"
	"errors"
	"os"

	"github.com/wfetch/wfetch/fetch"
	"github.com/wfetch/wfetch/js"
)

// runScript is `wfetch run FILE [flags]`: it runs a JavaScript or
// TypeScript module with package js (js.RunFile). The network flags apply
// to its fetch() through the client they configure: cookie jar (-b/-c),
// HTTP cache (--cache, --cache-dir), proxy (-x, --noproxy), TLS (-k,
// --cacert, --cert), timeouts, -v and --origin (browser semantics).
func (a *app) runScript(ctx context.Context, args []string) error {
	opts, files, err := parseArgs(args)
	if err != nil {
		return errorf(exitUsage, "usage", "%s (see wfetch --help)", err)
	}
	a.opts = opts
	if len(files) != 1 {
		return errorf(exitUsage, "usage", "wfetch run takes one file, got %d", len(files))
	}
	copts, err := a.clientOptions()
	if err != nil {
		return err
	}
	a.tracer.noRecord = true
	client := fetch.NewClient(copts...)
	defer client.Close()
	jopts := []js.Option{js.WithFetchClient(client)}
	if opts.origin != "" {
		jopts = append(jopts, js.WithOrigin(opts.origin))
	}
	if a.stdout != os.Stdout {
		jopts = append(jopts, js.WithConsole(a.stdout))
	}
	if opts.maxTime > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, seconds(opts.maxTime))
		defer cancel()
	}
	err = js.RunFile(ctx, files[0], jopts...)
	if a.jar != nil && opts.cookieJar != "" {
		if serr := a.saveJar(); serr != nil && err == nil {
			err = newErr(exitWrite, "write cookie jar "+opts.cookieJar, serr)
		}
	}
	if err == nil {
		return nil
	}
	var ue *js.UncaughtError
	if errors.As(err, &ue) {
		return newErr(exitOther, "run "+files[0], err)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return newErr(exitTimeout, "timeout", err)
	}
	return newErr(exitOther, "run "+files[0], err)
}
