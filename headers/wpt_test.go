package headers

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/internal/wptdata"
)

// counter tallies a data-driven test's cases.
type counter struct {
	t              *testing.T
	passed, failed int
}

func (c *counter) check(ok bool, format string, args ...any) {
	c.t.Helper()
	if ok {
		c.passed++
		return
	}
	c.failed++
	c.t.Errorf(format, args...)
}

func (c *counter) log(name string) {
	c.t.Helper()
	c.t.Logf("%s: %d passed, %d failed", name, c.passed, c.failed)
}

// content-types.json: response.window.js appends each Content-Type value to
// a Request's or Response's headers and expects blob.type to be the
// extracted MIME type, serialized ("" on failure).
func TestWPTContentTypes(t *testing.T) {
	var cases []struct {
		ContentType []string `json:"contentType"`
		MIMEType    string   `json:"mimeType"`
	}
	wptdata.JSON(t, "fetch/content-type/resources/content-types.json", &cases)
	c := &counter{t: t}
	for _, tc := range cases {
		for _, g := range []Guard{GuardRequest, GuardResponse} {
			h := New(g)
			for _, v := range tc.ContentType {
				if err := h.Append("Content-Type", v); err != nil {
					t.Fatalf("append %q: %v", v, err)
				}
			}
			got := ""
			if mt, ok := h.List().ExtractMIMEType(); ok {
				got = mt.String()
			}
			c.check(got == tc.MIMEType, "%s: Content-Type %q: got %q, want %q", g, tc.ContentType, got, tc.MIMEType)
		}
	}
	c.log("content-types.json (each case under request and response guards)")
}

// content-lengths.json: input is raw header lines sent before a 42-byte
// body. output null means a network error (extract a length failed); a
// number is how much of the body was read: the length, or all 42 bytes
// when extract a length returned null.
func TestWPTContentLengths(t *testing.T) {
	var cases []struct {
		Input  string `json:"input"`
		Output *int64 `json:"output"`
	}
	wptdata.JSON(t, "fetch/content-length/resources/content-lengths.json", &cases)
	c := &counter{t: t}
	for _, tc := range cases {
		var l List
		for _, line := range strings.Split(tc.Input, "\r\n") {
			name, value, ok := strings.Cut(line, ":")
			if !ok {
				t.Fatalf("bad line %q", line)
			}
			l.Append(name, NormalizeValue(value))
		}
		n, found, err := l.ExtractLength()
		var got *int64
		switch {
		case err != nil:
		case !found:
			v := int64(42)
			got = &v
		default:
			got = &n
		}
		c.check(fmt.Sprint(deref(got)) == fmt.Sprint(deref(tc.Output)),
			"%q: got %v, want %v", tc.Input, deref(got), deref(tc.Output))
	}
	c.log("content-lengths.json")
}

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// header-values-normalize: a value with NUL throws; HT, LF, CR and SP are
// stripped at the ends; other control bytes are kept.
func TestWPTHeaderValuesNormalize(t *testing.T) {
	var data struct {
		Cases []struct {
			Codepoint int               `json:"codepoint"`
			Values    map[string]string `json:"values"`
			Throws    bool              `json:"throws_TypeError"`
			Expected  map[string]string `json:"expected"`
		} `json:"cases"`
	}
	wptdata.JSON(t, "derived/fetch/api/headers/header-values-normalize.any.extracted.json", &data)
	c := &counter{t: t}
	for _, tc := range data.Cases {
		for _, name := range []string{"val1", "val2", "val3"} {
			h, err := NewFrom(Record{{name, tc.Values[name]}}, GuardRequest)
			if tc.Throws {
				var te *errs.TypeError
				c.check(errors.As(err, &te), "codepoint %#x %s: err = %v, want TypeError", tc.Codepoint, name, err)
				continue
			}
			if err != nil {
				c.check(false, "codepoint %#x %s: %v", tc.Codepoint, name, err)
				continue
			}
			got, ok, _ := h.Get(name)
			c.check(ok && got == tc.Expected[name], "codepoint %#x %s: got %q, want %q", tc.Codepoint, name, got, tc.Expected[name])
		}
	}
	c.log("header-values-normalize (3 values per case)")
}

// request-forbidden-headers: forbidden request-headers given to a Request
// are dropped silently; the permitted method-override values are kept.
func TestWPTRequestForbiddenHeaders(t *testing.T) {
	var data struct {
		Calls map[string][][2]json.RawMessage `json:"calls"`
	}
	wptdata.JSON(t, "derived/fetch/api/basic/request-forbidden-headers.any.extracted.json", &data)
	for _, kind := range []string{"requestForbiddenHeaders", "requestValidOverrideHeaders"} {
		c := &counter{t: t}
		calls := data.Calls[kind]
		if len(calls) == 0 {
			t.Fatalf("no %s cases", kind)
		}
		for _, call := range calls {
			var desc string
			var hs map[string]string
			if err := json.Unmarshal(call[0], &desc); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(call[1], &hs); err != nil {
				t.Fatal(err)
			}
			h, err := NewFrom(Map(hs), GuardRequest)
			if err != nil {
				c.check(false, "%s: %v", desc, err)
				continue
			}
			ok := true
			for name, value := range hs {
				got, has, _ := h.Get(name)
				if kind == "requestForbiddenHeaders" {
					ok = ok && !has && IsForbiddenRequestHeader(name, NormalizeValue(value))
				} else {
					ok = ok && has && got == NormalizeValue(value) && !IsForbiddenRequestHeader(name, value)
				}
			}
			c.check(ok, "%s: headers now %v", desc, *h.List())
		}
		c.log(kind)
	}
}

