package weburl

import (
	"strings"
	"unicode/utf8"
)

// state is a state of the basic URL parser's state machine.
type state uint8

// The parser states; stateNone means "no state override".
// https://url.spec.whatwg.org/#concept-basic-url-parser
const (
	stateNone state = iota
	stateSchemeStart
	stateScheme
	stateNoScheme
	stateSpecialRelativeOrAuthority
	statePathOrAuthority
	stateRelative
	stateRelativeSlash
	stateSpecialAuthoritySlashes
	stateSpecialAuthorityIgnoreSlashes
	stateAuthority
	stateHost
	stateHostname
	statePort
	stateFile
	stateFileSlash
	stateFileHost
	statePathStart
	statePath
	stateOpaquePath
	stateQuery
	stateFragment
)

const eof = -1

func isASCIIAlpha(c int) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }
func isASCIIDigit(c int) bool { return '0' <= c && c <= '9' }

// isWindowsDriveLetter: an ASCII alpha followed by ":" or "|".
// https://url.spec.whatwg.org/#windows-drive-letter
func isWindowsDriveLetter(s []byte) bool {
	return len(s) == 2 && isASCIIAlpha(int(s[0])) && (s[1] == ':' || s[1] == '|')
}

// startsWithWindowsDriveLetter: a drive letter followed by the end or one
// of "/", "\", "?", "#".
// https://url.spec.whatwg.org/#start-with-a-windows-drive-letter
func startsWithWindowsDriveLetter(s string) bool {
	if len(s) < 2 || !isASCIIAlpha(int(s[0])) || (s[1] != ':' && s[1] != '|') {
		return false
	}
	if len(s) == 2 {
		return true
	}
	switch s[2] {
	case '/', '\\', '?', '#':
		return true
	}
	return false
}

// firstSegmentIsNormalizedDriveLetter reports whether the serialized
// path's first segment is a normalized Windows drive letter; it returns
// that segment with its leading "/".
func firstSegmentIsNormalizedDriveLetter(path string) (string, bool) {
	if len(path) >= 3 && path[0] == '/' && isASCIIAlpha(int(path[1])) && path[2] == ':' &&
		(len(path) == 3 || path[3] == '/') {
		return path[:3], true
	}
	return "", false
}

// hostDelimiter marks the bytes that end a run in the host state.
var hostDelimiter = [256]bool{':': true, '/': true, '?': true, '#': true, '\\': true, '[': true, ']': true}

// cleanStop marks the bytes cleanInput must look at: non-ASCII, tab and
// newlines.
var cleanStop = [256]bool{'\t': true, '\n': true, '\r': true}

func init() {
	for c := 0x80; c < 256; c++ {
		cleanStop[c] = true
	}
}

// pathStop marks the bytes the path state must look at: delimiters and
// bytes in the path percent-encode set.
var pathStop [256]bool

func init() {
	for c := 0; c < 256; c++ {
		pathStop[c] = PathSet.hasByte(byte(c)) || c == '/' || c == '\\' || c == '?' || c == '#'
	}
}

// isSingleDot: "." or "%2e", case-insensitively.
// https://url.spec.whatwg.org/#single-dot-path-segment
func isSingleDot(b []byte) bool {
	switch len(b) {
	case 1:
		return b[0] == '.'
	case 3:
		return b[0] == '%' && b[1] == '2' && b[2]|0x20 == 'e'
	}
	return false
}

// isDoubleDot: "..", ".%2e", "%2e." or "%2e%2e", case-insensitively.
// https://url.spec.whatwg.org/#double-dot-path-segment
func isDoubleDot(b []byte) bool {
	switch len(b) {
	case 2:
		return b[0] == '.' && b[1] == '.'
	case 4:
		return b[0] == '.' && isSingleDot(b[1:]) || b[3] == '.' && isSingleDot(b[:3])
	case 6:
		return isSingleDot(b[:3]) && isSingleDot(b[3:])
	}
	return false
}

