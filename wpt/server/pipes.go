package server

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"math"
	"path"
	"strconv"
	"strings"
	"time"
)

type pipeCall struct {
	name string
	args []string
}

// parsePipes is wptserve's PipeTokenizer: "f(a,b)|g|h(c\,d)"; a backslash
// escapes the next character (\n, \r, \t are control characters).
func parsePipes(s string) []pipeCall {
	var out []pipeCall
	i := 0
	next := func() (byte, bool) {
		if i >= len(s) {
			return 0, false
		}
		c := s[i]
		i++
		return c, true
	}
	inArgs := false
	var cur *pipeCall
	for {
		if !inArgs {
			var name []byte
			for {
				c, ok := next()
				if !ok {
					if len(name) > 0 {
						out = append(out, pipeCall{name: string(name)})
					}
					return out
				}
				if c == '(' {
					out = append(out, pipeCall{name: string(name)})
					cur = &out[len(out)-1]
					inArgs = true
					break
				}
				if c == '|' {
					if len(name) > 0 {
						out = append(out, pipeCall{name: string(name)})
						name = nil
					}
					continue
				}
				name = append(name, c)
			}
			continue
		}
		var arg []byte
		for {
			c, ok := next()
			if !ok {
				cur.args = append(cur.args, string(arg))
				return out
			}
			if c == '\\' {
				e, ok := next()
				if ok {
					switch e {
					case 'n':
						e = '\n'
					case 'r':
						e = '\r'
					case 't':
						e = '\t'
					}
					arg = append(arg, e)
				}
				continue
			}
			if c == ',' {
				cur.args = append(cur.args, string(arg))
				arg = nil
				continue
			}
			if c == ')' {
				cur.args = append(cur.args, string(arg))
				inArgs = false
				break
			}
			arg = append(arg, c)
		}
	}
}

// applyPipes is wptserve's wrap_pipeline: "sub" for a .sub. file, then
// the last ?pipe= value.
func (s *Server) applyPipes(w *response, r *request, filePath string) {
	pipe := ""
	if filePath != "" && strings.Contains(path.Base(filePath), ".sub.") {
		esc := "none"
		switch path.Ext(filePath) {
		case ".html", ".htm", ".xht", ".xhtml", ".xml", ".svg":
			esc = "html"
		}
		pipe = "sub(" + esc + ")"
	}
	// wptserve reads ?pipe= with its own parse_qs, which skips empty values.
	last := ""
	for _, v := range r.GET.vals["pipe"] {
		if v != "" {
			last = v
		}
	}
	if last != "" {
		if pipe != "" {
			pipe += "|"
		}
		pipe += last
	}
	if pipe == "" {
		return
	}
	for _, p := range parsePipes(pipe) {
		if err := s.applyPipe(w, r, p); err != nil {
			raise("pipe %s: %v", p.name, err)
		}
	}
}

func pyInt(s string) (int, error) {
	return strconv.Atoi(strings.ReplaceAll(strings.TrimSpace(s), "_", ""))
}

func pyBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, fmt.Errorf("invalid boolean %q", s)
}

func (s *Server) applyPipe(w *response, r *request, p pipeCall) error {
	argc := func(min, max int) error {
		if len(p.args) < min || len(p.args) > max {
			return fmt.Errorf("wrong number of arguments (%d)", len(p.args))
		}
		return nil
	}
	switch p.name {
	case "status":
		if err := argc(1, 1); err != nil {
			return err
		}
		code, err := pyInt(p.args[0])
		if err != nil {
			return err
		}
		w.setStatus(code)
	case "header":
		if err := argc(2, 3); err != nil {
			return err
		}
		appendIt := false
		if len(p.args) == 3 {
			b, err := pyBool(p.args[2])
			if err != nil {
				return err
			}
			appendIt = b
		}
		if appendIt {
			w.headers.append(p.args[0], p.args[1])
		} else {
			w.headers.set(p.args[0], p.args[1])
		}
	case "slice":
		if err := argc(1, 2); err != nil {
			return err
		}
		// Arguments are nullable ints: "null" is Python's None.
		c := w.resolveContent()
		start, end := 0, len(c)
		var err error
		if !strings.EqualFold(p.args[0], "null") {
			if start, err = pyInt(p.args[0]); err != nil {
				return err
			}
		}
		if len(p.args) == 2 && !strings.EqualFold(p.args[1], "null") {
			if end, err = pyInt(p.args[1]); err != nil {
				return err
			}
		}
		w.setContent(pySlice(c, start, end))
	case "sub":
		if err := argc(0, 1); err != nil {
			return err
		}
		esc := "html"
		if len(p.args) == 1 && p.args[0] != "" {
			esc = p.args[0]
		}
		if esc != "html" && esc != "none" {
			return fmt.Errorf("bad escape type %q", esc)
		}
		out, err := s.template(r, w.resolveContent(), esc, false)
		if err != nil {
			return err
		}
		w.setContent(out)
	case "gzip":
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(w.resolveContent())
		zw.Close()
		w.headers.set("Content-Encoding", "gzip")
		w.setContent(buf.Bytes())
		w.headers.set("Content-Length", strconv.Itoa(buf.Len()))
	case "trickle":
		if err := argc(1, 1); err != nil {
			return err
		}
		return w.trickle(p.args[0])
	default:
		return fmt.Errorf("unknown pipe %q", p.name)
	}
	return nil
}

