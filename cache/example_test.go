package cache_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/wfetch/wfetch/cache"
	"github.com/wfetch/wfetch/fetch"
)

// A client with an HTTP cache answers the second fetch of a fresh response
// from the cache, with an Age header.
func Example() {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		w.Header().Set("Cache-Control", "max-age=60")
		fmt.Fprint(w, "hello")
	}))
	defer srv.Close()

	client := fetch.NewClient(fetch.WithHTTPCache(cache.New(cache.WithMaxBytes(8 << 20))))
	for range 2 {
		resp, err := client.Fetch(context.Background(), srv.URL, nil)
		if err != nil {
			panic(err)
		}
		text, _ := resp.Text() // the body is stored once read to its end
		age, fromCache, _ := resp.Headers().Get("Age")
		fmt.Printf("%s from cache: %v (Age %q)\n", text, fromCache, age)
	}
	fmt.Println("server hits:", hits)
	// Output:
	// hello from cache: false (Age "")
	// hello from cache: true (Age "0")
	// server hits: 1
}
