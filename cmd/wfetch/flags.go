package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
)

// options holds the parsed command line.
type options struct {
	// request identity and headers
	method    string
	headers   []string
	userAgent string
	referer   string
	user      string

	// request bodies
	data       []dataPart // -d, --data-binary, --data-raw, --data-urlencode, in order
	forms      []string   // -F
	jsonParts  []string   // --json
	get        bool       // -G
	upload     string     // -T
	uploadSet  bool
	compressed bool

	// what is shown
	head, include, verbose bool
	silent, showError      bool
	writeOut               string
	progressBar            bool
	noProgress             bool
	dumpHeader             string

	// output files
	outputs []outputSpec // -o FILE / -O, in order
	resume  string       // -C

	// redirects
	location  bool
	maxRedirs int

	// failure and retries
	fail, failWithBody bool
	retry              int
	retryDelay         float64
	retryMaxTime       float64
	retryConnRefused   bool
	retryAllErrors     bool

	// proxy and TLS
	proxy, noproxy     string
	insecure           bool
	cacert, cert, key  string
	cookies            []string // -b
	cookieJar          string   // -c
	maxTime, connectTO float64

	// fetch's own
	origin, mode, credentials, cacheMode, cacheDir string
	redirect, referrer, referrerPolicy, integrity  string
	explain, offline                               bool

	help, version bool

	set map[string]bool // long names of the flags given
}

// dataPart is one -d style argument, with the flag that gave it.
type dataPart struct {
	kind  string // "data", "binary", "raw", "urlencode"
	value string
}

// outputSpec is one -o FILE (name set) or -O (remote true).
type outputSpec struct {
	name   string
	remote bool
}

// dataValue appends to an ordered list of body parts: curl joins -d,
// --data-binary, --data-raw and --data-urlencode values with '&' in
// command-line order, so they share one list.
type dataValue struct {
	kind  string
	parts *[]dataPart
}

func (d dataValue) String() string { return "" }
func (d dataValue) Type() string   { return "data" }
func (d dataValue) Set(v string) error {
	*d.parts = append(*d.parts, dataPart{d.kind, v})
	return nil
}

// outputValue appends -o FILE and -O to one ordered list: the Nth of them
// is the output of the Nth URL, as in curl.
type outputValue struct {
	remote bool
	list   *[]outputSpec
}

func (o outputValue) String() string { return "" }
func (o outputValue) Type() string {
	if o.remote {
		return "bool"
	}
	return "file"
}
func (o outputValue) Set(v string) error {
	if o.remote {
		if b, err := strconv.ParseBool(v); err != nil || !b {
			return nil
		}
		*o.list = append(*o.list, outputSpec{remote: true})
		return nil
	}
	*o.list = append(*o.list, outputSpec{name: v})
	return nil
}

