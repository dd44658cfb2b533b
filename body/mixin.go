package body

import (
	"bytes"
	"encoding/json"
	"errors"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/internal/mime"
	"github.com/wfetch/wfetch/weburl"
)

// Mixin is the Body interface mixin, embedded by Request and Response: it
// holds their body (nil for a null body) and reads it in every format.
// The owner builds it with NewMixin and reaches the body with InnerBody and
// SetInnerBody (package functions, so they do not show up as methods of
// Request and Response). https://fetch.spec.whatwg.org/#body-mixin
//
// Every consuming method reads the whole body once: a second call fails
// with a TypeError, as does a call while the stream is locked.
type Mixin struct {
	body     *Body
	mimeType func() *mime.Type
	header   **headers.List // see NewMixinHeader
}

// NewMixin returns a Mixin over b (nil for a null body). mimeType returns
// the owner's MIME type extracted from its headers, or nil (failure);
// mimeType may be nil when there is never one.
func NewMixin(b *Body, mimeType func() *headers.MIMEType) Mixin {
	return Mixin{body: b, mimeType: mimeType}
}

// NewMixinHeader returns a Mixin over b (nil for a null body) whose MIME
// type is extracted from the header list *header points to at the time it
// is needed (the owner's header list field). It is NewMixin without a
// closure, for owners whose MIME type comes from their header list.
func NewMixinHeader(b *Body, header **headers.List) Mixin {
	return Mixin{body: b, header: header}
}

// InnerBody returns the mixin's body (nil when null).
func InnerBody(m *Mixin) *Body { return m.body }

// SetInnerBody replaces the mixin's body.
func SetInnerBody(m *Mixin, b *Body) { m.body = b }

// Unusable reports whether the body is non-null and its stream is disturbed
// or locked. https://fetch.spec.whatwg.org/#body-unusable
func Unusable(m *Mixin) bool {
	return m.body != nil && (m.body.Stream.Disturbed() || m.body.Stream.Locked())
}

// mimeTypeOf runs "get the MIME type": the extracted type, or nil.
// https://fetch.spec.whatwg.org/#concept-body-mime-type
func (m *Mixin) mimeTypeOf() *mime.Type {
	if m.header != nil {
		l := *m.header
		if l == nil {
			return nil
		}
		mt, ok := l.ExtractMIMEType()
		if !ok {
			return nil
		}
		return mt
	}
	if m.mimeType == nil {
		return nil
	}
	return m.mimeType()
}

// Body returns the body's stream, or nil for a null body.
// https://fetch.spec.whatwg.org/#dom-body-body
func (m *Mixin) Body() *Stream {
	if m.body == nil {
		return nil
	}
	return m.body.Stream
}

// BodyUsed reports whether the body's stream has been read from or
// cancelled. https://fetch.spec.whatwg.org/#dom-body-bodyused
func (m *Mixin) BodyUsed() bool {
	return m.body != nil && m.body.Stream.Disturbed()
}

// consume runs "consume body" up to handing over the bytes.
// https://fetch.spec.whatwg.org/#concept-body-consume-body
func (m *Mixin) consume() ([]byte, error) {
	// 1. An unusable body is a TypeError.
	if m.body != nil {
		if m.body.Stream.Disturbed() {
			return nil, errs.TypeErrorf("body has already been used")
		}
		if m.body.Stream.Locked() {
			return nil, errs.TypeErrorf("body stream is locked")
		}
	}
	// 5. A null body reads as no bytes.
	if m.body == nil {
		return nil, nil
	}
	// 6. Otherwise read all of it; stream errors come back as they are.
	return m.body.FullyRead()
}

// ArrayBuffer reads the whole body as bytes.
// https://fetch.spec.whatwg.org/#dom-body-arraybuffer
func (m *Mixin) ArrayBuffer() ([]byte, error) { return m.Bytes() }

// Bytes reads the whole body as bytes (never nil on success).
// https://fetch.spec.whatwg.org/#dom-body-bytes
func (m *Mixin) Bytes() ([]byte, error) {
	b, err := m.consume()
	if err != nil {
		return nil, err
	}
	if b == nil {
		b = []byte{}
	}
	return b, nil
}

// Text reads the whole body and UTF-8 decodes it (a BOM is dropped, invalid
// bytes become U+FFFD), whatever the Content-Type's charset says.
// https://fetch.spec.whatwg.org/#dom-body-text
func (m *Mixin) Text() (string, error) {
	b, err := m.consume()
	if err != nil {
		return "", err
	}
	return utf8DecodeOwned(b), nil
}

