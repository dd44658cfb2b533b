package coding

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/google/go-cmp/cmp"
	"github.com/klauspost/compress/zstd"
	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/internal/wptdata"
)

func TestParseCodings(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		// The examples of https://fetch.spec.whatwg.org/#example-header-list-get-decode-split.
		{"nosniff,", []string{"nosniff", ""}},
		{"", []string{""}},
		{`text/html;", x/x`, []string{`text/html;", x/x`}},
		{`x/x;test="hi",y/y`, []string{`x/x;test="hi"`, "y/y"}},
		{"x / x,,,1", []string{"x / x", "", "", "1"}},
		{`"1,2", 3`, []string{`"1,2"`, "3"}},
		// Content-Encoding shapes.
		{"gzip", []string{"gzip"}},
		{"gzip, br", []string{"gzip", "br"}},
		{" \tGZIP\t ,  br ", []string{"GZIP", "br"}},
		{`"a\"b,c"d, e`, []string{`"a\"b,c"d`, "e"}},
		{`"abc\`, []string{`"abc\`}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, ParseCodings(tt.in)); diff != "" {
			t.Errorf("ParseCodings(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

// encoders apply one content coding.
var encoders = map[string]func(t testing.TB, b []byte) []byte{
	"gzip": func(t testing.TB, b []byte) []byte {
		var buf bytes.Buffer
		w := gzip.NewWriter(&buf)
		w.Write(b)
		must(t, w.Close())
		return buf.Bytes()
	},
	"deflate": func(t testing.TB, b []byte) []byte { // zlib-wrapped, as RFC 9110 says
		var buf bytes.Buffer
		w := zlib.NewWriter(&buf)
		w.Write(b)
		must(t, w.Close())
		return buf.Bytes()
	},
	"deflate-raw": func(t testing.TB, b []byte) []byte { // what some servers send
		var buf bytes.Buffer
		w, _ := flate.NewWriter(&buf, flate.DefaultCompression)
		w.Write(b)
		must(t, w.Close())
		return buf.Bytes()
	},
	"br": func(t testing.TB, b []byte) []byte {
		var buf bytes.Buffer
		w := brotli.NewWriter(&buf)
		w.Write(b)
		must(t, w.Close())
		return buf.Bytes()
	},
	"zstd": func(t testing.TB, b []byte) []byte {
		w, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))
		must(t, err)
		defer w.Close()
		return w.EncodeAll(b, nil)
	},
	"identity": func(t testing.TB, b []byte) []byte { return b },
}

// headerName maps an encoder to the Content-Encoding it produces.
func headerName(enc string) string {
	if enc == "deflate-raw" {
		return "deflate"
	}
	return enc
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// trackedBody is a body that records whether it was closed.
type trackedBody struct {
	io.Reader
	closed int
}

func (b *trackedBody) Close() error { b.closed++; return nil }

func decodeAll(t testing.TB, codings []string, data []byte) ([]byte, error) {
	t.Helper()
	src := &trackedBody{Reader: bytes.NewReader(data)}
	d, err := NewDecoder(codings, src)
	if err != nil {
		t.Fatalf("NewDecoder(%q): %v", codings, err)
	}
	out, rerr := io.ReadAll(d)
	must(t, d.Close())
	if d != io.ReadCloser(src) {
		must(t, d.Close()) // a second Close of a decoder is harmless
	}
	if src.closed != 1 {
		t.Errorf("NewDecoder(%q): source closed %d times, want 1", codings, src.closed)
	}
	return out, rerr
}

func sampleText(n int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "line %d of some fairly compressible text; ", i)
	}
	return b.Bytes()[:n]
}

func TestRoundTrip(t *testing.T) {
	inputs := map[string][]byte{
		"small":  []byte("Hello world"),
		"text":   sampleText(300_000),
		"random": randomBytes(100_000, 1),
	}
	for enc, encode := range encoders {
		for name, in := range inputs {
			for _, label := range []string{headerName(enc), strings.ToUpper(headerName(enc))} {
				got, err := decodeAll(t, []string{label}, encode(t, in))
				if err != nil {
					t.Errorf("%s/%s as %q: %v", enc, name, label, err)
					continue
				}
				if !bytes.Equal(got, in) {
					t.Errorf("%s/%s as %q: decoded %d bytes, differ from the %d input bytes", enc, name, label, len(got), len(in))
				}
			}
		}
	}
	// x-gzip is gzip.
	in := inputs["text"]
	if got, err := decodeAll(t, []string{"x-gzip"}, encoders["gzip"](t, in)); err != nil || !bytes.Equal(got, in) {
		t.Errorf("x-gzip: err=%v, equal=%v", err, bytes.Equal(got, in))
	}
}

