package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/pflag"
)

// TestMain lets the test binary act as the wfetch command (for the
// pseudo-terminal tests, which need a real process): with WFETCH_TEST_MAIN
// set it runs main with the remaining arguments.
func TestMain(m *testing.M) {
	if os.Getenv("WFETCH_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// cli runs the command in-process with args and returns its exit code,
// standard output and standard error.
func cli(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(context.Background(), args, stdio{in: strings.NewReader(stdin), out: &out, err: &errOut})
	return code, out.String(), errOut.String()
}

// echo is what the /echo handler answers: the request as the server saw it.
type echo struct {
	Method string            `json:"method"`
	Path   string            `json:"path"`
	Query  string            `json:"query"`
	Header map[string]string `json:"header"`
	Body   string            `json:"body"`
}

type testServer struct {
	*httptest.Server
	retries atomic.Int32
}

// newServer starts the test server on 127.0.0.1.
func newServer(t *testing.T) *testServer {
	t.Helper()
	ts := &testServer{}
	mux := http.NewServeMux()
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		e := echo{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: map[string]string{}, Body: string(b)}
		for k, v := range r.Header {
			e.Header[k] = strings.Join(v, ", ")
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(e)
	})
	mux.HandleFunc("/text", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("X-Test", "yes")
		io.WriteString(w, "hello text\n")
	})
	mux.HandleFunc("/json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"a":1,"b":[true,null]}`)
	})
	mux.HandleFunc("/status/", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/status/"))
		w.WriteHeader(n)
		fmt.Fprintf(w, "status %d body\n", n)
	})
	mux.HandleFunc("/redirect/", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/redirect/"))
		if n <= 1 {
			http.Redirect(w, r, "/text", http.StatusFound)
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/redirect/%d", n-1), http.StatusFound)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	mux.HandleFunc("/retry", func(w http.ResponseWriter, r *http.Request) {
		if ts.retries.Add(1) <= 2 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "finally")
	})
	mux.HandleFunc("/file.txt", func(w http.ResponseWriter, r *http.Request) {
		http.ServeContent(w, r, "file.txt", time.Unix(0, 0), strings.NewReader("0123456789abcdefghij"))
	})
	mux.HandleFunc("/norange.txt", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "0123456789abcdefghij")
	})
	mux.HandleFunc("/setcookie", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "abc", Path: "/", Expires: time.Now().Add(time.Hour)})
		io.WriteString(w, "set")
	})
	mux.HandleFunc("/cached", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=600")
		io.WriteString(w, "cacheable")
	})
	mux.HandleFunc("/etag", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Cache-Control", "max-age=600")
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		io.WriteString(w, "tagged")
	})
	mux.HandleFunc("/swr", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=0, stale-while-revalidate=600")
		io.WriteString(w, "stale ok")
	})
	mux.HandleFunc("/empty", func(w http.ResponseWriter, r *http.Request) {
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	})
	mux.HandleFunc("/partial", func(w http.ResponseWriter, r *http.Request) {
		conn, buf, _ := w.(http.Hijacker).Hijack()
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b")
		buf.Flush()
		conn.Close()
	})
	ts.Server = httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts
}

// corsServer answers as a cross-origin API whose CORS headers the query
// chooses: ?acao=, ?methods=, ?headers=, ?creds=1.
func corsServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if v := q.Get("acao"); v != "" {
			w.Header().Set("Access-Control-Allow-Origin", v)
		}
		if q.Get("creds") == "1" {
			w.Header().Set("Access-Control-Allow-Credentials", "true")
		}
		w.Header().Set("X-Secret", "hidden")
		if r.Method == http.MethodOptions {
			if v := q.Get("methods"); v != "" {
				w.Header().Set("Access-Control-Allow-Methods", v)
			}
			if v := q.Get("headers"); v != "" {
				w.Header().Set("Access-Control-Allow-Headers", v)
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "cors body")
	}))
	t.Cleanup(srv.Close)
	return srv
}

func decodeEcho(t *testing.T, s string) echo {
	t.Helper()
	var e echo
	if err := json.Unmarshal([]byte(s), &e); err != nil {
		t.Fatalf("not an echo: %q: %v", s, err)
	}
	return e
}

