package js

import (
	"math"
	"time"

	"github.com/dop251/goja"

	"github.com/wfetch/wfetch/body"
)

// Blob and File bindings over body.Blob and body.File.
// https://w3c.github.io/FileAPI/#blob-section
// https://w3c.github.io/FileAPI/#file-section

func init() {
	extraInstallers = append(extraInstallers, (*Runtime).installBlob)
}

// blobImpl is the Go implementation behind a Blob or File object.
type blobImpl struct {
	blob *body.Blob
	file *body.File // set for File objects (blob is then &file.Blob)
}

// GoBlob returns the blob (for BodyInit conversion).
func (b *blobImpl) GoBlob() *body.Blob { return b.blob }

// clone makes the structured clone of a Blob or File: a new object over
// the same immutable bytes.
// https://w3c.github.io/FileAPI/#blob-section (Serializable)
func (b *blobImpl) clone(r *Runtime) goja.Value {
	if b.file != nil {
		return r.NewFile(b.file)
	}
	return r.NewBlob(b.blob)
}

// blobOf returns the Blob behind a brand's implementation: a *blobImpl,
// or the body types other bindings may register directly.
func blobOf(impl any) (*body.Blob, *body.File) {
	switch x := impl.(type) {
	case *blobImpl:
		return x.blob, x.file
	case *body.File:
		return &x.Blob, x
	case *body.Blob:
		return x, nil
	}
	return nil, nil
}

// NewBlob returns a Blob object for b.
func (r *Runtime) NewBlob(b *body.Blob) *goja.Object {
	return r.NewObject("Blob", &blobImpl{blob: b})
}

// NewFile returns a File object for f.
func (r *Runtime) NewFile(f *body.File) *goja.Object {
	o := r.NewObject("File", &blobImpl{blob: &f.Blob, file: f})
	r.hostState().files[f] = o
	return o
}

// BlobOf returns the Blob (and, for a File object, the File) behind v, or
// nils when v is not a Blob.
func (r *Runtime) BlobOf(v goja.Value) (*body.Blob, *body.File) {
	b := r.brandOf(v)
	if b == nil || !b.iface.is(r.ifaces["Blob"]) {
		return nil, nil
	}
	return blobOf(b.impl)
}

// BufferSourceBytes returns the bytes an ArrayBuffer or ArrayBufferView
// (typed array or DataView) covers, sharing its memory; ok is false for any
// other value.
// https://webidl.spec.whatwg.org/#BufferSource
func (r *Runtime) BufferSourceBytes(v goja.Value) (b []byte, ok bool) {
	o, isObj := v.(*goja.Object)
	if !isObj {
		return nil, false
	}
	if ab, isAB := o.Export().(goja.ArrayBuffer); isAB {
		return ab.Bytes(), true
	}
	if !r.isView(o) {
		return nil, false
	}
	ab, isAB := o.Get("buffer").Export().(goja.ArrayBuffer)
	if !isAB {
		return nil, false
	}
	all := ab.Bytes()
	off, n := o.Get("byteOffset").ToInteger(), o.Get("byteLength").ToInteger()
	if off < 0 || n < 0 || off+n > int64(len(all)) {
		return nil, false
	}
	return all[off : off+n], true
}

// blobParts converts a sequence<BlobPart> (BufferSource, Blob or
// USVString) to the parts body.NewBlob takes; BufferSources are copied by
// NewBlob.
// https://w3c.github.io/FileAPI/#typedefdef-blobpart
func (r *Runtime) blobParts(v goja.Value, what string) []any {
	if v == nil || goja.IsUndefined(v) {
		return nil
	}
	var parts []any
	for _, x := range r.Sequence(v, what) {
		if blob, file := r.BlobOf(x); blob != nil {
			if file != nil {
				parts = append(parts, file)
			} else {
				parts = append(parts, blob)
			}
			continue
		}
		if b, ok := r.BufferSourceBytes(x); ok {
			parts = append(parts, b)
			continue
		}
		parts = append(parts, r.USVString(x))
	}
	return parts
}

// blobPropertyBag converts the BlobPropertyBag members in WebIDL order
// (endings, then type).
// https://w3c.github.io/FileAPI/#dfn-BlobPropertyBag
func (r *Runtime) blobPropertyBag(d *goja.Object, what string) body.BlobOptions {
	var o body.BlobOptions
	if v := Member(d, "endings"); v != nil {
		o.Endings = r.Enum(v, what+" endings", "transparent", "native")
	}
	if v := Member(d, "type"); v != nil {
		o.Type = r.DOMString(v)
	}
	return o
}

// clampLongLong converts v to a [Clamp] long long.
// https://webidl.spec.whatwg.org/#es-long-long
func clampLongLong(v goja.Value) int64 {
	f := v.ToFloat()
	if math.IsNaN(f) {
		return 0
	}
	const lim = 1<<53 - 1
	f = math.Max(math.Min(f, lim), -lim)
	return int64(math.RoundToEven(f))
}

// longLong converts v to a long long (ToNumber, truncation, modulo 2^64).
// https://webidl.spec.whatwg.org/#es-long-long
func longLong(v goja.Value) int64 {
	f := v.ToFloat()
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	f = math.Trunc(f)
	f = math.Mod(f, 18446744073709551616)
	if f >= 9223372036854775808 {
		f -= 18446744073709551616
	} else if f < -9223372036854775808 {
		f += 18446744073709551616
	}
	return int64(f)
}

