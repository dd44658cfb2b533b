package fetch

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
