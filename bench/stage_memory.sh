#!/usr/bin/env bash
# Peak memory (and wall time) of every stage that reads events or samples,
# against their number: mine, augment local, fisher truth, fisher histogram,
# limits histo and sally (25 x 25 grids), adaptive-sally and ml (3 x 3) and
# evaluate (issue 20: "memory O(chunk), not O(samples or events) ... flat
# within 20 %").
#
# For each N it generates N events of MadMiner's toy (examples/toy), mines
# them, draws N local samples and N test samples, and evaluates a small SALLY
# model and a small ALICES model (trained once, on the first size) on the N
# test samples and in the limits. Every figure
# is GNU time's peak RSS of the whole process, and its wall time, median of
# REPEATS runs. The last line gives, per stage, the largest peak over the
# smallest.
#
# Usage: bench/stage_memory.sh [GOLDMINE] [N ...]
#   GOLDMINE  the binary (default build/release/apps/goldmine)
#   N         event and sample counts (default 100000 1000000 10000000;
#             10^7 needs about 8 GB of scratch space for the generated file)
# Environment: GOLDMINE_BENCH_REPEATS (default 3), TMPDIR for the scratch.
set -euo pipefail
cd "$(dirname "$0")/.."
here=$(pwd)
goldmine=$(realpath "${1:-build/release/apps/goldmine}")
shift || true
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(100000 1000000 10000000)
repeats=${GOLDMINE_BENCH_REPEATS:-3}
[ -x "$goldmine" ] || { echo "stage_memory: no binary $goldmine (build first)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "stage_memory: needs GNU time (/usr/bin/time)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# Prints "<seconds> <peak MB>", medians over $repeats runs of "$@".
measure() {
  local lines=()
  for _ in $(seq "$repeats"); do
    lines+=("$(/usr/bin/time -f '%e %M' "$@" 2>&1 >/dev/null | tail -n 1)")
  done
  local seconds kb
  seconds=$(printf '%s\n' "${lines[@]}" | awk '{print $1}' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  kb=$(printf '%s\n' "${lines[@]}" | awk '{print $2}' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$seconds $((kb / 1024))"
}

stages=(mine augment fisher_truth fisher_histogram limits_histo limits_sally limits_adaptive limits_ml
        evaluate)
declare -A peaks
printf '%-10s' N
for stage in "${stages[@]}"; do printf ' %22s' "$stage"; done
printf '\n%-10s' ''
for _ in "${stages[@]}"; do printf ' %22s' 's / MB'; done
printf '\n'
model_ready=0
for n in "${counts[@]}"; do
  "$goldmine" generate toy --events "$n" --seed 9 --output toy.hepmc3 \
    --benchmarks "$here/examples/toy/benchmarks.yaml" >/dev/null 2>&1
  sed -e "s|file: toy.hepmc3|file: $work/toy.hepmc3|" "$here/examples/toy/mine_toy.yaml" >mine.yaml
  printf 'morphing:\n  max_overall_power: 2\n  n_trials: 100\n' >>mine.yaml
  declare -A result
  result[mine]=$(measure "$goldmine" mine mine.yaml --output events.h5 --threads 1)
  rm toy.hepmc3
  result[augment]=$(measure "$goldmine" augment local --events events.h5 \
    --theta benchmark:sm --n-samples "$n" --seed 1 --output local.h5)
  "$goldmine" augment test --events events.h5 --theta benchmark:sm \
    --n-samples "$n" --seed 2 --output test.h5 >/dev/null 2>&1
  result[fisher_truth]=$(measure "$goldmine" fisher truth --events events.h5 --theta 0,0)
  result[fisher_histogram]=$(measure "$goldmine" fisher histogram --events events.h5 \
    --theta 0,0 --observable pt --bins 10)
  result[limits_histo]=$(measure "$goldmine" limits --method histo --events events.h5 \
    --grid c1:-1:1:25,c2:-1:1:25 --observables pt --binning 10)
  if [ "$model_ready" = 0 ]; then
    mkdir -p model
    "$goldmine" train --method sally --samples local.h5 --output model/sally \
      --epochs 2 --hidden 50,50 --quiet >/dev/null 2>&1
    "$goldmine" augment ratio --events events.h5 --theta0 random:10:uniform \
      --theta1 benchmark:sm --n-samples 20000 --seed 3 --output ratio.h5 >/dev/null 2>&1
    "$goldmine" train --method alices --samples ratio.h5 --output model/alices \
      --epochs 2 --hidden 50,50 --quiet >/dev/null 2>&1
    rm -f ratio.h5
    model_ready=1
  fi
  # The score and ratio methods: sally (one binning, events read in passes),
  # adaptive-sally (a binning per grid point) and ml (every test event at
  # every point), the last two from scratch files (issue 20). 3 x 3 grids:
  # their time grows with the points, their memory does not.
  result[limits_sally]=$(measure "$goldmine" limits --method sally --events events.h5 \
    --model model/sally --grid c1:-1:1:25,c2:-1:1:25)
  result[limits_adaptive]=$(measure "$goldmine" limits --method adaptive-sally \
    --events events.h5 --model model/sally --grid c1:-1:1:3,c2:-1:1:3)
  result[limits_ml]=$(measure "$goldmine" limits --method ml --events events.h5 \
    --model model/alices --grid c1:-1:1:3,c2:-1:1:3)
  result[evaluate]=$(measure "$goldmine" evaluate --model model/sally --samples test.h5 \
    --output predictions.h5)
  printf '%-10s' "$n"
  for stage in "${stages[@]}"; do
    read -r seconds mb <<<"${result[$stage]}"
    printf ' %13s / %6s' "$seconds" "$mb"
    peaks[$stage]="${peaks[$stage]:-} $mb"
  done
  printf '\n'
  rm -f events.h5 local.h5 test.h5 predictions.h5
done
printf '%-10s' 'max/min'
for stage in "${stages[@]}"; do
  # shellcheck disable=SC2086
  printf ' %22s' "$(printf '%s\n' ${peaks[$stage]} | sort -g | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%.2f", hi / lo}')"
done
printf '\n'
