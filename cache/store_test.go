package cache

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"
)

// storeLimit is the body limit every store gets in the scenario tests.
const storeLimit = 64 << 10

// testStore makes a fresh, empty store of one kind.
type testStore struct {
	name string
	make func(t testing.TB) Store
}

// redisAddr returns WFETCH_REDIS_ADDR; when it is unset, the Redis store
// tests are skipped (with one line).
func redisAddr(t testing.TB) string {
	addr := os.Getenv("WFETCH_REDIS_ADDR")
	if addr == "" {
		t.Skip("WFETCH_REDIS_ADDR not set: Redis store not tested")
	}
	return addr
}

// newTestRedis returns a Redis store under a prefix of its own, whose
// keys are deleted at the end of the test.
func newTestRedis(t testing.TB, opts ...RedisOption) *Redis {
	client := redis.NewClient(&redis.Options{Addr: redisAddr(t)})
	prefix := "wfetch-test:" + newID() + ":"
	t.Cleanup(func() {
		ctx := context.Background()
		iter := client.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			client.Del(ctx, iter.Val())
		}
		client.Close()
	})
	if err := client.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("redis at %s: %v", os.Getenv("WFETCH_REDIS_ADDR"), err)
	}
	return NewRedis(client, append([]RedisOption{WithRedisPrefix(prefix), WithRedisMaxEntryBytes(storeLimit)}, opts...)...)
}

var testStores = []testStore{
	{"memory", func(testing.TB) Store { return NewMemory(4 * storeLimit) }},
	{"disk", func(t testing.TB) Store {
		d, err := NewDisk(t.TempDir(), WithDiskMaxBytes(storeLimit*4), WithDiskSync(false))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}},
	{"redis", func(t testing.TB) Store { return newTestRedis(t) }},
}

// forEachStore runs f as a subtest for each store.
func forEachStore(t *testing.T, f func(t *testing.T, s Store)) {
	for _, ts := range testStores {
		t.Run(ts.name, func(t *testing.T) { f(t, ts.make(t)) })
	}
}

// look looks u up with the request header pairs and describes the
// answer: "miss", or "fresh|stale <status> <body>".
func look(t *testing.T, c *Cache, method, u string, kv ...string) string {
	t.Helper()
	r, stale := c.Lookup(newReq(method, u, rawHdr(kv...)))
	if r == nil {
		return "miss"
	}
	state := "fresh"
	if stale {
		state = "stale"
	}
	b := readBody(t, r)
	r.Body.Close()
	return fmt.Sprintf("%s %d %s", state, r.StatusCode, b)
}

