package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestOutputFormats(t *testing.T) {
	srv := newServer(t)
	dateless := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Date"] = nil
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("X-Test", "yes")
		io.WriteString(w, "body\n")
	}))
	defer dateless.Close()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"-i", []string{"-i", dateless.URL},
			"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\nX-Test: yes\r\n\r\nbody\n"},
		{"-I", []string{"-I", dateless.URL},
			"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\nX-Test: yes\r\n\r\n"},
		{"JSON is raw when piped", []string{srv.URL + "/json"}, `{"a":1,"b":[true,null]}`},
		{"several URLs", []string{"data:,one%0A", dateless.URL, "data:,two"}, "one\nbody\ntwo"},
		{"-w", []string{"-o", os.DevNull, "-w", `%{http_code} %{size_download} %{content_type} %{num_redirects} %{url_effective} %{method} %{exitcode} %header{x-test}\n`, dateless.URL},
			"200 5 text/plain 0 " + dateless.URL + "/ GET 0 yes\n"},
		{"-w after redirects", []string{"-s", "-o", os.DevNull, "-w", `%{http_code} %{num_redirects} %{url_effective}`, srv.URL + "/redirect/2"},
			"200 2 " + srv.URL + "/text"},
		{"-w on failure", []string{"-s", "-w", `%{http_code} %{exitcode}`, "-f", srv.URL + "/status/404"}, "404 22"},
		{"--fail-with-body prints the body", []string{"-s", "--fail-with-body", srv.URL + "/status/404"}, "status 404 body\n"},
		{"-f prints nothing", []string{"-s", "-f", srv.URL + "/status/404"}, ""},
		{"-i shows every redirect hop", []string{"-s", "-i", "-H", "X: 1", srv.URL + "/redirect/1"}, ""}, // checked below
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, out, errOut := cli(t, "", tt.args...)
			if tt.name == "-i shows every redirect hop" {
				if !strings.HasPrefix(out, "HTTP/1.1 302 Found\r\n") || !strings.Contains(out, "\r\n\r\nHTTP/1.1 200 OK\r\n") || !strings.HasSuffix(out, "hello text\n") {
					t.Errorf("got %q", out)
				}
				return
			}
			if diff := cmp.Diff(tt.want, out); diff != "" {
				t.Errorf("stdout (-want +got)\n%s\nstderr %q", diff, errOut)
			}
		})
	}
	// -w's time_total is a number.
	_, out, _ := cli(t, "", "-o", os.DevNull, "-w", "%{time_total}", dateless.URL)
	if len(out) < 8 || out[1] != '.' {
		t.Errorf("time_total %q", out)
	}
}

func TestSilentAndShowError(t *testing.T) {
	srv := newServer(t)
	if code, _, errOut := cli(t, "", "-s", "-f", srv.URL+"/status/500"); code != exitHTTP || errOut != "" {
		t.Errorf("-s: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := cli(t, "", "-sS", "-f", srv.URL+"/status/500"); code != exitHTTP || !strings.Contains(errOut, "(22) HTTP error: the requested URL returned error: 500") {
		t.Errorf("-sS: exit %d, stderr %q", code, errOut)
	}
	// The last failing URL decides the exit code.
	if code, out, _ := cli(t, "", "-s", "-f", srv.URL+"/status/404", "data:,ok"); code != exitHTTP || out != "ok" {
		t.Errorf("several URLs: exit %d, out %q", code, out)
	}
}

func TestVerbose(t *testing.T) {
	srv := newServer(t)
	cors := corsServer(t)
	// A redirect: both exchanges are shown.
	code, _, errOut := cli(t, "", "-v", "-o", os.DevNull, srv.URL+"/redirect/1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"> GET /redirect/1 HTTP/1.1\r\n", "< HTTP/1.1 302 Found\r\n", "* redirect 1: 302 to " + srv.URL + "/text", "> GET /text HTTP/1.1\r\n", "< HTTP/1.1 200 OK\r\n", "> User-Agent: wfetch\r\n"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("-v output lacks %q:\n%s", want, errOut)
		}
	}
	// A cache hit sends nothing.
	_, _, errOut = cli(t, "", "-v", "--cache", "default", "-o", os.DevNull, srv.URL+"/cached", "-o", os.DevNull, srv.URL+"/cached")
	if strings.Count(errOut, "> GET /cached") != 1 || !strings.Contains(errOut, "* served from the HTTP cache (hit): no request sent") {
		t.Errorf("-v with a cache hit:\n%s", errOut)
	}
	// A preflight is an exchange of its own.
	u := cors.URL + "/?acao=http://app.test&methods=PUT"
	code, out, errOut := cli(t, "", "-v", "--origin", "http://app.test", "-X", "PUT", u)
	if code != 0 || out != "cors body" {
		t.Fatalf("exit %d, out %q: %s", code, out, errOut)
	}
	for _, want := range []string{"> OPTIONS /?", "> Access-Control-Request-Method: PUT\r\n", "< HTTP/1.1 204 No Content\r\n", "> PUT /?", "> Origin: http://app.test\r\n"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("-v output lacks %q:\n%s", want, errOut)
		}
	}
}

