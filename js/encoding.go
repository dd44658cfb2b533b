package js

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dop251/goja"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/transform"
)

// utf8Decoder is the Encoding Standard's UTF-8 decoder, which replaces each
// maximal invalid subpart with one U+FFFD.
// https://encoding.spec.whatwg.org/#utf-8-decoder
type utf8Decoder struct {
	cp, needed, seen int
	lower, upper     byte
}

// decode appends the decoded text of b to out; with flush, an incomplete
// sequence at the end becomes U+FFFD. fatal reports the first error.
func (d *utf8Decoder) decode(out *strings.Builder, b []byte, flush bool) (ok bool) {
	ok = true
	if d.lower == 0 {
		d.lower, d.upper = 0x80, 0xBF
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if d.needed == 0 {
			switch {
			case c <= 0x7F:
				out.WriteByte(c)
			case c >= 0xC2 && c <= 0xDF:
				d.needed, d.cp = 1, int(c&0x1F)
			case c >= 0xE0 && c <= 0xEF:
				if c == 0xE0 {
					d.lower = 0xA0
				}
				if c == 0xED {
					d.upper = 0x9F
				}
				d.needed, d.cp = 2, int(c&0xF)
			case c >= 0xF0 && c <= 0xF4:
				if c == 0xF0 {
					d.lower = 0x90
				}
				if c == 0xF4 {
					d.upper = 0x8F
				}
				d.needed, d.cp = 3, int(c&0x7)
			default:
				out.WriteRune(utf8.RuneError)
				ok = false
			}
			continue
		}
		if c < d.lower || c > d.upper {
			// The byte starts over: emit U+FFFD for the broken prefix.
			d.cp, d.needed, d.seen = 0, 0, 0
			d.lower, d.upper = 0x80, 0xBF
			out.WriteRune(utf8.RuneError)
			ok = false
			i--
			continue
		}
		d.lower, d.upper = 0x80, 0xBF
		d.cp = d.cp<<6 | int(c&0x3F)
		d.seen++
		if d.seen == d.needed {
			out.WriteRune(rune(d.cp))
			d.cp, d.needed, d.seen = 0, 0, 0
		}
	}
	if flush && d.needed != 0 {
		d.cp, d.needed, d.seen = 0, 0, 0
		d.lower, d.upper = 0x80, 0xBF
		out.WriteRune(utf8.RuneError)
		ok = false
	}
	return ok
}

// DecodeUTF8 decodes b as UTF-8 the way the Encoding Standard's "UTF-8
// decode" does: a leading BOM is dropped and errors become U+FFFD.
// https://encoding.spec.whatwg.org/#utf-8-decode
func DecodeUTF8(b []byte) string {
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		b = b[3:]
	}
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	var d utf8Decoder
	d.decode(&sb, b, true)
	return sb.String()
}

type textDecoder struct {
	name      string
	fatal     bool
	ignoreBOM bool
	enc       encoding.Encoding // nil for utf-8 and utf-16
	u8        utf8Decoder
	pending   []byte // utf-16 odd byte, or legacy bytes
	bomSeen   bool
	streaming bool
}

func (r *Runtime) installEncoding() {
	r.DefineInterface(InterfaceSpec{
		Name: "TextEncoder",
		Construct: func(c *Call) any {
			return struct{ textEncoder bool }{true}
		},
		Attrs: []Attr{{Name: "encoding", Get: func(c *Call) goja.Value { return r.vm.ToValue("utf-8") }}},
		Methods: []Method{
			{Name: "encode", Fn: func(c *Call) goja.Value {
				s := ""
				if c.Has(0) {
					s = r.USVString(c.Arg(0))
				}
				return r.NewUint8Array([]byte(s))
			}},
			{Name: "encodeInto", Length: 2, Fn: func(c *Call) goja.Value {
				src := r.USVString(c.Arg(0))
				dst, ok := r.Bytes(c.Arg(1))
				if !ok || !r.isUint8Array(c.Arg(1)) {
					r.TypeError("encodeInto: the destination is not a Uint8Array")
				}
				read, written := 0, 0
				for _, ch := range src {
					n := utf8.RuneLen(ch)
					if written+n > len(dst) {
						break
					}
					utf8.EncodeRune(dst[written:], ch)
					written += n
					if ch >= 0x10000 {
						read += 2
					} else {
						read++
					}
				}
				o := r.vm.NewObject()
				o.Set("read", read)
				o.Set("written", written)
				return o
			}},
		},
	})
	r.DefineInterface(InterfaceSpec{
		Name: "TextDecoder",
		Construct: func(c *Call) any {
			label := "utf-8"
			if c.Has(0) {
				label = r.DOMString(c.Arg(0))
			}
			d := &textDecoder{}
			name, enc := lookupEncoding(label)
			if name == "" || name == "replacement" {
				r.RangeError("TextDecoder: %q is not a supported encoding label", label)
			}
			d.name, d.enc = name, enc
			opts := r.Dictionary(c.Arg(1), "TextDecoderOptions")
			if v := Member(opts, "fatal"); v != nil {
				d.fatal = v.ToBoolean()
			}
			if v := Member(opts, "ignoreBOM"); v != nil {
				d.ignoreBOM = v.ToBoolean()
			}
			return d
		},
		Attrs: []Attr{
			{Name: "encoding", Get: func(c *Call) goja.Value { return r.vm.ToValue(c.Impl.(*textDecoder).name) }},
			{Name: "fatal", Get: func(c *Call) goja.Value { return r.vm.ToValue(c.Impl.(*textDecoder).fatal) }},
			{Name: "ignoreBOM", Get: func(c *Call) goja.Value { return r.vm.ToValue(c.Impl.(*textDecoder).ignoreBOM) }},
		},
		Methods: []Method{
			{Name: "decode", Fn: func(c *Call) goja.Value {
				d := c.Impl.(*textDecoder)
				var in []byte
				if c.Has(0) {
					b, ok := r.Bytes(c.Arg(0))
					if !ok {
						r.TypeError("TextDecoder.decode: the input is not a BufferSource")
					}
					in = append([]byte(nil), b...)
				}
				stream := false
				if opts := r.Dictionary(c.Arg(1), "TextDecodeOptions"); opts != nil {
					if v := Member(opts, "stream"); v != nil {
						stream = v.ToBoolean()
					}
				}
				s, ok := d.decode(in, stream)
				if !ok && d.fatal {
					d.reset()
					r.TypeError("TextDecoder.decode: the input is not valid %s", d.name)
				}
				return s
			}},
		},
	})
}

