package request

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wfetch/wfetch/body"
	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/weburl"
)

func TestNewInternalDefaults(t *testing.T) {
	r := NewInternal(weburl.MustParse("https://a.example/x"))
	got := []string{r.Method, string(r.Mode), string(r.Credentials), string(r.Cache), string(r.Redirect),
		string(r.Window), string(r.Priority), string(r.ResponseTainting), r.Referrer.String()}
	want := []string{"GET", "no-cors", "same-origin", "default", "follow", "client", "auto", "basic", "about:client"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("defaults (-want +got):\n%s", diff)
	}
	if !r.Origin.Client || r.URL() != r.CurrentURL() {
		t.Fatal("origin not client or URL != current URL")
	}
}

func TestAddRangeHeader(t *testing.T) {
	tests := []struct {
		first, last int64
		want        string
	}{
		{0, 500, "bytes=0-500"},
		{10, -1, "bytes=10-"},
		{7, 7, "bytes=7-7"},
	}
	for _, tt := range tests {
		r := NewInternal(weburl.MustParse("https://a.example/"))
		r.AddRangeHeader(tt.first, tt.last)
		if got, _ := r.Header.Get("range"); got != tt.want {
			t.Errorf("AddRangeHeader(%d, %d) = %q, want %q", tt.first, tt.last, got, tt.want)
		}
	}
}

func TestInternalClone(t *testing.T) {
	r := NewInternal(weburl.MustParse("https://a.example/"))
	r.Header.Append("X-A", "1")
	r.Body = body.FromBytes([]byte("hello"))
	c, err := r.Clone()
	if err != nil {
		t.Fatal(err)
	}
	c.Header.Append("X-B", "2")
	c.URLList = append(c.URLList, weburl.MustParse("https://b.example/"))
	if r.Header.Len() != 1 || len(r.URLList) != 1 {
		t.Fatal("clone shares header list or URL list")
	}
	b1, err := r.Body.FullyRead()
	if err != nil {
		t.Fatal(err)
	}
	b2, err := c.Body.FullyRead()
	if err != nil {
		t.Fatal(err)
	}
	if string(b1) != "hello" || string(b2) != "hello" {
		t.Fatalf("bodies %q %q", b1, b2)
	}
}

func TestDestinationPredicates(t *testing.T) {
	tests := []struct {
		d                  Destination
		sub, nonSub, navig bool
	}{
		{DestinationNone, true, false, false},
		{DestinationScript, true, false, false},
		{DestinationDocument, false, true, true},
		{DestinationIFrame, false, true, true},
		{DestinationWorker, false, true, false},
		{DestinationReport, false, true, false},
		{DestinationWebIdentity, false, false, false},
	}
	for _, tt := range tests {
		r := &Internal{Destination: tt.d}
		got := [3]bool{r.IsSubresource(), r.IsNonSubresource(), r.IsNavigation()}
		if got != [3]bool{tt.sub, tt.nonSub, tt.navig} {
			t.Errorf("%q: got %v", tt.d, got)
		}
	}
}

func TestSerializeOrigin(t *testing.T) {
	o := weburl.MustParse("https://a.example/").Origin()
	tests := []struct {
		name  string
		urls  []string
		taint RedirectTaint
		want  string
	}{
		{"no redirect", []string{"https://a.example/"}, TaintSameOrigin, "https://a.example"},
		{"same origin redirect", []string{"https://a.example/", "https://a.example/2"}, TaintSameOrigin, "https://a.example"},
		{"same site", []string{"https://a.example/", "https://b.a.example/", "https://a.example/"}, TaintSameSite, "null"},
		{"cross site", []string{"https://a.example/", "https://other.test/", "https://a.example/"}, TaintCrossSite, "null"},
		{"to elsewhere", []string{"https://a.example/", "https://other.test/"}, TaintSameOrigin, "https://a.example"},
		{"from elsewhere", []string{"https://other.test/", "https://a.example/"}, TaintCrossSite, "null"},
	}
	for _, tt := range tests {
		r := NewInternal(nil)
		r.URLList = nil
		for _, u := range tt.urls {
			r.URLList = append(r.URLList, weburl.MustParse(u))
		}
		r.Origin = Origin{Origin: &o}
		if got := r.RedirectTaint(); got != tt.taint {
			t.Errorf("%s: taint %q, want %q", tt.name, got, tt.taint)
		}
		if got := r.SerializeOrigin(); got != tt.want {
			t.Errorf("%s: origin %q, want %q", tt.name, got, tt.want)
		}
	}
	r := NewInternal(weburl.MustParse("https://a.example/"))
	r.Origin = Origin{}
	if got := r.ByteSerializeOrigin(); got != "null" {
		t.Errorf("no origin: %q", got)
	}
}

func TestEnvironment(t *testing.T) {
	var nilEnv *Environment
	if !nilEnv.IsServer() || !DefaultEnvironment().IsServer() {
		t.Fatal("default environment is not a server runtime")
	}
	if got := DefaultEnvironment().PolicyContainer().ReferrerPolicy; got != DefaultReferrerPolicy {
		t.Fatalf("policy %q", got)
	}
	o := weburl.MustParse("https://a.example/").Origin()
	base := weburl.MustParse("https://a.example/dir/")
	e := &Environment{BaseURL: base, Origin: &o, ReferrerPolicy: ReferrerPolicyNoReferrer}
	if e.IsServer() || e.URL() != base || e.PolicyContainer().ReferrerPolicy != ReferrerPolicyNoReferrer {
		t.Fatal("browser environment")
	}
	_ = headers.GuardNone
}

func TestEnvironmentConstructors(t *testing.T) {
	b, err := BrowserEnvironment("https://app.example:8443/dir/page?q")
	if err != nil {
		t.Fatal(err)
	}
	if b.IsServer() || b.Origin.Serialize() != "https://app.example:8443" || b.URL().Href() != "https://app.example:8443/dir/page?q" {
		t.Errorf("browser env %+v", b)
	}
	if _, err := BrowserEnvironment("not a url"); err == nil {
		t.Error("bad page URL accepted")
	}
	s, err := ServerEnvironment("http://localhost/base/")
	if err != nil || !s.IsServer() || s.BaseURL.Href() != "http://localhost/base/" {
		t.Errorf("server env %+v %v", s, err)
	}
	s, err = ServerEnvironment("")
	if err != nil || s.BaseURL != nil || !s.IsServer() {
		t.Errorf("empty server env %+v %v", s, err)
	}
	if _, err := ServerEnvironment("::"); err == nil {
		t.Error("bad base accepted")
	}
}

func TestInternalCloneLockedBody(t *testing.T) {
	r := NewInternal(weburl.MustParse("https://a.example/"))
	r.Body = body.FromBytes([]byte("x"))
	if _, err := r.Body.Stream.GetReader(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Clone(); err == nil {
		t.Fatal("clone of a locked body succeeded")
	}
}