func TestOutputFiles(t *testing.T) {
	srv := newServer(t)
	dir := t.TempDir()
	t.Chdir(dir)
	// -o per URL, -O from the URL's name.
	code, out, errOut := cli(t, "", "-o", "a.txt", srv.URL+"/text", "-O", srv.URL+"/file.txt", "data:,to%20stdout")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if out != "to stdout" {
		t.Errorf("stdout %q", out)
	}
	for name, want := range map[string]string{"a.txt": "hello text\n", "file.txt": "0123456789abcdefghij"} {
		if b, _ := os.ReadFile(filepath.Join(dir, name)); string(b) != want {
			t.Errorf("%s holds %q, want %q", name, b, want)
		}
	}
	// -C - resumes a partial file.
	os.WriteFile("part.txt", []byte("0123456789"), 0o644)
	if code, _, errOut := cli(t, "", "-C", "-", "-o", "part.txt", srv.URL+"/file.txt"); code != 0 {
		t.Fatalf("resume: exit %d: %s", code, errOut)
	}
	if b, _ := os.ReadFile("part.txt"); string(b) != "0123456789abcdefghij" {
		t.Errorf("resumed file holds %q", b)
	}
	// A complete file stays as it is (416).
	if code, _, errOut := cli(t, "", "-C", "-", "-o", "part.txt", srv.URL+"/file.txt"); code != 0 {
		t.Fatalf("resume complete: exit %d: %s", code, errOut)
	}
	if b, _ := os.ReadFile("part.txt"); string(b) != "0123456789abcdefghij" {
		t.Errorf("complete file now holds %q", b)
	}
	// A server without ranges cannot resume: exit 33.
	os.WriteFile("nr.txt", []byte("0123"), 0o644)
	if code, _, _ := cli(t, "", "-s", "-C", "-", "-o", "nr.txt", srv.URL+"/norange.txt"); code != exitRange {
		t.Errorf("no ranges: exit %d, want %d", code, exitRange)
	}
	// -i -o puts the headers in the file too; -D writes them apart.
	if code, out, errOut := cli(t, "", "-i", "-o", "inc.txt", "-D", "hdr.txt", srv.URL+"/text"); code != 0 || out != "" {
		t.Fatalf("-i -o -D: exit %d, out %q: %s", code, out, errOut)
	}
	inc, _ := os.ReadFile("inc.txt")
	hdr, _ := os.ReadFile("hdr.txt")
	if !strings.HasPrefix(string(inc), "HTTP/1.1 200 OK\r\n") || !strings.HasSuffix(string(inc), "\r\n\r\nhello text\n") {
		t.Errorf("-i -o file holds %q", inc)
	}
	if !strings.HasPrefix(string(hdr), "HTTP/1.1 200 OK\r\n") || !strings.Contains(string(hdr), "X-Test: yes\r\n") || !strings.HasSuffix(string(hdr), "\r\n\r\n") {
		t.Errorf("-D file holds %q", hdr)
	}
	if _, out, _ := cli(t, "", "-D", "-", "-o", os.DevNull, srv.URL+"/text"); !strings.HasPrefix(out, "HTTP/1.1 200 OK\r\n") {
		t.Errorf("-D - printed %q", out)
	}
	// -O without a file name.
	if code, _, _ := cli(t, "", "-s", "-O", srv.URL+"/"); code != exitWrite {
		t.Errorf("-O without a name: exit %d", code)
	}
}

