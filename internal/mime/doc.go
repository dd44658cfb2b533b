// Package mime implements the MIME Sniffing Standard's MIME type record:
// parsing a MIME type (from a string or from bytes), serializing it (to a
// string or to bytes), its essence and parameters, and the MIME type groups
// fetch and its neighbours ask about (JavaScript, JSON, XML, HTML, ...).
//
// Spec: https://mimesniff.spec.whatwg.org/#understanding-mime-types,
// https://mimesniff.spec.whatwg.org/#parsing-a-mime-type,
// https://mimesniff.spec.whatwg.org/#serializing-a-mime-type and
// https://mimesniff.spec.whatwg.org/#mime-type-groups.
//
// Strings in a Type are Go text (UTF-8): a parameter value may hold code
// points U+0080 to U+00FF, which are stored as their UTF-8 encoding. Use
// ParseBytes and (*Type).Bytes when the input or output is a header value
// (a byte sequence, isomorphic decoded/encoded per the spec).
//
// The "minimize a supported MIME type" algorithm is not implemented.
package mime
