// Command wfetch fetches a URL with WHATWG Fetch semantics and writes the
// response body to standard output.
//
//	go run ./cmd/wfetch data:,hello
//
// Until the fetch pipeline lands (issue 7) it understands data: URLs only,
// decoded by a minimal reader; every other scheme is reported as not yet
// supported.
package main

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "wfetch:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: wfetch URL")
	}
	raw := args[0]
	if !strings.HasPrefix(strings.ToLower(raw), "data:") {
		return fmt.Errorf("only data: URLs are supported until the fetch pipeline lands")
	}
	meta, data, ok := strings.Cut(raw[len("data:"):], ",")
	if !ok {
		return fmt.Errorf("data: URL has no comma")
	}
	body, err := url.PathUnescape(data)
	if err != nil {
		return err
	}
	if strings.HasSuffix(strings.ToLower(strings.TrimSpace(meta)), ";base64") {
		b, err := base64.StdEncoding.DecodeString(body)
		if err != nil {
			return err
		}
		body = string(b)
	}
	_, err = io.WriteString(out, body)
	return err
}
