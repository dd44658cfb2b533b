package wpt

import (
	"crypto/tls"
	"strings"

	"github.com/wfetch/wfetch/cache"
	"github.com/wfetch/wfetch/fetch"
	"github.com/wfetch/wfetch/js"
	"github.com/wfetch/wfetch/wpt/server"
)

// UseServer points cfg at a running test server: tests pretend to run at
// http://web-platform.test:<ports.http[0]> (https for .https. tests),
// .sub. scripts get the server's substitution, and each test's fetch()
// goes through a client that dials the server for the WPT host names,
// trusts its CA, and has the test page's origin (browser semantics).
func UseServer(cfg *Config, srv *server.Server) {
	cfg.Host = strings.TrimSuffix(srv.URL("http", 0, "", "/"), "/")
	cfg.HTTPSHost = strings.TrimSuffix(srv.URL("https", 0, "", "/"), "/")
	cfg.Substitute = srv.Substitute
	cfg.server = srv
	cfg.PortAliases = map[int]int{}
	canonical := map[string][]int{"http": {8000, 8001}, "https": {8443, 8444}}
	for scheme, ports := range srv.Ports() {
		for i, p := range ports {
			if i < len(canonical[scheme]) {
				cfg.PortAliases[p] = canonical[scheme][i]
			}
		}
	}
	prev := cfg.Setup
	cfg.Setup = func(rt *js.Runtime, t Test) {
		loc := rt.Location()
		rt.SetFetchClient(fetch.NewClient(
			fetch.WithDialContext(srv.DialContext),
			fetch.WithTLSConfig(&tls.Config{RootCAs: srv.RootCAs()}),
			fetch.WithOrigin(loc),
			fetch.WithBaseURL(loc),
			fetch.WithCookieJar(fetch.NewCookieJar()),
			// A browser sends its languages on every request, and has an
			// HTTP cache (a fresh one per test file).
			fetch.WithAcceptLanguage("en-US,en;q=0.9"),
			fetch.WithHTTPCache(cache.New()),
		))
		if prev != nil {
			prev(rt, t)
		}
	}
}
