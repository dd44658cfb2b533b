package body

import (
	"io"
	"net/url"
	"sort"

	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/weburl"
)

// Body is a fetch body: a stream, the source it can be re-created from,
// and its length. https://fetch.spec.whatwg.org/#concept-body
type Body struct {
	// Stream carries the bytes; it is one-shot.
	Stream *Stream
	// Source is what the body was extracted from, when it can be extracted
	// again (for redirects and retries): nil, []byte, *Blob, *File or
	// *FormData. A nil Source means the body can be read only once (a
	// stream or io.Reader; a Request with such a body needs duplex "half").
	Source any
	// Length is the body's total byte count, or -1 when unknown (null).
	Length int64

	boundary string // the multipart boundary when Source is a *FormData
}

// Init documents the Go types that Extract accepts as a BodyInit:
//
//   - string: UTF-8 text, Content-Type text/plain;charset=UTF-8
//   - []byte: a copy of the bytes, no Content-Type (BufferSource)
//   - *Blob, *File: the blob's bytes, Content-Type its type when non-empty
//   - *FormData: multipart/form-data with a fresh boundary
//   - URLSearchParams (such as *weburl.SearchParams), []weburl.Pair or
//     url.Values: application/x-www-form-urlencoded;charset=UTF-8
//   - *Stream or io.Reader: streamed, no length, no Content-Type; not
//     allowed with keepalive
//
// https://fetch.spec.whatwg.org/#bodyinit-unions
type Init = any

// URLSearchParams is what Extract takes as a URLSearchParams object: a
// name-value list (Entries) whose String method serializes it as
// application/x-www-form-urlencoded. *weburl.SearchParams satisfies it;
// Extract uses String.
type URLSearchParams interface {
	String() string
	Entries() []weburl.Pair
}

// Extract turns a BodyInit into a body and the Content-Type it implies ("" for
// none). keepalive forbids stream bodies. It fails with a TypeError for a
// stream that is locked or disturbed, for a stream with keepalive, and for
// an unsupported type.
// https://fetch.spec.whatwg.org/#concept-bodyinit-extract
func Extract(obj Init, keepalive bool) (*Body, string, error) {
	return extract(obj, keepalive, "")
}

// extract is Extract with an optional multipart boundary to reuse.
func extract(obj Init, keepalive bool, boundary string) (*Body, string, error) {
	// 1-5. The stream, and 6-9. action, source, length and type.
	var (
		stream *Stream
		source any
		segs   [][]byte
		length int64 = -1
		ctype  string
	)
	// 10. Switch on the object's type.
	switch o := obj.(type) {
	case nil:
		return nil, "", errs.TypeErrorf("cannot extract a body from nil")
	case *Blob:
		if o == nil {
			return nil, "", errs.TypeErrorf("cannot extract a body from a nil *Blob")
		}
		// Blob: its own stream, its size and its type.
		stream, source, length, ctype = o.Stream(), o, o.Size(), o.Type()
	case *File:
		if o == nil {
			return nil, "", errs.TypeErrorf("cannot extract a body from a nil *File")
		}
		stream, source, length, ctype = o.Stream(), o, o.Size(), o.Type()
	case []byte:
		// BufferSource: a copy of the bytes.
		b := append(make([]byte, 0, len(o)), o...)
		source = b
	case string:
		// Scalar value string: its UTF-8 encoding as text/plain.
		source = []byte(toScalarValues(o))
		ctype = "text/plain;charset=UTF-8"
	case *FormData:
		if o == nil {
			return nil, "", errs.TypeErrorf("cannot extract a body from a nil *FormData")
		}
		// FormData: the multipart/form-data encoding of a snapshot of its
		// entries. Deviation: the length is computed (the spec leaves it
		// unclear), so the body can be sent with a Content-Length.
		if boundary == "" {
			boundary = newBoundary()
		}
		var disks []diskSegment
		segs, disks, length = encodeMultipart(o.entries, boundary)
		if len(disks) > 0 {
			stream = newMultipartDiskStream(segs, disks) // diskblob.go
		}
		source = o
		ctype = "multipart/form-data; boundary=" + boundary
	case []weburl.Pair:
		source = []byte(weburl.SerializeURLEncoded(o))
		ctype = "application/x-www-form-urlencoded;charset=UTF-8"
	case url.Values:
		source = []byte(weburl.SerializeURLEncoded(valuesPairs(o)))
		ctype = "application/x-www-form-urlencoded;charset=UTF-8"
	case *Stream:
		if o == nil {
			return nil, "", errs.TypeErrorf("cannot extract a body from a nil *Stream")
		}
		// ReadableStream: not with keepalive, and only when unused.
		if keepalive {
			return nil, "", errs.TypeErrorf("a keepalive request cannot have a stream body")
		}
		if o.Disturbed() || o.Locked() {
			return nil, "", errs.TypeErrorf("the body stream is disturbed or locked")
		}
		stream = o
	case io.Reader:
		if keepalive {
			return nil, "", errs.TypeErrorf("a keepalive request cannot have a stream body (%T)", o)
		}
		stream = NewReaderStream(o)
		// Go extension: a reader with a known size (SizedReader, a
		// regular *os.File) has a length, so it is sent with a
		// Content-Length (sized.go).
		length = readerLength(o)
	case URLSearchParams:
		// URLSearchParams: its serialization as urlencoded.
		source = []byte(o.String())
		ctype = "application/x-www-form-urlencoded;charset=UTF-8"
	default:
		return nil, "", errs.TypeErrorf("unsupported body type %T", obj)
	}
	// 11. A byte sequence source gives the action and the length.
	if b, ok := source.([]byte); ok {
		segs = [][]byte{b}
		length = int64(len(b))
	}
	// 12. Run the action: the stream produces the bytes lazily.
	if stream == nil {
		stream = newSegmentsStream(segs)
	}
	// 13-14. The body and its type.
	return &Body{Stream: stream, Source: source, Length: length, boundary: boundary}, ctype, nil
}

