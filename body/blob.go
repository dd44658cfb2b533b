package body

import (
	"runtime"
	"strings"
	"time"

	"github.com/wfetch/wfetch/internal/errs"
)

// Blob is an immutable sequence of bytes with a MIME type.
// https://w3c.github.io/FileAPI/#blob-section
//
// A Blob is safe for concurrent use; slices share its bytes.
type Blob struct {
	data []byte // never modified after construction
	typ  string
	disk *diskRef // a blob backed by a file on disk (OpenFile); data is nil
}

// BlobOptions are the BlobPropertyBag members.
// https://w3c.github.io/FileAPI/#dfn-BlobPropertyBag
type BlobOptions struct {
	// Type is the media type; it is lowercased, and dropped when it holds
	// characters outside U+0020 to U+007E.
	Type string
	// Endings is "transparent" (the default, also for "") or "native",
	// which converts line endings in string parts to the platform's.
	Endings string
}

// NewBlob creates a Blob from parts, each a string (UTF-8 encoded), a
// []byte (copied), a *Blob or a *File. An unsupported part or an unknown
// Endings value gives a TypeError.
// https://w3c.github.io/FileAPI/#constructorBlob
func NewBlob(parts []any, opts BlobOptions) (*Blob, error) {
	// 1. No parts: an empty blob (the type is still normalized below).
	// 2. Process the parts.
	data, err := processBlobParts(parts, opts.Endings)
	if err != nil {
		return nil, err
	}
	// 3-4. Normalize the type and return the blob.
	return &Blob{data: data, typ: normalizeBlobType(opts.Type)}, nil
}

// newBlob wraps bytes the caller will not modify, with a type taken as is.
func newBlob(data []byte, typ string) *Blob { return &Blob{data: data, typ: typ} }

// processBlobParts concatenates the parts' bytes.
// https://w3c.github.io/FileAPI/#process-blob-parts
func processBlobParts(parts []any, endings string) ([]byte, error) {
	if endings != "" && endings != "transparent" && endings != "native" {
		return nil, errs.TypeErrorf("invalid endings value %q (want \"transparent\" or \"native\")", endings)
	}
	// 1. Start empty, sized for the total.
	n := 0
	for _, p := range parts {
		switch v := p.(type) {
		case string:
			n += len(v)
		case []byte:
			n += len(v)
		case *Blob:
			if v != nil {
				n += int(v.Size())
			}
		case *File:
			if v != nil {
				n += int(v.Size())
			}
		}
	}
	out := make([]byte, 0, n)
	// 2. Append each part's bytes.
	for i, p := range parts {
		switch v := p.(type) {
		case string:
			s := toScalarValues(v)
			if endings == "native" {
				s = convertLineEndingsToNative(s)
			}
			out = append(out, s...)
		case []byte:
			out = append(out, v...)
		case *Blob:
			if v == nil {
				return nil, errs.TypeErrorf("blob part %d is a nil *Blob", i)
			}
			out = append(out, v.bytes()...)
		case *File:
			if v == nil {
				return nil, errs.TypeErrorf("blob part %d is a nil *File", i)
			}
			out = append(out, v.bytes()...)
		default:
			return nil, errs.TypeErrorf("blob part %d has unsupported type %T (want string, []byte, *Blob or *File)", i, p)
		}
	}
	return out, nil
}

// nativeLineEnding is CRLF on Windows and LF elsewhere.
var nativeLineEnding = func() string {
	if runtime.GOOS == "windows" {
		return "\r\n"
	}
	return "\n"
}()