// The same scenarios for every store.
func TestStoreScenarios(t *testing.T) {
	const u = "http://example.test/s"
	scenarios := []struct {
		name string
		run  func(t *testing.T, c *Cache, clk *fakeClock) []string
	}{
		{"fresh hit, stored fields", func(t *testing.T, c *Cache, clk *fakeClock) []string {
			store(t, c, newReq("GET", u, nil), newResp(200, hdr("Cache-Control", "max-age=60", "Set-Cookie", "a=1",
				"Connection", "X-Hop", "X-Hop", "1", "X-Keep", "2"), "hello"))
			clk.Advance(10 * time.Second)
			r, _ := c.Lookup(newReq("GET", u, nil))
			if r == nil {
				return []string{"miss"}
			}
			readBody(t, r)
			return []string{look(t, c, "GET", u), look(t, c, "HEAD", u), r.Header.Get("Age"), r.Header.Get("Set-Cookie"),
				r.Header.Get("X-Hop"), r.Header.Get("X-Keep")}
		}},
		{"stale, freshened by a 304", func(t *testing.T, c *Cache, clk *fakeClock) []string {
			store(t, c, newReq("GET", u, nil), newResp(200, hdr("Cache-Control", "max-age=10", "ETag", `"e"`, "X-V", "1"), "body"))
			clk.Advance(20 * time.Second)
			got := []string{look(t, c, "GET", u)}
			r, _ := c.Lookup(newReq("GET", u, nil))
			f := c.Freshen(newReq("GET", u, nil), r, newResp(304, hdr("Cache-Control", "max-age=100", "X-V", "2"), ""))
			got = append(got, readBody(t, f), f.Header.Get("X-V"), look(t, c, "GET", u))
			r, _ = c.Lookup(newReq("GET", u, nil))
			return append(got, r.Header.Get("X-V"))
		}},
		{"vary variants", func(t *testing.T, c *Cache, clk *fakeClock) []string {
			for _, lang := range []string{"fr", "de"} {
				store(t, c, newReq("GET", u, rawHdr("accept-language", lang)),
					newResp(200, hdr("Cache-Control", "max-age=60", "Vary", "Accept-Language"), lang))
			}
			return []string{look(t, c, "GET", u, "Accept-Language", "fr"), look(t, c, "GET", u, "accept-language", "de"),
				look(t, c, "GET", u, "Accept-Language", "en"), look(t, c, "GET", u)}
		}},
		{"invalidation", func(t *testing.T, c *Cache, clk *fakeClock) []string {
			store(t, c, newReq("GET", u, nil), newResp(200, hdr("Cache-Control", "max-age=60"), "x"))
			store(t, c, newReq("GET", u+"?q=1", nil), newResp(200, hdr("Cache-Control", "max-age=60"), "y"))
			before := look(t, c, "GET", u)
			store(t, c, newReq("POST", u, nil), newResp(200, hdr("Content-Location", "/s?q=1"), ""))
			return []string{before, look(t, c, "GET", u), look(t, c, "GET", u+"?q=1")}
		}},
		{"ranges", func(t *testing.T, c *Cache, clk *fakeClock) []string {
			store(t, c, newReq("GET", u, nil), newResp(200, hdr("Cache-Control", "max-age=60"), "0123456789"))
			return []string{look(t, c, "GET", u, "Range", "bytes=2-4"), look(t, c, "GET", u, "range", "bytes=-3"),
				look(t, c, "GET", u, "Range", "bytes=20-")}
		}},
		{"partial responses combined", func(t *testing.T, c *Cache, clk *fakeClock) []string {
			h := func(cr string) http.Header {
				return hdr("Cache-Control", "max-age=60", "ETag", `"s"`, "Content-Range", cr)
			}
			store(t, c, newReq("GET", u, rawHdr("Range", "bytes=0-3")), newResp(206, h("bytes 0-3/10"), "0123"))
			got := []string{look(t, c, "GET", u, "Range", "bytes=0-1"), look(t, c, "GET", u, "Range", "bytes=4-5"), look(t, c, "GET", u)}
			store(t, c, newReq("GET", u, rawHdr("Range", "bytes=3-6")), newResp(206, h("bytes 3-6/10"), "3456"))
			got = append(got, look(t, c, "GET", u, "Range", "bytes=2-5"), look(t, c, "GET", u))
			store(t, c, newReq("GET", u, rawHdr("Range", "bytes=7-")), newResp(206, h("bytes 7-9/10"), "789"))
			return append(got, look(t, c, "GET", u), look(t, c, "GET", u, "Range", "bytes=5-"))
		}},
		{"partial responses of different representations are not combined", func(t *testing.T, c *Cache, clk *fakeClock) []string {
			store(t, c, newReq("GET", u, nil), newResp(206, hdr("Cache-Control", "max-age=60", "ETag", `"a"`, "Content-Range", "bytes 0-3/8"), "0123"))
			store(t, c, newReq("GET", u, nil), newResp(206, hdr("Cache-Control", "max-age=60", "ETag", `"b"`, "Content-Range", "bytes 4-7/8"), "4567"))
			return []string{look(t, c, "GET", u), look(t, c, "GET", u, "Range", "bytes=0-1"), look(t, c, "GET", u, "Range", "bytes=4-5")}
		}},
		{"no-vary-search", func(t *testing.T, c *Cache, clk *fakeClock) []string {
			store(t, c, newReq("GET", u+"?a=1&utm=x", nil), newResp(200, hdr("Cache-Control", "max-age=60", "No-Vary-Search", `params=("utm")`), "nvs"))
			return []string{look(t, c, "GET", u+"?a=1&utm=y"), look(t, c, "GET", u+"?a=1"), look(t, c, "GET", u+"?a=2")}
		}},
		{"authorization and no-store", func(t *testing.T, c *Cache, clk *fakeClock) []string {
			store(t, c, newReq("GET", u, rawHdr("authorization", "Basic x")), newResp(200, hdr("Cache-Control", "max-age=60"), "secret"))
			store(t, c, newReq("GET", u+"?n", nil), newResp(200, hdr("Cache-Control", "max-age=60, no-store"), "n"))
			return []string{look(t, c, "GET", u), look(t, c, "GET", u+"?n")}
		}},
		{"bodies cut short, closed early or too large are not stored", func(t *testing.T, c *Cache, clk *fakeClock) []string {
			short := newResp(200, hdr("Cache-Control", "max-age=60"), "abc")
			short.ContentLength = 10
			store(t, c, newReq("GET", u+"?short", nil), short)
			kept := c.Store(newReq("GET", u+"?early", nil), newResp(200, hdr("Cache-Control", "max-age=60"), "abcdef"))
			kept.Body.Read(make([]byte, 2))
			kept.Body.Close()
			store(t, c, newReq("GET", u+"?big", nil), newResp(200, hdr("Cache-Control", "max-age=60"), strings.Repeat("x", storeLimit*5)))
			return []string{look(t, c, "GET", u+"?short"), look(t, c, "GET", u+"?early"), look(t, c, "GET", u+"?big")}
		}},
		{"a served response reads its body after the entry is replaced", func(t *testing.T, c *Cache, clk *fakeClock) []string {
			store(t, c, newReq("GET", u, nil), newResp(200, hdr("Cache-Control", "max-age=60"), "old"))
			r, _ := c.Lookup(newReq("GET", u, nil))
			store(t, c, newReq("GET", u, nil), newResp(200, hdr("Cache-Control", "max-age=60"), "new"))
			r2, _ := c.Lookup(newReq("GET", u, nil))
			c.Invalidate(newReq("GET", u, nil))
			return []string{readBody(t, r), readBody(t, r2), look(t, c, "GET", u)}
		}},
		{"a new cache on the same store", func(t *testing.T, c *Cache, clk *fakeClock) []string {
			store(t, c, newReq("GET", u, nil), newResp(200, hdr("Cache-Control", "max-age=60"), "kept"))
			c2 := New(WithStore(c.store), WithClock(clk.Now))
			return []string{look(t, c2, "GET", u)}
		}},
	}
	want := map[string][]string{
		"fresh hit, stored fields":  {"fresh 200 hello", "fresh 200 ", "10", "a=1", "", "2"},
		"stale, freshened by a 304": {"stale 200 body", "body", "2", "fresh 200 body", "2"},
		"vary variants":             {"fresh 200 fr", "fresh 200 de", "miss", "miss"},
		"invalidation":              {"fresh 200 x", "miss", "miss"},
		"ranges":                    {"fresh 206 234", "fresh 206 789", "miss"},
		"partial responses combined": {"fresh 206 01", "miss", "miss", "fresh 206 2345", "miss",
			"fresh 200 0123456789", "fresh 206 56789"},
		"partial responses of different representations are not combined": {"miss", "miss", "fresh 206 45"},
		"no-vary-search":             {"fresh 200 nvs", "fresh 200 nvs", "miss"},
		"authorization and no-store": {"miss", "miss"},
		"bodies cut short, closed early or too large are not stored":   {"miss", "miss", "miss"},
		"a served response reads its body after the entry is replaced": {"old", "new", "miss"},
		"a new cache on the same store":                                {"fresh 200 kept"},
	}
	forEachStore(t, func(t *testing.T, s Store) {
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				if m, ok := s.(interface{ Clear() }); ok {
					m.Clear()
				} else if r, ok := s.(*Redis); ok {
					s = newTestRedis(t, WithRedisPrefix(r.prefix+newID()+":"))
				}
				clk := newClock()
				var errs []error
				c := New(WithStore(s), WithClock(clk.Now), WithErrorHandler(func(err error) { errs = append(errs, err) }))
				got := sc.run(t, c, clk)
				if d := cmp.Diff(want[sc.name], got); d != "" {
					t.Errorf("(-want +got)\n%s", d)
				}
				if len(errs) > 0 {
					t.Errorf("store errors: %v", errs)
				}
			})
		}
	})
}

