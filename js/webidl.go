package js

import (
	"errors"
	"fmt"
	"math"
	"unicode/utf16"

	"github.com/dop251/goja"

	"github.com/wfetch/wfetch/internal/errs"
)

// Interface is a WebIDL interface installed on a Runtime: its interface
// object (the constructor) and its interface prototype object.
// https://webidl.spec.whatwg.org/#interface-object
type Interface struct {
	Name   string
	Parent *Interface
	Ctor   *goja.Object
	Proto  *goja.Object
	spec   *InterfaceSpec
}

// is reports whether i is want or inherits from it.
func (i *Interface) is(want *Interface) bool {
	for ; i != nil; i = i.Parent {
		if i == want {
			return true
		}
	}
	return false
}

// InterfaceSpec describes an interface for DefineInterface.
type InterfaceSpec struct {
	Name   string
	Parent string // name of an interface defined earlier, or ""
	// Construct runs for `new Name(...)`: it returns the Go implementation
	// behind the new object (c.This). Nil means "Illegal constructor".
	Construct func(c *Call) any
	Length    int // the constructor's length (required arguments)
	Methods   []Method
	Attrs     []Attr
	Statics   []Method
	Consts    []Const
	// Pairs makes the interface pair-iterable (entries, keys, values,
	// forEach, @@iterator). It is called again for every step, so the
	// iteration sees changes to the object.
	// https://webidl.spec.whatwg.org/#idl-iterable
	Pairs func(impl any) [][2]goja.Value
	// NotExposed leaves the interface object off the global object.
	NotExposed bool
}

// Method is a regular or static operation.
type Method struct {
	Name   string
	Symbol *goja.Symbol // set instead of Name for symbol-keyed operations
	Length int
	Fn     func(c *Call) goja.Value
}

// Attr is an attribute; Set nil makes it readonly.
type Attr struct {
	Name string
	Get  func(c *Call) goja.Value
	Set  func(c *Call, v goja.Value)
}

// Const is a constant on both the interface object and the prototype.
type Const struct {
	Name  string
	Value int
}

// Call is the receiver and arguments of a bound operation.
type Call struct {
	R    *Runtime
	This *goja.Object
	Impl any // the Go implementation behind This (nil for statics)
	Args []goja.Value
}

// Arg returns argument i, or undefined when it was not passed.
func (c *Call) Arg(i int) goja.Value {
	if i < len(c.Args) {
		return c.Args[i]
	}
	return goja.Undefined()
}

// Has reports whether argument i was passed and is not undefined.
func (c *Call) Has(i int) bool { return i < len(c.Args) && !goja.IsUndefined(c.Args[i]) }

type brand struct {
	iface *Interface
	impl  any
}

func (r *Runtime) initBrands() {
	wm, err := r.vm.New(r.vm.Get("WeakMap"))
	if err != nil {
		panic(err)
	}
	r.brandMap = wm
	r.brandGet, _ = goja.AssertFunction(wm.Get("get"))
	r.brandSet, _ = goja.AssertFunction(wm.Get("set"))
	v, err := r.vm.RunString(helperJS)
	if err != nil {
		panic(err)
	}
	h := v.(*goja.Object)
	for _, k := range h.Keys() {
		f, _ := goja.AssertFunction(h.Get(k))
		r.helper[k] = f
	}
	ip, _ := r.vm.RunString(`Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()))`)
	r.iterProto = ip.(*goja.Object)
	// goja has no async generators and no Symbol.asyncIterator: define the
	// well-known symbol (code lowered by esbuild looks it up there) and
	// build %AsyncIteratorPrototype% by hand.
	aip, err := r.vm.RunString(`Object.defineProperty(Symbol, "asyncIterator", {value: Symbol("Symbol.asyncIterator")});
({[Symbol.asyncIterator]() { return this; }})`)
	if err != nil {
		panic(err)
	}
	r.asyncIter = aip.(*goja.Object)
}

