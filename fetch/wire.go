package fetch

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wfetch/wfetch/internal/errs"
)

// HTTP/1 wire fidelity.
//
// net/http departs from the Fetch Standard (and browsers) in five
// places; the transport a Client builds for itself (wireTransport around
// its *http.Transport, whose dialer makes every connection a wireConn)
// works around each of them for cleartext HTTP/1.x exchanges:
//
//  1. Request header values. Fetch allows every byte in a header value but
//     NUL, CR and LF; net/http's Transport refuses values holding any other
//     control byte (0x01-0x08, 0x0B-0x1F, 0x7F). wireTransport.prepare
//     replaces each such byte, in a copy of the header, by a placeholder
//     (the transport's random key and two hex digits) that passes
//     net/http's check, and the connection, armed for that request through
//     httptrace's GotConn (the fetch's own trace, see wireSlot), turns each
//     placeholder back into its byte while
//     the request's header section (up to the first CRLFCRLF) is written.
//     Bytes after the header section (the body) are never touched.
//  2. Response header values. net/http's reader refuses header values
//     holding those control bytes; browsers keep them. While a response
//     header section is read, the wireConn replaces such bytes after a
//     line's colon by placeholders, and fixResponse decodes the values of
//     the parsed header. (A control byte in a name is left alone, and
//     net/http refuses the response.)
//  3. Truncated header sections. A response whose header section ends at
//     EOF without the terminating blank line is an error for net/http and a
//     response for browsers: the wireConn supplies the missing line ends at
//     EOF when a header section is open.
//  4. Duplicate Content-Length. net/http collapses identical duplicate
//     Content-Length fields into one (it rejects differing ones); the
//     wireConn records the raw values of the final (non-1xx) response's
//     header section and fixResponse puts the duplicates back, so the
//     header list holds what the server sent.
//  5. Invented Cache-Control. net/http adds "Cache-Control: no-cache" to a
//     response that has "Pragma: no-cache" and no Cache-Control; the
//     wireConn notes whether the final response's header section had a
//     Cache-Control field and fixResponse drops the invented one. (Over
//     https: URLs with HTTP/1.1 the invented field stays: see Limits.)
//
// Limits: only http: URLs over the transport a Client builds itself.
// WithTransport's RoundTripper gets plain net/http behaviour, and so do
// https: URLs (their bytes are encrypted below the wireConn, and HTTP/2 may
// be negotiated): there control bytes in request header values are still
// refused, and an HTTP/1.1 response with Pragma: no-cache and no
// Cache-Control keeps the Cache-Control: no-cache net/http invents (over
// HTTP/2 none is invented). Interceptors sit outside wireTransport: they see requests and
// responses as fetch has them. A request with placeholders whose
// connection is not a wireConn (only possible with cleartext HTTP/2, which
// the transport does not enable) is cancelled rather than sent as is. The
// key holds 128 random bits and is never sent, so a header value that
// already holds it is not a practical concern. NUL, CR and LF are never let
// through. An encoded control byte takes 38 bytes while net/http parses the
// header, which counts against MaxResponseHeaderBytes. Cost per exchange:
// a scan of the request header values and of the response header bytes (the
// body is passed through untouched); no allocation for a fetch whose header
// values hold no control bytes and whose response has at most one
// Content-Length. (A request that reaches wireTransport without the fetch's
// wireSlot, or a second time, gets a trace of its own and a shallow copy.)

// wireExchange is the state shared by one request and the connection it is
// sent on.
type wireExchange struct {
	key    string // placeholder prefix
	encode bool   // the request header holds placeholders

	// cancel and host: for a request with placeholders, cancels it when
	// its connection turns out not to be a wireConn.
	cancel context.CancelCauseFunc
	host   string

	mu      sync.Mutex
	armed   bool     // a wireConn carries this exchange
	lengths []string // raw Content-Length values of the final response
	noCC    bool     // the final response had no Cache-Control field
}

// gotConn arms conn with ex when it is a wireConn, and cancels a request
// holding placeholders otherwise.
func (ex *wireExchange) gotConn(conn net.Conn) {
	if wc, ok := conn.(*wireConn); ok {
		wc.arm(ex)
		return
	}
	if ex.cancel != nil {
		ex.cancel(errs.Network(errs.ReasonProtocol, nil,
			"request header holds control bytes and the connection to %s is not HTTP/1", ex.host))
	}
}

