package request_test

import (
	"fmt"

	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/weburl"
)

func ExampleNew() {
	r, err := request.New("https://example.com/api", &request.Init{
		Method:  new("post"),
		Headers: headers.Map{"Accept": "application/json"},
		Body:    `{"a":1}`,
	})
	if err != nil {
		panic(err)
	}
	ct, _, _ := r.Headers().Get("Content-Type")
	fmt.Println(r.Method(), r.URL(), r.Mode(), ct)
	// Output: POST https://example.com/api cors text/plain;charset=UTF-8
}

func ExampleWithEnvironment() {
	base := weburl.MustParse("https://app.example/page")
	origin := base.Origin()
	env := &request.Environment{BaseURL: base, Origin: &origin}
	r, err := request.New("/data", &request.Init{
		Headers:  headers.Map{"Cookie": "dropped in a browser"},
		Referrer: new("https://other.example/"),
	}, request.WithEnvironment(env))
	if err != nil {
		panic(err)
	}
	has, _ := r.Headers().Has("Cookie")
	fmt.Println(r.URL(), has, r.Referrer())
	// Output: https://app.example/data false about:client
}

func ExampleRequest_Clone() {
	r, _ := request.New("https://example.com/", &request.Init{Method: new("PUT"), Body: "payload"})
	c, _ := r.Clone()
	a, _ := r.Text()
	b, _ := c.Text()
	fmt.Println(a, b)
	// Output: payload payload
}