// helperJS holds the few pieces that are simpler to express in JavaScript:
// a constructor that requires new, and record conversion in the order of
// https://webidl.spec.whatwg.org/#es-record (keys, descriptor, get).
const helperJS = `({
	ctor(name, length, construct) {
		const C = function () {
			if (new.target === undefined) {
				throw new TypeError("Failed to construct '" + name + "': Please use the 'new' operator");
			}
			construct(this, ...arguments);
		};
		Object.defineProperty(C, "name", {value: name});
		Object.defineProperty(C, "length", {value: length});
		Object.defineProperty(C, "prototype", {writable: false});
		return C;
	},
	record(O, convKey, convValue) {
		const out = [];
		for (const key of Reflect.ownKeys(O)) {
			const desc = Reflect.getOwnPropertyDescriptor(O, key);
			if (desc !== undefined && desc.enumerable) {
				const k = convKey(key);
				out.push([k, convValue(O[key])]);
			}
		}
		return out;
	},
	isCallable(f) { return typeof f === "function"; },
	isConstructor(f) {
		if (typeof f !== "function") return false;
		try { Reflect.construct(String, [], f); return true; } catch (e) { return false; }
	},
	typeOf(v) { return typeof v; },
	call(f) { f(); },
})`

// SetBrand records impl as the implementation of obj for interface name.
func (r *Runtime) SetBrand(obj *goja.Object, iface string, impl any) {
	i := r.ifaces[iface]
	if i == nil {
		r.TypeError("%s is not available in this runtime", iface)
	}
	r.brandSet(r.brandMap, obj, r.vm.ToValue(&brand{iface: i, impl: impl}))
}

func (r *Runtime) brandOf(v goja.Value) *brand {
	o, ok := v.(*goja.Object)
	if !ok {
		return nil
	}
	b, err := r.brandGet(r.brandMap, o)
	if err != nil || b == nil || goja.IsUndefined(b) {
		return nil
	}
	br, _ := b.Export().(*brand)
	return br
}

// Impl returns the Go implementation behind v when v implements the named
// interface (a brand check), or nil.
func (r *Runtime) Impl(v goja.Value, iface string) any {
	b := r.brandOf(v)
	if b == nil || !b.iface.is(r.ifaces[iface]) {
		return nil
	}
	return b.impl
}

// Interface returns an interface installed by DefineInterface, or nil.
func (r *Runtime) Interface(name string) *Interface { return r.ifaces[name] }

// NewObject creates a platform object for the named interface backed by
// impl, without running its constructor.
func (r *Runtime) NewObject(iface string, impl any) *goja.Object {
	i := r.ifaces[iface]
	if i == nil {
		r.TypeError("%s is not available in this runtime", iface)
	}
	o := r.vm.CreateObject(i.Proto)
	r.SetBrand(o, iface, impl)
	return o
}

