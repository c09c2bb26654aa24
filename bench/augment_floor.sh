#!/usr/bin/env bash
# Local sampling (`goldmine augment local`, the input of SALLY), or ratio
# sampling, against its I/O floor, and its peak memory, at 1e5, 1e6 and 1e7
# samples (issue 20).
#
# The floor is the time to read the events file once and to write the
# samples file once at this machine's measured bandwidths, measured with cat
# and dd on files of the same sizes in the same folder, two ways:
# - page cache (floor_s): the events file is in the page cache (as in every
#   measurement here) and goldmine does not fsync, so this is what the
#   command could reach if it only moved its bytes through memory;
# - device (device_s): the storage's sequential bandwidths, read with
#   O_DIRECT and written with fdatasync, the bandwidth at which the samples
#   file reaches the disk (the kernel writes it back after the command).
# Each figure is the median of REPEATS
# runs (wall time and GNU time's peak RSS). The same command runs once more
# with GOLDMINE_NO_HUGE_PAGES=1 (core/huge_pages.h) to show what transparent
# huge pages change.
#
# Usage: bench/augment_floor.sh [GOLDMINE] [N ...]
#   GOLDMINE  the binary (default build/release/apps/goldmine)
#   N         sample counts (default 100000 1000000 10000000)
# Environment: GOLDMINE_BENCH_EVENTS toy events mined (default 300000, the
#              size of ../shared/docs/PERFORMANCE.md's WH file);
#              GOLDMINE_BENCH_REPEATS (default 3);
#              GOLDMINE_BENCH_METHOD local (default) or ratio (100 random
#              uniform θ0 points against θ1 = sm, as PERFORMANCE.md).
set -euo pipefail
cd "$(dirname "$0")/.."
here=$(pwd)
goldmine=$(realpath "${1:-build/release/apps/goldmine}")
shift || true
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(100000 1000000 10000000)
events=${GOLDMINE_BENCH_EVENTS:-300000}
repeats=${GOLDMINE_BENCH_REPEATS:-3}
method=${GOLDMINE_BENCH_METHOD:-local}
case $method in
  local) thetas=(--theta benchmark:sm) ;;
  ratio) thetas=(--theta0 random:100:uniform --theta1 benchmark:sm) ;;
  *) echo "augment_floor: GOLDMINE_BENCH_METHOD is local or ratio" >&2; exit 2 ;;
esac
[ -x "$goldmine" ] || { echo "augment_floor: no binary $goldmine (build first)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "augment_floor: needs GNU time (/usr/bin/time)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# MadMiner's toy: 2 parameters, 6 benchmarks, 4 observables, morphing.
"$goldmine" generate toy --events "$events" --seed 9 --output toy.hepmc3 \
  --benchmarks "$here/examples/toy/benchmarks.yaml" >/dev/null 2>&1
sed -e "s|file: toy.hepmc3|file: $work/toy.hepmc3|" "$here/examples/toy/mine_toy.yaml" >mine.yaml
printf 'morphing:\n  max_overall_power: 2\n  n_trials: 100\n' >>mine.yaml
"$goldmine" mine mine.yaml --output events.h5 --threads 2 >/dev/null 2>&1
rm toy.hepmc3

# Prints "<seconds> <peak KB>", medians over $repeats runs of "$@".
measure() {
  local lines=()
  for _ in $(seq "$repeats"); do
    # Each run starts with no dirty pages: the kernel writing back the last
    # run's 640 MB while this one writes made 10^7 vary from 1.7 to 2.9 s.
    # And with no samples file: replacing one frees its page cache inside the
    # timed command (0.1-0.2 s at 10^7), which the floor's dd, writing a new
    # file, does not pay either.
    rm -f local.h5
    sync
    lines+=("$(/usr/bin/time -f '%e %M' "$@" 2>&1 >/dev/null | tail -n 1)")
  done
  local seconds kb
  seconds=$(printf '%s\n' "${lines[@]}" | awk '{print $1}' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  kb=$(printf '%s\n' "${lines[@]}" | awk '{print $2}' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$seconds $kb"
}

# Page-cache bandwidths in bytes per second: reading the events file (warm),
# and writing a file of `bytes` bytes.
seconds_of() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN {printf "%.6f\n", b - a}'
}
cat events.h5 >/dev/null
read_seconds=$(for _ in 1 2 3; do seconds_of cat events.h5; done | sort -g | sed -n 2p)
device_read_seconds=$(for _ in 1 2 3; do
  seconds_of dd if=events.h5 of=/dev/null bs=1M iflag=direct
done | sort -g | sed -n 2p)
events_bytes=$(stat -c %s events.h5)

printf '%-10s %10s %10s %10s %10s %8s %8s %12s %12s\n' samples floor_s device_s time_s no_thp_s ratio dev_ratio \
  peak_MB no_thp_MB
for n in "${counts[@]}"; do
  augment=("$goldmine" augment "$method" --events events.h5 "${thetas[@]}"
           --n-samples "$n" --seed 1 --output local.h5)
  read -r seconds kb < <(measure "${augment[@]}")
  read -r plain_seconds plain_kb < <(measure env GOLDMINE_NO_HUGE_PAGES=1 "${augment[@]}")
  written=$(stat -c %s local.h5)
  blocks=$(((written + 1048575) / 1048576))
  write_seconds=$(for _ in 1 2 3; do
    seconds_of dd if=/dev/zero of=written.bin bs=1M count="$blocks"
    rm -f written.bin
  done | sort -g | sed -n 2p)
  device_write_seconds=$(for _ in 1 2 3; do
    seconds_of dd if=/dev/zero of=written.bin bs=1M count="$blocks" conv=fdatasync
    rm -f written.bin
  done | sort -g | sed -n 2p)
  floor=$(awk -v r="$read_seconds" -v w="$write_seconds" 'BEGIN {printf "%.3f", r + w}')
  device=$(awk -v r="$device_read_seconds" -v w="$device_write_seconds" 'BEGIN {printf "%.3f", r + w}')
  printf '%-10s %10s %10s %10s %10s %8.1f %8.1f %12.0f %12.0f\n' "$n" "$floor" "$device" "$seconds" \
    "$plain_seconds" \
    "$(awk -v s="$seconds" -v f="$floor" 'BEGIN {print s / f}')" \
    "$(awk -v s="$seconds" -v f="$device" 'BEGIN {print s / f}')" \
    "$(awk -v k="$kb" 'BEGIN {print k / 1024}')" "$(awk -v k="$plain_kb" 'BEGIN {print k / 1024}')"
done
echo "events file: $events events, $((events_bytes / 1048576)) MB, read in $read_seconds s (page cache)," \
  "$device_read_seconds s (device)"
