package server

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

var templateRE = regexp.MustCompile(`{{([^}]*)}}`)

// pyHTMLEscape is Python's html.escape(s, quote=True).
var pyHTMLEscape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#x27;")

type subToken struct {
	kind string // "var", "ident", "index", "arguments"
	text string
	args []string
}

var (
	reVar   = regexp.MustCompile(`^\$[A-Za-z0-9_]+:`)
	reIdent = regexp.MustCompile(`^\$?[A-Za-z0-9_]+`)
	reIndex = regexp.MustCompile(`^\[[^\]]*\]`)
	reArgs  = regexp.MustCompile(`^\([^)]*\)`)
	reComma = regexp.MustCompile(`,\s*`)
)

// tokenizeSub is wptserve's ReplacementTokenizer: like re.Scanner it
// stops at the first character no rule matches.
func tokenizeSub(s string) []subToken {
	var out []subToken
	for len(s) > 0 {
		switch {
		case reVar.MatchString(s):
			m := reVar.FindString(s)
			out = append(out, subToken{kind: "var", text: m[:len(m)-1]})
			s = s[len(m):]
		case reIdent.MatchString(s):
			m := reIdent.FindString(s)
			out = append(out, subToken{kind: "ident", text: m})
			s = s[len(m):]
		case reIndex.MatchString(s):
			m := reIndex.FindString(s)
			out = append(out, subToken{kind: "index", text: m[1 : len(m)-1]})
			s = s[len(m):]
		case reArgs.MatchString(s):
			m := reArgs.FindString(s)
			inner := m[1 : len(m)-1]
			var args []string
			if inner != "" {
				args = reComma.Split(inner, -1)
			}
			out = append(out, subToken{kind: "arguments", args: args})
			s = s[len(m):]
		default:
			return out
		}
	}
	return out
}

// subFunc is one of wptserve's SubFunctions.
type subFunc func(r *request, args []string) (any, error)

var subFunctions = map[string]subFunc{
	"uuid": func(r *request, args []string) (any, error) { return newUUID(), nil },
	"file_hash": func(r *request, args []string) (any, error) {
		if len(args) != 2 {
			return nil, fmt.Errorf("file_hash takes 2 arguments")
		}
		var h hash.Hash
		switch args[0] {
		case "md5":
			h = md5.New()
		case "sha1":
			h = sha1.New()
		case "sha224":
			h = sha256.New224()
		case "sha256":
			h = sha256.New()
		case "sha384":
			h = sha512.New384()
		case "sha512":
			h = sha512.New()
		default:
			return nil, fmt.Errorf("unsupported hash algorithm %q", args[0])
		}
		p, err := r.fsPath(args[1])
		if err != nil {
			return nil, err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		h.Write(data)
		return base64.StdEncoding.EncodeToString(h.Sum(nil)), nil
	},
	"fs_path": func(r *request, args []string) (any, error) {
		if len(args) != 1 {
			return nil, fmt.Errorf("fs_path takes 1 argument")
		}
		return r.fsPath(args[0])
	},
	"header_or_default": func(r *request, args []string) (any, error) {
		if len(args) != 2 {
			return nil, fmt.Errorf("header_or_default takes 2 arguments")
		}
		return r.header(args[0], args[1]), nil
	},
}

// fsPath is SubFunctions.fs_path: a path relative to the request's
// directory (or to the root when it starts with "/") inside the WPT root.
func (r *request) fsPath(p string) (string, error) {
	root := r.srv.root
	if root == "" {
		return "", fmt.Errorf("no WPT root configured")
	}
	var rel string
	if strings.HasPrefix(p, "/") {
		rel = p[1:]
	} else {
		sub := strings.TrimPrefix(r.Path, "/")
		if i := strings.LastIndexByte(sub, '/'); i >= 0 {
			sub = sub[:i]
		}
		rel = sub + "/" + p
	}
	abs := filepath.Join(root, filepath.FromSlash(rel))
	if rr, err := filepath.Rel(root, abs); err != nil || strings.Contains(rr, "..") {
		return "", fmt.Errorf("path outside wpt root: %q", p)
	}
	return abs, nil
}

func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// template is wptserve's template(request, content, escape_type): every
// {{...}} replaced by the value it names. With lenient, a token that cannot
// be resolved stays as it is; otherwise it is an error.
func (s *Server) template(r *request, content []byte, escapeType string, lenient bool) ([]byte, error) {
	vars := map[string]any{}
	var firstErr error
	out := templateRE.ReplaceAllFunc(content, func(m []byte) []byte {
		inner := string(m[2 : len(m)-2])
		v, err := s.resolveSub(r, inner, vars)
		if err != nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("template {{%s}}: %w", inner, err)
			}
			return m
		}
		if escapeType == "html" {
			v = pyHTMLEscape.Replace(v)
		}
		return []byte(v)
	})
	if firstErr != nil && !lenient {
		return nil, firstErr
	}
	return out, nil
}

