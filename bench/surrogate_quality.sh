#!/usr/bin/env bash
# Neural likelihood surrogates against the full likelihood (issue 18) on the
# reference ATLAS workspaces: trains a surrogate of each with
# `goldmine surrogate train` and compares it with `goldmine surrogate
# validate` on signals it was not trained on (another seed), printing the
# acceptance numbers: max |ΔCLs| where CLs ∈ [0.01, 0.5], the share within
# 0.02, identical exclusion decisions, upper-limit differences, and seconds
# per CLs of the full profiled fits against the surrogate.
#
# Usage: bench/surrogate_quality.sh [WORKDIR]   (default build/surrogates)
# Environment:
#   GOLDMINE                 the binary (default build/release/apps/goldmine)
#   GOLDMINE_SHARED_DIR      the shared reference data (default ../shared)
#   GOLDMINE_BENCH_THREADS   fitting threads (default 2)
#   GOLDMINE_BENCH_POINTS    training points (default 6000)
#   GOLDMINE_BENCH_TESTS     test signals (default 300), of which
#   GOLDMINE_BENCH_LIMITS    compare upper limits too (default 40)
#   GOLDMINE_BENCH_CASES     cases to run (default: all below)
# Writes WORKDIR/CASE.onnx, WORKDIR/CASE.train.json, WORKDIR/CASE.validate.json
# and WORKDIR/summary.json.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
workdir=${1:-$here/build/surrogates}
goldmine=${GOLDMINE:-$here/build/release/apps/goldmine}
shared=${GOLDMINE_SHARED_DIR:-$here/../shared}
threads=${GOLDMINE_BENCH_THREADS:-2}
points=${GOLDMINE_BENCH_POINTS:-6000}
tests=${GOLDMINE_BENCH_TESTS:-300}
limits=${GOLDMINE_BENCH_LIMITS:-40}
ref=$shared/reference/histfactory
if [ ! -d "$ref" ]; then
  echo "surrogate_quality: no reference data in $ref" >&2
  exit 2
fi
mkdir -p "$workdir"

# case name → workspace and signal-point arguments.
declare -A args=(
  [sbottom_tutorial]="$ref/workspaces/atlastut_sbottom_1200_1150_60.json"
  [sbottom_regionA]="$ref/workspaces/sbottom_RegionA_BkgOnly.json --patch $ref/patches/sbottom_RegionA.patch.sbottom_1300_205_60.json"
  [sbottom_regionB]="$ref/workspaces/sbottom_RegionB_BkgOnly.json --patch $ref/patches/sbottom_RegionB.patch.sbottom_1400_550_60.json"
  [erjr_3L]="$ref/workspaces/erjr_3L_BkgOnly.json --patch $ref/patches/erjr_3L.patch.ERJR_200p0_100p0.json"
)
cases=${GOLDMINE_BENCH_CASES:-sbottom_tutorial sbottom_regionA sbottom_regionB erjr_3L}
summary="{"
for name in $cases; do
  # shellcheck disable=SC2086  # the arguments are words
  "$goldmine" surrogate train ${args[$name]} --output "$workdir/$name.onnx" \
    --points "$points" --threads "$threads" --seed 1 --quiet \
    >"$workdir/$name.train.json"
  # shellcheck disable=SC2086
  "$goldmine" surrogate validate "$workdir/$name.onnx" ${args[$name]} \
    --points "$tests" --limits "$limits" --threads "$threads" --seed 1001 --quiet \
    --output "$workdir/$name.validate.json"
  line=$(python3 -c '
import json, sys
t = json.load(open(sys.argv[1])); v = json.load(open(sys.argv[2]))
keys = ["n_points", "n_in_range", "max_abs_delta_cls", "fraction_within_0_02",
        "decision_agreement", "max_relative_limit_difference",
        "median_relative_limit_difference", "fraction_limits_within_5_percent",
        "seconds_per_full_cls", "seconds_per_surrogate_cls", "speedup",
        "seconds_per_profiled_fit", "seconds_per_surrogate_evaluation",
        "speedup_per_evaluation"]
out = {k: v[k] for k in keys}
out["training_points"] = t["training_points"]
out["validation_rmse"] = t["validation_rmse"]
out["labelling_seconds"] = t["labelling_seconds"]
out["training_seconds"] = t["training_seconds"]
print(json.dumps(out))' "$workdir/$name.train.json" "$workdir/$name.validate.json")
  echo "$name: $line"
  summary="$summary${summary:+$([ "$summary" = "{" ] || echo ,)}\"$name\": $line"
done
echo "$summary}" >"$workdir/summary.json"