func TestRetry(t *testing.T) {
	srv := newServer(t)
	code, out, errOut := cli(t, "", "--retry", "3", srv.URL+"/retry")
	if code != 0 || out != "finally" {
		t.Fatalf("exit %d, out %q, stderr %q", code, out, errOut)
	}
	if n := strings.Count(errOut, "warning: transient problem (HTTP 503); retrying in 0s"); n != 2 {
		t.Errorf("want 2 retry warnings, stderr %q", errOut)
	}
	// Not enough retries: the last answer counts.
	srv.retries.Store(0)
	if code, _, _ := cli(t, "", "-s", "-f", "--retry", "1", srv.URL+"/retry"); code != exitHTTP {
		t.Errorf("exit %d, want 22", code)
	}
	// A 404 is not transient.
	if code, _, errOut := cli(t, "", "-f", "--retry", "2", "--retry-delay", "0.001", srv.URL+"/status/404"); code != exitHTTP || strings.Contains(errOut, "retrying") {
		t.Errorf("404 was retried: exit %d, %q", code, errOut)
	}
}

func TestCookies(t *testing.T) {
	srv := newServer(t)
	dir := t.TempDir()
	jar := filepath.Join(dir, "cookies.txt")
	if code, _, errOut := cli(t, "", "-c", jar, srv.URL+"/setcookie"); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, _ := os.ReadFile(jar)
	if !strings.HasPrefix(string(b), "# Netscape HTTP Cookie File") || !strings.Contains(string(b), "127.0.0.1\tFALSE\t/\tFALSE\t") || !strings.Contains(string(b), "\tsession\tabc\n") {
		t.Fatalf("cookies.txt:\n%s", b)
	}
	code, out, errOut := cli(t, "", "-b", jar, srv.URL+"/echo")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if got := decodeEcho(t, out).Header["Cookie"]; got != "session=abc" {
		t.Errorf("Cookie %q", got)
	}
	// A cookies.txt written by curl.
	curlJar := filepath.Join(dir, "curl.txt")
	os.WriteFile(curlJar, []byte("# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t0\tfrom\tcurl\n"), 0o644)
	_, out, _ = cli(t, "", "-b", curlJar, srv.URL+"/echo")
	if got := decodeEcho(t, out).Header["Cookie"]; got != "from=curl" {
		t.Errorf("Cookie from curl's file %q", got)
	}
}

func TestTLSFlags(t *testing.T) {
	srv := newTLSServer(t)
	if code, out, errOut := cli(t, "", "-k", srv.URL); code != 0 || out != "secure" {
		t.Errorf("-k: exit %d, out %q, %s", code, out, errOut)
	}
	ca := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o644)
	if code, out, errOut := cli(t, "", "--cacert", ca, srv.URL); code != 0 || out != "secure" {
		t.Errorf("--cacert: exit %d, out %q, %s", code, out, errOut)
	}
}

func TestProxy(t *testing.T) {
	var seen atomic.Value
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.Store(r.RequestURI)
		io.WriteString(w, "via proxy")
	}))
	defer proxy.Close()
	srv := newServer(t)
	code, out, errOut := cli(t, "", "-x", proxy.URL, "http://origin.example/path")
	if code != 0 || out != "via proxy" || seen.Load() != "http://origin.example/path" {
		t.Errorf("-x: exit %d, out %q, proxy saw %v, %s", code, out, seen.Load(), errOut)
	}
	code, out, _ = cli(t, "", "-x", proxy.URL, "--noproxy", "127.0.0.1", srv.URL+"/text")
	if code != 0 || out != "hello text\n" {
		t.Errorf("--noproxy: exit %d, out %q", code, out)
	}
}

func TestExplain(t *testing.T) {
	cors := corsServer(t)
	srv := newServer(t)
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"missing allow-headers", []string{"--origin", "http://app.test", "-X", "PUT", "-H", "X-Token: 1", cors.URL + "/?acao=http://app.test&methods=PUT"}, exitCORS,
			[]string{"CORS preflight: OPTIONS", "Access-Control-Request-Headers: x-token", "preflight response: 204", "CORS check failed:", "`Access-Control-Allow-Headers: x-token` in its preflight (OPTIONS) response"}},
		{"missing allow-methods", []string{"--origin", "http://app.test", "-X", "DELETE", cors.URL + "/?acao=http://app.test"}, exitCORS,
			[]string{"`Access-Control-Allow-Methods: DELETE` in its preflight (OPTIONS) response"}},
		{"missing allow-origin", []string{"--origin", "http://app.test", cors.URL + "/"}, exitCORS,
			[]string{"the server must send `Access-Control-Allow-Origin: http://app.test` (or `*`) in its response"}},
		{"credentials", []string{"--origin", "http://app.test", "--credentials", "include", cors.URL + "/?acao=http://app.test"}, exitCORS,
			[]string{"`Access-Control-Allow-Credentials: true`"}},
		{"cors response hides headers", []string{"--origin", "http://app.test", cors.URL + "/?acao=*"}, 0,
			[]string{"response type cors", "hidden from the caller: Date, X-Secret"}},
		{"cache hit", []string{"--cache", "default", srv.URL + "/cached", srv.URL + "/cached"}, 0,
			[]string{"cache: miss", "cache: hit: a fresh stored response"}},
		{"cache stale", []string{"--cache", "default", srv.URL + "/swr", srv.URL + "/swr"}, 0,
			[]string{"cache: miss", "cache: stale: "}},
		{"cache revalidated", []string{"--cache", "no-cache", srv.URL + "/etag", srv.URL + "/etag"}, 0,
			[]string{"cache: miss", "cache: revalidated: "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := cli(t, "", append([]string{"--explain"}, tt.args...)...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d: %s", code, tt.code, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("--explain lacks %q:\n%s", w, errOut)
				}
			}
		})
	}
}

