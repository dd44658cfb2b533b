package body

import (
	"io"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestNewBlob(t *testing.T) {
	inner, _ := NewBlob([]any{"in"}, BlobOptions{Type: "x/y"})
	file, _ := NewFile([]any{"F"}, "f", FileOptions{})
	tests := []struct {
		name     string
		parts    []any
		opts     BlobOptions
		wantData string
		wantType string
	}{
		{"empty", nil, BlobOptions{}, "", ""},
		{"mixed parts", []any{"a", []byte("b"), inner, file}, BlobOptions{}, "abinF", ""},
		{"type lowercased", nil, BlobOptions{Type: "TEXT/Plain;Charset=UTF-8"}, "", "text/plain;charset=utf-8"},
		{"type with non-ASCII dropped", nil, BlobOptions{Type: "text/plain\u00e9"}, "", ""},
		{"type with control dropped", nil, BlobOptions{Type: "text/\nplain"}, "", ""},
		{"type not parsed", nil, BlobOptions{Type: "nonsense"}, "", "nonsense"},
		{"invalid utf-8 replaced", []any{"a\xffb"}, BlobOptions{}, "a\uFFFDb", ""},
		{"transparent endings", []any{"a\r\nb\rc\nd"}, BlobOptions{Endings: "transparent"}, "a\r\nb\rc\nd", ""},
		{"native endings", []any{"a\r\nb\rc\nd\n\r", []byte("\r")}, BlobOptions{Endings: "native"}, "a\nb\nc\nd\n\n\r", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := NewBlob(tc.parts, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := string(b.Bytes()); got != tc.wantData {
				t.Errorf("data %q, want %q", got, tc.wantData)
			}
			if b.Size() != int64(len(tc.wantData)) {
				t.Errorf("size %d", b.Size())
			}
			if b.Type() != tc.wantType {
				t.Errorf("type %q, want %q", b.Type(), tc.wantType)
			}
		})
	}
	for _, bad := range []struct {
		parts []any
		opts  BlobOptions
	}{
		{[]any{42}, BlobOptions{}},
		{[]any{(*Blob)(nil)}, BlobOptions{}},
		{nil, BlobOptions{Endings: "windows"}},
	} {
		if _, err := NewBlob(bad.parts, bad.opts); !isTypeError(err) {
			t.Errorf("NewBlob(%v, %+v): %v, want TypeError", bad.parts, bad.opts, err)
		}
	}
}

func TestBlobSlice(t *testing.T) {
	b, _ := NewBlob([]any{"0123456789"}, BlobOptions{Type: "text/plain"})
	tests := []struct {
		start, end int64
		ctype      string
		want       string
		wantType   string
	}{
		{0, math.MaxInt64, "", "0123456789", ""},
		{0, 10, "", "0123456789", ""},
		{2, 5, "", "234", ""},
		{5, 2, "", "", ""},
		{-3, math.MaxInt64, "", "789", ""},
		{-3, -1, "", "78", ""},
		{-100, 3, "", "012", ""},
		{3, -100, "", "", ""},
		{8, 100, "", "89", ""},
		{100, 200, "", "", ""},
		{-1, 10, "", "9", ""},
		{0, 0, "", "", ""},
		{0, 1, "Foo/Bar", "0", "foo/bar"},
		{0, 1, "a\u0100", "0", ""},
		{0, 1, "a\x7f", "0", ""},
		{0, 1, " ~", "0", " ~"},
	}
	for _, tc := range tests {
		s := b.Slice(tc.start, tc.end, tc.ctype)
		if got := s.Text(); got != tc.want || s.Type() != tc.wantType || s.Size() != int64(len(tc.want)) {
			t.Errorf("Slice(%d, %d, %q) = %q type %q size %d, want %q type %q", tc.start, tc.end, tc.ctype, got, s.Type(), s.Size(), tc.want, tc.wantType)
		}
	}
	// Slices of slices.
	s := b.Slice(2, 8, "").Slice(1, -1, "").Slice(-2, math.MaxInt64, "")
	if s.Text() != "56" {
		t.Errorf("nested slices: %q", s.Text())
	}
	// A File's slice is a Blob.
	f, _ := NewFile([]any{"abc"}, "f.txt", FileOptions{Type: "text/plain"})
	var fs *Blob = f.Slice(1, 2, "")
	if fs.Text() != "b" {
		t.Errorf("file slice %q", fs.Text())
	}
}

func TestBlobReads(t *testing.T) {
	b, _ := NewBlob([]any{"\ufeffhé\xff"}, BlobOptions{})
	if b.Text() != "hé\ufffd" {
		t.Errorf("Text %+q", b.Text())
	}
	bs := b.Bytes()
	bs[0] = 0
	if b.ArrayBuffer()[0] == 0 {
		t.Error("Bytes shares the blob's memory")
	}
	r, _ := b.Stream().GetReader()
	got, err := io.ReadAll(r)
	if err != nil || string(got) != "\ufeffhé\uFFFD" {
		t.Errorf("Stream: %q %v", got, err)
	}
	// Each Stream call is a fresh stream.
	r2, _ := b.Stream().GetReader()
	c, _ := r2.ReadChunk()
	c[0] = 'X'
	if b.Text() != "hé\ufffd" {
		t.Error("stream chunk modified the blob")
	}
}

func TestFile(t *testing.T) {
	when := time.UnixMilli(1234567890123)
	f, err := NewFile([]any{"data"}, "dir/x\xff.txt", FileOptions{Type: "Text/X", LastModified: when})
	if err != nil {
		t.Fatal(err)
	}
	got := []any{f.Name(), f.Type(), f.Size(), f.LastModified(), f.ModTime().Equal(when), f.Text(), f.AsBlob().Size()}
	want := []any{"dir/x\uFFFD.txt", "text/x", int64(4), int64(1234567890123), true, "data", int64(4)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Error(diff)
	}
	before := time.Now().UnixMilli()
	f2, _ := NewFile(nil, "", FileOptions{})
	if f2.LastModified() < before || f2.LastModified() > time.Now().UnixMilli() {
		t.Errorf("default lastModified %d is not now", f2.LastModified())
	}
	f3, _ := NewFile(nil, "epoch", FileOptions{LastModified: time.UnixMilli(0)})
	if f3.LastModified() != 0 {
		t.Errorf("epoch lastModified %d", f3.LastModified())
	}
	if _, err := NewFile([]any{1.5}, "x", FileOptions{}); !isTypeError(err) {
		t.Errorf("bad part: %v", err)
	}
}
