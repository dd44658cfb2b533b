package headers

import (
	"strconv"
	"testing"
)

func twentyHeaders() *Headers {
	h := New(GuardNone)
	for i := 0; i < 20; i++ {
		_ = h.Append("X-Header-"+strconv.Itoa(19-i), "value "+strconv.Itoa(i))
	}
	_ = h.Append("Set-Cookie", "a=b")
	_ = h.Append("x-header-3", "again")
	return h
}

func BenchmarkAppend(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		h := New(GuardRequest)
		_ = h.Append("Content-Type", "text/plain")
		_ = h.Append("Accept", "*/*")
		_ = h.Append("X-Custom", "1")
	}
}

func BenchmarkGet(b *testing.B) {
	h := twentyHeaders()
	b.ReportAllocs()
	for b.Loop() {
		_, _, _ = h.Get("x-header-10")
	}
}

func BenchmarkGetCombined(b *testing.B) {
	h := twentyHeaders()
	b.ReportAllocs()
	for b.Loop() {
		_, _, _ = h.Get("X-HEADER-3")
	}
}

func BenchmarkSet(b *testing.B) {
	h := twentyHeaders()
	b.ReportAllocs()
	for b.Loop() {
		_ = h.Set("x-header-10", "new value")
	}
}

func BenchmarkSortAndCombine(b *testing.B) {
	h := twentyHeaders()
	l := *h.List()
	b.ReportAllocs()
	for b.Loop() {
		_ = l.SortAndCombine()
	}
}

func BenchmarkIterate(b *testing.B) {
	h := twentyHeaders()
	b.ReportAllocs()
	for b.Loop() {
		for range h.All() {
		}
	}
}

func BenchmarkExtractMIMEType(b *testing.B) {
	l := List{{"Content-Type", "text/html; charset=utf-8"}}
	b.ReportAllocs()
	for b.Loop() {
		_, _ = l.ExtractMIMEType()
	}
}
