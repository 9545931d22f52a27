#!/usr/bin/env bash
# Runs every *.test.ts under the given folders (default: all) with node's test runner.
# Node 20 has no glob support in --test, so the files are listed here.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then
  roots=("$@")
else
  roots=(shared server checks bench e2e web)
  echo "Type-checking, linting, checking the format..."
  npx tsc --noEmit -p .
  npx tsc --noEmit -p web
  npx eslint --max-warnings 0 .
  npx prettier --check --log-level warn .
fi
mapfile -t files < <(find "${roots[@]}" -name '*.test.ts' -not -path '*/node_modules/*' 2>/dev/null | sort)
if [ ${#files[@]} -eq 0 ]; then echo "no test files found" >&2; exit 1; fi
# One file at a time: integration suites share the one engine and both cores. --test-force-exit:
# a file whose clean-up failed (a server left half-closed) is reported and ended, instead of
# keeping its process, and so the whole run, waiting forever.
exec npx tsx --test --test-concurrency=1 --test-force-exit --test-reporter=spec "${files[@]}"
