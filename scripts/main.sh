#!/usr/bin/env bash
# The main job: the WH EFT study end to end, `goldmine run
# examples/wh_smeft/config.yaml` (report: examples/wh_smeft/config-run/
# report.md and report.html). Arguments go to goldmine run (--quick, --force,
# --from STAGE, --workdir DIR, --threads T). The morphing-basis demo
# (examples/01_morphing_basis.cc): scripts/main.sh --morphing-demo.
set -euo pipefail
cd "$(dirname "$0")/.."
# Only what the job runs: the goldmine executables (or the demo), not the
# test suite and benchmarks (scripts/test.sh builds those).
if [ "${1:-}" = "--morphing-demo" ]; then
  shift
  bash scripts/build.sh --main release 01_morphing_basis
  exec build/release/examples/01_morphing_basis "$@"
fi
bash scripts/build.sh --main release goldmine
exec build/release/apps/goldmine run examples/wh_smeft/config.yaml "$@"
