package fetch

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/wfetch/wfetch/request"
)

// DownloadOptions tune Download. The zero value (or nil) is a plain,
// resumable download.
type DownloadOptions struct {
	// Init is the request's init (headers, signal, credentials, ...), as
	// for Fetch. Download sets Range and If-Range itself when it resumes,
	// and Accept-Encoding to identity unless Init sets one.
	Init *request.Init
	// Progress reports the bytes in the file so far (a resumed part
	// included) and the full size when known (else -1). Calls are
	// throttled like Observer progress (100 ms), the last one is always
	// made.
	Progress func(written, total int64)
	// NoResume starts over even when a partial download is there.
	NoResume bool
}

// DownloadResult describes a finished download.
type DownloadResult struct {
	// Path is the file written.
	Path string
	// Size is its size in bytes.
	Size int64
	// Resumed is set when the download continued a partial file.
	Resumed bool
	// Status is the final response's status (200, or 206 when resumed).
	Status int
}

// StatusError is the error of a download (or of a helper that needs a
// successful response) whose response status is not a success.
type StatusError struct {
	Status     int
	StatusText string
	URL        string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s: status %d %s", e.URL, e.Status, e.StatusText)
}

// partialMeta is what is kept beside a partial download to resume it
// safely: the validator If-Range sends.
type partialMeta struct {
	URL          string `json:"url"`
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"lastModified,omitempty"`
}

// Download fetches input on the default client into the file at path (see
// Client.Download).
func Download(ctx context.Context, input any, path string, opts *DownloadOptions) (*DownloadResult, error) {
	return DefaultClient().Download(ctx, input, path, opts)
}

// Download fetches input (as Fetch does) into the file at path, dio's
// download and curl's -C - -o in one call:
//
//   - atomically: the bytes go to path+".part", renamed to path once
//     complete, so path is never a half-written file;
//   - resumably: a download that fails leaves the .part file and its
//     validator (path+".part.json"); the next Download of the same URL asks
//     only for the rest, with Range and If-Range (ETag or Last-Modified).
//     A 206 must answer with a Content-Range that starts where the file
//     ends; a 200 (the resource changed, or no range support) starts over;
//   - with progress (opts.Progress), and the fetch's observer, signal and
//     context apply as for Fetch.
//
// A response status other than 2xx fails with a *StatusError (the
// partial file is kept). A body with a content coding is decoded and
// cannot be resumed (Download asks for the identity coding to avoid
// that). This is beyond the Fetch Standard.
func (c *Client) Download(ctx context.Context, input any, path string, opts *DownloadOptions) (*DownloadResult, error) {
	if opts == nil {
		opts = &DownloadOptions{}
	}
	part, metaPath := path+".part", path+".part.json"
	for attempt := 0; ; attempt++ {
		res, restart, err := c.downloadOnce(ctx, input, path, part, metaPath, opts, attempt > 0 || opts.NoResume)
		if restart && attempt == 0 {
			continue // the partial file was unusable: once more from the start
		}
		return res, err
	}
}

// downloadOnce runs one download request. restart says the partial file
// did not fit the response and was dropped.
func (c *Client) downloadOnce(ctx context.Context, input any, path, part, metaPath string, opts *DownloadOptions, fresh bool) (*DownloadResult, bool, error) {
	req, err := request.New(input, opts.Init, request.WithEnvironment(c.Environment()))
	if err != nil {
		return nil, false, err
	}
	// The partial file and its validator, when resuming.
	var off int64
	var meta partialMeta
	if !fresh {
		off, meta = readPartial(part, metaPath, req.URL())
	}
	if off == 0 {
		_ = os.Remove(part)
		_ = os.Remove(metaPath)
	}
	h := req.Headers()
	if ok, _ := h.Has("Accept-Encoding"); !ok {
		_ = h.Set("Accept-Encoding", "identity")
	}
	if off > 0 {
		_ = h.Set("Range", "bytes="+strconv.FormatInt(off, 10)+"-")
		if meta.ETag != "" {
			_ = h.Set("If-Range", meta.ETag)
		} else {
			_ = h.Set("If-Range", meta.LastModified)
		}
	}
	resp, err := c.FetchRequest(ctx, req)
	if err != nil {
		return nil, false, err
	}
	defer resp.Close()
	status := resp.Status()
	var flags int
	total := int64(-1)
	switch {
	case status == 206 && off > 0:
		start, full, ok := parseContentRange(resp.Headers().Value("Content-Range"))
		if !ok || start != off {
			// Not the rest of our file: start over.
			return nil, true, nil
		}
		total = full
		flags = os.O_WRONLY | os.O_APPEND
	case status == 416 && off > 0:
		// Nothing left to send: the file may be complete already.
		if full, ok := parseUnsatisfiedRange(resp.Headers().Value("Content-Range")); ok && full == off {
			if err := finishDownload(part, metaPath, path); err != nil {
				return nil, false, err
			}
			return &DownloadResult{Path: path, Size: off, Resumed: true, Status: status}, false, nil
		}
		return nil, true, nil
	case status == 206:
		// A range we did not ask for.
		return nil, false, &StatusError{Status: status, StatusText: resp.StatusText(), URL: resp.URL()}
	case status >= 200 && status <= 299:
		off = 0
		if n := resp.ContentLength(); n >= 0 && resp.Headers().Value("Content-Encoding") == "" {
			total = n
		}
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
		// Keep what a later resume needs (a coded body cannot be resumed).
		meta = partialMeta{URL: req.URL(), ETag: strongETag(resp.Headers().Value("ETag")), LastModified: resp.Headers().Value("Last-Modified")}
		_ = os.Remove(metaPath)
		if resp.Headers().Value("Content-Encoding") == "" && (meta.ETag != "" || meta.LastModified != "") {
			if b, err := json.Marshal(meta); err == nil {
				_ = os.WriteFile(metaPath, b, 0o644)
			}
		}
	default:
		return nil, false, &StatusError{Status: status, StatusText: resp.StatusText(), URL: resp.URL()}
	}
	f, err := os.OpenFile(part, flags, 0o644)
	if err != nil {
		return nil, false, err
	}
	rd, err := resp.Body().GetReader()
	if err != nil {
		f.Close()
		return nil, false, err
	}
	w := &progressWriter{w: f, n: off, total: total, fn: opts.Progress, t: throttle{every: DefaultProgressInterval}}
	_, cerr := io.Copy(w, rd)
	w.report(true)
	serr := f.Sync()
	if err := f.Close(); cerr == nil {
		cerr = err
	}
	if cerr == nil {
		cerr = serr
	}
	if cerr != nil {
		return nil, false, cerr
	}
	if total >= 0 && w.n != total {
		return nil, false, fmt.Errorf("download %s: got %d bytes, expected %d", req.URL(), w.n, total)
	}
	if err := finishDownload(part, metaPath, path); err != nil {
		return nil, false, err
	}
	return &DownloadResult{Path: path, Size: w.n, Resumed: status == 206, Status: status}, false, nil
}

// readPartial returns the size of a partial download of url and its
// validator, or 0 when there is none to resume.
func readPartial(part, metaPath, url string) (int64, partialMeta) {
	var meta partialMeta
	b, err := os.ReadFile(metaPath)
	if err != nil || json.Unmarshal(b, &meta) != nil || meta.URL != url || (meta.ETag == "" && meta.LastModified == "") {
		return 0, partialMeta{}
	}
	fi, err := os.Stat(part)
	if err != nil || !fi.Mode().IsRegular() {
		return 0, partialMeta{}
	}
	return fi.Size(), meta
}

// finishDownload moves the complete file into place.
func finishDownload(part, metaPath, path string) error {
	if err := os.Rename(part, path); err != nil {
		return err
	}
	_ = os.Remove(metaPath)
	return nil
}

// strongETag returns an entity tag usable in If-Range (a strong one), or
// "".
func strongETag(v string) string {
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, "W/") || !strings.HasPrefix(v, `"`) {
		return ""
	}
	return v
}

