// Command wfetch fetches URLs with WHATWG Fetch semantics (package fetch),
// with curl's flags and exit codes, and shows what fetch did.
//
//	wfetch [flags] URL... [flags]
//	wfetch run FILE [--origin URL] [network flags]
//
// Examples:
//
//	go run ./cmd/wfetch data:,hello
//	wfetch -i https://example.com/
//	wfetch --json '{"a":1}' http://127.0.0.1:8080/api
//	wfetch --origin https://app.example -X PUT https://api.example/ --explain
//
// Flags may come before or after the URLs and mean what they mean in curl
// (-X -H -d -F --json -i -I -v -s -S -w -o -O -C -f --retry -x -k -b -c -m
// ...); exit codes are curl's (6 resolve, 7 connect, 22 HTTP error with
// -f, 28 timeout, 35 TLS, 47 redirects, 60 certificate, ...). Fetch's own
// flags (--origin, --mode, --credentials, --cache, --redirect, --referrer,
// --referrer-policy, --integrity) set the fetch environment and request;
// --explain says on stderr what fetch did (CORS preflights and checks,
// redirect hops, cache outcome) and --offline prints the request as fetch
// would send it without sending it. `wfetch --help` lists everything.
//
// Deviations from curl: redirects are always followed (fetch's default
// redirect mode; -L is accepted, --redirect error|manual changes it),
// responses are always decoded (--compressed is accepted), URL globbing
// ({a,b}, [1-9]) and protocols other than http(s), data:, file: and
// about: are not supported, and --cert takes no ":password" suffix.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/wfetch/wfetch/cache"
	"github.com/wfetch/wfetch/cookiejar"
	"github.com/wfetch/wfetch/fetch"
	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/response"
)

// version is printed by --version.
const version = "wfetch (github.com/wfetch/wfetch) dev"

func main() {
	sio := stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr}
	sio.outTTY = isTerminal(os.Stdout)
	sio.errTTY = isTerminal(os.Stderr)
	if sio.errTTY {
		sio.width, _, _ = term.GetSize(int(os.Stderr.Fd()))
	}
	if os.Getenv("NO_COLOR") != "" {
		sio.noColor = true
	}
	os.Exit(Main(context.Background(), os.Args[1:], sio))
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// stdio is the process's standard streams and what is known about them.
type stdio struct {
	in             io.Reader
	out, err       io.Writer
	outTTY, errTTY bool // standard output / error is a terminal
	noColor        bool // NO_COLOR is set
	width          int  // terminal width of standard error, 0 if unknown
}

// app is one run of the command.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	outTTY, errTTY bool
	width          int
	outColor       colors
	errColor       colors

	opts          *options
	client        *fetch.Client
	tracer        *tracer
	jar           *cookiejar.Jar
	cookieHeader  string // -b 'name=value; ...'
	progressDelay time.Duration
	sleep         func(context.Context, time.Duration) error
}

// Main runs the command with args (without the program name) and returns
// its exit status.
func Main(ctx context.Context, args []string, sio stdio) int {
	a := &app{
		stdin: sio.in, stdout: sio.out, stderr: sio.err, outTTY: sio.outTTY, errTTY: sio.errTTY,
		width: sio.width, progressDelay: time.Second, sleep: sleepCtx,
	}
	if a.stdin == nil {
		a.stdin = strings.NewReader("")
	}
	a.outColor = colors{on: sio.outTTY && !sio.noColor}
	a.errColor = colors{on: sio.errTTY && !sio.noColor}
	if len(args) > 0 && args[0] == "run" {
		return a.report(a.runScript(ctx, args[1:]))
	}
	opts, urls, err := parseArgs(args)
	if err != nil {
		fmt.Fprintf(a.stderr, "wfetch: (%d) usage: %s (see wfetch --help)\n", exitUsage, oneLine(err.Error()))
		return exitUsage
	}
	a.opts = opts
	if opts.help {
		io.WriteString(a.stdout, helpText())
		return exitOK
	}
	if opts.version {
		fmt.Fprintln(a.stdout, version)
		return exitOK
	}
	if len(urls) == 0 {
		fmt.Fprintf(a.stderr, "wfetch: (%d) usage: no URL given (see wfetch --help)\n", exitUsage)
		return exitUsage
	}
	if err := a.setup(); err != nil {
		return a.report(err)
	}
	defer a.client.Close()
	p, err := a.prepare()
	if err != nil {
		return a.report(err)
	}
	code := exitOK
	for i, u := range urls {
		if c := a.report(a.transfer(ctx, p, i, u)); c != exitOK {
			code = c
		}
	}
	if a.opts.cookieJar != "" && a.jar != nil {
		if err := a.saveJar(); err != nil && code == exitOK {
			code = a.report(newErr(exitWrite, "write cookie jar "+a.opts.cookieJar, err))
		}
	}
	return code
}

