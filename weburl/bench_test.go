package weburl

import (
	"net/url"
	"testing"
	"time"
)

// typicalURLs are the http(s) URLs the parser benchmark runs on.
var typicalURLs = []string{
	"https://example.com/",
	"https://www.example.org/path/to/resource.html?query=value&other=1#section",
	"http://localhost:8080/api/v1/items?id=42",
	"https://user:pass@sub.example.co.uk/a/b/c/index.php?x=%20y",
	"https://cdn.example.net/assets/js/app.min.js",
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, s := range typicalURLs {
			if _, err := Parse(s, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkNetURLParse(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, s := range typicalURLs {
			if _, err := url.Parse(s); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkParseRelative(b *testing.B) {
	base := MustParse("https://www.example.org/dir/page.html?q=1")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Parse("../other/file.js?v=2", base); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNetURLResolveReference(b *testing.B) {
	base, _ := url.Parse("https://www.example.org/dir/page.html?q=1")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		ref, err := url.Parse("../other/file.js?v=2")
		if err != nil {
			b.Fatal(err)
		}
		_ = base.ResolveReference(ref)
	}
}

func BenchmarkHref(b *testing.B) {
	u := MustParse(typicalURLs[1])
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = u.Href()
	}
}

func BenchmarkParseIDNA(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Parse("https://bücher.example/straße", nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseVsNetURL runs Parse and net/url.Parse interleaved on the
// typical URLs, so machine load affects both alike, and reports the time
// ratio Parse / net/url.Parse as "ratio".
func BenchmarkParseVsNetURL(b *testing.B) {
	b.ReportAllocs()
	var ours, theirs time.Duration
	const batch = 64
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		for k := 0; k < batch; k++ {
			for _, s := range typicalURLs {
				Parse(s, nil)
			}
		}
		t1 := time.Now()
		for k := 0; k < batch; k++ {
			for _, s := range typicalURLs {
				url.Parse(s)
			}
		}
		t2 := time.Now()
		ours += t1.Sub(t0)
		theirs += t2.Sub(t1)
	}
	b.ReportMetric(float64(ours)/float64(theirs), "ratio")
}
