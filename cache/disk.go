package cache

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Disk is a Store in a directory, which survives restarts and may be
// shared by many goroutines and several processes at once.
//
// Layout: buckets/ holds one JSON file per bucket (named by the SHA-256 of
// the bucket name), bodies/ one file per body, tmp/ the files being
// written, trash/ the bodies no entry names any more (readable by the
// responses already served from them, deleted by a later scan), and
// locks/ 256 lock files that serialize the updates of the
// buckets whose names hash to them (flock(2), so processes exclude each
// other too).
//
// Crash safety: every file is written under tmp/, synced, then renamed
// into place, so a reader sees a whole file or none; a crash leaves at
// most a stray file in tmp/ (removed by later scans) or a body no bucket
// names (evicted in time). An entry whose body is gone is not found.
//
// Bodies stream: a body is written to its file as the response is read,
// and served by reading the file at the offsets asked for, never held in
// memory.
//
// Size: the bytes of bodies and bucket files are bounded (WithDiskMaxBytes,
// default DefaultDiskMaxBytes). Each process counts what it adds; when its
// count passes the bound it scans the directory and deletes the least
// recently used bodies (by modification time, which a hit refreshes) until
// the total is 90% of the bound. With several processes the bound holds
// up to what the others added since their last scan.
//
// Limits: on systems without flock (not unix), updates are serialized
// within one process only.
type Disk struct {
	dir      string
	maxBytes int64
	sync     bool

	mu    sync.Mutex // guards scanning
	total atomic.Int64

	// decoded keeps recently read bucket files, decoded, by path, with the
	// file's identity when read: reused while the file is the same (a
	// write renames a new file into place).
	dmu     sync.Mutex
	decoded map[string]decodedBucket
}

type decodedBucket struct {
	info    fs.FileInfo
	entries []*Entry // derived, shared: never changed
}

// maxDecoded bounds Disk.decoded.
const maxDecoded = 1024

// DefaultDiskMaxBytes is a Disk store's default bound: 1 GiB.
const DefaultDiskMaxBytes = 1 << 30

// DiskOption configures a Disk store.
type DiskOption func(*Disk)

// WithDiskMaxBytes bounds the bytes of bodies and bucket files (default
// DefaultDiskMaxBytes); a body larger than the bound is not stored. n <= 0
// keeps the default.
func WithDiskMaxBytes(n int64) DiskOption {
	return func(d *Disk) {
		if n > 0 {
			d.maxBytes = n
		}
	}
}

// WithDiskSync says whether files are synced to stable storage before
// they are renamed into place (default true: an entry survives a power
// loss whole or not at all). Without it a process crash is still safe.
func WithDiskSync(sync bool) DiskOption {
	return func(d *Disk) { d.sync = sync }
}

// NewDisk opens (creating it if need be) a Disk store in dir.
func NewDisk(dir string, opts ...DiskOption) (*Disk, error) {
	d := &Disk{dir: dir, maxBytes: DefaultDiskMaxBytes, sync: true}
	for _, o := range opts {
		if o != nil {
			o(d)
		}
	}
	for _, sub := range []string{"buckets", "bodies", "tmp", "trash", "locks"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return nil, err
		}
	}
	total, err := d.scan(false)
	if err != nil {
		return nil, err
	}
	d.total.Store(total)
	return d, nil
}

// Dir returns the store's directory.
func (d *Disk) Dir() string { return d.dir }

// diskBucket is a bucket file's content.
type diskBucket struct {
	Bucket  string   `json:"bucket"`
	Entries []*Entry `json:"entries"`
}

