package weburl

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/wfetch/wfetch/internal/wptdata"
)

// knownFailures lists WPT cases that are allowed to fail, keyed by
// "file: input" (setters: "setters attr: href <- value"), with the reason.
var knownFailures = map[string]string{
	"IdnaTestV2.json: \U0003293120.音.ꡦ1.": cjkExtJ,
	"IdnaTestV2.json: \U00032b9a9ꍩ៓.ss":   cjkExtJ,
	"IdnaTestV2.json: \U00032b9a9ꍩ៓.SS":   cjkExtJ,
}

// cjkExtJ explains the IDNA known failures.
const cjkExtJ = "U+32931/U+32B9A are CJK Unified Ideographs Extension J (Unicode 17.0); " +
	"golang.org/x/net/idna under Go 1.26 uses the Unicode 15.0 IDNA table, where they are unassigned (disallowed)"

type tally struct {
	file           string
	passed, failed int
	known          int
}

func (tl *tally) check(t *testing.T, key string, problems []string) {
	t.Helper()
	if len(problems) == 0 {
		tl.passed++
		if reason, ok := knownFailures[tl.file+": "+key]; ok {
			t.Errorf("%s: %q passes now but is listed as a known failure (%s): remove it", tl.file, key, reason)
		}
		return
	}
	tl.failed++
	if _, ok := knownFailures[tl.file+": "+key]; ok {
		tl.known++
		return
	}
	t.Errorf("%s: %q:\n  %s", tl.file, key, strings.Join(problems, "\n  "))
}

func (tl *tally) log(t *testing.T) {
	t.Helper()
	t.Logf("%s: %d passed, %d failed (%d known failures)", tl.file, tl.passed, tl.failed, tl.known)
}

// urlTestCase is one object of urltestdata.json.
type urlTestCase struct {
	Input        string  `json:"input"`
	Base         *string `json:"base"`
	Failure      bool    `json:"failure"`
	Href         string  `json:"href"`
	Origin       *string `json:"origin"`
	Protocol     string  `json:"protocol"`
	Username     string  `json:"username"`
	Password     string  `json:"password"`
	Host         string  `json:"host"`
	Hostname     string  `json:"hostname"`
	Port         string  `json:"port"`
	Pathname     string  `json:"pathname"`
	Search       string  `json:"search"`
	SearchParams *string `json:"searchParams"`
	Hash         string  `json:"hash"`
}

// loadObjects decodes a JSON array, keeping only its objects (strings are
// comments).
func loadObjects[T any](t *testing.T, rel string) []T {
	t.Helper()
	var raw []json.RawMessage
	wptdata.JSON(t, rel, &raw)
	var out []T
	for _, r := range raw {
		if len(r) > 0 && r[0] == '{' {
			var v T
			if err := json.Unmarshal(r, &v); err != nil {
				t.Fatalf("%s: %v", rel, err)
			}
			out = append(out, v)
		}
	}
	return out
}

func diffField(problems []string, name, got, want string) []string {
	if got != want {
		problems = append(problems, fmt.Sprintf("%s = %q, want %q", name, got, want))
	}
	return problems
}

func checkURL(u *URL, c urlTestCase) []string {
	var p []string
	p = diffField(p, "href", u.Href(), c.Href)
	if c.Origin != nil {
		p = diffField(p, "origin", u.Origin().Serialize(), *c.Origin)
	}
	p = diffField(p, "protocol", u.Protocol(), c.Protocol)
	p = diffField(p, "username", u.Username(), c.Username)
	p = diffField(p, "password", u.Password(), c.Password)
	p = diffField(p, "host", u.Host(), c.Host)
	p = diffField(p, "hostname", u.Hostname(), c.Hostname)
	p = diffField(p, "port", u.Port(), c.Port)
	p = diffField(p, "pathname", u.Pathname(), c.Pathname)
	p = diffField(p, "search", u.Search(), c.Search)
	if c.SearchParams != nil {
		p = diffField(p, "searchParams", u.SearchParams().String(), *c.SearchParams)
	}
	p = diffField(p, "hash", u.Hash(), c.Hash)
	return p
}

func TestURLTestData(t *testing.T) {
	for _, file := range []string{"urltestdata.json", "urltestdata-javascript-only.json"} {
		t.Run(file, func(t *testing.T) { runURLTestData(t, file) })
	}
}

// runURLTestData runs the cases the way WPT's url-constructor.any.js does:
// new URL(input, base), then every getter. Lone surrogates in the JSON
// decode to U+FFFD, as the USVString conversion does in JavaScript.
func runURLTestData(t *testing.T, file string) {
	cases := loadObjects[urlTestCase](t, "url/resources/"+file)
	tl := &tally{file: file}
	for _, c := range cases {
		base := ""
		if c.Base != nil {
			base = *c.Base
		}
		key := c.Input + " against " + base
		u, err := ParseWithBase(c.Input, base)
		if c.Base != nil && *c.Base == "" {
			// An explicit empty base string must fail to parse.
			_, err = ParseWithBase(c.Input, "\x00")
			if err == nil {
				t.Fatal("empty base parsed")
			}
		}
		var problems []string
		switch {
		case c.Failure && err == nil:
			problems = append(problems, "parsed as "+u.Href()+", want failure")
		case c.Failure:
		case err != nil:
			problems = append(problems, "failed: "+err.Error())
		default:
			problems = checkURL(u, c)
			// The href must parse again to the same URL (idempotence).
			if again, err := Parse(u.Href(), nil); err != nil || again.Href() != u.Href() {
				problems = append(problems, fmt.Sprintf("href %q does not round-trip: %v", u.Href(), err))
			}
		}
		tl.check(t, key, problems)
	}
	tl.log(t)
}

