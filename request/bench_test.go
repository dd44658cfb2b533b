package request

import (
	"testing"

	"github.com/wfetch/wfetch/headers"
)

func BenchmarkNewURL(b *testing.B) {
	for b.Loop() {
		if _, err := New("https://example.com/a/b?c=d", nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewWithInit(b *testing.B) {
	env := browserEnv()
	for b.Loop() {
		_, err := New("/a/b?c=d", &Init{
			Method: ptr("POST"), Body: "hello", Headers: headers.Map{"X-A": "1", "Accept": "*/*"},
			Mode: ptr(ModeSameOrigin), Referrer: ptr(""),
		}, WithEnvironment(env))
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewFromRequest(b *testing.B) {
	src, err := New("https://example.com/", &Init{Headers: headers.Map{"X-A": "1"}})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := New(src, &Init{Cache: ptr(CacheNoStore)}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkClone(b *testing.B) {
	src, err := New("https://example.com/", &Init{Headers: headers.Map{"X-A": "1"}})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := src.Clone(); err != nil {
			b.Fatal(err)
		}
	}
}
