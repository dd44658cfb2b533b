package server

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Config configures a Server. The zero value is usable: it serves handlers
// only, and static paths answer 404.
type Config struct {
	// Root is the WPT checkout served for static files (and read by the
	// handlers that open files). Empty means no static tree.
	Root string
	// BrowserHost is the main host name, wptserve's browser_host; default
	// "web-platform.test".
	BrowserHost string
	// AltHost is the not-same-site host name; default
	// "not-web-platform.test".
	AltHost string
	// Logf, if set, receives one line per handler failure.
	Logf func(format string, args ...any)
}

// subdomains are wptserve's default subdomains, keyed as in the config
// (the IDN ones by their Unicode label) with the DNS label they become.
var subdomains = []struct{ key, label string }{
	{"www", "www"},
	{"www1", "www1"},
	{"www2", "www2"},
	{"天気の良い日", "xn--n8j6ds53lwwkrqhv28a"},
	{"élève", "xn--lve-6lad"},
}

// notSubdomains are names wptserve lists but that must not resolve.
var notSubdomains = []string{"nonexistent"}

// Server is a running emulated wptserve. Start makes one; Close stops it.
type Server struct {
	cfg   Config
	root  string
	stash *stash

	ports   map[string][]int
	caPool  *x509.CertPool
	tlsConf *tls.Config

	// domains maps a key ("" for the bare host) to a name, per host set
	// ("" for BrowserHost, "alt" for AltHost): wptserve's all_domains.
	domains map[string]map[string]string
	// resolvable is every name DialContext maps to 127.0.0.1.
	resolvable map[string]bool

	ctx    context.Context
	cancel context.CancelFunc

	mu        sync.Mutex
	listeners []net.Listener
	conns     map[net.Conn]struct{}
	closed    bool
	wg        sync.WaitGroup
}

// Start creates the throwaway CA, listens on 127.0.0.1 (two HTTP ports and
// two HTTPS ports, all picked by the kernel) and starts serving.
func Start(cfg Config) (*Server, error) {
	if cfg.BrowserHost == "" {
		cfg.BrowserHost = "web-platform.test"
	}
	if cfg.AltHost == "" {
		cfg.AltHost = "not-web-platform.test"
	}
	s := &Server{
		cfg:        cfg,
		stash:      newStash(),
		ports:      map[string][]int{},
		conns:      map[net.Conn]struct{}{},
		domains:    map[string]map[string]string{},
		resolvable: map[string]bool{"localhost": true, "127.0.0.1": true},
	}
	if cfg.Root != "" {
		abs, err := filepath.Abs(cfg.Root)
		if err != nil {
			return nil, fmt.Errorf("server: bad root %q: %w", cfg.Root, err)
		}
		if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
			return nil, fmt.Errorf("server: root %q is not a directory", cfg.Root)
		}
		s.root = abs
	}
	for set, base := range map[string]string{"": cfg.BrowserHost, "alt": cfg.AltHost} {
		m := map[string]string{"": base}
		s.resolvable[base] = true
		for _, sd := range subdomains {
			name := sd.label + "." + base
			m[sd.key] = name
			s.resolvable[name] = true
		}
		for _, ns := range notSubdomains {
			m[ns] = ns + "." + base
		}
		s.domains[set] = m
	}
	var names []string
	for n := range s.resolvable {
		names = append(names, n)
	}
	sort.Strings(names)
	pool, cert, err := newCA(names)
	if err != nil {
		return nil, err
	}
	s.caPool = pool
	s.tlsConf = &tls.Config{
		Certificates: []tls.Certificate{cert},
		NextProtos:   []string{"http/1.1"},
		MinVersion:   tls.VersionTLS12,
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	for _, scheme := range []string{"http", "http", "https", "https"} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("server: listen: %w", err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		s.ports[scheme] = append(s.ports[scheme], port)
		s.listeners = append(s.listeners, ln)
		s.wg.Add(1)
		go s.acceptLoop(ln, scheme, port)
	}
	return s, nil
}

// Close stops the listeners, closes every open connection (ending any
// handler still streaming) and waits for all goroutines to finish.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	if s.cancel != nil {
		s.cancel()
	}
	var errsOut []error
	for _, ln := range s.listeners {
		if err := ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			errsOut = append(errsOut, err)
		}
	}
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return errors.Join(errsOut...)
}

func (s *Server) acceptLoop(ln net.Listener, scheme string, port int) {
	defer s.wg.Done()
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			return
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			defer func() {
				s.mu.Lock()
				delete(s.conns, c)
				s.mu.Unlock()
				c.Close()
			}()
			var nc net.Conn = c
			if scheme == "https" {
				tc := tls.Server(c, s.tlsConf)
				if err := tc.HandshakeContext(s.ctx); err != nil {
					return
				}
				// Closing the TLS layer sends close_notify, which ends a
				// body delimited by the connection closing.
				defer tc.Close()
				nc = tc
			}
			s.serveConn(nc, scheme, port)
		}()
	}
}