func TestREADMECommand(t *testing.T) {
	code, out, errOut := cli(t, "", "data:,hello")
	if code != 0 || out != "hello" {
		t.Fatalf("code %d, out %q, err %q", code, out, errOut)
	}
}

func TestHelp(t *testing.T) {
	for _, arg := range []string{"--help", "-h"} {
		code, out, _ := cli(t, "", arg)
		if code != 0 {
			t.Errorf("%s: exit %d", arg, code)
		}
		// Every flag is listed.
		o := &options{}
		fs := newFlagSet(o)
		fs.VisitAll(func(f *pflag.Flag) {
			if !strings.Contains(out, "--"+f.Name) {
				t.Errorf("%s: help does not list --%s", arg, f.Name)
			}
		})
		if !strings.Contains(out, "Examples:") || !strings.Contains(out, "Exit codes") {
			t.Errorf("%s: help has no examples or exit codes", arg)
		}
	}
	if code, _, errOut := cli(t, "", "--no-such-flag", "data:,x"); code != exitUsage || !strings.Contains(errOut, "unknown flag") {
		t.Errorf("unknown flag: exit %d, %q", code, errOut)
	}
	if code, _, _ := cli(t, ""); code != exitUsage {
		t.Errorf("no URL: exit %d", code)
	}
}

// TestRequestFlags checks what the server receives for each request flag.
func TestRequestFlags(t *testing.T) {
	srv := newServer(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "body.txt")
	os.WriteFile(file, []byte("line1\nline2\n"), 0o644)
	hdrFile := filepath.Join(dir, "headers.txt")
	os.WriteFile(hdrFile, []byte("X-One: 1\r\nX-Two: 2\n\n"), 0o644)
	u := srv.URL + "/echo"
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  echo // only the fields set are compared; Header entries compared one by one
	}{
		{"GET", "", []string{u}, echo{Method: "GET"}},
		{"flags after URL", "", []string{u, "-X", "DELETE"}, echo{Method: "DELETE"}},
		{"-H", "", []string{"-H", "X-A: 1", "-H", "X-B:  two ", u}, echo{Header: map[string]string{"X-A": "1", "X-B": "two"}}},
		{"-H empty value with ;", "", []string{"-H", "X-Empty;", u}, echo{Header: map[string]string{"X-Empty": ""}}},
		{"-A", "", []string{"-A", "agent/1", u}, echo{Header: map[string]string{"User-Agent": "agent/1"}}},
		{"-e", "", []string{"-e", "http://ref.example/", u}, echo{Header: map[string]string{"Referer": "http://ref.example/"}}},
		{"-u", "", []string{"-u", "user:pw", u}, echo{Header: map[string]string{"Authorization": "Basic dXNlcjpwdw=="}}},
		{"-d is a form POST", "", []string{"-d", "a=1", "-d", "b=2", u},
			echo{Method: "POST", Body: "a=1&b=2", Header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}},
		{"-d @file strips newlines", "", []string{"-d", "@" + file, u}, echo{Body: "line1line2"}},
		{"-d @- reads stdin", "from stdin", []string{"-d", "@-", u}, echo{Body: "from stdin"}},
		{"--data-binary keeps newlines", "", []string{"--data-binary", "@" + file, u}, echo{Body: "line1\nline2\n"}},
		{"--data-raw keeps @", "", []string{"--data-raw", "@x", u}, echo{Body: "@x"}},
		{"--data-urlencode", "", []string{"--data-urlencode", "q=a b&c", "--data-urlencode", "=x y", u}, echo{Body: "q=a%20b%26c&x%20y"}},
		{"-H overrides -d's Content-Type", "", []string{"-d", "{}", "-H", "Content-Type: application/json", u},
			echo{Header: map[string]string{"Content-Type": "application/json"}}},
		{"--json", "", []string{"--json", `{"a":1}`, u},
			echo{Method: "POST", Body: `{"a":1}`, Header: map[string]string{"Content-Type": "application/json", "Accept": "application/json"}}},
		{"-G", "", []string{"-G", "-d", "q=1", "--data-urlencode", "r=a b", u}, echo{Method: "GET", Query: "q=1&r=a%20b", Body: ""}},
		{"-T", "", []string{"-T", file, u}, echo{Method: "PUT", Body: "line1\nline2\n"}},
		{"-T - reads stdin", "uploaded", []string{"-T", "-", u}, echo{Method: "PUT", Body: "uploaded"}},
		{"-H @file", "", []string{"-H", "@" + hdrFile, u}, echo{Header: map[string]string{"X-One": "1", "X-Two": "2"}}},
		{"--data-ascii", "", []string{"--data-ascii", "k=v", u}, echo{Method: "POST", Body: "k=v"}},
		{"-I", "", []string{"-I", u}, echo{}},
		{"-X with -d", "", []string{"-X", "PATCH", "-d", "x", u}, echo{Method: "PATCH", Body: "x"}},
		{"-b string", "", []string{"-b", "a=1; b=2", u}, echo{Header: map[string]string{"Cookie": "a=1; b=2"}}},
		{"--compressed and -L accepted", "", []string{"--compressed", "-L", u}, echo{Method: "GET"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(t, tt.stdin, tt.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if tt.name == "-I" {
				if !strings.HasPrefix(out, "HTTP/1.1 200 OK\r\n") || strings.Contains(out, "{") {
					t.Fatalf("-I printed %q", out)
				}
				return
			}
			got := decodeEcho(t, out)
			if tt.want.Method != "" && got.Method != tt.want.Method {
				t.Errorf("method %q, want %q", got.Method, tt.want.Method)
			}
			if tt.want.Body != "" && got.Body != tt.want.Body {
				t.Errorf("body %q, want %q", got.Body, tt.want.Body)
			}
			if tt.want.Query != "" && got.Query != tt.want.Query {
				t.Errorf("query %q, want %q", got.Query, tt.want.Query)
			}
			for k, v := range tt.want.Header {
				if g, ok := got.Header[k]; !ok || g != v {
					t.Errorf("header %s = %q (present %v), want %q", k, g, ok, v)
				}
			}
		})
	}
}

