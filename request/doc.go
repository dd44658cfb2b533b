// Package request implements the Request class and the request concept:
// the constructor with every init member, clone, and read-only accessors.
//
// Spec: https://fetch.spec.whatwg.org/#request-class and
// https://fetch.spec.whatwg.org/#concept-request
package request
