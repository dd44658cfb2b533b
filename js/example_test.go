package js_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/wfetch/wfetch/js"
)

// JavaScript that uses fetch runs unchanged: the script's promises settle
// on the Runtime's event loop, which Run drives until nothing is left.
func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"greeting": "hello"}`)
	}))
	defer srv.Close()

	rt := js.New(js.WithLocation(srv.URL+"/page.html"), js.WithServerEnvironment())
	defer rt.Close()
	rt.VM().Set("report", func(s string) { fmt.Println(s) })
	_, err := rt.RunScript("main.js", `
		(async () => {
			const res = await fetch("/api");
			const data = await res.json();
			report(res.status + " " + res.headers.get("content-type") + " " + data.greeting);
		})().catch(e => report("failed: " + e));
	`)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := rt.Run(ctx); err != nil {
		fmt.Println(err)
	}
	// Output: 200 application/json hello
}
