package headers

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Fields whose names are not tokens never reach a header list.
func TestFromHTTPDropsInvalidNames(t *testing.T) {
	h := http.Header{"Bad Name": {"x"}, "Content-Length": {"2"}, "X-A": {"1", "2"}, "": {"empty"}}
	want := List{{"Content-Length", "2"}, {"X-A", "1"}, {"X-A", "2"}}
	if diff := cmp.Diff(want, FromHTTP(h)); diff != "" {
		t.Errorf("FromHTTP (-want +got):\n%s", diff)
	}
}
