package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDownload(t *testing.T) {
	content := bytes.Repeat([]byte("0123456789abcdef"), 4096) // 64 KiB
	var mu sync.Mutex
	var ranges []string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		ranges = append(ranges, r.Header.Get("Range")+" "+r.Header.Get("If-Range"))
		mu.Unlock()
		switch r.URL.Path {
		case "/missing":
			http.NotFound(w, r)
			return
		case "/cut": // sends half the body, then drops the connection
			if r.Header.Get("Range") == "" {
				w.Header().Set("ETag", `"v1"`)
				w.Header().Set("Content-Length", fmt.Sprint(len(content)))
				w.Write(content[:len(content)/2])
				w.(http.Flusher).Flush()
				conn, _, _ := w.(http.Hijacker).Hijack()
				conn.Close()
				return
			}
		case "/liar": // answers every range with the wrong start
			if r.Header.Get("Range") != "" {
				w.Header().Set("Content-Range", fmt.Sprintf("bytes 1-%d/%d", len(content)-1, len(content)))
				w.WriteHeader(206)
				w.Write(content[1:])
				return
			}
		}
		w.Header().Set("ETag", `"v1"`)
		http.ServeContent(w, r, "data.bin", time.Unix(1e9, 0), bytes.NewReader(content))
	})
	c := newTestClient(t)
	ctx := context.Background()
	dir := t.TempDir()
	half := len(content) / 2
	writePartial := func(path string, n int, etag string) {
		os.WriteFile(path+".part", content[:n], 0o644)
		os.WriteFile(path+".part.json", []byte(fmt.Sprintf(`{"url":%q,"etag":%q}`, srv.URL+"/"+filepath.Base(path), etag)), 0o644)
	}
	for _, tc := range []struct {
		name    string
		setup   func(path string)
		resumed bool
		ranges  []string
	}{
		{"fresh", nil, false, []string{" "}},
		{"resume", func(p string) { writePartial(p, half, `"v1"`) }, true, []string{fmt.Sprintf("bytes=%d- \"v1\"", half)}},
		{"changed: If-Range fails, starts over", func(p string) { writePartial(p, half, `"v0"`) }, false, []string{fmt.Sprintf("bytes=%d- \"v0\"", half)}},
		{"complete already: 416", func(p string) { writePartial(p, len(content), `"v1"`) }, true, []string{fmt.Sprintf("bytes=%d- \"v1\"", len(content))}},
		{"no validator: starts over", func(p string) { os.WriteFile(p+".part", content[:10], 0o644) }, false, []string{" "}},
		{"liar", func(p string) { writePartial(p, half, `"v1"`) }, false, []string{fmt.Sprintf("bytes=%d- \"v1\"", half), " "}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := strings.ReplaceAll(strings.Fields(tc.name)[0], ":", "")
			if tc.name == "liar" {
				name = "liar"
			}
			path := filepath.Join(dir, name)
			if tc.setup != nil {
				tc.setup(path)
			}
			mu.Lock()
			ranges = nil
			mu.Unlock()
			var last [2]int64
			res, err := c.Download(ctx, srv.URL+"/"+name, path, &DownloadOptions{Progress: func(w, total int64) { last = [2]int64{w, total} }})
			if err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(path)
			if !bytes.Equal(got, content) {
				t.Errorf("file has %d bytes, want the %d of the content", len(got), len(content))
			}
			if res.Resumed != tc.resumed || res.Size != int64(len(content)) {
				t.Errorf("result %+v", res)
			}
			if _, err := os.Stat(path + ".part"); !os.IsNotExist(err) {
				t.Errorf(".part left behind: %v", err)
			}
			if _, err := os.Stat(path + ".part.json"); !os.IsNotExist(err) {
				t.Errorf(".part.json left behind: %v", err)
			}
			mu.Lock()
			defer mu.Unlock()
			if diff := cmp.Diff(tc.ranges, ranges); diff != "" {
				t.Errorf("Range and If-Range sent (-want +got)\n%s", diff)
			}
			if tc.name != "complete already: 416" && last != [2]int64{int64(len(content)), int64(len(content))} {
				t.Errorf("last progress %v", last)
			}
		})
	}
	// An interrupted download leaves a partial file that the next call
	// resumes.
	path := filepath.Join(dir, "cut")
	if _, err := c.Download(ctx, srv.URL+"/cut", path, nil); err == nil {
		t.Fatal("cut download succeeded")
	}
	if fi, err := os.Stat(path + ".part"); err != nil || fi.Size() != int64(half) {
		t.Fatalf("partial file: %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the target exists after a failed download")
	}
	res, err := c.Download(ctx, srv.URL+"/cut", path, nil)
	if err != nil || !res.Resumed {
		t.Fatalf("resume after cut: %+v, %v", res, err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, content) {
		t.Errorf("resumed file differs")
	}
	// A 404 is a StatusError and writes nothing.
	_, err = c.Download(ctx, srv.URL+"/missing", filepath.Join(dir, "missing"), nil)
	var se *StatusError
	if !errors.As(err, &se) || se.Status != 404 {
		t.Errorf("404: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing")); !os.IsNotExist(err) {
		t.Error("404 wrote a file")
	}
}

func TestContentRangeParsing(t *testing.T) {
	for _, tc := range []struct {
		v           string
		first, full int64
		ok          bool
	}{
		{"bytes 0-9/10", 0, 10, true},
		{"bytes 5-9/*", 5, -1, true},
		{"bytes 5-4/10", 0, 0, false},
		{"bytes 5-9/9", 0, 0, false},
		{"items 0-1/2", 0, 0, false},
		{"bytes */10", 0, 0, false},
	} {
		first, full, ok := parseContentRange(tc.v)
		if first != tc.first || full != tc.full || ok != tc.ok {
			t.Errorf("parseContentRange(%q) = %d, %d, %v", tc.v, first, full, ok)
		}
	}
}