// shortenPath removes the last segment of a serialized path, except a lone
// normalized drive letter of a file URL.
// https://url.spec.whatwg.org/#shorten-a-urls-path
func shortenPath(path []byte, scheme string) []byte {
	if scheme == "file" && len(path) == 3 && path[0] == '/' && isASCIIAlpha(int(path[1])) && path[2] == ':' {
		return path
	}
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[:i]
		}
	}
	return path[:0]
}

func appendEncodedByte(dst []byte, c byte, set *EncodeSet) []byte {
	if set.hasByte(c) {
		return append(dst, '%', upperHex[c>>4], upperHex[c&15])
	}
	return append(dst, c)
}

func appendEncoded(dst []byte, s []byte, set *EncodeSet) []byte {
	for _, c := range s {
		dst = appendEncodedByte(dst, c, set)
	}
	return dst
}

// schemeString returns a constant for the common schemes, so parsing does
// not allocate for them.
func schemeString(b []byte) string {
	switch string(b) {
	case "http":
		return "http"
	case "https":
		return "https"
	case "ws":
		return "ws"
	case "wss":
		return "wss"
	case "ftp":
		return "ftp"
	case "file":
		return "file"
	case "blob":
		return "blob"
	case "data":
		return "data"
	case "about":
		return "about"
	case "javascript":
		return "javascript"
	case "mailto":
		return "mailto"
	}
	return string(b)
}

// fromInput returns b as a string, reusing input's bytes when b equals
// input[start:start+len(b)], so the common case does not allocate.
func fromInput(b []byte, input string, start int) string {
	switch string(b) {
	case "":
		return ""
	case "/":
		return "/"
	}
	if start >= 0 && start+len(b) <= len(input) && string(b) == input[start:start+len(b)] {
		return input[start : start+len(b)]
	}
	return string(b)
}

// cleanInput replaces invalid UTF-8 with U+FFFD (the USVString
// conversion), and removes tabs and newlines; trim also strips leading and
// trailing C0 controls and spaces.
func cleanInput(input string, trim bool) string {
	// Fast path: nothing to trim, no tab or newline, all ASCII.
	if n := len(input); n > 0 && (!trim || input[0] > 0x20 && input[n-1] > 0x20) {
		i := 0
		for i < n && !cleanStop[input[i]] {
			i++
		}
		if i == n {
			return input
		}
	}
	for i := 0; i < len(input); i++ {
		if input[i] >= utf8.RuneSelf {
			if !utf8.ValidString(input[i:]) {
				input = strings.ToValidUTF8(input, "\uFFFD")
			}
			break
		}
	}
	if trim {
		i, j := 0, len(input)
		for i < j && input[i] <= 0x20 {
			i++
		}
		for j > i && input[j-1] <= 0x20 {
			j--
		}
		input = input[i:j]
	}
	for i := 0; i < len(input); i++ {
		if c := input[i]; c == '\t' || c == '\n' || c == '\r' {
			b := make([]byte, 0, len(input))
			for j := 0; j < len(input); j++ {
				if c := input[j]; c != '\t' && c != '\n' && c != '\r' {
					b = append(b, c)
				}
			}
			return string(b)
		}
	}
	return input
}