// wireSlot lets one HTTP-network fetch's own client trace (fetchTrace, in
// network.go) arm the connection, so a request needs no second trace: the
// fetch runs its request under ctx, which carries the slot to
// wireTransport.prepare, and the trace's GotConn hands the connection to
// the exchange prepare put in the slot. The slot serves one round trip;
// further ones under the same context (an interceptor retrying the request,
// or sending clones of it) get a trace of their own, whose GotConn runs
// before the fetch's (net/http calls a newer trace's hook first) and tells
// the slot to leave that connection alone.
type wireSlot struct {
	ctx     wireCtx
	claimed atomic.Bool
	ex      atomic.Pointer[wireExchange] // set by prepare before the round trip
	own     wireExchange                 // the exchange's storage (saves an allocation)

	mu   sync.Mutex
	skip []*wireConn // connections armed by other round trips' traces
}

// wireSlotKey is the context key under which a wireCtx holds its slot.
type wireSlotKey struct{}

// wireCtx is a request context carrying a wireSlot (a value the slot
// holds, so carrying it costs no allocation).
type wireCtx struct {
	context.Context
	slot  *wireSlot
	trace *httptrace.ClientTrace // answers httptrace's context key, when set
}

// Value returns the slot for wireSlotKey, the trace for httptrace's key
// (when the context carries one), and the parent's values otherwise.
func (c *wireCtx) Value(key any) any {
	if key == (wireSlotKey{}) {
		return c.slot
	}
	if c.trace != nil && key == clientTraceKey {
		return c.trace
	}
	return c.Context.Value(key)
}

// withSlot returns parent carrying s (s.ctx, not a new allocation). parent
// must already hold the trace whose GotConn calls s.gotConn.
func (s *wireSlot) withSlot(parent context.Context) context.Context {
	s.ctx = wireCtx{Context: parent, slot: s}
	return &s.ctx
}

// withSlotAndTrace is withSlot for a parent that carries no client trace:
// the returned context also carries trace, as httptrace.WithClientTrace
// would, without a context of its own (one allocation less per request).
// It falls back to WithClientTrace when httptrace's context key could not
// be learnt or the parent has a trace (which WithClientTrace composes).
func (s *wireSlot) withSlotAndTrace(parent context.Context, trace *httptrace.ClientTrace) context.Context {
	if clientTraceKey == nil || httptrace.ContextClientTrace(parent) != nil {
		return s.withSlot(httptrace.WithClientTrace(parent, trace))
	}
	s.ctx = wireCtx{Context: parent, slot: s, trace: trace}
	return &s.ctx
}

// clientTraceKey is the key under which httptrace keeps a context's client
// trace, learnt once by asking a probe context for it. A trace with only
// GotConn needs nothing else from WithClientTrace (which adds net-level
// hooks only for DNS and connect hooks).
var clientTraceKey = func() any {
	p := &keyProbe{Context: context.Background()}
	_ = httptrace.ContextClientTrace(p)
	return p.key
}()

// keyProbe records the key it is asked for.
type keyProbe struct {
	context.Context
	key any
}

func (p *keyProbe) Value(key any) any {
	p.key = key
	return nil
}

// gotConn arms the connection for the slot's exchange, if any, unless
// another round trip's trace has just armed it.
func (s *wireSlot) gotConn(conn net.Conn) {
	ex := s.ex.Load()
	if ex == nil {
		return
	}
	s.mu.Lock()
	for i, c := range s.skip {
		if net.Conn(c) == conn {
			s.skip = append(s.skip[:i], s.skip[i+1:]...)
			s.mu.Unlock()
			return
		}
	}
	s.mu.Unlock()
	ex.gotConn(conn)
}

// skipConn tells s to leave conn alone once: another round trip under the
// slot's context got it.
func (s *wireSlot) skipConn(conn net.Conn) {
	if wc, ok := conn.(*wireConn); ok {
		s.mu.Lock()
		s.skip = append(s.skip, wc)
		s.mu.Unlock()
	}
}

