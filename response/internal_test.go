package response

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wfetch/wfetch/body"
	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/weburl"
)

func sampleInternal() *Internal {
	r := NewInternal()
	r.URLList = []*weburl.URL{weburl.MustParse("https://a.example/1"), weburl.MustParse("https://a.example/2")}
	r.StatusMessage = "OK"
	r.Header.Append("Content-Type", "text/plain")
	r.Header.Append("Set-Cookie", "a=b")
	r.Header.Append("X-Secret", "1")
	r.Header.Append("X-Exposed", "2")
	r.Header.Append("Cache-Control", "no-cache")
	r.CORSExposedHeaderNames = []string{"x-exposed", "set-cookie"}
	r.Body = body.FromBytes([]byte("body"))
	return r
}

func names(l *headers.List) []string {
	var out []string
	for _, f := range *l {
		out = append(out, f.Name)
	}
	return out
}

func TestFilters(t *testing.T) {
	tests := []struct {
		name      string
		filter    func(*Internal) *Internal
		typ       Type
		status    int
		headers   []string
		body      bool
		urlListed int
	}{
		{"basic", BasicFilter, TypeBasic, 200, []string{"Content-Type", "X-Secret", "X-Exposed", "Cache-Control"}, true, 2},
		{"cors", CORSFilter, TypeCORS, 200, []string{"Content-Type", "X-Exposed", "Cache-Control"}, true, 2},
		{"opaque", OpaqueFilter, TypeOpaque, 0, nil, false, 0},
		{"opaqueredirect", OpaqueRedirectFilter, TypeOpaqueRedirect, 0, nil, false, 2},
	}
	for _, tt := range tests {
		in := sampleInternal()
		r := tt.filter(in)
		got := []any{r.Type, r.Status, names(r.Header), r.Body != nil, len(r.URLList), r.Internal == in, r.IsFiltered()}
		want := []any{tt.typ, tt.status, tt.headers, tt.body, tt.urlListed, true, true}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
		// The view follows later changes of the internal response.
		in.URLList = append(in.URLList, weburl.MustParse("https://a.example/3"))
		in.Body = nil
		v := r.View()
		if v.Body != nil {
			t.Errorf("%s: view body not null after internal body nulled", tt.name)
		}
		if tt.urlListed > 0 && len(v.URLList) != 3 {
			t.Errorf("%s: view URL list %d", tt.name, len(v.URLList))
		}
		if r.Unfiltered() != in {
			t.Errorf("%s: Unfiltered", tt.name)
		}
	}
}

func TestNetworkErrors(t *testing.T) {
	cause := errors.New("boom")
	tests := []struct {
		name    string
		r       *Internal
		aborted bool
		reason  errs.NetworkReason
		wrapped error
	}{
		{"nil", NetworkError(nil), false, errs.ReasonOther, nil},
		{"plain", NetworkError(cause), false, errs.ReasonOther, cause},
		{"typed", NetworkError(errs.Network(errs.ReasonCORS, cause, "cors failed")), false, errs.ReasonCORS, cause},
		{"aborted", AppropriateNetworkError(true, cause), true, errs.ReasonAborted, cause},
		{"terminated", AppropriateNetworkError(false, nil), false, errs.ReasonAborted, nil},
	}
	for _, tt := range tests {
		r := tt.r
		if !IsNetworkError(r) || r.Status != 0 || r.Header.Len() != 0 || r.Body != nil {
			t.Errorf("%s: not a network error: %+v", tt.name, r)
		}
		if IsAbortedNetworkError(r) != tt.aborted {
			t.Errorf("%s: aborted %v", tt.name, r.Aborted)
		}
		var ne *errs.NetworkError
		if !errors.As(r.Err, &ne) || ne.Reason != tt.reason {
			t.Errorf("%s: Err %v", tt.name, r.Err)
		}
		if tt.wrapped != nil && !errors.Is(r.Err, tt.wrapped) {
			t.Errorf("%s: Err %v does not wrap %v", tt.name, r.Err, tt.wrapped)
		}
	}
	if IsNetworkError(nil) || IsNetworkError(NewInternal()) {
		t.Error("IsNetworkError of non-errors")
	}
}

func TestStatusPredicates(t *testing.T) {
	for s := 0; s < 1000; s++ {
		if IsOKStatus(s) != (s >= 200 && s < 300) {
			t.Fatalf("ok %d", s)
		}
	}
	for _, s := range []int{301, 302, 303, 307, 308} {
		if !IsRedirectStatus(s) {
			t.Errorf("redirect %d", s)
		}
	}
	for _, s := range []int{300, 304, 305, 306, 309} {
		if IsRedirectStatus(s) {
			t.Errorf("not redirect %d", s)
		}
	}
	for _, s := range []int{101, 103, 204, 205, 304} {
		if !IsNullBodyStatus(s) {
			t.Errorf("null body %d", s)
		}
	}
	if !IsRangeStatus(206) || !IsRangeStatus(416) || IsRangeStatus(200) {
		t.Error("range")
	}
}

func TestInternalClone(t *testing.T) {
	in := sampleInternal()
	f := CORSFilter(in)
	c, err := f.Clone()
	if err != nil {
		t.Fatal(err)
	}
	if c.Type != TypeCORS || c.Internal == in || c.Internal == nil {
		t.Fatalf("clone of filtered: %+v", c)
	}
	if diff := cmp.Diff(names(f.Header), names(c.Header)); diff != "" {
		t.Fatal(diff)
	}
	b1, err := in.Body.FullyRead()
	if err != nil {
		t.Fatal(err)
	}
	b2, err := c.Body.FullyRead()
	if err != nil {
		t.Fatal(err)
	}
	if string(b1) != "body" || string(b2) != "body" {
		t.Fatalf("%q %q", b1, b2)
	}
	// The filtered response shares the internal body, so it saw the tee.
	if f.Body != in.Body {
		t.Fatal("filtered body not shared")
	}
}

func TestLocationURL(t *testing.T) {
	frag := func(s string) *string { return &s }
	tests := []struct {
		name      string
		status    int
		url       string
		locations []string
		fragment  *string
		want      string
		wantErr   bool
	}{
		{"not redirect", 200, "https://a.example/", []string{"/x"}, nil, "", false},
		{"no location", 302, "https://a.example/", nil, nil, "", false},
		{"relative", 302, "https://a.example/dir/page", []string{"next"}, nil, "https://a.example/dir/next", false},
		{"fragment carried", 301, "https://a.example/", []string{"/x"}, frag("top"), "https://a.example/x#top", false},
		{"empty fragment carried", 301, "https://a.example/", []string{"/x"}, frag(""), "https://a.example/x#", false},
		{"own fragment kept", 307, "https://a.example/", []string{"/x#own"}, frag("top"), "https://a.example/x#own", false},
		{"no URL absolute", 308, "", []string{"https://b.example/"}, nil, "https://b.example/", false},
		{"no URL relative fails", 308, "", []string{"/x"}, nil, "", true},
		{"bad URL", 302, "https://a.example/", []string{"http://[::1"}, nil, "", true},
		{"two headers", 302, "https://a.example/", []string{"/a", "/b"}, nil, "", true},
	}
	for _, tt := range tests {
		r := NewInternal()
		r.Status = tt.status
		if tt.url != "" {
			r.URLList = []*weburl.URL{weburl.MustParse(tt.url)}
		}
		for _, l := range tt.locations {
			r.Header.Append("Location", l)
		}
		u, err := r.LocationURL(tt.fragment)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err %v", tt.name, err)
			continue
		}
		got := ""
		if u != nil {
			got = u.Href()
		}
		if got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}
