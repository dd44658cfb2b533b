package cors

import (
	"context"
	"testing"
	"time"

	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/response"
)

func BenchmarkCheck(b *testing.B) {
	l := hl("Content-Type", "text/plain", "Access-Control-Allow-Origin", testOrigin, "Access-Control-Allow-Credentials", "true")
	for b.Loop() {
		if Check(testOrigin, request.CredentialsInclude, l) != nil {
			b.Fatal("failed")
		}
	}
}

func BenchmarkCacheMatch(b *testing.B) {
	c := NewCache()
	req := newReq(b, testURL, "PUT", request.CredentialsOmit, "X-A", "1")
	c.CreateEntry(req, time.Hour, "PUT", "")
	c.CreateEntry(req, time.Hour, "", "x-a")
	for b.Loop() {
		if NeedsPreflight(req, c) {
			b.Fatal("miss")
		}
	}
}

func BenchmarkPreflightFetch(b *testing.B) {
	c := NewCache()
	req := newReq(b, testURL, "PUT", request.CredentialsOmit, "X-A", "1", "X-B", "2")
	resp := newResp(200, "Access-Control-Allow-Origin", "*", "Access-Control-Allow-Methods", "PUT, DELETE",
		"Access-Control-Allow-Headers", "x-a, x-b", "Access-Control-Max-Age", "600")
	network := func(context.Context, *request.Internal) *response.Internal { return resp }
	ctx := context.Background()
	for b.Loop() {
		if _, err := PreflightFetch(ctx, req, c, network); err != nil {
			b.Fatal(err)
		}
	}
}
