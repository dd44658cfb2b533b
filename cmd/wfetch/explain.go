package main

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/wfetch/wfetch/fetch"
	"github.com/wfetch/wfetch/response"
)

// explain writes --explain's account of a transfer to stderr: the
// environment, each exchange (CORS preflights, redirect hops and the
// headers they dropped), the cache outcome, and for a failure which check
// failed and what the server must send.
func (a *app) explain(res *result) {
	w := a.stderr
	c := a.errColor
	say := func(format string, args ...any) {
		fmt.Fprintf(w, "%s %s\n", c.note("explain:"), fmt.Sprintf(format, args...))
	}
	o := a.opts
	if o.origin != "" {
		mode, cred := o.mode, o.credentials
		if mode == "" {
			mode = "cors"
		}
		if cred == "" {
			cred = "same-origin"
		}
		say("fetching %s as a document of %s (browser semantics): mode %s, credentials %s", res.url, a.client.Origin(), mode, cred)
		if sameOrigin(res.url, o.origin) {
			say("the URL is same-origin: no CORS check applies")
		} else if mode == "cors" {
			say("the URL is cross-origin: the response must pass the CORS check (Access-Control-Allow-Origin)")
		}
	} else {
		say("fetching %s with server semantics (no --origin): no Origin header, no CORS checks", res.url)
	}

	var prev *exchange
	hop := 0
	for _, ex := range res.exchanges {
		if ex.preflight {
			say("CORS preflight: %s", describePreflight(ex))
			if ex.err != nil {
				say("  the preflight failed on the network: %v", ex.err)
			} else if ex.respHeader != nil {
				say("  preflight response: %d, %s", ex.status, describeACHeaders(ex))
			}
			continue
		}
		if prev != nil {
			hop++
			cross := !sameOrigin(prev.url, ex.url)
			kind := "same-origin"
			if cross {
				kind = "cross-origin"
			}
			say("redirect %d: %d from %s to %s (%s, method %s)", hop, prev.status, prev.url, ex.url, kind, ex.method)
			if dropped := droppedHeaders(prev.header, ex.header); len(dropped) > 0 {
				say("  headers not sent again on this hop: %s", strings.Join(dropped, ", "))
			}
			if po, no := headerGet(prev.header, "Origin"), headerGet(ex.header, "Origin"); po != no && no != "" {
				say("  Origin is now %q (a cross-origin redirect taints the request's origin)", no)
			}
		}
		if ex.err != nil {
			say("%s %s failed on the network: %v", ex.method, ex.url, ex.err)
		} else if ex.respHeader != nil {
			say("%s %s: %d", ex.method, ex.url, ex.status)
		}
		prev = ex
	}
	if len(res.exchanges) == 0 && res.err == nil && res.resp != nil {
		if _, err := url.Parse(res.url); err == nil && !strings.HasPrefix(res.url, "http") {
			say("no network exchange: fetch answered the %s URL itself", scheme(res.url))
		}
	}

	// Cache.
	if o.cacheMode != "" || o.cacheDir != "" {
		say("cache: %s", cacheOutcome(res))
	}

	// The response as the caller sees it.
	if res.resp != nil {
		switch res.resp.Type() {
		case response.TypeCORS:
			say("response type cors: the CORS check passed; only CORS-safelisted headers and those in Access-Control-Expose-Headers are visible")
			if ex := lastExchange(res.exchanges); ex != nil && ex.respHeader != nil {
				if hidden := hiddenHeaders(ex.respHeader, res); len(hidden) > 0 {
					say("  hidden from the caller: %s (to expose them the server must send Access-Control-Expose-Headers: %s)", strings.Join(hidden, ", "), strings.Join(hidden, ", "))
				}
			}
		case response.TypeOpaque:
			say("response type opaque (mode no-cors): status 0, no headers and no body are visible")
		case response.TypeOpaqueRedirect:
			say("response type opaqueredirect (redirect mode manual): the redirect was not followed and its details are hidden")
		}
	}

	// The failure.
	if res.err != nil && !errors.Is(res.err, errOffline) {
		ce := classify(res.err)
		var ne *fetch.NetworkError
		if errors.As(res.err, &ne) && ne.Reason == "cors" {
			say("CORS check failed: %s", ne.Message)
			if fix := corsFix(ne.Message, res, a); fix != "" {
				say("to allow it, %s", fix)
			}
		} else {
			say("failed (exit %d) in phase %q: %s", ce.code, ce.phase, oneLine(ce.msg))
		}
	}
	if errors.Is(res.err, errOffline) {
		say("--offline: nothing was sent")
	}
}

func scheme(u string) string {
	if i := strings.IndexByte(u, ':'); i > 0 {
		return u[:i] + ":"
	}
	return u
}

func lastExchange(list []*exchange) *exchange {
	for i := len(list) - 1; i >= 0; i-- {
		if !list[i].preflight {
			return list[i]
		}
	}
	return nil
}

