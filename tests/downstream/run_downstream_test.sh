#!/usr/bin/env bash
# The installed CMake package, tested as a user meets it (issue 21;
# docs/cmake_package.md; ACTS's Tests/DownstreamProject):
#   1. `cmake --install` of the build tree into a fresh temporary prefix;
#   2. tests/downstream configured against that prefix with
#      find_package(goldmine), with the build's compiler (and ccache), Ninja,
#      Release, and built;
#   3. no include path or definition of goldmine's private dependencies
#      (HDF5, HepMC3, FastJet, NLopt, LibTorch, ONNX, OpenCV) in its compile
#      command;
#   4. its numbers against independent truths: the morphing weights
#      reproduce random quadratics f exactly, Σ_b w_b(θ) f(θ_b) = f(θ) to
#      1e-9, and its CLs equal those of the installed
#      `goldmine histfactory cls` on the same workspace to 1e-12.
# Exits 77 (ctest's SKIP_RETURN_CODE) with a message when cmake, ninja or
# python3 is missing; any other failure says what differs and exits 1.
#
# Usage: run_downstream_test.sh BUILD_DIR SOURCE_DIR GOLDMINE_EXE
# GOLDMINE_CMAKE and GOLDMINE_NINJA override the cmake and ninja on PATH.
set -euo pipefail

if [ "$#" -ne 3 ]; then
  echo "usage: $0 BUILD_DIR SOURCE_DIR GOLDMINE_EXE" >&2
  exit 2
fi
build_dir=$1
source_dir=$2
goldmine_exe=$3
skip=77

fail() {
  echo "downstream: FAILED: $*" >&2
  exit 1
}

cmake_bin=${GOLDMINE_CMAKE:-$(command -v cmake || true)}
ninja_bin=${GOLDMINE_NINJA:-$(command -v ninja || true)}
python_bin=/usr/bin/python3
[ -x "$python_bin" ] || python_bin=$(command -v python3 || true)
for tool in cmake_bin ninja_bin python_bin; do
  if [ -z "${!tool}" ] || [ ! -x "${!tool}" ]; then
    echo "downstream: SKIPPED: ${tool%_bin} not found (install it, or set" \
      "GOLDMINE_CMAKE / GOLDMINE_NINJA)" >&2
    exit "$skip"
  fi
done
[ -f "$build_dir/CMakeCache.txt" ] || fail "$build_dir is not a CMake build tree"
[ -x "$goldmine_exe" ] || fail "$goldmine_exe is not built; build target goldmine"

# A value of the build's cache, empty when absent or *-NOTFOUND.
cache_value() {
  local value
  value=$(sed -n "s/^$1:[A-Z]*=//p" "$build_dir/CMakeCache.txt" | head -n 1)
  case "$value" in *-NOTFOUND) value= ;; esac
  printf '%s' "$value"
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/goldmine-downstream.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
log=$tmp/log.txt

# Step 1. The two components of goldmine's own install() rules, so that the
# rules of other parts of the tree (python/) play no part here.
for component in goldmine_development goldmine_runtime; do
  "$cmake_bin" --install "$build_dir" --prefix "$prefix" \
    --component "$component" >"$log" 2>&1 ||
    { cat "$log" >&2; fail "cmake --install --component $component"; }
done
config=$(find "$prefix" -name goldmineConfig.cmake -print -quit)
[ -n "$config" ] || fail "no goldmineConfig.cmake under the prefix"
for file in bin/goldmine bin/goldmine-main include/goldmine/morphing/morpher.h \
  include/goldmine/inference/hypotest.h include/goldmine/core/errors.h; do
  [ -f "$prefix/$file" ] || fail "$file was not installed"
done
echo "downstream: installed $(find "$prefix" -type f | wc -l) files into a fresh prefix"

# Step 2. The build's compiler, launcher and sanitizer flags: the installed
# static libraries are that compiler's objects.
args=(-S "$source_dir/tests/downstream" -B "$tmp/build" -G Ninja
  "-DCMAKE_MAKE_PROGRAM=$ninja_bin" -DCMAKE_BUILD_TYPE=Release
  "-DCMAKE_PREFIX_PATH=$prefix")
cxx=$(cache_value CMAKE_CXX_COMPILER)
if [ -n "$cxx" ]; then args+=("-DCMAKE_CXX_COMPILER=$cxx"); fi
# goldmineConfig.cmake enables C for FindHDF5.
cc=$(cache_value CMAKE_C_COMPILER)
if [ -n "$cc" ]; then args+=("-DCMAKE_C_COMPILER=$cc"); fi
ccache=$(cache_value CCACHE_PROGRAM)
if [ -n "$ccache" ] && [ -x "$ccache" ]; then
  args+=("-DCMAKE_CXX_COMPILER_LAUNCHER=$ccache")
  # The prefix changes every run; relative paths below it keep ccache hits.
  export CCACHE_BASEDIR=$tmp
fi
if [ "$(cache_value GOLDMINE_SANITIZERS)" = ON ]; then
  args+=("-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
    "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined")
fi
"$cmake_bin" "${args[@]}" >"$log" 2>&1 ||
  { cat "$log" >&2; fail "configuring tests/downstream against the prefix"; }
