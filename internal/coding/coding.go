// Package coding decodes HTTP content codings of response bodies, as the
// Fetch Standard's "handle content codings" asks: gzip (and x-gzip),
// deflate (zlib-wrapped or raw), br, zstd and identity, stacked in the order
// a Content-Encoding header lists them.
//
// Spec: https://fetch.spec.whatwg.org/#handle-content-codings, with the
// coding list obtained by https://fetch.spec.whatwg.org/#concept-header-value-get-decode-split
// of the Content-Encoding header, and the codings themselves from
// RFC 9110 §8.4.1, RFC 1950/1951/1952, RFC 7932 and RFC 8878.
//
// Choices where HTTP and fetch leave room, following browsers:
//   - a list with any unsupported coding is not decoded at all: the body
//     passes through untouched ("if codings are not supported, return
//     bytes");
//   - empty list entries and "identity" are no-ops;
//   - "deflate" is decoded as a zlib stream (RFC 1950) when the body starts
//     with a valid zlib header and as raw deflate (RFC 1951) otherwise, since
//     servers send both;
//   - gzip: concatenated members are all decoded; bytes after a complete
//     member that do not start another member are ignored, as Chromium does;
//   - an empty body decodes to an empty body for every coding, since servers
//     commonly label empty responses with a Content-Encoding;
//   - zstd frames whose window exceeds 8 MiB are rejected, as RFC 8878
//     §3.1.1.1.2 recommends for the web (WPT
//     fetch/content-encoding/zstd/big-window-zstd-body);
//   - br: data after the end of the brotli stream is an error.
//
// A body that fails to decode yields, from Read, a *errs.TypeError wrapping
// an *errs.NetworkError with reason errs.ReasonBadEncoding; errors of the
// underlying reader are returned unchanged.
package coding

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"io"
	"sync"
	"sync/atomic"

	"github.com/wfetch/wfetch/internal/ascii"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"

	"github.com/wfetch/wfetch/internal/errs"
)

// MaxCodings is the most content codings (not counting "identity" and
// empty entries) a body may list. A longer list makes NewDecoder fail, and
// fetch reports a network error (reason bad-encoding): no server needs
// more than a couple, and each layer costs a decoder and its buffers.
const MaxCodings = 8

// MaxZstdWindow is the largest zstd window (and so decoder memory per
// frame) accepted: 8 MiB, per RFC 8878 §3.1.1.1.2.
const MaxZstdWindow = 8 << 20

// ParseCodings splits a Content-Encoding header value (several header
// lines combined with ", ") into its codings with fetch's "get, decode, and
// split": commas inside quoted strings do not split, and tabs and spaces
// around each entry are removed. Entries keep their case and may be empty.
//
// https://fetch.spec.whatwg.org/#concept-header-value-get-decode-split
func ParseCodings(headerValues string) []string {
	// 1-2. The value's bytes are the code points (isomorphic decode), so we
	// walk the string byte by byte.
	input := headerValues
	pos := 0
	// 3-4. Start with no values and an empty temporary value.
	var values []string
	temp := ""
	// 5. Loop over comma-separated pieces.
	for {
		// 5.1. Take everything up to a quote or comma.
		start := pos
		for pos < len(input) && input[pos] != '"' && input[pos] != ',' {
			pos++
		}
		temp += input[start:pos]
		// 5.2. A quote starts a quoted string, kept whole with its quotes.
		if pos < len(input) && input[pos] == '"' {
			var q string
			q, pos = collectQuotedString(input, pos)
			temp += q
			if pos < len(input) {
				continue
			}
		}
		// 5.3-5.5. Trim tabs and spaces, keep the entry, start afresh.
		values = append(values, trimHTTPTabOrSpace(temp))
		temp = ""
		// 5.6. The end of the input ends the list.
		if pos >= len(input) {
			return values
		}
		// 5.7-5.8. Otherwise we are at a comma: skip it.
		pos++
	}
}

// collectQuotedString collects an HTTP quoted string starting at the quote
// at input[pos], without extracting its value, and returns it with the
// position after it.
// https://fetch.spec.whatwg.org/#collect-an-http-quoted-string
func collectQuotedString(input string, pos int) (string, int) {
	// 1-4. Remember the start and skip the opening quote.
	start := pos
	pos++
	// 5. Consume text, escapes and finally the closing quote.
	for {
		for pos < len(input) && input[pos] != '"' && input[pos] != '\\' {
			pos++
		}
		if pos >= len(input) {
			break
		}
		c := input[pos]
		pos++
		if c == '\\' {
			if pos >= len(input) {
				break
			}
			pos++
			continue
		}
		break // the closing quote
	}
	// 6-7. Return the raw text, quotes included.
	return input[start:pos], pos
}