func (r *Runtime) fn(name string, length int, f func(goja.FunctionCall) goja.Value) *goja.Object {
	o := r.vm.ToValue(f).(*goja.Object)
	o.DefineDataProperty("name", r.vm.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	o.DefineDataProperty("length", r.vm.ToValue(length), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	return o
}

// DefineInterface installs an interface: the interface object on the global
// object, its prototype with operations and attributes that brand-check
// their receiver, Symbol.toStringTag, constants and iterators.
func (r *Runtime) DefineInterface(spec InterfaceSpec) *Interface {
	iface := &Interface{Name: spec.Name, spec: &spec}
	if spec.Parent != "" {
		iface.Parent = r.ifaces[spec.Parent]
		if iface.Parent == nil {
			panic("js: parent interface " + spec.Parent + " not defined")
		}
	}
	r.ifaces[spec.Name] = iface
	construct := r.vm.ToValue(func(fc goja.FunctionCall) goja.Value {
		if spec.Construct == nil {
			r.Throw(errs.TypeErrorf("Illegal constructor"))
		}
		this := fc.Argument(0).(*goja.Object)
		c := &Call{R: r, This: this, Args: fc.Arguments[1:]}
		impl := spec.Construct(c)
		r.SetBrand(this, spec.Name, impl)
		return goja.Undefined()
	})
	ctorV, err := r.helper["ctor"](goja.Undefined(), r.vm.ToValue(spec.Name), r.vm.ToValue(spec.Length), construct)
	if err != nil {
		panic(err)
	}
	iface.Ctor = ctorV.(*goja.Object)
	iface.Proto = iface.Ctor.Get("prototype").(*goja.Object)
	if iface.Parent != nil {
		iface.Proto.SetPrototype(iface.Parent.Proto)
		iface.Ctor.SetPrototype(iface.Parent.Ctor)
	}
	p := iface.Proto
	for _, m := range spec.Methods {
		r.defineMethod(iface, p, m)
	}
	for _, a := range spec.Attrs {
		r.defineAttr(iface, p, a)
	}
	for _, m := range spec.Statics {
		m := m
		name := m.Name
		f := r.fn(name, m.Length, func(fc goja.FunctionCall) goja.Value {
			this, _ := fc.This.(*goja.Object)
			return orUndefined(m.Fn(&Call{R: r, This: this, Args: fc.Arguments}))
		})
		iface.Ctor.DefineDataProperty(name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	}
	for _, c := range spec.Consts {
		v := r.vm.ToValue(c.Value)
		iface.Ctor.DefineDataProperty(c.Name, v, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
		p.DefineDataProperty(c.Name, v, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	}
	if spec.Pairs != nil {
		r.definePairIterator(iface, spec.Pairs)
	}
	p.DefineDataPropertySymbol(goja.SymToStringTag, r.vm.ToValue(spec.Name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	if !spec.NotExposed {
		r.vm.GlobalObject().DefineDataProperty(spec.Name, iface.Ctor, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	}
	return iface
}

func (r *Runtime) thisImpl(iface *Interface, this goja.Value, what string) (*goja.Object, any) {
	if this == nil || goja.IsUndefined(this) || goja.IsNull(this) {
		// Operations called without a receiver use the global object.
		this = r.vm.GlobalObject()
	}
	b := r.brandOf(this)
	if b == nil || !b.iface.is(iface) {
		r.Throw(errs.TypeErrorf("Illegal invocation: %s called on an object that is not a %s", what, iface.Name))
	}
	return this.(*goja.Object), b.impl
}

func (r *Runtime) defineMethod(iface *Interface, p *goja.Object, m Method) {
	name := m.Name
	if m.Symbol != nil {
		name = "[" + m.Symbol.String() + "]"
	}
	f := r.fn(name, m.Length, func(fc goja.FunctionCall) goja.Value {
		this, impl := r.thisImpl(iface, fc.This, iface.Name+"."+name)
		return orUndefined(m.Fn(&Call{R: r, This: this, Impl: impl, Args: fc.Arguments}))
	})
	if m.Symbol != nil {
		p.DefineDataPropertySymbol(m.Symbol, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
		return
	}
	p.DefineDataProperty(name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
}

func (r *Runtime) defineAttr(iface *Interface, p *goja.Object, a Attr) {
	get := r.fn("get "+a.Name, 0, func(fc goja.FunctionCall) goja.Value {
		this, impl := r.thisImpl(iface, fc.This, iface.Name+"."+a.Name)
		return orUndefined(a.Get(&Call{R: r, This: this, Impl: impl}))
	})
	var set goja.Value
	if a.Set != nil {
		set = r.fn("set "+a.Name, 1, func(fc goja.FunctionCall) goja.Value {
			this, impl := r.thisImpl(iface, fc.This, iface.Name+"."+a.Name)
			a.Set(&Call{R: r, This: this, Impl: impl, Args: fc.Arguments}, fc.Argument(0))
			return goja.Undefined()
		})
	}
	p.DefineAccessorProperty(a.Name, get, set, goja.FLAG_TRUE, goja.FLAG_TRUE)
}

func orUndefined(v goja.Value) goja.Value {
	if v == nil {
		return goja.Undefined()
	}
	return v
}

// --- pair iterators (https://webidl.spec.whatwg.org/#es-iterators) ---

type pairIter struct {
	target any
	kind   string // "key", "value", "key+value"
	index  int
}

func (r *Runtime) definePairIterator(iface *Interface, pairs func(any) [][2]goja.Value) {
	itName := iface.Name + " Iterator"
	itIface := &Interface{Name: itName}
	r.ifaces[itName] = itIface
	proto := r.vm.CreateObject(r.iterProto)
	itIface.Proto = proto
	next := r.fn("next", 0, func(fc goja.FunctionCall) goja.Value {
		_, impl := r.thisImpl(itIface, fc.This, itName+".next")
		it := impl.(*pairIter)
		list := pairs(it.target)
		if it.index >= len(list) {
			return r.iterResult(goja.Undefined(), true)
		}
		kv := list[it.index]
		it.index++
		switch it.kind {
		case "key":
			return r.iterResult(kv[0], false)
		case "value":
			return r.iterResult(kv[1], false)
		}
		return r.iterResult(r.vm.NewArray(kv[0], kv[1]), false)
	})
	proto.DefineDataProperty("next", next, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	proto.DefineDataPropertySymbol(goja.SymToStringTag, r.vm.ToValue(itName), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)

	p := iface.Proto
	mk := func(kind string) *goja.Object {
		name := map[string]string{"key": "keys", "value": "values", "key+value": "entries"}[kind]
		return r.fn(name, 0, func(fc goja.FunctionCall) goja.Value {
			_, impl := r.thisImpl(iface, fc.This, iface.Name+"."+name)
			o := r.vm.CreateObject(proto)
			r.brandSet(r.brandMap, o, r.vm.ToValue(&brand{iface: itIface, impl: &pairIter{target: impl, kind: kind}}))
			return o
		})
	}
	entries := mk("key+value")
	p.DefineDataProperty("entries", entries, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	p.DefineDataProperty("keys", mk("key"), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	p.DefineDataProperty("values", mk("value"), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	p.DefineDataPropertySymbol(goja.SymIterator, entries, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	forEach := r.fn("forEach", 1, func(fc goja.FunctionCall) goja.Value {
		this, impl := r.thisImpl(iface, fc.This, iface.Name+".forEach")
		cb, ok := goja.AssertFunction(fc.Argument(0))
		if !ok {
			r.Throw(errs.TypeErrorf("%s.forEach: the callback is not a function", iface.Name))
		}
		thisArg := fc.Argument(1)
		for i := 0; ; i++ {
			list := pairs(impl)
			if i >= len(list) {
				break
			}
			if _, err := cb(thisArg, list[i][1], list[i][0], this); err != nil {
				panic(err)
			}
		}
		return goja.Undefined()
	})
	p.DefineDataProperty("forEach", forEach, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
}

func (r *Runtime) iterResult(v goja.Value, done bool) *goja.Object {
	o := r.vm.NewObject()
	o.Set("value", v)
	o.Set("done", done)
	return o
}

// --- errors ---

// JSError is a Go error that carries a JavaScript value, such as an abort
// reason or an exception thrown by a callback, so that it reaches
// JavaScript again unchanged.
type JSError struct {
	Value goja.Value
}

func (e *JSError) Error() string { return "js: " + describe(e.Value) }

// Throw throws err into JavaScript (it panics, as goja expects of native
// functions). See ErrorValue for the mapping.
func (r *Runtime) Throw(err error) {
	panic(r.ErrorValue(err))
}

// ErrorValue converts a Go error to the JavaScript value to throw or reject
// with: wfetch's errs kinds become TypeError, RangeError, SyntaxError and
// DOMException objects; a *JSError or *goja.Exception gives back its value;
// anything else becomes a TypeError.
func (r *Runtime) ErrorValue(err error) goja.Value {
	switch e := err.(type) {
	case *JSError:
		return e.Value
	case *goja.Exception:
		return e.Value()
	case *errs.TypeError:
		return r.newError("TypeError", trimKind(e.Error(), "TypeError"), e.Err)
	case *errs.RangeError:
		return r.newError("RangeError", trimKind(e.Error(), "RangeError"), e.Err)
	case *errs.SyntaxError:
		return r.newError("SyntaxError", trimKind(e.Error(), "SyntaxError"), e.Err)
	case *errs.DOMException:
		return r.NewDOMException(e.Message, e.Name)
	}
	var je *JSError
	if errors.As(err, &je) {
		return je.Value
	}
	var de *errs.DOMException
	if errors.As(err, &de) {
		return r.NewDOMException(de.Message, de.Name)
	}
	var re *errs.RangeError
	if errors.As(err, &re) {
		return r.newError("RangeError", err.Error(), nil)
	}
	return r.newError("TypeError", err.Error(), nil)
}

func trimKind(s, kind string) string {
	if len(s) > len(kind)+2 && s[:len(kind)+2] == kind+": " {
		return s[len(kind)+2:]
	}
	if s == kind {
		return ""
	}
	return s
}

func (r *Runtime) newError(ctor, msg string, cause error) goja.Value {
	o, err := r.vm.New(r.vm.Get(ctor), r.vm.ToValue(msg))
	if err != nil {
		panic(err)
	}
	if cause != nil {
		var je *JSError
		if errors.As(cause, &je) {
			o.Set("cause", je.Value)
		}
	}
	return o
}

// TypeError throws a JavaScript TypeError with a formatted message.
func (r *Runtime) TypeError(format string, args ...any) {
	r.Throw(errs.TypeErrorf(format, args...))
}

// RangeError throws a JavaScript RangeError with a formatted message.
func (r *Runtime) RangeError(format string, args ...any) {
	r.Throw(errs.RangeErrorf(format, args...))
}

// GoError converts a thrown JavaScript value to a Go error: a *JSError,
// except that DOMExceptions and TypeErrors made by this package map back to
// errs kinds where that loses nothing. Most callers just keep the *JSError.
func (r *Runtime) GoError(v goja.Value) error { return &JSError{Value: v} }

// --- conversions (https://webidl.spec.whatwg.org/#es-type-mapping) ---

// DOMString converts v with ToString (Symbols throw a TypeError). Lone
// surrogates become U+FFFD, since Go strings hold UTF-8: this is the
// USVString conversion, used for DOMString too.
func (r *Runtime) DOMString(v goja.Value) string {
	if _, ok := v.(*goja.Symbol); ok {
		r.TypeError("cannot convert a Symbol to a string")
	}
	return v.String()
}

// USVString converts v to a USVString (lone surrogates become U+FFFD).
// https://webidl.spec.whatwg.org/#es-USVString
func (r *Runtime) USVString(v goja.Value) string { return r.DOMString(v) }

// ByteString converts v to a ByteString: a TypeError when a code unit is
// above U+00FF; each code unit becomes one byte.
// https://webidl.spec.whatwg.org/#es-ByteString
func (r *Runtime) ByteString(v goja.Value) string {
	if _, ok := v.(*goja.Symbol); ok {
		r.TypeError("cannot convert a Symbol to a ByteString")
	}
	s := v.ToString()
	gs, ok := s.(goja.String)
	if !ok {
		return s.String()
	}
	n := gs.Length()
	b := make([]byte, n)
	for i := 0; i < n; i++ {
		c := gs.CharAt(i)
		if c > 0xFF {
			r.TypeError("%q is not a valid ByteString: it contains the code unit U+%04X", s.String(), c)
		}
		b[i] = byte(c)
	}
	return string(b)
}

// ByteStringValue converts a Go byte string to a JavaScript string with one
// code unit per byte (the inverse of ByteString).
func (r *Runtime) ByteStringValue(s string) goja.Value {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return r.vm.ToValue(s)
	}
	u := make([]uint16, len(s))
	for i := 0; i < len(s); i++ {
		u[i] = uint16(s[i])
	}
	return goja.StringFromUTF16(u)
}

// UTF16Value converts UTF-16 code units (possibly with lone surrogates) to a
// JavaScript string.
func (r *Runtime) UTF16Value(u []uint16) goja.Value { return goja.StringFromUTF16(u) }

// UTF16 returns the code units of v converted with ToString.
func (r *Runtime) UTF16(v goja.Value) []uint16 {
	s := v.ToString()
	if gs, ok := s.(goja.String); ok {
		u := make([]uint16, gs.Length())
		for i := range u {
			u[i] = gs.CharAt(i)
		}
		return u
	}
	return utf16.Encode([]rune(s.String()))
}

// Sequence converts an iterable to a list of values (a TypeError when v is
// not an object or not iterable).
// https://webidl.spec.whatwg.org/#es-sequence
func (r *Runtime) Sequence(v goja.Value, what string) []goja.Value {
	o, ok := v.(*goja.Object)
	if !ok {
		r.TypeError("%s: %s is not an iterable object", what, describe(v))
	}
	m := o.GetSymbol(goja.SymIterator)
	if m == nil || goja.IsUndefined(m) || goja.IsNull(m) {
		r.TypeError("%s: the object is not iterable (no Symbol.iterator method)", what)
	}
	var out []goja.Value
	r.vm.ForOf(o, func(x goja.Value) bool {
		out = append(out, x)
		return true
	})
	return out
}

// IsIterable reports whether v is an object with a Symbol.iterator method
// that is not undefined or null (the test WebIDL unions use).
func (r *Runtime) IsIterable(v goja.Value) (method goja.Value, ok bool) {
	o, isObj := v.(*goja.Object)
	if !isObj {
		return nil, false
	}
	m := o.GetSymbol(goja.SymIterator)
	if m == nil || goja.IsUndefined(m) || goja.IsNull(m) {
		return nil, false
	}
	if _, ok := goja.AssertFunction(m); !ok {
		r.TypeError("Symbol.iterator is not a function")
	}
	return m, true
}

// Record converts v to a record: the own enumerable properties in order,
// keys and values converted by the given functions.
// https://webidl.spec.whatwg.org/#es-record
func (r *Runtime) Record(v goja.Value, key func(goja.Value) goja.Value, value func(goja.Value) goja.Value) [][2]goja.Value {
	if _, ok := v.(*goja.Object); !ok {
		r.TypeError("%s is not an object", describe(v))
	}
	ck := r.vm.ToValue(func(fc goja.FunctionCall) goja.Value { return key(fc.Argument(0)) })
	cv := r.vm.ToValue(func(fc goja.FunctionCall) goja.Value { return value(fc.Argument(0)) })
	res, err := r.helper["record"](goja.Undefined(), v, ck, cv)
	if err != nil {
		panic(err)
	}
	var out [][2]goja.Value
	arr := res.(*goja.Object)
	n := int(arr.Get("length").ToInteger())
	for i := 0; i < n; i++ {
		p := arr.Get(fmt.Sprint(i)).(*goja.Object)
		out = append(out, [2]goja.Value{p.Get("0"), p.Get("1")})
	}
	return out
}

// Dictionary returns member name of a dictionary argument (undefined when v
// is undefined or null); a TypeError when v is another non-object.
// https://webidl.spec.whatwg.org/#es-dictionary
func (r *Runtime) Dictionary(v goja.Value, what string) *goja.Object {
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return nil
	}
	o, ok := v.(*goja.Object)
	if !ok {
		r.TypeError("%s: %s is not an object", what, describe(v))
	}
	return o
}

// Member reads a dictionary member; nil dictionary or undefined member give
// nil.
func Member(dict *goja.Object, name string) goja.Value {
	if dict == nil {
		return nil
	}
	v := dict.Get(name)
	if v == nil || goja.IsUndefined(v) {
		return nil
	}
	return v
}

// Enum converts v to a DOMString and checks it is one of values.
// https://webidl.spec.whatwg.org/#es-enumeration
func (r *Runtime) Enum(v goja.Value, what string, values ...string) string {
	s := r.DOMString(v)
	for _, x := range values {
		if s == x {
			return s
		}
	}
	r.TypeError("%s: %q is not a valid value (expected one of %q)", what, s, values)
	return ""
}

// UnsignedLongLong converts v with [EnforceRange] when enforce is set.
// https://webidl.spec.whatwg.org/#es-unsigned-long-long
func (r *Runtime) UnsignedLongLong(v goja.Value, enforce bool) uint64 {
	f := v.ToFloat()
	if enforce {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			r.TypeError("%v is not a finite number", f)
		}
		f = math.Trunc(f)
		if f < 0 || f > 1<<53-1 {
			r.TypeError("%v is outside the range of unsigned long long", f)
		}
		return uint64(f)
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	f = math.Trunc(f)
	f = math.Mod(f, 18446744073709551616)
	if f < 0 {
		f += 18446744073709551616
	}
	return uint64(f)
}

// IsCallable reports whether v is a function.
func (r *Runtime) IsCallable(v goja.Value) bool {
	_, ok := goja.AssertFunction(v)
	return ok
}

// Bytes returns the bytes a BufferSource (ArrayBuffer, typed array,
// DataView) views, sharing memory, and ok=false for other values.
func (r *Runtime) Bytes(v goja.Value) (b []byte, ok bool) {
	o, isObj := v.(*goja.Object)
	if !isObj {
		return nil, false
	}
	switch x := o.Export().(type) {
	case goja.ArrayBuffer:
		return x.Bytes(), true
	}
	if !r.isView(o) {
		return nil, false
	}
	if err := r.vm.ExportTo(o, &b); err != nil {
		return nil, false
	}
	return b, true
}

func (r *Runtime) isView(o *goja.Object) bool {
	ab := r.vm.Get("ArrayBuffer").(*goja.Object)
	isView, _ := goja.AssertFunction(ab.Get("isView"))
	res, err := isView(ab, o)
	return err == nil && res.ToBoolean()
}

// NewUint8Array returns a new Uint8Array holding a copy of b.
func (r *Runtime) NewUint8Array(b []byte) *goja.Object {
	ab := r.vm.NewArrayBuffer(append([]byte(nil), b...))
	o, err := r.vm.New(r.vm.Get("Uint8Array"), r.vm.ToValue(ab))
	if err != nil {
		panic(err)
	}
	return o
}

// NewArrayBuffer returns a new ArrayBuffer holding a copy of b.
func (r *Runtime) NewArrayBuffer(b []byte) goja.Value {
	return r.vm.ToValue(r.vm.NewArrayBuffer(append([]byte(nil), b...)))
}
