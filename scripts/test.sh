#!/usr/bin/env bash
# Builds everything (warnings are errors) and runs the whole test suite,
# including the clang-format and torch-confinement checks.
# Usage: scripts/test.sh [PRESET]   (default: release)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
bash scripts/build.sh "$preset"
ctest --preset "$preset"
