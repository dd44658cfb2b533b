package body

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// An empty FormData encodes, as in every browser, to the closing
// delimiter alone ("--boundary--\r\n"), with the boundary in the type.
// WPT's request-consume-empty.any.js and response-consume-empty.any.js
// ("Consume empty FormData ... body as text") expect "" instead; their own
// FIXME and web-platform-tests/wpt#40946 note that all browsers fail them.
func TestEmptyFormDataEncoding(t *testing.T) {
	b, typ, err := Extract(NewFormData(), false)
	if err != nil {
		t.Fatal(err)
	}
	_, boundary, ok := strings.Cut(typ, "boundary=")
	if !strings.HasPrefix(typ, "multipart/form-data;") || !ok || boundary == "" {
		t.Fatalf("type %q: want multipart/form-data with a boundary", typ)
	}
	data, err := b.FullyRead()
	if err != nil {
		t.Fatal(err)
	}
	want := "--" + boundary + "--\r\n"
	if diff := cmp.Diff(want, string(data)); diff != "" {
		t.Errorf("empty FormData body (-want +got):\n%s", diff)
	}
	if b.Length != int64(len(want)) {
		t.Errorf("length %d, want %d", b.Length, len(want))
	}
}
