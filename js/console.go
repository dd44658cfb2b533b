package js

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/dop251/goja"
)

// consoleProgram is consoleJS compiled once for all Runtimes.
var consoleProgram = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("console.js", consoleJS, true)
})

// installConsole defines console (https://console.spec.whatwg.org/) with
// Node-style formatting: objects, arrays, Map/Set, typed arrays, errors
// with their stacks and platform objects (Headers, Request, Response, URL,
// Blob, ...) are inspected; the format specifiers are %s %d %i %f %j %o %O
// %c and %%. log/info/debug/dir/dirxml/table/count/time* write to the
// console writer, warn/error/trace/assert to the error writer.
func (r *Runtime) installConsole() {
	f, err := r.vm.RunProgram(consoleProgram())
	if err != nil {
		panic(err)
	}
	install, _ := goja.AssertFunction(f)
	host := r.vm.NewObject()
	host.Set("write", func(isErr bool, s string) {
		var w io.Writer = r.cfg.console
		if isErr {
			w = r.errOut()
		}
		io.WriteString(w, s)
	})
	host.Set("stack", func(v goja.Value) string {
		o, ok := v.(*goja.Object)
		if !ok {
			return ""
		}
		s := o.Get("stack")
		if s == nil || goja.IsUndefined(s) {
			return ""
		}
		return strings.TrimRight(cleanStack(s.String()), "\n")
	})
	host.Set("iface", func(v goja.Value) string {
		if b := r.brandOf(v); b != nil && b.iface != nil {
			return b.iface.Name
		}
		return ""
	})
	host.Set("promiseState", func(v goja.Value) []any {
		p, ok := v.Export().(*goja.Promise)
		if !ok {
			return []any{"pending"}
		}
		switch p.State() {
		case goja.PromiseStateFulfilled:
			return []any{"fulfilled", p.Result()}
		case goja.PromiseStateRejected:
			return []any{"rejected", p.Result()}
		}
		return []any{"pending"}
	})
	start := time.Now()
	host.Set("now", func() float64 { return float64(time.Since(start).Microseconds()) / 1000 })
	host.Set("trace", func() string {
		var b strings.Builder
		for _, fr := range r.vm.CaptureCallStack(20, nil) {
			if internalFrame(fr.Position().Filename, fr.FuncName()) {
				continue
			}
			if b.Len() > 0 {
				b.WriteByte('\n')
			}
			b.WriteString("    at ")
			pos := fr.Position()
			name := fr.FuncName()
			if name != "" && name != "<anonymous>" {
				fmt.Fprintf(&b, "%s (%s:%d:%d)", name, pos.Filename, pos.Line, pos.Column)
			} else {
				fmt.Fprintf(&b, "%s:%d:%d", pos.Filename, pos.Line, pos.Column)
			}
		}
		return b.String()
	})
	v, err := install(goja.Undefined(), host)
	if err != nil {
		panic(err)
	}
	o := v.(*goja.Object)
	r.inspectFn, _ = goja.AssertFunction(o.Get("inspect"))
	r.vm.GlobalObject().DefineDataProperty("console", o.Get("console"), goja.FLAG_TRUE, goja.FLAG_FALSE, goja.FLAG_TRUE)
}

// Inspect formats v the way console.log shows a non-string value (Node's
// util.inspect with its defaults: depth 2, no colors).
func (r *Runtime) Inspect(v goja.Value) string {
	if r.inspectFn == nil {
		return describe(v)
	}
	s, err := r.inspectFn(goja.Undefined(), v)
	if err != nil {
		return describe(v)
	}
	return s.String()
}

// internalFrame reports whether a stack frame is the package's own
// plumbing (Go functions, console.js, web-extras.js, the WebIDL helpers),
// which stack traces leave out.
func internalFrame(file, fn string) bool {
	switch file {
	case "console.js", "web-extras.js", "<eval>":
		return true
	}
	return strings.Contains(fn, "github.com/wfetch/wfetch/")
}
