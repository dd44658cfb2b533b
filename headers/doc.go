// Package headers implements the Fetch Standard's header list and the Headers
// class with its guards (none, request, request-no-cors, response,
// immutable), plus the header helpers the rest of fetch needs.
//
// Spec: https://fetch.spec.whatwg.org/#headers-class and
// https://fetch.spec.whatwg.org/#concept-header-list
package headers