func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func TestStacked(t *testing.T) {
	in := sampleText(50_000)
	stacks := [][]string{
		{"gzip", "br"},
		{"br", "gzip"},
		{"deflate", "zstd", "gzip"},
		{"zstd", "zstd"},
		{"gzip", "identity", "deflate-raw"},
		{"br", "br", "br", "gzip"},
	}
	for _, stack := range stacks {
		data := in
		var header []string
		for _, enc := range stack { // applied in the order listed
			data = encoders[enc](t, data)
			header = append(header, headerName(enc))
		}
		value := strings.Join(header, ", ")
		got, err := decodeAll(t, ParseCodings(value), data)
		if err != nil {
			t.Errorf("Content-Encoding %q: %v", value, err)
			continue
		}
		if !bytes.Equal(got, in) {
			t.Errorf("Content-Encoding %q: decoded bytes differ", value)
		}
	}
}

func TestPassThrough(t *testing.T) {
	for _, codings := range [][]string{nil, {}, {""}, {"identity"}, {"compress"}, {"gzip", "foo"}, {"x-bzip2"}, {"gzip;q=1"}, {"identity", " ", "IDENTITY"}} {
		src := &trackedBody{Reader: strings.NewReader("raw bytes")}
		d, err := NewDecoder(codings, src)
		must(t, err)
		if d != io.ReadCloser(src) {
			t.Errorf("NewDecoder(%q) wrapped the body; want it returned untouched", codings)
		}
		if want := (len(codings) == 0 || codings[0] == "" || codings[0] == "identity"); Supported(codings) != want {
			t.Errorf("Supported(%q) = %v, want %v", codings, !want, want)
		}
	}
	if _, err := NewDecoder([]string{"gzip"}, nil); err == nil {
		t.Error("NewDecoder with a nil reader: no error")
	}
}

func isBadEncoding(err error) bool {
	var te *errs.TypeError
	return errors.As(err, &te) && errors.Is(err, &errs.NetworkError{Reason: errs.ReasonBadEncoding})
}

func TestCorrupt(t *testing.T) {
	in := sampleText(200_000)
	for _, coding := range []string{"gzip", "x-gzip", "deflate", "br", "zstd"} {
		// The bodies of WPT's bad-*-body.py handlers, and other junk.
		for _, junk := range [][]byte{
			[]byte("not actually " + coding),
			{0x1f, 0x8b},
			{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff},
			{0x78, 0x9c, 0xff, 0xff},
			{0x28, 0xb5, 0x2f, 0xfd, 0xff, 0xff, 0xff},
			{0},
			randomBytes(4096, 7),
		} {
			_, err := decodeAll(t, []string{coding}, junk)
			if !isBadEncoding(err) {
				t.Errorf("%s of %q: err = %v, want a bad-encoding network error in a TypeError", coding, junk[:min(len(junk), 16)], err)
			}
		}
		// Truncated input.
		enc := coding
		if enc == "x-gzip" {
			enc = "gzip"
		}
		full := encoders[enc](t, in)
		for _, cut := range []int{1, 2, 10, len(full) / 2, len(full) - 1} {
			_, err := decodeAll(t, []string{coding}, full[:cut])
			if !isBadEncoding(err) {
				t.Errorf("%s truncated to %d of %d bytes: err = %v, want bad-encoding", coding, cut, len(full), err)
			}
		}
	}
	// Flipped bytes: formats with checksums notice.
	for _, coding := range []string{"gzip", "deflate", "zstd"} {
		full := encoders[coding](t, in)
		bad := bytes.Clone(full)
		bad[len(bad)-3] ^= 0xff // inside the checksum
		if _, err := decodeAll(t, []string{coding}, bad); !isBadEncoding(err) {
			t.Errorf("%s with a corrupted checksum: err = %v, want bad-encoding", coding, err)
		}
	}
	// A corrupt inner layer of a stack reports bad-encoding too.
	stacked := encoders["br"](t, []byte("not actually gzip"))
	if _, err := decodeAll(t, []string{"gzip", "br"}, stacked); !isBadEncoding(err) {
		t.Errorf("gzip, br with bad gzip inside: err = %v, want bad-encoding", err)
	}
}

