package request

import (
	"strings"
	"testing"

	"github.com/wfetch/wfetch/body"
	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/weburl"
)

// TestDefaultContentType mirrors request-init-contenttype.any.js: the
// Content-Type a body implies, and that init headers override it.
func TestDefaultContentType(t *testing.T) {
	blob := func(typ string) *body.Blob { b, _ := body.NewBlob(nil, body.BlobOptions{Type: typ}); return b }
	fd := body.NewFormData()
	fd.Append("a", "b")
	const override = "test/only; mime=type"
	tests := []struct {
		name string
		body func() body.Init
		want string // "" for null; "multipart" checks the boundary
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
		t.Run("Default Content-Type for Request with "+tt.name, func(t *testing.T) {
			r := newReq(t, "https://example.com", &Init{Method: ptr("POST"), Body: tt.body(), Duplex: ptr(DuplexHalf)})
			got, ok, _ := r.Headers().Get("Content-Type")
			switch tt.want {
			case "":
				if ok {
					t.Errorf("Content-Type %q, want none", got)
				}
			case "multipart":
				text, err := r.Text()
				if err != nil {
					t.Fatal(err)
				}
				boundary := strings.TrimPrefix(strings.SplitN(text, "\r\n", 2)[0], "--")
				if got != "multipart/form-data; boundary="+boundary {
					t.Errorf("Content-Type %q, boundary %q", got, boundary)
				}
			default:
				if got != tt.want {
					t.Errorf("Content-Type %q, want %q", got, tt.want)
				}
			}
		})
		t.Run("Can override Content-Type for Request with "+tt.name, func(t *testing.T) {
			r := newReq(t, "https://example.com", &Init{Method: ptr("POST"), Body: tt.body(), Duplex: ptr(DuplexHalf),
				Headers: headers.Map{"Content-Type": override}})
			if got, _, _ := r.Headers().Get("Content-Type"); got != override {
				t.Errorf("Content-Type %q", got)
			}
		})
	}
}
