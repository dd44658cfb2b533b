// Package body implements the Body mixin: one-shot byte streams (the Go face
// of a ReadableStream of bytes), "extract a body" from every BodyInit, body
// consumption (text, JSON, bytes, Blob, FormData), Blob, File and FormData.
//
// Spec: https://fetch.spec.whatwg.org/#body-mixin,
// https://streams.spec.whatwg.org/#rs-class, https://w3c.github.io/FileAPI/,
// https://xhr.spec.whatwg.org/#interface-formdata
package body