// FuzzDecoder checks that no input panics or hangs any decoder.
func FuzzDecoder(f *testing.F) {
	for enc, encode := range encoders {
		f.Add(headerName(enc), encode(f, []byte("seed input seed input")))
	}
	f.Add("gzip, br", []byte("x"))
	f.Fuzz(func(t *testing.T, codings string, data []byte) {
		d, err := NewDecoder(ParseCodings(codings), io.NopCloser(bytes.NewReader(data)))
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.Copy(io.Discard, io.LimitReader(d, 64<<20))
		if err != nil && !isBadEncoding(err) {
			t.Errorf("unexpected error kind: %v", err)
		}
		d.Close()
	})
}

func TestRandomInputsTerminate(t *testing.T) {
	for i := range 200 {
		data := randomBytes(1+i*37, uint64(i))
		for _, coding := range []string{"gzip", "deflate", "br", "zstd"} {
			if i%4 == 0 { // give some of them a plausible header
				data = append(encoders[headerName(coding)](t, []byte("abc"))[:4], data...)
			}
			_, err := decodeAll(t, []string{coding}, data)
			if err != nil && !isBadEncoding(err) {
				t.Errorf("%s of random input %d: unexpected error kind %v", coding, i, err)
			}
		}
	}
}

func TestGzipMembersAndTrailingBytes(t *testing.T) {
	a, b := []byte("first member, "), []byte("second member")
	ga, gb := encoders["gzip"](t, a), encoders["gzip"](t, b)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"two members are both decoded", append(bytes.Clone(ga), gb...), "first member, second member"},
		{"trailing garbage is ignored", append(bytes.Clone(ga), "garbage after the member"...), "first member, "},
		{"one trailing byte is ignored", append(bytes.Clone(ga), 0x1f), "first member, "},
		{"trailing zeros are ignored", append(bytes.Clone(ga), 0, 0, 0, 0), "first member, "},
	}
	for _, tt := range tests {
		got, err := decodeAll(t, []string{"gzip"}, tt.data)
		if err != nil || string(got) != tt.want {
			t.Errorf("%s: got %q, %v; want %q, nil", tt.name, got, err, tt.want)
		}
	}
	// A second member that starts but is broken is an error.
	broken := append(bytes.Clone(ga), gb[:len(gb)-5]...)
	if _, err := decodeAll(t, []string{"gzip"}, broken); !isBadEncoding(err) {
		t.Errorf("truncated second member: err = %v, want bad-encoding", err)
	}
	// Brotli, in contrast, rejects data after the stream (documented choice).
	if _, err := decodeAll(t, []string{"br"}, append(encoders["br"](t, a), "junk"...)); !isBadEncoding(err) {
		t.Errorf("br with trailing junk: err = %v, want bad-encoding", err)
	}
}

func TestEmptyBody(t *testing.T) {
	for _, coding := range []string{"gzip", "deflate", "br", "zstd"} {
		got, err := decodeAll(t, []string{coding}, nil)
		if err != nil || len(got) != 0 {
			t.Errorf("%s of an empty body: got %q, %v; want empty, nil", coding, got, err)
		}
	}
}

// failingBody yields some bytes, then a network failure.
type failingBody struct {
	data []byte
	err  error
}

func (f *failingBody) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}
func (f *failingBody) Close() error { return nil }

