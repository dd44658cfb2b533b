// Package body implements the Body mixin: one-shot byte streams (the Go face
// of a ReadableStream of bytes), "extract a body" from every BodyInit, body
// consumption (text, JSON, bytes, Blob, FormData), Blob, File and FormData.
//
// Spec: https://fetch.spec.whatwg.org/#body-mixin,
// https://streams.spec.whatwg.org/#rs-class, https://w3c.github.io/FileAPI/,
// https://xhr.spec.whatwg.org/#interface-formdata
//
// # Streams
//
// A [Stream] is created over a [Source] (pull-based: the stream asks for
// more when a reader waits) with [NewStream], or over an io.Reader with
// [NewReaderStream], or over bytes with [NewBytesStream]. One [Reader] at a
// time holds it ([Stream.GetReader] locks it); the Reader is an
// io.ReadCloser, so a body streams with io.Copy in constant memory. A
// stream is readable, closed or errored ([Stream.State]); reading or
// cancelling it marks it disturbed. [Stream.Cancel] and [Reader.Cancel]
// pass their reason to the source. [Stream.Tee] splits a stream in two (a
// body clone); a branch read more slowly than the other buffers the
// difference, without bound, as the spec's tee does. [Stream.TeeBounded]
// bounds that buffer instead (backpressure), for Go code that reads both
// branches concurrently.
//
// For bindings (a JavaScript ReadableStream), a [Controller] can enqueue any
// value ([Controller.EnqueueValue]), [Reader.ReadValue] returns values as
// enqueued, [Reader.ReadChunkAsync] starts a read that disturbs the stream
// at once, and [Stream.TeeClone] takes a structured-clone function.
//
// # Bodies
//
// A [Body] is a stream plus the source it can be re-extracted from and its
// length. [Extract] turns a BodyInit ([Init] lists the Go types) into a body
// and its Content-Type; [Body.Clone], [Body.Proxy], [Body.Reextract] and
// [Body.FullyRead] are the other body algorithms.
//
// [Mixin] is embedded by Request and Response. Its consumers (Text, JSON,
// Bytes, ArrayBuffer, Blob, FormData, TextStream) read the whole body once;
// a used or locked body fails with an *fetch.TypeError, malformed JSON with an
// *fetch.SyntaxError, and a failing stream with the stream's own error.
//
// # Deviations
//
//   - A FormData body has a length (the spec leaves it unclear), so it can
//     be sent with Content-Length; its entries are snapshotted at Extract.
//   - A []byte BodyInit is copied (like a BufferSource), a string is
//     converted to valid UTF-8 (invalid bytes become U+FFFD, the Go
//     counterpart of lone surrogates).
//   - Byte streams ignore zero-length chunks.
//   - Cancelling the first tee branch returns at once; the spec's promise
//     waits for the second.
//   - The multipart/form-data parser follows RFC 7578 as browsers read it
//     (the Fetch Standard has no detailed parser): see parseMultipart.
//   - Go extension: a body from SizedReader, or from a regular *os.File,
//     has a length (the standard's stream bodies have a null length), so
//     fetch sends it with a Content-Length instead of chunked. It still
//     streams and is read once.
//   - Go extension: OpenFile makes a File backed by a file on disk; its
//     bytes are read when the blob is (request bodies and multipart parts
//     stream from disk), and its type is guessed from the extension.
package body