func (r *Runtime) isUint8Array(v goja.Value) bool {
	o, ok := v.(*goja.Object)
	if !ok {
		return false
	}
	return r.vm.InstanceOf(o, r.vm.Get("Uint8Array").(*goja.Object))
}

// lookupEncoding maps a label to an encoding name and, for legacy
// encodings, its x/text implementation.
// https://encoding.spec.whatwg.org/#concept-encoding-get
func lookupEncoding(label string) (string, encoding.Encoding) {
	l := strings.ToLower(strings.Trim(label, "\t\n\f\r "))
	switch l {
	case "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8":
		return "utf-8", nil
	case "csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16", "utf-16le":
		return "utf-16le", nil
	case "unicodefffe", "utf-16be":
		return "utf-16be", nil
	}
	enc, err := htmlindex.Get(l)
	if err != nil {
		return "", nil
	}
	name, err := htmlindex.Name(enc)
	if err != nil {
		return "", nil
	}
	return name, enc
}

func (d *textDecoder) reset() {
	d.u8 = utf8Decoder{}
	d.pending = nil
	d.bomSeen = false
	d.streaming = false
}

// decode runs the decoder over in; see
// https://encoding.spec.whatwg.org/#dom-textdecoder-decode.
func (d *textDecoder) decode(in []byte, stream bool) (goja.Value, bool) {
	// 1. A decode after a non-streaming call starts afresh.
	if !d.streaming {
		d.reset()
	}
	d.streaming = stream
	ok := true
	var out goja.Value
	switch d.name {
	case "utf-8":
		if !d.bomSeen && !d.ignoreBOM {
			buf := append(d.pending, in...)
			if len(buf) < 3 && stream && isPrefix(buf, []byte{0xEF, 0xBB, 0xBF}) {
				d.pending = buf
				return goja.StringFromUTF16(nil), true
			}
			d.pending = nil
			d.bomSeen = true
			if len(buf) >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF {
				buf = buf[3:]
			}
			in = buf
		}
		var sb strings.Builder
		ok = d.u8.decode(&sb, in, !stream)
		out = stringValue(sb.String())
	case "utf-16le", "utf-16be":
		buf := append(d.pending, in...)
		n := len(buf) &^ 1
		d.pending = append([]byte(nil), buf[n:]...)
		u := make([]uint16, 0, n/2)
		for i := 0; i < n; i += 2 {
			if d.name == "utf-16le" {
				u = append(u, uint16(buf[i])|uint16(buf[i+1])<<8)
			} else {
				u = append(u, uint16(buf[i])<<8|uint16(buf[i+1]))
			}
		}
		if !d.bomSeen && len(u) > 0 {
			d.bomSeen = true
			if u[0] == 0xFEFF && !d.ignoreBOM {
				u = u[1:]
			}
		}
		// Lone surrogates become U+FFFD; a trailing high surrogate waits
		// for more input while streaming.
		var fixed []uint16
		for i := 0; i < len(u); i++ {
			c := u[i]
			switch {
			case c >= 0xD800 && c <= 0xDBFF:
				if i+1 < len(u) && u[i+1] >= 0xDC00 && u[i+1] <= 0xDFFF {
					fixed = append(fixed, c, u[i+1])
					i++
				} else if i+1 == len(u) && stream {
					d.pending = append([]byte{byte(c), byte(c >> 8)}, d.pending...)
					if d.name == "utf-16be" {
						d.pending[0], d.pending[1] = byte(c>>8), byte(c)
					}
				} else {
					fixed = append(fixed, 0xFFFD)
					ok = false
				}
			case c >= 0xDC00 && c <= 0xDFFF:
				fixed = append(fixed, 0xFFFD)
				ok = false
			default:
				fixed = append(fixed, c)
			}
		}
		if !stream && len(d.pending) > 0 {
			fixed = append(fixed, 0xFFFD)
			ok = false
			d.pending = nil
		}
		out = goja.StringFromUTF16(fixed)
	default:
		buf := append(d.pending, in...)
		if stream {
			d.pending = buf
			return goja.StringFromUTF16(nil), true
		}
		d.pending = nil
		res, _, err := transform.Bytes(d.enc.NewDecoder(), buf)
		if err != nil {
			ok = false
		}
		s := string(res)
		if strings.ContainsRune(s, utf8.RuneError) {
			ok = false
		}
		out = stringValue(s)
	}
	return out, ok
}

func stringValue(s string) goja.Value {
	return goja.StringFromUTF16(utf16.Encode([]rune(s)))
}

func isPrefix(b, of []byte) bool {
	if len(b) > len(of) {
		return false
	}
	for i := range b {
		if b[i] != of[i] {
			return false
		}
	}
	return true
}
