// Package sri implements Subresource Integrity as fetch uses it: parsing a
// request's integrity metadata, picking the strongest hash algorithm in it,
// and checking a response body against it.
//
// Spec: https://w3c.github.io/webappsec-subresource-integrity/
// (sections "Parse metadata", "Get the strongest metadata from set" and
// "Do bytes match metadataList?").
//
// Deviations, all following what browsers and WPT
// (fetch/api/basic/integrity.sub.any.js) expect:
//   - metadata is split on ASCII whitespace rather than on U+0020 only, so
//     newline- or tab-separated lists (common in HTML attributes) work;
//   - a hash expression is split at its first "-" only, so a base64url
//     digest containing "-" keeps its full value;
//   - digests compare equal in the base64 and base64url alphabets and with
//     or without "=" padding, instead of a case-sensitive match against
//     padded base64.
package sri

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"hash"
	"strings"

	"github.com/wfetch/wfetch/internal/ascii"
)

// Metadata is one parsed hash expression of integrity metadata.
type Metadata struct {
	// Alg is the hash algorithm token, ASCII-lowercased: "sha256",
	// "sha384" or "sha512".
	Alg string
	// Val is the digest as written (base64 or base64url, padding optional);
	// it may be empty or malformed, in which case it matches nothing.
	Val string
}

// algorithms is the valid SRI hash algorithm token set, weakest first.
// https://w3c.github.io/webappsec-subresource-integrity/#valid-sri-hash-algorithm-token-set
var algorithms = []string{"sha256", "sha384", "sha512"}

// algorithmIndex returns the position of a (lowercased) token in the valid
// SRI hash algorithm token set, or -1.
func algorithmIndex(alg string) int {
	for i, a := range algorithms {
		if a == alg {
			return i
		}
	}
	return -1
}

func newHash(alg string) hash.Hash {
	switch alg {
	case "sha256":
		return sha256.New()
	case "sha384":
		return sha512.New384()
	case "sha512":
		return sha512.New()
	}
	return nil
}

// Parse parses integrity metadata into the hash expressions whose algorithm
// is supported. Unknown algorithms and options are ignored.
//
// https://w3c.github.io/webappsec-subresource-integrity/#parse-metadata
func Parse(metadata string) []Metadata {
	// 1. Start with an empty result.
	var result []Metadata
	// 2. Look at each whitespace-separated item (deviation: ASCII whitespace,
	// not only U+0020, see the package doc).
	for _, item := range strings.FieldsFunc(metadata, isASCIIWhitespace) {
		// 2.1-2.2. The part before any "?" is the hash expression; what follows
		// are options, which no version of the spec defines yet.
		expr, _, _ := strings.Cut(item, "?")
		// 2.3-2.5. Split the algorithm from the digest (deviation: at the first
		// "-" only, so base64url digests survive).
		alg, val, _ := strings.Cut(expr, "-")
		alg = ascii.Lower(alg)
		// 2.6. Skip algorithms we do not know.
		if algorithmIndex(alg) < 0 {
			continue
		}
		// 2.7-2.9. Record algorithm and (possibly empty) digest.
		result = append(result, Metadata{Alg: alg, Val: val})
	}
	// 3. Done.
	return result
}

// StrongestMetadata returns the items of set that use the strongest hash
// algorithm present in set, in their original order.
//
// https://w3c.github.io/webappsec-subresource-integrity/#get-the-strongest-metadata
func StrongestMetadata(set []Metadata) []Metadata {
	// 1. Nothing chosen yet.
	var result []Metadata
	strongest := -1
	// 2. Walk the set.
	for _, item := range set {
		idx := algorithmIndex(ascii.Lower(item.Alg))
		// 2.1. Items with unknown algorithms cannot be compared; skip them
		// (the spec asserts they never occur).
		if idx < 0 {
			continue
		}
		switch {
		// 2.2. The first item starts the result.
		case result == nil:
			result, strongest = []Metadata{item}, idx
		// 2.5. Weaker than what we have: ignore.
		case idx < strongest:
		// 2.6. Stronger: it replaces everything so far.
		case idx > strongest:
			result, strongest = []Metadata{item}, idx
		// 2.7. As strong: keep it too.
		default:
			result = append(result, item)
		}
	}
	// 3. Done.
	return result
}