// newFlagSet defines every flag on a pflag.FlagSet writing into o.
// Flags may come before or after the URLs (pflag's interspersed parsing).
func newFlagSet(o *options) *pflag.FlagSet {
	fs := pflag.NewFlagSet("wfetch", pflag.ContinueOnError)
	fs.SetInterspersed(true)
	fs.SortFlags = false

	fs.StringVarP(&o.method, "request", "X", "", "request method")
	fs.StringArrayVarP(&o.headers, "header", "H", nil, "request header 'Name: value' (repeatable; @file reads one per line)")
	fs.StringVarP(&o.userAgent, "user-agent", "A", "", "User-Agent value")
	fs.StringVarP(&o.referer, "referer", "e", "", "Referer URL")
	fs.StringVarP(&o.user, "user", "u", "", "user:password for HTTP Basic authentication")

	fs.VarP(dataValue{"data", &o.data}, "data", "d", "form body (application/x-www-form-urlencoded); @file, @- read it")
	fs.Var(dataValue{"binary", &o.data}, "data-binary", "body sent as is; @file, @- read it")
	fs.Var(dataValue{"raw", &o.data}, "data-raw", "like -d without @ handling")
	fs.Var(dataValue{"data", &o.data}, "data-ascii", "the same as -d")
	fs.Var(dataValue{"urlencode", &o.data}, "data-urlencode", "URL-encoded body part: content, =content, name=content, @file, name@file")
	fs.StringArrayVarP(&o.forms, "form", "F", nil, "multipart field name=value, name=@file[;type=T][;filename=N], name=<file")
	fs.StringArrayVar(&o.jsonParts, "json", nil, "JSON body (POST, Content-Type and Accept application/json); @file, @- read it")
	fs.BoolVarP(&o.get, "get", "G", false, "put the -d data in the URL query and send a GET")
	fs.StringVarP(&o.upload, "upload-file", "T", "", "PUT this file (- for standard input)")
	fs.BoolVar(&o.compressed, "compressed", false, "accepted: responses are always decoded")

	fs.BoolVarP(&o.head, "head", "I", false, "HEAD request; print the response headers")
	fs.BoolVarP(&o.include, "include", "i", false, "print the status line and response headers before the body")
	fs.BoolVarP(&o.verbose, "verbose", "v", false, "print every exchange (> request, < response), preflights and redirects included")
	fs.BoolVarP(&o.silent, "silent", "s", false, "no progress bar and no error messages")
	fs.BoolVarP(&o.showError, "show-error", "S", false, "with -s, still print error messages")
	fs.StringVarP(&o.writeOut, "write-out", "w", "", "print FORMAT after each transfer (%{http_code}, %{time_total}, ...; @file reads it)")
	fs.BoolVarP(&o.progressBar, "progress-bar", "#", false, "show the progress bar from the start (stderr must be a terminal)")
	fs.BoolVar(&o.noProgress, "no-progress-meter", false, "never show the progress bar")
	fs.StringVarP(&o.dumpHeader, "dump-header", "D", "", "write the status lines and headers to FILE (- for standard output)")

	fs.VarP(outputValue{false, &o.outputs}, "output", "o", "write the body to FILE (one -o per URL)")
	rn := fs.VarPF(outputValue{true, &o.outputs}, "remote-name", "O", "write the body to a file named like the URL's last path segment")
	rn.NoOptDefVal = "true"
	fs.StringVarP(&o.resume, "continue-at", "C", "", "resume at OFFSET, or - to continue the output file")

	fs.BoolVarP(&o.location, "location", "L", false, "accepted: redirects are followed by default (see --redirect)")
	fs.IntVar(&o.maxRedirs, "max-redirs", 20, "most redirects to follow")

	fs.BoolVarP(&o.fail, "fail", "f", false, "exit 22 without printing the body on an HTTP status >= 400")
	fs.BoolVar(&o.failWithBody, "fail-with-body", false, "exit 22 on an HTTP status >= 400, after printing the body")
	fs.IntVar(&o.retry, "retry", 0, "retry transient failures (timeouts, 408, 429, 500, 502, 503, 504) up to N times")
	fs.Float64Var(&o.retryDelay, "retry-delay", 0, "seconds between retries (default: Retry-After, else 1s doubling)")
	fs.Float64Var(&o.retryMaxTime, "retry-max-time", 0, "stop retrying after this many seconds")
	fs.BoolVar(&o.retryConnRefused, "retry-connrefused", false, "also retry when the connection is refused")
	fs.BoolVar(&o.retryAllErrors, "retry-all-errors", false, "retry on any error")

	fs.StringVarP(&o.proxy, "proxy", "x", "", "proxy URL ([scheme://]host[:port])")
	fs.StringVar(&o.noproxy, "noproxy", "", "comma-separated hosts not to proxy (* for all)")
	fs.BoolVarP(&o.insecure, "insecure", "k", false, "do not verify the server's TLS certificate")
	fs.StringVar(&o.cacert, "cacert", "", "PEM file of CA certificates to verify the server with")
	fs.StringVarP(&o.cert, "cert", "E", "", "PEM client certificate (and key, unless --key)")
	fs.StringVar(&o.key, "key", "", "PEM private key of the client certificate")
	fs.StringArrayVarP(&o.cookies, "cookie", "b", nil, "cookies 'name=value; ...', or a Netscape cookies.txt file to read")
	fs.StringVarP(&o.cookieJar, "cookie-jar", "c", "", "write the cookies to this Netscape cookies.txt file at the end")
	fs.Float64VarP(&o.maxTime, "max-time", "m", 0, "seconds each transfer may take in all")
	fs.Float64Var(&o.connectTO, "connect-timeout", 0, "seconds a TCP connection may take")

	fs.StringVar(&o.origin, "origin", "", "fetch as a document of this origin: CORS, Origin, modes, credentials")
	fs.StringVar(&o.mode, "mode", "", "request mode: cors, no-cors, same-origin")
	fs.StringVar(&o.credentials, "credentials", "", "credentials mode: omit, same-origin, include")
	fs.StringVar(&o.cacheMode, "cache", "", "cache mode: default, no-store, reload, no-cache, force-cache, only-if-cached (turns the HTTP cache on)")
	fs.StringVar(&o.cacheDir, "cache-dir", "", "keep the HTTP cache in this directory (across runs)")
	fs.StringVar(&o.redirect, "redirect", "", "redirect mode: follow (default), error, manual")
	fs.StringVar(&o.referrer, "referrer", "", "the request's referrer (a URL, or '' for none)")
	fs.StringVar(&o.referrerPolicy, "referrer-policy", "", "referrer policy (no-referrer, origin, strict-origin-when-cross-origin, ...)")
	fs.StringVar(&o.integrity, "integrity", "", "subresource integrity metadata (sha256-..., sha384-..., sha512-...)")
	fs.BoolVar(&o.explain, "explain", false, "say on stderr what fetch did and why: CORS, preflights, redirects, cache")
	fs.BoolVar(&o.offline, "offline", false, "print the request(s) as they would be sent, and send nothing")

	fs.BoolVarP(&o.help, "help", "h", false, "this help")
	fs.BoolVarP(&o.version, "version", "V", false, "print the version")
	return fs
}

