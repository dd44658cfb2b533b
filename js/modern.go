package js

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dop251/goja"
	"github.com/evanw/esbuild/pkg/api"
)

// What goja cannot parse or run is lowered by esbuild; everything else is
// left as written, so that the engine runs the user's own code.
var lowered = map[string]bool{
	"async-generator": false, // async function* and yield in async functions
	"for-await":       false, // for await (... of ...)
	"decorators":      false, // @decorator
	"using":           false, // using and await using declarations
}

// A CompileError is a syntax error (or, for modules, an import that does not
// resolve) found before any of the code ran. Messages are "file:line:col:
// text", one per problem.
type CompileError struct {
	Messages []string
}

func (e *CompileError) Error() string {
	return "js: " + strings.Join(e.Messages, "; ")
}

func compileError(msgs []api.Message) *CompileError {
	ce := &CompileError{}
	for _, m := range msgs {
		s := m.Text
		if l := m.Location; l != nil {
			s = fmt.Sprintf("%s:%d:%d: %s", l.File, l.Line, l.Column+1, m.Text)
		}
		ce.Messages = append(ce.Messages, s)
	}
	if len(ce.Messages) == 0 {
		ce.Messages = []string{"the code does not compile"}
	}
	return ce
}

// isTypeScript reports whether name is a TypeScript file by its extension.
func isTypeScript(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".ts", ".mts", ".cts", ".tsx":
		return true
	}
	return false
}

// transformCache keeps the lowered form of classic scripts goja could not
// parse, by name and source, so that a script run in many Runtimes (a test
// harness, say) is transformed once.
var (
	transformCache sync.Map // transformKey → transformed
	transformCount atomic.Int64
)

// maxTransformCache bounds the cache so that a process running many
// different scripts does not keep them all.
const maxTransformCache = 512

type transformKey struct{ name, src string }

type transformed struct {
	code string
	err  error
}

// compileClassic compiles a classic script. goja parses it as written when
// it can (the fast path: no transformation, exact positions); a script goja
// cannot parse (async generators, for await, using, decorators) or a
// TypeScript file goes through esbuild, which lowers just those features and
// strips types, with an inline source map so that errors and stack traces
// point at the original lines.
func compileClassic(name, src string) (*goja.Program, error) {
	ts := isTypeScript(name)
	if !ts {
		p, err := goja.Compile(name, src, false)
		if err == nil {
			return p, nil
		}
		var se *goja.CompilerSyntaxError
		if !errors.As(err, &se) {
			return nil, err
		}
		code, terr := transformClassic(name, src, false)
		if terr != nil {
			// esbuild's message names the real problem (the
			// transformation does not change valid code goja rejects).
			return nil, terr
		}
		if p2, err2 := goja.Compile(name, code, false); err2 == nil {
			return p2, nil
		}
		return nil, err
	}
	code, err := transformClassic(name, src, true)
	if err != nil {
		return nil, err
	}
	return goja.Compile(name, code, false)
}

func transformClassic(name, src string, ts bool) (string, error) {
	key := transformKey{name, src}
	if v, ok := transformCache.Load(key); ok {
		t := v.(transformed)
		return t.code, t.err
	}
	loader := api.LoaderJS
	if ts {
		loader = api.LoaderTS
	}
	res := api.Transform(src, api.TransformOptions{
		Loader:     loader,
		Sourcefile: name,
		Sourcemap:  api.SourceMapInline,
		Target:     api.ESNext,
		Supported:  lowered,
		Charset:    api.CharsetUTF8,
		LogLevel:   api.LogLevelSilent,
		// A classic script keeps its top-level declarations global.
		Format: api.FormatDefault,
	})
	t := transformed{code: shiftSourceMapColumns(string(res.Code))}
	if len(res.Errors) > 0 {
		t.err = compileError(res.Errors)
	}
	if transformCount.Add(1) <= maxTransformCache {
		transformCache.Store(key, t)
	}
	return t.code, t.err
}

// bundleModule bundles the ES module at path with the local modules it
// imports (statically or with import() of a string) into one script that
// evaluates to an async function: calling it evaluates the module graph in
// order, top-level await included, and returns the evaluation promise. The
// inline source map maps every position back to the original files.
func bundleModule(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(abs); err != nil {
		return "", err
	}
	dir := filepath.Dir(abs)
	res := api.Build(api.BuildOptions{
		// The entry imports the user's module for its effects, so that the
		// bundle exports nothing (the wrapper below is a function body).
		Stdin: &api.StdinOptions{
			Contents:   "import " + strconv.Quote("./"+filepath.Base(abs)) + ";",
			ResolveDir: dir,
			Sourcefile: "<entry>",
			Loader:     api.LoaderJS,
		},
		Bundle:        true,
		Write:         false,
		Format:        api.FormatESModule,
		Platform:      api.PlatformNeutral,
		Target:        api.ESNext,
		Supported:     lowered,
		Sourcemap:     api.SourceMapInline,
		Outfile:       filepath.Join(dir, "wfetch-bundle.js"),
		AbsWorkingDir: dir,
		Charset:       api.CharsetUTF8,
		LogLevel:      api.LogLevelSilent,
		MainFields:    []string{"module", "main"},
		Conditions:    []string{"import", "default"},
		Plugins:       []api.Plugin{importMetaPlugin},
		Define:        map[string]string{"import.meta": "__wfetch_import_meta"},
	})
	if len(res.Errors) > 0 {
		return "", compileError(res.Errors)
	}
	if len(res.OutputFiles) == 0 {
		return "", errors.New("js: the bundler produced no output")
	}
	code := shiftSourceMapColumns(string(res.OutputFiles[0].Contents))
	// goja takes the source map from the last line (a trailing "})" line is
	// allowed after it). The opening stays on the first line so that line
	// numbers are not shifted.
	return `(async function () { "use strict"; ` + code + "\n})", nil
}

