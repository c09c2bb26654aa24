#!/usr/bin/env bash
# Builds the seed corpora of the fuzz targets (docs/fuzzing.md):
#   build/fuzz/corpus/<parser>/
# from the reference files beside the checkout (../shared/reference and
# ../shared/data/events, cut down to a few events each: small seeds fuzz
# faster), the project's own example configurations, the hand-written seeds
# of fuzz/seeds/<parser>/ and the findings kept in
# tests/regression_inputs/<parser>/. Nothing here is committed: the corpus
# folder is in the build tree. Shared files that are absent are skipped.
#
# usage: fuzz/make_corpus.sh [BUILD_DIR]   (default build/fuzz; it must hold
#        the built goldmine_fuzz_make_h5_seeds for the HDF5 seeds)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$repo/build/fuzz}
shared=${GOLDMINE_SHARED_DIR:-$repo/../shared}
corpus=$build/corpus
python=/usr/bin/python3

parsers=(lhe hepmc2 hepmc3 workspace json_patch patchset morphing_case
         mining_config events_h5 samples_h5 expression)
rm -rf "$corpus"
for parser in "${parsers[@]}"; do
  mkdir -p "$corpus/$parser"
  for folder in "$repo/fuzz/seeds/$parser" "$repo/tests/regression_inputs/$parser"; do
    if [ -d "$folder" ]; then
      # *.open: known findings not fixed yet (tests/regression_inputs/README.md)
      find "$folder" -maxdepth 1 -type f ! -name '*.md' ! -name '*.open' -exec cp {} "$corpus/$parser/" \;
    fi
  done
done

# Prints a file, decompressing .gz; the reader stops early (SIGPIPE is fine).
show() {
  case "$1" in
    *.gz) gzip -dc "$1" || true ;;
    *) cat "$1" || true ;;
  esac
}

# Event files: the header and the first $2 events, closed as the format
# requires, plus one gzip-compressed copy to reach the gzip path.
cut_lhe() {  # file events
  show "$1" | awk -v n="$2" '{print} /<\/event>/ {if (++seen == n) exit}
                            END {print "</LesHouchesEvents>"}'
}
cut_hepmc() {  # file events end-line
  show "$1" | awk -v n="$2" -v end="$3" '
    /^E / {if (++seen > n) exit}
    /^HepMC::.*END_EVENT_LISTING/ {exit}
    {print} END {print end}'
}
events=$shared/data/events
if [ -d "$events" ]; then
  for file in "$events"/*.lhe "$events"/*.lhe.gz; do
    [ -e "$file" ] || continue
    name=$(basename "$file" .gz)
    cut_lhe "$file" 1 > "$corpus/lhe/${name%.lhe}_1.lhe"
    cut_lhe "$file" 3 > "$corpus/lhe/${name%.lhe}_3.lhe"
  done
  for file in "$events"/*.hepmc3; do
    [ -e "$file" ] || continue
    name=$(basename "$file" .hepmc3)
    for n in 1 3; do
      cut_hepmc "$file" $n HepMC::Asciiv3-END_EVENT_LISTING > "$corpus/hepmc3/${name}_$n.hepmc3"
    done
  done
  for file in "$events"/*.hepmc; do
    [ -e "$file" ] || continue
    name=$(basename "$file" .hepmc)
    for n in 1; do  # a showered Sherpa event is 200 kB already
      cut_hepmc "$file" $n HepMC::IO_GenEvent-END_EVENT_LISTING > "$corpus/hepmc2/${name}_$n.hepmc"
    done
  done
  for parser in lhe hepmc2 hepmc3; do
    first=$(find "$corpus/$parser" -type f -name '*_1.*' | sort | head -n 1)
    if [ -n "$first" ]; then gzip -c "$first" > "$first.gz"; fi
  done
else
  echo "make_corpus: $events absent: event seeds are the hand-written ones only" >&2
fi

histfactory=$shared/reference/histfactory
if [ -d "$histfactory" ]; then
  # Workspaces up to 200 kB (the sbottom ones are 0.6-0.9 MB).
  find "$histfactory/workspaces" -name '*.json' -size -200k -exec cp {} "$corpus/workspace/" \;
  find "$histfactory/patches" -name '*.patch.*.json' -size -64k -exec cp {} "$corpus/json_patch/" \;
  find "$histfactory/patches" -name '*.patchset.json' -exec cp {} "$corpus/patchset/" \;
else
  echo "make_corpus: $histfactory absent: JSON seeds are the hand-written ones only" >&2
fi

# Morphing cases: each of MadMiner's reference cases, keeping the input keys
# of `goldmine morphing` (the reference answers are dropped).
cases=$shared/reference/madminer/morphing_cases.json
if [ -f "$cases" ]; then
  "$python" - "$cases" "$corpus/morphing_case" <<'PY'
import json, sys
inputs = {"name", "parameter_names", "parameter_max_power", "max_overall_power",
          "parameter_range", "thetas", "basis", "seed", "n_trials", "components",
          "fixed_benchmarks", "benchmark_names", "n_production_couplings",
          "n_decay_couplings", "n_shared_couplings", "basis_p", "basis_d", "basis_s"}
document = json.load(open(sys.argv[1]))
for number, case in enumerate(document["cases"]):
    seed = {key: value for key, value in case.items() if key in inputs}
    seed["thetas"] = seed.get("thetas", [])[:3]
    with open(f"{sys.argv[2]}/reference_case_{number}.json", "w") as out:
        json.dump(seed, out)
PY
fi

# Mining configurations: the example and test configurations of the project,
# and the observables and cuts they define as expression seeds.
find "$repo/examples" -name '*.yaml' | while read -r file; do
  cp "$file" "$corpus/mining_config/$(basename "$(dirname "$file")")_$(basename "$file")"
done
"$python" - "$corpus/mining_config" "$corpus/expression" <<'PY'
import glob, sys, yaml
number = 0
for path in sorted(glob.glob(sys.argv[1] + "/*.yaml")):
    try:
        document = yaml.safe_load(open(path))
    except Exception:
        continue
    if not isinstance(document, dict):
        continue
    document = document.get("mining", document)
    texts = [o.get("expression", "") if isinstance(o, dict) else o
             for o in (document.get("observables") or {}).values()] \
        if isinstance(document.get("observables"), dict) else []
    for entry in document.get("observables") or []:
        if isinstance(entry, dict) and "expression" in entry:
            texts.append(entry["expression"])
    for entry in document.get("cuts") or []:
        texts.append(entry.get("expression", "") if isinstance(entry, dict) else entry)
    for text in texts:
        if isinstance(text, str) and text:
            number += 1
            open(f"{sys.argv[2]}/config_{number}.txt", "w").write(text)
PY

# HDF5 events and samples files written by goldmine's own writers, and the
# MadMiner reference setup file (12 kB; the events files are 1.7 MB).
"$build/fuzz/goldmine_fuzz_make_h5_seeds" "$corpus/events_h5" "$corpus/samples_h5"
if [ -f "$shared/reference/madminer/toy_setup.h5" ]; then
  cp "$shared/reference/madminer/toy_setup.h5" "$corpus/events_h5/"
fi

for parser in "${parsers[@]}"; do
  printf '%-14s %4d seeds, %7d bytes\n' "$parser" \
    "$(find "$corpus/$parser" -type f | wc -l)" \
    "$(find "$corpus/$parser" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')"
done
