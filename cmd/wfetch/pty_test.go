//go:build linux || darwin || freebsd

package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creack/pty"
)

// onTerminal runs the command (this test binary acting as wfetch, see
// TestMain) with its standard streams on a pseudo-terminal and returns
// what the terminal showed and the exit status.
func onTerminal(t *testing.T, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "WFETCH_TEST_MAIN=1", "NO_COLOR=")
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer f.Close()
	var out bytes.Buffer
	io.Copy(&out, f) // ends with EIO once the command has exited
	err = cmd.Wait()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), code
}

func TestTerminalJSONAndHeaders(t *testing.T) {
	srv := newServer(t)
	out, code := onTerminal(t, "-i", srv.URL+"/json")
	if code != 0 {
		t.Fatalf("exit %d: %q", code, out)
	}
	// The status line and header names are coloured.
	if !strings.Contains(out, "\x1b[1m\x1b[32mHTTP/1.1 200 OK\x1b[0m") || !strings.Contains(out, "\x1b[36mContent-Type\x1b[0m: application/json") {
		t.Errorf("headers not coloured: %q", out)
	}
	// The JSON is pretty-printed (indented, one member a line) and coloured.
	if !strings.Contains(out, "\n  \x1b[") || !strings.Contains(out, "\x1b[") || strings.Contains(out, `{"a":1`) {
		t.Errorf("JSON not pretty and coloured: %q", out)
	}
	plain := stripANSI(out)
	if !strings.Contains(plain, "{\r\n  \"a\": 1,\r\n  \"b\": [\r\n    true,\r\n    null\r\n  ]\r\n}") {
		t.Errorf("JSON layout: %q", plain)
	}
}

func TestTerminalNoColor(t *testing.T) {
	srv := newServer(t)
	cmd := exec.Command(os.Args[0], srv.URL+"/json")
	cmd.Env = append(os.Environ(), "WFETCH_TEST_MAIN=1", "NO_COLOR=1")
	f, err := pty.Start(cmd)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer f.Close()
	var out bytes.Buffer
	io.Copy(&out, f)
	cmd.Wait()
	if strings.Contains(out.String(), "\x1b[") || !strings.Contains(out.String(), "  \"a\": 1") {
		t.Errorf("NO_COLOR: %q", out.String())
	}
}

func TestTerminalProgressBar(t *testing.T) {
	big := strings.Repeat("x", 1<<20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, big)
	}))
	defer srv.Close()
	dest := filepath.Join(t.TempDir(), "big.bin")
	out, code := onTerminal(t, "-#", "-o", dest, srv.URL+"/big.bin")
	if code != 0 {
		t.Fatalf("exit %d: %q", code, out)
	}
	if !strings.Contains(out, "100%") || !strings.Contains(out, "big.bin") || !strings.Contains(out, "MB") {
		t.Errorf("no progress bar on the terminal: %q", out)
	}
	if b, _ := os.ReadFile(dest); len(b) != len(big) {
		t.Errorf("file has %d bytes", len(b))
	}
	// -s: no bar.
	out, _ = onTerminal(t, "-s", "-#", "-o", dest, srv.URL+"/big.bin")
	if strings.Contains(out, "%") {
		t.Errorf("-s showed a bar: %q", out)
	}
}

func TestTerminalBinary(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
	}))
	defer srv.Close()
	out, code := onTerminal(t, srv.URL)
	if code != exitWrite || !strings.Contains(out, "binary output can mess up your terminal") || strings.Contains(out, "IHDR") {
		t.Errorf("exit %d: %q", code, out)
	}
	if out, code := onTerminal(t, "-o", "-", srv.URL); code != 0 || !strings.Contains(out, "IHDR") {
		t.Errorf("-o -: exit %d: %q", code, out)
	}
}

// stripANSI removes ANSI colour sequences.
func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] < '@' || s[j] > '~') {
				j++
			}
			i = j
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
