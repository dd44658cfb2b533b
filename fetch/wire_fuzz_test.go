package fetch

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fuzzWireConn is a net.Conn that serves fixed bytes in reads of at most n
// bytes, then EOF. Only Read is used.
type fuzzWireConn struct {
	net.Conn
	data []byte
	n    int
}

func (c *fuzzWireConn) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	k := copy(p[:min(len(p), c.n)], c.data)
	c.data = c.data[k:]
	return k, nil
}

// wireResult is what an HTTP/1 exchange yields: the final response's
// status, header and (capped) body, or the error.
type wireResult struct {
	Status int
	Header http.Header
	Body   string
	Err    bool
}

const fuzzWireKey = "~wfFUZZKEY0123456789abcdef~"

// readWire parses a response from data as the transport does: through a
// wireConn (when wire is set) armed with an exchange, skipping interim 1xx
// responses, then fixResponse.
func readWire(data []byte, chunk int, wire bool) wireResult {
	var conn net.Conn = &fuzzWireConn{data: bytes.Clone(data), n: chunk}
	var ex *wireExchange
	if wire {
		wc := &wireConn{Conn: conn}
		ex = &wireExchange{key: fuzzWireKey}
		wc.arm(ex)
		conn = wc
	}
	br := bufio.NewReader(conn)
	req, _ := http.NewRequest("GET", "http://example.test/", nil)
	for i := 0; ; i++ {
		resp, err := http.ReadResponse(br, req)
		if err != nil {
			return wireResult{Err: true}
		}
		if resp.StatusCode >= 100 && resp.StatusCode < 200 && resp.StatusCode != 101 && i < 20 {
			continue
		}
		ex.fixResponse(resp)
		body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		return wireResult{Status: resp.StatusCode, Header: resp.Header, Body: string(body), Err: err != nil}
	}
}

// FuzzWireResponse feeds a fuzzed byte stream to net/http's response
// reader through the wireConn transform (fetch/wire.go) and checks that:
// how the stream is split into reads does not change the result; no
// placeholder is left in a header value; and a response net/http reads as
// is comes out the same through the wire path, but for the fixes wire.go
// makes on purpose (no invented Cache-Control, duplicate Content-Length
// kept). Control bytes in header values survive to the header.
func FuzzWireResponse(f *testing.F) {
	for _, s := range []string{
		"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: a\x01b\r\n\r\nhello",
		"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 204 No Content\r\nPragma: no-cache\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
		"HTTP/1.1 200 OK\r\nX-Trunc: yes",
		"HTTP/1.0 301 Moved\nLocation: /x\x7f\n\nbody",
		"HTTP/1.1 200 OK\r\nX: " + fuzzWireKey + "01\r\nContent-Length: 0\r\n\r\n",
		"HTTP/1.1 101 Switching\r\nUpgrade: x\r\n\r\n",
	} {
		f.Add([]byte(s), uint8(1))
	}
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		whole := readWire(data, len(data)+1, true)
		split := readWire(data, int(chunk%13)+1, true)
		if diff := cmp.Diff(whole, split); diff != "" {
			t.Fatalf("read in %d-byte pieces, the result differs (-whole +pieces)\n%s", chunk%13+1, diff)
		}
		if whole.Err {
			return
		}
		for name, vs := range whole.Header {
			for _, v := range vs {
				if strings.Contains(v, fuzzWireKey) && !bytes.Contains(data, []byte(fuzzWireKey)) {
					t.Fatalf("placeholder left in %s: %q", name, v)
				}
			}
		}
		plain := readWire(data, len(data)+1, false)
		if plain.Err {
			return
		}
		want := plain.Header.Clone()
		got := whole.Header.Clone()
		if got.Get("Cache-Control") == "" {
			delete(want, "Cache-Control") // net/http's invented one, dropped on purpose
		}
		if cl := got.Values("Content-Length"); len(cl) > 1 && len(want.Values("Content-Length")) == 1 {
			want["Content-Length"] = cl // duplicates put back on purpose
		}
		if bytes.Contains(data, []byte(fuzzWireKey)) {
			return // the stream holds the key itself
		}
		plain.Header, whole.Header = want, got
		if diff := cmp.Diff(plain, whole); diff != "" {
			t.Fatalf("net/http reads %q as is, the wire path differs (-plain +wire)\n%s", data, diff)
		}
	})
}
