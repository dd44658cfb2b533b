package headers

import "github.com/wfetch/wfetch/internal/mime"

// MIMEType is a parsed MIME type (MIME Sniffing §4.1: type, subtype and
// parameters, with Essence, Param and Bytes to serialize it), as
// List.ExtractMIMEType returns it. It is re-exported here so callers can
// name it; the parser lives in an internal package.
// https://mimesniff.spec.whatwg.org/#mime-type-representation
type MIMEType = mime.Type

// ParseMIMEType parses a MIME type string (MIME Sniffing's "parse a MIME
// type"); ok is false when it is not one.
// https://mimesniff.spec.whatwg.org/#parse-a-mime-type
func ParseMIMEType(s string) (t *MIMEType, ok bool) { return mime.Parse(s) }
