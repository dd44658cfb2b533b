package headers_test

import (
	"fmt"

	"github.com/wfetch/wfetch/headers"
)

func ExampleHeaders() {
	h, err := headers.NewFrom(headers.Pairs{
		{"Content-Type", "text/plain"},
		{"X-Custom", " padded "},
		{"x-custom", "second"},
		{"Cookie", "dropped by the request guard"},
	}, headers.GuardRequest)
	if err != nil {
		panic(err)
	}
	v, ok, _ := h.Get("X-CUSTOM")
	fmt.Printf("%q %v\n", v, ok)
	for name, value := range h.All() {
		fmt.Println(name+":", value)
	}
	// Output:
	// "padded, second" true
	// content-type: text/plain
	// x-custom: padded, second
}

func ExampleList_ExtractMIMEType() {
	l := headers.List{
		{"Content-Type", "text/html;charset=gbk;a=b"},
		{"Content-Type", "text/html;x=y"},
	}
	mt, ok := l.ExtractMIMEType()
	fmt.Println(mt, ok)
	// Output: text/html;x=y;charset=gbk true
}

func ExampleHeaders_Append_invalid() {
	err := headers.New(headers.GuardNone).Append("X-Bad", "line\nbreak")
	fmt.Println(err)
	// Output: TypeError: Headers.append: "line\nbreak" is not a valid value for header "X-Bad"
}