func trimHTTPTabOrSpace(s string) string {
	i, j := 0, len(s)
	for i < j && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	for j > i && (s[j-1] == ' ' || s[j-1] == '\t') {
		j--
	}
	return s[i:j]
}

// kind is a supported content coding.
type kind string

const (
	kindGzip    kind = "gzip"
	kindDeflate kind = "deflate"
	kindBrotli  kind = "br"
	kindZstd    kind = "zstd"
)

// normalize maps a Content-Encoding entry to its decoder; skip is true for
// no-op entries ("" and identity) and ok is false for unsupported ones.
func normalize(c string) (k kind, skip, ok bool) {
	switch ascii.Lower(trimHTTPTabOrSpace(c)) {
	case "", "identity":
		return "", true, true
	case "gzip", "x-gzip":
		return kindGzip, false, true
	case "deflate":
		return kindDeflate, false, true
	case "br":
		return kindBrotli, false, true
	case "zstd":
		return kindZstd, false, true
	}
	return "", false, false
}

// Supported reports whether every entry of codings can be decoded, that
// is, whether NewDecoder would decode rather than pass the body through.
func Supported(codings []string) bool {
	for _, c := range codings {
		if _, _, ok := normalize(c); !ok {
			return false
		}
	}
	return true
}

// NewDecoder returns a reader of r's bytes with codings undone, last coding
// first (codings are listed in the order they were applied). When codings
// are empty, only no-ops, or include a coding this package does not
// support, r itself is returned, untouched, as fetch's "handle content
// codings" says.
//
// Decoding starts lazily on the first Read, so NewDecoder never reads from
// r. A body that fails to decode (corrupt, truncated, a zstd window above
// MaxZstdWindow) makes Read return a TypeError wrapping a NetworkError of
// reason errs.ReasonBadEncoding; errors of r itself are returned as they
// are. Close releases every decoder and closes r; it may be called while a
// Read is blocked in r (it never waits for that Read), and it is safe to
// call more than once.
//
// Decoders and their buffers are made when the body is first read, one
// layer at a time. NewDecoder fails with a network error (reason
// bad-encoding) when codings lists more than MaxCodings decoding entries,
// and with a TypeError when r is nil.
//
// https://fetch.spec.whatwg.org/#handle-content-codings
func NewDecoder(codings []string, r io.ReadCloser) (io.ReadCloser, error) {
	if r == nil {
		return nil, errs.TypeErrorf("coding: NewDecoder given a nil body reader")
	}
	// 1. Unsupported codings: return the bytes as they are.
	// (Past MaxCodings, entries are only checked for support.)
	var kinds []kind
	n := 0
	for _, c := range codings {
		k, skip, ok := normalize(c)
		if !ok {
			return r, nil
		}
		if !skip {
			if n++; n <= MaxCodings {
				kinds = append(kinds, k)
			}
		}
	}
	if n == 0 {
		return r, nil
	}
	if n > MaxCodings {
		return nil, errs.Network(errs.ReasonBadEncoding, nil, "%d content codings exceed the limit of %d", n, MaxCodings)
	}
	// 2. Undo the codings, the last applied first; each layer reads the
	// previous layer's output through a tap that remembers its errors.
	d := &decoder{src: r}
	var in io.Reader = r
	for i := len(kinds) - 1; i >= 0; i-- {
		l := &layer{kind: kinds[i], in: tap{r: in}}
		d.layers = append(d.layers, l)
		in = l
	}
	d.top = in
	return d, nil
}

// tap passes reads through and remembers the first error other than EOF,
// so a layer can tell its input's failures from its own.
type tap struct {
	r   io.Reader
	err error
}

func (t *tap) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if err != nil && err != io.EOF && t.err == nil {
		t.err = err
	}
	return n, err
}

// layer undoes one content coding.
type layer struct {
	kind kind
	in   tap
	buf  *bufio.Reader // over in, made on the first read; lets us peek at headers

	started bool
	done    bool // the coded stream has ended: report EOF
	err     error

	gz   *gzip.Reader
	fl   io.ReadCloser // zlib or raw deflate
	br   *brotli.Reader
	zs   *zstd.Decoder
	read io.Reader // the active decompressor
}

func (l *layer) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if l.done {
		return 0, io.EOF
	}
	n, err := l.read1(p)
	if err == io.EOF {
		l.done = true
	} else if err != nil {
		l.err = l.classify(err)
		err = l.err
	}
	return n, err
}

