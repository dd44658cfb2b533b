package headers

import (
	"iter"
	"slices"
	"strconv"

	"github.com/wfetch/wfetch/internal/errs"
)

// Guard is a headers guard: it decides which changes a Headers object
// accepts.
// https://fetch.spec.whatwg.org/#concept-headers-guard
type Guard uint8

// The headers guards.
const (
	GuardNone          Guard = iota // "none": anything valid goes
	GuardRequest                    // "request": forbidden request-headers are ignored
	GuardRequestNoCORS              // "request-no-cors": only no-CORS-safelisted headers are kept
	GuardResponse                   // "response": forbidden response-header names are ignored
	GuardImmutable                  // "immutable": every change is a TypeError
)

// String returns the guard's name in the standard ("request-no-cors", ...).
func (g Guard) String() string {
	switch g {
	case GuardNone:
		return "none"
	case GuardRequest:
		return "request"
	case GuardRequestNoCORS:
		return "request-no-cors"
	case GuardResponse:
		return "response"
	case GuardImmutable:
		return "immutable"
	}
	return "Guard(" + strconv.Itoa(int(g)) + ")"
}

// Headers is the Headers class: a header list (possibly shared with a
// request or response) and a guard. The zero value is an empty Headers
// with guard none.
// https://fetch.spec.whatwg.org/#headers-class
type Headers struct {
	list  *List
	guard Guard

	// iteration cache for All: the list the sorted entries were computed
	// from, so an unchanged list is not sorted again at each step.
	cacheFrom List
	cache     List
}

// New returns an empty Headers with the given guard. (The JavaScript
// constructor always uses GuardNone; request and response constructors
// use the others.)
func New(guard Guard) *Headers { return &Headers{list: new(List), guard: guard} }

