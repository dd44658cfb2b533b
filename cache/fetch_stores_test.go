package cache_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"
	"github.com/wfetch/wfetch/cache"
	"github.com/wfetch/wfetch/fetch"
	"github.com/wfetch/wfetch/response"
)

// stores returns a fresh store of each kind (Redis only with
// WFETCH_REDIS_ADDR, under a key prefix of its own).
func stores() map[string]func(t testing.TB) cache.Store {
	return map[string]func(t testing.TB) cache.Store{
		"memory": func(testing.TB) cache.Store { return cache.NewMemory(0) },
		"disk": func(t testing.TB) cache.Store {
			d, err := cache.NewDisk(t.TempDir(), cache.WithDiskSync(false))
			if err != nil {
				t.Fatal(err)
			}
			return d
		},
		"redis": func(t testing.TB) cache.Store {
			addr := os.Getenv("WFETCH_REDIS_ADDR")
			if addr == "" {
				t.Skip("WFETCH_REDIS_ADDR not set: Redis store not tested")
			}
			client := redis.NewClient(&redis.Options{Addr: addr})
			prefix := "wfetch-test-fetch:" + t.Name() + ":" + time.Now().Format(time.RFC3339Nano) + ":"
			t.Cleanup(func() {
				ctx := context.Background()
				iter := client.Scan(ctx, 0, prefix+"*", 1000).Iterator()
				for iter.Next(ctx) {
					client.Del(ctx, iter.Val())
				}
				client.Close()
			})
			return cache.NewRedis(client, cache.WithRedisPrefix(prefix))
		},
	}
}

// Through fetch, every store gives the same outcomes: miss, hit,
// revalidated, stale; and a stored partial response completed by a second
// Range request answers a request for everything.
func TestFetchOutcomesOverStores(t *testing.T) {
	content := strings.Repeat("abcdefghij", 10)
	for name, mk := range stores() {
		t.Run(name, func(t *testing.T) {
			s := &cacheServer{}
			mux := http.NewServeMux()
			mux.Handle("/r", s)
			mux.HandleFunc("/file", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Cache-Control", "max-age=3600")
				w.Header().Set("ETag", `"file"`)
				http.ServeContent(w, r, "f.txt", time.Time{}, bytes.NewReader([]byte(content)))
			})
			srv := httptest.NewServer(mux)
			defer srv.Close()
			client := fetch.NewClient(fetch.WithHTTPCache(cache.New(cache.WithStore(mk(t)))))
			defer client.Close()
			type res struct {
				Status  int
				Body    string
				Outcome response.CacheOutcome
			}
			var got []res
			add := func(st int, b string, o response.CacheOutcome) { got = append(got, res{st, b, o}) }
			fresh, stale := srv.URL+"/r?cc=max-age%3D3600", srv.URL+"/r?cc=max-age%3D0"
			add(fetchWith(t, client, fresh, "default"))
			add(fetchWith(t, client, fresh, "default"))
			add(fetchWith(t, client, stale, "default"))
			add(fetchWith(t, client, stale, "default"))
			add(fetchWith(t, client, stale, "force-cache"))
			add(fetchWith(t, client, fresh, "no-store"))
			add(fetchWith(t, client, srv.URL+"/file", "default", "Range", "bytes=0-49"))
			add(fetchWith(t, client, srv.URL+"/file", "default", "Range", "bytes=50-"))
			add(fetchWith(t, client, srv.URL+"/file", "default"))
			want := []res{
				{200, "body 1", response.CacheMiss}, {200, "body 1", response.CacheHit},
				{200, "body 2", response.CacheMiss}, {200, "body 2", response.CacheRevalidated},
				{200, "body 2", response.CacheStale}, {200, "body 4", response.CacheNone},
				{206, content[:50], response.CacheMiss}, {206, content[50:], response.CacheMiss},
				{200, content, response.CacheHit},
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("(-want +got)\n%s", d)
			}
		})
	}
}
