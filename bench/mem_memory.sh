#!/usr/bin/env bash
# Peak memory of `goldmine mem` against the number of events (issue 16:
# "memory must stay flat in the number of events").
#
# Generates built-in WH events at parton level, mines the full final state,
# then runs `goldmine mem` on the first N events for each N and prints the
# peak resident set size (GNU time's %M) and the wall time. `goldmine mem`
# reads, integrates and writes 512 events at a time, so the peak should not
# grow with N.
#
# Usage: bench/mem_memory.sh [GOLDMINE] [N ...]
#   GOLDMINE  the binary (default build/release/apps/goldmine)
#   N         event counts (default 1000 4000 16000)
# Environment: GOLDMINE_BENCH_THREADS (default 2), GOLDMINE_BENCH_PRECISION
# (default 1e-2, the precision of the default study).
set -euo pipefail
cd "$(dirname "$0")/.."
goldmine=${1:-build/release/apps/goldmine}
shift || true
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1000 4000 16000)
threads=${GOLDMINE_BENCH_THREADS:-2}
precision=${GOLDMINE_BENCH_PRECISION:-1e-2}
[ -x "$goldmine" ] || { echo "mem_memory: no binary $goldmine (build first)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "mem_memory: needs GNU time (/usr/bin/time)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The generator's benchmarks, also those of the mining configuration.
benchmarks="benchmarks:
  sm: {}
  cHW_p: {cHW: 1.0}
  cHW_m: {cHW: -1.0}
  cHq3_p: {cHq3: 0.2}
  cHq3_m: {cHq3: -0.2}
  mixed: {cHW: 0.7, cHq3: 0.14}
"
echo "$benchmarks" > "$work/benchmarks.yaml"
cat > "$work/mine.yaml" << EOF
parameters:
  cHW:  {lha_block: smeft, lha_id: 7,  max_power: 2, range: [-1, 1]}
  cHq3: {lha_block: smeft, lha_id: 13, max_power: 2, range: [-0.2, 0.2]}
$benchmarks
morphing: {max_overall_power: 2}
samples:
  - file: $work/wh.hepmc3
    sampled_from: sm
objects: {level: parton}
observables:
  l_px: l[0].px
  l_py: l[0].py
  l_pz: l[0].pz
  l_charge: l[0].charge
  b1_px: b[0].px
  b1_py: b[0].py
  b1_pz: b[0].pz
  b2_px: b[1].px
  b2_py: b[1].py
  b2_pz: b[1].pz
cuts:
  - "len(b) >= 2"
  - "len(l) >= 1"
seed: 1
EOF

# Each N gets its own generated and mined events file, so that the input
# and the MEM file grow with N as in a real run.
printf '%8s %14s %10s %12s\n' events "peak RSS [MB]" "wall [s]" "events/s"
for n in "${counts[@]}"; do
  "$goldmine" generate wh --events "$n" --seed 1 --operators cHW,cHq3 \
    --output "$work/wh.hepmc3" --benchmarks "$work/benchmarks.yaml" > /dev/null 2>&1
  "$goldmine" mine "$work/mine.yaml" --output "$work/events.h5" > /dev/null 2>&1
  /usr/bin/time -f '%M %e' -o "$work/time.txt" \
    "$goldmine" mem --events "$work/events.h5" --output "$work/mem.h5" \
    --threads "$threads" --precision "$precision" > /dev/null 2> "$work/mem.err" ||
    { echo "mem_memory: goldmine mem failed:" >&2; tail -3 "$work/mem.err" >&2; exit 1; }
  read -r rss_kb wall < "$work/time.txt"
  # Every generated event passes the cuts at parton level (l, b b̄).
  awk -v n="$n" -v kb="$rss_kb" -v s="$wall" \
    'BEGIN { printf "%8d %14.1f %10.1f %12.1f\n", n, kb / 1024, s, n / s }'
  rm -f "$work/wh.hepmc3" "$work/events.h5" "$work/mem.h5"
done