func TestMultipartForm(t *testing.T) {
	var got struct {
		fields map[string]string
		files  map[string][3]string
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		got.fields = map[string]string{}
		got.files = map[string][3]string{}
		for k, v := range r.MultipartForm.Value {
			got.fields[k] = v[0]
		}
		for k, v := range r.MultipartForm.File {
			f, _ := v[0].Open()
			b, _ := io.ReadAll(f)
			got.files[k] = [3]string{v[0].Filename, v[0].Header.Get("Content-Type"), string(b)}
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	file := filepath.Join(dir, "photo.png")
	os.WriteFile(file, []byte("PNGDATA"), 0o644)
	text := filepath.Join(dir, "note.txt")
	os.WriteFile(text, []byte("from file"), 0o644)
	code, _, errOut := cli(t, "", "-F", "name=value", "-F", "up=@"+file, "-F", "typed=@"+file+";type=image/x-test;filename=other.bin", "-F", "note=<"+text, srv.URL)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if diff := cmp.Diff(map[string]string{"name": "value", "note": "from file"}, got.fields); diff != "" {
		t.Errorf("fields (-want +got)\n%s", diff)
	}
	want := map[string][3]string{
		"up":    {"photo.png", "image/png", "PNGDATA"},
		"typed": {"other.bin", "image/x-test", "PNGDATA"},
	}
	if diff := cmp.Diff(want, got.files); diff != "" {
		t.Errorf("files (-want +got)\n%s", diff)
	}
}

// TestExitCodes checks curl's exit codes for each failure.
func TestExitCodes(t *testing.T) {
	srv := newServer(t)
	tlsSrv := newTLSServer(t)
	// A port nothing listens on.
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := "http://" + l.Addr().String() + "/"
	l.Close()
	// A server that answers a TLS ClientHello with plain HTTP.
	notTLS := rawServer(t, func(c net.Conn) {
		c.Read(make([]byte, 1024))
		io.WriteString(c, "HTTP/1.1 400 Bad Request\r\n\r\n")
	})
	// A server that sends half a status line.
	reset := rawServer(t, func(c net.Conn) {
		c.Read(make([]byte, 1024))
		c.(*net.TCPConn).SetLinger(0) // close with a RST
	})
	tests := []struct {
		name  string
		args  []string
		code  int
		phase string
	}{
		{"ok", []string{srv.URL + "/text"}, 0, ""},
		{"404 without -f", []string{srv.URL + "/status/404"}, 0, ""},
		{"bad URL", []string{"http://[::1"}, exitURL, "URL"},
		{"resolve", []string{"http://nonexistent.invalid/"}, exitResolve, "resolve host"},
		{"connect", []string{closed}, exitConnect, "connect"},
		{"-f 404", []string{"-f", srv.URL + "/status/404"}, exitHTTP, "HTTP error"},
		{"-f 500", []string{"--fail", srv.URL + "/status/500"}, exitHTTP, "HTTP error"},
		{"--fail-with-body", []string{"--fail-with-body", srv.URL + "/status/404"}, exitHTTP, "HTTP error"},
		{"-f 200", []string{"-f", srv.URL + "/text"}, 0, ""},
		{"timeout", []string{"-m", "0.2", srv.URL + "/slow"}, exitTimeout, "timeout"},
		{"TLS handshake", []string{"https://" + notTLS + "/"}, exitTLS, "TLS handshake"},
		{"certificate", []string{tlsSrv.URL}, exitCert, "TLS certificate"},
		{"too many redirects", []string{"--max-redirs", "3", srv.URL + "/loop"}, exitTooManyRedirs, "redirect"},
		{"redirect mode error", []string{"--redirect", "error", srv.URL + "/redirect/1"}, exitRedirect, "redirect"},
		{"empty reply", []string{srv.URL + "/empty"}, exitEmptyReply, "empty reply"},
		{"receive", []string{"http://" + reset + "/"}, exitRecv, "receive"},
		{"partial body", []string{srv.URL + "/partial"}, exitPartial, "receive body"},
		{"unsupported scheme", []string{"gopher://x/"}, exitOther, "unsupported URL scheme"},
		{"read error", []string{"-d", "@/no/such/file", srv.URL + "/echo"}, exitRead, "read /no/such/file"},
		{"write error", []string{"-o", "/no/such/dir/out", srv.URL + "/text"}, exitWrite, "write"},
		{"CA file", []string{"--cacert", "/no/such/ca.pem", tlsSrv.URL}, exitCAFile, "read CA file"},
		{"client cert", []string{"--cert", "/no/such/cert.pem", tlsSrv.URL}, exitClientCert, "client certificate"},
		{"integrity", []string{"--integrity", "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", srv.URL + "/text"}, exitIntegrity, "integrity"},
		{"only-if-cached", []string{"--cache", "only-if-cached", "--mode", "same-origin", srv.URL + "/text"}, exitNotCached, "cache"},
		{"bad port", []string{"http://127.0.0.1:1/"}, exitBlocked, "blocked"},
		{"bad mode", []string{"--mode", "nonsense", srv.URL}, exitUsage, "request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := cli(t, "", tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %q", code, tt.code, errOut)
			}
			if tt.code == 0 {
				if errOut != "" {
					t.Errorf("stderr %q", errOut)
				}
				return
			}
			want := fmt.Sprintf("wfetch: (%d) %s", tt.code, tt.phase)
			if !strings.HasPrefix(errOut, want) || strings.Count(errOut, "\n") != 1 {
				t.Errorf("stderr %q, want one line starting %q", errOut, want)
			}
		})
	}
}

// rawServer runs handle for each connection to a 127.0.0.1 listener and
// returns its address.
func rawServer(t *testing.T, handle func(net.Conn)) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { l.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				handle(c)
			}()
		}
	}()
	return l.Addr().String()
}

// newTLSServer starts an HTTPS server on 127.0.0.1 that answers "secure",
// with its handshake errors kept out of the test log.
func newTLSServer(t *testing.T) *httptest.Server {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "secure") }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}
