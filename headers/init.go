package headers

import (
	"slices"

	"github.com/wfetch/wfetch/internal/errs"
)

// Init is what a Headers can be filled from (JavaScript's HeadersInit):
// Map, Record, Pairs, *Headers, List or *List. A nil Init (or nil
// pointer) adds nothing.
// https://fetch.spec.whatwg.org/#typedefdef-headersinit
type Init interface {
	fill(h *Headers) error
}

// Map is a record of header names to values. Go maps have no order, so
// Map fills in bytewise order of its keys; use Record to keep an order.
type Map map[string]string

// Record is an ordered record of header names to values, as a JavaScript
// object literal gives them: each Field is appended in order.
type Record []Field

// Pairs is a sequence of [name, value] pairs (JavaScript's
// sequence<sequence<ByteString>>). An inner slice whose length is not 2 is
// a TypeError, as in JavaScript.
type Pairs [][]string

// Fill appends the headers of init to h, each through Append (so the guard
// applies and values are normalized). It stops at the first error.
// https://fetch.spec.whatwg.org/#concept-headers-fill
func (h *Headers) Fill(init Init) error {
	switch v := init.(type) {
	case nil:
		return nil
	case *List:
		if v == nil {
			return nil
		}
	case *Headers:
		if v == nil {
			return nil
		}
	}
	return init.fill(h)
}

// fill: 2. a record appends each key and value.
func (m Map) fill(h *Headers) error {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if err := h.Append(k, m[k]); err != nil {
			return err
		}
	}
	return nil
}

// fill: 2. a record appends each key and value, in order.
func (r Record) fill(h *Headers) error {
	for _, f := range r {
		if err := h.Append(f.Name, f.Value); err != nil {
			return err
		}
	}
	return nil
}

// fill: 1. a sequence checks each pair's size, then appends it.
func (p Pairs) fill(h *Headers) error {
	for i, pair := range p {
		// 1.1 Exactly a name and a value.
		if len(pair) != 2 {
			return errs.TypeErrorf("Headers: init pair %d has %d items, want 2 (name and value)", i, len(pair))
		}
		// 1.2 Append.
		if err := h.Append(pair[0], pair[1]); err != nil {
			return err
		}
	}
	return nil
}

// fill from another Headers: JavaScript sees a Headers as an iterable of
// its sorted-and-combined pairs, so those are appended.
func (o *Headers) fill(h *Headers) error {
	for _, f := range o.Entries() {
		if err := h.Append(f.Name, f.Value); err != nil {
			return err
		}
	}
	return nil
}

// fill from a header list: each header is appended as is (names keep their
// casing, values are not combined), as the Request constructor does with
// another request's headers.
func (l List) fill(h *Headers) error {
	for _, f := range slices.Clone(l) {
		if err := h.Append(f.Name, f.Value); err != nil {
			return err
		}
	}
	return nil
}
