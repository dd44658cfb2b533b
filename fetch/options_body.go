package fetch

import "context"

// DefaultMaxIdleConnsPerHost is how many idle connections per host the
// transport a Client builds keeps for reuse. net/http's default is 2, which
// makes a program with more concurrent requests to one host open and close a
// connection for most of them; a server runtime (undici, Deno) keeps every
// connection it opened. 64 keeps a busy client's connections without
// holding an unbounded number of sockets.
const DefaultMaxIdleConnsPerHost = 64

// WithMaxIdleConnsPerHost sets how many idle connections per host the
// client's own transport keeps for reuse (default DefaultMaxIdleConnsPerHost).
// It has no effect with WithTransport.
func WithMaxIdleConnsPerHost(n int) Option {
	return func(c *Client) { c.maxIdlePerHost = n }
}

// DefaultMaxDecodedBodySize is the default limit on the decoded size of a
// response body that has a content coding: past it, reads fail with a
// network error of reason "too-large". Decompression lets a few kilobytes
// on the wire expand without end; bodies without a content coding are not
// limited by default (their size is what the server sends, as with
// net/http). WithMaxBodySize and ContextWithMaxBodySize set a limit for
// every body.
const DefaultMaxDecodedBodySize = 1 << 30

// WithMaxBodySize limits the decoded size of every response body the
// client reads, with or without a content coding: a read past n bytes
// fails with a network error of reason "too-large" (ReasonTooLarge)
// and closes the connection. n < 0 removes every limit, including the
// default one on coded bodies (DefaultMaxDecodedBodySize); 0 keeps the
// default. ContextWithMaxBodySize overrides it for one fetch.
func WithMaxBodySize(n int64) Option {
	return func(c *Client) { c.maxBodySize = n }
}

type maxBodySizeKey struct{}

// ContextWithMaxBodySize returns a context under which fetches limit the
// decoded size of their response bodies to n bytes (n < 0: no limit),
// overriding the client's WithMaxBodySize (n == 0 keeps the client's).
func ContextWithMaxBodySize(ctx context.Context, n int64) context.Context {
	return context.WithValue(ctx, maxBodySizeKey{}, n)
}

// bodyLimit returns the body size limit for a fetch under ctx: n > 0 a
// limit, < 0 none, 0 the default (coded bodies only).
func (c *Client) bodyLimit(ctx context.Context) int64 {
	if ctx != nil {
		if n, ok := ctx.Value(maxBodySizeKey{}).(int64); ok && n != 0 {
			return n
		}
	}
	return c.maxBodySize
}
