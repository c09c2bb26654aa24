#!/usr/bin/env bash
# Installs what is missing, then configures (once) and builds a CMake preset.
# Usage: scripts/build.sh [PRESET]   (default: release)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
bash scripts/setup.sh
if [ ! -f "build/$preset/CMakeCache.txt" ]; then
  cmake --preset "$preset" >&2
fi
cmake --build --preset "$preset" -j 2 >&2