// JSON reads the whole body, UTF-8 decodes it and parses it as JSON into
// v, as encoding/json.Unmarshal does (pass a *any for JavaScript-like
// values). Malformed JSON (an empty body included) gives a SyntaxError; a
// value that does not fit v, or a bad v, a TypeError.
// https://fetch.spec.whatwg.org/#dom-body-json
func (m *Mixin) JSON(v any) error {
	b, err := m.consume()
	if err != nil {
		return err
	}
	return parseJSONFromBytes(b, v)
}

// JSONValue is JSON into a fresh any: map[string]any, []any, string,
// float64, bool or nil.
func (m *Mixin) JSONValue() (any, error) {
	var v any
	if err := m.JSON(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// parseJSONFromBytes decodes bytes as UTF-8 and parses them as JSON.
// https://infra.spec.whatwg.org/#parse-json-bytes-to-a-javascript-value
func parseJSONFromBytes(b []byte, v any) error {
	// 1. UTF-8 decode (BOM dropped, invalid bytes replaced); valid UTF-8
	// is parsed in place.
	b = bytes.TrimPrefix(b, utf8BOM)
	if !utf8.Valid(b) {
		b = []byte(utf8DecodeWithoutBOM(b))
	}
	// 2. Parse.
	err := json.Unmarshal(b, v)
	if err == nil {
		return nil
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return errs.SyntaxErrorf("body is not valid JSON: %w", err)
	}
	return errs.TypeErrorf("JSON body does not fit %T: %w", v, err)
}

// Blob reads the whole body into a Blob whose type is the owner's MIME
// type (serialized), or "" when there is none.
// https://fetch.spec.whatwg.org/#dom-body-blob
func (m *Mixin) Blob() (*Blob, error) {
	b, err := m.consume()
	if err != nil {
		return nil, err
	}
	typ := ""
	if mt := m.mimeTypeOf(); mt != nil {
		typ = mt.String()
	}
	return newBlob(b, typ), nil
}

// FormData reads the whole body and parses it by the owner's MIME type:
// multipart/form-data (with its boundary) or
// application/x-www-form-urlencoded. Any other type, or a malformed body,
// gives a TypeError.
// https://fetch.spec.whatwg.org/#dom-body-formdata
func (m *Mixin) FormData() (*FormData, error) {
	b, err := m.consume()
	if err != nil {
		return nil, err
	}
	return packageFormData(b, m.mimeTypeOf())
}

// packageFormData runs the formData() conversion steps.
func packageFormData(b []byte, mt *mime.Type) (*FormData, error) {
	// 1. The MIME type.
	if mt != nil {
		// 2. By essence.
		switch mt.Essence() {
		case "multipart/form-data":
			boundary, _ := mt.Param("boundary")
			entries, err := parseMultipart(b, boundary)
			if err != nil {
				return nil, err
			}
			return &FormData{entries: entries}, nil
		case "application/x-www-form-urlencoded":
			pairs := weburl.ParseURLEncoded(string(b))
			fd := &FormData{entries: make([]FormDataEntry, 0, len(pairs))}
			for _, p := range pairs {
				fd.entries = append(fd.entries, FormDataEntry{Name: p.Name, Value: FormDataValue{String: p.Value}})
			}
			return fd, nil
		}
	}
	// 3. Anything else is a TypeError.
	name := "none"
	if mt != nil {
		name = mt.Essence()
	}
	return nil, errs.TypeErrorf("cannot parse a body of MIME type %s as FormData", name)
}

// TextStream returns a stream of the body UTF-8 decoded (BOM dropped,
// invalid bytes replaced), read as the body is read. It locks the body's
// stream; an unusable body is a TypeError.
// https://fetch.spec.whatwg.org/#dom-body-textstream
func (m *Mixin) TextStream() (*Stream, error) {
	// 1. An unusable body is a TypeError.
	if Unusable(m) {
		return nil, errs.TypeErrorf("body has already been used or is locked")
	}
	// 2. A null body gives an empty closed stream.
	if m.body == nil {
		return NewBytesStream(nil), nil
	}
	// 3-6. Pipe the stream through a UTF-8 decoder.
	r, err := m.body.Stream.GetReader()
	if err != nil {
		return nil, err
	}
	return NewReaderStream(readCloser{transform.NewReader(r, unicode.UTF8BOM.NewDecoder()), r}), nil
}

// readCloser pairs a decoding reader with the stream reader it wraps, so
// cancelling the decoded stream cancels the body.
type readCloser struct {
	transform *transform.Reader
	src       *Reader
}

func (rc readCloser) Read(p []byte) (int, error) { return rc.transform.Read(p) }
func (rc readCloser) Close() error               { return rc.src.Close() }