func TestSettersData(t *testing.T) {
	var data map[string]json.RawMessage
	wptdata.JSON(t, "url/resources/setters_tests.json", &data)
	tl := &tally{file: "setters_tests.json"}
	for attr, raw := range data {
		if attr == "comment" {
			continue
		}
		var cases []struct {
			Href     string            `json:"href"`
			NewValue string            `json:"new_value"`
			Expected map[string]string `json:"expected"`
		}
		if err := json.Unmarshal(raw, &cases); err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			key := attr + ": " + c.Href + " <- " + c.NewValue
			u, err := Parse(c.Href, nil)
			if err != nil {
				tl.check(t, key, []string{"href failed: " + err.Error()})
				continue
			}
			if err := setAttr(u, attr, c.NewValue); err != nil {
				tl.check(t, key, []string{err.Error()})
				continue
			}
			var problems []string
			for k, want := range c.Expected {
				problems = diffField(problems, k, getAttr(u, k), want)
			}
			tl.check(t, key, problems)
		}
	}
	tl.log(t)
}

func setAttr(u *URL, attr, v string) error {
	switch attr {
	case "href":
		return u.SetHref(v)
	case "protocol":
		u.SetProtocol(v)
	case "username":
		u.SetUsername(v)
	case "password":
		u.SetPassword(v)
	case "host":
		u.SetHost(v)
	case "hostname":
		u.SetHostname(v)
	case "port":
		u.SetPort(v)
	case "pathname":
		u.SetPathname(v)
	case "search":
		u.SetSearch(v)
	case "hash":
		u.SetHash(v)
	default:
		return fmt.Errorf("unknown attribute %q", attr)
	}
	return nil
}

func getAttr(u *URL, attr string) string {
	switch attr {
	case "href":
		return u.Href()
	case "origin":
		return u.Origin().Serialize()
	case "protocol":
		return u.Protocol()
	case "username":
		return u.Username()
	case "password":
		return u.Password()
	case "host":
		return u.Host()
	case "hostname":
		return u.Hostname()
	case "port":
		return u.Port()
	case "pathname":
		return u.Pathname()
	case "search":
		return u.Search()
	case "hash":
		return u.Hash()
	}
	return "<unknown attribute " + attr + ">"
}

type hostTestCase struct {
	Input  string  `json:"input"`
	Output *string `json:"output"`
}

// runHostTests runs toascii.json-style cases the way WPT's toascii.window.js
// and IdnaTestV2.window.js do: through new URL("https://" + input + "/x")
// and through the host and hostname setters.
func runHostTests(t *testing.T, file string, cases []hostTestCase, setters bool) {
	tl := &tally{file: file}
	for _, c := range cases {
		var problems []string
		u, err := Parse("https://"+c.Input+"/x", nil)
		if c.Output == nil {
			if err == nil {
				problems = append(problems, "parsed with host "+u.Host()+", want failure")
			}
		} else if err != nil {
			problems = append(problems, "failed: "+err.Error())
		} else {
			problems = diffField(problems, "host", u.Host(), *c.Output)
			problems = diffField(problems, "hostname", u.Hostname(), *c.Output)
			problems = diffField(problems, "pathname", u.Pathname(), "/x")
			problems = diffField(problems, "href", u.Href(), "https://"+*c.Output+"/x")
		}
		if setters {
			want := "x"
			if c.Output != nil {
				want = *c.Output
			}
			for _, attr := range []string{"host", "hostname"} {
				u := MustParse("https://x/x")
				setAttr(u, attr, c.Input)
				problems = diffField(problems, attr+" setter", getAttr(u, attr), want)
			}
		}
		tl.check(t, c.Input, problems)
	}
	tl.log(t)
}

func TestToASCIIData(t *testing.T) {
	cases := loadObjects[hostTestCase](t, "url/resources/toascii.json")
	runHostTests(t, "toascii.json", cases, true)
}

func TestIdnaTestV2Data(t *testing.T) {
	all := loadObjects[hostTestCase](t, "url/resources/IdnaTestV2.json")
	// As IdnaTestV2.window.js: skip the empty input and inputs with "%".
	var cases []hostTestCase
	for _, c := range all {
		if c.Input == "" || strings.Contains(c.Input, "%") {
			continue
		}
		cases = append(cases, c)
	}
	runHostTests(t, "IdnaTestV2.json", cases, false)
}

func TestPercentEncodingData(t *testing.T) {
	cases := loadObjects[struct {
		Input  string            `json:"input"`
		Output map[string]string `json:"output"`
	}](t, "url/resources/percent-encoding.json")
	tl := &tally{file: "percent-encoding.json"}
	for _, c := range cases {
		// Only UTF-8 applies: legacy encodings are not supported.
		want := c.Output["utf-8"]
		var problems []string
		// As percent-encoding.window.js: the input goes into a special
		// URL's query and fragment.
		u, err := Parse("https://doesnotmatter.invalid/?"+c.Input+"#"+c.Input, nil)
		if err != nil {
			problems = append(problems, err.Error())
		} else {
			problems = diffField(problems, "search", u.Search(), "?"+want)
			problems = diffField(problems, "hash", u.Hash(), "#"+want)
		}
		tl.check(t, c.Input, problems)
	}
	tl.log(t)
}