// ApplyAlgorithm hashes bytes with alg ("sha256", "sha384" or "sha512") and
// returns the padded base64 encoding of the digest, or "" for an unknown
// algorithm.
//
// https://w3c.github.io/webappsec-subresource-integrity/#apply-algorithm-to-response
func ApplyAlgorithm(alg string, bytes []byte) string {
	// 1. Hash the bytes.
	h := newHash(ascii.Lower(alg))
	if h == nil {
		return ""
	}
	h.Write(bytes)
	// 2. Base64-encode the digest.
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// Match reports whether body matches the integrity metadata: true when the
// metadata names no supported algorithm (including the empty string), or
// when one of its strongest hash expressions equals body's digest.
//
// https://w3c.github.io/webappsec-subresource-integrity/#does-response-match-metadatalist
func Match(metadata string, body []byte) bool {
	v, _ := NewVerifier(metadata)
	v.Write(body)
	return v.OK()
}

// digestEqual compares an expected digest as written by an author with the
// padded base64 of an actual digest, accepting the base64url alphabet and
// missing padding (deviation, see the package doc).
func digestEqual(expected, actualStd string) bool {
	return normalizeDigest(expected) == strings.TrimRight(actualStd, "=")
}

func normalizeDigest(s string) string {
	s = strings.TrimRight(s, "=")
	if strings.ContainsAny(s, "-_") {
		s = strings.NewReplacer("-", "+", "_", "/").Replace(s)
	}
	return s
}

// Verifier checks a body against integrity metadata while it streams: write
// the body's bytes to it, then ask OK. The zero Verifier is not usable; use
// NewVerifier.
type Verifier struct {
	metadata []Metadata // the strongest items; all share one algorithm
	h        hash.Hash  // nil when there is nothing to check
	sum      string     // cached base64 digest once OK has been called
	done     bool
}

// NewVerifier prepares to check a body against integrity metadata. The
// boolean is false when the metadata holds no supported hash expression:
// then every body matches, and the caller may skip hashing altogether (the
// returned Verifier still works and reports OK).
func NewVerifier(metadata string) (*Verifier, bool) {
	// Steps 1-3 of "do bytes match metadataList": parse, handle the empty
	// case, and keep the strongest items.
	parsed := Parse(metadata)
	if len(parsed) == 0 {
		return &Verifier{}, false
	}
	strongest := StrongestMetadata(parsed)
	return &Verifier{metadata: strongest, h: newHash(strongest[0].Alg)}, true
}

// Write feeds body bytes to the hash. It never fails. Writing after OK has
// been called has no effect on its result.
func (v *Verifier) Write(p []byte) (int, error) {
	if v.h != nil && !v.done {
		v.h.Write(p)
	}
	return len(p), nil
}

// OK reports whether the bytes written so far match the metadata: true if
// no supported hash expression was given, else true when any of the
// strongest expressions equals the digest (step 4 of "do bytes match
// metadataList").
func (v *Verifier) OK() bool {
	if v.h == nil {
		return true
	}
	if !v.done {
		v.sum = base64.StdEncoding.EncodeToString(v.h.Sum(nil))
		v.done = true
	}
	for _, m := range v.metadata {
		if digestEqual(m.Val, v.sum) {
			return true
		}
	}
	return false
}

// Algorithm returns the hash algorithm the Verifier uses ("" when there is
// nothing to check).
func (v *Verifier) Algorithm() string {
	if len(v.metadata) == 0 {
		return ""
	}
	return v.metadata[0].Alg
}

func isASCIIWhitespace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\f' || r == '\r'
}
