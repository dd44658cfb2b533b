package fetch_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/wfetch/wfetch/body"
	"github.com/wfetch/wfetch/fetch"
	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/response"
)

// exampleServer answers on 127.0.0.1 the way the examples need.
func exampleServer() *httptest.Server {
	var mu sync.Mutex
	flaky := 0
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/big":
			w.Header().Set("Content-Length", "100000")
			w.Write([]byte(strings.Repeat("x", 100000)))
		case "/flaky":
			mu.Lock()
			flaky++
			n := flaky
			mu.Unlock()
			if n%3 != 0 {
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(503)
				return
			}
			io.WriteString(w, "finally")
		case "/old":
			http.Redirect(w, r, "/new", http.StatusFound)
		case "/private":
			if r.Header.Get("Authorization") != "Bearer fresh" {
				w.WriteHeader(401)
				return
			}
			io.WriteString(w, "secret data")
		case "/token":
			io.WriteString(w, "fresh")
		case "/latin1":
			w.Header().Set("Content-Type", "text/plain; charset=iso-8859-1")
			w.Write([]byte("caf\xe9"))
		case "/file.bin":
			http.ServeContent(w, r, "file.bin", time.Unix(1e9, 0), strings.NewReader(strings.Repeat("data", 1000)))
		default:
			b, _ := io.ReadAll(r.Body)
			fmt.Fprintf(w, "%s %s?%s key=%s type=%s length=%d te=%v body=%s", r.Method, r.URL.Path, r.URL.RawQuery,
				r.Header.Get("X-Api-Key"), r.Header.Get("Content-Type"), r.ContentLength, r.TransferEncoding, b)
		}
	}))
}

