package fetch

import (
	"errors"
	"io/fs"
	stdmime "mime"
	"os"
	"path"
	"strconv"
	"strings"

	"github.com/wfetch/wfetch/body"
	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/weburl"
)

// openFileURL opens the file a file: URL names, under the client's file root,
// and returns its header list (Content-Type by extension, Content-Length) and
// body. The standard leaves file: URLs to the implementation ("left as an
// exercise for the reader"); this one serves regular files read-only and
// fails with a network error for everything else: no file access enabled,
// a host other than empty or localhost, a path outside the root, a missing
// file or a directory.
func (c *Client) openFileURL(u *weburl.URL) (headers.List, *body.Body, error) {
	if c.fileRoot == "" {
		return nil, nil, errs.Network(errs.ReasonScheme, nil, "file: URLs are not enabled on this client (use WithFileAccess): %s", u.Href())
	}
	if h := u.Hostname(); h != "" && h != "localhost" {
		return nil, nil, errs.Network(errs.ReasonScheme, nil, "file: URL with host %q is not supported", h)
	}
	segs := u.PathSegments()
	parts := make([]string, 0, len(segs))
	for _, s := range segs {
		d := string(weburl.PercentDecode(s))
		if strings.ContainsAny(d, "/\\\x00") || d == ".." {
			return nil, nil, errs.Network(errs.ReasonBlocked, nil, "file: path segment %q is not allowed", d)
		}
		if d != "" && d != "." {
			parts = append(parts, d)
		}
	}
	rel := path.Join(parts...)
	if rel == "" {
		rel = "."
	}
	root, err := os.OpenRoot(c.fileRoot)
	if err != nil {
		return nil, nil, errs.Network(errs.ReasonOther, err, "cannot open file root %q", c.fileRoot)
	}
	defer root.Close()
	f, err := root.Open(rel)
	if err != nil {
		what := "cannot open"
		switch {
		case errors.Is(err, fs.ErrNotExist):
			what = "no such file:"
		case errors.Is(err, fs.ErrPermission):
			what = "permission denied:"
		}
		return nil, nil, errs.Network(errs.ReasonOther, err, "%s %s", what, u.Href())
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, nil, errs.Network(errs.ReasonOther, err, "%s is not a regular file", u.Href())
	}
	var h headers.List
	ct := stdmime.TypeByExtension(path.Ext(rel))
	if ct == "" {
		ct = "application/octet-stream"
	}
	h.Append("Content-Type", ct)
	h.Append("Content-Length", strconv.FormatInt(st.Size(), 10))
	return h, body.FromReader(f, st.Size()), nil
}
