// Package server is a Go emulation of wptserve, the Web Platform Tests HTTP
// server, sized for the fetch tests: the handlers those tests call (ported
// from their Python scripts one by one, with the same status lines, header
// lists and bodies), static files from a WPT checkout with ".headers" side
// files, ".asis" raw responses, "?pipe=" pipes and ".sub." template
// substitution, and a stash shared across requests.
//
// It listens on 127.0.0.1 only: two HTTP and two HTTPS ports (the HTTPS ones
// with a certificate from a throwaway CA made at Start). The WPT host names
// (web-platform.test, www1.web-platform.test, not-web-platform.test, ...)
// never reach DNS: a client dials through Server.DialContext, which maps
// them to 127.0.0.1.
//
// The server speaks HTTP/1.1 itself instead of using net/http's server,
// because the tests look at things net/http hides: request header names as
// the client spelt them and in order (xhr/resources/echo-headers.py), custom
// reason phrases (status.py), responses delimited by closing the connection,
// raw bytes written over the socket (.asis files, bad-chunk-encoding.py,
// the h1-parsing handlers).
package server
