#!/usr/bin/env python3
"""Call overhead of the Python module: goldmine.histfactory.hypotest from
Python against the same C++ call (bench/histfactory_benchmark's BM_Cls) and
against pyhf's numpy backend (the timings pyhf recorded in
../shared/reference/histfactory/expected/<case>.json), on the reference
workspaces (issue 21).

Usage (from the checkout, after building the release preset):
    PYTHONPATH=build/release/python /usr/bin/python3 bench/python_hypotest.py \
        [--cpp build/release/bench/histfactory_benchmark] [--repeats 21]
Prints one line per case: medians of Python and C++, their difference (the
binding's overhead per call) and the ratio to pyhf. Without --cpp only the
Python column and the pyhf ratio are printed.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import goldmine
from goldmine import histfactory as hf


def reference_dir():
    shared = os.environ.get(
        "GOLDMINE_SHARED_DIR",
        os.path.join(os.path.dirname(__file__), "..", "..", "shared"),
    )
    return os.path.join(shared, "reference", "histfactory")


def load_case(folder, expected):
    with open(os.path.join(folder, expected["workspace"]), encoding="utf-8") as f:
        spec = json.load(f)
    measurement = expected.get("measurement")
    patch = expected.get("patch")
    if patch:
        with open(os.path.join(folder, patch["file"]), encoding="utf-8") as f:
            document = json.load(f)
        spec = (
            hf.apply_patch(spec, document, measurement)
            if patch["type"] == "jsonpatch"
            else hf.apply_patchset(spec, document, patch["name"])
        )
    workspace = hf.Workspace(spec, expected["id"])
    model = workspace.model(measurement_name=measurement)
    return model, workspace.data(model)


def cpp_medians(executable):
    """BM_Cls/<case> real time (s) from the Google benchmark's JSON."""
    output = subprocess.run(
        [executable, "--benchmark_filter=BM_Cls/", "--benchmark_format=json",
         "--benchmark_repetitions=5", "--benchmark_report_aggregates_only=true"],
        check=True, capture_output=True, text=True,
    ).stdout
    medians = {}
    for entry in json.loads(output)["benchmarks"]:
        if entry.get("aggregate_name") == "median":
            case = entry["run_name"].split("/")[1]
            scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[entry["time_unit"]]
            medians[case] = entry["real_time"] * scale
    return medians


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cpp", help="path of bench/histfactory_benchmark")
    parser.add_argument("--repeats", type=int, default=21)
    arguments = parser.parse_args()
    folder = reference_dir()
    if not os.path.isdir(os.path.join(folder, "expected")):
        print(f"skipped: no reference workspaces in {folder}")
        return 0
    cpp = cpp_medians(arguments.cpp) if arguments.cpp else {}
    print(f"goldmine {goldmine.__version__}; medians of {arguments.repeats} calls "
          f"of hypotest(poi_test, data, model, return_expected_set=True)")
    print(f"{'case':36} {'python':>10} {'C++':>10} {'overhead':>10} "
          f"{'pyhf':>9} {'pyhf/python':>11}")
    overheads = []
    for name in sorted(os.listdir(os.path.join(folder, "expected"))):
        with open(os.path.join(folder, "expected", name), encoding="utf-8") as f:
            expected = json.load(f)
        try:
            model, data = load_case(folder, expected)
        except goldmine.Error as error:
            print(f"{expected['id']:36} not loaded: {error}")
            continue
        if model.config.poi_index is None:
            continue
        mu = expected.get("poi_test", 1.0)
        times = []
        for _ in range(arguments.repeats):
            start = time.perf_counter()
            hf.infer.hypotest(mu, data, model, return_expected_set=True)
            times.append(time.perf_counter() - start)
        python = statistics.median(times)
        timing = expected.get("pyhf_default", {}).get("timing", {})
        pyhf = timing.get("hypotest_qtilde_cls_s", {}).get("median")
        cpp_time = cpp.get(expected["id"])
        overhead = python - cpp_time if cpp_time is not None else None
        if overhead is not None:
            overheads.append(overhead)

        def ms(value):
            return f"{value * 1e3:8.3f}ms" if value is not None else f"{'-':>10}"

        ratio = f"{pyhf / python:10.0f}x" if pyhf else f"{'-':>11}"
        print(f"{expected['id']:36} {ms(python)} {ms(cpp_time)} {ms(overhead)} "
              f"{(f'{pyhf:8.3f}s' if pyhf else '-'):>9} {ratio}")
    if overheads:
        print(f"median overhead per call: {statistics.median(overheads) * 1e6:.0f} us")
    return 0


if __name__ == "__main__":
    sys.exit(main())
