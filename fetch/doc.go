// Package fetch implements the fetch algorithm and the Client that runs it:
// fetch, main fetch, scheme fetch, HTTP fetch, HTTP-redirect fetch,
// HTTP-network-or-cache fetch and HTTP-network fetch.
//
// Spec: https://fetch.spec.whatwg.org/#fetching
package fetch
