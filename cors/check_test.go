package cors

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wfetch/wfetch/request"
)

func TestCheck(t *testing.T) {
	const o = testOrigin
	tests := []struct {
		name   string
		origin string
		cred   request.Credentials
		resp   []string
		want   string // "" for success
	}{
		{"missing", o, request.CredentialsOmit, nil, "Access-Control-Allow-Origin missing"},
		{"missing with other headers", o, request.CredentialsSameOrigin, []string{"Access-Control-Allow-Credentials", "true"}, "Access-Control-Allow-Origin missing"},
		{"wildcard omit", o, request.CredentialsOmit, []string{"Access-Control-Allow-Origin", "*"}, ""},
		{"wildcard same-origin", o, request.CredentialsSameOrigin, []string{"Access-Control-Allow-Origin", "*"}, ""},
		{"wildcard include", o, request.CredentialsInclude,
			[]string{"Access-Control-Allow-Origin", "*", "Access-Control-Allow-Credentials", "true"},
			"Access-Control-Allow-Origin is '*', expected 'https://app.example' (the wildcard does not work with credentials mode include)"},
		{"exact origin", o, request.CredentialsOmit, []string{"Access-Control-Allow-Origin", o}, ""},
		{"header name case-insensitive", o, request.CredentialsOmit, []string{"access-control-allow-origin", o}, ""},
		{"other origin", o, request.CredentialsOmit, []string{"Access-Control-Allow-Origin", "https://other.example"},
			"Access-Control-Allow-Origin is 'https://other.example', expected 'https://app.example'"},
		{"value case matters", o, request.CredentialsOmit, []string{"Access-Control-Allow-Origin", "HTTPS://APP.EXAMPLE"},
			"Access-Control-Allow-Origin is 'HTTPS://APP.EXAMPLE', expected 'https://app.example'"},
		{"trailing slash", o, request.CredentialsOmit, []string{"Access-Control-Allow-Origin", o + "/"},
			"Access-Control-Allow-Origin is 'https://app.example/', expected 'https://app.example'"},
		{"empty value", o, request.CredentialsOmit, []string{"Access-Control-Allow-Origin", ""},
			"Access-Control-Allow-Origin is '', expected 'https://app.example'"},
		{"two headers combine", o, request.CredentialsOmit, []string{"Access-Control-Allow-Origin", o, "Access-Control-Allow-Origin", o},
			"Access-Control-Allow-Origin is 'https://app.example, https://app.example', expected 'https://app.example'"},
		{"two wildcards", o, request.CredentialsOmit, []string{"Access-Control-Allow-Origin", "*", "Access-Control-Allow-Origin", "*"},
			"Access-Control-Allow-Origin is '*, *', expected 'https://app.example'"},
		{"null origin allowed by null", "null", request.CredentialsOmit, []string{"Access-Control-Allow-Origin", "null"}, ""},
		{"null origin refused", "null", request.CredentialsOmit, []string{"Access-Control-Allow-Origin", o},
			"Access-Control-Allow-Origin is 'https://app.example', expected 'null'"},
		{"include with credentials true", o, request.CredentialsInclude,
			[]string{"Access-Control-Allow-Origin", o, "Access-Control-Allow-Credentials", "true"}, ""},
		{"include without credentials header", o, request.CredentialsInclude,
			[]string{"Access-Control-Allow-Origin", o},
			"credentials mode include needs Access-Control-Allow-Credentials: true, the header is missing"},
		{"include with TRUE", o, request.CredentialsInclude,
			[]string{"Access-Control-Allow-Origin", o, "Access-Control-Allow-Credentials", "TRUE"},
			"credentials mode include needs Access-Control-Allow-Credentials: true, got 'TRUE'"},
		{"include with two true headers", o, request.CredentialsInclude,
			[]string{"Access-Control-Allow-Origin", o, "Access-Control-Allow-Credentials", "true", "Access-Control-Allow-Credentials", "true"},
			"credentials mode include needs Access-Control-Allow-Credentials: true, got 'true, true'"},
		{"credentials header ignored without include", o, request.CredentialsSameOrigin,
			[]string{"Access-Control-Allow-Origin", o, "Access-Control-Allow-Credentials", "false"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := corsMessage(t, Check(tt.origin, tt.cred, hl(tt.resp...)))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Check message (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckResponse(t *testing.T) {
	tests := []struct {
		name  string
		urls  []string
		noOri bool
		acao  string
		want  string
	}{
		{"same origin serialization", []string{testURL}, false, testOrigin, ""},
		{"redirect taint makes origin null", []string{"https://api.example/a", "https://third.example/b"}, false, "null", ""},
		{"redirect taint refuses the origin", []string{"https://api.example/a", "https://third.example/b"}, false, testOrigin,
			"Access-Control-Allow-Origin is 'https://app.example', expected 'null'"},
		{"no origin serializes as null", []string{testURL}, true, "null", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := newReq(t, tt.urls[0], "GET", request.CredentialsOmit)
			for _, u := range tt.urls[1:] {
				req.URLList = append(req.URLList, mustURL(t, u))
			}
			if tt.noOri {
				req.Origin = request.Origin{}
			}
			got := corsMessage(t, CheckResponse(req, newResp(200, "Access-Control-Allow-Origin", tt.acao)))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("CheckResponse message (-want +got):\n%s", diff)
			}
		})
	}
	// A nil response or header list is a missing header, not a panic.
	req := newReq(t, testURL, "GET", request.CredentialsOmit)
	if got := corsMessage(t, CheckResponse(req, nil)); got != "Access-Control-Allow-Origin missing" {
		t.Errorf("nil response: %q", got)
	}
}

func TestTAOCheck(t *testing.T) {
	tests := []struct {
		name     string
		failed   bool
		mode     request.Mode
		tainting request.ResponseTainting
		url      string
		tao      []string
		want     bool
	}{
		{"wildcard", false, request.ModeCORS, request.TaintingCORS, testURL, []string{"Timing-Allow-Origin", "*"}, true},
		{"wildcard in list", false, request.ModeCORS, request.TaintingCORS, testURL, []string{"Timing-Allow-Origin", "https://x.example, *"}, true},
		{"origin listed", false, request.ModeCORS, request.TaintingCORS, testURL, []string{"Timing-Allow-Origin", testOrigin}, true},
		{"origin in second header", false, request.ModeCORS, request.TaintingCORS, testURL,
			[]string{"Timing-Allow-Origin", "https://x.example", "Timing-Allow-Origin", testOrigin}, true},
		{"flag already set", true, request.ModeCORS, request.TaintingCORS, testURL, []string{"Timing-Allow-Origin", "*"}, false},
		{"cors without header", false, request.ModeCORS, request.TaintingCORS, testURL, nil, false},
		{"other origin listed", false, request.ModeCORS, request.TaintingCORS, testURL, []string{"Timing-Allow-Origin", "https://x.example"}, false},
		{"basic tainting passes", false, request.ModeNoCORS, request.TaintingBasic, testURL, nil, true},
		{"opaque tainting fails", false, request.ModeNoCORS, request.TaintingOpaque, testURL, nil, false},
		{"cross-origin navigation fails", false, request.ModeNavigate, request.TaintingBasic, testURL, nil, false},
		{"same-origin navigation passes", false, request.ModeNavigate, request.TaintingBasic, testOrigin + "/page", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := newReq(t, tt.url, "GET", request.CredentialsOmit)
			req.TimingAllowFailed = tt.failed
			req.Mode = tt.mode
			req.ResponseTainting = tt.tainting
			if got := TAOCheck(req, newResp(200, tt.tao...)); got != tt.want {
				t.Errorf("TAOCheck = %v, want %v", got, tt.want)
			}
		})
	}
}