// Racing writers of one bucket lose nothing: every variant is there.
func TestStoreRacingWriters(t *testing.T) {
	forEachStore(t, func(t *testing.T, s Store) {
		c := New(WithStore(s))
		const n = 16
		u := "http://example.test/race"
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				v := fmt.Sprint(i)
				kept := c.Store(newReq("GET", u, hdr("X-V", v)), newResp(200, hdr("Cache-Control", "max-age=60", "Vary", "X-V"), "v"+v))
				io.ReadAll(kept.Body)
				kept.Body.Close()
			}()
		}
		wg.Wait()
		var missing []int
		for i := range n {
			v := fmt.Sprint(i)
			if got := look(t, c, "GET", u, "X-V", v); got != "fresh 200 v"+v {
				missing = append(missing, i)
			}
		}
		if len(missing) > 0 {
			t.Errorf("variants lost to racing writers: %v", missing)
		}
	})
}

// A 304 for an entry evicted meanwhile still gives a readable response.
func TestFreshenAfterEviction(t *testing.T) {
	forEachStore(t, func(t *testing.T, s Store) {
		clk := newClock()
		c := New(WithStore(s), WithClock(clk.Now))
		u := "http://example.test/fe"
		store(t, c, newReq("GET", u, nil), newResp(200, hdr("Cache-Control", "max-age=0", "ETag", `"e"`), "body"))
		r, _ := c.Lookup(newReq("GET", u, nil))
		c.Invalidate(newReq("GET", u, nil))
		f := c.Freshen(newReq("GET", u, nil), r, newResp(304, hdr("Cache-Control", "max-age=60"), ""))
		if got := readBody(t, f); got != "body" {
			t.Errorf("freshened body %q", got)
		}
	})
}
