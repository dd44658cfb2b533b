// Package weburl implements the WHATWG URL Standard
// (https://url.spec.whatwg.org/) for wfetch: the basic URL parser and URL
// serializer (§4), hosts with IPv4/IPv6 parsing and domain to ASCII (§3),
// percent-encoding (§1.3), origins and same-site checks
// (https://html.spec.whatwg.org/#origin), the
// application/x-www-form-urlencoded parser and serializer (§5) and the
// URLSearchParams class (§6.2).
//
// Go's net/url follows RFC 3986 and disagrees with the URL Standard on
// backslashes, tab/newline stripping, IPv4 number forms, IDNA, default
// ports, dot segments and percent-encode sets; Fetch needs the URL Standard,
// so wfetch parses every URL here and converts to *net/url.URL (NetURL) only
// at the point of handing a request to net/http.
//
// Entry points: Parse / ParseWithBase (the URL class's constructor), the
// URL getters and setters (Href, SetHost, ...), URL.Origin with SameOrigin
// and SameSite, NewSearchParams and URL.SearchParams, ParseURLEncoded and
// SerializeURLEncoded, PercentEncode / PercentDecode with the encode sets,
// DomainToASCII, and URL.NetURL.
//
// Deviations from the standard, all deliberate:
//   - Only UTF-8: the parser's legacy encoding argument (for HTML form
//     queries) is left out.
//   - Validation errors are not reported; only failure is.
//   - Blob URL entries are not modelled: a blob: URL's origin is always
//     derived from its path.
//   - The origin of a file: URL is a new opaque origin (the standard leaves
//     it to the implementation).
//   - Go strings may hold invalid UTF-8: it is replaced by U+FFFD first, as
//     the USVString conversion does for lone surrogates in JavaScript.
//   - Domain to ASCII uses golang.org/x/net/idna (Unicode 15.0 tables under
//     Go 1.26), with the code points whose UTS 46 status changed in Unicode
//     15.1/16.0 re-mapped first (see premapUTS46). Code points new in
//     Unicode 16/17 remain unknown to it.
package weburl
