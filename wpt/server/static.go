package server

import (
	"html"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// contentTypes is wptserve's extension table (constants.content_types).
var contentTypes = map[string]string{
	"htm": "text/html", "html": "text/html",
	"json": "application/json",
	"xht":  "application/xhtml+xml", "xhtm": "application/xhtml+xml", "xhtml": "application/xhtml+xml",
	"xml": "application/xml",
	"xpi": "application/x-xpinstall",
	"js":  "text/javascript", "mjs": "text/javascript",
	"css": "text/css",
	"txt": "text/plain", "md": "text/plain",
	"svg": "image/svg+xml",
	"gif": "image/gif",
	"jpg": "image/jpeg", "jpeg": "image/jpeg",
	"png":          "image/png",
	"bmp":          "image/bmp",
	"event_stream": "text/event-stream",
	"manifest":     "text/cache-manifest",
	"mp4":          "video/mp4", "m4v": "video/mp4",
	"m4a":  "audio/mp4",
	"mp3":  "audio/mpeg",
	"webm": "video/webm",
	"weba": "audio/webm",
	"ogg":  "video/ogg", "ogv": "video/ogg",
	"oga":  "audio/ogg",
	"wav":  "audio/x-wav",
	"vtt":  "text/vtt",
	"wasm": "application/wasm",
}

func guessContentType(p string) string {
	ext := strings.TrimPrefix(path.Ext(p), ".")
	if ct, ok := contentTypes[ext]; ok {
		return ct
	}
	return "application/octet-stream"
}

// filesystemPath maps a decoded URL path into the root, refusing escapes.
func (s *Server) filesystemPath(urlPath string) (string, bool) {
	if s.root == "" || strings.Contains(urlPath, "..") { // as wptserve's filesystem_path
		return "", false
	}
	clean := path.Clean("/" + urlPath)
	p := filepath.Join(s.root, filepath.FromSlash(clean))
	if p != s.root && !strings.HasPrefix(p, s.root+string(filepath.Separator)) {
		return "", false
	}
	return p, true
}

// serveFile is wptserve's FileHandler / AsIsHandler / DirectoryHandler.
func (s *Server) serveFile(w *response, r *request, urlPath string) {
	if r.Method != "GET" && r.Method != "HEAD" {
		w.setError(404, "")
		return
	}
	p, ok := s.filesystemPath(urlPath)
	if !ok {
		w.setError(404, "")
		return
	}
	fi, err := os.Stat(p)
	if err != nil {
		w.setError(404, "")
		return
	}
	if fi.IsDir() {
		s.serveDir(w, r, p, urlPath)
		return
	}
	if strings.HasSuffix(p, ".asis") {
		data, err := os.ReadFile(p)
		if err != nil {
			w.setError(404, "")
			return
		}
		w.write(data)
		w.closeConnection = true
		return
	}
	data, err := os.ReadFile(p)
	if err != nil {
		w.setError(404, "")
		return
	}
	hdrs := s.loadHeaders(r, filepath.Join(filepath.Dir(p), "__dir__"))
	hdrs = append(hdrs, s.loadHeaders(r, p)...)
	hasCT := false
	for _, h := range hdrs {
		if strings.EqualFold(h.name, "content-type") {
			hasCT = true
		}
	}
	if !hasCT {
		hdrs = append([]header{{"Content-Type", guessContentType(p)}}, hdrs...)
	}
	for _, h := range hdrs {
		w.headers.append(h.name, h.value)
	}
	if rh, ok := r.headerOK("Range"); ok {
		ranges, code := parseRanges(rh, len(data))
		if code != 0 {
			// wptserve sets Content-Range: bytes */size and raises; the
			// error response then replaces all headers, so it is lost.
			w.setError(code, "")
			return
		}
		w.setStatus(206)
		if len(ranges) > 1 {
			// wptserve's MultipartContent: parts joined by CRLF, each
			// part's Content-Type the file's last Content-Type value.
			var ct string
			haveCT := false
			if e, ok := w.headers.m["content-type"]; ok && len(e.values) > 0 {
				ct, haveCT = e.values[len(e.values)-1], true
			}
			boundary := newUUID()
			w.headers.set("Content-Type", "multipart/byteranges; boundary="+boundary)
			parts := []string{"", "--" + boundary}
			for _, rg := range ranges {
				var lines []string
				if haveCT {
					lines = append(lines, "Content-Type: "+ct)
				}
				lines = append(lines, "Content-Range: "+rg.headerValue(len(data)), "", string(data[rg.lo:rg.hi]))
				parts = append(parts, strings.Join(lines, "\r\n"), "--"+boundary)
			}
			parts[len(parts)-1] += "--"
			w.setContent([]byte(strings.Join(parts, "\r\n")))
			w.fileBody = true
		} else {
			w.headers.set("Content-Range", ranges[0].headerValue(len(data)))
			w.setContent(data[ranges[0].lo:ranges[0].hi])
		}
	} else {
		w.setContent(data)
		w.fileBody = true
	}
	s.applyPipes(w, r, p)
}

// loadHeaders reads PATH.sub.headers (substituted) or PATH.headers:
// "Name: value" lines.
func (s *Server) loadHeaders(r *request, p string) []header {
	data, err := os.ReadFile(p + ".sub.headers")
	sub := err == nil
	if !sub {
		data, err = os.ReadFile(p + ".headers")
		if err != nil {
			return nil
		}
	}
	if sub {
		if out, err := s.template(r, data, "none", false); err == nil {
			data = out
		} else {
			raise("%v", err)
		}
	}
	var out []header
	for _, line := range strings.FieldsFunc(string(data), func(c rune) bool { return c == '\n' || c == '\r' }) {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		out = append(out, header{strings.TrimSpace(name), strings.TrimSpace(value)})
	}
	return out
}

type byteRange struct{ lo, hi int } // [lo, hi)

func (b byteRange) headerValue(size int) string {
	return "bytes " + strconv.Itoa(b.lo) + "-" + strconv.Itoa(b.hi-1) + "/" + strconv.Itoa(size)
}

// parseRanges is wptserve's RangeParser; a non-zero code is the error
// status (416, or 400 for a non-ASCII value).
func parseRanges(h string, size int) ([]byteRange, int) {
	for i := 0; i < len(h); i++ {
		if h[i] >= 0x80 {
			return nil, 400
		}
	}
	spec, ok := strings.CutPrefix(h, "bytes=")
	if !ok {
		return nil, 416
	}
	var rs []byteRange
	for _, item := range strings.Split(spec, ",") {
		comps := strings.Split(item, "-")
		if len(comps) != 2 {
			return nil, 416
		}
		var vals [2]*int
		for i, c := range comps {
			if c == "" {
				continue
			}
			n, err := pyInt(c)
			if err != nil {
				return nil, 416
			}
			vals[i] = &n
		}
		var lo, hi int
		switch {
		case vals[0] == nil && vals[1] == nil:
			lo, hi = 0, size
		case vals[0] == nil:
			lo, hi = max(size-*vals[1], 0), size
		case vals[1] == nil:
			lo, hi = *vals[0], size
		default:
			lo, hi = *vals[0], min(size, *vals[1]+1)
		}
		if lo >= hi || lo >= size || lo < 0 {
			return nil, 416
		}
		rs = append(rs, byteRange{lo, hi})
	}
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].lo != rs[j].lo {
			return rs[i].lo < rs[j].lo
		}
		return rs[i].hi < rs[j].hi
	})
	var out []byteRange
	for _, r := range rs {
		if n := len(out); n > 0 && r.lo <= out[n-1].hi {
			if r.hi > out[n-1].hi {
				out[n-1].hi = r.hi
			}
			continue
		}
		out = append(out, r)
	}
	return out, 0
}

// serveDir is wptserve's DirectoryHandler: a redirect to add the slash,
// else an HTML listing.
func (s *Server) serveDir(w *response, r *request, p, urlPath string) {
	if !strings.HasSuffix(r.Path, "/") {
		// As wptserve: request.url + "/", the query included.
		w.setStatus(301)
		w.headers.replace("Location", r.URL()+"/")
		w.setContent(nil)
		return
	}
	ents, err := os.ReadDir(p)
	if err != nil {
		w.setError(404, "")
		return
	}
	var b strings.Builder
	b.WriteString("<!doctype html>\n<meta name=\"viewport\" content=\"width=device-width\">\n<title>Directory listing for " + html.EscapeString(urlPath) + "</title>\n<h1>Directory listing for " + html.EscapeString(urlPath) + "</h1>\n<ul>\n")
	for _, e := range ents {
		name := e.Name()
		if e.IsDir() {
			name += "/"
		}
		b.WriteString("<li class=\"file\"><a href=\"" + html.EscapeString(name) + "\">" + html.EscapeString(name) + "</a></li>\n")
	}
	b.WriteString("</ul>\n")
	w.headers.set("Content-Type", "text/html")
	w.setContent([]byte(b.String()))
}
