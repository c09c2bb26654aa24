#!/usr/bin/env bash
# Installs every Debian 12 package goldmine needs to build, test and run.
# Non-interactive and idempotent: packages already installed are skipped, and
# apt is not touched at all when nothing is missing.
set -euo pipefail

packages=(
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
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  libvalijson-dev                   # header-only JSON-Schema validator: tests check goldmine's pyhf schema rules against pyhf's schema files
  # fuzzing only (the `fuzz` preset, docs/fuzzing.md; the release build does not use them):
  # libFuzzer comes with clang's compiler-rt, which Debian 12 packages apart from clang 14
  clang libclang-rt-14-dev
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
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
