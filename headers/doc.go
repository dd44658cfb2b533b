// Package headers implements the Fetch Standard's header list and the Headers
// class with its guards (none, request, request-no-cors, response,
// immutable), plus the header helpers the rest of fetch needs.
//
// Spec: https://fetch.spec.whatwg.org/#headers-class and
// https://fetch.spec.whatwg.org/#concept-header-list
//
// # Byte sequences
//
// Header names and values are byte sequences. They are held in Go strings
// byte for byte: no character set is assumed. Where the standard decodes a
// value to a string (get, decode, and split; extract a MIME type) each byte
// is one code point (isomorphic decode); GetDecodeSplit returns such strings
// in UTF-8, so bytes 0x80 to 0xFF come back as U+0080 to U+00FF.
//
// # The pieces
//
//   - List is the header list concept with its algorithms (Get, Append,
//     Set, Delete, Combine, SortAndCombine, GetDecodeSplit,
//     ExtractMIMEType, ExtractLength, ...). Request and response hold a
//     List; a Headers object can point at it (Wrap).
//   - Headers is the Headers class: a pointer to a List plus a Guard. Its
//     methods validate and normalize their input and apply the guard,
//     returning a *fetch.TypeError where JavaScript would throw one, and
//     silently doing nothing where the standard returns early.
//   - Free functions answer the standard's header and method predicates:
//     IsForbiddenRequestHeader, IsCORSSafelistedRequestHeader,
//     IsForbiddenMethod, NormalizeMethod, and so on.
//
// Neither a List nor a Headers is safe for concurrent use.
package headers
