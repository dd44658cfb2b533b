package fetch

import (
	"net/http"
	"net/http/cookiejar"

	"golang.org/x/net/publicsuffix"
)

// NewCookieJar returns an empty in-memory cookie jar that knows the public
// suffix list (so a site cannot set cookies for a whole public suffix),
// ready for WithCookieJar.
func NewCookieJar() http.CookieJar {
	jar, err := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
	if err != nil {
		// cookiejar.New never fails.
		panic(err)
	}
	return jar
}
