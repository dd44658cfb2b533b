package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRun(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/redirect":
			http.Redirect(w, r, "/echo", 302)
			return
		case "/slow":
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return
		}
		b, _ := io.ReadAll(r.Body)
		w.Header()["Date"] = nil
		w.Header().Set("X-Method", r.Method)
		w.Header().Set("X-Custom", r.Header.Get("X-Custom"))
		w.Header().Set("Content-Type", "text/plain")
		w.Write(b)
	}))
	defer srv.Close()
	dir := t.TempDir()
	bodyFile := filepath.Join(dir, "body.txt")
	os.WriteFile(bodyFile, []byte("from file"), 0o644)
	outFile := filepath.Join(dir, "out.txt")

	tests := []struct {
		name    string
		args    []string
		want    string
		wantErr string
	}{
		{"data URL", []string{"data:,hello"}, "hello", ""},
		{"data base64", []string{"data:;base64,aGk="}, "hi", ""},
		{"post body", []string{"-d", "payload", srv.URL + "/echo"}, "payload", ""},
		{"body from file", []string{"-X", "PUT", "-d", "@" + bodyFile, srv.URL + "/echo"}, "from file", ""},
		{"include headers", []string{"-i", "-X", "DELETE", "-H", "X-Custom: v1", srv.URL + "/echo"},
			"200 OK\ncontent-length: 0\ncontent-type: text/plain\nx-custom: v1\nx-method: DELETE\n\n", ""},
		{"redirect followed", []string{"-d", "x", srv.URL + "/redirect"}, "", ""},
		{"redirect error", []string{"-redirect", "error", srv.URL + "/redirect"}, "", "network error (redirect)"},
		{"redirect manual", []string{"-i", "-redirect", "manual", srv.URL + "/redirect"}, "0 \n\n", ""},
		{"timeout", []string{"-timeout", "20ms", srv.URL + "/slow"}, "", "TimeoutError"},
		{"network error", []string{"http://127.0.0.1:1/"}, "", "network error (blocked)"},
		{"bad scheme", []string{"gopher://x/"}, "", "network error (scheme)"},
		{"bad header", []string{"-H", "nocolon", "data:,x"}, "", "bad header"},
		{"no URL", nil, "", "exactly one URL"},
		{"output file", []string{"-o", outFile, "data:,to%20file"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), tt.args, &out, &errOut)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if diff := cmp.Diff(tt.want, out.String()); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
	if b, _ := os.ReadFile(outFile); string(b) != "to file" {
		t.Errorf("output file holds %q", b)
	}
}
