package fetch_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/wfetch/wfetch/abort"
	"github.com/wfetch/wfetch/body"
	"github.com/wfetch/wfetch/fetch"
	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/request"
)

func ExampleFetch() {
	resp, err := fetch.Fetch(context.Background(), "data:text/plain,hello%20world", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	text, _ := resp.Text()
	fmt.Println(resp.Status(), resp.Headers().Value("Content-Type"), text)
	// Output: 200 text/plain hello world
}

func ExampleClient_Fetch_post() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"method":%q,"type":%q,"got":%s}`, r.Method, r.Header.Get("Content-Type"), b)
	}))
	defer srv.Close()

	c := fetch.NewClient()
	defer c.CloseIdleConnections()
	resp, err := c.Fetch(context.Background(), srv.URL+"/api", &request.Init{
		Method:  new("POST"),
		Headers: headers.Map{"Content-Type": "application/json"},
		Body:    `{"n":1}`,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var v map[string]any
	if err := resp.JSON(&v); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v["method"], v["type"], v["got"])
	// Output: POST application/json map[n:1]
}

func ExampleClient_Fetch_networkError() {
	c := fetch.NewClient()
	// Port 1 is a bad port: fetch refuses it before connecting.
	_, err := c.Fetch(context.Background(), "http://127.0.0.1:1/", nil)
	var ne *fetch.NetworkError
	if errors.As(err, &ne) {
		fmt.Println("reason:", ne.Reason)
	}
	var te *fetch.TypeError
	fmt.Println("TypeError:", errors.As(err, &te))
	// Output:
	// reason: blocked
	// TypeError: true
}

func ExampleClient_Fetch_abort() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers
	}))
	defer srv.Close()

	ctl := abort.NewController()
	time.AfterFunc(10*time.Millisecond, func() { ctl.Abort(nil) })
	_, err := fetch.NewClient().Fetch(context.Background(), srv.URL, &request.Init{Signal: ctl.Signal()})
	fmt.Println(errors.Is(err, fetch.ErrAbort))

	// A context works too; its deadline becomes a TimeoutError.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err = fetch.NewClient().Fetch(ctx, srv.URL, nil)
	fmt.Println(errors.Is(err, fetch.ErrTimeout))
	// Output:
	// true
	// true
}

func ExampleWithRedirectHook() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/new", http.StatusMovedPermanently)
			return
		}
		io.WriteString(w, "new place")
	}))
	defer srv.Close()

	c := fetch.NewClient(fetch.WithRedirectHook(func(ri fetch.RedirectInfo) error {
		fmt.Println("redirect", ri.Status, ri.Method, ri.URL[len(srv.URL):])
		return nil
	}))
	resp, _ := c.Fetch(context.Background(), srv.URL+"/old", nil)
	text, _ := resp.Text()
	fmt.Println(resp.Redirected(), text)
	// Output:
	// redirect 301 GET /new
	// true new place
}

func ExampleWithOrigin() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("X-Private", "hidden from cross-origin callers")
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "origin: "+r.Header.Get("Origin"))
	}))
	defer srv.Close()

	// A document at https://app.example fetching a cross-origin URL.
	c := fetch.NewClient(fetch.WithOrigin("https://app.example/index.html"))
	resp, err := c.Fetch(context.Background(), srv.URL, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	text, _ := resp.Text()
	fmt.Println(resp.Type(), text)
	fmt.Printf("X-Private: %q\n", resp.Headers().Value("X-Private"))
	// Output:
	// cors origin: https://app.example
	// X-Private: ""
}

func ExampleNewCookieJar() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/login" {
			http.SetCookie(w, &http.Cookie{Name: "session", Value: "abc", Path: "/"})
			return
		}
		io.WriteString(w, "cookie: "+r.Header.Get("Cookie"))
	}))
	defer srv.Close()

	c := fetch.NewClient(fetch.WithCookieJar(fetch.NewCookieJar()))
	c.Fetch(context.Background(), srv.URL+"/login", nil)
	resp, _ := c.Fetch(context.Background(), srv.URL+"/me", nil)
	text, _ := resp.Text()
	fmt.Println(text)
	// Output: cookie: session=abc
}

func ExampleClient_CreateObjectURL() {
	c := fetch.NewClient()
	blob, _ := body.NewBlob([]any{"blob contents"}, body.BlobOptions{Type: "text/plain"})
	u := c.CreateObjectURL(blob)
	resp, _ := c.Fetch(context.Background(), u, nil)
	text, _ := resp.Text()
	fmt.Println(resp.Headers().Value("Content-Type"), text)
	c.RevokeObjectURL(u)
	_, err := c.Fetch(context.Background(), u, nil)
	fmt.Println(err != nil)
	// Output:
	// text/plain blob contents
	// true
}

func ExampleClient_Fetch_stream() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i := range 3 {
			fmt.Fprintf(w, "chunk %d\n", i)
			w.(http.Flusher).Flush()
		}
	}))
	defer srv.Close()

	resp, _ := fetch.NewClient().Fetch(context.Background(), srv.URL, nil)
	rd, _ := resp.Body().GetReader()
	defer rd.Close()
	b, _ := io.ReadAll(rd)
	fmt.Print(string(b))
	// Output:
	// chunk 0
	// chunk 1
	// chunk 2
}
