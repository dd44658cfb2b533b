package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/wfetch/wfetch/body"
	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/request"
)

// prepared is what every transfer sends, built once from the flags: the
// method, the header list and the body bytes (so that a retry can send
// them again).
type prepared struct {
	method      string
	header      headers.Pairs
	removed     map[string]bool // -H 'Name:' removes a header
	body        []byte
	hasBody     bool
	form        *body.FormData
	contentType string // implied by the body flag, unless -H sets one
	query       string // -G: appended to each URL's query
	uploadName  string // -T FILE: appended to URLs ending in '/'
}

// readArg reads "@file" (or "@-" for standard input) arguments; other
// values are returned as they are.
func (a *app) readArg(v string) ([]byte, error) {
	name, ok := strings.CutPrefix(v, "@")
	if !ok {
		return []byte(v), nil
	}
	return a.readFile(name)
}

func (a *app) readFile(name string) ([]byte, error) {
	var b []byte
	var err error
	if name == "-" {
		b, err = io.ReadAll(a.stdin)
	} else {
		b, err = os.ReadFile(name)
	}
	if err != nil {
		return nil, newErr(exitRead, "read "+name, err)
	}
	return b, nil
}

// prepare builds the request parts from the flags.
func (a *app) prepare() (*prepared, error) {
	o := a.opts
	p := &prepared{removed: map[string]bool{}}

	// Body flags, in curl's order of precedence.
	var data [][]byte
	for _, d := range o.data {
		var b []byte
		var err error
		switch d.kind {
		case "data":
			if b, err = a.readArg(d.value); err != nil {
				return nil, err
			}
			if strings.HasPrefix(d.value, "@") {
				// curl -d @file strips carriage returns and newlines.
				b = bytes.ReplaceAll(bytes.ReplaceAll(b, []byte("\r"), nil), []byte("\n"), nil)
			}
		case "binary":
			if b, err = a.readArg(d.value); err != nil {
				return nil, err
			}
		case "raw":
			b = []byte(d.value)
		case "urlencode":
			if b, err = a.urlencodeArg(d.value); err != nil {
				return nil, err
			}
		}
		data = append(data, b)
	}
	switch {
	case len(o.jsonParts) > 0:
		var b []byte
		for _, j := range o.jsonParts {
			part, err := a.readArg(j)
			if err != nil {
				return nil, err
			}
			b = append(b, part...)
		}
		p.body, p.hasBody, p.method = b, true, "POST"
		p.contentType = "application/json"
		p.header = append(p.header, []string{"Accept", "application/json"})
	case len(o.forms) > 0:
		fd, err := a.formData(o.forms)
		if err != nil {
			return nil, err
		}
		p.form, p.hasBody, p.method = fd, true, "POST"
	case len(data) > 0 && o.get:
		p.query = string(bytes.Join(data, []byte("&")))
		p.method = "GET"
	case len(data) > 0:
		p.body, p.hasBody, p.method = bytes.Join(data, []byte("&")), true, "POST"
		p.contentType = "application/x-www-form-urlencoded"
	case o.uploadSet:
		b, err := a.readFile(o.upload)
		if err != nil {
			return nil, err
		}
		p.body, p.hasBody, p.method = b, true, "PUT"
		if o.upload != "-" {
			p.uploadName = filepath.Base(o.upload)
		}
	}
	if o.head {
		p.method = "HEAD"
	}
	if o.method != "" {
		p.method = o.method
	}

	// Headers.
	if o.user != "" {
		user := o.user
		if !strings.Contains(user, ":") {
			user += ":"
		}
		p.header = append(p.header, []string{"Authorization", "Basic " + base64.StdEncoding.EncodeToString([]byte(user))})
	}
	if o.referer != "" && o.origin == "" {
		// Without an origin (server semantics) Referer is an ordinary
		// header; with one, -e is the request's referrer (see app.init).
		p.header = append(p.header, []string{"Referer", o.referer})
	}
	if len(o.cookies) > 0 && a.cookieHeader != "" && o.origin == "" {
		p.header = append(p.header, []string{"Cookie", a.cookieHeader})
	}
	var hdrs []string
	for _, h := range o.headers {
		if name, ok := strings.CutPrefix(h, "@"); ok {
			b, err := a.readFile(name)
			if err != nil {
				return nil, err
			}
			sc := bufio.NewScanner(bytes.NewReader(b))
			for sc.Scan() {
				if line := strings.TrimSpace(sc.Text()); line != "" {
					hdrs = append(hdrs, line)
				}
			}
			continue
		}
		hdrs = append(hdrs, h)
	}
	for _, h := range hdrs {
		name, value, ok := strings.Cut(h, ":")
		if !ok {
			// curl: "Name;" sends the header with an empty value.
			if n, ok := strings.CutSuffix(strings.TrimSpace(h), ";"); ok && n != "" {
				p.header = append(p.header, []string{n, ""})
				continue
			}
			return nil, errorf(exitUsage, "usage", "bad header %q: want 'Name: value'", h)
		}
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if name == "" {
			return nil, errorf(exitUsage, "usage", "bad header %q: want 'Name: value'", h)
		}
		if value == "" {
			// curl: "Name:" removes a header the tool would add.
			p.removed[strings.ToLower(name)] = true
			continue
		}
		p.header = append(p.header, []string{name, value})
	}
	if p.contentType != "" && !p.hasHeader("Content-Type") && !p.removed["content-type"] {
		p.header = append(p.header, []string{"Content-Type", p.contentType})
	}
	// Headers removed with "Name:" drop what the flags added.
	kept := p.header[:0]
	for _, f := range p.header {
		if !p.removed[strings.ToLower(f[0])] {
			kept = append(kept, f)
		}
	}
	p.header = kept
	return p, nil
}

