// Package server is a Go emulation of wptserve, the Web Platform Tests HTTP
// server, sized for the fetch and xhr tests: the handlers those tests call
// (ported from their Python scripts one by one, with the same status
// lines, header lists and bodies; handlers_xhr.go has xhr/resources), static files from a WPT checkout with ".headers" side
// files, ".asis" raw responses, "?pipe=" pipes (status, header, slice, sub,
// gzip, trickle) and ".sub." template substitution, and a stash shared
// across requests.
//
// It is test infrastructure, not part of the Fetch Standard: it lets the
// unmodified WPT .any.js files (https://github.com/web-platform-tests/wpt,
// directory fetch/) run against wfetch.
//
// # Use
//
//	srv, err := server.Start(server.Config{Root: "/path/to/wpt"})
//	if err != nil { ... }
//	defer srv.Close()
//	tr := &http.Transport{
//		DialContext:     srv.DialContext,
//		TLSClientConfig: &tls.Config{RootCAs: srv.RootCAs()},
//	}
//	url := srv.URL("https", 1, "www1.web-platform.test", "/fetch/api/resources/top.txt")
//
// It listens on 127.0.0.1 only: two HTTP and two HTTPS ports ({{ports[http][0]}},
// {{ports[http][1]}}, {{ports[https][0]}}, {{ports[https][1]}}), the HTTPS
// ones with a certificate from a throwaway CA made at Start and never
// written to disk. The WPT host names (web-platform.test, its www, www1,
// www2 and two IDN subdomains, and the same under not-web-platform.test)
// never reach DNS: a client dials through Server.DialContext, which maps
// them to 127.0.0.1 and refuses every other name.
//
// # Why not net/http's server
//
// The server speaks HTTP/1.1 itself, because the tests look at what
// net/http hides or normalises: request header names as the client spelt
// them and in their order (xhr/resources/echo-headers.py), custom reason
// phrases (status.py), response header names in the handler's casing and
// order, bodies delimited by closing the connection (trickle.py, static
// files), and raw bytes on the socket (.asis files, bad-chunk-encoding.py,
// the h1-parsing and content-length handlers).
//
// # Deviations from wptserve
//
//   - A request body sent with Transfer-Encoding: chunked is read (wptserve
//     reads only Content-Length bodies); there is no HTTP/2, so the .h2.py
//     handlers answer over HTTP/1.1 with the same status, headers and body.
//   - set_error followed by a different body (preflight.py's 400s) sends a
//     Content-Length matching the body sent, where wptserve keeps the length
//     of the JSON error and so sends a short body.
//   - Stash keys that are not UUIDs are accepted as they are (wptserve
//     fails with a 500).
//   - Pipes on a .py handler run once (wptserve runs them twice when the
//     script returns a value, which only matters for header(..., True)
//     and slice).
//   - A .py path with no Go port answers 501 with a JSON error naming it.
//   - The Server header is "wfetch-wptserve".
//   - A handler whose sleep (delay.py, corsenabled.py?delay=, trickle.py
//     before its headers) is cut short by the client leaving or Close
//     sends nothing and closes the connection, where wptserve would go on
//     sleeping and then answer.
package server