// Hosts returns every host name the server answers for, sorted:
// BrowserHost, AltHost and their www, www1, www2 and IDN subdomains, plus
// "localhost" and "127.0.0.1".
func (s *Server) Hosts() []string {
	var names []string
	for n := range s.resolvable {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Domains returns wptserve's all_domains: for the host set "" (BrowserHost)
// and "alt" (AltHost), the name of each subdomain key ("" is the bare
// host, "www1", "天気の良い日", ..., and "nonexistent", which does not
// resolve).
func (s *Server) Domains() map[string]map[string]string {
	out := map[string]map[string]string{}
	for k, m := range s.domains {
		mm := map[string]string{}
		for kk, v := range m {
			mm[kk] = v
		}
		out[k] = mm
	}
	return out
}

// DialContext dials addr ("host:port") with the host resolved to
// 127.0.0.1 when it is one of Hosts (a trailing dot and letter case are
// ignored). Any other host is refused with an error, so a test never
// leaves the machine. Use it as an http.Transport's DialContext.
func (s *Server) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("server: dial %q: %w", addr, err)
	}
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if !s.resolvable[h] {
		return nil, &net.DNSError{Err: "no such host (only WPT test hosts resolve)", Name: host, IsNotFound: true}
	}
	switch network {
	case "tcp", "tcp4":
	default:
		return nil, fmt.Errorf("server: dial %q: network %q not supported", addr, network)
	}
	var d net.Dialer
	return d.DialContext(ctx, "tcp4", net.JoinHostPort("127.0.0.1", port))
}

// Root returns the absolute path of the WPT tree served ("" for none).
func (s *Server) Root() string { return s.root }

// HandlerPaths returns, sorted, the URL paths answered by Go ports of
// wptserve Python handlers; any other ".py" path answers 501.
func (s *Server) HandlerPaths() []string {
	var out []string
	for p := range handlers {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// RootCAs returns a pool holding the throwaway CA that signed the HTTPS
// ports' certificate.
func (s *Server) RootCAs() *x509.CertPool { return s.caPool }

// Ports returns the listening ports by scheme: "http" and "https", two
// each, index 0 and 1 as in {{ports[http][0]}}.
func (s *Server) Ports() map[string][]int {
	out := map[string][]int{}
	for k, v := range s.ports {
		out[k] = append([]int(nil), v...)
	}
	return out
}

// URL builds scheme://host:port/path with the port ports[scheme][index].
// An empty host means BrowserHost; path should start with "/".
func (s *Server) URL(scheme string, index int, host string, path string) string {
	if host == "" {
		host = s.cfg.BrowserHost
	}
	port := 0
	if p := s.ports[scheme]; index >= 0 && index < len(p) {
		port = p[index]
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	return scheme + "://" + net.JoinHostPort(host, strconv.Itoa(port)) + path
}

// Substitute applies wptserve's {{...}} template substitution to text
// with no request in context: {{host}}, {{domains[www1]}},
// {{hosts[alt][www2]}}, {{ports[https][0]}}, {{uuid()}}, {{$var:expr}}
// and {{$var}} work; {{GET[...]}} gives "" and {{location[...]}} refers to
// http://BrowserHost:ports[http][0]/. A token that cannot be resolved is
// left as it was.
func (s *Server) Substitute(text string) string {
	r := &request{
		srv:        s,
		Method:     "GET",
		Scheme:     "http",
		Hostname:   s.cfg.BrowserHost,
		Port:       s.ports["http"][0],
		Path:       "/",
		headers:    nil,
		GET:        &multiDict{},
		ctx:        context.Background(),
		bodyReader: strings.NewReader(""),
	}
	out, _ := s.template(r, []byte(text), "none", true)
	return string(out)
}

// SubstituteFor is Substitute as if text were served at pageURL (an
// absolute http or https URL): {{location[...]}} describes pageURL and
// {{GET[name]}} reads its query. A bad pageURL falls back to Substitute.
func (s *Server) SubstituteFor(text, pageURL string) string {
	u, err := url.Parse(pageURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return s.Substitute(text)
	}
	port := 0
	if p := u.Port(); p != "" {
		port, _ = strconv.Atoi(p)
	} else if u.Scheme == "https" {
		port = 443
	} else {
		port = 80
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	r := &request{
		srv:        s,
		Method:     "GET",
		Target:     path,
		Scheme:     u.Scheme,
		Hostname:   strings.ToLower(u.Hostname()),
		Port:       port,
		Path:       path,
		RawQuery:   u.RawQuery,
		GET:        parseQS(u.RawQuery),
		ctx:        context.Background(),
		bodyReader: strings.NewReader(""),
	}
	out, _ := s.template(r, []byte(text), "none", true)
	return string(out)
}

func (s *Server) logf(format string, args ...any) {
	if s.cfg.Logf != nil {
		s.cfg.Logf(format, args...)
	}
}
