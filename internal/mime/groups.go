package mime

import "strings"

// IsImage reports whether t is an image MIME type (type "image").
// https://mimesniff.spec.whatwg.org/#image-mime-type
func (t *Type) IsImage() bool { return t.Type == "image" }

// IsAudioOrVideo reports whether t is an audio or video MIME type.
// https://mimesniff.spec.whatwg.org/#audio-or-video-mime-type
func (t *Type) IsAudioOrVideo() bool {
	return t.Type == "audio" || t.Type == "video" || t.Essence() == "application/ogg"
}

// IsFont reports whether t is a font MIME type.
// https://mimesniff.spec.whatwg.org/#font-mime-type
func (t *Type) IsFont() bool {
	if t.Type == "font" {
		return true
	}
	switch t.Essence() {
	case "application/font-cff", "application/font-otf", "application/font-sfnt",
		"application/font-ttf", "application/font-woff", "application/vnd.ms-fontobject",
		"application/vnd.ms-opentype":
		return true
	}
	return false
}

// IsZIPBased reports whether t is a ZIP-based MIME type.
// https://mimesniff.spec.whatwg.org/#zip-based-mime-type
func (t *Type) IsZIPBased() bool {
	return strings.HasSuffix(t.Subtype, "+zip") || t.Essence() == "application/zip"
}

// IsArchive reports whether t is an archive MIME type.
// https://mimesniff.spec.whatwg.org/#archive-mime-type
func (t *Type) IsArchive() bool {
	switch t.Essence() {
	case "application/x-rar-compressed", "application/zip", "application/x-gzip":
		return true
	}
	return false
}

// IsXML reports whether t is an XML MIME type.
// https://mimesniff.spec.whatwg.org/#xml-mime-type
func (t *Type) IsXML() bool {
	if strings.HasSuffix(t.Subtype, "+xml") {
		return true
	}
	e := t.Essence()
	return e == "text/xml" || e == "application/xml"
}

// IsHTML reports whether t is an HTML MIME type (text/html).
// https://mimesniff.spec.whatwg.org/#html-mime-type
func (t *Type) IsHTML() bool { return t.Type == "text" && t.Subtype == "html" }

// IsScriptable reports whether t is a scriptable MIME type: XML, HTML or
// application/pdf.
// https://mimesniff.spec.whatwg.org/#scriptable-mime-type
func (t *Type) IsScriptable() bool {
	return t.IsXML() || t.IsHTML() || t.Essence() == "application/pdf"
}

var javaScriptEssences = []string{
	"application/ecmascript", "application/javascript", "application/x-ecmascript",
	"application/x-javascript", "text/ecmascript", "text/javascript", "text/javascript1.0",
	"text/javascript1.1", "text/javascript1.2", "text/javascript1.3", "text/javascript1.4",
	"text/javascript1.5", "text/jscript", "text/livescript", "text/x-ecmascript",
	"text/x-javascript",
}

// IsJavaScript reports whether t is a JavaScript MIME type.
// https://mimesniff.spec.whatwg.org/#javascript-mime-type
func (t *Type) IsJavaScript() bool { return IsJavaScriptEssenceMatch(t.Essence()) }

// IsJavaScriptEssenceMatch reports whether s is an ASCII case-insensitive
// match for one of the JavaScript MIME type essences.
// https://mimesniff.spec.whatwg.org/#javascript-mime-type-essence-match
func IsJavaScriptEssenceMatch(s string) bool {
	for _, e := range javaScriptEssences {
		if EqualFold(s, e) {
			return true
		}
	}
	return false
}

// IsJSON reports whether t is a JSON MIME type.
// https://mimesniff.spec.whatwg.org/#json-mime-type
func (t *Type) IsJSON() bool {
	if strings.HasSuffix(t.Subtype, "+json") {
		return true
	}
	e := t.Essence()
	return e == "application/json" || e == "text/json"
}

// IsJavaScript reports whether t is non-nil and a JavaScript MIME type.
func IsJavaScript(t *Type) bool { return t != nil && t.IsJavaScript() }

// IsJSON reports whether t is non-nil and a JSON MIME type.
func IsJSON(t *Type) bool { return t != nil && t.IsJSON() }

// IsXML reports whether t is non-nil and an XML MIME type.
func IsXML(t *Type) bool { return t != nil && t.IsXML() }

// IsHTML reports whether t is non-nil and an HTML MIME type.
func IsHTML(t *Type) bool { return t != nil && t.IsHTML() }

// IsScriptable reports whether t is non-nil and a scriptable MIME type.
func IsScriptable(t *Type) bool { return t != nil && t.IsScriptable() }