func (p *prepared) hasHeader(name string) bool {
	for _, f := range p.header {
		if strings.EqualFold(f[0], name) {
			return true
		}
	}
	return false
}

// urlencodeArg is curl's --data-urlencode: "content", "=content",
// "name=content", "@file" and "name@file"; the content is
// percent-encoded, the name is not.
func (a *app) urlencodeArg(v string) ([]byte, error) {
	enc := func(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }
	if i := strings.IndexAny(v, "=@"); i >= 0 {
		name, rest := v[:i], v[i+1:]
		if v[i] == '@' {
			b, err := a.readFile(rest)
			if err != nil {
				return nil, err
			}
			rest = string(b)
		}
		if name == "" {
			return []byte(enc(rest)), nil
		}
		return []byte(name + "=" + enc(rest)), nil
	}
	return []byte(enc(v)), nil
}

// formData builds the multipart body of -F arguments: name=value,
// name=@file (a file part), name=<file (a text part read from file), with
// ;type=T and ;filename=N.
func (a *app) formData(args []string) (*body.FormData, error) {
	fd := body.NewFormData()
	for _, arg := range args {
		name, value, ok := strings.Cut(arg, "=")
		if !ok || name == "" {
			return nil, errorf(exitUsage, "usage", "bad -F %q: want name=value", arg)
		}
		if value == "" || (value[0] != '@' && value[0] != '<') {
			fd.Append(name, value)
			continue
		}
		kind, spec := value[0], value[1:]
		parts := strings.Split(spec, ";")
		file, typ, filename := parts[0], "", ""
		for _, param := range parts[1:] {
			k, v, _ := strings.Cut(strings.TrimSpace(param), "=")
			switch strings.ToLower(k) {
			case "type":
				typ = v
			case "filename":
				filename = strings.Trim(v, `"`)
			}
		}
		b, err := a.readFile(file)
		if err != nil {
			return nil, err
		}
		if kind == '<' {
			fd.Append(name, string(b))
			continue
		}
		if filename == "" {
			filename = filepath.Base(file)
			if file == "-" {
				filename = ""
			}
		}
		if typ == "" {
			typ = mime.TypeByExtension(path.Ext(file))
			if typ == "" {
				typ = "application/octet-stream"
			}
		}
		blob, err := body.NewBlob([]any{b}, body.BlobOptions{Type: typ})
		if err != nil {
			return nil, newErr(exitUsage, "usage", err)
		}
		if filename == "" {
			fd.AppendBlob(name, blob)
		} else {
			fd.AppendBlob(name, blob, filename)
		}
	}
	return fd, nil
}

// targetURL applies -G's query and -T's file name to a URL argument.
func (p *prepared) targetURL(raw string) string {
	if p.uploadName != "" && strings.HasSuffix(raw, "/") {
		raw += url.PathEscape(p.uploadName)
	}
	if p.query != "" {
		frag := ""
		if i := strings.IndexByte(raw, '#'); i >= 0 {
			raw, frag = raw[:i], raw[i:]
		}
		if strings.Contains(raw, "?") {
			raw += "&" + p.query
		} else {
			raw += "?" + p.query
		}
		raw += frag
	}
	return raw
}

// init builds a fresh request.Init for one attempt.
func (a *app) init(p *prepared, extra headers.Pairs) *request.Init {
	o := a.opts
	in := &request.Init{}
	if p.method != "" {
		m := p.method
		in.Method = &m
	}
	hl := append(headers.Pairs{}, p.header...)
	hl = append(hl, extra...)
	if len(hl) > 0 {
		in.Headers = hl
	}
	switch {
	case p.form != nil:
		in.Body = p.form
	case p.hasBody:
		in.Body = p.body
	}
	if o.mode != "" {
		m := request.Mode(o.mode)
		in.Mode = &m
	}
	if o.credentials != "" {
		c := request.Credentials(o.credentials)
		in.Credentials = &c
	}
	if o.cacheMode != "" {
		c := request.Cache(o.cacheMode)
		in.Cache = &c
	}
	if o.redirect != "" {
		r := request.Redirect(o.redirect)
		in.Redirect = &r
	}
	if o.set["referrer"] {
		r := o.referrer
		in.Referrer = &r
	} else if o.referer != "" && o.origin != "" {
		r := o.referer
		in.Referrer = &r
	}
	if o.referrerPolicy != "" {
		rp := request.ReferrerPolicy(o.referrerPolicy)
		in.ReferrerPolicy = &rp
	}
	if o.integrity != "" {
		i := o.integrity
		in.Integrity = &i
	}
	return in
}
