package server

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http/httputil"
	"net/url"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

const maxHeaderBytes = 1 << 20

var errBadRequest = errors.New("malformed HTTP request")

// serveConn reads requests off one connection and answers them in turn
// until the client or a response closes it.
func (s *Server) serveConn(c net.Conn, scheme string, port int) {
	br := bufio.NewReaderSize(c, 32<<10)
	bw := bufio.NewWriterSize(c, 32<<10)
	for {
		if s.ctx.Err() != nil {
			return
		}
		req, err := s.readRequest(br, scheme, port)
		if err != nil {
			if errors.Is(err, errBadRequest) {
				bw.WriteString("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
				bw.Flush()
			}
			return
		}
		req.remoteAddr = c.RemoteAddr().String()
		ctx, cancel := context.WithCancel(s.ctx)
		req.ctx = ctx
		w := newResponse(req, bw)
		if strings.EqualFold(req.header("Expect", ""), "100-continue") {
			req.onBodyRead = func() {
				bw.WriteString("HTTP/1.1 100 Continue\r\n\r\n")
				bw.Flush()
			}
		}
		cw := &clientWatch{conn: c, br: br, cancel: cancel}
		req.watchFn = cw.start
		s.handle(w, req)
		w.finish()
		cw.stop()
		cancel()
		if w.closeConnection || w.writeFailed || wantsClose(req) {
			return
		}
		// Drop what is left of the request body before the next request.
		if _, err := io.Copy(io.Discard, io.LimitReader(req.bodyReader, 64<<20)); err != nil {
			return
		}
		if n, _ := req.bodyReader.Read(make([]byte, 1)); n > 0 {
			return
		}
	}
}

func wantsClose(r *request) bool {
	conn := strings.ToLower(r.header("Connection", ""))
	if r.Proto == "HTTP/1.0" {
		return !strings.Contains(conn, "keep-alive")
	}
	return strings.Contains(conn, "close")
}

// clientWatch notices, while a handler sleeps or streams, that the client
// closed the connection, by peeking at the next byte once the request
// body has been read.
type clientWatch struct {
	conn    net.Conn
	br      *bufio.Reader
	cancel  context.CancelFunc
	started bool
	done    chan struct{}
}

func (cw *clientWatch) start() {
	if cw.started {
		return
	}
	cw.started = true
	cw.done = make(chan struct{})
	go func() {
		defer close(cw.done)
		_, err := cw.br.Peek(1)
		if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
			cw.cancel()
		}
	}()
}

func (cw *clientWatch) stop() {
	if !cw.started {
		return
	}
	cw.conn.SetReadDeadline(time.Unix(1, 0))
	<-cw.done
	cw.conn.SetReadDeadline(time.Time{})
	cw.started = false
}

// watch starts the client watch if the request body is out of the way.
func (r *request) watch() {
	if r.watchFn == nil {
		return
	}
	if !r.bodyDone {
		if n, ok := r.bodyReader.(*io.LimitedReader); !ok || n.N > 0 {
			return
		}
	}
	r.watchFn()
}

// readLine reads one line ending in LF (a CR before it is dropped).
func readLine(br *bufio.Reader, budget *int) (string, error) {
	var line []byte
	for {
		frag, err := br.ReadSlice('\n')
		*budget -= len(frag)
		if *budget < 0 {
			return "", errBadRequest
		}
		line = append(line, frag...)
		if err == nil {
			break
		}
		if err != bufio.ErrBufferFull {
			if len(line) > 0 && errors.Is(err, io.EOF) {
				return "", errBadRequest
			}
			return "", err
		}
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return string(line), nil
}

func (s *Server) readRequest(br *bufio.Reader, scheme string, port int) (*request, error) {
	budget := maxHeaderBytes
	line, err := readLine(br, &budget)
	for err == nil && line == "" { // tolerate stray CRLF between requests
		line, err = readLine(br, &budget)
	}
	if err != nil {
		return nil, err
	}
	f := strings.Split(line, " ")
	if len(f) != 3 || !strings.HasPrefix(f[2], "HTTP/1.") {
		return nil, errBadRequest
	}
	r := &request{srv: s, Method: f[0], Target: f[1], Proto: f[2], Scheme: scheme, Port: port}
	for {
		l, err := readLine(br, &budget)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, errBadRequest
			}
			return nil, err
		}
		if l == "" {
			break
		}
		name, value, ok := strings.Cut(l, ":")
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			return nil, errBadRequest
		}
		r.addHeader(name, strings.Trim(value, " \t"))
	}
	target := r.Target
	if i := strings.Index(target, "://"); i > 0 && !strings.HasPrefix(target, "/") {
		if u, err := url.Parse(target); err == nil {
			target = u.RequestURI()
		}
	}
	path, q, hasQ := strings.Cut(target, "?")
	if i := strings.IndexByte(q, '#'); i >= 0 {
		q = q[:i]
	}
	r.Path, r.RawQuery = path, q
	_ = hasQ
	r.GET = parseQS(q)
	host := r.header("Host", "")
	r.Hostname = host
	if h, p, err := net.SplitHostPort(host); err == nil {
		r.Hostname = h
		if n, err := strconv.Atoi(p); err == nil {
			r.Port = n
		}
	}
	r.Hostname = strings.ToLower(r.Hostname)
	switch {
	case strings.Contains(strings.ToLower(r.header("Transfer-Encoding", "")), "chunked"):
		r.bodyReader = httputil.NewChunkedReader(br)
	case r.hasHeader("Content-Length"):
		n, err := strconv.ParseInt(strings.TrimSpace(r.header("Content-Length", "")), 10, 64)
		if err != nil || n < 0 {
			return nil, errBadRequest
		}
		r.bodyReader = &io.LimitedReader{R: br, N: n}
	default:
		r.bodyReader = &io.LimitedReader{R: br, N: 0}
	}
	return r, nil
}

// handle routes a request: a registered handler by path, an .asis file,
// or a static file, then the pipes from ?pipe= (and .sub.).
func (s *Server) handle(w *response, r *request) {
	defer func() {
		if v := recover(); v != nil {
			msg := sprintf("%v", v)
			if pe, ok := v.(pyError); ok {
				msg = pe.msg
			} else {
				s.logf("wpt/server: panic in %s %s: %v\n%s", r.Method, r.Target, v, debug.Stack())
			}
			s.logf("wpt/server: %s %s: 500: %s", r.Method, r.Target, msg)
			if !w.wroteAny {
				w.parts = nil
				w.setError(500, msg)
			}
		}
	}()
	path := percentDecode(r.Path)
	if h, ok := handlers[path]; ok {
		h(w, r)
		if !w.wroteAny {
			s.applyPipes(w, r, "")
		}
		return
	}
	if strings.HasSuffix(path, ".py") {
		w.setError(501, "wfetch wpt/server: no Go port of "+path)
		s.logf("wpt/server: %s: no Go handler", path)
		return
	}
	s.serveFile(w, r, path)
}
