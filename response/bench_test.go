package response

import (
	"testing"

	"github.com/wfetch/wfetch/headers"
)

func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		if _, err := New("hello", &Init{Status: 201, Headers: headers.Map{"X-A": "1"}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkJSON(b *testing.B) {
	data := map[string]any{"a": 1, "b": []string{"x", "y"}}
	for b.Loop() {
		if _, err := JSON(data, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBasicFilter(b *testing.B) {
	in := sampleInternal()
	for b.Loop() {
		FromInternal(BasicFilter(in))
	}
}

func BenchmarkCORSFilter(b *testing.B) {
	in := sampleInternal()
	for b.Loop() {
		FromInternal(CORSFilter(in))
	}
}