func hashName(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func (d *Disk) bucketPath(bucket string) string {
	return filepath.Join(d.dir, "buckets", hashName(bucket)+".json")
}

func (d *Disk) bodyPath(name string) (string, bool) {
	// Names are what NewBody made: hex only (never a path).
	if name == "" || strings.Trim(name, "0123456789abcdef") != "" {
		return "", false
	}
	return filepath.Join(d.dir, "bodies", name), true
}

// read loads a bucket file; a missing file is an empty bucket. The
// entries are derived and may be shared: callers must not change them.
func (d *Disk) read(bucket string) ([]*Entry, error) {
	path := d.bucketPath(bucket)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	d.dmu.Lock()
	c, ok := d.decoded[path]
	d.dmu.Unlock()
	if ok && os.SameFile(c.info, info) && c.info.ModTime().Equal(info.ModTime()) && c.info.Size() == info.Size() {
		return c.entries, nil
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	var b diskBucket
	if err := json.Unmarshal(data, &b); err != nil || b.Bucket != bucket {
		// A damaged file (or a hash collision) holds nothing usable.
		return nil, nil
	}
	b.Entries = slices.DeleteFunc(b.Entries, func(e *Entry) bool { return e == nil })
	for _, e := range b.Entries {
		e.derive()
	}
	d.dmu.Lock()
	if d.decoded == nil || len(d.decoded) >= maxDecoded {
		d.decoded = map[string]decodedBucket{}
	}
	d.decoded[path] = decodedBucket{info, b.Entries}
	d.dmu.Unlock()
	return b.Entries, nil
}

// Get implements Store. Entries whose body file is gone are left out.
func (d *Disk) Get(_ context.Context, bucket string) ([]*Entry, error) {
	ents, err := d.read(bucket)
	if err != nil {
		return nil, err
	}
	out := make([]*Entry, 0, len(ents))
	for _, e := range ents {
		if e.Body != "" {
			p, ok := d.bodyPath(e.Body)
			if !ok {
				continue
			}
			if _, err := os.Stat(p); err != nil {
				continue
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// Update implements Store, under the bucket's lock file.
func (d *Disk) Update(_ context.Context, bucket string, update func([]*Entry) []*Entry) error {
	unlock, err := d.lock(bucket)
	if err != nil {
		return err
	}
	defer unlock()
	old, err := d.read(bucket)
	if err != nil {
		return err
	}
	next := update(old)
	path := d.bucketPath(bucket)
	if len(next) == 0 {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	} else {
		data, err := json.Marshal(diskBucket{Bucket: bucket, Entries: next})
		if err != nil {
			return err
		}
		if err := d.writeFile(path, data); err != nil {
			return err
		}
		d.added(int64(len(data)))
	}
	// Bodies no remaining entry names go to trash/, where responses being
	// read still find them for a while (see bodyGrace).
	for _, o := range old {
		if o == nil || slices.ContainsFunc(next, func(n *Entry) bool { return n.Body == o.Body }) {
			continue
		}
		if p, ok := d.bodyPath(o.Body); ok {
			t := filepath.Join(d.dir, "trash", o.Body)
			if os.Rename(p, t) == nil {
				now := time.Now() // its grace starts now
				_ = os.Chtimes(t, now, now)
			}
		}
	}
	return nil
}

// bodyGrace is how long a body stays readable after the last entry naming
// it was replaced, invalidated or dropped: a response served from the
// entry opens its body on its first read.
const bodyGrace = 5 * time.Minute

// writeFile writes data to path through a temporary file and a rename.
func (d *Disk) writeFile(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Join(d.dir, "tmp"), "b-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil && d.sync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		_ = os.Remove(f.Name())
	}
	return err
}

// lock takes the lock file of bucket's stripe.
func (d *Disk) lock(bucket string) (func(), error) {
	return lockFile(filepath.Join(d.dir, "locks", hashName(bucket)[:2]+".lock"))
}

// NewBody implements Store: the body streams into a temporary file.
func (d *Disk) NewBody(context.Context) (BodyWriter, error) {
	f, err := os.CreateTemp(filepath.Join(d.dir, "tmp"), "d-*")
	if err != nil {
		return nil, err
	}
	return &diskWriter{d: d, f: f}, nil
}

type diskWriter struct {
	d   *Disk
	f   *os.File
	n   int64
	err error
}

func (w *diskWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	if w.n+int64(len(p)) > w.d.maxBytes {
		w.fail(ErrTooLarge)
		return 0, w.err
	}
	n, err := w.f.Write(p)
	w.n += int64(n)
	if err != nil {
		w.fail(err)
	}
	return n, err
}

// fail drops the temporary file and remembers err.
func (w *diskWriter) fail(err error) {
	if w.f != nil {
		w.f.Close()
		_ = os.Remove(w.f.Name())
		w.f = nil
	}
	w.err = err
}

func (w *diskWriter) Commit() (string, error) {
	if w.err != nil {
		return "", w.err
	}
	var err error
	if w.d.sync {
		err = w.f.Sync()
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	tmp := w.f.Name()
	w.f = nil
	id := newID()
	if err == nil {
		p, _ := w.d.bodyPath(id)
		err = os.Rename(tmp, p)
	}
	if err != nil {
		_ = os.Remove(tmp)
		w.err = err
		return "", err
	}
	w.err = ErrTooLarge // one commit
	w.d.added(w.n)
	return id, nil
}

func (w *diskWriter) Abort() {
	if w.err == nil {
		w.fail(ErrTooLarge)
	}
}

// OpenBody implements Store. A hit refreshes the body's modification time
// (its recency for eviction).
func (d *Disk) OpenBody(_ context.Context, e *Entry) (Body, error) {
	p, ok := d.bodyPath(e.Body)
	if !ok {
		return nil, ErrNoBody
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		// Replaced a moment ago: still in trash/ (no longer refreshed).
		f, err = os.Open(filepath.Join(d.dir, "trash", e.Body))
		if errors.Is(err, fs.ErrNotExist) {
			return nil, ErrNoBody
		}
		return f, err
	}
	if err != nil {
		return nil, err
	}
	now := time.Now()
	_ = os.Chtimes(p, now, now)
	return f, nil
}

// DeleteBody implements Store.
func (d *Disk) DeleteBody(_ context.Context, name string) error {
	if p, ok := d.bodyPath(name); ok {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// added counts n more bytes and evicts when the count passes the bound.
func (d *Disk) added(n int64) {
	if d.total.Add(n) <= d.maxBytes {
		return
	}
	if !d.mu.TryLock() {
		return // another goroutine of this process is scanning
	}
	defer d.mu.Unlock()
	if total, err := d.scan(true); err == nil {
		d.total.Store(total)
	}
}

// scan measures the directory (bodies and bucket files), removes stray
// temporary files older than an hour and, when evict is set and the total
// passes the bound, deletes the least recently used bodies until it is 90%
// of the bound. It returns the total after that.
func (d *Disk) scan(evict bool) (int64, error) {
	type file struct {
		path  string
		size  int64
		mtime time.Time
	}
	var bodies []file
	var total int64
	for _, sub := range []string{"bodies", "buckets", "tmp", "trash"} {
		des, err := os.ReadDir(filepath.Join(d.dir, sub))
		if err != nil {
			return 0, err
		}
		for _, de := range des {
			info, err := de.Info()
			if err != nil || !info.Mode().IsRegular() {
				continue
			}
			p := filepath.Join(d.dir, sub, de.Name())
			if sub == "tmp" {
				if time.Since(info.ModTime()) > time.Hour {
					_ = os.Remove(p)
				}
				continue
			}
			if sub == "trash" && time.Since(info.ModTime()) > bodyGrace {
				_ = os.Remove(p)
				continue
			}
			total += info.Size()
			if sub == "bodies" {
				bodies = append(bodies, file{p, info.Size(), info.ModTime()})
			}
		}
	}
	if !evict || total <= d.maxBytes {
		return total, nil
	}
	slices.SortFunc(bodies, func(a, b file) int { return a.mtime.Compare(b.mtime) })
	target := d.maxBytes / 10 * 9
	for _, f := range bodies {
		if total <= target {
			break
		}
		if err := os.Remove(f.path); err == nil {
			total -= f.size
		}
	}
	return total, nil
}

// Clear drops every entry and body.
func (d *Disk) Clear() {
	for _, sub := range []string{"buckets", "bodies", "trash"} {
		des, _ := os.ReadDir(filepath.Join(d.dir, sub))
		for _, de := range des {
			_ = os.Remove(filepath.Join(d.dir, sub, de.Name()))
		}
	}
	d.total.Store(0)
}
