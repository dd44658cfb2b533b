package weburl_test

import (
	"fmt"

	"github.com/wfetch/wfetch/weburl"
)

func Example() {
	base := weburl.MustParse("https://example.org/docs/intro.html")
	u, err := weburl.Parse("../img\\logo.png?size=large#top", base)
	if err != nil {
		panic(err)
	}
	fmt.Println(u.Href())
	fmt.Println(u.Origin().Serialize())

	u.SearchParams().Append("v", "2 3")
	u.SetHash("")
	fmt.Println(u.Href())

	_, err = weburl.Parse("http://exa mple.com/", nil)
	fmt.Println(err)
	// Output:
	// https://example.org/img/logo.png?size=large#top
	// https://example.org
	// https://example.org/img/logo.png?size=large&v=2+3
	// TypeError: Invalid URL: "http://exa mple.com/"
}
