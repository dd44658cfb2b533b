package cache

import (
	"context"
	"testing"
	"time"
)

// Entries expire by their freshness lifetime plus their stale windows
// (and the validation grace).
func TestRedisTTL(t *testing.T) {
	r := newTestRedis(t)
	ctx := context.Background()
	tests := []struct {
		name  string
		cc    string
		grace time.Duration
		want  time.Duration // the TTL set (the key's remaining life is at most this)
	}{
		{"max-age", "max-age=60", 0, 60 * time.Second},
		{"max-age and stale windows", "max-age=60, stale-while-revalidate=30, stale-if-error=10", 0, 100 * time.Second},
		{"with validation grace", "max-age=60", time.Hour, time.Hour + 60*time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := New(WithStore(r), WithValidationGrace(tc.grace))
			u := "http://example.test/ttl/" + newID()
			store(t, c, newReq("GET", u, nil), newResp(200, hdr("Cache-Control", tc.cc), "x"))
			ents, err := r.Get(ctx, u)
			if err != nil || len(ents) != 1 {
				t.Fatalf("Get = %v, %v", ents, err)
			}
			for _, key := range []string{r.bucketKey(u), r.bodyKey(ents[0].Body)} {
				ttl, err := r.client.PTTL(ctx, key).Result()
				if err != nil {
					t.Fatal(err)
				}
				// Set a moment ago: within a few seconds below the TTL.
				if ttl > tc.want || ttl < tc.want-5*time.Second {
					t.Errorf("%s: TTL %v, want about %v", key, ttl, tc.want)
				}
			}
		})
	}
}
