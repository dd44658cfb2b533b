package cache_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"

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

// A disk store keeps responses across processes and restarts: a second
// client (as after a restart) on the same directory gets a hit, and the
// response says so.
func ExampleNewDisk() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60")
		fmt.Fprint(w, "hello")
	}))
	defer srv.Close()
	dir, err := os.MkdirTemp("", "wfetch-cache-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)

	for range 2 {
		disk, err := cache.NewDisk(dir, cache.WithDiskMaxBytes(64<<20))
		if err != nil {
			panic(err)
		}
		client := fetch.NewClient(fetch.WithHTTPCache(cache.New(cache.WithStore(disk))))
		resp, err := client.Fetch(context.Background(), srv.URL, nil)
		if err != nil {
			panic(err)
		}
		text, _ := resp.Text()
		fmt.Println(text, resp.CacheOutcome())
		client.Close()
	}
	// Output:
	// hello miss
	// hello hit
}
