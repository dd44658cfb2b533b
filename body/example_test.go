package body_test

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/wfetch/wfetch/body"
	"github.com/wfetch/wfetch/internal/mime"
)

func ExampleExtract() {
	b, contentType, err := body.Extract("hello", false)
	if err != nil {
		panic(err)
	}
	fmt.Println(contentType, b.Length)
	data, _ := b.FullyRead()
	fmt.Println(string(data))
	// Output:
	// text/plain;charset=UTF-8 5
	// hello
}

func ExampleReader() {
	// Stream a body of unknown length in constant memory.
	b, _, _ := body.Extract(strings.NewReader("streamed bytes\n"), false)
	r, _ := b.Stream.GetReader()
	defer r.Close()
	io.Copy(os.Stdout, r)
	fmt.Println(b.Stream.State(), b.Stream.Disturbed())
	// Output:
	// streamed bytes
	// closed true
}

func ExampleMixin() {
	b, ct, _ := body.Extract(`{"n": 1}`, false)
	m := body.NewMixin(b, func() *mime.Type { t, _ := mime.Parse(ct); return t })
	var v struct{ N int }
	fmt.Println(m.JSON(&v), v.N, m.BodyUsed())
	_, err := m.Text()
	fmt.Println(err)
	// Output:
	// <nil> 1 true
	// TypeError: body has already been used
}

func ExampleFormData() {
	fd := body.NewFormData()
	fd.Append("name", "value")
	f, _ := body.NewFile([]any{"file contents"}, "notes.txt", body.FileOptions{Type: "text/plain"})
	fd.AppendFile("upload", f)

	b, ct, _ := body.Extract(fd, false)
	m := body.NewMixin(b, func() *mime.Type { t, _ := mime.Parse(ct); return t })
	back, _ := m.FormData()
	for name, v := range back.All() {
		if v.IsFile() {
			fmt.Printf("%s: file %s (%s) %q\n", name, v.File.Name(), v.File.Type(), v.File.Text())
		} else {
			fmt.Printf("%s: %q\n", name, v.String)
		}
	}
	// Output:
	// name: "value"
	// upload: file notes.txt (text/plain) "file contents"
}

func ExampleBlob_Slice() {
	blob, _ := body.NewBlob([]any{"0123456789"}, body.BlobOptions{Type: "text/plain"})
	fmt.Println(blob.Slice(-4, -1, "").Text(), blob.Slice(2, 5, "Text/X").Type())
	// Output: 678 text/x
}