// wireCtl reports whether c is a byte fetch allows in a header value but
// net/http does not.
func wireCtl(c byte) bool {
	return (c < 0x20 && c != 0 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f
}

// wireTransport is the Client's own *http.Transport with the HTTP/1 wire
// fidelity fixes around it (see the top of this file).
type wireTransport struct {
	t   *http.Transport
	key string // placeholder prefix: random, one per transport
}

// newWireTransport wraps t.
func newWireTransport(t *http.Transport) *wireTransport {
	r := make([]byte, 16)
	_, _ = rand.Read(r)
	return &wireTransport{t: t, key: "~wf" + hex.EncodeToString(r) + "~"}
}

// RoundTrip prepares the request, sends it, and fixes the response header.
func (w *wireTransport) RoundTrip(hreq *http.Request) (*http.Response, error) {
	hreq, ex, done := w.prepare(hreq)
	resp, err := w.t.RoundTrip(hreq)
	if err != nil {
		if done != nil {
			done()
		}
		return nil, err
	}
	ex.fixResponse(resp)
	if done != nil {
		if resp.Body != nil {
			resp.Body = &doneBody{ReadCloser: resp.Body, done: done}
		} else {
			done()
		}
	}
	return resp, nil
}

// doneBody calls done once when closed.
type doneBody struct {
	io.ReadCloser
	once sync.Once
	done func()
}

func (b *doneBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.done)
	return err
}

// hasWireCtl reports whether v holds a wireCtl byte.
func hasWireCtl(v string) bool {
	for i := 0; i < len(v); i++ {
		if wireCtl(v[i]) {
			return true
		}
	}
	return false
}

// prepare readies hreq for the wire when it goes out over cleartext
// HTTP/1: control bytes in header values become placeholders (in a copy of
// the header) and the request's connection gets armed, through the fetch's
// own trace when the context carries a free wireSlot and through a trace
// of its own otherwise. It returns the request to send, the exchange (nil
// when none applies) and a function to call when the exchange is over (nil
// when there is none).
func (w *wireTransport) prepare(hreq *http.Request) (*http.Request, *wireExchange, func()) {
	if hreq.URL == nil || hreq.URL.Scheme != "http" || (w.t.Protocols != nil && w.t.Protocols.UnencryptedHTTP2()) {
		return hreq, nil, nil
	}
	ctx := hreq.Context()
	slot, _ := ctx.Value(wireSlotKey{}).(*wireSlot)
	var shared *wireSlot // a slot another round trip has
	if slot != nil && !slot.claimed.CompareAndSwap(false, true) {
		slot, shared = nil, slot
	}
	var ex *wireExchange
	if slot != nil {
		ex = &slot.own
	} else {
		ex = new(wireExchange)
	}
	ex.key = w.key
	var h http.Header
	for k, vs := range hreq.Header {
		for i, v := range vs {
			// (A byte of a multi-byte UTF-8 sequence is >= 0x80: never a
			// wireCtl byte.)
			if !hasWireCtl(v) {
				continue
			}
			if h == nil {
				h = hreq.Header.Clone()
			}
			h[k][i] = string(ex.encodeValue([]byte(v)))
			ex.encode = true
		}
	}
	var done func()
	if ex.encode {
		// A request holding placeholders must not reach a connection that
		// would send them as they are: cancelled instead. (Unreachable with
		// the transport's settings; a best-effort guard, as cancellation
		// races with the transport's write.)
		var cancel context.CancelCauseFunc
		ctx, cancel = context.WithCancelCause(ctx)
		done = func() { cancel(nil) }
		ex.cancel, ex.host = cancel, hreq.URL.Host
	}
	if slot != nil {
		// The fetch's own trace arms the connection.
		slot.ex.Store(ex)
	} else {
		trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
			if shared != nil {
				shared.skipConn(info.Conn)
			}
			ex.gotConn(info.Conn)
		}}
		ctx = httptrace.WithClientTrace(ctx, trace)
	}
	out := hreq
	if ctx != hreq.Context() {
		out = hreq.WithContext(ctx)
	}
	if h != nil {
		out.Header = h
	}
	return out, ex, done
}

