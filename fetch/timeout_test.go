package fetch

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wfetch/wfetch/internal/errs"
)

func TestBodyTimeout(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		io.WriteString(w, strings.Repeat("a", 10))
		w.(http.Flusher).Flush()
		if r.URL.Path == "/stall" {
			<-r.Context().Done()
			return
		}
		io.WriteString(w, strings.Repeat("b", 90))
	})
	c := newTestClient(t, WithBodyTimeout(30*time.Millisecond))
	checkNoLeak(t, c)
	// A body that keeps coming is fine.
	if got := text(t, mustFetch(t, c, srv.URL+"/ok", nil)); len(got) != 100 {
		t.Errorf("body length %d", len(got))
	}
	// A stalled body fails after the timeout.
	r, err := c.Fetch(context.Background(), srv.URL+"/stall", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Bytes()
	var ne *NetworkError
	if networkReason(err) != errs.ReasonOther || !errorsAs(err, &ne) || !strings.Contains(ne.Message, "body timeout") {
		t.Errorf("err %v, want a body timeout network error", err)
	}
}