func TestExplainRedirect(t *testing.T) {
	final := newServer(t)
	hop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, final.URL+"/text", http.StatusFound)
	}))
	defer hop.Close()
	// localhost and 127.0.0.1 are different origins.
	from := strings.Replace(hop.URL, "127.0.0.1", "localhost", 1)
	code, _, errOut := cli(t, "", "--explain", "-o", os.DevNull, "-H", "Authorization: Bearer x", from+"/start")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, w := range []string{"redirect 1: 302 from " + from + "/start to " + final.URL + "/text (cross-origin, method GET)", "headers not sent again on this hop: Authorization"} {
		if !strings.Contains(errOut, w) {
			t.Errorf("--explain lacks %q:\n%s", w, errOut)
		}
	}
}

func TestOffline(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	code, out, errOut := cli(t, "", "--offline", "--origin", "http://app.test", "--credentials", "include", "-b", "sid=1", "-X", "PUT", "-H", "X-Token: 1", "-d", "a=1", srv.URL+"/api")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if hits.Load() != 0 {
		t.Errorf("--offline sent %d requests", hits.Load())
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	for _, w := range []string{
		"OPTIONS /api HTTP/1.1\r\nHost: " + host + "\r\n", "Access-Control-Request-Method: PUT\r\n", "Access-Control-Request-Headers: x-token\r\n",
		"PUT /api HTTP/1.1\r\nHost: " + host + "\r\n", "Origin: http://app.test\r\n", "Referer: http://app.test/\r\n", "Sec-Fetch-Mode: cors\r\n",
		"Sec-Fetch-Site: cross-site\r\n", "Cookie: sid=1\r\n", "Content-Type: application/x-www-form-urlencoded\r\n", "Content-Length: 3\r\n\r\na=1\n",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("--offline output lacks %q:\n%s", w, out)
		}
	}
	if !strings.Contains(errOut, "CORS preflight") {
		t.Errorf("stderr %q", errOut)
	}
}

