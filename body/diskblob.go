package body

import (
	"bytes"
	"io"
	"mime"
	"os"
	"path/filepath"

	"github.com/wfetch/wfetch/internal/errs"
)

// diskRef is the part of a file on disk a Blob stands for.
type diskRef struct {
	path      string
	off, size int64
}

// OpenFile returns a File backed by the file at path, the Go counterpart of
// a browser's File from a file picker: its name is the path's last
// element, its type is guessed from the extension (mime.TypeByExtension;
// "" when unknown, which multipart sends as application/octet-stream), its
// last-modified time is the file's. The bytes are not read now: a request
// body or a multipart/form-data part made from it streams from disk with a
// known length, so large uploads never sit in memory. Slices are
// disk-backed too.
//
// As with a browser's File, the file must not change until it was read;
// a read error (the file was removed) errors the body stream, and Text and
// Bytes, which have no error result, then give what could be read. Using
// it as a Blob part (NewBlob) reads it into memory.
//
// This is a Go extension of the File API (which has no constructor from a
// path). It fails with the *os.PathError of os.Stat, or a TypeError for a
// directory or other non-regular file.
func OpenFile(path string) (*File, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, errs.TypeErrorf("OpenFile: %s is not a regular file", path)
	}
	typ := normalizeBlobType(mime.TypeByExtension(filepath.Ext(path)))
	return &File{
		Blob:         Blob{typ: typ, disk: &diskRef{path: path, size: fi.Size()}},
		name:         toScalarValues(filepath.Base(path)),
		lastModified: lastModifiedMillis(fi.ModTime()),
	}, nil
}

// bytes returns the blob's bytes: its data, or a fresh read of its part of
// the disk file (what could be read, on error).
func (b *Blob) bytes() []byte {
	if b.disk == nil {
		return b.data
	}
	out := make([]byte, 0, b.disk.size)
	buf := bytes.NewBuffer(out)
	rc := b.disk.reader()
	_, _ = buf.ReadFrom(rc)
	_ = rc.Close()
	return buf.Bytes()
}

// reader returns a reader of the file's part that opens the file on its
// first read and closes it at the end or on Close.
func (d *diskRef) reader() io.ReadCloser { return &diskReader{ref: d} }

type diskReader struct {
	ref  *diskRef
	f    *os.File
	r    io.Reader
	done bool
}

func (d *diskReader) Read(p []byte) (int, error) {
	if d.done {
		return 0, io.EOF
	}
	if d.f == nil {
		f, err := os.Open(d.ref.path)
		if err != nil {
			d.done = true
			return 0, err
		}
		d.f = f
		d.r = io.NewSectionReader(f, d.ref.off, d.ref.size)
	}
	n, err := d.r.Read(p)
	if err != nil {
		d.Close()
	}
	return n, err
}

func (d *diskReader) Close() error {
	d.done = true
	if d.f != nil {
		err := d.f.Close()
		d.f = nil
		return err
	}
	return nil
}

// diskSegment says that segment at of a multipart body is a disk file's
// part.
type diskSegment struct {
	at  int
	ref *diskRef
}

// newMultipartDiskStream streams a multipart body whose file parts are read
// from disk as they come.
func newMultipartDiskStream(segs [][]byte, disks []diskSegment) *Stream {
	rs := make([]io.Reader, len(segs))
	var closers []io.Closer
	for i, s := range segs {
		rs[i] = bytes.NewReader(s)
	}
	for _, d := range disks {
		r := d.ref.reader()
		rs[d.at] = r
		closers = append(closers, r)
	}
	return NewReaderStream(&multiReadCloser{Reader: io.MultiReader(rs...), closers: closers})
}

type multiReadCloser struct {
	io.Reader
	closers []io.Closer
}

func (m *multiReadCloser) Close() error {
	for _, c := range m.closers {
		_ = c.Close()
	}
	return nil
}