func (s *Server) resolveSub(r *request, inner string, vars map[string]any) (string, error) {
	toks := tokenizeSub(inner)
	if len(toks) == 0 {
		return "", fmt.Errorf("empty token")
	}
	variable := ""
	if toks[0].kind == "var" {
		variable = toks[0].text
		toks = toks[1:]
		if len(toks) == 0 {
			return "", fmt.Errorf("variable without value")
		}
	}
	if toks[0].kind != "ident" {
		return "", fmt.Errorf("expected an identifier")
	}
	field := toks[0].text
	var value any
	if v, ok := vars[field]; ok {
		value = v
	} else if f, ok := subFunctions[field]; ok {
		value = f
	} else {
		switch field {
		case "headers":
			value = headersIndex{r}
		case "GET":
			value = getIndex{r}
		case "hosts":
			value = s.domains
		case "domains":
			value = s.domains[""]
		case "host", "browser_host":
			value = s.cfg.BrowserHost
		case "server_host":
			value = "127.0.0.1"
		case "ports":
			value = s.ports
		case "location":
			value = map[string]any{
				"server":   r.Scheme + "://" + r.Hostname + ":" + strconv.Itoa(r.Port),
				"scheme":   r.Scheme,
				"host":     r.Hostname + ":" + strconv.Itoa(r.Port),
				"hostname": r.Hostname,
				"port":     r.Port,
				"path":     r.Path,
				"pathname": r.Path,
				"query":    "?" + r.RawQuery,
			}
		case "url_base":
			value = "/"
		default:
			return "", fmt.Errorf("undefined template variable %s", field)
		}
	}
	for _, t := range toks[1:] {
		switch t.kind {
		case "index":
			nv, err := subIndex(value, t.text)
			if err != nil {
				return "", err
			}
			value = nv
		case "arguments":
			f, ok := value.(subFunc)
			if !ok {
				return "", fmt.Errorf("%s is not a function", field)
			}
			nv, err := f(r, t.args)
			if err != nil {
				return "", err
			}
			value = nv
		default:
			return "", fmt.Errorf("unexpected token %q", t.text)
		}
	}
	var str string
	switch v := value.(type) {
	case string:
		str = v
	case int:
		str = strconv.Itoa(v)
	default:
		return "", fmt.Errorf("value is not a string or number")
	}
	if variable != "" {
		vars[variable] = str
	}
	return str, nil
}

type headersIndex struct{ r *request }
type getIndex struct{ r *request }

func subIndex(v any, key string) (any, error) {
	switch x := v.(type) {
	case headersIndex:
		h, ok := x.r.headerOK(key)
		if !ok {
			return nil, fmt.Errorf("no request header %q", key)
		}
		return h, nil
	case getIndex:
		return x.r.GET.first(key, ""), nil
	case map[string]map[string]string:
		m, ok := x[key]
		if !ok {
			return nil, fmt.Errorf("no host set %q", key)
		}
		return m, nil
	case map[string]string:
		s, ok := x[key]
		if !ok {
			return nil, fmt.Errorf("no subdomain %q", key)
		}
		return s, nil
	case map[string][]int:
		p, ok := x[key]
		if !ok {
			return nil, fmt.Errorf("no ports for %q", key)
		}
		return p, nil
	case []int:
		i, err := strconv.Atoi(key)
		if err != nil || i < 0 || i >= len(x) {
			return nil, fmt.Errorf("bad port index %q", key)
		}
		return x[i], nil
	case map[string]any:
		e, ok := x[key]
		if !ok {
			return nil, fmt.Errorf("no key %q", key)
		}
		return e, nil
	}
	return nil, fmt.Errorf("value cannot be indexed by %q", key)
}