func (r *Runtime) installBlob() {
	blobMethods := []Method{
		// https://w3c.github.io/FileAPI/#dfn-slice
		{Name: "slice", Fn: func(c *Call) goja.Value {
			b, _ := blobOf(c.Impl)
			start, end := int64(0), b.Size()
			if c.Has(0) {
				start = clampLongLong(c.Arg(0))
			}
			if c.Has(1) {
				end = clampLongLong(c.Arg(1))
			}
			typ := ""
			if c.Has(2) {
				typ = r.DOMString(c.Arg(2))
			}
			return r.NewBlob(b.Slice(start, end, typ))
		}},
		// https://w3c.github.io/FileAPI/#dom-blob-stream
		{Name: "stream", Fn: func(c *Call) goja.Value {
			b, _ := blobOf(c.Impl)
			return r.streamObject(b.Stream())
		}},
		// https://w3c.github.io/FileAPI/#dom-blob-text
		{Name: "text", Fn: func(c *Call) goja.Value {
			b, _ := blobOf(c.Impl)
			return r.promiseResolved(stringValue(b.Text()))
		}},
		// https://w3c.github.io/FileAPI/#dom-blob-arraybuffer
		{Name: "arrayBuffer", Fn: func(c *Call) goja.Value {
			b, _ := blobOf(c.Impl)
			return r.promiseResolved(r.vm.ToValue(r.vm.NewArrayBuffer(b.Bytes())))
		}},
		// https://w3c.github.io/FileAPI/#dom-blob-bytes
		{Name: "bytes", Fn: func(c *Call) goja.Value {
			b, _ := blobOf(c.Impl)
			return r.promiseResolved(r.uint8ArrayOwned(b.Bytes()))
		}},
	}
	r.DefineInterface(InterfaceSpec{
		Name: "Blob",
		// https://w3c.github.io/FileAPI/#constructorBlob
		Construct: func(c *Call) any {
			// 1-2. Convert the parts, then the options (argument order).
			parts := r.blobParts(c.Arg(0), "Blob constructor")
			opts := r.blobPropertyBag(r.Dictionary(c.Arg(1), "Blob options"), "Blob")
			// 3-5. Process the parts and normalize the type.
			b, err := body.NewBlob(parts, opts)
			if err != nil {
				r.Throw(err)
			}
			return &blobImpl{blob: b}
		},
		Methods: blobMethods,
		Attrs: []Attr{
			{Name: "size", Get: func(c *Call) goja.Value {
				b, _ := blobOf(c.Impl)
				return r.vm.ToValue(b.Size())
			}},
			{Name: "type", Get: func(c *Call) goja.Value {
				b, _ := blobOf(c.Impl)
				return r.vm.ToValue(b.Type())
			}},
		},
	})
	r.DefineInterface(InterfaceSpec{
		Name:   "File",
		Parent: "Blob",
		Length: 2,
		// https://w3c.github.io/FileAPI/#file-constructor
		Construct: func(c *Call) any {
			if len(c.Args) < 2 {
				r.TypeError("Failed to construct 'File': 2 arguments required, but only %d present", len(c.Args))
			}
			parts := r.blobParts(c.Arg(0), "File constructor")
			name := r.USVString(c.Arg(1))
			d := r.Dictionary(c.Arg(2), "File options")
			bo := r.blobPropertyBag(d, "File")
			opts := body.FileOptions{Type: bo.Type, Endings: bo.Endings}
			if v := Member(d, "lastModified"); v != nil {
				opts.LastModified = time.UnixMilli(longLong(v))
			}
			f, err := body.NewFile(parts, name, opts)
			if err != nil {
				r.Throw(err)
			}
			r.hostState().files[f] = c.This
			return &blobImpl{blob: &f.Blob, file: f}
		},
		Attrs: []Attr{
			{Name: "name", Get: func(c *Call) goja.Value {
				_, f := blobOf(c.Impl)
				return stringValue(f.Name())
			}},
			{Name: "lastModified", Get: func(c *Call) goja.Value {
				_, f := blobOf(c.Impl)
				return r.vm.ToValue(f.LastModified())
			}},
		},
	})
}

// promiseResolved returns a promise fulfilled with v.
func (r *Runtime) promiseResolved(v goja.Value) goja.Value {
	p, resolve, _ := r.vm.NewPromise()
	resolve(v)
	return r.vm.ToValue(p)
}

// promiseRejected returns a promise rejected with v.
func (r *Runtime) promiseRejected(v goja.Value) goja.Value {
	p, _, reject := r.vm.NewPromise()
	reject(v)
	return r.vm.ToValue(p)
}

// uint8ArrayOwned returns a Uint8Array over b without copying (b must not
// be used afterwards).
func (r *Runtime) uint8ArrayOwned(b []byte) *goja.Object {
	ab := r.vm.NewArrayBuffer(b)
	o, err := r.vm.New(r.vm.Get("Uint8Array"), r.vm.ToValue(ab))
	if err != nil {
		panic(err)
	}
	return o
}