// resolveContent joins a streamed body back into bytes.
func (w *response) resolveContent() []byte {
	if w.parts == nil {
		return w.content
	}
	var b []byte
	for _, p := range w.parts {
		b = append(b, p.data...)
	}
	return b
}

// pySlice is Python's bytes[start:end].
func pySlice(b []byte, start, end int) []byte {
	n := len(b)
	norm := func(i int) int {
		if i < 0 {
			i += n
			if i < 0 {
				i = 0
			}
		}
		if i > n {
			i = n
		}
		return i
	}
	start, end = norm(start), norm(end)
	if start >= end {
		return []byte{}
	}
	return b[start:end]
}

type trickleItem struct {
	kind  byte // 'd' delay, 'r' repeat, 'b' bytes
	delay float64
	n     int
}

// trickle is wptserve's trickle pipe: "d1:100:d2:r2" sends the body in
// parts with pauses (seconds), "rN" repeating the last N items to the end.
func (w *response) trickle(spec string) error {
	var items []trickleItem
	for _, it := range strings.Split(spec, ":") {
		var t trickleItem
		switch {
		case strings.HasPrefix(it, "d"):
			f, err := strconv.ParseFloat(strings.TrimSpace(it[1:]), 64)
			if err != nil || math.IsNaN(f) {
				return fmt.Errorf("bad delay %q", it)
			}
			t = trickleItem{kind: 'd', delay: f}
		case strings.HasPrefix(it, "r"):
			n, err := pyInt(it[1:])
			if err != nil || n%2 != 0 {
				return fmt.Errorf("bad repeat %q", it)
			}
			t = trickleItem{kind: 'r', n: n}
		default:
			n, err := pyInt(it)
			if err != nil {
				return fmt.Errorf("bad byte count %q", it)
			}
			t = trickleItem{kind: 'b', n: n}
		}
		if l := len(items); l > 0 && items[l-1].kind == t.kind {
			items[l-1].delay += t.delay
			items[l-1].n += t.n
			continue
		}
		items = append(items, t)
	}
	if len(items) == 0 {
		return nil
	}
	content := w.resolveContent()
	if !w.headers.has("Cache-Control") && !w.headers.has("Pragma") && !w.headers.has("Expires") {
		w.headers.set("Cache-Control", "no-cache, no-store, must-revalidate")
		w.headers.set("Pragma", "no-cache")
		w.headers.set("Expires", "0")
	}
	var parts []part
	var pending time.Duration
	offset := 0
	emit := func(n int) {
		lo, hi := offset, offset+n
		if lo > len(content) {
			lo = len(content)
		}
		if hi > len(content) {
			hi = len(content)
		}
		parts = append(parts, part{delay: pending, data: content[lo:hi]})
		pending = 0
		offset += n
	}
	var run func(seq []trickleItem, repeat bool)
	run = func(seq []trickleItem, repeat bool) {
		for i, it := range seq {
			switch it.kind {
			case 'b':
				emit(it.n)
			case 'd':
				pending += time.Duration(it.delay * float64(time.Second))
			case 'r':
				if i != len(seq)-1 {
					continue
				}
				lo := len(seq) - (it.n + 1)
				if lo < 0 {
					lo = 0
				}
				block := seq[lo : len(seq)-1]
				moves := false
				for _, b := range block {
					if b.kind == 'b' && b.n > 0 {
						moves = true
					}
				}
				if !moves {
					continue // Python would loop forever here
				}
				for offset < len(content) {
					run(block, true)
				}
			}
		}
		if !repeat && offset < len(content) {
			emit(len(content) - offset)
		}
	}
	run(items, false)
	if pending > 0 {
		parts = append(parts, part{delay: pending})
	}
	if parts == nil {
		parts = []part{}
	}
	w.content = nil
	w.parts = parts
	return nil
}
