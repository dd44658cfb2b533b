package body

import (
	"bytes"
	"io"
	"runtime"
	"sync"
	"testing"
)

// zeroReader yields zeros forever without allocating.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// heapSampler tracks the peak heap in use while a body streams.
type heapSampler struct {
	base, peak uint64
	ms         runtime.MemStats
}

func newHeapSampler() *heapSampler {
	runtime.GC()
	h := &heapSampler{}
	runtime.ReadMemStats(&h.ms)
	h.base = h.ms.HeapAlloc
	h.peak = h.base
	return h
}

func (h *heapSampler) sample() {
	runtime.ReadMemStats(&h.ms)
	h.peak = max(h.peak, h.ms.HeapAlloc)
}

// growth is the peak heap above the starting point.
func (h *heapSampler) growth() uint64 { return h.peak - h.base }

// drain reads r with a fixed buffer, sampling the heap every 64 MiB.
func drain(r io.Reader, buf []byte, h *heapSampler) (int64, error) {
	var n int64
	next := int64(64 << 20)
	for {
		k, err := r.Read(buf)
		n += int64(k)
		if h != nil && n >= next {
			h.sample()
			next += 64 << 20
		}
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

// BenchmarkStream1GiB streams 1 GiB from an io.Reader through an extracted
// body and its stream's reader. It reports the peak heap growth during the
// copy: constant (a few KiB), whatever the body size.
func BenchmarkStream1GiB(b *testing.B) {
	const size = 1 << 30
	buf := make([]byte, 64<<10)
	b.SetBytes(size)
	b.ReportAllocs()
	var peak uint64
	for b.Loop() {
		h := newHeapSampler()
		body, _, err := Extract(io.LimitReader(zeroReader{}, size), false)
		if err != nil {
			b.Fatal(err)
		}
		r, _ := body.Stream.GetReader()
		n, err := drain(r, buf, h)
		if err != nil || n != size {
			b.Fatalf("read %d bytes: %v", n, err)
		}
		h.sample()
		peak = max(peak, h.growth())
	}
	b.ReportMetric(float64(peak), "peak-heap-B")
}

// BenchmarkStreamChunks1GiB is BenchmarkStream1GiB read chunk by chunk
// (ReadChunk, which allocates each chunk) instead of into one buffer.
func BenchmarkStreamChunks1GiB(b *testing.B) {
	const size = 1 << 30
	b.SetBytes(size)
	b.ReportAllocs()
	var peak uint64
	for b.Loop() {
		h := newHeapSampler()
		body, _, _ := Extract(io.LimitReader(zeroReader{}, size), false)
		r, _ := body.Stream.GetReader()
		var n int64
		next := int64(64 << 20)
		for {
			c, err := r.ReadChunk()
			n += int64(len(c))
			if n >= next {
				h.sample()
				next += 64 << 20
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		if n != size {
			b.Fatalf("read %d bytes", n)
		}
		peak = max(peak, h.growth())
	}
	b.ReportMetric(float64(peak), "peak-heap-B")
}

// BenchmarkTeeBounded1GiB tees a 1 GiB stream with a 1 MiB limit and reads
// both branches concurrently: memory stays bounded by the limit.
func BenchmarkTeeBounded1GiB(b *testing.B) { benchTee(b, 1<<20) }

// BenchmarkClone1GiB tees a 1 GiB body (Clone) and reads both branches
// concurrently; peak heap is what the faster branch ran ahead.
func BenchmarkClone1GiB(b *testing.B) { benchTee(b, 0) }

func benchTee(b *testing.B, limit int64) {
	const size = 1 << 30
	b.SetBytes(size)
	b.ReportAllocs()
	var peak uint64
	for b.Loop() {
		h := newHeapSampler()
		body, _, _ := Extract(io.LimitReader(zeroReader{}, size), false)
		var s1, s2 *Stream
		if limit > 0 {
			var err error
			if s1, s2, err = body.Stream.TeeBounded(limit); err != nil {
				b.Fatal(err)
			}
		} else {
			clone, err := body.Clone()
			if err != nil {
				b.Fatal(err)
			}
			s1, s2 = body.Stream, clone.Stream
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		for _, s := range []*Stream{s1, s2} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, _ := s.GetReader()
				hs := &heapSampler{base: h.base, peak: h.base}
				n, err := drain(r, make([]byte, 64<<10), hs)
				if err != nil || n != size {
					b.Errorf("read %d bytes: %v", n, err)
				}
				mu.Lock()
				h.peak = max(h.peak, hs.peak)
				mu.Unlock()
			}()
		}
		wg.Wait()
		peak = max(peak, h.growth())
	}
	b.ReportMetric(float64(peak), "peak-heap-B")
}

var mib = bytes.Repeat([]byte("0123456789abcdef"), 1<<16)

// BenchmarkArrayBuffer1MiB reads a 1 MiB body of known length (as a
// response with Content-Length) with ArrayBuffer: one exact allocation for
// the bytes. Compare BenchmarkIOReadAll1MiB.
func BenchmarkArrayBuffer1MiB(b *testing.B) {
	b.SetBytes(int64(len(mib)))
	b.ReportAllocs()
	for b.Loop() {
		m := NewMixin(FromReader(bytes.NewReader(mib), int64(len(mib))), nil)
		out, err := m.ArrayBuffer()
		if err != nil || len(out) != len(mib) {
			b.Fatal(err)
		}
	}
}

// BenchmarkArrayBufferExtracted1MiB reads a body extracted from a 1 MiB
// []byte (which Extract copies) with ArrayBuffer.
func BenchmarkArrayBufferExtracted1MiB(b *testing.B) {
	b.SetBytes(int64(len(mib)))
	b.ReportAllocs()
	for b.Loop() {
		body, _, _ := Extract(mib, false)
		m := NewMixin(body, nil)
		out, err := m.ArrayBuffer()
		if err != nil || len(out) != len(mib) {
			b.Fatal(err)
		}
	}
}

// BenchmarkIOReadAll1MiB is the baseline: io.ReadAll of the same reader.
func BenchmarkIOReadAll1MiB(b *testing.B) {
	b.SetBytes(int64(len(mib)))
	b.ReportAllocs()
	for b.Loop() {
		out, err := io.ReadAll(bytes.NewReader(mib))
		if err != nil || len(out) != len(mib) {
			b.Fatal(err)
		}
	}
}

// BenchmarkText1MiB reads a 1 MiB UTF-8 body as a string.
func BenchmarkText1MiB(b *testing.B) {
	b.SetBytes(int64(len(mib)))
	b.ReportAllocs()
	for b.Loop() {
		m := NewMixin(FromReader(bytes.NewReader(mib), int64(len(mib))), nil)
		s, err := m.Text()
		if err != nil || len(s) != len(mib) {
			b.Fatal(err)
		}
	}
}

func TestStreamConstantMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 256 MiB")
	}
	const size = 256 << 20
	h := newHeapSampler()
	body, _, _ := Extract(io.LimitReader(zeroReader{}, size), false)
	m := NewMixin(body, nil)
	r, _ := m.Body().GetReader()
	n, err := drain(r, make([]byte, 32<<10), h)
	if err != nil || n != size {
		t.Fatalf("read %d: %v", n, err)
	}
	h.sample()
	t.Logf("peak heap growth streaming %d MiB: %d bytes", size>>20, h.growth())
	if h.growth() > 8<<20 {
		t.Errorf("heap grew by %d bytes while streaming", h.growth())
	}
}

func TestArrayBufferAllocatesLessThanReadAll(t *testing.T) {
	if testing.Short() {
		t.Skip()
	}
	ours := testing.AllocsPerRun(20, func() {
		m := NewMixin(FromReader(bytes.NewReader(mib), int64(len(mib))), nil)
		m.ArrayBuffer()
	})
	base := testing.AllocsPerRun(20, func() { io.ReadAll(bytes.NewReader(mib)) })
	t.Logf("allocations: ArrayBuffer %.0f, io.ReadAll %.0f", ours, base)
	if ours >= base {
		t.Errorf("ArrayBuffer made %.0f allocations, io.ReadAll %.0f", ours, base)
	}
}
