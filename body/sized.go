package body

import (
	"io"
	"os"
)

// SizedReader returns r as a request body of size bytes: Extract gives
// the body that length, so fetch sends it with a Content-Length header
// instead of chunked (a presigned PUT URL, for example, needs one). r must
// produce exactly size bytes; a different count fails the upload. The body
// still streams: it is read once, cannot be sent again on a redirect that
// keeps it or on a retry, and the request needs duplex "half" like any
// stream body.
//
// This is a Go extension: the Fetch Standard gives stream bodies a null
// length. A regular *os.File given as a body gets the same treatment
// without SizedReader (its size from Stat, less its current offset).
func SizedReader(r io.Reader, size int64) io.Reader {
	return &sizedReader{r: r, size: size}
}

type sizedReader struct {
	r    io.Reader
	size int64
}

func (s *sizedReader) Read(p []byte) (int, error) { return s.r.Read(p) }

// Close closes the underlying reader when it is an io.Closer.
func (s *sizedReader) Close() error {
	if c, ok := s.r.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// readerLength is the length of a reader body: the size of a SizedReader
// or of what is left of a regular *os.File, else -1 (null).
func readerLength(r io.Reader) int64 {
	switch v := r.(type) {
	case *sizedReader:
		if v.size >= 0 {
			return v.size
		}
	case *os.File:
		fi, err := v.Stat()
		if err != nil || !fi.Mode().IsRegular() {
			return -1
		}
		off, err := v.Seek(0, io.SeekCurrent)
		if err != nil || off > fi.Size() {
			return -1
		}
		return fi.Size() - off
	}
	return -1
}
