#!/usr/bin/env bash
# How close SALLY comes to the best possible (issue 16): the default WH study
# (examples/wh_smeft/config.yaml) at parton level and with the wh-1908.06980
# smearing, each compared with the Matrix Element Method event by event on
# the run's MEM events (held out from training), plus learning curves:
# SALLY's information as a fraction of the MEM's against the number of
# training samples and against the number of epochs.
#
# Usage: bench/wh_optimality.sh [WORKDIR] [LEVEL ...]
#   WORKDIR  where the runs and curves go (default build/wh_optimality);
#            reruns reuse what is there (goldmine run skips up-to-date stages)
#   LEVEL    smeared, parton (default both)
# Environment:
#   GOLDMINE                 the binary (default build/release/apps/goldmine)
#   GOLDMINE_BENCH_THREADS   threads of goldmine run (default 2); the curve's
#                            SALLY trains on one LibTorch thread, which is
#                            faster for batches of 128 than two (1M samples,
#                            100 epochs: 660 s on one thread; two threads had
#                            not finished after 20 minutes)
#   GOLDMINE_BENCH_SAMPLES   sample counts of the curve (default
#                            50000 100000 200000 500000 1000000)
#   GOLDMINE_BENCH_EPOCHS    epoch counts of the curve (default 5 10 20 50 100)
#   GOLDMINE_BENCH_SALLY     train options of every curve point (default: the
#                            example's SALLY settings with one member)
#   GOLDMINE_BENCH_RATIO     1 (default): also train the example's RASCAL and
#                            ALICES and compare their expected -2 Δlog L with
#                            the MEM's on the MEM events, where the MEM's is
#                            inside the 95 % CL region (≤ 5.99); 0: SALLY only
# Writes WORKDIR/optimality.json, WORKDIR/optimality.md and, with gnuplot,
# WORKDIR/learning_curves.png; prints the table.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=${1:-build/wh_optimality}
shift || true
levels=("$@")
[ ${#levels[@]} -gt 0 ] || levels=(smeared parton)
goldmine=${GOLDMINE:-$root/build/release/apps/goldmine}
threads=${GOLDMINE_BENCH_THREADS:-2}
read -r -a sample_counts <<< "${GOLDMINE_BENCH_SAMPLES:-50000 100000 200000 500000 1000000}"
# The epoch curve is trained on the default study's number of samples.
epoch_curve_samples=1000000
read -r -a epoch_counts <<< "${GOLDMINE_BENCH_EPOCHS:-5 10 20 50 100}"
ratio=${GOLDMINE_BENCH_RATIO:-1}
grid=cHW:-0.06:0.06:21,cHq3:-0.015:0.015:21
read -r -a sally <<< "${GOLDMINE_BENCH_SALLY:---hidden 100,100 --activation tanh --batch-size 128 --lr 0.001 --lr-decay 0.1 --validation-split 0.25 --early-stopping --ensemble 1 --seed 1}"
[ -x "$goldmine" ] || { echo "wh_optimality: no binary $goldmine (build first)" >&2; exit 2; }
mkdir -p "$work"
work=$(cd "$work" && pwd)
log() { echo "wh_optimality: $*" >&2; }

# One curve point: samples → SALLY → its information on the MEM events,
# with the MEM's on the same events (fisher sally --mem).
point() {
  local dir=$1 n=$2 epochs=$3
  local name="sally_n${n}_e${epochs}"
  local samples="$dir/curves/local_$n.h5"
  mkdir -p "$dir/curves"
  [ -f "$dir/curves/$name.fisher.json" ] && return 0
  if [ ! -f "$samples" ]; then
    "$goldmine" augment local --events "$dir/run/mine/events.h5" \
      --output "$samples" --n-samples "$n" --seed 1 --theta benchmark:sm \
      > /dev/null
  fi
  log "$(basename "$dir"): SALLY on $n samples, $epochs epochs"
  "$goldmine" train --method sally --samples "$samples" \
    --output "$dir/curves/$name" --epochs "$epochs" "${sally[@]}" \
    --threads 1 --quiet > "$dir/curves/$name.train.json"
  "$goldmine" fisher sally --model "$dir/curves/$name" --partition all \
    --mem "$dir/run/mem/mem.h5" --events "$dir/run/mem/events.h5" \
    --theta 0,0 --luminosity 300000 --no-nuisance \
    > "$dir/curves/$name.fisher.tmp" && mv "$dir/curves/$name.fisher.tmp" "$dir/curves/$name.fisher.json"
}

for level in "${levels[@]}"; do
  dir="$work/$level"
  mkdir -p "$dir"
  config="$dir/config.yaml"
  case $level in
    smeared) cp examples/wh_smeft/config.yaml "$config.tmp" ;;
    parton) grep -v '^  smearing:' examples/wh_smeft/config.yaml > "$config.tmp" ;;
    *) echo "wh_optimality: unknown level $level (smeared or parton)" >&2; exit 2 ;;
  esac
  # RASCAL and ALICES: the example's settings, switched on.
  [ "$ratio" = 1 ] && sed -i 's/^    enabled: false$/    enabled: true/' "$config.tmp"
  # The run's own ml scans (41 × 41 points on every test event) would cost
  # 10 minutes per model; the comparison below scans the MEM events.
  sed -i 's/^  methods: \[sally, histo, rate, ml\]/  methods: [sally, histo, rate]/' "$config.tmp"
  cmp -s "$config.tmp" "$config" 2> /dev/null && rm "$config.tmp" || mv "$config.tmp" "$config"
  log "$level: goldmine run (the default study)"
  start=$(date +%s)
  "$goldmine" run "$config" --workdir "$dir/run" --threads "$threads" > "$dir/run.log" 2>&1
  echo $(($(date +%s) - start)) > "$dir/run.seconds"
  for n in "${sample_counts[@]}"; do point "$dir" "$n" "${epoch_counts[-1]}"; done
  for e in "${epoch_counts[@]}"; do point "$dir" "$epoch_curve_samples" "$e"; done
  if [ "$ratio" = 1 ]; then
    # Expected -2 Δlog L at the SM on the MEM events (weights of the
    # test partition), rate term included in both.
    for method in mem rascal alices; do
      [ -f "$dir/limits_$method.json" ] && continue
      log "$level: limits --method $method on the MEM events"
      if [ "$method" = mem ]; then
        model=(--method mem --mem "$dir/run/mem/mem.h5")
      else
        model=(--method ml --model "$dir/run/train/$method")
      fi
      "$goldmine" limits --events "$dir/run/mem/events.h5" "${model[@]}" \
        --grid "$grid" --luminosity 300000 --include-xsec \
        > "$dir/limits_$method.tmp" && mv "$dir/limits_$method.tmp" "$dir/limits_$method.json"
    done
  fi
