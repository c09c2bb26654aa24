#!/usr/bin/env bash
# Installs every Debian 12 package goldmine needs to build, test and run.
# Non-interactive and idempotent: packages already installed are skipped, and
# apt is not touched at all when nothing is missing.
#
# Usage: scripts/setup.sh [--main]
#   --main  only what the `goldmine` executables need to build and run
#           (scripts/main.sh): not the Python module, the test-only tools,
#           Snakemake or the fuzzing compiler, which took most of the five
#           minutes a fresh machine spent installing everything (issue 20).
#           scripts/build.sh configures again when packages arrive later.
set -euo pipefail

only_main=0
case "${1:-}" in
  --main) only_main=1 ;;
  "") ;;
  *) echo "goldmine setup: unknown argument \"$1\" (expected --main or nothing)" >&2; exit 2 ;;
esac

# What `goldmine` needs, with every optional part of it (ONNX export and
# read-back) so that it has the same features whichever script ran first.
# GoogleTest and Google Benchmark are here because configuring the tree
# needs them (and this machine type has them already).
main_packages=(
  # toolchain
  g++ cmake ninja-build ccache clang-format git
  # libraries named in DESIGN.md
  libeigen3-dev libboost-program-options-dev
  libhdf5-dev hdf5-helpers          # FindHDF5 needs h5cc/h5c++ from hdf5-helpers
  nlohmann-json3-dev libyaml-cpp-dev
  libhepmc3-dev libfastjet-dev
  zlib1g-dev                        # gzip input for every event format
  libtorch-dev
  libopenblas0-pthread              # torch's BLAS: ~5x faster training than the reference BLAS
  libnlopt-cxx-dev                  # maintained minimiser (L-BFGS, bounds) for fits and limits
  gnuplot-nox                       # `goldmine run` report plots: maintained Debian plotting tool, PNG (pngcairo) and SVG terminals
  libssl-dev                        # SHA-256 of files for provenance (core/file_digest.h): OpenSSL's libcrypto
  libonnx-dev                       # `goldmine export onnx`: ONNX 1.12's protobuf classes and checker (estimators/src/onnx_*)
  libopencv-dnn-dev                 # reading ONNX models back (evaluate/fisher/limits --model NAME.onnx): OpenCV's maintained dnn runtime
  # configuring the tree (tests/ and bench/ are part of it)
  libgtest-dev libgmock-dev libbenchmark-dev
)

# The rest: tests, the Python module, workflows and fuzzing.
test_packages=(
  libvalijson-dev                   # header-only JSON-Schema validator: tests check goldmine's pyhf schema rules against pyhf's schema files
  python3-onnx                      # tests: ONNX's own Python checker and metadata reader, outside goldmine
  snakemake                         # `goldmine run --emit snakemake`: the study as a workflow for laptops, Slurm, HTCondor, REANA (issue 19)
  # the Python module `goldmine` (python/, issue 21): pybind11 is the maintained C++/Python
  # binding library (header-only, numpy and Eigen conversions without copies); pytest runs its tests
  python3-dev python3-numpy pybind11-dev python3-pytest
  python3-matplotlib                # the plots of examples/python/madminer_tutorial.py (tested)
  # fuzzing only (the `fuzz` preset, docs/fuzzing.md; the release build does not use them):
  # libFuzzer comes with clang's compiler-rt, which Debian 12 packages apart from clang 14
  clang libclang-rt-14-dev
)

packages=("${main_packages[@]}")
[ "$only_main" -eq 1 ] || packages+=("${test_packages[@]}")

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done

# An ONNX runtime outside goldmine for the export tests (tests/onnx): npm's
# onnxruntime-node, whose CPU library ships in the package, so its install
# script (which would download GPU libraries) is skipped. Optional: the tests
# skip with a message without node or the npm registry.
install_onnx_runtime() {
  [ "$only_main" -eq 0 ] || return 0
  local dir
  dir="$(cd "$(dirname "$0")/.." && pwd)/tests/onnx"
  if [ -d "$dir/node_modules/onnxruntime-node" ] || ! command -v npm >/dev/null 2>&1; then
    return 0
  fi
  echo "goldmine setup: installing onnxruntime-node into tests/onnx (npm)" >&2
  (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2) ||
    echo "goldmine setup: npm install failed; the ONNX runtime tests will skip" >&2
}

if [ ${#missing[@]} -eq 0 ]; then
  install_onnx_runtime
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "goldmine setup: installing ${#missing[@]} Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
install_onnx_runtime
