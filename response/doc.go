// Package response implements the Response class and the response concept,
// including filtered responses (basic, cors, opaque, opaqueredirect) and the
// statics Error, Redirect and JSON.
//
// Spec: https://fetch.spec.whatwg.org/#response-class and
// https://fetch.spec.whatwg.org/#concept-response
package response
