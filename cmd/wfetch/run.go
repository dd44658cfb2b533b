package main

import "context"

// runScript is `wfetch run FILE`: it runs a JavaScript file in package js
// with the network flags applied. The js package's file-running API is
// not on main yet, so it reports that.
func (a *app) runScript(ctx context.Context, args []string) error {
	_ = ctx
	_ = args
	return errorf(exitUsage, "run", "wfetch run needs the js file runner (issue 15), which this build does not have yet")
}
