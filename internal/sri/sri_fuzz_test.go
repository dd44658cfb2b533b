package sri

import (
	"encoding/base64"
	"strings"
	"testing"
)

// FuzzSRI checks integrity metadata: parsing yields only supported,
// lowercase algorithms; the strongest items share the strongest algorithm;
// Match agrees with a Verifier fed the body in arbitrary pieces; metadata
// made from the body's own digest (in base64 or base64url, padded or not,
// among other items) matches it, and a wrong digest of the strongest
// algorithm does not.
func FuzzSRI(f *testing.F) {
	for _, s := range []string{"", "sha256-abc", "SHA384-x?opt sha512-", "sha1-x md5-y", "sha256-a\tsha256-b\nsha512-c",
		"sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==", "-", "sha256"} {
		f.Add(s, []byte("alert('Hello, world.');"), uint8(5), uint8(1))
	}
	f.Fuzz(func(t *testing.T, metadata string, body []byte, piece uint8, form uint8) {
		parsed := Parse(metadata)
		for _, m := range parsed {
			if algorithmIndex(m.Alg) < 0 || m.Alg != strings.ToLower(m.Alg) {
				t.Fatalf("Parse(%q) kept algorithm %q", metadata, m.Alg)
			}
		}
		strongest := StrongestMetadata(parsed)
		for _, m := range strongest {
			for _, p := range parsed {
				if algorithmIndex(p.Alg) > algorithmIndex(m.Alg) {
					t.Fatalf("StrongestMetadata(%q) kept %q though %q is stronger", metadata, m.Alg, p.Alg)
				}
			}
			if m.Alg != strongest[0].Alg {
				t.Fatalf("StrongestMetadata(%q) mixes %q and %q", metadata, m.Alg, strongest[0].Alg)
			}
		}
		// Match and a streaming Verifier agree.
		v, any := NewVerifier(metadata)
		if any != (len(parsed) > 0) {
			t.Fatalf("NewVerifier(%q) reports %v with %d parsed items", metadata, any, len(parsed))
		}
		step := int(piece%16) + 1
		for i := 0; i < len(body); i += step {
			v.Write(body[i:min(i+step, len(body))])
		}
		if got, want := v.OK(), Match(metadata, body); got != want {
			t.Fatalf("Verifier(%q) in %d-byte pieces says %v, Match %v", metadata, step, got, want)
		}
		// Metadata made from the body's digest matches it.
		alg := algorithms[int(form)%len(algorithms)]
		digest := ApplyAlgorithm(alg, body)
		switch form / 3 % 4 {
		case 1:
			digest = strings.TrimRight(digest, "=")
		case 2:
			raw, _ := base64.StdEncoding.DecodeString(digest)
			digest = base64.URLEncoding.EncodeToString(raw)
		case 3:
			raw, _ := base64.StdEncoding.DecodeString(digest)
			digest = base64.RawURLEncoding.EncodeToString(raw)
		}
		weaker := ""
		if i := algorithmIndex(alg); i > 0 {
			weaker = " " + algorithms[i-1] + "-wrong"
		}
		good := strings.ToUpper(alg[:1]) + alg[1:] + "-" + digest + "?opt" + weaker
		if !Match(good, body) {
			t.Fatalf("Match(%q) of its own body is false", good)
		}
		bad := alg + "-" + ApplyAlgorithm(alg, append(body, 'x'))
		if Match(bad, body) {
			t.Fatalf("Match(%q) with another body's digest is true", bad)
		}
	})
}
