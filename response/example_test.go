package response_test

import (
	"fmt"

	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/response"
)

func ExampleNew() {
	r, err := response.New("not found", &response.Init{Status: 404, StatusText: "Not Found",
		Headers: headers.Map{"X-Reason": "gone"}})
	if err != nil {
		panic(err)
	}
	text, _ := r.Text()
	ct, _, _ := r.Headers().Get("Content-Type")
	fmt.Println(r.Status(), r.OK(), r.StatusText(), ct, text)
	// Output: 404 false Not Found text/plain;charset=UTF-8 not found
}

func ExampleJSON() {
	r, _ := response.JSON(map[string]any{"ok": true, "html": "<b>"}, nil)
	b, _ := r.Bytes()
	ct, _, _ := r.Headers().Get("Content-Type")
	fmt.Println(ct, string(b))
	// Output: application/json {"html":"<b>","ok":true}
}

func ExampleRedirect() {
	r, _ := response.Redirect("https://example.com/new", 301)
	loc, _, _ := r.Headers().Get("Location")
	fmt.Println(r.Status(), loc)
	// Output: 301 https://example.com/new
}
