package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/tidwall/pretty"
)

// colors paints terminal output; the zero value paints nothing.
type colors struct{ on bool }

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiCyan   = "\x1b[36m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiRed    = "\x1b[31m"
	ansiBlue   = "\x1b[34m"
)

func (c colors) paint(code, s string) string {
	if !c.on {
		return s
	}
	return code + s + ansiReset
}

func (c colors) name(s string) string    { return c.paint(ansiCyan, s) }
func (c colors) request(s string) string { return c.paint(ansiBold+ansiBlue, s) }
func (c colors) note(s string) string    { return c.paint(ansiYellow, s) }
func (c colors) status(code int, s string) string {
	switch {
	case code >= 200 && code < 300:
		return c.paint(ansiBold+ansiGreen, s)
	case code >= 300 && code < 400:
		return c.paint(ansiBold+ansiYellow, s)
	default:
		return c.paint(ansiBold+ansiRed, s)
	}
}

// isJSONType reports whether a Content-Type value is JSON
// (application/json or a +json type).
func isJSONType(ct string) bool {
	essence, _, _ := strings.Cut(ct, ";")
	essence = strings.ToLower(strings.TrimSpace(essence))
	return essence == "application/json" || essence == "text/json" || strings.HasSuffix(essence, "+json")
}

// maxPrettyJSON is the largest body that is buffered to be pretty-printed.
const maxPrettyJSON = 16 << 20

// writeJSONPretty writes r's JSON pretty-printed and, when c is on,
// coloured. A body that is not valid JSON, or too large, is written as it
// is.
func writeJSONPretty(w io.Writer, r io.Reader, c colors) (int64, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxPrettyJSON+1))
	n := int64(len(b))
	if err != nil || len(b) > maxPrettyJSON || !json.Valid(b) {
		if _, werr := w.Write(b); werr != nil {
			return n, writeError(werr)
		}
		if err != nil {
			return n, err
		}
		m, err := io.Copy(w, r)
		return n + m, err
	}
	// Width 0: every object and array member on a line of its own.
	out := pretty.PrettyOptions(b, &pretty.Options{Indent: "  "})
	if c.on {
		out = pretty.Color(out, nil)
	}
	if _, err := w.Write(out); err != nil {
		return n, writeError(err)
	}
	return n, nil
}

type writeErr struct{ error }

func writeError(err error) error { return writeErr{err} }
func (w writeErr) Unwrap() error { return w.error }

// progressReader shows a progress bar on stderr once a transfer has run
// for longer than delay (at once with -#).
type progressReader struct {
	r       io.Reader
	w       io.Writer
	total   int64
	desc    string
	start   time.Time
	delay   time.Duration
	read    int64
	bar     *progressbar.ProgressBar
	width   int
	stopped bool
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.read += int64(n)
	if p.bar == nil && !p.stopped && time.Since(p.start) >= p.delay {
		opts := []progressbar.Option{
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionShowBytes(true),
			progressbar.OptionSetDescription(p.desc),
			progressbar.OptionThrottle(100 * time.Millisecond),
			progressbar.OptionShowCount(),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(p.w) }),
			progressbar.OptionSetRenderBlankState(true),
			progressbar.OptionUseANSICodes(true),
		}
		if p.width > 0 {
			opts = append(opts, progressbar.OptionSetWidth(max(10, p.width/3)))
		}
		p.bar = progressbar.NewOptions64(p.total, opts...)
		_ = p.bar.Set64(p.read)
	} else if p.bar != nil && n > 0 {
		_ = p.bar.Add(n)
	}
	return n, err
}

// finish completes the bar (100% when the body was read to its end) if
// one was shown.
func (p *progressReader) finish(complete bool) {
	p.stopped = true
	if p.bar == nil {
		return
	}
	if complete {
		if p.total <= 0 {
			p.bar.ChangeMax64(max(p.read, 1))
		}
		_ = p.bar.Finish()
		return
	}
	_ = p.bar.Exit()
}
