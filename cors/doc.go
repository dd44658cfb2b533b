// Package cors implements the CORS protocol: the CORS check, CORS-preflight
// fetch and its cache, and the header exposure rules.
//
// Spec: https://fetch.spec.whatwg.org/#http-cors-protocol and
// https://fetch.spec.whatwg.org/#cors-preflight-fetch
package cors