// convertLineEndingsToNative replaces CRLF, lone CR and lone LF with the
// platform's line ending.
// https://w3c.github.io/FileAPI/#convert-line-endings-to-native
func convertLineEndingsToNative(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\r':
			b.WriteString(nativeLineEnding)
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		case '\n':
			b.WriteString(nativeLineEnding)
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// normalizeBlobType lowercases t, or empties it when it holds a character
// outside U+0020 to U+007E (the Blob constructor's and slice's type rule).
func normalizeBlobType(t string) string {
	for i := 0; i < len(t); i++ {
		if t[i] < 0x20 || t[i] > 0x7E {
			return ""
		}
	}
	return strings.ToLower(t)
}

// Size returns the number of bytes.
// https://w3c.github.io/FileAPI/#dfn-size
func (b *Blob) Size() int64 {
	if b.disk != nil {
		return b.disk.size
	}
	return int64(len(b.data))
}

// Type returns the lowercase media type, or "" when unknown.
// https://w3c.github.io/FileAPI/#dfn-type
func (b *Blob) Type() string { return b.typ }

// Slice returns a blob of the bytes from start up to, not including, end,
// with contentType normalized as its type. Negative positions count back
// from the end; positions are clamped to the blob, and end before start
// gives an empty blob. Pass 0 and Size() (or math.MaxInt64) for the whole
// range; "" for no type.
// https://w3c.github.io/FileAPI/#slice-blob
func (b *Blob) Slice(start, end int64, contentType string) *Blob {
	// 1. The original size.
	size := b.Size()
	// 2-3. Relative start and end.
	rel := func(x int64) int64 {
		if x < 0 {
			return max(size+x, 0)
		}
		return min(x, size)
	}
	from, to := rel(start), rel(end)
	// 4. The content type.
	typ := normalizeBlobType(contentType)
	// 5-6. The span, and the new blob sharing the bytes.
	if to < from {
		to = from
	}
	if b.disk != nil {
		return &Blob{typ: typ, disk: &diskRef{path: b.disk.path, off: b.disk.off + from, size: to - from}}
	}
	return &Blob{data: b.data[from:to:to], typ: typ}
}

// Text returns the bytes UTF-8 decoded (a leading BOM is dropped, invalid
// sequences become U+FFFD).
// https://w3c.github.io/FileAPI/#dom-blob-text
func (b *Blob) Text() string { return utf8Decode(b.bytes()) }

// Bytes returns a copy of the bytes.
// https://w3c.github.io/FileAPI/#dom-blob-bytes
func (b *Blob) Bytes() []byte {
	if b.disk != nil {
		return b.bytes() // already a fresh copy
	}
	return append([]byte(nil), b.data...)
}

// ArrayBuffer is Bytes, under the JavaScript name.
// https://w3c.github.io/FileAPI/#dom-blob-arraybuffer
func (b *Blob) ArrayBuffer() []byte { return b.Bytes() }

// Stream returns a new stream of the blob's bytes.
// https://w3c.github.io/FileAPI/#blob-get-stream
func (b *Blob) Stream() *Stream {
	if b.disk != nil {
		return NewReaderStream(b.disk.reader())
	}
	return NewBytesStream(b.data)
}

// File is a Blob with a name and a last-modified time.
// https://w3c.github.io/FileAPI/#file-section
type File struct {
	Blob
	name         string
	lastModified int64 // milliseconds since the Unix epoch
}

// FileOptions are the FilePropertyBag members.
// https://w3c.github.io/FileAPI/#dfn-FilePropertyBag
type FileOptions struct {
	// Type and Endings are as in BlobOptions.
	Type    string
	Endings string
	// LastModified is the file's modification time; the zero Time means
	// now. It is kept to the millisecond.
	LastModified time.Time
}

// NewFile creates a File named name from parts (as for NewBlob).
// https://w3c.github.io/FileAPI/#file-constructor
func NewFile(parts []any, name string, opts FileOptions) (*File, error) {
	// 1. Process the parts.
	data, err := processBlobParts(parts, opts.Endings)
	if err != nil {
		return nil, err
	}
	// 2-4. Name, normalized type and modification time.
	return newFile(data, toScalarValues(name), normalizeBlobType(opts.Type), lastModifiedMillis(opts.LastModified)), nil
}

func lastModifiedMillis(t time.Time) int64 {
	if t.IsZero() {
		return time.Now().UnixMilli()
	}
	return t.UnixMilli()
}

// newFile wraps bytes the caller will not modify.
func newFile(data []byte, name, typ string, lastModified int64) *File {
	return &File{Blob: Blob{data: data, typ: typ}, name: name, lastModified: lastModified}
}

// Name returns the file's name.
// https://w3c.github.io/FileAPI/#dfn-name
func (f *File) Name() string { return f.name }

// LastModified returns the modification time in milliseconds since the Unix
// epoch. https://w3c.github.io/FileAPI/#dfn-lastModified
func (f *File) LastModified() int64 { return f.lastModified }

// ModTime returns the modification time as a time.Time.
func (f *File) ModTime() time.Time { return time.UnixMilli(f.lastModified) }

// AsBlob returns the file's Blob part (same bytes and type, no name).
func (f *File) AsBlob() *Blob { return &f.Blob }

// nowMillis is the current time in milliseconds since the Unix epoch.
func nowMillis() int64 { return time.Now().UnixMilli() }
