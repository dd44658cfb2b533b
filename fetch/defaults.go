package fetch

import (
	"net/url"
	"sort"
	"strings"

	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/weburl"
)

// WithDefaultHeaders sets headers the client adds to every request that
// does not have a header of the same name (resty's SetHeaders, dio's
// BaseOptions.headers), for example an API key or an Accept value. They
// are added by fetch itself, like User-Agent, so a browser-semantics
// client sends them even when the Request constructor's guard would have
// refused them, and a CORS preflight sees them. A header that is not a
// valid name or value makes every fetch fail with its TypeError.
func WithDefaultHeaders(init headers.Init) Option {
	return func(c *Client) {
		h, err := headers.NewFrom(init, headers.GuardNone)
		if err != nil {
			c.err = err
			return
		}
		c.defaultHeaders = append(c.defaultHeaders, *h.List()...)
	}
}

// appendDefaultHeaders adds the client's default headers the request does
// not have.
func (c *Client) appendDefaultHeaders(req *request.Internal) {
	n := len(*req.Header)
	for _, f := range c.defaultHeaders {
		has := false
		for _, g := range (*req.Header)[:n] {
			if strings.EqualFold(f.Name, g.Name) {
				has = true
				break
			}
		}
		if !has {
			req.Header.Append(f.Name, f.Value)
		}
	}
}

// AddQuery returns rawURL with params appended to its query, encoded as
// URLSearchParams does (application/x-www-form-urlencoded), names in
// sorted order and each name's values in their order: resty's
// SetQueryParams in one call, as
//
//	fetch.Fetch(ctx, fetch.AddQuery("https://api.example/search", url.Values{"q": {"go fetch"}}), nil)
//
// A rawURL that does not parse as an absolute URL is returned unchanged,
// so that Fetch reports it. For more control, parse the URL with
// weburl.Parse and edit its SearchParams.
func AddQuery(rawURL string, params url.Values) string {
	if len(params) == 0 {
		return rawURL
	}
	u, err := weburl.Parse(rawURL, nil)
	if err != nil {
		return rawURL
	}
	sp := u.SearchParams()
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range params[k] {
			sp.Append(k, v)
		}
	}
	return u.Href()
}