// parseArgs parses args (without the program name) into options and URLs.
func parseArgs(args []string) (*options, []string, error) {
	o := &options{set: map[string]bool{}}
	fs := newFlagSet(o)
	fs.Usage = func() {}
	fs.SetOutput(discard{})
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	fs.Visit(func(f *pflag.Flag) { o.set[f.Name] = true })
	o.uploadSet = o.set["upload-file"]
	return o, fs.Args(), nil
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// helpText is what --help prints.
func helpText() string {
	var b strings.Builder
	b.WriteString(`wfetch: fetch URLs with WHATWG Fetch semantics, with curl's flags.

Usage:
  wfetch [flags] URL... [flags]
  wfetch run FILE [--origin URL] [network flags]

Flags may come before or after the URLs. Every URL gets the same flags; the
Nth -o/-O names the output of the Nth URL. "wfetch run" runs a JavaScript or
TypeScript module whose fetch() uses the network flags (cookies, cache,
proxy, TLS, -v, --origin).

Environment: http_proxy, https_proxy, no_proxy choose a proxy when -x is
not given; NO_COLOR turns colours off.

`)
	o := &options{}
	fs := newFlagSet(o)
	groups := []struct {
		title string
		names []string
	}{
		{"Request", []string{"request", "header", "user-agent", "referer", "user"}},
		{"Request body", []string{"data", "data-ascii", "data-binary", "data-raw", "data-urlencode", "form", "json", "get", "upload-file", "compressed"}},
		{"What is shown", []string{"head", "include", "dump-header", "verbose", "silent", "show-error", "write-out", "progress-bar", "no-progress-meter"}},
		{"Output files", []string{"output", "remote-name", "continue-at"}},
		{"Redirects", []string{"location", "max-redirs"}},
		{"Failures and retries", []string{"fail", "fail-with-body", "retry", "retry-delay", "retry-max-time", "retry-connrefused", "retry-all-errors"}},
		{"Network, TLS, cookies, timeouts", []string{"proxy", "noproxy", "insecure", "cacert", "cert", "key", "cookie", "cookie-jar", "max-time", "connect-timeout"}},
		{"Fetch semantics (what no other HTTP CLI has)", []string{"origin", "mode", "credentials", "cache", "cache-dir", "redirect", "referrer", "referrer-policy", "integrity", "explain", "offline"}},
		{"Other", []string{"help", "version"}},
	}
	for _, g := range groups {
		fmt.Fprintf(&b, "%s:\n", g.title)
		for _, n := range g.names {
			f := fs.Lookup(n)
			if f == nil {
				panic("help: no flag " + n)
			}
			name := "    --" + f.Name
			if f.Shorthand != "" {
				name = "-" + f.Shorthand + ", --" + f.Name
			}
			arg := ""
			switch f.Value.Type() {
			case "bool":
			case "int", "float64":
				arg = " N"
			default:
				arg = " " + argName(f.Name)
			}
			fmt.Fprintf(&b, "  %-30s %s\n", name+arg, f.Usage)
		}
		b.WriteString("\n")
	}
	b.WriteString(`Write-out variables (-w): %{http_code} %{response_code} %{time_total}
  %{time_namelookup} %{time_connect} %{time_appconnect} %{time_starttransfer}
  %{size_download} %{size_upload} %{speed_download} %{url_effective} %{url}
  %{content_type} %{num_redirects} %{http_version} %{method} %{exitcode}
  %{errormsg} %header{NAME}; \n \r \t are escapes.

Examples:
  wfetch https://example.com/                       GET, body to stdout
  wfetch -i https://example.com/                    with the status line and headers
  wfetch -fsSL https://example.com/install.sh       quiet, exit 22 on HTTP errors
  wfetch -d 'a=1&b=2' https://example.com/form      POST a form
  wfetch --json '{"q":1}' https://example.com/api   POST JSON
  wfetch -F file=@photo.jpg https://example.com/up  multipart upload
  wfetch -o page.html https://example.com/ -w '%{http_code}\n'
  wfetch -C - -O https://example.com/big.iso        resume a download
  wfetch -b cookies.txt -c cookies.txt https://example.com/login
  wfetch --origin https://app.example -X PUT -H 'X-Token: 1' https://api.example/ --explain
  wfetch --origin https://app.example --offline https://api.example/   show the request, send nothing
  wfetch data:,hello

Exit codes follow curl's: 0 ok, 2 bad usage, 3 bad URL, 6 could not resolve
host, 7 could not connect, 8 bad server reply, 18 partial body, 22 HTTP error
with -f, 23 write error, 26 read error, 28 timeout, 33 range not supported
(-C), 35 TLS handshake, 47 too many redirects, 52 empty reply, 56 receive
failure, 58 client certificate, 60 server certificate, 61 bad content
encoding, 77 CA file, 100 headers too large; fetch's own: 110 CORS, 111
blocked by fetch's rules, 112 integrity mismatch, 113 not in cache
(only-if-cached), 114 redirect refused (--redirect error); 1 other.
`)
	return b.String()
}

func argName(flag string) string {
	switch flag {
	case "output", "dump-header", "upload-file", "cacert", "cert", "key", "cookie-jar":
		return "FILE"
	case "cache-dir":
		return "DIR"
	case "data", "data-ascii", "data-binary", "data-raw", "data-urlencode":
		return "DATA"
	case "mode", "credentials", "cache", "redirect":
		return "MODE"
	case "referrer-policy":
		return "POLICY"
	case "user-agent":
		return "NAME"
	case "header":
		return "'N: V'"
	case "write-out":
		return "FORMAT"
	case "origin", "referer", "referrer", "proxy":
		return "URL"
	case "continue-at":
		return "OFFSET|-"
	case "user":
		return "USER:PASS"
	case "request":
		return "METHOD"
	case "noproxy":
		return "HOSTS"
	case "form":
		return "NAME=VALUE"
	case "cookie":
		return "DATA|FILE"
	case "integrity":
		return "METADATA"
	}
	return strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}
