#!/usr/bin/env bash
# LibTorch stays inside estimators/src (DESIGN.md §1): no torch, ATen or c10
# include anywhere else, and only estimators/CMakeLists.txt finds Torch.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
includes=$(grep -rnE '#[[:space:]]*include[[:space:]]*[<"](torch|ATen|c10)/' \
  --include='*.h' --include='*.cc' --include='*.hpp' --include='*.cpp' --include='*.in' \
  --exclude-dir=build --exclude-dir=.git . | grep -v '^\./estimators/src/' || true)
if [ -n "$includes" ]; then
  echo "torch headers outside estimators/src:" >&2
  echo "$includes" >&2
  status=1
fi
finds=$(grep -rnE 'find_package\([[:space:]]*Torch' --include='CMakeLists.txt' --include='*.cmake' \
  --exclude-dir=build --exclude-dir=.git . | grep -v '^\./estimators/CMakeLists.txt:' || true)
if [ -n "$finds" ]; then
  echo "find_package(Torch) outside estimators/CMakeLists.txt:" >&2
  echo "$finds" >&2
  status=1
fi
[ $status -eq 0 ] && echo "check-torch-confinement: torch is confined to estimators/"
exit $status