// An Observer in the context reports the events of the fetches made with
// it: progress, headers before the body, chunks, redirects, logins.
func ExampleWithObserver() {
	srv := exampleServer()
	defer srv.Close()
	ctx := fetch.WithObserver(context.Background(), &fetch.Observer{
		Headers: func(r *response.Response) error {
			fmt.Println("headers:", r.Status(), "length", r.ContentLength())
			return nil // an error here aborts before the body is read
		},
		DownloadProgress: func(p fetch.Progress) {
			if p.Done {
				fmt.Printf("downloaded %d of %d bytes\n", p.Decoded, p.Total)
			}
		},
	})
	resp, err := fetch.Fetch(ctx, srv.URL+"/big", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, _ = resp.Bytes()
	// Output:
	// headers: 200 length 100000
	// downloaded 100000 of 100000 bytes
}

// Upload progress works for streamed bodies too; a body with a known size
// (body.SizedReader, an *os.File, body.OpenFile) is sent with a
// Content-Length instead of chunked.
func ExampleObserver_uploadProgress() {
	srv := exampleServer()
	defer srv.Close()
	ctx := fetch.WithObserver(context.Background(), &fetch.Observer{
		UploadProgress: func(p fetch.Progress) {
			if p.Done {
				fmt.Printf("sent %d of %d bytes\n", p.Transferred, p.Total)
			}
		},
	})
	payload := strings.Repeat("u", 50000)
	resp, err := fetch.Fetch(ctx, srv.URL+"/put", &request.Init{
		Method: new("PUT"),
		Body:   body.SizedReader(strings.NewReader(payload), int64(len(payload))),
		Duplex: new(request.DuplexHalf),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	text, _ := resp.Text()
	fmt.Println(text[:strings.Index(text, " body=")])
	// Output:
	// sent 50000 of 50000 bytes
	// PUT /put? key= type= length=50000 te=[]
}

// Per request, a redirect can be followed or stopped (Electron's
// followRedirect); stopping returns the redirect response itself.
func ExampleObserver_redirect() {
	srv := exampleServer()
	defer srv.Close()
	ctx := fetch.WithObserver(context.Background(), &fetch.Observer{
		Redirect: func(ri fetch.RedirectInfo) error {
			fmt.Println("redirect", ri.Status, "to", strings.TrimPrefix(ri.URL, srv.URL))
			return fetch.ErrStopRedirect
		},
	})
	resp, err := fetch.Fetch(ctx, srv.URL+"/old", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Close()
	fmt.Println(resp.Status(), resp.Headers().Value("Location"))
	// Output:
	// redirect 302 to /new
	// 302 /new
}

// In a server runtime (a client without an origin), redirect "manual"
// returns the real 3xx with its Location, as undici and Deno do. A client
// with an origin returns an opaque-redirect response, as browsers do.
func Example_redirectManual() {
	srv := exampleServer()
	defer srv.Close()
	resp, err := fetch.Fetch(context.Background(), srv.URL+"/old", &request.Init{Redirect: new(request.RedirectManual)})
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Close()
	fmt.Println(resp.Type(), resp.Status(), resp.Headers().Value("Location"))
	browser := fetch.NewClient(fetch.WithOrigin(srv.URL))
	resp, err = browser.Fetch(context.Background(), srv.URL+"/old", &request.Init{Redirect: new(request.RedirectManual)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.Type(), resp.Status())
	// Output:
	// basic 302 /new
	// opaqueredirect 0
}

// A retry policy retries idempotent requests that failed in a way that may
// pass (503 here), with exponential backoff and jitter, honouring
// Retry-After; Attempts tells how many were made.
func ExampleWithRetry() {
	srv := exampleServer()
	defer srv.Close()
	client := fetch.NewClient(fetch.WithRetry(&fetch.RetryPolicy{MaxAttempts: 5, BaseDelay: time.Millisecond}))
	resp, err := client.Fetch(context.Background(), srv.URL+"/flaky", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	text, _ := resp.Text()
	fmt.Println(resp.Status(), text, "after", fetch.Attempts(resp), "attempts")
	// Output: 200 finally after 3 attempts
}

// Middleware works on fetch's Request and Response (dio's interceptors):
// here it adds a header to every request and turns error statuses into Go
// errors.
func ExampleWithMiddleware() {
	srv := exampleServer()
	defer srv.Close()
	client := fetch.NewClient(fetch.WithMiddleware(
		fetch.OnRequest(func(ctx context.Context, req *request.Request) (*request.Request, error) {
			return nil, req.Headers().Set("X-Api-Key", "k-123")
		}),
		fetch.OnResponse(func(ctx context.Context, req *request.Request, resp *response.Response) (*response.Response, error) {
			if resp.Status() >= 400 {
				resp.Close()
				return nil, fmt.Errorf("%s: HTTP %d", req.Method(), resp.Status())
			}
			return resp, nil
		}),
	))
	resp, err := client.Fetch(context.Background(), srv.URL+"/api", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	text, _ := resp.Text()
	fmt.Println(text)
	_, err = client.Fetch(context.Background(), srv.URL+"/private", nil)
	fmt.Println(err)
	// Output:
	// GET /api? key=k-123 type= length=0 te=[] body=
	// GET: HTTP 401
}

// Token refresh: on a 401, one request locks the RequestLock, refreshes the
// token and unlocks; the requests that arrive meanwhile wait at the lock
// instead of racing with the old token (dio's lock/unlock).
func ExampleRequestLock() {
	srv := exampleServer()
	defer srv.Close()
	var lock fetch.RequestLock
	var mu sync.Mutex
	token := "stale"
	auth := func(next fetch.Handler) fetch.Handler {
		return func(ctx context.Context, req *request.Request) (*response.Response, error) {
			again, err := req.Clone() // a body is read once: clone before sending
			if err != nil {
				return nil, err
			}
			mu.Lock()
			sent := token
			mu.Unlock()
			req.Headers().Set("Authorization", "Bearer "+sent)
			resp, err := next(ctx, req)
			if err != nil || resp.Status() != 401 {
				return resp, err
			}
			resp.Close()
			mu.Lock()
			if token == sent { // nobody refreshed it meanwhile
				lock.Lock()
				// (A plain client: this request must not pass through auth.)
				r, err := fetch.Fetch(ctx, srv.URL+"/token", nil)
				if err == nil {
					token, _ = r.Text()
				}
				lock.Unlock()
			}
			sent = token
			mu.Unlock()
			again.Headers().Set("Authorization", "Bearer "+sent)
			return next(ctx, again)
		}
	}
	client := fetch.NewClient(fetch.WithMiddleware(lock.Middleware(), auth))
	resp, err := client.Fetch(context.Background(), srv.URL+"/private", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	text, _ := resp.Text()
	fmt.Println(text)
	// Output: secret data
}

// Download writes to path atomically (a .part file renamed when complete)
// and resumes a partial download with Range and If-Range.
func ExampleClient_Download() {
	srv := exampleServer()
	defer srv.Close()
	dir, _ := os.MkdirTemp("", "wfetch-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "file.bin")
	res, err := fetch.DefaultClient().Download(context.Background(), srv.URL+"/file.bin", path, &fetch.DownloadOptions{
		Progress: func(written, total int64) {
			if written == total {
				fmt.Println("progress:", written, "of", total)
			}
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(filepath.Base(res.Path), res.Size, res.Resumed)
	// Output:
	// progress: 4000 of 4000
	// file.bin 4000 false
}

// Everyday helpers: default headers per client, a query-parameter helper,
// a JSON request body that sets its Content-Type.
func ExampleWithDefaultHeaders() {
	srv := exampleServer()
	defer srv.Close()
	client := fetch.NewClient(fetch.WithDefaultHeaders(headers.Map{"X-Api-Key": "k-123"}))
	payload, err := body.JSON(map[string]any{"name": "ada"})
	if err != nil {
		fmt.Println(err)
		return
	}
	u := fetch.AddQuery(srv.URL+"/users", url.Values{"notify": {"true"}})
	resp, err := client.Fetch(context.Background(), u, &request.Init{Method: new("POST"), Body: payload})
	if err != nil {
		fmt.Println(err)
		return
	}
	text, _ := resp.Text()
	fmt.Println(text)
	// Output: POST /users?notify=true key=k-123 type=application/json length=14 te=[] body={"name":"ada"}
}

// body.OpenFile makes a File backed by a file on disk: a multipart upload
// of it streams from disk, with its type guessed from the extension.
func Example_uploadFile() {
	srv := exampleServer()
	defer srv.Close()
	dir, _ := os.MkdirTemp("", "wfetch-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "report.txt")
	os.WriteFile(path, []byte("quarterly numbers"), 0o644)
	file, err := body.OpenFile(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	form := body.NewFormData()
	form.AppendFile("report", file)
	resp, err := fetch.Fetch(context.Background(), srv.URL+"/upload", &request.Init{Method: new("POST"), Body: form})
	if err != nil {
		fmt.Println(err)
		return
	}
	text, _ := resp.Text()
	fmt.Println(file.Name(), file.Type(), strings.Contains(text, "quarterly numbers"), strings.Contains(text, "te=[]"))
	// Output: report.txt text/plain; charset=utf-8 true true
}

// A fetch that still fails after its retries says how many attempts were
// made; errors.As sees through to the network error.
func ExampleRetryError() {
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close() // resets every connection
	}))
	defer down.Close()
	client := fetch.NewClient(fetch.WithRetry(&fetch.RetryPolicy{BaseDelay: time.Millisecond}))
	_, err := client.Fetch(context.Background(), down.URL, nil)
	var re *fetch.RetryError
	var ne *fetch.NetworkError
	fmt.Println(errors.As(err, &re), re.Attempts, errors.As(err, &ne), ne.Reason)
	// Output: true 3 true reset
}

// DecodedText decodes a body in the charset its Content-Type names (beyond
// the standard: Text always decodes UTF-8).
func Example_decodedText() {
	srv := exampleServer()
	defer srv.Close()
	resp, err := fetch.Fetch(context.Background(), srv.URL+"/latin1", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	text, err := resp.DecodedText()
	fmt.Println(text, err)
	// Output: café <nil>
}
