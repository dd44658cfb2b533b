package fetch

import (
	"bufio"
	"context"
	"io"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// tcpServer is a raw TCP listener on 127.0.0.1 whose connections are handed
// to handle, one goroutine each. It counts the connections still open on
// the server side. A handler that blocks should return once done is
// closed (by Release or Close). When a handler returns without closing its
// connection, the server waits for the client to close it (so a
// connection the client keeps open stays counted) and then closes it.
type tcpServer struct {
	ln     net.Listener
	handle func(c net.Conn, done <-chan struct{})

	releaseOnce sync.Once
	done        chan struct{}

	mu     sync.Mutex
	conns  map[net.Conn]bool
	closed bool
	wg     sync.WaitGroup
}

func newTCPServer(t testing.TB, handle func(c net.Conn, done <-chan struct{})) *tcpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &tcpServer{ln: ln, handle: handle, conns: map[net.Conn]bool{}, done: make(chan struct{})}
	s.wg.Add(1)
	go s.serve()
	t.Cleanup(s.Close)
	return s
}

func (s *tcpServer) serve() {
	defer s.wg.Done()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			conn.Close()
			return
		}
		s.conns[conn] = true
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			s.handle(conn, s.done)
			_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
			_, _ = io.Copy(io.Discard, conn)
			conn.Close()
			s.mu.Lock()
			delete(s.conns, conn)
			s.mu.Unlock()
		}()
	}
}

// URL is the server's base URL for scheme.
func (s *tcpServer) URL(scheme string) string { return scheme + "://" + s.ln.Addr().String() }

// Open returns how many connections the server still has open.
func (s *tcpServer) Open() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// Release closes done: blocked handlers return.
func (s *tcpServer) Release() { s.releaseOnce.Do(func() { close(s.done) }) }

// Close stops the server, closes its connections and waits for the
// handlers.
func (s *tcpServer) Close() {
	s.Release()
	s.ln.Close()
	s.mu.Lock()
	s.closed = true
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// readRequestHead reads a request's header section from br.
func readRequestHead(br *bufio.Reader) error {
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return err
		}
		if line == "\r\n" || line == "\n" {
			return nil
		}
	}
}

// waitFor polls cond (calling each before) until it holds or 10 seconds
// pass; it reports whether cond held. (A bounded wait for a condition to
// settle, not a speed check.)
func waitFor(cond func() bool, each func()) bool {
	for range 2000 {
		if each != nil {
			each()
		}
		if cond() {
			return true
		}
		time.Sleep(5 * time.Millisecond)
	}
	return false
}

// goroutineDump returns the stacks of every goroutine.
func goroutineDump() string {
	buf := make([]byte, 1<<20)
	return string(buf[:runtime.Stack(buf, true)])
}

// checkSettled releases srv's handlers and fails t unless every server
// connection gets closed (after closing c's idle connections) and the
// goroutine count settles back to before once srv is closed.
func checkSettled(t *testing.T, c *Client, srv *tcpServer, before int) {
	t.Helper()
	srv.Release()
	if !waitFor(func() bool { return srv.Open() == 0 }, c.CloseIdleConnections) {
		t.Errorf("connection leak: the server still has %d connection(s) open", srv.Open())
	}
	srv.Close()
	var n int
	if !waitFor(func() bool { n = runtime.NumGoroutine(); return n <= before }, c.CloseIdleConnections) {
		t.Errorf("goroutine leak: %d before, %d after\n%s", before, n, leakedStacks())
	}
}

// leakedStacks returns the goroutine stacks that mention wfetch or
// net/http, the likely leaks.
func leakedStacks() string {
	var out []string
	for _, g := range strings.Split(goroutineDump(), "\n\n") {
		if strings.Contains(g, "wfetch") || strings.Contains(g, "net/http") {
			out = append(out, g)
		}
	}
	return strings.Join(out, "\n\n")
}

// ctxWithDeadline is the generous deadline a hostile scenario must return
// within.
func ctxWithDeadline(d time.Duration) (context.Context, context.CancelFunc) {
	if d == 0 {
		d = 20 * time.Second
	}
	return context.WithTimeout(context.Background(), d)
}