func TestSourceErrorsPassThrough(t *testing.T) {
	sentinel := errors.New("connection reset by peer")
	full := sampleText(100_000)
	for _, stack := range [][]string{{"gzip"}, {"deflate"}, {"br"}, {"zstd"}, {"gzip", "br"}, {"zstd", "deflate"}} {
		data := full
		for _, c := range stack {
			data = encoders[c](t, data)
		}
		for _, cut := range []int{0, 1, len(data) / 2} {
			d, _ := NewDecoder(stack, &failingBody{data: data[:cut], err: sentinel})
			_, err := io.ReadAll(d)
			d.Close()
			if !errors.Is(err, sentinel) || isBadEncoding(err) {
				t.Errorf("%q cut at %d: err = %v, want the source's error unchanged", stack, cut, err)
			}
		}
	}
}

func TestZstdWindowLimit(t *testing.T) {
	// A frame that declares a 16 MiB window is refused; 8 MiB is fine.
	big := sampleText(20 << 20)
	for _, tt := range []struct {
		window int
		ok     bool
	}{{8 << 20, true}, {16 << 20, false}} {
		w, err := zstd.NewWriter(nil, zstd.WithWindowSize(tt.window), zstd.WithEncoderConcurrency(1), zstd.WithSingleSegment(false))
		must(t, err)
		var buf bytes.Buffer
		w.Reset(&buf)
		w.Write(big)
		must(t, w.Close())
		got, err := decodeAll(t, []string{"zstd"}, buf.Bytes())
		if tt.ok && (err != nil || !bytes.Equal(got, big)) {
			t.Errorf("window %d: err = %v, equal = %v; want success", tt.window, err, bytes.Equal(got, big))
		}
		if !tt.ok && !isBadEncoding(err) {
			t.Errorf("window %d: err = %v, want bad-encoding", tt.window, err)
		}
	}
}

func TestNoGoroutineLeak(t *testing.T) {
	data := encoders["zstd"](t, sampleText(1<<20))
	before := runtime.NumGoroutine()
	for range 50 {
		got, err := decodeAll(t, []string{"zstd", "identity"}, data)
		if err != nil || len(got) != 1<<20 {
			t.Fatalf("zstd decode: %d bytes, %v", len(got), err)
		}
		// Also abandon one part-way through.
		d, _ := NewDecoder([]string{"zstd"}, io.NopCloser(bytes.NewReader(data)))
		io.ReadFull(d, make([]byte, 1000))
		d.Close()
	}
	runtime.GC()
	if after := runtime.NumGoroutine(); after > before+2 {
		t.Errorf("goroutines: %d before, %d after 100 zstd decoders", before, after)
	}
}

func TestCloseUnblocksRead(t *testing.T) {
	pr, pw := io.Pipe()
	d, _ := NewDecoder([]string{"gzip"}, pr)
	gz := encoders["gzip"](t, sampleText(10_000))
	go pw.Write(gz[:20]) // part of the body, then the network stalls
	done := make(chan error, 1)
	go func() {
		_, err := io.ReadAll(d)
		done <- err
	}()
	time.Sleep(2 * time.Millisecond)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err == nil {
			t.Error("Read after Close: nil error")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Read still blocked after Close")
	}
	if _, err := d.Read(make([]byte, 1)); err == nil {
		t.Error("Read after Close: nil error")
	}
}

func TestIsZlibHeader(t *testing.T) {
	for _, tt := range []struct {
		b0, b1 byte
		want   bool
	}{{0x78, 0x9c, true}, {0x78, 0x01, true}, {0x78, 0xda, true}, {0x08, 0x1d, true}, {0x78, 0x9d, false}, {0x79, 0x9c, false}, {0x88, 0x98, false}} {
		if got := isZlibHeader(tt.b0, tt.b1); got != tt.want {
			t.Errorf("isZlibHeader(%#x, %#x) = %v, want %v", tt.b0, tt.b1, got, tt.want)
		}
	}
}