// request-headers: set on a Request's headers (guard request or
// request-no-cors) and read back.
func TestWPTRequestHeaders(t *testing.T) {
	var data struct {
		Vars map[string][][2]string `json:"vars"`
	}
	wptdata.JSON(t, "derived/fetch/api/request/request-headers.any.extracted.json", &data)
	groups := []struct {
		key   string
		guard Guard
		valid bool
	}{
		{"validRequestHeaders", GuardRequest, true},
		{"invalidRequestHeaders", GuardRequest, false},
		{"validRequestNoCorsHeaders", GuardRequestNoCORS, true},
		{"invalidRequestNoCorsHeaders", GuardRequestNoCORS, false},
	}
	for _, g := range groups {
		c := &counter{t: t}
		if len(data.Vars[g.key]) == 0 {
			t.Fatalf("no %s cases", g.key)
		}
		for _, hv := range data.Vars[g.key] {
			h := New(g.guard)
			if err := h.Set(hv[0], hv[1]); err != nil {
				c.check(false, "%s %q: %v", g.key, hv, err)
				continue
			}
			got, has, _ := h.Get(hv[0])
			if g.valid {
				c.check(has && got == hv[1], "%s %q: got %q, %v", g.key, hv, got, has)
			} else {
				c.check(!has, "%s %q: kept as %q", g.key, hv, got)
			}
		}
		c.log(g.key)
	}
	// The constructor-filtering subtests.
	c := &counter{t: t}
	init, _ := NewFrom(Pairs{{"Cookie2", "potato"}}, GuardNone)
	req, _ := NewFrom(init, GuardRequest)
	_, has, _ := req.Get("Cookie2")
	c.check(!has, "request constructor kept Cookie2")
	init, _ = NewFrom(Pairs{{"Content-Type", "potato"}}, GuardNone)
	req, _ = NewFrom(init, GuardRequestNoCORS)
	_, has, _ = req.Get("Content-Type")
	c.check(!has, "no-cors request constructor kept Content-Type: potato")
	first, _ := NewFrom(init, GuardRequest)
	second, _ := NewFrom(*first.List(), GuardRequestNoCORS)
	_, has, _ = second.Get("Content-Type")
	c.check(!has, "no-cors request from request kept Content-Type: potato")
	third, _ := NewFrom(first.List(), GuardRequest)
	v, _, _ := third.Get("Content-Type")
	c.check(v == "potato", "request from request: Content-Type %q", v)
	c.log("request-headers constructor cases")
}

// not-cors-safelisted.json plus headers-no-cors.any.js: none of these is a
// CORS-safelisted request-header, and a request-no-cors Headers refuses
// them through append and set.
func TestWPTNotCORSSafelisted(t *testing.T) {
	var pairs [][2]string
	wptdata.JSON(t, "fetch/api/cors/resources/not-cors-safelisted.json", &pairs)
	n := len(pairs)
	pairs = append(pairs, [][2]string{
		{"dpr", "2"}, {"rtt", "1.0"}, {"downlink", "-1.0"}, {"ect", "6g"}, {"save-data", "on"},
		{"viewport-width", "100"}, {"width", "100"}, {"unknown", "doesitmatter"},
	}...)
	c := &counter{t: t}
	for i, p := range pairs {
		h := New(GuardRequestNoCORS)
		if err := h.Append(p[0], p[1]); err != nil {
			t.Fatal(err)
		}
		has1, _ := h.Has(p[0])
		if err := h.Set(p[0], p[1]); err != nil {
			t.Fatal(err)
		}
		has2, _ := h.Has(p[0])
		ok := !has1 && !has2
		if i < n {
			ok = ok && !IsCORSSafelistedRequestHeader(p[0], p[1])
		}
		c.check(ok, "%q: accepted (append %v, set %v)", p, has1, has2)
	}
	c.log(fmt.Sprintf("not-cors-safelisted.json (%d) + headers-no-cors extras", n))

	// headers-no-cors.any.js: combined values must stay safelisted.
	long := strings.Repeat("s", 127)
	items := []struct {
		names  []string
		values []string
	}{
		{[]string{"accept", "accept-language", "content-language"}, []string{long, "", long}},
		{[]string{"accept", "accept-language", "content-language"}, []string{"", long}},
		{[]string{"content-type"}, []string{"text/plain;" + strings.Repeat("s", 116), "text/plain"}},
	}
	c = &counter{t: t}
	for _, it := range items {
		for _, name := range it.names {
			h := New(GuardRequestNoCORS)
			ok := true
			for _, v := range it.values {
				_ = h.Append(name, v)
				got, _, _ := h.Get(name)
				ok = ok && got == it.values[0]
			}
			_ = h.Set(name, strings.Join(it.values, ", "))
			got, _, _ := h.Get(name)
			ok = ok && got == it.values[0]
			_ = h.Delete(name)
			has, _ := h.Has(name)
			c.check(ok && !has, "no-cors %s with %q: got %q", name, it.values, got)
		}
	}
	c.log("headers-no-cors long values")
}
