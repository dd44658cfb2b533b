package coding

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"io"
	"testing"
	"testing/iotest"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
)

// fuzzCodings are the codings the fuzz target stacks, with an encoder each
// ("deflate" alternates between the zlib and the raw form).
var fuzzCodings = []string{"gzip", "deflate", "br", "zstd", "identity", "x-gzip"}

func fuzzEncode(t *testing.T, coding string, raw bool, b []byte) []byte {
	var buf bytes.Buffer
	var w io.WriteCloser
	switch coding {
	case "gzip", "x-gzip":
		w = gzip.NewWriter(&buf)
	case "deflate":
		if raw {
			w, _ = flate.NewWriter(&buf, flate.BestSpeed)
		} else {
			w = zlib.NewWriter(&buf)
		}
	case "br":
		w = brotli.NewWriterLevel(&buf, 1)
	case "zstd":
		enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1), zstd.WithEncoderLevel(zstd.SpeedFastest))
		if err != nil {
			t.Fatal(err)
		}
		defer enc.Close()
		return enc.EncodeAll(b, nil)
	default:
		return b
	}
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// fuzzLimit caps what a decode may produce, so that a small input that
// inflates hugely (a bomb) costs little.
const fuzzLimit = 1 << 20

// fuzzDecodeAll decodes in with codings, reading the source through r's
// wrapper, and returns at most fuzzLimit bytes, whether the limit was
// reached, and the error.
func fuzzDecodeAll(t *testing.T, codings []string, src io.Reader) ([]byte, bool, error) {
	d, err := NewDecoder(codings, io.NopCloser(src))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	out, err := io.ReadAll(io.LimitReader(d, fuzzLimit+1))
	if len(out) > fuzzLimit {
		return out[:fuzzLimit], true, nil
	}
	return out, false, err
}

// FuzzDecoders checks content decoding. Data encoded with a stack of up to
// three codings decodes back to itself. On arbitrary bytes, decoding a
// stack at once agrees with decoding it one coding at a time (last applied
// first) and with decoding from a source that returns one byte per read:
// the same bytes, and success or failure alike.
func FuzzDecoders(f *testing.F) {
	f.Add([]byte("hello, hello, hello"), []byte{0, 2}, []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0, 0x86, 0xa6, 0x10, 0x36, 5, 0, 0, 0})
	f.Add([]byte(""), []byte{3}, []byte{0x28, 0xb5, 0x2f, 0xfd, 0x04, 0x00, 0x00, 0x00})
	f.Add(bytes.Repeat([]byte("ab"), 300), []byte{1, 1, 2}, []byte{0x78, 0x9c, 0x03, 0, 0, 0, 0, 1})
	f.Add([]byte{0, 255, 7}, []byte{2, 3, 0, 4}, []byte{0x0b, 0x02, 0x80, 0x68, 0x69, 0x03})
	f.Add([]byte("x"), []byte{7}, []byte("not compressed at all"))
	f.Fuzz(func(t *testing.T, data, stack, input []byte) {
		if len(stack) > 3 {
			stack = stack[:3]
		}
		var codings []string
		for _, s := range stack {
			codings = append(codings, fuzzCodings[int(s)%len(fuzzCodings)])
		}
		// 1. Round trip.
		enc := data
		for i, c := range codings {
			enc = fuzzEncode(t, c, stack[i]&8 != 0, enc)
		}
		got, _, err := fuzzDecodeAll(t, codings, bytes.NewReader(enc))
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("%v round trip: %d bytes, err %v; want %d bytes", codings, len(got), err, len(data))
		}
		// 2. Arbitrary input: stacked, one by one, and byte-wise agree.
		if len(codings) == 0 {
			return
		}
		whole, wholeCapped, wholeErr := fuzzDecodeAll(t, codings, bytes.NewReader(input))
		var r io.Reader = bytes.NewReader(input)
		var layers []io.Closer
		for i := len(codings) - 1; i >= 0; i-- {
			d, err := NewDecoder(codings[i:i+1], io.NopCloser(r))
			if err != nil {
				t.Fatal(err)
			}
			layers = append(layers, d)
			r = d
		}
		seq, err := io.ReadAll(io.LimitReader(r, fuzzLimit+1))
		seqCapped := len(seq) > fuzzLimit
		if seqCapped {
			seq, err = seq[:fuzzLimit], nil
		}
		for _, l := range layers {
			l.Close()
		}
		if wholeCapped || seqCapped {
			n := min(len(whole), len(seq))
			if !bytes.Equal(whole[:n], seq[:n]) {
				t.Fatalf("%v: stacked and one-by-one outputs differ within the limit", codings)
			}
			return
		}
		if (wholeErr == nil) != (err == nil) || !bytes.Equal(whole, seq) {
			t.Fatalf("%v on %x: stacked gives %d bytes, err %v; one by one %d bytes, err %v", codings, input, len(whole), wholeErr, len(seq), err)
		}
		slow, slowCapped, slowErr := fuzzDecodeAll(t, codings, iotest.OneByteReader(bytes.NewReader(input)))
		if !slowCapped && ((wholeErr == nil) != (slowErr == nil) || !bytes.Equal(whole, slow)) {
			t.Fatalf("%v on %x: whole reads give %d bytes, err %v; one-byte reads %d bytes, err %v", codings, input, len(whole), wholeErr, len(slow), slowErr)
		}
	})
}
