// Package wptdata locates the shared WPT data files that data-driven tests
// read: the folder named by the WPT_DATA environment variable, or
// ../shared/wpt-data beside the module root.
package wptdata

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the WPT data folder, or skips the test with one clear line
// when it is absent.
func Dir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("WPT_DATA")
	if dir == "" {
		root := moduleRoot()
		if root == "" {
			t.Skip("WPT data not found: set WPT_DATA (no go.mod above the test's folder)")
		}
		dir = filepath.Join(root, "..", "shared", "wpt-data")
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		t.Skipf("WPT data not found at %s: set WPT_DATA to the wpt-data folder to run this test", dir)
	}
	return dir
}

// Path returns the file at rel inside the WPT data folder, skipping the test
// when the folder or the file is absent.
func Path(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(Dir(t), filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		t.Skipf("WPT data file %s not found: %v", rel, err)
	}
	return p
}

// JSON decodes the JSON file at rel inside the WPT data folder into v.
func JSON(t testing.TB, rel string, v any) {
	t.Helper()
	b, err := os.ReadFile(Path(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decoding %s: %v", rel, err)
	}
}

func moduleRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