// TestWPTContentEncoding decodes WPT's fetch/content-encoding resources with
// the Content-Encoding of their .headers files and checks what the WPT
// scripts (gzip-body.any.js, big-*-body.https.any.js, *-navigation.window.js,
// big-window-zstd-body.tentative.https.any.js) expect.
func TestWPTContentEncoding(t *testing.T) {
	dir := wptdata.Path(t, "fetch/content-encoding")
	bigSHA := []byte{74, 100, 37, 243, 147, 61, 116, 60, 241, 221, 126, 18, 24, 71, 204, 28, 50, 62, 201, 130, 152, 225, 217, 183, 10, 201, 143, 214, 102, 155, 212, 248}
	files, _ := filepath.Glob(filepath.Join(dir, "*", "resources", "*.headers"))
	if len(files) == 0 {
		t.Skip("no content-encoding resources")
	}
	passed, failed := 0, 0
	for _, hf := range files {
		body := strings.TrimSuffix(hf, ".headers")
		name := filepath.Base(body)
		ok := t.Run(name, func(t *testing.T) {
			hdr, err := os.ReadFile(hf)
			must(t, err)
			var ce string
			for _, line := range strings.Split(string(hdr), "\n") {
				if k, v, found := strings.Cut(line, ":"); found && strings.EqualFold(strings.TrimSpace(k), "Content-Encoding") {
					ce = strings.TrimSpace(v)
				}
			}
			data, err := os.ReadFile(body)
			must(t, err)
			got, err := decodeAll(t, ParseCodings(ce), data)
			switch {
			case strings.HasPrefix(name, "foo."):
				if err != nil || len(got) != 10500 {
					t.Errorf("%s: %d bytes, %v; want 10500 bytes", name, len(got), err)
				}
			case strings.HasPrefix(name, "hello.html"):
				if err != nil || !strings.Contains(string(got), "Hello world") {
					t.Errorf("%s: %q, %v; want a page saying Hello world", name, got, err)
				}
			case strings.HasPrefix(name, "big.text"):
				sum := sha256.Sum256(got)
				if err != nil || len(got) != 27_000_000 || !bytes.Equal(sum[:], bigSHA) {
					t.Errorf("%s: %d bytes, %v, sha256 %x; want 27000000 bytes with sha256 %x", name, len(got), err, sum, bigSHA)
				}
			case name == "big.window.zst":
				if !isBadEncoding(err) {
					t.Errorf("%s: err = %v, want bad-encoding (window above 8 MiB)", name, err)
				}
			default:
				t.Skipf("%s: no expectation known", name)
			}
		})
		if ok {
			passed++
		} else {
			failed++
		}
	}
	// The bad-*-body.py handlers serve "not actually <coding>".
	for _, c := range []string{"gzip", "br", "zstd"} {
		if _, err := decodeAll(t, []string{c}, []byte("not actually "+c)); isBadEncoding(err) {
			passed++
		} else {
			failed++
			t.Errorf("bad-%s-body: err = %v, want bad-encoding", c, err)
		}
	}
	t.Logf("WPT content-encoding: %d passed, %d failed", passed, failed)
}

func BenchmarkGzipDecode1MiB(b *testing.B) {
	in := sampleText(1 << 20)
	data := encoders["gzip"](b, in)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		d, _ := NewDecoder([]string{"gzip"}, io.NopCloser(bytes.NewReader(data)))
		n, err := io.Copy(io.Discard, d)
		if err != nil || n != int64(len(in)) {
			b.Fatal(n, err)
		}
		d.Close()
	}
}

// stuckBody blocks reads until release is closed; its Close does not
// unblock them.
type stuckBody struct {
	data    []byte
	release chan struct{}
}

func (s *stuckBody) Read(p []byte) (int, error) {
	<-s.release
	if len(s.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p, s.data)
	s.data = s.data[n:]
	return n, nil
}
func (s *stuckBody) Close() error { return nil }

func TestCloseDoesNotWaitForRead(t *testing.T) {
	src := &stuckBody{data: encoders["zstd"](t, sampleText(1000)), release: make(chan struct{})}
	rc, _ := NewDecoder([]string{"zstd"}, src)
	d := rc.(*decoder)
	readDone := make(chan struct{})
	go func() {
		d.Read(make([]byte, 100))
		close(readDone)
	}()
	time.Sleep(2 * time.Millisecond) // let the Read block in the source
	closed := make(chan struct{})
	go func() { d.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close waited for a blocked Read")
	}
	close(src.release)
	<-readDone
	d.mu.Lock()
	released := d.released
	d.mu.Unlock()
	if !released {
		t.Error("decoders not released after the blocked Read returned")
	}
	if _, err := d.Read(make([]byte, 1)); err == nil {
		t.Error("Read after Close: nil error")
	}
}
