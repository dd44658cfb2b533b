package body

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"strings"

	"github.com/wfetch/wfetch/internal/errs"
)

// newBoundary generates a fresh multipart/form-data boundary string: a
// fixed prefix and 24 random hex digits, never found by chance in content.
// https://html.spec.whatwg.org/multipage/form-control-infrastructure.html#multipart/form-data-boundary-string
func newBoundary() string {
	var b [12]byte
	rand.Read(b[:])
	return "----wfetch-formdata-" + hex.EncodeToString(b[:])
}

// normalizeNewlines replaces a lone CR, a lone LF and CRLF by CRLF.
func normalizeNewlines(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\r':
			b.WriteString("\r\n")
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		case '\n':
			b.WriteString("\r\n")
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// escapeMultipartName escapes a field name or filename for a
// Content-Disposition header: LF as %0A, CR as %0D, `"` as %22.
var multipartNameEscaper = strings.NewReplacer("\n", "%0A", "\r", "%0D", `"`, "%22")

// encodeMultipart runs the multipart/form-data encoding algorithm over a
// snapshot of entries with UTF-8: it returns the body as segments (file
// contents are not copied) and the total length.
// https://html.spec.whatwg.org/multipage/form-control-infrastructure.html#multipart/form-data-encoding-algorithm
//
// A file backed by a disk file (OpenFile) is not read: its segment is nil
// and disks says where it goes, so that the body streams it from disk.
func encodeMultipart(entries []FormDataEntry, boundary string) ([][]byte, []diskSegment, int64) {
	var disks []diskSegment
	segs := make([][]byte, 0, 2*len(entries)+1)
	var total int64
	add := func(b []byte) {
		if len(b) > 0 {
			segs = append(segs, b)
			total += int64(len(b))
		}
	}
	var head []byte
	for _, e := range entries {
		// 1. Newlines in the name, and in string values, become CRLF.
		// 2. The name (and a filename) is then escaped for the header.
		name := multipartNameEscaper.Replace(normalizeNewlines(e.Name))
		head = append(head, "--"...)
		head = append(head, boundary...)
		head = append(head, "\r\nContent-Disposition: form-data; name=\""...)
		head = append(head, name...)
		head = append(head, '"')
		if f := e.Value.File; f != nil {
			// A file part: its filename and type (octet-stream when
			// unknown), then its bytes as they are.
			head = append(head, "; filename=\""...)
			head = append(head, multipartNameEscaper.Replace(f.name)...)
			head = append(head, "\"\r\nContent-Type: "...)
			typ := f.typ
			if typ == "" {
				typ = "application/octet-stream"
			}
			head = append(head, typ...)
			head = append(head, "\r\n\r\n"...)
			add(head)
			if f.disk != nil {
				disks = append(disks, diskSegment{at: len(segs), ref: f.disk})
				segs = append(segs, nil)
				total += f.disk.size
			} else {
				add(f.data)
			}
			head = []byte("\r\n")
			continue
		}
		// A string part: its value with normalized newlines, UTF-8.
		head = append(head, "\r\n\r\n"...)
		head = append(head, normalizeNewlines(e.Value.String)...)
		head = append(head, "\r\n"...)
	}
	// 3. The closing delimiter.
	head = append(head, "--"...)
	head = append(head, boundary...)
	head = append(head, "--\r\n"...)
	add(head)
	return segs, disks, total
}

// parseMultipart parses a multipart/form-data body into entries, per RFC
// 7578 as browsers read it. It fails with a TypeError on malformed input.
// Rules: a preamble before the first delimiter and an epilogue after the
// last are ignored; header names are case-insensitive; every part needs a
// Content-Disposition of type form-data with a name; "%0A", "%0D" and "%22"
// in name and filename decode to LF, CR and `"` (the encoder's escapes); a
// part with a filename becomes a File (type from its Content-Type, else
// text/plain), any other its content UTF-8 decoded without BOM.
// https://fetch.spec.whatwg.org/#dom-body-formdata (multipart/form-data)
func parseMultipart(body []byte, boundary string) ([]FormDataEntry, error) {
	if boundary == "" {
		return nil, errs.TypeErrorf("multipart/form-data body without a boundary parameter")
	}
	delim := []byte("--" + boundary)
	// 1. Find the first delimiter: at the start, or after a preamble line.
	pos := 0
	if !bytes.HasPrefix(body, delim) {
		i := bytes.Index(body, append([]byte("\r\n"), delim...))
		if i < 0 {
			return nil, errs.TypeErrorf("multipart/form-data body has no boundary delimiter %q", boundary)
		}
		pos = i + 2
	}
	pos += len(delim)
	next := append([]byte("\r\n"), delim...)
	var entries []FormDataEntry
	for {
		// 2. After a delimiter: "--" ends the body; otherwise optional
		// whitespace and CRLF start a part.
		if bytes.HasPrefix(body[pos:], []byte("--")) {
			return entries, nil
		}
		for pos < len(body) && (body[pos] == ' ' || body[pos] == '\t') {
			pos++
		}
		if !bytes.HasPrefix(body[pos:], []byte("\r\n")) {
			return nil, errs.TypeErrorf("multipart/form-data: expected CRLF after the boundary at byte %d", pos)
		}
		pos += 2
		// 3. The part's header lines, up to an empty line.
		var (
			name, filename       string
			hasName, hasFilename bool
			ctype                string
			hasType, hasDisp     bool
		)
		for {
			end := bytes.Index(body[pos:], []byte("\r\n"))
			if end < 0 {
				return nil, errs.TypeErrorf("multipart/form-data: part headers are not terminated")
			}
			line := body[pos : pos+end]
			pos += end + 2
			if len(line) == 0 {
				break
			}
			colon := bytes.IndexByte(line, ':')
			if colon <= 0 {
				return nil, errs.TypeErrorf("multipart/form-data: malformed part header %q", line)
			}
			hname := string(bytes.TrimRight(line[:colon], " \t"))
			value := strings.Trim(string(line[colon+1:]), " \t")
			switch {
			case strings.EqualFold(hname, "Content-Disposition"):
				var err error
				name, hasName, filename, hasFilename, err = parseContentDisposition(value)
				if err != nil {
					return nil, err
				}
				hasDisp = true
			case strings.EqualFold(hname, "Content-Type"):
				ctype, hasType = value, true
			}
		}
		if !hasDisp || !hasName {
			return nil, errs.TypeErrorf("multipart/form-data: part without a Content-Disposition name")
		}
		// 4. The content runs to the next CRLF delimiter.
		end := bytes.Index(body[pos:], next)
		if end < 0 {
			return nil, errs.TypeErrorf("multipart/form-data: part %q is not terminated by a boundary", name)
		}
		content := body[pos : pos+end : pos+end]
		pos += end + len(next)
		// 5. Make the entry.
		e := FormDataEntry{Name: utf8DecodeWithoutBOM([]byte(name))}
		if hasFilename {
			typ := "text/plain"
			if hasType {
				typ = normalizeBlobType(ctype)
			}
			e.Value.File = newFile(content, utf8DecodeWithoutBOM([]byte(filename)), typ, nowMillis())
		} else {
			e.Value.String = utf8DecodeWithoutBOM(content)
		}
		entries = append(entries, e)
	}
}

// parseContentDisposition reads `form-data; name="..."; filename="..."`.
func parseContentDisposition(v string) (name string, hasName bool, filename string, hasFilename bool, err error) {
	typ, rest, _ := strings.Cut(v, ";")
	if !strings.EqualFold(strings.Trim(typ, " \t"), "form-data") {
		return "", false, "", false, errs.TypeErrorf("multipart/form-data: Content-Disposition %q is not form-data", v)
	}
	for {
		rest = strings.TrimLeft(rest, " \t;")
		if rest == "" {
			return
		}
		eq := strings.IndexByte(rest, '=')
		if eq < 0 {
			return "", false, "", false, errs.TypeErrorf("multipart/form-data: malformed Content-Disposition parameter in %q", v)
		}
		key := strings.ToLower(strings.Trim(rest[:eq], " \t"))
		rest = strings.TrimLeft(rest[eq+1:], " \t")
		var val string
		if strings.HasPrefix(rest, `"`) {
			end := strings.IndexByte(rest[1:], '"')
			if end < 0 {
				return "", false, "", false, errs.TypeErrorf("multipart/form-data: unterminated quoted string in %q", v)
			}
			val = unescapeMultipartName(rest[1 : 1+end])
			rest = rest[end+2:]
		} else {
			end := strings.IndexByte(rest, ';')
			if end < 0 {
				end = len(rest)
			}
			val = strings.TrimRight(rest[:end], " \t")
			rest = rest[end:]
		}
		switch key {
		case "name":
			name, hasName = val, true
		case "filename":
			filename, hasFilename = val, true
		}
	}
}

var multipartNameUnescaper = strings.NewReplacer("%0A", "\n", "%0a", "\n", "%0D", "\r", "%0d", "\r", "%22", `"`)

// unescapeMultipartName undoes the encoder's escapes.
func unescapeMultipartName(s string) string {
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	return multipartNameUnescaper.Replace(s)
}