// classify turns a decompressor error into what Read reports: the input's
// own error if the input failed, else a bad-encoding network error.
func (l *layer) classify(err error) error {
	if l.in.err != nil {
		return l.in.err
	}
	return errs.Network(errs.ReasonBadEncoding, err, "decoding the %q content coding failed", string(l.kind))
}

func (l *layer) read1(p []byte) (int, error) {
	if !l.started {
		l.started = true
		l.buf = bufio.NewReader(&l.in)
		// An empty body stays empty, whatever its coding.
		if _, err := l.buf.Peek(1); err != nil {
			return 0, err
		}
		if err := l.start(); err != nil {
			return 0, err
		}
	}
	if l.kind == kindGzip {
		return l.readGzip(p)
	}
	return l.read.Read(p)
}

// start creates the decompressor for the layer's coding.
func (l *layer) start() error {
	switch l.kind {
	case kindGzip:
		z, err := gzip.NewReader(l.buf)
		if err != nil {
			return err
		}
		z.Multistream(false)
		l.gz, l.read = z, z
	case kindDeflate:
		if hdr, _ := l.buf.Peek(2); len(hdr) == 2 && isZlibHeader(hdr[0], hdr[1]) {
			z, err := zlib.NewReader(l.buf)
			if err != nil {
				return err
			}
			l.fl = z
		} else {
			l.fl = flate.NewReader(l.buf)
		}
		l.read = l.fl
	case kindBrotli:
		l.br = brotli.NewReader(l.buf)
		l.read = l.br
	case kindZstd:
		z, err := zstd.NewReader(l.buf,
			zstd.WithDecoderConcurrency(1), // decode synchronously: no goroutines
			zstd.WithDecoderMaxWindow(MaxZstdWindow),
			zstd.WithDecoderMaxMemory(MaxZstdWindow),
		)
		if err != nil {
			return err
		}
		l.zs, l.read = z, z
	}
	return nil
}

// readGzip reads the current gzip member; at its end it moves on to a
// following member, or ends the stream when what follows is not one.
func (l *layer) readGzip(p []byte) (int, error) {
	for {
		n, err := l.gz.Read(p)
		if err != io.EOF {
			return n, err
		}
		next, perr := l.buf.Peek(2)
		if len(next) < 2 || next[0] != 0x1f || next[1] != 0x8b {
			if perr != nil && perr != io.EOF && len(next) < 2 {
				return n, perr
			}
			// End of input, or trailing bytes that are no gzip member:
			// ignored, as Chromium does.
			return n, io.EOF
		}
		if rerr := l.gz.Reset(l.buf); rerr != nil {
			return n, rerr
		}
		l.gz.Multistream(false)
		if n > 0 {
			return n, nil
		}
	}
}

// isZlibHeader reports whether two bytes form a valid RFC 1950 header:
// method 8 (deflate), a window of at most 32 KiB and a correct check value.
func isZlibHeader(cmf, flg byte) bool {
	return cmf&0x0f == 8 && cmf>>4 <= 7 && (uint(cmf)<<8|uint(flg))%31 == 0
}

func (l *layer) close() {
	if l.zs != nil {
		l.zs.Close()
		l.zs = nil
	}
	if l.gz != nil {
		l.gz.Close()
	}
	if l.fl != nil {
		l.fl.Close()
	}
	l.err = errClosed
}

var errClosed = errors.New("coding: read from a closed body")

// decoder is the io.ReadCloser NewDecoder returns.
type decoder struct {
	src    io.ReadCloser
	top    io.Reader
	layers []*layer

	mu        sync.Mutex // held while reading; guards layers
	closed    atomic.Bool
	released  bool // layers freed; under mu
	closeOnce sync.Once
	closeErr  error
}

func (d *decoder) Read(p []byte) (int, error) {
	d.mu.Lock()
	if d.closed.Load() {
		d.release()
		d.mu.Unlock()
		return 0, errClosed
	}
	n, err := d.top.Read(p)
	d.mu.Unlock()
	// A Close that ran while we read left the decoders for us to free.
	if d.closed.Load() && d.mu.TryLock() {
		d.release()
		d.mu.Unlock()
	}
	return n, err
}

// Close closes the source, so that a Read blocked on it returns, and frees
// the decoders; if a Read is still running, that Read frees them when it
// returns. Close never waits for a Read.
func (d *decoder) Close() error {
	d.closeOnce.Do(func() {
		d.closeErr = d.src.Close()
		d.closed.Store(true)
		if d.mu.TryLock() {
			d.release()
			d.mu.Unlock()
		}
	})
	return d.closeErr
}

// release frees the decoders once; the caller holds mu.
func (d *decoder) release() {
	if d.released {
		return
	}
	d.released = true
	for _, l := range d.layers {
		l.close()
	}
}