// valuesPairs turns url.Values into pairs, keys sorted for a stable order.
func valuesPairs(v url.Values) []weburl.Pair {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var pairs []weburl.Pair
	for _, k := range keys {
		for _, val := range v[k] {
			pairs = append(pairs, weburl.Pair{Name: k, Value: val})
		}
	}
	return pairs
}

// FromReader returns a body streamed from r with the given length (-1 when
// unknown), such as a network response body. It has no source.
func FromReader(r io.Reader, length int64) *Body {
	return &Body{Stream: NewReaderStream(r), Length: length}
}

// FromBytes returns the body of a byte sequence ("as a body"); b is not
// copied and must not be modified afterwards.
// https://fetch.spec.whatwg.org/#byte-sequence-as-a-body
func FromBytes(b []byte) *Body {
	return &Body{Stream: NewBytesStream(b), Source: b, Length: int64(len(b))}
}

// Clone tees the body's stream: b keeps one branch and the returned body
// gets the other, with the same source and length. It fails with a
// TypeError when the stream is locked.
// https://fetch.spec.whatwg.org/#concept-body-clone
func (b *Body) Clone() (*Body, error) {
	// 1. Tee the stream.
	out1, out2, err := b.Stream.Tee()
	if err != nil {
		return nil, err
	}
	// 2. This body continues with the first branch.
	b.Stream = out1
	// 3. The clone gets the second branch and the other members.
	c := *b
	c.Stream = out2
	return &c, nil
}

// Proxy returns a body with the same source and length whose stream reads
// through b's stream, which it locks and marks disturbed at once (as the
// pipe of "create a proxy" does). Cancelling the new stream cancels b's.
// It fails with a TypeError when b's stream is locked.
// https://streams.spec.whatwg.org/#readablestream-create-a-proxy
func (b *Body) Proxy() (*Body, error) {
	r, err := b.Stream.GetReader()
	if err != nil {
		return nil, err
	}
	b.Stream.mu.Lock()
	b.Stream.disturbed = true
	b.Stream.mu.Unlock()
	nb := *b
	nb.Stream = NewReaderStream(r)
	return &nb, nil
}

// Reextract safely extracts the body's source again, giving a fresh body
// with the same bytes (used when a request is redirected). A FormData
// source keeps its boundary, so an already set Content-Type stays right.
// It fails with a TypeError when the body has no source.
// https://fetch.spec.whatwg.org/#bodyinit-safely-extract
func (b *Body) Reextract() (*Body, error) {
	if b.Source == nil {
		return nil, errs.TypeErrorf("the body has no source and cannot be extracted again")
	}
	if src, ok := b.Source.([]byte); ok {
		return FromBytes(src), nil
	}
	nb, _, err := extract(b.Source, false, b.boundary)
	return nb, err
}

// LengthHinter is a Source that can tell how many bytes it expects to
// produce (-1 when it cannot), such as a network body with a
// Content-Length. FullyRead uses the hint to size its buffer when the
// body's length is null; a wrong hint costs only a reallocation.
type LengthHinter interface {
	LengthHint() int64
}

// FullyRead reads the whole body into one byte slice, pre-sized from the
// body's length when known (or from its source's LengthHint). Errors of the
// stream are returned as they are; a locked stream gives a TypeError. As in
// the spec, the stream stays locked afterwards.
// https://fetch.spec.whatwg.org/#body-fully-read
func (b *Body) FullyRead() ([]byte, error) {
	// 1-3. Get a reader (fails when locked); it is never released.
	r, err := b.Stream.GetReader()
	if err != nil {
		return nil, err
	}
	length := b.Length
	if length < 0 {
		if h, ok := b.Stream.src.(LengthHinter); ok {
			length = h.LengthHint()
		}
	}
	// 4. Read all bytes.
	return readAll(r, length)
}

// maxPresize caps how much a declared length may pre-allocate, so a wrong
// Content-Length cannot make us allocate gigabytes up front.
const maxPresize = 64 << 20

// readAll reads r to the end; length (-1 if unknown) sizes the buffer.
// With the right length the bytes are copied once, into a buffer of
// exactly that size; otherwise the buffer doubles as it fills.
func readAll(r *Reader, length int64) ([]byte, error) {
	var buf []byte
	switch {
	case length == 0:
	case length > 0 && length <= maxPresize:
		buf = make([]byte, 0, length)
	default:
		buf = make([]byte, 0, 512)
	}
	for {
		if len(buf) == cap(buf) {
			// Full: probe for the end with the reader's small buffer
			// rather than growing (a stream that already ended, or a
			// source that says EOF on a zero-byte read, costs nothing).
			n, err := r.Read(r.probe[:])
			if n > 0 {
				// More than expected: double the buffer.
				grown := make([]byte, len(buf), max(2*cap(buf), 512)+n)
				copy(grown, buf)
				buf = append(grown, r.probe[:n]...)
			}
			if err == io.EOF {
				return buf, nil
			}
			if err != nil {
				return nil, err
			}
			continue
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}
