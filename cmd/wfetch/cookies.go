package main

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/wfetch/wfetch/cookiejar"
)

// newJar returns the cookie jar of -b FILE / -c FILE: package cookiejar's
// browser-grade jar, which reads and writes curl's Netscape cookies.txt
// format.
func newJar() *cookiejar.Jar { return cookiejar.New(nil) }

// loadJar reads a cookies.txt file into jar. A missing file is no error,
// as in curl.
func loadJar(jar *cookiejar.Jar, name string) error {
	b, err := os.ReadFile(name)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	return jar.LoadNetscape(bytes.NewReader(b))
}

// saveJar writes jar to name in the cookies.txt format ("-": w).
func saveJar(jar *cookiejar.Jar, name string, w io.Writer) error {
	if name == "-" {
		return jar.SaveNetscape(w)
	}
	var b bytes.Buffer
	if err := jar.SaveNetscape(&b); err != nil {
		return err
	}
	return os.WriteFile(name, b.Bytes(), 0o600)
}

// parseCookieString parses -b 'a=1; b=2'.
func parseCookieString(s string) []*http.Cookie {
	var out []*http.Cookie
	for _, part := range strings.Split(s, ";") {
		name, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok && name != "" {
			out = append(out, &http.Cookie{Name: name, Value: value, Path: "/"})
		}
	}
	return out
}
