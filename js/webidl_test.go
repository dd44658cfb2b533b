package js

import (
	"context"
	"testing"

	"github.com/dop251/goja"
	"github.com/google/go-cmp/cmp"
)

type counter struct{ n int }

// TestDefineInterface checks the WebIDL shape DefineInterface gives an
// interface defined from Go.
func TestDefineInterface(t *testing.T) {
	rt := New()
	defer rt.Close()
	r := rt
	rt.DefineInterface(InterfaceSpec{
		Name:   "Counter",
		Length: 1,
		Construct: func(c *Call) any {
			return &counter{n: int(r.UnsignedLongLong(c.Arg(0), true))}
		},
		Attrs:   []Attr{{Name: "value", Get: func(c *Call) goja.Value { return r.vm.ToValue(c.Impl.(*counter).n) }}},
		Methods: []Method{{Name: "add", Length: 1, Fn: func(c *Call) goja.Value { c.Impl.(*counter).n += int(c.Arg(0).ToInteger()); return nil }}},
		Consts:  []Const{{"MAX", 10}},
		Pairs: func(impl any) [][2]goja.Value {
			var out [][2]goja.Value
			for i := 0; i < impl.(*counter).n; i++ {
				out = append(out, [2]goja.Value{r.vm.ToValue(i), r.vm.ToValue(i * i)})
			}
			return out
		},
	})
	checks := []struct{ expr, want string }{
		{`Counter.length + "," + Counter.name`, "1,Counter"},
		{`Object.getOwnPropertyDescriptor(Counter, "prototype").writable`, "false"},
		{`(() => { try { Counter(1) } catch (e) { return e.name } })()`, "TypeError"},
		{`(() => { try { new Counter(-1) } catch (e) { return e.name } })()`, "TypeError"},
		{`const c = new Counter(2); c.add(1); c.value`, "3"},
		{`Counter.prototype.add.length + "," + Object.getOwnPropertyDescriptor(Counter.prototype, "add").enumerable`, "1,true"},
		{`typeof Object.getOwnPropertyDescriptor(Counter.prototype, "value").get`, "function"},
		{`(() => { try { Counter.prototype.add.call({}, 1) } catch (e) { return e.name } })()`, "TypeError"},
		{`Counter.MAX + "," + new Counter(0).MAX`, "10,10"},
		{`String(new Counter(0))`, "[object Counter]"},
		{`JSON.stringify([...new Counter(3)])`, "[[0,0],[1,1],[2,4]]"},
		{`[...new Counter(3).values()].join()`, "0,1,4"},
		{`Counter.prototype[Symbol.iterator] === Counter.prototype.entries`, "true"},
		{`Object.prototype.toString.call(new Counter(1).keys())`, "[object Counter Iterator]"},
		{`class Sub extends Counter { constructor() { super(4); } }; const s = new Sub(); s.value + "," + (s instanceof Counter)`, "4,true"},
		{`let seen = ""; new Counter(2).forEach(function (v, k, o) { seen += k + ":" + v + (o instanceof Counter) + (this === 7); }, 7); seen`, "0:0truefalse1:1truefalse"},
	}
	for _, c := range checks {
		v, err := rt.RunScript("check.js", "(() => { "+wrapLast(c.expr)+" })()")
		if err != nil {
			t.Errorf("%s: %v", c.expr, err)
			continue
		}
		if diff := cmp.Diff(c.want, v.String()); diff != "" {
			t.Errorf("%s (-want +got)\n%s", c.expr, diff)
		}
	}
	if err := rt.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// wrapLast turns "a; b; expr" into "a; b; return (expr)".
func wrapLast(src string) string {
	depth := 0
	last := -1
	for i, ch := range src {
		switch ch {
		case '{', '(', '[':
			depth++
		case '}', ')', ']':
			depth--
		case ';':
			if depth == 0 {
				last = i
			}
		}
	}
	return src[:last+1] + " return (" + src[last+1:] + ");"
}

func TestRecordConversionOrder(t *testing.T) {
	got := eval(t, `var out = [];
		const p = new Proxy({b: "1", a: "2"}, {
			ownKeys(t) { out.push("ownKeys"); return Reflect.ownKeys(t); },
			getOwnPropertyDescriptor(t, k) { out.push("gopd:" + k); return Reflect.getOwnPropertyDescriptor(t, k); },
			get(t, k) { out.push("get:" + String(k)); return Reflect.get(t, k); },
		});
		new Headers(p); out = out.join();`)
	// The union conversion looks for @@iterator first.
	want := "get:Symbol(Symbol.iterator),ownKeys,gopd:b,get:b,gopd:a,get:a"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