// importMetaPlugin gives each module its own import.meta ({url, filename,
// dirname, resolve}) as a module-scoped constant that the Define option
// points import.meta at.
var importMetaPlugin = api.Plugin{
	Name: "wfetch-import-meta",
	Setup: func(b api.PluginBuild) {
		b.OnLoad(api.OnLoadOptions{Filter: `\.(m|c)?(j|t)sx?$`}, func(a api.OnLoadArgs) (api.OnLoadResult, error) {
			src, err := os.ReadFile(a.Path)
			if err != nil {
				return api.OnLoadResult{}, err
			}
			s := string(src)
			if !strings.Contains(s, "import.meta") {
				return api.OnLoadResult{Contents: &s, Loader: loaderFor(a.Path)}, nil
			}
			u := fileURL(a.Path)
			// Prepended on the first line, so that lines keep their
			// numbers (only the first line's columns shift). A hashbang
			// line becomes a comment of the same length.
			if strings.HasPrefix(s, "#!") {
				s = "//" + s[2:]
			}
			s = "const __wfetch_import_meta = { url: " + strconv.Quote(u) +
				", filename: " + strconv.Quote(a.Path) + ", dirname: " + strconv.Quote(filepath.Dir(a.Path)) +
				", resolve: (s) => new URL(s, " + strconv.Quote(u) + ").href };" + s
			return api.OnLoadResult{Contents: &s, Loader: loaderFor(a.Path)}, nil
		})
	},
}

func loaderFor(path string) api.Loader {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".ts", ".mts", ".cts":
		return api.LoaderTS
	case ".tsx":
		return api.LoaderTSX
	case ".jsx":
		return api.LoaderJSX
	}
	return api.LoaderJS
}

// fileURL returns the file: URL of an absolute path.
func fileURL(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	var b strings.Builder
	b.WriteString("file://")
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c < 0x21 || c > 0x7e || c == '%' || c == '#' || c == '?' || c == '"' || c == '<' || c == '>' || c == '`' || c == '{' || c == '}' {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

const inlineMapPrefix = "//# sourceMappingURL=data:application/json;base64,"

// shiftSourceMapColumns makes the source columns of code's inline source
// map one-based. goja hands the map a one-based generated column and shows
// the (zero-based) source column it gets back as is, so without this every
// mapped column would be one too small. Source columns are deltas from one
// mapping to the next across the whole "mappings" string, so adding one to
// the first mapping's moves them all.
func shiftSourceMapColumns(code string) string {
	i := strings.LastIndex(code, inlineMapPrefix)
	if i < 0 {
		return code
	}
	end := strings.IndexByte(code[i:], '\n')
	if end < 0 {
		end = len(code) - i
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(code[i+len(inlineMapPrefix) : i+end]))
	if err != nil {
		return code
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return code
	}
	mappings, _ := m["mappings"].(string)
	// Find the first segment with a source (four or five fields).
	for start := 0; start < len(mappings); {
		stop := start
		for stop < len(mappings) && mappings[stop] != ',' && mappings[stop] != ';' {
			stop++
		}
		if fields, ok := decodeVLQs(mappings[start:stop]); ok && len(fields) >= 4 {
			fields[3]++
			var b strings.Builder
			for _, f := range fields {
				encodeVLQ(&b, f)
			}
			m["mappings"] = mappings[:start] + b.String() + mappings[stop:]
			out, err := json.Marshal(m)
			if err != nil {
				return code
			}
			return code[:i] + inlineMapPrefix + base64.StdEncoding.EncodeToString(out) + code[i+end:]
		}
		start = stop + 1
	}
	return code
}

const vlqChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// decodeVLQs decodes one source map segment (base64 VLQ numbers).
func decodeVLQs(s string) ([]int, bool) {
	var out []int
	shift, v := 0, 0
	for i := 0; i < len(s); i++ {
		d := strings.IndexByte(vlqChars, s[i])
		if d < 0 {
			return nil, false
		}
		v += (d & 31) << shift
		if d&32 != 0 {
			shift += 5
			continue
		}
		if v&1 != 0 {
			out = append(out, -(v >> 1))
		} else {
			out = append(out, v>>1)
		}
		shift, v = 0, 0
	}
	return out, shift == 0
}

func encodeVLQ(b *strings.Builder, n int) {
	v := n << 1
	if n < 0 {
		v = (-n << 1) | 1
	}
	for {
		d := v & 31
		v >>= 5
		if v != 0 {
			d |= 32
		}
		b.WriteByte(vlqChars[d])
		if v == 0 {
			return
		}
	}
}
