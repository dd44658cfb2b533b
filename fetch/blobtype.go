package fetch

import "github.com/wfetch/wfetch/internal/mime"

// blobResponseType is the Content-Type a blob URL's response carries for a
// blob of type t: t itself when it is a parsable MIME type, the empty
// string otherwise.
//
// The Fetch Standard's blob branch of scheme fetch copies the blob's type
// as is; the File API says a Blob's type is "a parsable MIME type, or the
// empty string" (https://w3c.github.io/FileAPI/#dfn-type), while its
// constructor keeps any printable ASCII string. Browsers and WPT
// (fetch/api/basic/scheme-blob.sub.any.js, "invalid_type_blob") treat an
// unparsable type like no type; see whatwg/fetch#1693. Blob.Type itself is
// left as the constructor set it.
func blobResponseType(t string) string {
	if t == "" {
		return ""
	}
	if _, ok := mime.Parse(t); !ok {
		return ""
	}
	return t
}
