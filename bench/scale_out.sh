#!/usr/bin/env bash
# One-machine scaling of the sharded stages (issue 19, docs/scale_out.md):
# wall times, medians of REPEATS runs, of
#   - goldmine mine on one sample with --threads 1 and 2;
#   - two event-range shards side by side, plus goldmine merge;
#   - goldmine limits (adaptive-sally, per-point binning) with --threads 1, 2;
#   - goldmine augment ratio on 1 and 2 threads and as two shards plus merge;
# and checks that the sharded and threaded outputs equal the one-thread ones
# byte for byte.
#
# Usage: bench/scale_out.sh [WORKDIR]   (default build/scale_out)
# Environment:
#   GOLDMINE               the binary (default build/release/apps/goldmine)
#   GOLDMINE_SHARED_DIR    reference data (default ../shared): MadMiner's toy
#                          events for the limits
#   GOLDMINE_BENCH_EVENTS  toy events mined (default 400000)
#   GOLDMINE_BENCH_SAMPLES ratio samples augmented (default 2000000)
#   GOLDMINE_BENCH_REPEATS runs per measurement (default 3)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
workdir=${1:-$here/build/scale_out}
goldmine=${GOLDMINE:-$here/build/release/apps/goldmine}
shared=${GOLDMINE_SHARED_DIR:-$here/../shared}
events=${GOLDMINE_BENCH_EVENTS:-400000}
samples=${GOLDMINE_BENCH_SAMPLES:-2000000}
repeats=${GOLDMINE_BENCH_REPEATS:-3}
mkdir -p "$workdir"
cd "$workdir"

# Median wall time of a command run $repeats times (seconds).
median() {
  local times=()
  for _ in $(seq "$repeats"); do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s.%N)
    times+=("$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}')")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

"$goldmine" generate toy --events "$events" --seed 9 --output toy.hepmc3 \
  --benchmarks "$here/examples/toy/benchmarks.yaml" >/dev/null 2>&1
sed -e "s|file: toy.hepmc3|file: $workdir/toy.hepmc3|" \
  -e 's|^objects: {level: parton}|objects: {level: parton}\nsmearing: atlas-like|' \
  "$here/examples/toy/mine_toy.yaml" >mine.yaml

one=$(median "$goldmine" mine mine.yaml --output threads1.h5 --threads 1)
two=$(median "$goldmine" mine mine.yaml --output threads2.h5 --threads 2)
shards() {
  "$goldmine" mine mine.yaml --output shard0.h5 --shard 0/2 &
  "$goldmine" mine mine.yaml --output shard1.h5 --shard 1/2
  wait
  "$goldmine" merge shard0.h5 shard1.h5 --output merged.h5
}
sharded=$(median shards)
cmp -s threads1.h5 threads2.h5 || { echo "mine --threads 2 differs" >&2; exit 1; }
cmp -s threads1.h5 merged.h5 || { echo "merged shards differ" >&2; exit 1; }

limits_line="limits: skipped (no $shared/reference/madminer/toy_events.h5)"
augment_line="augment: skipped (no $shared/reference/madminer/toy_events.h5)"
toy="$shared/reference/madminer/toy_events.h5"
if [ -f "$toy" ]; then
  "$goldmine" augment local --events "$toy" --output local.h5 --n-samples 5000 \
    --seed 5 --theta benchmark:sm >/dev/null 2>&1
  "$goldmine" train --method sally --samples local.h5 --output sally \
    --hidden 16 --epochs 3 --seed 2 --quiet >/dev/null 2>&1
  limits=("$goldmine" limits --events "$toy" --grid c1:-1:1:41,c2:-1:1:41
          --method adaptive-sally --model sally)
  l1=$(median "${limits[@]}" --threads 1)
  l2=$(median "${limits[@]}" --threads 2)
  "${limits[@]}" --threads 1 >limits1.json 2>/dev/null
  "${limits[@]}" --threads 2 >limits2.json 2>/dev/null
  cmp -s limits1.json limits2.json || { echo "limits --threads 2 differs" >&2; exit 1; }
  limits_line=$(printf 'limits adaptive-sally 41x41: 1 thread %s s, 2 threads %s s' "$l1" "$l2")

  # augment ratio in one process against two shards side by side plus merge
  # (the identity of the merged file is tested in
  # tests/apps/augment_shards_test.cc).
  augment=("$goldmine" augment ratio --events "$toy" --theta0 random:100:uniform
           --theta1 benchmark:sm --n-samples "$samples" --seed 4)
  a1=$(median "${augment[@]}" --output ratio.h5)
  a1t2=$(median "${augment[@]}" --output ratio_t2.h5 --threads 2)
  augment_shards() {
    "${augment[@]}" --output ratio0.h5 --shard 0/2 &
    "${augment[@]}" --output ratio1.h5 --shard 1/2
    wait
    "$goldmine" merge ratio0.h5 ratio1.h5 --output ratio_merged.h5
  }
  a2=$(median augment_shards)
  augment_line=$(printf 'augment ratio %s samples: 1 thread %s s, 2 threads %s s, 2 shards + merge %s s' \
    "$samples" "$a1" "$a1t2" "$a2")
fi
printf 'mine %s toy events (smeared): 1 thread %s s, 2 threads %s s, 2 shards + merge %s s\n' \
  "$events" "$one" "$two" "$sharded"
echo "$limits_line"
echo "$augment_line"
echo "mine and limits outputs identical to the one-thread runs"
