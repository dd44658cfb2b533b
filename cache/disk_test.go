package cache

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDiskChildWriter is not a test by itself: TestDiskMultiProcess runs
// the test binary with WFETCH_DISK_CHILD set, and then it stores the
// variants it is told to into the shared directory.
func TestDiskChildWriter(t *testing.T) {
	dir, id := os.Getenv("WFETCH_DISK_CHILD"), os.Getenv("WFETCH_DISK_CHILD_ID")
	if dir == "" {
		t.Skip("only run as a child of TestDiskMultiProcess")
	}
	d, err := NewDisk(dir, WithDiskSync(false))
	if err != nil {
		t.Fatal(err)
	}
	c := New(WithStore(d))
	for i := range 20 {
		v := id + "-" + strconv.Itoa(i)
		store(t, c, newReq("GET", "http://example.test/mp", hdr("X-V", v)),
			newResp(200, hdr("Cache-Control", "max-age=600", "Vary", "X-V"), "v"+v))
	}
}

// Several processes writing the same bucket of one directory lose nothing.
func TestDiskMultiProcess(t *testing.T) {
	if os.Getenv("WFETCH_DISK_CHILD") != "" {
		t.Skip("child")
	}
	dir := t.TempDir()
	var cmds []*exec.Cmd
	for p := range 3 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestDiskChildWriter$", "-test.count=1")
		cmd.Env = append(os.Environ(), "WFETCH_DISK_CHILD="+dir, "WFETCH_DISK_CHILD_ID="+strconv.Itoa(p))
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("child: %v", err)
		}
	}
	d, err := NewDisk(dir)
	if err != nil {
		t.Fatal(err)
	}
	c := New(WithStore(d))
	var missing []string
	for p := range 3 {
		for i := range 20 {
			v := fmt.Sprintf("%d-%d", p, i)
			if got := look(t, c, "GET", "http://example.test/mp", "X-V", v); got != "fresh 200 v"+v {
				missing = append(missing, v)
			}
		}
	}
	if len(missing) > 0 {
		// maxPerBucket keeps the 64 most recent of a bucket: 60 fit.
		t.Errorf("variants lost: %v", missing)
	}
}

// Bodies stream to their file as the caller reads; a crash mid-write (a
// body never committed, a stray temporary file, a damaged bucket file)
// never yields a corrupt entry.
func TestDiskStreamingAndCrashSafety(t *testing.T) {
	dir := t.TempDir()
	d, err := NewDisk(dir, WithDiskSync(false))
	if err != nil {
		t.Fatal(err)
	}
	c := New(WithStore(d))
	u := "http://example.test/big"
	body := strings.Repeat("0123456789", 10000)
	kept := c.Store(newReq("GET", u, nil), newResp(200, hdr("Cache-Control", "max-age=60"), body))
	if _, err := io.ReadFull(kept.Body, make([]byte, 50000)); err != nil {
		t.Fatal(err)
	}
	// Half read: half on disk, in tmp/, and nothing stored yet.
	tmps, _ := os.ReadDir(filepath.Join(dir, "tmp"))
	var sizes []int64
	for _, de := range tmps {
		info, _ := de.Info()
		sizes = append(sizes, info.Size())
	}
	if d := cmp.Diff([]int64{50000}, sizes); d != "" {
		t.Errorf("tmp/ while streaming (-want +got)\n%s", d)
	}
	if got := look(t, c, "GET", u); got != "miss" {
		t.Errorf("before the end: %s", got)
	}
	// The "crash": the body is abandoned; a fresh store on the directory
	// finds nothing.
	d2, err := NewDisk(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := look(t, New(WithStore(d2)), "GET", u); got != "miss" {
		t.Errorf("after an abandoned write: %s", got)
	}
	io.Copy(io.Discard, kept.Body)
	kept.Body.Close()
	if got := look(t, c, "GET", u); got != "fresh 200 "+body {
		t.Errorf("after the end: %.40s", got)
	}
	// A damaged bucket file reads as empty, not as an error or a bad entry.
	os.WriteFile(d.bucketPath(u), []byte(`{"bucket": "http://example.test/big", "entries": [{"id"`), 0o644)
	if got := look(t, c, "GET", u); got != "miss" {
		t.Errorf("damaged bucket file: %.40s", got)
	}
	// A missing body file makes its entry a miss.
	store(t, c, newReq("GET", u, nil), newResp(200, hdr("Cache-Control", "max-age=60"), "small"))
	bodies, _ := os.ReadDir(filepath.Join(dir, "bodies"))
	for _, b := range bodies {
		os.Remove(filepath.Join(dir, "bodies", b.Name()))
	}
	if got := look(t, c, "GET", u); got != "miss" {
		t.Errorf("body file gone: %s", got)
	}
}

// The directory stays within its bound; the least recently used bodies go.
func TestDiskEviction(t *testing.T) {
	dir := t.TempDir()
	const bound = 40 << 10
	d, err := NewDisk(dir, WithDiskMaxBytes(bound), WithDiskSync(false))
	if err != nil {
		t.Fatal(err)
	}
	c := New(WithStore(d))
	u := func(i int) string { return fmt.Sprintf("http://example.test/e%d", i) }
	body := strings.Repeat("x", 4<<10)
	for i := range 30 {
		store(t, c, newReq("GET", u(i), nil), newResp(200, hdr("Cache-Control", "max-age=600"), body))
		if i >= 1 {
			look(t, c, "GET", u(0)) // keep 0 recently used
		}
	}
	total, err := d.scan(false)
	if err != nil {
		t.Fatal(err)
	}
	if total > bound {
		t.Errorf("directory holds %d bytes, bound %d", total, bound)
	}
	if got := look(t, c, "GET", u(0)); got != "fresh 200 "+body {
		t.Errorf("the recently used entry was evicted")
	}
	if got := look(t, c, "GET", u(1)); got != "miss" {
		t.Errorf("the least recently used entry is still there")
	}
	if got := look(t, c, "GET", u(29)); got != "fresh 200 "+body {
		t.Errorf("the newest entry was evicted")
	}
}
