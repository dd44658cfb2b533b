package fetch

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wfetch/wfetch/body"
	"github.com/wfetch/wfetch/request"
)

// TestSizedUploads: bodies with a known length go out with a
// Content-Length, not chunked; disk-backed files stream from disk.
func TestSizedUploads(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			if err := r.ParseMultipartForm(1 << 20); err == nil {
				f := r.MultipartForm.File["doc"][0]
				fh, _ := f.Open()
				fb, _ := io.ReadAll(fh)
				fmt.Fprintf(w, "%d|%v|%s|%s|%s|%s", r.ContentLength, r.TransferEncoding, f.Filename, f.Header.Get("Content-Type"), fb, r.MultipartForm.Value["note"][0])
				return
			}
		}
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%d|%v|%s|%s", r.ContentLength, r.TransferEncoding, r.Header.Get("Content-Type"), b)
	})
	dir := t.TempDir()
	path := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(path, []byte("hello from disk"), 0o644); err != nil {
		t.Fatal(err)
	}
	disk, err := body.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	half := ptr(request.DuplexHalf)
	openAt := func(off int64) *os.File {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		f.Seek(off, io.SeekStart)
		return f
	}
	form := body.NewFormData()
	form.Append("note", "see file")
	form.AppendBlob("doc", disk.AsBlob(), "renamed.txt")
	c := newTestClient(t)
	for _, tc := range []struct {
		name string
		init *request.Init
		want string
	}{
		{"io.Reader: chunked", &request.Init{Method: ptr("PUT"), Body: strings.NewReader("abc"), Duplex: half}, "-1|[chunked]||abc"},
		{"SizedReader", &request.Init{Method: ptr("PUT"), Body: body.SizedReader(strings.NewReader("abc"), 3), Duplex: half}, "3|[]||abc"},
		{"*os.File", &request.Init{Method: ptr("PUT"), Body: openAt(0), Duplex: half}, "15|[]||hello from disk"},
		{"*os.File past its start", &request.Init{Method: ptr("PUT"), Body: openAt(6), Duplex: half}, "9|[]||from disk"},
		{"OpenFile", &request.Init{Method: ptr("PUT"), Body: disk}, "15|[]|text/plain; charset=utf-8|hello from disk"},
		{"OpenFile slice", &request.Init{Method: ptr("PUT"), Body: disk.Slice(6, 10, "")}, "4|[]||from"},
		{"multipart from disk", &request.Init{Method: ptr("POST"), Body: form}, "|[]|renamed.txt|text/plain; charset=utf-8|hello from disk|see file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := text(t, mustFetch(t, c, srv.URL, tc.init))
			if tc.name == "multipart from disk" {
				got = got[strings.Index(got, "|"):]
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
	// The multipart body from disk is the same as from memory, with its
	// length known up front.
	mem, _ := body.NewFile([]any{"hello from disk"}, "renamed.txt", body.FileOptions{Type: "text/plain; charset=utf-8"})
	form2 := body.NewFormData()
	form2.Append("note", "see file")
	form2.AppendBlob("doc", mem.AsBlob(), "renamed.txt")
	b1, ct1, _ := body.Extract(form, false)
	b2, _, _ := body.Extract(form2, false)
	d1, _ := b1.FullyRead()
	d2, _ := b2.FullyRead()
	boundary := strings.TrimPrefix(ct1, "multipart/form-data; boundary=")
	if b1.Length != int64(len(d1)) || b1.Length != b2.Length || len(boundary) == 0 {
		t.Errorf("lengths: disk %d (read %d), memory %d", b1.Length, len(d1), b2.Length)
	}
	if got := strings.Count(string(d1), "hello from disk"); got != 1 || len(d1) != len(d2) {
		t.Errorf("disk multipart:\n%s\nmemory:\n%s", d1, d2)
	}
	if disk.Name() != "notes.txt" || disk.Size() != 15 || disk.Text() != "hello from disk" || disk.Slice(-4, 100, "").Text() != "disk" {
		t.Errorf("OpenFile: %q %d %q", disk.Name(), disk.Size(), disk.Text())
	}
	if _, err := body.OpenFile(dir); err == nil {
		t.Error("OpenFile of a directory worked")
	}
}
