#!/usr/bin/env bash
# Runs every go test -fuzz target of the module for DURATION each, one after
# another: scripts/fuzz.sh 10m (CI runs scripts/fuzz.sh 3s as a smoke test).
#
#   FUZZ_PARALLEL  fuzzing workers per target (default 1: the machine is shared)
#   FUZZ_MATCH     only targets whose name matches this grep -E pattern
#
# A target is a "func FuzzXxx(f *testing.F)" in a _test.go file. A crash is
# written by go test to <package>/testdata/fuzz/FuzzXxx/ and makes the script
# exit 1 after the other targets have run; the summary lists each target.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ $# -ne 1 ]; then
  echo "usage: scripts/fuzz.sh DURATION   (e.g. 3s, 10m; a go test -fuzztime value)" >&2
  exit 2
fi
duration=$1
parallel=${FUZZ_PARALLEL:-1}
match=${FUZZ_MATCH:-.}

# package dir <TAB> target, sorted.
targets=$(git ls-files '*_test.go' | xargs grep -H -o '^func Fuzz[A-Za-z0-9_]*(f \*testing\.F)' |
  sed -E 's#^(.*)/[^/]*_test\.go:func (Fuzz[A-Za-z0-9_]*)\(.*#\1\t\2#' | sort -u | grep -E "$match" || true)
if [ -z "$targets" ]; then
  echo "no fuzz targets found"; exit 1
fi

failed=()
summary=()
while IFS=$'\t' read -r dir name; do
  echo "== $name ($dir) for $duration"
  start=$(date +%s)
  corpus="$dir/testdata/fuzz/$name"
  before=$(ls "$corpus" 2>/dev/null | sort)
  if out=$(go test "./$dir" -run '^$' -fuzz "^${name}\$" -fuzztime "$duration" -parallel "$parallel" 2>&1); then
    summary+=("ok    $name ($dir) $(( $(date +%s) - start ))s $(echo "$out" | grep -o 'execs: [0-9]*' | tail -1)")
  elif echo "$out" | grep -q 'context deadline exceeded' && [ "$(ls "$corpus" 2>/dev/null | sort)" = "$before" ]; then
    # go test -fuzz sometimes reports the end of -fuzztime itself as a
    # failure ("context deadline exceeded") on a loaded machine; with no
    # crasher written, nothing failed.
    summary+=("ok    $name ($dir) $(( $(date +%s) - start ))s (ended with go's fuzztime deadline report; no crasher)")
  else
    echo "$out" | tail -40
    failed+=("$name")
    summary+=("FAIL  $name ($dir)")
  fi
done <<< "$targets"

echo "== fuzz summary ($duration per target)"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: ${#failed[@]} target(s) failed: ${failed[*]} (crashers are under <package>/testdata/fuzz/)"
  exit 1
fi
echo "fuzz: $(echo "$targets" | wc -l) targets, no failures"
