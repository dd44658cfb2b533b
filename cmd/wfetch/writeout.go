package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/wfetch/wfetch/fetch"
)

// writeOut prints -w's format for a finished transfer, as curl does:
// %{variable}, %header{name}, %% and the escapes \n \r \t.
func (a *app) writeOut(res *result) error {
	format := a.opts.writeOut
	if name, ok := strings.CutPrefix(format, "@"); ok {
		b, err := a.readFile(name)
		if err != nil {
			return err
		}
		format = string(b)
	}
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		switch {
		case c == '\\' && i+1 < len(format):
			switch format[i+1] {
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case '\\':
				b.WriteByte('\\')
			default:
				b.WriteByte(c)
				continue
			}
			i++
		case c == '%' && strings.HasPrefix(format[i:], "%%"):
			b.WriteByte('%')
			i++
		case c == '%' && strings.HasPrefix(format[i:], "%{"):
			end := strings.IndexByte(format[i:], '}')
			if end < 0 {
				b.WriteString(format[i:])
				i = len(format)
				continue
			}
			name := format[i+2 : i+end]
			if v, ok := a.writeOutVar(res, name); ok {
				b.WriteString(v)
			} else {
				fmt.Fprintf(a.stderr, "wfetch: warning: unknown --write-out variable: %q\n", name)
			}
			i += end
		case c == '%' && strings.HasPrefix(format[i:], "%header{"):
			end := strings.IndexByte(format[i:], '}')
			if end < 0 {
				b.WriteString(format[i:])
				i = len(format)
				continue
			}
			name := format[i+len("%header{") : i+end]
			if v, ok := res.respHeader.Get(name); ok {
				b.WriteString(v)
			}
			i += end
		default:
			b.WriteByte(c)
		}
	}
	_, err := a.stdout.Write([]byte(b.String()))
	return err
}

func secs(d time.Duration) string { return fmt.Sprintf("%.6f", d.Seconds()) }

// writeOutVar is the value of one %{name}.
func (a *app) writeOutVar(res *result, name string) (string, bool) {
	var timing struct{ dns, connect, tls, start, redirect time.Duration }
	if res.resp != nil {
		t := fetch.Timing(res.resp)
		since := func(x time.Time) time.Duration {
			if x.IsZero() || t.StartTime.IsZero() {
				return 0
			}
			return x.Sub(t.StartTime)
		}
		timing.connect = since(t.ConnectEnd)
		timing.dns = since(t.ConnectStart)
		timing.tls = timing.connect
		if !t.SecureConnectionStart.IsZero() {
			timing.tls = since(t.ConnectEnd)
		} else {
			timing.tls = 0
		}
		timing.start = since(t.ResponseStart)
		if !t.RedirectStart.IsZero() && !t.RedirectEnd.IsZero() {
			timing.redirect = t.RedirectEnd.Sub(t.RedirectStart)
		}
	}
	total := res.end.Sub(res.start)
	switch name {
	case "http_code", "response_code":
		return fmt.Sprintf("%03d", res.status), true
	case "time_total":
		return secs(total), true
	case "time_namelookup":
		return secs(timing.dns), true
	case "time_connect":
		return secs(timing.connect), true
	case "time_appconnect":
		return secs(timing.tls), true
	case "time_pretransfer":
		return secs(timing.connect), true
	case "time_starttransfer":
		return secs(timing.start), true
	case "time_redirect":
		return secs(timing.redirect), true
	case "size_download":
		return fmt.Sprint(res.size), true
	case "size_upload":
		return fmt.Sprint(res.uploaded), true
	case "speed_download":
		if total <= 0 {
			return "0", true
		}
		return fmt.Sprintf("%.0f", float64(res.size)/total.Seconds()), true
	case "url_effective":
		if res.resp != nil && res.resp.URL() != "" {
			return res.resp.URL(), true
		}
		return res.url, true
	case "url":
		return res.url, true
	case "content_type":
		return headerValue(res.respHeader, "Content-Type"), true
	case "num_redirects":
		n := len(res.redirects)
		if res.resp != nil && res.resp.Internal() != nil {
			n = max(n, len(res.resp.Internal().URLList)-1)
		}
		return fmt.Sprint(n), true
	case "http_version":
		v := strings.TrimPrefix(res.proto, "HTTP/")
		if v == "1.1" || v == "1.0" || v == "" {
			return v, true
		}
		return strings.TrimSuffix(v, ".0"), true
	case "method":
		if len(res.exchanges) > 0 {
			return res.exchanges[len(res.exchanges)-1].method, true
		}
		return "", true
	case "exitcode":
		return fmt.Sprint(res.exitCode), true
	case "errormsg":
		if res.err != nil {
			return classify(res.err).Error(), true
		}
		return "", true
	case "scheme":
		if i := strings.Index(res.url, ":"); i > 0 {
			return strings.ToLower(res.url[:i]), true
		}
		return "", true
	}
	return "", false
}
