package response

import (
	"strings"
	"testing"

	"github.com/wfetch/wfetch/body"
	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/weburl"
)

// TestDefaultContentType mirrors response-init-contenttype.any.js.
func TestDefaultContentType(t *testing.T) {
	blob := func(typ string) *body.Blob { b, _ := body.NewBlob(nil, body.BlobOptions{Type: typ}); return b }
	fd := body.NewFormData()
	fd.Append("a", "b")
	const override = "test/only; mime=type"
	tests := []struct {
		name string
		body func() body.Init
		want string
	}{
		{"empty body", func() body.Init { return nil }, ""},
		{"Blob body (no type set)", func() body.Init { return blob("") }, ""},
		{"Blob body (set type)", func() body.Init { return blob("a/b; c=d") }, "a/b; c=d"},
		{"buffer source body", func() body.Init { return []byte{} }, ""},
		{"FormData body", func() body.Init { return fd }, "multipart"},
		{"URLSearchParams body", func() body.Init { return weburl.NewSearchParams("") }, "application/x-www-form-urlencoded;charset=UTF-8"},
		{"string body", func() body.Init { return "" }, "text/plain;charset=UTF-8"},
		{"ReadableStream body", func() body.Init { return body.NewBytesStream(nil) }, ""},
	}
	for _, tt := range tests {
		r, err := New(tt.body(), nil)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		got, ok, _ := r.Headers().Get("Content-Type")
		switch tt.want {
		case "":
			if ok {
				t.Errorf("Default Content-Type for Response with %s: %q, want none", tt.name, got)
			}
		case "multipart":
			text, _ := r.Text()
			boundary := strings.TrimPrefix(strings.SplitN(text, "\r\n", 2)[0], "--")
			if got != "multipart/form-data; boundary="+boundary {
				t.Errorf("Default Content-Type for Response with %s: %q", tt.name, got)
			}
		default:
			if got != tt.want {
				t.Errorf("Default Content-Type for Response with %s: %q, want %q", tt.name, got, tt.want)
			}
		}
		r, err = New(tt.body(), &Init{Headers: headers.Map{"Content-Type": override}})
		if err != nil {
			t.Fatal(err)
		}
		if got, _, _ := r.Headers().Get("Content-Type"); got != override {
			t.Errorf("Can override Content-Type for Response with %s: %q", tt.name, got)
		}
	}
}
