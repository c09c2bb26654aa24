#!/usr/bin/env bash
# Installs what is missing, then configures (once) and builds a CMake preset:
# everything, or only the given targets (scripts/main.sh builds just the
# executables the main job runs, not the ~200 test and benchmark targets).
# Usage: scripts/build.sh [PRESET [TARGET ...]]   (default: release, all)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
shift || true
bash scripts/setup.sh
if [ ! -f "build/$preset/CMakeCache.txt" ]; then
  cmake --preset "$preset" >&2
fi
if [ "$#" -gt 0 ]; then
  cmake --build --preset "$preset" -j 2 --target "$@" >&2
else
  cmake --build --preset "$preset" -j 2 >&2
fi
