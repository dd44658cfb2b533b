package js

import (
	"github.com/dop251/goja"

	"github.com/wfetch/wfetch/body"
)

// FormData binding over body.FormData.
// https://xhr.spec.whatwg.org/#interface-formdata

func init() {
	extraInstallers = append(extraInstallers, (*Runtime).installFormData)
}

// NewFormData returns a FormData object for f (sharing its entry list).
func (r *Runtime) NewFormData(f *body.FormData) *goja.Object {
	return r.NewObject("FormData", f)
}

// FormDataOf returns the FormData behind v, or nil when v is not one.
func (r *Runtime) FormDataOf(v goja.Value) *body.FormData {
	f, _ := r.Impl(v, "FormData").(*body.FormData)
	return f
}

// fileObject returns the File object for f, the same object each time (so
// that fd.get(name) === fd.get(name), and a File appended without a new
// name comes back as itself).
func (r *Runtime) fileObject(f *body.File) goja.Value {
	st := r.hostState()
	if o, ok := st.files[f]; ok {
		return o
	}
	return r.NewFile(f)
}

// formDataValue converts a FormDataEntryValue (USVString or File).
func (r *Runtime) formDataValue(v body.FormDataValue) goja.Value {
	if v.File != nil {
		return r.fileObject(v.File)
	}
	return stringValue(v.String)
}

func (r *Runtime) installFormData() {
	fd := func(c *Call) *body.FormData { return c.Impl.(*body.FormData) }
	need := func(c *Call, what string, n int) {
		if len(c.Args) < n {
			r.TypeError("FormData.%s: %d argument(s) required, but only %d present", what, n, len(c.Args))
		}
	}
	// appendOrSet resolves the two overloads of append and set:
	// (USVString name, USVString value) and
	// (USVString name, Blob blobValue, optional USVString filename).
	appendOrSet := func(c *Call, what string, str func(f *body.FormData, name, value string),
		blobFn func(f *body.FormData, name string, b *body.Blob, filename ...string),
		fileFn func(f *body.FormData, name string, file *body.File, filename ...string)) {
		need(c, what, 2)
		name := r.USVString(c.Arg(0))
		blob, file := r.BlobOf(c.Arg(1))
		if blob == nil {
			if len(c.Args) >= 3 {
				r.TypeError("FormData.%s: parameter 2 is not of type 'Blob'", what)
			}
			str(fd(c), name, r.USVString(c.Arg(1)))
			return
		}
		var filename []string
		if len(c.Args) >= 3 && !goja.IsUndefined(c.Arg(2)) {
			filename = []string{r.USVString(c.Arg(2))}
		}
		if file != nil {
			fileFn(fd(c), name, file, filename...)
		} else {
			blobFn(fd(c), name, blob, filename...)
		}
	}
	r.DefineInterface(InterfaceSpec{
		Name: "FormData",
		// https://xhr.spec.whatwg.org/#dom-formdata
		Construct: func(c *Call) any {
			// There are no form elements here: a form argument cannot be
			// one (a TypeError, as in other non-browser hosts).
			if c.Has(0) {
				r.TypeError("Failed to construct 'FormData': parameter 1 is not of type 'HTMLFormElement'")
			}
			return body.NewFormData()
		},
		Methods: []Method{
			{Name: "append", Length: 2, Fn: func(c *Call) goja.Value {
				appendOrSet(c, "append", (*body.FormData).Append, (*body.FormData).AppendBlob, (*body.FormData).AppendFile)
				return nil
			}},
			{Name: "delete", Length: 1, Fn: func(c *Call) goja.Value {
				need(c, "delete", 1)
				fd(c).Delete(r.USVString(c.Arg(0)))
				return nil
			}},
			{Name: "get", Length: 1, Fn: func(c *Call) goja.Value {
				need(c, "get", 1)
				v, ok := fd(c).Get(r.USVString(c.Arg(0)))
				if !ok {
					return goja.Null()
				}
				return r.formDataValue(v)
			}},
			{Name: "getAll", Length: 1, Fn: func(c *Call) goja.Value {
				need(c, "getAll", 1)
				var out []any
				for _, v := range fd(c).GetAll(r.USVString(c.Arg(0))) {
					out = append(out, r.formDataValue(v))
				}
				return r.vm.NewArray(out...)
			}},
			{Name: "has", Length: 1, Fn: func(c *Call) goja.Value {
				need(c, "has", 1)
				return r.vm.ToValue(fd(c).Has(r.USVString(c.Arg(0))))
			}},
			{Name: "set", Length: 2, Fn: func(c *Call) goja.Value {
				appendOrSet(c, "set", (*body.FormData).Set, (*body.FormData).SetBlob, (*body.FormData).SetFile)
				return nil
			}},
		},
		Pairs: func(impl any) [][2]goja.Value {
			entries := impl.(*body.FormData).Entries()
			out := make([][2]goja.Value, len(entries))
			for i, e := range entries {
				out[i] = [2]goja.Value{stringValue(e.Name), r.formDataValue(e.Value)}
			}
			return out
		},
	})
}
