package js

import (
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"strings"

	"github.com/dop251/goja"

	"github.com/wfetch/wfetch/internal/errs"
)

// installCrypto defines the parts of Web Crypto that tests use:
// crypto.getRandomValues, crypto.randomUUID and crypto.subtle.digest
// (SHA-1, SHA-256, SHA-384, SHA-512).
// https://w3c.github.io/webcrypto/#crypto-interface
func (r *Runtime) installCrypto() {
	r.DefineInterface(InterfaceSpec{
		Name: "SubtleCrypto",
		Methods: []Method{
			{Name: "digest", Length: 2, Fn: func(c *Call) goja.Value {
				var out []byte
				ex := r.vm.Try(func() {
					r.need(c, 2, "SubtleCrypto.digest")
					name := ""
					if o, ok := c.Arg(0).(*goja.Object); ok {
						name = r.DOMString(o.Get("name"))
					} else {
						name = r.DOMString(c.Arg(0))
					}
					data, ok := r.Bytes(c.Arg(1))
					if !ok {
						r.TypeError("SubtleCrypto.digest: the data is not a BufferSource")
					}
					switch strings.ToUpper(name) {
					case "SHA-1":
						s := sha1.Sum(data)
						out = s[:]
					case "SHA-256":
						s := sha256.Sum256(data)
						out = s[:]
					case "SHA-384":
						s := sha512.Sum384(data)
						out = s[:]
					case "SHA-512":
						s := sha512.Sum512(data)
						out = s[:]
					default:
						r.Throw(&errs.DOMException{Name: "NotSupportedError", Message: fmt.Sprintf("digest algorithm %q is not supported", name)})
					}
				})
				if ex != nil {
					return r.rejectedWithValue(ex.Value())
				}
				return r.resolvedWith(r.NewArrayBuffer(out))
			}},
		},
	})
	r.DefineInterface(InterfaceSpec{
		Name: "Crypto",
		Attrs: []Attr{
			{Name: "subtle", Get: func(c *Call) goja.Value { return c.Impl.(*cryptoImpl).subtle }},
		},
		Methods: []Method{
			{Name: "getRandomValues", Length: 1, Fn: func(c *Call) goja.Value {
				o, ok := c.Arg(0).(*goja.Object)
				if !ok || !r.isView(o) {
					r.TypeError("Crypto.getRandomValues: the argument is not an integer typed array")
				}
				switch o.ClassName() {
				case "Float32Array", "Float64Array", "DataView":
					r.Throw(&errs.DOMException{Name: "TypeMismatchError", Message: "getRandomValues needs an integer typed array"})
				}
				b, _ := r.Bytes(o)
				if len(b) > 65536 {
					r.Throw(&errs.DOMException{Name: "QuotaExceededError", Message: "getRandomValues can fill at most 65536 bytes"})
				}
				rand.Read(b)
				return o
			}},
			{Name: "randomUUID", Fn: func(c *Call) goja.Value {
				var u [16]byte
				rand.Read(u[:])
				u[6] = u[6]&0x0f | 0x40
				u[8] = u[8]&0x3f | 0x80
				return r.vm.ToValue(fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16]))
			}},
		},
	})
	impl := &cryptoImpl{subtle: r.NewObject("SubtleCrypto", struct{ subtle bool }{true})}
	r.vm.GlobalObject().DefineDataProperty("crypto", r.NewObject("Crypto", impl), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
}

type cryptoImpl struct {
	subtle *goja.Object
}