done

python3 - "$work" "$epoch_curve_samples" "${levels[@]}" << 'EOF'
import json, os, re, sys
work, epoch_curve_samples, levels = sys.argv[1], int(sys.argv[2]), sys.argv[3:]

def det2(m):
    return m[0][0] * m[1][1] - m[0][1] * m[1][0]

def row(path):
    with open(path) as f:
        j = json.load(f)
    info, mem = j["fisher_information"], j["mem_information_same_events"]
    return {"fraction_of_mem": j["fraction_of_mem"],
            "fraction_of_mem_uncertainty": j["fraction_of_mem_uncertainty"],
            "det_ratio": det2(info) / det2(mem)}

result = {}
for level in levels:
    d = os.path.join(work, level)
    entry = {"run_seconds": int(open(os.path.join(d, "run.seconds")).read())}
    entry["default_study"] = row(os.path.join(d, "run/fisher/sally_mem_events.json"))
    points = []
    for name in sorted(os.listdir(os.path.join(d, "curves"))):
        m = re.fullmatch(r"sally_n(\d+)_e(\d+)\.fisher\.json", name)
        if not m:
            continue
        p = row(os.path.join(d, "curves", name))
        p["samples"], p["epochs"] = int(m.group(1)), int(m.group(2))
        with open(os.path.join(d, "curves", name.replace(".fisher", ".train"))) as f:
            p["train_seconds"] = sum(x["seconds"] for x in json.load(f)["members"])
        points.append(p)
    points.sort(key=lambda p: (p["samples"], p["epochs"]))
    entry["curve"] = points
    # RASCAL and ALICES against the MEM inside its 95 % CL region: the
    # largest |Δ| and the largest excess over the tolerance 5 % + 0.2.
    mem_path = os.path.join(d, "limits_mem.json")
    if os.path.exists(mem_path):
        mem = json.load(open(mem_path))["minus_two_delta_log_l"]
        inside = [i for i, v in enumerate(mem) if v <= 5.99]
        entry["ratio"] = {"grid_points_in_95_cl": len(inside)}
        for method in ("rascal", "alices"):
            path = os.path.join(d, f"limits_{method}.json")
            if not os.path.exists(path):
                continue
            ml = json.load(open(path))["minus_two_delta_log_l"]
            diffs = [abs(ml[i] - mem[i]) for i in inside]
            excess = [abs(ml[i] - mem[i]) - (0.05 * mem[i] + 0.2) for i in inside]
            entry["ratio"][method] = {
                "largest_abs_difference": max(diffs),
                "largest_excess_over_tolerance": max(excess),
                "points_within_tolerance": sum(e <= 0 for e in excess)}
    result[level] = entry

