package fetch

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wfetch/wfetch/body"
)

func TestBlobURLContentType(t *testing.T) {
	tests := []struct{ blobType, want string }{
		{"", ""},
		{"invalid", ""},
		{"text/plain", "text/plain"},
		{"text/plain;charset=utf-8", "text/plain;charset=utf-8"},
		{"a/b;", "a/b;"}, // parsable: the blob's own spelling is kept
		{"/b", ""},
	}
	c := newTestClient(t)
	for _, tc := range tests {
		b, err := body.NewBlob([]any{"data"}, body.BlobOptions{Type: tc.blobType})
		if err != nil {
			t.Fatal(err)
		}
		u := c.Blobs().CreateObjectURL(b, c.Origin())
		r, err := c.Fetch(context.Background(), u, nil)
		if err != nil {
			t.Fatalf("type %q: %v", tc.blobType, err)
		}
		got, _, _ := r.Headers().Get("Content-Type")
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("blob type %q: Content-Type (-want +got):\n%s", tc.blobType, diff)
		}
	}
}