func TestRun(t *testing.T) {
	srv := newServer(t)
	dir := t.TempDir()
	script := filepath.Join(dir, "main.ts")
	os.WriteFile(script, []byte(`
const r: Response = await fetch(process_url + "/setcookie");
console.log(r.status, await r.text());
const e = await (await fetch(process_url + "/echo")).json();
console.log("cookie:", e.header.Cookie);
`), 0o644)
	// The script reads the server URL from a global set by a prelude file.
	main := filepath.Join(dir, "run.ts")
	os.WriteFile(main, []byte("(globalThis as any).process_url = "+strconvQuote(srv.URL)+";\nawait import(\"./main.ts\");\n"), 0o644)
	jar := filepath.Join(dir, "jar.txt")
	code, out, errOut := cli(t, "", "run", main, "-c", jar)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if out != "200 set\ncookie: session=abc\n" {
		t.Errorf("stdout %q", out)
	}
	if b, _ := os.ReadFile(jar); !strings.Contains(string(b), "\tsession\tabc") {
		t.Errorf("cookie jar not written by run: %q", b)
	}
	// Concurrent fetches under -v: every exchange is shown.
	par := filepath.Join(dir, "par.js")
	os.WriteFile(par, []byte("const u = "+strconvQuote(srv.URL)+";\nconst rs = await Promise.all([fetch(u + '/text'), fetch(u + '/redirect/1'), fetch(u + '/json')]);\nconsole.log(rs.map(r => r.status).join(' '));\n"), 0o644)
	code, out, errOut = cli(t, "", "run", "-v", par)
	if code != 0 || out != "200 200 200\n" {
		t.Fatalf("exit %d, out %q: %s", code, out, errOut)
	}
	if n := strings.Count(errOut, "\n< HTTP/1.1 "); n != 4 || !strings.Contains(errOut, "* redirect 1: 302") {
		t.Errorf("-v under run showed %d responses:\n%s", n, errOut)
	}
	// An uncaught error is exit 1 with one line.
	bad := filepath.Join(dir, "bad.js")
	os.WriteFile(bad, []byte("throw new Error('boom')"), 0o644)
	code, _, errOut = cli(t, "", "run", bad)
	if code != exitOther || !strings.Contains(errOut, "boom") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func strconvQuote(s string) string { b, _ := json.Marshal(s); return string(b) }

func TestClientCertificate(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.TLS.PeerCertificates) == 0 {
			http.Error(w, "no client certificate", http.StatusForbidden)
			return
		}
		io.WriteString(w, "hello "+r.TLS.PeerCertificates[0].Subject.CommonName)
	}))
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAnyClientCert}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	dir := t.TempDir()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "client-1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile, both := filepath.Join(dir, "c.pem"), filepath.Join(dir, "k.pem"), filepath.Join(dir, "both.pem")
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
	os.WriteFile(certFile, certPEM, 0o600)
	os.WriteFile(keyFile, keyPEM, 0o600)
	os.WriteFile(both, append(certPEM, keyPEM...), 0o600)
	for _, args := range [][]string{{"--cert", certFile, "--key", keyFile}, {"-E", both}} {
		code, out, errOut := cli(t, "", append(args, "-k", srv.URL)...)
		if code != 0 || out != "hello client-1" {
			t.Errorf("%v: exit %d, out %q, %s", args, code, out, errOut)
		}
	}
	if code, _, _ := cli(t, "", "-s", "-k", "--key", keyFile, srv.URL); code != exitClientCert {
		t.Errorf("--key alone: exit %d", code)
	}
}

func TestOfflineReferrer(t *testing.T) {
	tests := []struct {
		args []string
		want string // the Referer line, "" for none
	}{
		{[]string{"-e", "http://app.test/page"}, "Referer: http://app.test/page\r\n"},
		{[]string{"--referrer", "http://app.test/other"}, "Referer: http://app.test/other\r\n"},
		{[]string{"--referrer-policy", "no-referrer"}, ""},
		{[]string{"--referrer", ""}, ""},
	}
	for _, tt := range tests {
		// Same-origin, so that the default policy (strict-origin-when-cross-origin) keeps the whole URL.
		args := append([]string{"--offline", "--origin", "http://app.test", "http://app.test/x"}, tt.args...)
		code, out, errOut := cli(t, "", args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", tt.args, code, errOut)
		}
		if tt.want == "" && strings.Contains(out, "Referer:") || tt.want != "" && !strings.Contains(out, tt.want) {
			t.Errorf("%v: want %q in\n%s", tt.args, tt.want, out)
		}
	}
}

func TestCacheDir(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Cache-Control", "max-age=600")
		io.WriteString(w, "kept on disk")
	}))
	defer srv.Close()
	dir := t.TempDir()
	// Two runs share the directory: the second is a hit.
	for i, want := range []string{"cache: miss", "cache: hit"} {
		code, out, errOut := cli(t, "", "--cache-dir", dir, "--explain", srv.URL+"/doc")
		if code != 0 || out != "kept on disk" {
			t.Fatalf("run %d: exit %d, out %q: %s", i, code, out, errOut)
		}
		if !strings.Contains(errOut, want) {
			t.Errorf("run %d: --explain lacks %q:\n%s", i, want, errOut)
		}
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("the server saw %d requests, want 1", n)
	}
	// --cache reload goes to the network even so.
	if code, _, _ := cli(t, "", "--cache-dir", dir, "--cache", "reload", srv.URL+"/doc"); code != 0 || hits.Load() != 2 {
		t.Errorf("reload: exit %d, %d requests", code, hits.Load())
	}
	// A directory that cannot be made is exit 23.
	file := filepath.Join(dir, "afile")
	os.WriteFile(file, nil, 0o644)
	if code, _, errOut := cli(t, "", "--cache-dir", filepath.Join(file, "sub"), srv.URL); code != exitWrite {
		t.Errorf("bad cache dir: exit %d: %s", code, errOut)
	}
}
