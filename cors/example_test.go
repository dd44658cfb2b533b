package cors_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/wfetch/wfetch/cors"
	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/response"
	"github.com/wfetch/wfetch/weburl"
)

func ExampleCheck() {
	h := headers.List{{Name: "Access-Control-Allow-Origin", Value: "https://other.example"}}
	err := cors.Check("https://app.example", request.CredentialsOmit, h)
	var ne *errs.NetworkError
	if errors.As(err, &ne) {
		fmt.Println(ne.Reason, "-", ne.Message)
	}
	// Output: cors - Access-Control-Allow-Origin is 'https://other.example', expected 'https://app.example'
}

func ExamplePreflightFetch() {
	u, _ := weburl.Parse("https://api.example/items/1", nil)
	origin := weburl.TupleOrigin("https", "app.example", -1)
	req := request.NewInternal(u)
	req.Method, req.Mode, req.UnsafeRequest = "DELETE", request.ModeCORS, true
	req.Client = &request.Environment{Origin: &origin}
	req.Origin = request.Origin{Origin: &origin}
	req.Header.Append("X-Token", "abc")

	cache := cors.NewCache()
	// The fetch pipeline passes its HTTP-network-or-cache fetch; this one
	// answers every preflight itself.
	network := func(ctx context.Context, p *request.Internal) *response.Internal {
		acrm, _ := p.Header.Get("Access-Control-Request-Method")
		acrh, _ := p.Header.Get("Access-Control-Request-Headers")
		fmt.Println(p.Method, acrm, acrh)
		resp := &response.Internal{Type: response.TypeDefault, Status: 204, Header: new(headers.List)}
		resp.Header.Append("Access-Control-Allow-Origin", "https://app.example")
		resp.Header.Append("Access-Control-Allow-Methods", "GET, DELETE")
		resp.Header.Append("Access-Control-Allow-Headers", "x-token")
		return resp
	}
	fmt.Println("needs preflight:", cors.NeedsPreflight(req, cache))
	if _, err := cors.PreflightFetch(context.Background(), req, cache, network); err != nil {
		fmt.Println(err)
	}
	fmt.Println("needs preflight:", cors.NeedsPreflight(req, cache))
	// Output:
	// needs preflight: true
	// OPTIONS DELETE x-token
	// needs preflight: false
}