found_dir=$(sed -n 's/^goldmine_DIR:[A-Z]*=//p' "$tmp/build/CMakeCache.txt")
case "$found_dir" in
  "$prefix"/*) ;;
  *) fail "find_package(goldmine) found $found_dir, not the fresh prefix" ;;
esac
"$cmake_bin" --build "$tmp/build" >"$log" 2>&1 ||
  { cat "$log" >&2; fail "building tests/downstream against the prefix"; }
echo "downstream: built tests/downstream with find_package(goldmine)"

# Steps 3 and 4.
workspace=$source_dir/tests/downstream/workspace.json
mu=1.5
"$tmp/build/goldmine_downstream" "$workspace" "$mu" >"$tmp/downstream.json" ||
  fail "goldmine_downstream $workspace $mu"
"$prefix/bin/goldmine" histfactory cls "$workspace" --poi-value "$mu" \
  >"$tmp/cli.json" 2>"$log" ||
  { cat "$log" >&2; fail "goldmine histfactory cls $workspace --poi-value $mu"; }
"$python_bin" - "$tmp" "$tmp/build/compile_commands.json" \
  "$tmp/downstream.json" "$tmp/cli.json" <<'EOF'
import itertools
import json
import random
import re
import sys

tmp, compile_commands, downstream_path, cli_path = sys.argv[1:]
problems = []

# 3. What goldmine links PRIVATE must not reach a user's compile command.
private = re.compile(r"hdf5|hepmc|fastjet|nlopt|torch|caffe2|onnx|opencv"
                     r"|_GLIBCXX_USE_CXX11_ABI", re.IGNORECASE)
for entry in json.load(open(compile_commands)):
    if not entry["file"].endswith("main.cc"):
        continue
    for flag in entry["command"].replace(tmp, "TMP").split():
        if private.search(flag) and not flag.endswith("main.cc"):
            problems.append(f"private dependency in the compile command: {flag}")

result = json.load(open(downstream_path))
cli = json.load(open(cli_path))

# 4a. The components of FromMaxPowers({2, 2}, 2), enumerated here.
morphing = result["morphing"]
expected_powers = sorted((i, j) for i, j in itertools.product(range(3), repeat=2)
                         if i + j <= 2)
powers = sorted(tuple(int(k) for k in row) for row in morphing["powers"])
if powers != expected_powers:
    problems.append(f"components {powers}, expected {expected_powers}")
basis = morphing["basis"]
thetas = morphing["thetas"]
weights = morphing["weights"]
if len(basis) != 6 or len(weights) != len(thetas) or any(
        len(row) != len(basis) for row in weights):
    problems.append("morphing output has the wrong shape")

# 4b. Σ_b w_b(θ) f(θ_b) = f(θ) for random f in the span of the components.
def polynomial(coefficients, theta):
    return sum(c * theta[0] ** i * theta[1] ** j
               for (i, j), c in zip(expected_powers, coefficients))

rng = random.Random(21)
worst = 0.0
for trial in range(20):
    coefficients = [rng.uniform(-1.0, 1.0) for _ in expected_powers]
    at_basis = [polynomial(coefficients, point) for point in basis]
    for theta, w in zip(thetas, weights):
        terms = [w_b * f_b for w_b, f_b in zip(w, at_basis)]
        morphed = sum(terms)
        exact = polynomial(coefficients, theta)
        error = abs(morphed - exact) / max(1.0, sum(abs(t) for t in terms))
        worst = max(worst, error)
        if error > 1e-9:
            problems.append(f"f #{trial} at theta {theta}: sum_b w_b f(theta_b) "
                            f"= {morphed!r}, f(theta) = {exact!r}")

# 4c. The CLs of the installed CLI on the same workspace and POI value.
hypotest = result["hypotest"]
pairs = [("CLs_obs", hypotest["CLs_obs"], cli["CLs_obs"]),
         ("CLsb_obs", hypotest["CLsb_obs"], cli["CLsb_obs"]),
         ("CLb_obs", hypotest["CLb_obs"], cli["CLb_obs"]),
         ("poi_value", hypotest["poi_value"], cli["poi_value"])]
pairs += [(f"CLs_exp[{n}]", mine, theirs) for n, (mine, theirs)
          in enumerate(zip(hypotest["CLs_exp"], cli["CLs_exp"]))]
if len(hypotest["CLs_exp"]) != 5 or len(cli["CLs_exp"]) != 5:
    problems.append("CLs_exp does not have 5 entries")
largest_difference = max(abs(mine - theirs) for _, mine, theirs in pairs)
for name, mine, theirs in pairs:
    if abs(mine - theirs) > 1e-12:
        problems.append(f"{name}: downstream {mine!r}, goldmine histfactory "
                        f"cls {theirs!r}")
if not hypotest["converged"] or not cli["converged"]:
    problems.append("a hypotest fit did not converge")
if not 1e-6 < hypotest["CLs_obs"] < 1 - 1e-6:
    problems.append(f"CLs_obs {hypotest['CLs_obs']!r}: too close to 0 or 1 "
                    "to test anything; change the workspace or mu")

if problems:
    print("downstream: FAILED:\n  " + "\n  ".join(problems), file=sys.stderr)
    sys.exit(1)
print(f"downstream: morphing identity holds to {worst:.1e} (20 random "
      f"quadratics at {len(thetas)} theta); CLs_obs = {hypotest['CLs_obs']:.12g} "
      f"at mu = {hypotest['poi_value']:g}, CLs, CLsb, CLb and CLs_exp within "
      f"{largest_difference:.1e} of goldmine histfactory cls")
EOF
echo "downstream: PASSED"