// report prints err as one line (unless -s without -S) and returns its
// exit code.
func (a *app) report(err error) int {
	if err == nil {
		return exitOK
	}
	ce := classify(err)
	if a.opts == nil || !a.opts.silent || a.opts.showError {
		fmt.Fprintf(a.stderr, "wfetch: %s\n", ce.Error())
	}
	return ce.code
}

func (a *app) saveJar() error { return saveJar(a.jar, a.opts.cookieJar, a.stdout) }

// setup builds the client from the network flags.
func (a *app) setup() error {
	opts, err := a.clientOptions()
	if err != nil {
		return err
	}
	a.client = fetch.NewClient(opts...)
	return nil
}

// clientOptions turns the network flags (shared by transfers and `run`)
// into client options.
func (a *app) clientOptions() ([]fetch.Option, error) {
	o := a.opts
	a.tracer = &tracer{a: a}
	opts := []fetch.Option{
		fetch.WithInterceptor(a.tracer.interceptor),
		fetch.WithMaxRedirects(maxRedirects(o.maxRedirs)),
		fetch.WithFileAccess("/"),
		fetch.WithRedirectHook(func(info fetch.RedirectInfo) error {
			a.tracer.addRedirect(info)
			if o.verbose {
				a.tracer.printMu.Lock()
				fmt.Fprintf(a.stderr, "* %s\n", a.errColor.note(fmt.Sprintf("redirect %d: %d to %s (%s)", info.Count, info.Status, info.URL, info.Method)))
				a.tracer.printMu.Unlock()
			}
			return nil
		}),
	}
	if o.origin != "" {
		opts = append(opts, fetch.WithOrigin(o.origin))
	}
	switch {
	case o.set["user-agent"]:
		opts = append(opts, fetch.WithUserAgent(o.userAgent))
	case removesHeader(o.headers, "user-agent"):
		opts = append(opts, fetch.WithUserAgent(""))
	}
	// Cookies: -b FILE loads a jar, -b 'n=v' is a Cookie header, -c saves.
	var cookieStrings []string
	needJar := o.cookieJar != ""
	for _, c := range o.cookies {
		if strings.Contains(c, "=") {
			cookieStrings = append(cookieStrings, c)
		} else {
			needJar = true
		}
	}
	a.cookieHeader = strings.Join(cookieStrings, "; ")
	if needJar || (a.cookieHeader != "" && o.origin != "") {
		a.jar = newJar()
		for _, c := range o.cookies {
			if c != "" && !strings.Contains(c, "=") {
				if err := loadJar(a.jar, c); err != nil {
					return nil, newErr(exitRead, "read cookie file "+c, err)
				}
			}
		}
		opts = append(opts, fetch.WithCookieJar(a.jar))
	}
	if o.cacheMode != "" || o.cacheDir != "" {
		store, err := a.httpCache()
		if err != nil {
			return nil, err
		}
		opts = append(opts, fetch.WithHTTPCache(store))
	}
	if o.insecure || o.cacert != "" || o.cert != "" || o.key != "" {
		cfg, err := a.tlsConfig()
		if err != nil {
			return nil, err
		}
		opts = append(opts, fetch.WithTLSConfig(cfg))
	}
	if o.proxy != "" || o.noproxy != "" {
		proxy, err := proxyFunc(o.proxy, o.noproxy)
		if err != nil {
			return nil, err
		}
		opts = append(opts, fetch.WithProxy(proxy))
	}
	if o.connectTO > 0 {
		// curl's connect timeout covers the TCP connect and the TLS handshake.
		opts = append(opts, fetch.WithDialTimeout(seconds(o.connectTO)), fetch.WithTLSHandshakeTimeout(seconds(o.connectTO)))
	}
	return opts, nil
}