// sameOrigin compares the origins (scheme, host, port) of two URLs.
func sameOrigin(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	if err1 != nil || err2 != nil {
		return false
	}
	port := func(u *url.URL) string {
		if p := u.Port(); p != "" {
			return p
		}
		switch strings.ToLower(u.Scheme) {
		case "http":
			return "80"
		case "https":
			return "443"
		}
		return ""
	}
	return strings.EqualFold(ua.Scheme, ub.Scheme) && strings.EqualFold(ua.Hostname(), ub.Hostname()) && port(ua) == port(ub)
}

func describePreflight(ex *exchange) string {
	s := fmt.Sprintf("OPTIONS %s with Origin: %s, Access-Control-Request-Method: %s", ex.url,
		headerGet(ex.header, "Origin"), headerGet(ex.header, "Access-Control-Request-Method"))
	if h := headerGet(ex.header, "Access-Control-Request-Headers"); h != "" {
		s += ", Access-Control-Request-Headers: " + h
	}
	return s + " (sent because the method or headers are not CORS-safelisted)"
}

func describeACHeaders(ex *exchange) string {
	var parts []string
	for _, k := range sortedKeys(ex.respHeader) {
		if strings.HasPrefix(strings.ToLower(k), "access-control-") {
			parts = append(parts, k+": "+strings.Join(ex.respHeader[k], ", "))
		}
	}
	if len(parts) == 0 {
		return "no Access-Control-* headers"
	}
	return strings.Join(parts, "; ")
}

// droppedHeaders lists the request headers of one hop that the next hop
// does not carry.
func droppedHeaders(prev, next map[string][]string) []string {
	var out []string
	for k := range prev {
		if strings.EqualFold(k, "Host") {
			continue
		}
		found := false
		for n := range next {
			if strings.EqualFold(k, n) {
				found = true
				break
			}
		}
		if !found {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// hiddenHeaders lists the network response's header names that the CORS
// filter hid.
func hiddenHeaders(net map[string][]string, res *result) []string {
	var out []string
	for _, k := range sortedKeys(net) {
		lk := strings.ToLower(k)
		if _, ok := res.respHeader.Get(k); !ok && lk != "set-cookie" && lk != "set-cookie2" && !strings.HasPrefix(lk, "access-control-") {
			out = append(out, k)
		}
	}
	return out
}

var quotedName = regexp.MustCompile(`'([^']*)'`)

// corsFix turns a CORS failure message into the header the server must
// send.
func corsFix(msg string, res *result, a *app) string {
	var pre, last *exchange
	for _, ex := range res.exchanges {
		if ex.preflight {
			pre = ex
		} else {
			last = ex
		}
	}
	origin := a.client.Origin()
	if last != nil {
		if o := headerGet(last.header, "Origin"); o != "" {
			origin = o
		}
	} else if pre != nil {
		origin = headerGet(pre.header, "Origin")
	}
	where := "its response"
	if strings.HasPrefix(msg, "CORS-preflight") {
		where = "its preflight (OPTIONS) response"
	}
	include := a.opts.credentials == "include"
	switch {
	case strings.Contains(msg, "status is"):
		return "the server must answer the preflight OPTIONS request with a 2xx status"
	case strings.Contains(msg, "Access-Control-Allow-Origin"):
		if include {
			return fmt.Sprintf("the server must send `Access-Control-Allow-Origin: %s` and `Access-Control-Allow-Credentials: true` in %s (the wildcard * does not work with credentials)", origin, where)
		}
		return fmt.Sprintf("the server must send `Access-Control-Allow-Origin: %s` (or `*`) in %s", origin, where)
	case strings.Contains(msg, "Access-Control-Allow-Credentials"):
		return fmt.Sprintf("the server must send `Access-Control-Allow-Credentials: true` in %s (or use --credentials same-origin/omit)", where)
	case strings.Contains(msg, "does not allow method"):
		m := quotedName.FindStringSubmatch(msg)
		if len(m) == 2 {
			return fmt.Sprintf("the server must send `Access-Control-Allow-Methods: %s` in %s", m[1], where)
		}
	case strings.Contains(msg, "does not allow header"):
		want := ""
		if pre != nil {
			want = headerGet(pre.header, "Access-Control-Request-Headers")
		}
		if want == "" {
			if m := quotedName.FindStringSubmatch(msg); len(m) == 2 {
				want = m[1]
			}
		}
		return fmt.Sprintf("the server must send `Access-Control-Allow-Headers: %s` in %s", want, where)
	case strings.Contains(msg, "same-origin"):
		return "use --mode cors (mode same-origin refuses every cross-origin URL; no server header changes that)"
	}
	return ""
}

// cacheOutcome says in words what the HTTP cache did
// (response.CacheOutcome).
func cacheOutcome(res *result) string {
	if res.resp == nil {
		return "no response"
	}
	switch res.resp.CacheOutcome() {
	case response.CacheHit:
		return "hit: a fresh stored response, served without contacting the server"
	case response.CacheRevalidated:
		return "revalidated: the stored response was stale; the server answered 304 Not Modified to a conditional request and the stored body was used"
	case response.CacheStale:
		return "stale: a stale stored response was served without validation (stale-while-revalidate started a background revalidation, or the cache mode accepts stale responses)"
	case response.CacheMiss:
		return "miss: fetched from the network; stored if the response allows it"
	}
	return "not used (cache mode no-store, or not an HTTP fetch)"
}
