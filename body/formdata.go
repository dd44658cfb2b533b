package body

import "iter"

// FormData is an ordered list of name-value entries whose values are
// strings or Files. It is not safe for concurrent mutation.
// https://xhr.spec.whatwg.org/#interface-formdata
type FormData struct {
	entries []FormDataEntry
}

// FormDataEntry is one entry of a FormData's entry list.
// https://html.spec.whatwg.org/multipage/form-control-infrastructure.html#form-entry-list
type FormDataEntry struct {
	Name  string
	Value FormDataValue
}

// FormDataValue is a FormDataEntryValue: a string, or (when File is
// non-nil) a File.
type FormDataValue struct {
	String string
	File   *File
}

// IsFile reports whether the value is a File.
func (v FormDataValue) IsFile() bool { return v.File != nil }

// NewFormData returns an empty FormData.
// https://xhr.spec.whatwg.org/#dom-formdata
func NewFormData() *FormData { return &FormData{} }

// createStringEntry creates an entry with a string value.
// https://html.spec.whatwg.org/multipage/form-control-infrastructure.html#create-an-entry
func createStringEntry(name, value string) FormDataEntry {
	// 1-2. Name and value as scalar value strings.
	return FormDataEntry{Name: toScalarValues(name), Value: FormDataValue{String: toScalarValues(value)}}
}

// createBlobEntry creates an entry with a File value from a blob or file.
// https://html.spec.whatwg.org/multipage/form-control-infrastructure.html#create-an-entry
func createBlobEntry(name string, blob *Blob, file *File, filename []string) FormDataEntry {
	// 1. The name as a scalar value string.
	e := FormDataEntry{Name: toScalarValues(name)}
	// 3.1. A Blob that is not a File becomes a File named "blob".
	if file == nil {
		file = &File{Blob: *blob, name: "blob", lastModified: nowMillis()}
	}
	// 3.2. A given filename makes a new File with that name.
	if len(filename) > 0 {
		file = &File{Blob: file.Blob, name: toScalarValues(filename[0]), lastModified: file.lastModified}
	}
	e.Value.File = file
	return e
}

// Append adds an entry with a string value.
// https://xhr.spec.whatwg.org/#dom-formdata-append
func (f *FormData) Append(name, value string) {
	f.entries = append(f.entries, createStringEntry(name, value))
}

// AppendBlob adds an entry whose value is blob as a File named filename
// (if given) or "blob".
// https://xhr.spec.whatwg.org/#dom-formdata-append-blob
func (f *FormData) AppendBlob(name string, blob *Blob, filename ...string) {
	f.entries = append(f.entries, createBlobEntry(name, blob, nil, filename))
}

// AppendFile adds an entry whose value is file, renamed to filename if
// given. https://xhr.spec.whatwg.org/#dom-formdata-append-blob
func (f *FormData) AppendFile(name string, file *File, filename ...string) {
	f.entries = append(f.entries, createBlobEntry(name, nil, file, filename))
}

// Delete removes every entry named name.
// https://xhr.spec.whatwg.org/#dom-formdata-delete
func (f *FormData) Delete(name string) {
	name = toScalarValues(name)
	out := f.entries[:0]
	for _, e := range f.entries {
		if e.Name != name {
			out = append(out, e)
		}
	}
	clear(f.entries[len(out):])
	f.entries = out
}

// Get returns the value of the first entry named name; ok is false when
// there is none (null).
// https://xhr.spec.whatwg.org/#dom-formdata-get
func (f *FormData) Get(name string) (v FormDataValue, ok bool) {
	name = toScalarValues(name)
	for _, e := range f.entries {
		if e.Name == name {
			return e.Value, true
		}
	}
	return FormDataValue{}, false
}

// GetAll returns the values of all entries named name, in order.
// https://xhr.spec.whatwg.org/#dom-formdata-getall
func (f *FormData) GetAll(name string) []FormDataValue {
	name = toScalarValues(name)
	out := []FormDataValue{}
	for _, e := range f.entries {
		if e.Name == name {
			out = append(out, e.Value)
		}
	}
	return out
}

// Has reports whether an entry is named name.
// https://xhr.spec.whatwg.org/#dom-formdata-has
func (f *FormData) Has(name string) bool {
	_, ok := f.Get(name)
	return ok
}

// Set replaces the first entry named name with a string entry and removes
// the others, or appends when there is none.
// https://xhr.spec.whatwg.org/#dom-formdata-set
func (f *FormData) Set(name, value string) { f.set(createStringEntry(name, value)) }

// SetBlob is Set with a blob value (see AppendBlob).
// https://xhr.spec.whatwg.org/#dom-formdata-set-blob
func (f *FormData) SetBlob(name string, blob *Blob, filename ...string) {
	f.set(createBlobEntry(name, blob, nil, filename))
}

// SetFile is Set with a file value (see AppendFile).
// https://xhr.spec.whatwg.org/#dom-formdata-set-blob
func (f *FormData) SetFile(name string, file *File, filename ...string) {
	f.set(createBlobEntry(name, nil, file, filename))
}

// set runs steps 3-4 of the set() method steps.
func (f *FormData) set(e FormDataEntry) {
	// 3. Replace the first entry of that name, drop the rest.
	for i := range f.entries {
		if f.entries[i].Name == e.Name {
			f.entries[i] = e
			out := f.entries[:i+1]
			for _, x := range f.entries[i+1:] {
				if x.Name != e.Name {
					out = append(out, x)
				}
			}
			clear(f.entries[len(out):])
			f.entries = out
			return
		}
	}
	// 4. Otherwise append.
	f.entries = append(f.entries, e)
}

// Entries returns a copy of the entry list, in order.
func (f *FormData) Entries() []FormDataEntry {
	return append([]FormDataEntry(nil), f.entries...)
}

// All iterates over the entries in order (the FormData iterable).
func (f *FormData) All() iter.Seq2[string, FormDataValue] {
	return func(yield func(string, FormDataValue) bool) {
		for _, e := range f.entries {
			if !yield(e.Name, e.Value) {
				return
			}
		}
	}
}

// Len returns the number of entries.
func (f *FormData) Len() int { return len(f.entries) }
