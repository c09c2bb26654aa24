#!/usr/bin/env bash
# Installs what is missing, then configures and builds a CMake preset:
# everything, or only the given targets (scripts/main.sh builds just the
# executables the main job runs, not the ~200 test and benchmark targets).
# Usage: scripts/build.sh [--main] [PRESET [TARGET ...]]   (default: release, all)
#   --main  install only the packages the goldmine executables need
#           (scripts/setup.sh --main)
set -euo pipefail
cd "$(dirname "$0")/.."
setup_args=()
if [ "${1:-}" = "--main" ]; then
  setup_args=(--main)
  shift
fi
preset="${1:-release}"
shift || true
bash scripts/setup.sh "${setup_args[@]}"
# Configure once, and again after packages were installed since (dpkg's
# status file changed): a tree configured by `main.sh` without the Python
# module's or the tests' packages then picks them up for `test.sh`.
# CMake leaves an unchanged cache file alone, hence a stamp of our own.
cache="build/$preset/CMakeCache.txt"
stamp="build/$preset/.goldmine-configured"
if [ ! -f "$cache" ] || [ ! -f "$stamp" ] || [ /var/lib/dpkg/status -nt "$stamp" ]; then
  cmake --preset "$preset" >&2
  touch "$stamp"
fi
if [ "$#" -gt 0 ]; then
  cmake --build --preset "$preset" -j 2 --target "$@" >&2
else
  cmake --build --preset "$preset" -j 2 >&2
fi