// encodeValue returns v with each wireCtl byte replaced by a placeholder.
func (ex *wireExchange) encodeValue(v []byte) []byte {
	out := make([]byte, 0, len(v)+16)
	for _, b := range v {
		if wireCtl(b) {
			out = append(out, ex.key...)
			out = append(out, hexDigits[b>>4], hexDigits[b&15])
			continue
		}
		out = append(out, b)
	}
	return out
}

const hexDigits = "0123456789ABCDEF"

// decodeValue turns placeholders in v back into their bytes.
func (ex *wireExchange) decodeValue(v string) string {
	if !strings.Contains(v, ex.key) {
		return v
	}
	var b strings.Builder
	for {
		i := strings.Index(v, ex.key)
		if i < 0 || i+len(ex.key)+2 > len(v) {
			b.WriteString(v)
			return b.String()
		}
		n, err := strconv.ParseUint(v[i+len(ex.key):i+len(ex.key)+2], 16, 8)
		if err != nil {
			b.WriteString(v[:i+len(ex.key)])
			v = v[i+len(ex.key):]
			continue
		}
		b.WriteString(v[:i])
		b.WriteByte(byte(n))
		v = v[i+len(ex.key)+2:]
	}
}

// fixResponse gives hresp's header what the server sent: placeholders
// decoded, and identical Content-Length duplicates that net/http collapsed
// put back.
func (ex *wireExchange) fixResponse(hresp *http.Response) {
	if ex == nil || hresp == nil {
		return
	}
	ex.mu.Lock()
	armed, lengths, noCC := ex.armed, ex.lengths, ex.noCC
	ex.mu.Unlock()
	if !armed {
		return
	}
	// 5. net/http's ReadResponse adds "Cache-Control: no-cache" to a
	// response with "Pragma: no-cache" and no Cache-Control: the server
	// sent none, so it goes.
	if noCC {
		delete(hresp.Header, "Cache-Control")
	}
	for _, vs := range hresp.Header {
		for i, v := range vs {
			vs[i] = ex.decodeValue(v)
		}
	}
	if len(lengths) > 1 {
		cur := hresp.Header["Content-Length"]
		same := len(cur) == 1
		for _, l := range lengths {
			same = same && l == cur[0]
		}
		if same {
			hresp.Header["Content-Length"] = lengths
		}
	}
}

// wireDial wraps a dial function so every connection it makes is a
// wireConn (pass-through until armed).
func wireDial(dial func(ctx context.Context, network, addr string) (net.Conn, error)) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		start := now()
		conn, err := dial(ctx, network, addr)
		if err != nil || conn == nil {
			return conn, err
		}
		return &wireConn{Conn: conn, dialStart: start, dialEnd: now()}, nil
	}
}

// wireConn is a connection that, once armed with an exchange, decodes the
// placeholders of the request header section it writes and watches the
// response header section it reads (see the comment at the top of this
// file). Unarmed, and outside header sections, bytes pass through as is.
type wireConn struct {
	net.Conn

	// Timing: when the dial started and ended, and when the latest
	// response began to arrive (the first bytes read after a write).
	dialStart, dialEnd time.Time
	wrote              atomic.Bool
	respStart          atomic.Int64 // unix nanoseconds

	wmu     sync.Mutex
	wex     *wireExchange // armed for writing a request header section
	wHeld   []byte        // input held back: a possible partial placeholder
	wRecent [3]byte       // last bytes written in the header section

	rmu      sync.Mutex
	rex      *wireExchange // armed for reading a response header section
	rLine    []byte        // the raw current line (capped)
	rInValue bool          // the current line's colon has been seen
	rLineNo  int           // lines done in this section
	rStatus  int
	rLenN    int    // Content-Length fields in this section
	rCC      bool   // a Cache-Control field is in this section
	rLenRaw  []byte // their trimmed values, each followed by '\n'
	rIn      []byte // scratch: the bytes of the last read
	rOut     []byte // scratch: those bytes transformed
	rPending []byte // the part of rOut not yet returned
	rErr     error  // error to return once rPending is drained
	rFail    error  // a read error other than EOF: every later read returns it
}