// basicParse is the basic URL parser. With url and override set it
// modifies url in place (the setters); ok=false is failure.
// https://url.spec.whatwg.org/#concept-basic-url-parser
func basicParse(input string, base, url *URL, override state) (_ *URL, ok bool) {
	// 1-3. A fresh URL gets its input trimmed; tabs and newlines always go.
	if url == nil {
		url = &URL{port: -1}
	}
	input = cleanInput(input, override == stateNone)
	// 4. Start state.
	st := override
	if st == stateNone {
		st = stateSchemeStart
	}
	// 5. Only UTF-8 is supported (the encoding argument is left out).
	// 6-8. Buffer, flags, pointer.
	var bufArr, pathArr, auxArr, fragArr [128]byte
	buf := bufArr[:0]
	bufStart := -1
	atSignSeen, insideBrackets, passwordTokenSeen := false, false, false

	// Path, query and fragment are built in byte buffers and stored into
	// url when the machine ends.
	path := pathArr[:0]
	pathSet := false
	pathStart := -1
	var query, fragment []byte
	queryStart, fragmentStart := -1, -1
	querySet, fragmentSet := false, false
	special := url.special
	switch override {
	case stateQuery:
		querySet, queryStart = true, 0
	case stateFragment:
		fragmentSet, fragmentStart = true, 0
	}

	setScheme := func(s string) {
		url.scheme = s
		_, url.special = specialPort(s)
		special = url.special
	}
	copyAuthority := func() {
		url.username, url.password = base.username, base.password
		url.host, url.hostKind, url.port = base.host, base.hostKind, base.port
	}
	setPath := func(p string) {
		path = append(path[:0], p...)
		pathSet = true
	}

	p := 0
	// 9. Run the state machine until the pointer passes the end.
	for ; ; p++ {
		c := eof
		if p < len(input) {
			c = int(input[p])
		}
		switch st {
		// https://url.spec.whatwg.org/#scheme-start-state
		case stateSchemeStart:
			if isASCIIAlpha(c) {
				buf = append(buf, byte(c|0x20))
				st = stateScheme
			} else if override == stateNone {
				st = stateNoScheme
				p--
			} else {
				return nil, false
			}

		// https://url.spec.whatwg.org/#scheme-state
		case stateScheme:
			if isASCIIAlpha(c) || isASCIIDigit(c) || c == '+' || c == '-' || c == '.' {
				// Take the whole run of scheme code points at once.
				for ; p < len(input); p++ {
					c = int(input[p])
					if isASCIIAlpha(c) {
						c |= 0x20
					} else if !isASCIIDigit(c) && c != '+' && c != '-' && c != '.' {
						break
					}
					buf = append(buf, byte(c))
				}
				p--
			} else if c == ':' {
				scheme := schemeString(buf)
				_, newSpecial := specialPort(scheme)
				// Setter restrictions: special-ness cannot change, file
				// cannot get credentials or a port, nor lose an empty host.
				if override != stateNone {
					if url.special != newSpecial {
						return url, true
					}
					if (url.HasCredentials() || url.port >= 0) && scheme == "file" {
						return url, true
					}
					if url.scheme == "file" && url.hostKind == HostEmpty {
						return url, true
					}
				}
				setScheme(scheme)
				if override != stateNone {
					if def, _ := specialPort(url.scheme); url.port == def {
						url.port = -1
					}
					return url, true
				}
				buf = buf[:0]
				rest := input[p+1:]
				switch {
				case url.scheme == "file":
					st = stateFile
				case special && base != nil && base.scheme == url.scheme:
					st = stateSpecialRelativeOrAuthority
				case special:
					st = stateSpecialAuthoritySlashes
				case strings.HasPrefix(rest, "/"):
					st = statePathOrAuthority
					p++
				default:
					setPath("")
					url.opaquePath = true
					st = stateOpaquePath
				}
			} else if override == stateNone {
				buf = buf[:0]
				st = stateNoScheme
				p = -1
			} else {
				return nil, false
			}

		// https://url.spec.whatwg.org/#no-scheme-state
		case stateNoScheme:
			if base == nil || base.opaquePath && c != '#' {
				return nil, false
			} else if base.opaquePath && c == '#' {
				setScheme(base.scheme)
				setPath(base.path)
				url.opaquePath = true
				url.query, url.hasQuery = base.query, base.hasQuery
				url.hasFragment, fragmentSet, fragmentStart = true, true, p+1
				st = stateFragment
			} else if base.scheme != "file" {
				st = stateRelative
				p--
			} else {
				st = stateFile
				p--
			}

		// https://url.spec.whatwg.org/#special-relative-or-authority-state
		case stateSpecialRelativeOrAuthority:
			if c == '/' && strings.HasPrefix(input[p+1:], "/") {
				st = stateSpecialAuthorityIgnoreSlashes
				p++
			} else {
				st = stateRelative
				p--
			}

		// https://url.spec.whatwg.org/#path-or-authority-state
		case statePathOrAuthority:
			if c == '/' {
				st = stateAuthority
			} else {
				st = statePath
				p--
			}

		// https://url.spec.whatwg.org/#relative-state
		case stateRelative:
			setScheme(base.scheme)
			if c == '/' || special && c == '\\' {
				st = stateRelativeSlash
			} else {
				copyAuthority()
				setPath(base.path)
				url.query, url.hasQuery = base.query, base.hasQuery
				if c == '?' {
					url.hasQuery, querySet, queryStart = true, true, p+1
					st = stateQuery
				} else if c == '#' {
					url.hasFragment, fragmentSet, fragmentStart = true, true, p+1
					st = stateFragment
				} else if c != eof {
					url.query, url.hasQuery = "", false
					path = shortenPath(path, url.scheme)
					st = statePath
					p--
				}
			}

		// https://url.spec.whatwg.org/#relative-slash-state
		case stateRelativeSlash:
			if special && (c == '/' || c == '\\') {
				st = stateSpecialAuthorityIgnoreSlashes
			} else if c == '/' {
				st = stateAuthority
			} else {
				copyAuthority()
				st = statePath
				p--
			}

		// https://url.spec.whatwg.org/#special-authority-slashes-state
		case stateSpecialAuthoritySlashes:
			if c == '/' && strings.HasPrefix(input[p+1:], "/") {
				st = stateSpecialAuthorityIgnoreSlashes
				p++
			} else {
				st = stateSpecialAuthorityIgnoreSlashes
				p--
			}

		// https://url.spec.whatwg.org/#special-authority-ignore-slashes-state
		case stateSpecialAuthorityIgnoreSlashes:
			if c != '/' && c != '\\' {
				st = stateAuthority
				p--
			}

		// https://url.spec.whatwg.org/#authority-state
		case stateAuthority:
			if len(buf) == 0 && c != '@' && !atSignSeen {
				// Without an "@" before the end of the authority, the
				// state would buffer it all and rewind: go to the host
				// state directly.
				j := p
				for ; j < len(input); j++ {
					if d := input[j]; d == '@' || d == '/' || d == '?' || d == '#' || d == '\\' && special {
						break
					}
				}
				if j == len(input) || input[j] != '@' {
					st = stateHost
					p--
					continue
				}
			}
			if c == '@' {
				if atSignSeen {
					buf = append([]byte("%40"), buf...)
				}
				atSignSeen = true
				user := []byte(url.username)
				pass := []byte(url.password)
				for _, b := range buf {
					if b == ':' && !passwordTokenSeen {
						passwordTokenSeen = true
						continue
					}
					if passwordTokenSeen {
						pass = appendEncodedByte(pass, b, &UserinfoSet)
					} else {
						user = appendEncodedByte(user, b, &UserinfoSet)
					}
				}
				url.username, url.password = string(user), string(pass)
				buf = buf[:0]
			} else if c == eof || c == '/' || c == '?' || c == '#' || special && c == '\\' {
				if atSignSeen && len(buf) == 0 {
					return nil, false
				}
				p -= len(buf) + 1
				buf = buf[:0]
				st = stateHost
			} else {
				// Take the run up to the next "@" or delimiter at once.
				j := p + 1
				for ; j < len(input); j++ {
					if d := input[j]; d == '@' || d == '/' || d == '?' || d == '#' || d == '\\' {
						break
					}
				}
				buf = append(buf, input[p:j]...)
				p = j - 1
			}

		// https://url.spec.whatwg.org/#host-state
		case stateHost, stateHostname:
			if override != stateNone && url.scheme == "file" {
				p--
				st = stateFileHost
			} else if c == ':' && !insideBrackets {
				if len(buf) == 0 {
					return nil, false
				}
				if override == stateHostname {
					return nil, false
				}
				h, kind, ok := parseHost(fromInput(buf, input, bufStart), !special)
				if !ok {
					return nil, false
				}
				url.host, url.hostKind = h, kind
				buf = buf[:0]
				st = statePort
			} else if c == eof || c == '/' || c == '?' || c == '#' || special && c == '\\' {
				p--
				if special && len(buf) == 0 {
					return nil, false
				} else if override != stateNone && len(buf) == 0 && (url.HasCredentials() || url.port >= 0) {
					return nil, false
				}
				h, kind, ok := parseHost(fromInput(buf, input, bufStart), !special)
				if !ok {
					return nil, false
				}
				url.host, url.hostKind = h, kind
				buf = buf[:0]
				st = statePathStart
				if override != stateNone {
					return url, true
				}
			} else {
				if c == '[' {
					insideBrackets = true
				} else if c == ']' {
					insideBrackets = false
				}
				if len(buf) == 0 {
					bufStart = p
				}
				// Take the run up to the next bracket or delimiter at once.
				j := p + 1
				for ; j < len(input) && !hostDelimiter[input[j]]; j++ {
				}
				buf = append(buf, input[p:j]...)
				p = j - 1
			}

		// https://url.spec.whatwg.org/#port-state
		case statePort:
			if isASCIIDigit(c) {
				buf = append(buf, byte(c))
			} else if c == eof || c == '/' || c == '?' || c == '#' || special && c == '\\' || override != stateNone {
				if len(buf) != 0 {
					port := 0
					for _, d := range buf {
						port = port*10 + int(d-'0')
						if port > 0xFFFF {
							return nil, false
						}
					}
					if def, _ := specialPort(url.scheme); int32(port) == def {
						url.port = -1
					} else {
						url.port = int32(port)
					}
					buf = buf[:0]
					if override != stateNone {
						return url, true
					}
				}
				if override != stateNone {
					return nil, false
				}
				st = statePathStart
				p--
			} else {
				return nil, false
			}

		// https://url.spec.whatwg.org/#file-state
		case stateFile:
			setScheme("file")
			url.host, url.hostKind = "", HostEmpty
			if c == '/' || c == '\\' {
				st = stateFileSlash
			} else if base != nil && base.scheme == "file" {
				url.host, url.hostKind = base.host, base.hostKind
				setPath(base.path)
				url.query, url.hasQuery = base.query, base.hasQuery
				if c == '?' {
					url.hasQuery, querySet, queryStart = true, true, p+1
					st = stateQuery
				} else if c == '#' {
					url.hasFragment, fragmentSet, fragmentStart = true, true, p+1
					st = stateFragment
				} else if c != eof {
					url.query, url.hasQuery = "", false
					if !startsWithWindowsDriveLetter(input[p:]) {
						path = shortenPath(path, url.scheme)
					} else {
						path = path[:0]
					}
					st = statePath
					p--
				}
			} else {
				st = statePath
				p--
			}

		// https://url.spec.whatwg.org/#file-slash-state
		case stateFileSlash:
			if c == '/' || c == '\\' {
				st = stateFileHost
			} else {
				if base != nil && base.scheme == "file" {
					url.host, url.hostKind = base.host, base.hostKind
					if seg, ok := firstSegmentIsNormalizedDriveLetter(base.path); ok && !startsWithWindowsDriveLetter(input[max(p, 0):]) {
						path = append(path, seg...)
						pathSet = true
					}
				}
				st = statePath
				p--
			}

		// https://url.spec.whatwg.org/#file-host-state
		case stateFileHost:
			if c == eof || c == '/' || c == '\\' || c == '?' || c == '#' {
				p--
				if override == stateNone && isWindowsDriveLetter(buf) {
					// The buffer is kept and becomes the first path segment.
					st = statePath
				} else if len(buf) == 0 {
					url.host, url.hostKind = "", HostEmpty
					if override != stateNone {
						return url, true
					}
					st = statePathStart
				} else {
					h, kind, ok := parseHost(fromInput(buf, input, bufStart), !special)
					if !ok {
						return nil, false
					}
					if h == "localhost" {
						h, kind = "", HostEmpty
					}
					url.host, url.hostKind = h, kind
					if override != stateNone {
						return url, true
					}
					buf = buf[:0]
					st = statePathStart
				}
			} else {
				if len(buf) == 0 {
					bufStart = p
				}
				buf = append(buf, byte(c))
			}

		// https://url.spec.whatwg.org/#path-start-state
		case statePathStart:
			if pathStart < 0 && override == stateNone && len(path) == 0 {
				pathStart = p
			}
			if special {
				st = statePath
				if c != '/' && c != '\\' {
					p--
				}
			} else if override == stateNone && c == '?' {
				url.hasQuery, querySet, queryStart = true, true, p+1
				st = stateQuery
			} else if override == stateNone && c == '#' {
				url.hasFragment, fragmentSet, fragmentStart = true, true, p+1
				st = stateFragment
			} else if c != eof {
				st = statePath
				if c != '/' {
					p--
				}
			} else if override != stateNone && url.hostKind == HostNull {
				path = append(path, '/')
				pathSet = true
			}

		// https://url.spec.whatwg.org/#path-state
		case statePath:
			slash := c == '/' || special && c == '\\'
			if c == eof || slash || override == stateNone && (c == '?' || c == '#') {
				pathSet = true
				if isDoubleDot(buf) {
					path = shortenPath(path, url.scheme)
					if !slash {
						path = append(path, '/')
					}
				} else if isSingleDot(buf) {
					if !slash {
						path = append(path, '/')
					}
				} else {
					if url.scheme == "file" && len(path) == 0 && isWindowsDriveLetter(buf) {
						buf[1] = ':'
					}
					path = append(path, '/')
					path = append(path, buf...)
				}
				buf = buf[:0]
				if c == '?' {
					url.hasQuery, querySet, queryStart = true, true, p+1
					st = stateQuery
				} else if c == '#' {
					url.hasFragment, fragmentSet, fragmentStart = true, true, p+1
					st = stateFragment
				}
			} else {
				// Encode the run up to the next delimiter at once.
				for p < len(input) {
					// Copy a run of bytes that need nothing.
					j := p
					for j < len(input) && !pathStop[input[j]] {
						j++
					}
					buf = append(buf, input[p:j]...)
					p = j
					if p == len(input) {
						break
					}
					d := input[p]
					if d == '/' || d == '\\' && special || (d == '?' || d == '#') && override == stateNone {
						break
					}
					buf = appendEncodedByte(buf, d, &PathSet)
					p++
				}
				p--
			}

		// https://url.spec.whatwg.org/#cannot-be-a-base-url-path-state
		case stateOpaquePath:
			if pathStart < 0 {
				pathStart = p
			}
			pathSet = true
			if c == '?' {
				url.hasQuery, querySet, queryStart = true, true, p+1
				st = stateQuery
			} else if c == '#' {
				url.hasFragment, fragmentSet, fragmentStart = true, true, p+1
				st = stateFragment
			} else if c == ' ' {
				if rest := input[p+1:]; strings.HasPrefix(rest, "?") || strings.HasPrefix(rest, "#") {
					path = append(path, "%20"...)
				} else {
					path = append(path, ' ')
				}
			} else if c != eof {
				path = appendEncodedByte(path, byte(c), &C0ControlSet)
			}

		// https://url.spec.whatwg.org/#query-state
		case stateQuery:
			if override == stateNone && c == '#' || c == eof {
				set := &QuerySet
				if special {
					set = &SpecialQuerySet
				}
				if query == nil {
					query = auxArr[:0]
				}
				query = appendEncoded(query, buf, set)
				querySet = true
				buf = buf[:0]
				if c == '#' {
					url.hasFragment, fragmentSet, fragmentStart = true, true, p+1
					st = stateFragment
				}
			} else {
				// Take the run up to "#" (or the end) at once.
				j := len(input)
				if override == stateNone {
					if k := strings.IndexByte(input[p:], '#'); k >= 0 {
						j = p + k
					}
				}
				buf = append(buf, input[p:j]...)
				p = j - 1
			}

		// https://url.spec.whatwg.org/#fragment-state
		case stateFragment:
			if c != eof {
				// Encode the rest of the input at once.
				if fragment == nil {
					fragment = fragArr[:0]
				}
				for ; p < len(input); p++ {
					fragment = appendEncodedByte(fragment, input[p], &FragmentSet)
				}
				p--
			}
		}
		if p >= len(input) {
			break
		}
	}

	// 10. Store what the buffers built and return the URL.
	if pathSet {
		url.path = fromInput(path, input, pathStart)
	}
	if querySet {
		url.query = fromInput(query, input, queryStart)
	}
	if fragmentSet {
		url.fragment = fromInput(fragment, input, fragmentStart)
	}
	return url, true
}
