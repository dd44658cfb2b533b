package headers

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzHeaderValue checks the header value algorithms on arbitrary bytes:
// normalize is idempotent and yields a valid value exactly when no NUL, CR
// or LF is left inside; get, decode, and split yields items without
// surrounding tabs or spaces whose count matches the commas outside quoted
// strings.
func FuzzHeaderValue(f *testing.F) {
	for _, s := range []string{"", "text/html", " \t a, b \r\n", `"a,b", c`, `x, "unterminated`,
		"a\x00b", "\xff\xfe, é", `"\"", \`, ",,,", "a\rb", " \x0b "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		n := NormalizeValue(v)
		if NormalizeValue(n) != n {
			t.Fatalf("NormalizeValue not idempotent: %q -> %q -> %q", v, n, NormalizeValue(n))
		}
		if !strings.Contains(v, n) {
			t.Fatalf("NormalizeValue(%q) = %q is not a substring", v, n)
		}
		if want := !strings.ContainsAny(n, "\x00\r\n"); IsValidValue(n) != want {
			t.Fatalf("IsValidValue(NormalizeValue(%q)) = %v, want %v", v, !want, want)
		}
		if IsValidValue(v) && n != v {
			t.Fatalf("valid value %q changed by NormalizeValue to %q", v, n)
		}
		items := getDecodeSplitBytes(v)
		if len(items) == 0 {
			t.Fatalf("get, decode, and split of %q returned no item", v)
		}
		for _, it := range items {
			if it != trimTabSpace(it) {
				t.Fatalf("item %q of %q is not trimmed", it, v)
			}
		}
		if commas := unquotedCommas(v); len(items) != commas+1 {
			t.Fatalf("%q: %d items for %d unquoted commas: %q", v, len(items), commas, items)
		}
		dec := GetDecodeSplitValue(v)
		if len(dec) != len(items) {
			t.Fatalf("GetDecodeSplitValue(%q) has %d items, the byte form %d", v, len(dec), len(items))
		}
		for i := range dec {
			if dec[i] != isomorphicDecode(items[i]) {
				t.Fatalf("item %d: %q is not the isomorphic decode of %q", i, dec[i], items[i])
			}
		}
	})
}

// unquotedCommas counts the commas of v outside quoted strings as
// "collect an HTTP quoted string" delimits them (a backslash escapes the
// next byte; an unterminated string runs to the end).
func unquotedCommas(v string) int {
	n, quoted := 0, false
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case c == ',' && !quoted:
			n++
		}
	}
	return n
}

// FuzzHeadersOps runs a sequence of Headers operations (append, set,
// delete, get, has) decoded from the input against a model of the header
// list, under the "none" guard, and checks that the Headers agree with the
// model after each step, that iteration is sorted and combined, and that
// the net/http round trip keeps the list.
func FuzzHeadersOps(f *testing.F) {
	f.Add([]byte("\x00Content-Type\x00text/plain\x01content-type\x00 text/html \x00\x03CONTENT-TYPE\x00"))
	f.Add([]byte("\x00Set-Cookie\x00a=1\x00Set-Cookie\x00b=2\x02set-cookie\x00\x00x\x00\x01"))
	f.Add([]byte("\x00a b\x00v\x00a\x00\x00\x01a\x00x\ny\x02A\x00"))
	f.Add([]byte("\x00Accept\x00*/*\x00Accept\x00text/html\x03accept\x00\x04ACCEPT\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h := New(GuardNone)
		var model []Field // names as first given, values normalized
		ops := strings.Split(string(data), "\x00")
		for i := 0; i+1 < len(ops) && i < 200; i += 2 {
			op, name := byte(0), ops[i]
			if len(name) > 0 {
				op, name = name[0]%5, name[1:]
			}
			value := ops[i+1]
			nv := NormalizeValue(value)
			valid := IsValidName(name) && IsValidValue(nv)
			var err error
			switch op {
			case 0:
				err = h.Append(name, value)
				if valid {
					if j := modelIndex(model, name); j >= 0 {
						name = model[j].Name
					}
					model = append(model, Field{name, nv})
				}
			case 1:
				err = h.Set(name, value)
				if valid {
					if j := modelIndex(model, name); j >= 0 {
						model[j].Value = nv
						rest := slices.DeleteFunc(slices.Clone(model[j+1:]), func(f Field) bool { return strings.EqualFold(f.Name, name) })
						model = append(model[:j+1], rest...)
					} else {
						model = append(model, Field{name, nv})
					}
				}
			case 2:
				err = h.Delete(name)
				valid = IsValidName(name)
				if valid {
					model = slices.DeleteFunc(model, func(f Field) bool { return strings.EqualFold(f.Name, name) })
				}
			case 3:
				got, ok, gerr := h.Get(name)
				err = gerr
				valid = IsValidName(name)
				var vals []string
				for _, f := range model {
					if strings.EqualFold(f.Name, name) {
						vals = append(vals, f.Value)
					}
				}
				if valid && (ok != (vals != nil) || got != strings.Join(vals, ", ")) {
					t.Fatalf("Get(%q) = %q, %v; model says %q", name, got, ok, vals)
				}
			case 4:
				has, herr := h.Has(name)
				err = herr
				valid = IsValidName(name)
				if valid && has != (modelIndex(model, name) >= 0) {
					t.Fatalf("Has(%q) = %v, model %v", name, has, model)
				}
			}
			if (err == nil) != valid {
				t.Fatalf("op %d (%q, %q): err %v, want an error: %v", op, name, value, err, !valid)
			}
			if got := []Field(*h.List()); !slices.Equal(model, got) {
				t.Fatalf("after op %d (%q, %q): list %q, model %q", op, name, value, got, model)
			}
		}
		// Iteration: sorted, lowercase, combined except set-cookie, and
		// the same headers as the list.
		entries := h.Entries()
		if !slices.IsSortedFunc(entries, func(a, b Field) int { return strings.Compare(a.Name, b.Name) }) {
			t.Fatalf("Entries not sorted: %q", entries)
		}
		for i, e := range entries {
			if e.Name != strings.ToLower(e.Name) {
				t.Fatalf("Entries name %q not lowercase", e.Name)
			}
			if i > 0 && e.Name == entries[i-1].Name && e.Name != "set-cookie" {
				t.Fatalf("Entries has %q twice", e.Name)
			}
			if e.Name != "set-cookie" {
				if v, _ := h.List().Get(e.Name); v != e.Value {
					t.Fatalf("Entries %q = %q, Get %q", e.Name, e.Value, v)
				}
			}
		}
		if got, want := len(h.GetSetCookie()), len(h.List().Values("set-cookie")); got != want {
			t.Fatalf("GetSetCookie has %d values, the list %d", got, want)
		}
		// net/http round trip: the same sorted-and-combined list.
		back := FromHTTP(h.List().HTTP())
		if diff := cmp.Diff(h.List().SortAndCombine(), back.SortAndCombine()); diff != "" {
			t.Fatalf("net/http round trip changed the list (-before +after)\n%s", diff)
		}
	})
}

func modelIndex(model []Field, name string) int {
	return slices.IndexFunc(model, func(f Field) bool { return strings.EqualFold(f.Name, name) })
}