// NewFrom returns a Headers with the given guard, filled from init. The
// guard applies while filling, as when a Request constructor fills its
// headers.
// https://fetch.spec.whatwg.org/#dom-headers
func NewFrom(init Init, guard Guard) (*Headers, error) {
	h := New(guard)
	if init != nil {
		if err := h.Fill(init); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// Wrap returns a Headers whose header list is list itself (not a copy):
// changes through the Headers are seen by list's owner and the other way
// round. Request and Response use it for their headers.
func Wrap(list *List, guard Guard) *Headers {
	if list == nil {
		list = new(List)
	}
	return &Headers{list: list, guard: guard}
}

func (h *Headers) l() *List {
	if h.list == nil {
		h.list = new(List)
	}
	return h.list
}

// List returns the header list (a pointer to it, so other packages can
// run the list algorithms, or change it without the guard's checks).
// https://fetch.spec.whatwg.org/#concept-headers-header-list
func (h *Headers) List() *List { return h.l() }

// Guard returns the headers guard.
func (h *Headers) Guard() Guard { return h.guard }

// SetGuard changes the headers guard (the request and response
// constructors set it).
func (h *Headers) SetGuard(g Guard) { h.guard = g }

// Clone returns a Headers with the same guard and a copy of the header
// list.
func (h *Headers) Clone() *Headers {
	l := h.l().Clone()
	return &Headers{list: &l, guard: h.guard}
}

// validate checks (name, value) for h: a TypeError for an invalid name or
// value or an immutable guard; false (ignore) for a forbidden
// request-header under the request guard or a forbidden response-header
// name under the response guard.
// https://fetch.spec.whatwg.org/#headers-validate
func (h *Headers) validate(op, name, value string) (bool, error) {
	// 1. Name and value must be well formed.
	if !IsValidName(name) {
		return false, errs.TypeErrorf("Headers.%s: %q is not a valid header name", op, name)
	}
	if !IsValidValue(value) {
		return false, errs.TypeErrorf("Headers.%s: %q is not a valid value for header %q", op, value, name)
	}
	// 2. Immutable throws.
	switch h.guard {
	case GuardImmutable:
		return false, errs.TypeErrorf("Headers.%s: headers are immutable (cannot change %q)", op, name)
	case GuardRequest:
		// 3. Forbidden request-headers are ignored.
		if IsForbiddenRequestHeader(name, value) {
			return false, nil
		}
	case GuardResponse:
		// 4. Forbidden response-header names are ignored.
		if IsForbiddenResponseHeaderName(name) {
			return false, nil
		}
	}
	// 5. Accepted.
	return true, nil
}

// Append normalizes value and appends (name, value), subject to the
// guard. It returns a *fetch.TypeError for an invalid name or value or an
// immutable guard; a header the guard does not allow is dropped silently.
// https://fetch.spec.whatwg.org/#concept-headers-append
func (h *Headers) Append(name, value string) error {
	// 1. Normalize.
	value = NormalizeValue(value)
	// 2. Validate.
	if ok, err := h.validate("append", name, value); !ok {
		return err
	}
	// 3. request-no-cors: the combined value must stay no-CORS-safelisted.
	if h.guard == GuardRequestNoCORS {
		tmp, ok := h.l().Get(name)
		if !ok {
			tmp = value
		} else {
			tmp = tmp + ", " + value
		}
		if !IsNoCORSSafelistedRequestHeader(name, tmp) {
			return nil
		}
	}
	// 4. Append to the list.
	h.l().Append(name, value)
	// 5. request-no-cors: drop privileged headers.
	if h.guard == GuardRequestNoCORS {
		h.RemovePrivilegedNoCORSRequestHeaders()
	}
	return nil
}

// Set normalizes value and replaces all headers named name with (name,
// value), subject to the guard (errors as for Append).
// https://fetch.spec.whatwg.org/#dom-headers-set
func (h *Headers) Set(name, value string) error {
	// 1. Normalize.
	value = NormalizeValue(value)
	// 2. Validate.
	if ok, err := h.validate("set", name, value); !ok {
		return err
	}
	// 3. request-no-cors: only no-CORS-safelisted headers.
	if h.guard == GuardRequestNoCORS && !IsNoCORSSafelistedRequestHeader(name, value) {
		return nil
	}
	// 4. Set in the list.
	h.l().Set(name, value)
	// 5. request-no-cors: drop privileged headers.
	if h.guard == GuardRequestNoCORS {
		h.RemovePrivilegedNoCORSRequestHeaders()
	}
	return nil
}

// Delete removes all headers named name, subject to the guard. It returns
// a *fetch.TypeError for an invalid name or an immutable guard.
// https://fetch.spec.whatwg.org/#dom-headers-delete
func (h *Headers) Delete(name string) error {
	// 1. Validate with an empty value.
	if ok, err := h.validate("delete", name, ""); !ok {
		return err
	}
	// 2. request-no-cors only deletes no-CORS-safelisted and privileged
	// names.
	if h.guard == GuardRequestNoCORS && !IsNoCORSSafelistedRequestHeaderName(name) &&
		!IsPrivilegedNoCORSRequestHeaderName(name) {
		return nil
	}
	// 3. Nothing to delete: stop before step 5.
	if !h.l().Contains(name) {
		return nil
	}
	// 4. Delete.
	h.l().Delete(name)
	// 5. request-no-cors: drop privileged headers.
	if h.guard == GuardRequestNoCORS {
		h.RemovePrivilegedNoCORSRequestHeaders()
	}
	return nil
}

// Get returns the values of the headers named name joined by ", ", and ok
// false when there is none (JavaScript's null). err is a *fetch.TypeError
// when name is not a valid header name.
// https://fetch.spec.whatwg.org/#dom-headers-get
func (h *Headers) Get(name string) (value string, ok bool, err error) {
	// 1. Check the name.
	if !IsValidName(name) {
		return "", false, errs.TypeErrorf("Headers.get: %q is not a valid header name", name)
	}
	// 2. Get from the list.
	value, ok = h.l().Get(name)
	return value, ok, nil
}

// Value returns the combined value of name, or "" when there is none or
// name is invalid: a convenience for Go callers that do not need to tell
// those cases apart.
func (h *Headers) Value(name string) string {
	v, _ := h.l().Get(name)
	return v
}

// GetSetCookie returns the values of all Set-Cookie headers, in order and
// not combined (an empty, non-nil slice when there is none).
// https://fetch.spec.whatwg.org/#dom-headers-getsetcookie
func (h *Headers) GetSetCookie() []string {
	// 1-2. All Set-Cookie values, or « ».
	v := h.l().Values("Set-Cookie")
	if v == nil {
		v = []string{}
	}
	return v
}

// Has reports whether there is a header named name; err is a
// *fetch.TypeError when name is not a valid header name.
// https://fetch.spec.whatwg.org/#dom-headers-has
func (h *Headers) Has(name string) (bool, error) {
	// 1. Check the name.
	if !IsValidName(name) {
		return false, errs.TypeErrorf("Headers.has: %q is not a valid header name", name)
	}
	// 2. Look it up.
	return h.l().Contains(name), nil
}

// RemovePrivilegedNoCORSRequestHeaders deletes the privileged no-CORS
// request-headers (Range) from the header list.
// https://fetch.spec.whatwg.org/#concept-headers-remove-privileged-no-cors-request-headers
func (h *Headers) RemovePrivilegedNoCORSRequestHeaders() {
	for _, n := range PrivilegedNoCORSRequestHeaderNames {
		h.l().Delete(n)
	}
}

// Entries returns a fresh copy of the pairs Headers iterates over: the
// header list sorted and combined (lowercased names, set-cookie kept
// separate). A JavaScript iterator binding calls it at every next() and
// indexes into it, as the standard's iterator does.
// https://fetch.spec.whatwg.org/#concept-header-list-sort-and-combine
func (h *Headers) Entries() []Field { return h.l().SortAndCombine() }

// sorted returns the sorted-and-combined list, recomputing it only when
// the header list changed since the last call.
func (h *Headers) sorted() List {
	cur := *h.l()
	if h.cache == nil || !slices.Equal(cur, h.cacheFrom) {
		h.cacheFrom = slices.Clone(cur)
		h.cache = cur.SortAndCombine()
		if h.cache == nil {
			h.cache = List{}
		}
	}
	return h.cache
}

// All iterates over the sorted-and-combined pairs like the JavaScript
// iterator: it keeps an index and looks at the current header list at
// each step, so changes made while iterating are seen (a header added
// ahead of the index is reached; one removed before it shifts the rest).
// https://webidl.spec.whatwg.org/#es-iterable
func (h *Headers) All() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for i := 0; ; i++ {
			s := h.sorted()
			if i >= len(s) {
				return
			}
			if !yield(s[i].Name, s[i].Value) {
				return
			}
		}
	}
}

// Keys iterates over the names All yields.
func (h *Headers) Keys() iter.Seq[string] {
	return func(yield func(string) bool) {
		for k := range h.All() {
			if !yield(k) {
				return
			}
		}
	}
}

// Values iterates over the values All yields.
func (h *Headers) Values() iter.Seq[string] {
	return func(yield func(string) bool) {
		for _, v := range h.All() {
			if !yield(v) {
				return
			}
		}
	}
}
