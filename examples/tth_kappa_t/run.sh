#!/usr/bin/env bash
# The ttH kappa_t regression study (docs/tth.md): generate -> setup -> mine
# -> Fisher information (truth, rate) -> augment local -> train SALLY ->
# Fisher information (sally) -> expected limits (rate, sally). Every step's
# answer is known exactly:
#   I(cuH, cuH) = L sigma_SM (d kappa_t^2/d cuH)^2 = L sigma_SM (2 x 0.061096)^2
# at the SM, for truth and rate alike (the joint score is zero per event, so
# all information is in the rate), and SALLY must learn t_hat(x) = 0, so its
# kinematic information is ~0 and `fisher sally` (with the rate term) gives
# the same number. The expected limits on cuH (Asimov at the SM) follow from
# the Poisson rate alone: with n = L sigma_SM, nu(c) = n kappa_t(c)^2 and
# MadMiner's observed count round(n),
#   -2 log L(c) = 2 [nu(c) - round(n) log nu(c)] + const,
# minus its minimum on the grid, which the rate and SALLY scans reproduce.
#
# Usage: examples/tth_kappa_t/run.sh [WORKDIR]
# Environment: GOLDMINE (binary, default `goldmine` on PATH), N (events,
# default 20000), PDF (LHAPDF6 grid .dat; default the NNPDF2.3 LO grid in
# $GOLDMINE_SHARED_DIR/data/pdf if present, else the built-in fit),
# EPOCHS (SALLY training epochs, default 20).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
work=${1:-$here/work}
goldmine=${GOLDMINE:-goldmine}
n=${N:-20000}
epochs=${EPOCHS:-20}
luminosity=300000  # pb^-1 (300 fb^-1)
shared=${GOLDMINE_SHARED_DIR:-/work/shared}
pdf=${PDF:-$shared/data/pdf/NNPDF23_lo_as_0130_qed_0000.dat}

mkdir -p "$work"
cp "$here/config.yaml" "$here/benchmarks.yaml" "$work/"
cd "$work"

pdf_args=()
if [[ -f "$pdf" ]]; then pdf_args=(--pdf "$pdf"); fi

echo "== generate ($n events)" >&2
"$goldmine" generate tth --events "$n" --seed 1 --output tth.hepmc3 \
  --benchmarks benchmarks.yaml "${pdf_args[@]}" >generate.json

echo "== setup, mine" >&2
"$goldmine" setup config.yaml --output setup.h5 >setup.json
"$goldmine" mine config.yaml --output tth_events.h5 >mine.json

echo "== fisher truth, rate" >&2
for mode in truth rate; do
  "$goldmine" fisher "$mode" --events tth_events.h5 --theta 0 \
    --luminosity "$luminosity" >"fisher_$mode.json"
done

echo "== augment local, train sally" >&2
"$goldmine" augment local --events tth_events.h5 --output sally_train.h5 \
  --n-samples 20000 --seed 2 --theta point:0 --partition train \
  >augment.json
mkdir -p models
"$goldmine" train --method sally --samples sally_train.h5 \
  --output models/sally --epochs "$epochs" --seed 3 >train.json

echo "== fisher sally" >&2
"$goldmine" fisher sally --events tth_events.h5 --theta 0 \
  --luminosity "$luminosity" --model models/sally >fisher_sally.json
"$goldmine" fisher sally --events tth_events.h5 --theta 0 \
  --luminosity "$luminosity" --model models/sally --no-xsec-info \
  >fisher_sally_kinematic.json

echo "== limits rate, sally" >&2
grid=cuH:-1:1:41
"$goldmine" limits --method rate --events tth_events.h5 --grid "$grid" \
  --luminosity "$luminosity" --asimov-from templates >limits_rate.json
"$goldmine" limits --method sally --events tth_events.h5 --grid "$grid" \
  --luminosity "$luminosity" --model models/sally --include-xsec \
  --asimov-from templates --fill-overflow --information-binning \
  >limits_sally.json

python3 - "$luminosity" <<'PY'
import json, math, sys
lumi = float(sys.argv[1])
gen = json.load(open("generate.json"))
sigma = gen["cross_sections"]["sm"]
error = gen["cross_section_uncertainties"]["sm"]
v = 1.0 / math.sqrt(math.sqrt(2.0) * 1.1663787e-5)
k = -v**3 / (math.sqrt(2.0) * 172.76 * 1e6)
expected = lumi * sigma * (2.0 * k) ** 2
print(f"sigma_SM(semileptonic, H->bb) = {sigma:.6g} +- {error:.2g} pb")
print(f"expected I(cuH,cuH) = L sigma (2k)^2 = {expected:.6g}"
      f"  (k = {k:.6f}; MC error {expected * error / sigma:.2g})")
for name in ["truth", "rate", "sally", "sally_kinematic"]:
    info = json.load(open(f"fisher_{name}.json"))["fisher_information"][0][0]
    print(f"fisher {name:16s} I(cuH,cuH) = {info:.6g}"
          f"  ratio to expected {info / expected:.6f}")
for name in ["rate", "sally"]:
    scan = json.load(open(f"limits_{name}.json"))
    n = scan["n_observed"]  # L sigma of the Asimov events
    exact = [2.0 * (n * (1.0 + k * c) ** 2
                    - round(n) * math.log(n * (1.0 + k * c) ** 2))
             for (c,) in scan["grid"]]
    worst = 0.0
    for q, e in zip(scan["minus_two_delta_log_l"], exact):
        e -= min(exact)
        worst = max(worst, abs(q - e) / max(1.0, e))
    interval = scan["intervals"]["cuH"]["68%"][0]
    print(f"limits {name:5s}: 68% CL cuH in [{interval['lower']:.4f}, "
          f"{interval['upper']:.4f}]; largest deviation from the exact "
          f"-2 Delta log L {worst:.2e} (relative, or absolute below 1)")
PY