// parseContentRange parses "bytes first-last/complete" (RFC 9110 §14.4)
// into its first byte and complete length (-1 for "*").
func parseContentRange(v string) (first, complete int64, ok bool) {
	unit, rest, found := strings.Cut(strings.TrimSpace(v), " ")
	if !found || !strings.EqualFold(unit, "bytes") {
		return 0, 0, false
	}
	rng, full, found := strings.Cut(rest, "/")
	if !found {
		return 0, 0, false
	}
	a, b, found := strings.Cut(rng, "-")
	if !found {
		return 0, 0, false
	}
	first, err1 := strconv.ParseInt(a, 10, 64)
	last, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil || first < 0 || last < first {
		return 0, 0, false
	}
	complete = -1
	if full != "*" {
		n, err := strconv.ParseInt(full, 10, 64)
		if err != nil || n <= last {
			return 0, 0, false
		}
		complete = n
	}
	return first, complete, true
}

// parseUnsatisfiedRange parses "bytes */complete", the Content-Range of a
// 416.
func parseUnsatisfiedRange(v string) (complete int64, ok bool) {
	unit, rest, found := strings.Cut(strings.TrimSpace(v), " ")
	if !found || !strings.EqualFold(unit, "bytes") || !strings.HasPrefix(rest, "*/") {
		return 0, false
	}
	n, err := strconv.ParseInt(rest[2:], 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// progressWriter counts what is written to a download's file.
type progressWriter struct {
	w     io.Writer
	n     int64
	total int64
	fn    func(written, total int64)
	t     throttle
	done  bool
}

func (p *progressWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	p.n += int64(n)
	p.report(false)
	return n, err
}

func (p *progressWriter) report(final bool) {
	if p.fn == nil || p.done || !p.t.due(final) {
		return
	}
	p.done = final
	p.fn(p.n, p.total)
}
