package cache

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// directives is a parsed Cache-Control field: lower-cased directive names
// mapped to their (unquoted) arguments, "" for none.
// https://www.rfc-editor.org/rfc/rfc9111#section-5.2
type directives map[string]string

// parseDirectives parses every Cache-Control line of h. A directive that
// appears twice keeps its first value (RFC 9111 §4.2.1 lets a cache pick;
// browsers take the first).
func parseDirectives(h http.Header) directives {
	vals := h.Values("Cache-Control")
	if len(vals) == 0 {
		return nil
	}
	d := directives{}
	for _, line := range vals {
		for _, part := range splitList(line) {
			name, arg, _ := strings.Cut(part, "=")
			name = strings.ToLower(strings.TrimSpace(name))
			if name == "" {
				continue
			}
			arg = strings.TrimSpace(arg)
			if len(arg) >= 2 && arg[0] == '"' && arg[len(arg)-1] == '"' {
				arg = arg[1 : len(arg)-1]
			}
			if _, dup := d[name]; !dup {
				d[name] = arg
			}
		}
	}
	return d
}

// has reports whether the directive is present.
func (d directives) has(name string) bool {
	_, ok := d[name]
	return ok
}

// seconds returns a delta-seconds argument. ok is false when the directive
// is absent; an argument that is not a non-negative integer reads as 0
// (RFC 9111 §1.2.2 and §4.2.1: an invalid freshness is stale). Overlarge
// values are capped at 2^31 seconds.
func (d directives) seconds(name string) (time.Duration, bool) {
	arg, ok := d[name]
	if !ok {
		return 0, false
	}
	return deltaSeconds(arg), true
}

// deltaSeconds parses delta-seconds (RFC 9111 §1.2.2).
func deltaSeconds(s string) time.Duration {
	if s == "" {
		return 0
	}
	n := int64(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int64(c-'0')
		if n >= 1<<31 {
			n = 1 << 31
			break
		}
	}
	return time.Duration(n) * time.Second
}

// splitList splits a comma-separated field value, honouring quoted strings.
func splitList(v string) []string {
	var out []string
	start, quoted := 0, false
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '"':
			quoted = !quoted
		case '\\':
			if quoted {
				i++
			}
		case ',':
			if !quoted {
				if p := strings.TrimSpace(v[start:i]); p != "" {
					out = append(out, p)
				}
				start = i + 1
			}
		}
	}
	if p := strings.TrimSpace(v[min(start, len(v)):]); p != "" {
		out = append(out, p)
	}
	return out
}

// heuristicStatuses are the status codes that are cacheable by default
// (heuristically cacheable).
// https://www.rfc-editor.org/rfc/rfc9110#section-15.1
var heuristicStatuses = map[int]bool{
	200: true, 203: true, 204: true, 206: true, 300: true, 301: true, 308: true,
	404: true, 405: true, 410: true, 414: true, 501: true,
}

// understoodStatuses are the status codes whose caching rules this cache
// implements, for must-understand (RFC 9111 §5.2.2.3): those cacheable by
// default and the redirects that are cacheable with explicit freshness.
var understoodStatuses = map[int]bool{
	200: true, 203: true, 204: true, 206: true, 300: true, 301: true, 302: true, 303: true,
	307: true, 308: true, 404: true, 405: true, 410: true, 414: true, 501: true,
}

// maxHeuristic caps heuristic freshness, as Firefox does (one week).
const maxHeuristic = 7 * 24 * time.Hour

// freshnessLifetime computes a stored response's freshness lifetime as a
// private cache does (s-maxage is ignored).
// https://www.rfc-editor.org/rfc/rfc9111#section-4.2.1
func (c *Cache) freshnessLifetime(e *Entry) time.Duration {
	// max-age wins over Expires.
	if d, ok := e.cc.seconds("max-age"); ok {
		return d
	}
	// Expires minus Date; an invalid Expires (RFC 9111 §5.3), and several
	// Expires lines (§4.2.1 lets a cache take such a response as stale),
	// mean already expired.
	if vals := e.Header.Values("Expires"); len(vals) > 0 {
		if len(vals) > 1 {
			return 0
		}
		exp, ok := parseHTTPDate(vals[0])
		if !ok {
			return 0
		}
		if d := exp.Sub(e.dateValue); d > 0 {
			return d
		}
		return 0
	}
	// Heuristic freshness: a fraction of the time since Last-Modified, for
	// statuses cacheable by default or responses marked public.
	// https://www.rfc-editor.org/rfc/rfc9111#section-4.2.2
	if c.heuristic > 0 && (heuristicStatuses[e.Status] || e.cc.has("public")) {
		if lm, ok := parseHTTPDate(e.Header.Get("Last-Modified")); ok {
			if since := e.dateValue.Sub(lm); since > 0 {
				return min(time.Duration(float64(since)*c.heuristic), maxHeuristic)
			}
		}
	}
	return 0
}

// currentAge computes a stored response's age at now.
// https://www.rfc-editor.org/rfc/rfc9111#section-4.2.3
func currentAge(e *Entry, now time.Time) time.Duration {
	// apparent_age: how far the Date lags the arrival time.
	apparent := max(e.ResponseTime.Sub(e.dateValue), 0)
	// corrected_age_value: the Age header plus the round trip.
	corrected := e.ageValue + e.ResponseTime.Sub(e.RequestTime)
	// corrected_initial_age: the larger of the two.
	initial := max(apparent, corrected)
	// resident_time: how long it has been stored.
	resident := max(now.Sub(e.ResponseTime), 0)
	return initial + resident
}

// hasExplicitFreshness reports whether a response says how long it is fresh
// (max-age or Expires; s-maxage counts for storability only).
func hasExplicitFreshness(h http.Header, cc directives) bool {
	return cc.has("max-age") || cc.has("s-maxage") || len(h.Values("Expires")) > 0
}

// ageHeaderValue parses the Age header: a singleton field whose value is
// delta-seconds. A list (several lines, or members separated by commas)
// counts by its first member; an invalid value is ignored (0); an overlarge
// one is 2^31 seconds.
// https://www.rfc-editor.org/rfc/rfc9111#section-5.1 and
// https://www.rfc-editor.org/rfc/rfc9111#section-1.2.2
func ageHeaderValue(h http.Header) time.Duration {
	vals := h.Values("Age")
	if len(vals) == 0 {
		return 0
	}
	// 1. The first member of the field value (its lines joined by commas).
	first, _, _ := strings.Cut(vals[0], ",")
	first = strings.Trim(first, " \t")
	// 2. It must be one or more digits; anything else is ignored.
	if first == "" || strings.TrimLeft(first, "0123456789") != "" {
		return 0
	}
	// 3. delta-seconds, capped at 2^31.
	return deltaSeconds(first)
}

// formatAge renders an age for the Age header: whole seconds.
func formatAge(d time.Duration) string {
	return strconv.FormatInt(int64(max(d, 0)/time.Second), 10)
}
