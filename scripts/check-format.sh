#!/usr/bin/env bash
# Fails when any C++ source differs from what .clang-format asks for.
# Fix with: scripts/format.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v clang-format >/dev/null; then
  echo "check-format: clang-format is not installed (run scripts/setup.sh)" >&2
  exit 1
fi
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.h' '*.cc' '*.in' | grep -E '\.(h|cc)(\.in)?$' || true)
else
  mapfile -t files < <(find . -path ./build -prune -o \( -name '*.h' -o -name '*.cc' \) -print)
fi
existing=()
for file in "${files[@]}"; do [ -f "$file" ] && existing+=("$file"); done
if [ ${#existing[@]} -eq 0 ]; then
  echo "check-format: no sources found" >&2
  exit 1
fi
clang-format --dry-run --Werror "${existing[@]}"
echo "check-format: ${#existing[@]} files follow .clang-format"