// arm makes the next request header section written, and the next
// response header section read, belong to ex.
func (c *wireConn) arm(ex *wireExchange) {
	ex.mu.Lock()
	ex.armed = true
	ex.mu.Unlock()
	c.wmu.Lock()
	c.wex, c.wHeld, c.wRecent = ex, nil, [3]byte{}
	c.wmu.Unlock()
	c.rmu.Lock()
	c.rex = ex
	c.resetSection()
	c.rmu.Unlock()
}

// Write writes p, decoding placeholders inside an armed request header
// section.
func (c *wireConn) Write(p []byte) (int, error) {
	if !c.wrote.Load() {
		c.wrote.Store(true)
	}
	c.wmu.Lock()
	ex := c.wex
	if ex == nil || !ex.encode {
		c.wex = nil
		c.wmu.Unlock()
		return c.Conn.Write(p)
	}
	data := p
	if len(c.wHeld) > 0 {
		data = append(c.wHeld, p...)
	}
	c.wHeld = nil
	out := make([]byte, 0, len(data))
	key := ex.key
	i := 0
	for i < len(data) {
		if c.wex == nil { // header section over: the rest is body
			out = append(out, data[i:]...)
			break
		}
		b := data[i]
		if b == key[0] {
			rest := data[i:]
			if len(rest) < len(key)+2 && key[:min(len(rest), len(key))] == string(rest[:min(len(rest), len(key))]) {
				c.wHeld = append([]byte(nil), rest...)
				break
			}
			if len(rest) >= len(key) && string(rest[:len(key)]) == key {
				if n, err := strconv.ParseUint(string(rest[len(key):len(key)+2]), 16, 8); err == nil {
					out = append(out, byte(n))
					i += len(key) + 2
					c.noteWritten(byte(n))
					continue
				}
			}
		}
		out = append(out, b)
		c.noteWritten(b)
		i++
	}
	c.wmu.Unlock()
	if len(out) > 0 {
		if _, err := c.Conn.Write(out); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// noteWritten tracks the end of the request header section.
func (c *wireConn) noteWritten(b byte) {
	if c.wRecent == [3]byte{'\r', '\n', '\r'} && b == '\n' {
		c.wex = nil
		return
	}
	c.wRecent = [3]byte{c.wRecent[1], c.wRecent[2], b}
}

// resetSection starts a new response header section.
func (c *wireConn) resetSection() {
	c.rLine, c.rInValue, c.rLineNo, c.rStatus = c.rLine[:0], false, 0, 0
	c.rLenN, c.rLenRaw, c.rCC = 0, c.rLenRaw[:0], false
}

// Read reads from the connection, transforming an armed response header
// section and completing it at EOF.
func (c *wireConn) Read(p []byte) (int, error) {
	c.rmu.Lock()
	if len(c.rPending) > 0 || c.rErr != nil {
		defer c.rmu.Unlock()
		return c.drain(p)
	}
	if c.rFail != nil {
		// The connection failed: it stays failed (a reader that took
		// the error for a line end must not see an EOF later, which
		// would let the header section be completed).
		defer c.rmu.Unlock()
		return 0, c.rFail
	}
	c.rmu.Unlock()
	// The exchange is looked at after the read: the transport's read loop
	// may be waiting here while idle when the next request arms the conn.
	n, err := c.Conn.Read(p)
	if n > 0 && c.wrote.Load() {
		c.wrote.Store(false)
		c.respStart.Store(now().UnixNano())
	}
	c.rmu.Lock()
	defer c.rmu.Unlock()
	if err != nil && err != io.EOF {
		c.rFail = err
	}
	if c.rex == nil {
		return n, err
	}
	// The bytes read move to the conn's own buffer and come back
	// transformed through rOut (both reused from read to read).
	c.rIn = append(c.rIn[:0], p[:n]...)
	c.rOut = c.transformRead(c.rOut[:0], c.rIn)
	if err == io.EOF && c.rex != nil && (c.rLineNo > 0 || len(c.rLine) > 0) {
		// 3. The header section ends at EOF: supply its line ends
		// (only a LF after a line's CR). A reset is no EOF: it fails the
		// exchange (see rFail).
		if len(c.rLine) > 0 {
			end := []byte("\r\n")
			if c.rLine[len(c.rLine)-1] == '\r' {
				end = end[1:]
			}
			c.rOut = c.transformRead(c.rOut, end)
		}
		for c.rex != nil {
			c.rOut = c.transformRead(c.rOut, []byte("\r\n"))
		}
	}
	c.rPending, c.rErr = c.rOut, err
	return c.drain(p)
}

// lastResponseStart is when the latest response on c began to arrive.
func (c *wireConn) lastResponseStart() time.Time {
	if t := c.respStart.Load(); t != 0 {
		return time.Unix(0, t)
	}
	return time.Time{}
}

// drain returns pending bytes, then the pending error.
func (c *wireConn) drain(p []byte) (int, error) {
	n := copy(p, c.rPending)
	c.rPending = c.rPending[n:]
	if len(c.rPending) == 0 {
		err := c.rErr
		c.rErr = nil
		return n, err
	}
	return n, nil
}

// maxWireLine caps the bytes kept of one response header line.
const maxWireLine = 1 << 16

// transformRead appends in to out, encoding control bytes of header
// values while a response header section is open and noting where it ends.
func (c *wireConn) transformRead(out, in []byte) []byte {
	for i, b := range in {
		ex := c.rex
		if ex == nil {
			return append(out, in[i:]...)
		}
		if b != '\n' {
			if len(c.rLine) < maxWireLine {
				c.rLine = append(c.rLine, b)
			}
			if b == ':' {
				c.rInValue = true
			}
			if c.rLineNo > 0 && c.rInValue && wireCtl(b) {
				out = append(out, ex.key...)
				out = append(out, hexDigits[b>>4], hexDigits[b&15])
			} else {
				out = append(out, b)
			}
			continue
		}
		out = append(out, b)
		c.rInValue = false
		line := bytes.TrimSuffix(c.rLine, []byte("\r"))
		switch {
		case c.rLineNo == 0:
			c.rStatus = statusOf(line)
		case len(line) == 0:
			if c.rStatus >= 100 && c.rStatus < 200 && c.rStatus != 101 {
				c.resetSection() // an interim response: another section follows
				continue
			}
			// (Only duplicates matter to fixResponse: a single value is
			// not turned into a string.)
			var lengths []string
			if c.rLenN > 1 {
				lengths = strings.Split(string(c.rLenRaw[:len(c.rLenRaw)-1]), "\n")
			}
			ex.mu.Lock()
			ex.lengths, ex.noCC = lengths, !c.rCC
			ex.mu.Unlock()
			c.rex = nil
			c.rLine = c.rLine[:0]
			continue
		default:
			if name, value, ok := bytes.Cut(line, []byte(":")); ok && bytes.EqualFold(name, contentLength) {
				c.rLenN++
				c.rLenRaw = append(append(c.rLenRaw, bytes.Trim(value, " \t")...), '\n')
			} else if ok && bytes.EqualFold(name, cacheControl) {
				c.rCC = true
			}
		}
		c.rLineNo++
		c.rLine = c.rLine[:0]
	}
	return out
}

var contentLength, cacheControl = []byte("Content-Length"), []byte("Cache-Control")

// statusOf returns the status code of a status line: its second
// whitespace-separated field as a number (0 when there is none or it is not
// a number).
func statusOf(line []byte) int {
	if bytes.IndexFunc(line, func(r rune) bool { return r >= 0x80 }) >= 0 {
		// Non-ASCII: bytes.Fields knows the Unicode white space.
		if f := bytes.Fields(line); len(f) >= 2 {
			n, _ := strconv.Atoi(string(f[1]))
			return n
		}
		return 0
	}
	f := 0
	for len(line) > 0 {
		i := 0
		for i < len(line) && asciiSpace(line[i]) {
			i++
		}
		line = line[i:]
		j := 0
		for j < len(line) && !asciiSpace(line[j]) {
			j++
		}
		if j == 0 {
			break
		}
		if f == 1 {
			n, _ := strconv.Atoi(string(line[:j]))
			return n
		}
		f++
		line = line[j:]
	}
	return 0
}

// asciiSpace reports whether b is white space as bytes.Fields has it for
// ASCII.
func asciiSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\v' || b == '\f' || b == '\r'
}
