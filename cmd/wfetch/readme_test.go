package main

import (
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestREADMETable runs every wfetch command of the README's "wfetch for
// curl users" tables against local servers standing in for the hosts it
// names.
func TestREADMETable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "## wfetch for curl users")
	if !ok {
		t.Fatal("README has no \"wfetch for curl users\" section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	cell := regexp.MustCompile("^\\|[^|]*\\| `(wfetch [^`]*)`")
	var commands []string
	for _, line := range strings.Split(section, "\n") {
		if m := cell.FindStringSubmatch(line); m != nil {
			commands = append(commands, m[1])
		}
	}
	if len(commands) < 25 {
		t.Fatalf("found only %d commands in the README tables", len(commands))
	}

	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		switch {
		case r.Method == http.MethodOptions:
			w.Header().Set("Access-Control-Allow-Methods", "*")
			w.Header().Set("Access-Control-Allow-Headers", "*")
			w.WriteHeader(http.StatusNoContent)
		case r.URL.Path == "/old":
			http.Redirect(w, r, "/", http.StatusMovedPermanently)
		case strings.HasSuffix(r.URL.Path, ".txt") || strings.HasSuffix(r.URL.Path, ".sh"):
			http.ServeContent(w, r, r.URL.Path, time.Unix(0, 0), strings.NewReader("0123456789abcdefghij"))
		case r.URL.Path == "/login":
			http.SetCookie(w, &http.Cookie{Name: "sid", Value: "1", Path: "/"})
			io.WriteString(w, "logged in")
		default:
			io.Copy(io.Discard, r.Body)
			w.Header().Set("Cache-Control", "max-age=60")
			io.WriteString(w, "ok\n")
		}
	}))
	defer site.Close()
	tlsSite := newTLSServer(t)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "via proxy") }))
	defer proxy.Close()

	dir := t.TempDir()
	t.Chdir(dir)
	os.WriteFile("data.json", []byte(`{"a":1}`), 0o644)
	os.WriteFile("photo.jpg", []byte("JPEG"), 0o644)
	os.WriteFile("notes.txt", []byte("notes"), 0o644)
	os.WriteFile("ca.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsSite.Certificate().Raw}), 0o644)
	replacer := strings.NewReplacer(
		"https://example.com", site.URL,
		"https://self-signed.example", tlsSite.URL,
		"https://internal.example", tlsSite.URL,
		"http://proxy.example:3128", proxy.URL,
	)
	for _, c := range commands {
		t.Run(c, func(t *testing.T) {
			os.WriteFile("file.txt", []byte("0123456789"), 0o644) // for -C -
			args, err := shellSplit(replacer.Replace(c))
			if err != nil {
				t.Fatal(err)
			}
			code, _, errOut := cli(t, "", args[1:]...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if strings.Contains(c, "-C - -O") {
				if b, _ := os.ReadFile(filepath.Join(dir, "file.txt")); string(b) != "0123456789abcdefghij" {
					t.Errorf("-C - -O left file.txt as %q", b)
				}
			}
		})
	}
}

// shellSplit splits a command line as a POSIX shell would for the
// README's commands: words, single and double quotes.
func shellSplit(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	in := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		case c == '\'' || c == '"':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				return nil, io.ErrUnexpectedEOF
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
			in = true
		default:
			cur.WriteByte(c)
			in = true
		}
	}
	if in {
		words = append(words, cur.String())
	}
	return words, nil
}