tmp = os.path.join(work, "optimality.json.tmp")
with open(tmp, "w") as f:
    json.dump(result, f, indent=1)
os.replace(tmp, os.path.join(work, "optimality.json"))

lines = ["| level | SALLY | I_cHW / MEM | I_cHq3 / MEM | det / det MEM | train [s] |",
         "|---|---|---|---|---|---|"]
def fmt(p):
    f, e = p["fraction_of_mem"], p["fraction_of_mem_uncertainty"]
    return f"{f[0]:.3f} ± {e[0]:.3f} | {f[1]:.3f} ± {e[1]:.3f} | {p['det_ratio']:.3f}"
for level, entry in result.items():
    lines.append(f"| {level} | default study (ensemble of 2; this goldmine run: {entry['run_seconds']} s, up-to-date stages skipped) | "
                 f"{fmt(entry['default_study'])} | |")
    for p in entry["curve"]:
        lines.append(f"| {level} | {p['samples']} samples, {p['epochs']} epochs | {fmt(p)} | "
                     f"{p['train_seconds']:.0f} |")
for level, entry in result.items():
    r = entry.get("ratio")
    if not r:
        continue
    lines.append("")
    lines.append(f"{level}: expected -2 Δlog L against the MEM's on its 95 % CL region "
                 f"({r['grid_points_in_95_cl']} grid points)")
    for method in ("rascal", "alices"):
        if method in r:
            m = r[method]
            lines.append(f"  {method}: largest |Δ| {m['largest_abs_difference']:.3f}, "
                         f"within 5 % + 0.2 at {m['points_within_tolerance']} of "
                         f"{r['grid_points_in_95_cl']} points")
with open(os.path.join(work, "optimality.md"), "w") as f:
    f.write("\n".join(lines) + "\n")
print("\n".join(lines))

# Learning-curve data for gnuplot: one file per level and axis.
for level, entry in result.items():
    for axis in ("samples", "epochs"):
        other = "epochs" if axis == "samples" else "samples"
        fixed = max(p[other] for p in entry["curve"]) if axis == "samples" else epoch_curve_samples
        with open(os.path.join(work, f"{level}_{axis}.dat"), "w") as f:
            for p in entry["curve"]:
                if p[other] != fixed:
                    continue
                f.write(f"{p[axis]} {p['fraction_of_mem'][0]} {p['fraction_of_mem_uncertainty'][0]} "
                        f"{p['fraction_of_mem'][1]} {p['fraction_of_mem_uncertainty'][1]} {p['det_ratio']}\n")
EOF

if command -v gnuplot > /dev/null; then
  plot=""
  for axis in samples epochs; do
    for level in "${levels[@]}"; do
      plot+="set title '$level: against $axis'; set xlabel 'training $axis'; "
      plot+="plot 1 title 'MEM' lw 2 lc rgb 'black', 0.95 title '0.95' dt 2 lc rgb 'gray', "
      plot+="'$work/${level}_$axis.dat' using 1:2:3 with yerrorlines title 'c_{HW}', "
      plot+="'' using 1:4:5 with yerrorlines title 'c_{Hq}^{(3)}', "
      plot+="'' using 1:6 with linespoints title 'det I / det I_{MEM}'; "
    done
  done
  gnuplot -e "set terminal pngcairo size 1200,900; set output '$work/learning_curves.png.tmp'; \
    set multiplot layout 2,${#levels[@]}; set logscale x; set yrange [0.4:1.1]; set key bottom right; \
    set ylabel 'information / MEM'; $plot unset multiplot" &&
    mv "$work/learning_curves.png.tmp" "$work/learning_curves.png" &&
    log "wrote $work/learning_curves.png"
fi
