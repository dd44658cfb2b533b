// Package cache implements the HTTP cache that fetch's cache modes consult
// (default, no-store, reload, no-cache, force-cache, only-if-cached).
//
// Spec: https://fetch.spec.whatwg.org/#concept-request-cache-mode and
// RFC 9111 (HTTP Caching)
package cache
