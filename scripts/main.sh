#!/usr/bin/env bash
# The main job. For now: pick a morphing basis for two WH operators and print
# it with its weights (examples/01_morphing_basis.cc). Later: the whole WH study.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh release
build/release/examples/01_morphing_basis "$@"