// httpCache returns the HTTP cache of --cache / --cache-dir: in memory
// (for the URLs of this run), or in a directory that later runs (and other
// processes at the same time) share. Store errors are warnings.
func (a *app) httpCache() (fetch.HTTPCache, error) {
	opts := []cache.Option{cache.WithErrorHandler(func(err error) {
		if !a.opts.silent {
			fmt.Fprintf(a.stderr, "wfetch: warning: cache: %s\n", oneLine(err.Error()))
		}
	})}
	if dir := a.opts.cacheDir; dir != "" {
		disk, err := cache.NewDisk(dir)
		if err != nil {
			return nil, newErr(exitWrite, "cache directory "+dir, err)
		}
		opts = append(opts, cache.WithStore(disk))
	}
	return cache.New(opts...), nil
}

// maxRedirects is --max-redirs: -1 means no limit, as in curl.
func maxRedirects(n int) int {
	if n < 0 {
		return math.MaxInt32
	}
	return n
}

func removesHeader(hs []string, name string) bool {
	for _, h := range hs {
		n, v, ok := strings.Cut(h, ":")
		if ok && strings.EqualFold(strings.TrimSpace(n), name) && strings.TrimSpace(v) == "" {
			return true
		}
	}
	return false
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// tlsConfig builds the TLS configuration of -k, --cacert, --cert, --key.
func (a *app) tlsConfig() (*tls.Config, error) {
	o := a.opts
	cfg := &tls.Config{InsecureSkipVerify: o.insecure}
	if o.cacert != "" {
		pem, err := os.ReadFile(o.cacert)
		if err != nil {
			return nil, newErr(exitCAFile, "read CA file", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, errorf(exitCAFile, "read CA file", "%s holds no PEM certificate", o.cacert)
		}
		cfg.RootCAs = pool
	}
	if o.cert != "" || o.key != "" {
		if o.cert == "" {
			return nil, errorf(exitClientCert, "client certificate", "--key needs --cert")
		}
		key := o.key
		if key == "" {
			key = o.cert
		}
		pair, err := tls.LoadX509KeyPair(o.cert, key)
		if err != nil {
			return nil, newErr(exitClientCert, "client certificate", err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg, nil
}

// proxyFunc chooses the proxy of -x and --noproxy; without -x the
// environment (http_proxy, https_proxy, no_proxy) decides, as in curl.
func proxyFunc(proxy, noproxy string) (func(*http.Request) (*url.URL, error), error) {
	var pu *url.URL
	if proxy != "" {
		if !strings.Contains(proxy, "://") {
			proxy = "http://" + proxy
		}
		u, err := url.Parse(proxy)
		if err != nil || u.Host == "" {
			return nil, errorf(exitProxyResolve, "proxy", "bad proxy URL %q", proxy)
		}
		pu = u
	}
	var skip []string
	for _, h := range strings.Split(noproxy, ",") {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			skip = append(skip, strings.TrimPrefix(h, "."))
		}
	}
	return func(r *http.Request) (*url.URL, error) {
		host := strings.ToLower(r.URL.Hostname())
		for _, s := range skip {
			if s == "*" || host == s || strings.HasSuffix(host, "."+s) {
				return nil, nil
			}
		}
		if pu != nil {
			return pu, nil
		}
		return http.ProxyFromEnvironment(r)
	}, nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// result is what a transfer learned, for -w and --explain.
type result struct {
	url       string
	start     time.Time
	end       time.Time
	resp      *response.Response
	status    int
	size      int64
	uploaded  int64
	exchanges []*exchange
	redirects []fetch.RedirectInfo
	err       error
	exitCode  int
	proto     string
	// forceStdout: -o - asked for the body on standard output even if it
	// is binary and a terminal.
	forceStdout bool
	respHeader  headers.List
}

// transfer fetches one URL: the Nth URL argument (idx N-1).
func (a *app) transfer(ctx context.Context, p *prepared, idx int, raw string) (err error) {
	o := a.opts
	target := p.targetURL(raw)
	res := &result{url: target, start: time.Now()}
	defer func() {
		res.end = time.Now()
		res.err = err
		if err != nil {
			res.exitCode = classify(err).code
		}
		if errors.Is(err, errOffline) {
			err = nil
		}
		if o.explain {
			a.explain(res)
		}
		if o.writeOut != "" && !o.offline {
			if werr := a.writeOut(res); werr != nil && err == nil {
				err = werr
			}
		}
	}()

	// Where the body goes.
	var outName string
	if idx < len(o.outputs) {
		spec := o.outputs[idx]
		outName = spec.name
		if spec.remote {
			outName = remoteName(target)
			if outName == "" {
				return errorf(exitWrite, "output", "no file name in %s for -O", target)
			}
		}
	}
	if outName == "-" {
		outName, res.forceStdout = "", true
	}
	var offset int64
	switch {
	case o.resume == "-":
		if outName != "" {
			if st, err := os.Stat(outName); err == nil {
				offset = st.Size()
			}
		}
	case o.resume != "":
		n, err := strconv.ParseInt(o.resume, 10, 64)
		if err != nil || n < 0 {
			return errorf(exitUsage, "usage", "-C wants an offset or -, not %q", o.resume)
		}
		offset = n
	}
	var extra headers.Pairs
	if offset > 0 {
		extra = append(extra, []string{"Range", fmt.Sprintf("bytes=%d-", offset)})
	}
	if a.cookieHeader != "" && o.origin != "" && a.jar != nil {
		if u, err := url.Parse(target); err == nil {
			a.jar.SetCookies(u, parseCookieString(a.cookieHeader))
		}
	}

	resp, cancel, err := a.fetchWithRetry(ctx, p, target, extra, res)
	if cancel != nil {
		defer cancel()
	}
	res.exchanges = a.tracer.list()
	res.redirects = a.tracer.redirectList()
	if err != nil {
		return err
	}
	defer resp.Close()
	res.resp = resp
	res.status = resp.Status()
	if o.verbose {
		switch oc := resp.CacheOutcome(); oc {
		case response.CacheHit, response.CacheStale:
			fmt.Fprintf(a.stderr, "* %s\n", a.errColor.note(fmt.Sprintf("served from the HTTP cache (%s): no request sent", oc)))
		case response.CacheRevalidated:
			fmt.Fprintf(a.stderr, "* %s\n", a.errColor.note("the HTTP cache's stored response was revalidated (304)"))
		}
	}
	if resp.Internal() != nil && resp.Internal().Header != nil {
		res.respHeader = *resp.Internal().Header
	}
	res.proto = "HTTP/1.1"
	for i := len(res.exchanges) - 1; i >= 0; i-- {
		if ex := res.exchanges[i]; !ex.preflight && ex.proto != "" {
			res.proto = ex.proto
			break
		}
	}
	if p.hasBody {
		res.uploaded = int64(len(p.body))
	}

	failed := res.status >= 400 && (o.fail || o.failWithBody)
	if failed && !o.failWithBody {
		cancelBody(resp)
		return errorf(exitHTTP, "HTTP error", "the requested URL returned error: %d", res.status)
	}
	if offset > 0 {
		switch res.status {
		case http.StatusPartialContent:
		case http.StatusRequestedRangeNotSatisfiable:
			// The file is complete already.
			cancelBody(resp)
			return nil
		default:
			if res.status < 300 {
				cancelBody(resp)
				return errorf(exitRange, "resume", "the server does not support byte ranges; cannot resume at %d", offset)
			}
		}
	}

	// Where the output goes: the file of -o/-O (headers of -i too, as in
	// curl), or standard output.
	var out io.Writer = a.stdout
	c := a.outColor
	var file *os.File
	if outName != "" {
		flags := os.O_CREATE | os.O_WRONLY | os.O_TRUNC
		if offset > 0 {
			flags = os.O_CREATE | os.O_WRONLY | os.O_APPEND
		}
		if file, err = os.OpenFile(outName, flags, 0o644); err != nil {
			cancelBody(resp)
			return newErr(exitWrite, "write "+outName, err)
		}
		defer file.Close()
		out, c = file, colors{}
	}
	if o.include || o.head {
		a.writeHeads(out, c, res)
	}
	if o.dumpHeader != "" {
		if err := a.dumpHeaders(res); err != nil {
			cancelBody(resp)
			return err
		}
	}
	if o.head {
		cancelBody(resp)
	} else if err := a.writeBody(resp, res, out, file, outName); err != nil {
		return err
	}
	if file != nil {
		if err := file.Close(); err != nil {
			return newErr(exitWrite, "write "+outName, err)
		}
	}
	if failed {
		return errorf(exitHTTP, "HTTP error", "the requested URL returned error: %d", res.status)
	}
	return nil
}

// fetchWithRetry fetches target, retrying transient failures as --retry
// says. cancel releases the attempt's --max-time context.
func (a *app) fetchWithRetry(ctx context.Context, p *prepared, target string, extra headers.Pairs, res *result) (*response.Response, context.CancelFunc, error) {
	o := a.opts
	var deadline time.Time
	if o.retryMaxTime > 0 {
		deadline = time.Now().Add(seconds(o.retryMaxTime))
	}
	for attempt := 0; ; attempt++ {
		a.tracer.reset()
		actx, cancel := ctx, context.CancelFunc(nil)
		if o.maxTime > 0 {
			actx, cancel = context.WithTimeout(ctx, seconds(o.maxTime))
		}
		resp, err := a.client.Fetch(actx, target, a.init(p, extra))
		left := o.retry - attempt
		if left <= 0 || !a.retryable(resp, err) || (!deadline.IsZero() && time.Now().After(deadline)) {
			return resp, cancel, err
		}
		wait := a.retryWait(resp, attempt)
		what := ""
		if err != nil {
			what = classify(err).phase
		} else {
			what = fmt.Sprintf("HTTP %d", resp.Status())
			cancelBody(resp)
		}
		if cancel != nil {
			cancel()
		}
		if !o.silent {
			fmt.Fprintf(a.stderr, "wfetch: warning: transient problem (%s); retrying in %s, %d retries left\n", what, wait, left)
		}
		if err := a.sleep(ctx, wait); err != nil {
			return nil, nil, err
		}
	}
}

// retryable is curl's transient error: a timeout, HTTP 408, 429, 500,
// 502, 503 or 504 (and a refused connection with --retry-connrefused, any
// error with --retry-all-errors).
func (a *app) retryable(resp *response.Response, err error) bool {
	if errors.Is(err, errOffline) {
		return false
	}
	if err != nil {
		code := classify(err).code
		return code == exitTimeout || (code == exitConnect && a.opts.retryConnRefused) || a.opts.retryAllErrors
	}
	switch resp.Status() {
	case 408, 429, 500, 502, 503, 504:
		return true
	}
	return a.opts.retryAllErrors && resp.Status() >= 400
}

// retryWait is the delay before retry attempt+1: --retry-delay, else the
// response's Retry-After, else 1s doubling (at most 10 minutes), as curl.
func (a *app) retryWait(resp *response.Response, attempt int) time.Duration {
	if a.opts.retryDelay > 0 {
		return seconds(a.opts.retryDelay)
	}
	if resp != nil {
		if v, ok := resp.Internal().Header.Get("Retry-After"); ok {
			v = strings.TrimSpace(v)
			if n, err := strconv.Atoi(v); err == nil && n >= 0 {
				return time.Duration(n) * time.Second
			}
			if t, err := http.ParseTime(v); err == nil {
				return max(time.Until(t), 0)
			}
		}
	}
	return time.Duration(math.Min(float64(time.Second)*math.Pow(2, float64(attempt)), float64(10*time.Minute)))
}

// cancelBody releases a response whose body is not wanted.
func cancelBody(resp *response.Response) { _ = resp.Close() }

// writeBody writes the response body to out (file, when not nil, is the
// output file), pretty-printing JSON on a terminal and showing a progress
// bar for long transfers when stderr is a terminal.
func (a *app) writeBody(resp *response.Response, res *result, out io.Writer, file *os.File, outName string) error {
	stream := resp.Body()
	if stream == nil {
		return nil
	}
	rd, err := stream.GetReader()
	if err != nil {
		return newErr(exitRecv, "receive body", err)
	}
	defer rd.Close()
	var src io.Reader = rd
	var bar *progressReader
	o := a.opts
	if a.errTTY && !o.silent && !o.verbose && !o.noProgress && (file != nil || !a.outTTY) {
		total, _, _ := res.respHeader.ExtractLength()
		if total <= 0 || resp.Internal().BodyInfo.ContentEncoding != "" {
			total = -1
		}
		delay := a.progressDelay
		if o.progressBar {
			delay = 0
		}
		name := outName
		if name == "" {
			name = remoteName(res.url)
		}
		bar = &progressReader{r: rd, w: a.stderr, total: total, desc: filepath.Base(name), start: res.start, delay: delay, width: a.width}
		src = bar
	}
	var n int64
	if file == nil && a.outTTY && !res.forceStdout {
		// As curl does, binary data is not written to a terminal.
		br := bufio.NewReaderSize(src, 4096)
		if peek, _ := br.Peek(2048); bytes.IndexByte(peek, 0) >= 0 {
			cancelBody(resp)
			return errorf(exitWrite, "write output", "binary output can mess up your terminal; use -o FILE, or -o - to print it anyway")
		}
		src = br
	}
	if file == nil && a.outTTY && isJSONType(headerValue(res.respHeader, "Content-Type")) {
		n, err = writeJSONPretty(out, src, a.outColor)
	} else {
		n, err = io.Copy(out, src)
	}
	res.size = n
	if bar != nil {
		bar.finish(err == nil)
	}
	if err != nil {
		var we writeErr
		if errors.As(err, &we) {
			return newErr(exitWrite, "write output", err)
		}
		if outName == "" {
			if _, ok := err.(*os.PathError); ok {
				return newErr(exitWrite, "write output", err)
			}
		}
		return classifyBody(err)
	}
	return nil
}

// writeHeads writes the status line and headers of each redirect hop and
// of the final response, as curl -i and -I do.
func (a *app) writeHeads(w io.Writer, c colors, res *result) {
	for i, ex := range res.exchanges {
		if ex.preflight || ex.status < 300 || ex.status >= 400 || ex.respHeader == nil || i == len(res.exchanges)-1 {
			continue
		}
		a.printResponseHead(w, ex, "", c)
	}
	fmt.Fprintf(w, "%s\r\n", c.status(res.status, statusLine(res.proto, res.status, res.resp.StatusText())))
	for _, f := range res.respHeader {
		fmt.Fprintf(w, "%s: %s\r\n", c.name(f.Name), f.Value)
	}
	fmt.Fprint(w, "\r\n")
}

// dumpHeaders writes the headers to the file of -D ("-": standard
// output).
func (a *app) dumpHeaders(res *result) error {
	name := a.opts.dumpHeader
	if name == "-" {
		a.writeHeads(a.stdout, a.outColor, res)
		return nil
	}
	f, err := os.Create(name)
	if err != nil {
		return newErr(exitWrite, "write "+name, err)
	}
	a.writeHeads(f, colors{}, res)
	if err := f.Close(); err != nil {
		return newErr(exitWrite, "write "+name, err)
	}
	return nil
}

// classifyBody classifies an error met while copying the body: a failed
// write to the output, or a failed read of the response.
func classifyBody(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return newErr(exitWrite, "write output", err)
	}
	ce := classify(err)
	if ce.code == exitRecv || ce.code == exitEmptyReply {
		ce.code, ce.phase = exitPartial, "receive body"
	}
	return ce
}

func headerValue(l headers.List, name string) string {
	v, _ := l.Get(name)
	return v
}

// remoteName is -O's file name: the last segment of the URL's path.
func remoteName(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	name := path.Base(u.Path)
	if name == "/" || name == "." {
		return ""
	}
	if un, err := url.PathUnescape(name); err == nil {
		name = un
	}
	return name
}
