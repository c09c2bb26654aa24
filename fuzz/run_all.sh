#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each and fails on any finding
# (docs/fuzzing.md): builds the `fuzz` preset when needed, rebuilds the seed
# corpora (make_corpus.sh), then runs the targets one after the other with
# ASan + UBSan, a bounded memory (-rss_limit_mb) and time per input
# (-timeout). Prints per target the executions per second and the final
# coverage (libFuzzer's cov: edges and ft: features).
#
# usage: fuzz/run_all.sh SECONDS [PARSER...]   (default: every parser)
# environment: GOLDMINE_FUZZ_JOBS   build parallelism (default 1)
#              GOLDMINE_FUZZ_PARALLEL targets run at once (default 1)
#              GOLDMINE_FUZZ_RSS_MB memory limit per target (default 2048)
#              GOLDMINE_FUZZ_TIMEOUT seconds one input may take (default 20)
#
# Outputs in build/fuzz/: corpus/ (seeds), corpus_run/<parser>/ (inputs the
# fuzzer found interesting; kept between runs, so coverage keeps growing),
# findings/<parser>/ (crash-*, leak-*, timeout-*, oom-* inputs) and
# logs/<parser>.log. A finding is reproduced with
#   build/fuzz/fuzz/goldmine_fuzz_<parser> build/fuzz/findings/<parser>/crash-...
set -uo pipefail

if [ $# -lt 1 ] || ! [[ $1 =~ ^[0-9]+$ ]]; then
  echo "usage: $0 SECONDS [PARSER...]" >&2
  exit 2
fi
seconds=$1
shift
repo=$(cd "$(dirname "$0")/.." && pwd)
build=$repo/build/fuzz
all=(lhe hepmc2 hepmc3 workspace json_patch patchset morphing_case
     mining_config events_h5 samples_h5 expression)
parsers=("$@")
[ ${#parsers[@]} -eq 0 ] && parsers=("${all[@]}")

cd "$repo" || exit 2
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake --preset fuzz >/dev/null || exit 2
fi
nice -n 15 cmake --build "$build" -j "${GOLDMINE_FUZZ_JOBS:-1}" --target goldmine_fuzzers \
  >"$build/fuzz_build.log" 2>&1 || { tail -n 30 "$build/fuzz_build.log"; exit 2; }
"$repo/fuzz/make_corpus.sh" "$build" >/dev/null || exit 2

# Leaks are findings too, except HDF5's own (lsan.supp). A malloc that
# cannot be served returns NULL, as glibc's does: HDF5 then reports an error
# for a corrupt size field, while operator new still fails loudly (a finding:
# std::bad_alloc is exit 1). Memory is bounded by -rss_limit_mb alone:
# -malloc_limit_mb (default: the RSS limit) would flag HDF5's failed
# malloc(2^50) that production survives.
# A corrupt HDF5 file may make the library loop; goldmine gives up on its
# metadata after 10 s (mining/src/hdf5_crash_probe.h), 1 s while fuzzing.
export GOLDMINE_HDF5_PROBE_SECONDS=${GOLDMINE_HDF5_PROBE_SECONDS:-1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$repo/fuzz/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

mkdir -p "$build/logs"
# Runs one target for $seconds; its exit status goes to logs/<parser>.status
# ("missing" without a binary).
run_target() {
  local parser=$1
  local binary=$build/fuzz/goldmine_fuzz_$parser
  local status_file=$build/logs/$parser.status
  if [ ! -x "$binary" ]; then
    echo missing >"$status_file"
    return
  fi
  mkdir -p "$build/corpus_run/$parser" "$build/findings/$parser"
  nice -n 15 "$binary" "$build/corpus_run/$parser" "$build/corpus/$parser" \
    -max_total_time="$seconds" -rss_limit_mb="${GOLDMINE_FUZZ_RSS_MB:-2048}" -malloc_limit_mb=1048576 \
    -timeout="${GOLDMINE_FUZZ_TIMEOUT:-20}" -print_final_stats=1 \
    -artifact_prefix="$build/findings/$parser/" >"$build/logs/$parser.log" 2>&1
  echo $? >"$status_file"
}

# GOLDMINE_FUZZ_PARALLEL targets at a time (each fuzzer is one process on
# one core): CI runs two on its two cores, the same fuzzing in half the time.
parallel=${GOLDMINE_FUZZ_PARALLEL:-1}
running=0
for parser in "${parsers[@]}"; do
  rm -f "$build/logs/$parser.status"
  run_target "$parser" &
  running=$((running + 1))
  if [ "$running" -ge "$parallel" ]; then
    wait -n
    running=$((running - 1))
  fi
done
wait

failed=()
printf '%-14s %-8s %10s %8s %7s %8s %6s\n' parser result runs exec/s cov ft corpus
for parser in "${parsers[@]}"; do
  status=$(cat "$build/logs/$parser.status" 2>/dev/null || echo missing)
  if [ "$status" = missing ]; then
    echo "$parser: no fuzz target $build/fuzz/goldmine_fuzz_$parser" >&2
    failed+=("$parser")
    continue
  fi
  log=$build/logs/$parser.log
  last=$(grep -E '^#[0-9]+' "$log" | grep ' cov: ' | tail -n 1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  result=ok
  if [ "$status" -ne 0 ]; then
    result=FINDING
    failed+=("$parser")
  fi
  printf '%-14s %-8s %10s %8s %7s %8s %6s\n' "$parser" "$result" "${runs:--}" \
    "${rate:--}" "${cov:--}" "${ft:--}" "${corp:--}"
done

if [ ${#failed[@]} -ne 0 ]; then
  echo "findings in: ${failed[*]} (inputs in $build/findings/, logs in $build/logs/)" >&2
  exit 1
fi
