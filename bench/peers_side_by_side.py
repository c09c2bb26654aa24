#!/usr/bin/env python3
"""goldmine side by side with MadMiner and pyhf on the same inputs (issue 20;
../shared/docs/PERFORMANCE.md, "Side by side").

Every measurement runs in a fresh process (peer and goldmine alternating,
REPEATS times), one thread everywhere. The time is in-process: the work
itself, without Python start-up, imports or building the events file. The
script prints the medians, the peak RSS of the process, and the ratio
peer / goldmine, with a check that both computed the same thing where that
is defined (cross section, Fisher information, CLs).

Usage (from the checkout, after building the release preset):
    PYTHONPATH=build/release/python /usr/bin/python3 bench/peers_side_by_side.py \
        [--events N] [--repeats 3] [--tasks local_1e5,...] [--slow]

The goldmine-only path needs nothing else. The peers run when their
checkouts are given, with Debian's python3 and Debian packages only:
    GOLDMINE_MADMINER_DIR  a MadMiner checkout (the folder holding madminer/);
                           needs python3-h5py python3-scipy python3-sympy
                           python3-matplotlib python3-torch. Its unused
                           imports particle, uproot and vector (reading LHE and
                           ROOT files) are stubbed.
    GOLDMINE_PYHF_DIR      a pyhf checkout (the folder holding src/pyhf);
                           needs python3-scipy python3-jsonschema
                           python3-jsonpatch python3-click python3-tqdm
                           python3-yaml.
The events are MadMiner's toy (2 parameters, 6 benchmarks, 4 observables,
morphing), generated and mined by goldmine (examples/toy); the workspaces
are the pyhf reference cases of ../shared/reference/histfactory.
--slow adds pyhf's upper limits (about a minute each).
"""

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import types

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(HERE)
SHARED = os.environ.get("GOLDMINE_SHARED_DIR", os.path.join(SOURCE, "..", "shared"))
WORKSPACES = ["sbottom_A_1300_205_60", "sbottom_B_1400_550_60",
              "atlastut_sbottom_1200_1150_60", "erjr_3L_200p0_100p0"]
RANGES = [(-1.0, 1.0), (-1.0, 1.0)]

# task name -> (description, peer, size)
TASKS = {
    "local_1e5": ("sample_train_local, 1e5 samples", "madminer", 100000),
    "local_1e6": ("sample_train_local, 1e6 samples", "madminer", 1000000),
    "ratio_100": ("sample_train_ratio, 100 theta0, 1e5 samples", "madminer", 100000),
    "truth_fisher": ("truth Fisher information at the SM", "madminer", None),
    "histo_limits": ("expected limits, 25x25, histogram of pt", "madminer", None),
}
for case in WORKSPACES:
    TASKS[f"cls_{case}"] = (f"CLs (qtilde, asymptotics), {case}", "pyhf", case)
SLOW_TASKS = {f"limit_{case}": (f"95% CL upper limit, {case}", "pyhf", case)
              for case in WORKSPACES[:3]}


# ---------------------------------------------------------------- child side


class _Stub(types.ModuleType):
    """A module whose every attribute is a placeholder: MadMiner imports
    particle, uproot and vector at import time for its LHE and ROOT readers,
    which sampling, Fisher information and limits never call."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        # A class (MadMiner subclasses vector.MomentumObject4D) whose class
        # methods answer with nothing (Particle.findall(...) -> []).
        return _Placeholder


class _PlaceholderType(type):
    def __getattr__(cls, name):
        return lambda *args, **kwargs: []


class _Placeholder(metaclass=_PlaceholderType):
    pass


def import_madminer():
    for name in ("particle", "uproot", "vector"):
        sys.modules.setdefault(name, _Stub(name))
    # MadMiner's histograms call np.histogramdd(normed=...), which NumPy 1.24
    # (Debian 12) no longer takes; `density` is its new name.
    import numpy

    histogramdd = numpy.histogramdd

    def histogramdd_with_normed(*args, normed=None, **kwargs):
        if normed is not None:
            kwargs.setdefault("density", normed)
        return histogramdd(*args, **kwargs)

    numpy.histogramdd = histogramdd_with_normed
    sys.path.insert(0, os.environ["GOLDMINE_MADMINER_DIR"])
    import madminer  # noqa: F401

    return madminer


def import_pyhf():
    sys.path.insert(0, os.path.join(os.environ["GOLDMINE_PYHF_DIR"], "src"))
    # pyhf/_version.py is written when pyhf is packaged; a checkout lacks it.
    version = types.ModuleType("pyhf._version")
    version.version = "checkout"
    sys.modules.setdefault("pyhf._version", version)
    import pyhf

    pyhf.set_backend("numpy")
    return pyhf


def workspace_spec(case):
    folder = os.path.join(SHARED, "reference", "histfactory")
    with open(os.path.join(folder, "expected", case + ".json"), encoding="utf-8") as f:
        expected = json.load(f)
    with open(os.path.join(folder, expected["workspace"]), encoding="utf-8") as f:
        spec = json.load(f)
    patch = expected.get("patch")
    patch_document = None
    if patch:
        with open(os.path.join(folder, patch["file"]), encoding="utf-8") as f:
            patch_document = json.load(f)
    return expected, spec, patch_document


def run_task(tool, task, events, scratch):
    """Runs one task once; returns (seconds, check value)."""
    if tool == "madminer":
        madminer = import_madminer()
    elif tool == "pyhf":
        pyhf = import_pyhf()
    else:
        import goldmine
    kind = task.split("_", 1)[0]
    size = {**TASKS, **SLOW_TASKS}[task][2]
    if kind in ("local", "ratio"):
        if tool == "madminer":
            sampler = madminer.SampleAugmenter(events)
            start = time.perf_counter()
            if kind == "local":
                result = sampler.sample_train_local(
                    theta=madminer.benchmark("sm"), n_samples=size,
                    folder=scratch, filename="train")
            else:
                result = sampler.sample_train_ratio(
                    theta0=madminer.random_morphing_points(
                        100, [("flat", lo, hi) for lo, hi in RANGES]),
                    theta1=madminer.benchmark("sm"), n_samples=size,
                    folder=scratch, filename="train")
            return time.perf_counter() - start, float(result[-1])
        sampler = goldmine.SampleAugmenter(events)
        start = time.perf_counter()
        if kind == "local":
            result = sampler.sample("local", size, 1, theta="benchmark:sm",
                                    output=os.path.join(scratch, "s.h5"),
                                    progress=False)
        else:
            result = sampler.sample("ratio", size, 1, theta0="random:100:uniform",
                                    theta1="benchmark:sm",
                                    output=os.path.join(scratch, "s.h5"),
                                    progress=False)
        return time.perf_counter() - start, float(result["n_eff"])
    if task == "truth_fisher":
        if tool == "madminer":
            fisher = madminer.FisherInformation(events)
            start = time.perf_counter()
            information, _ = fisher.truth_information(theta=[0.0, 0.0], luminosity=300000.0)
        else:
            fisher = goldmine.FisherInformation(events)
            start = time.perf_counter()
            information, _ = fisher.truth_information([0.0, 0.0], 300000.0)
        return time.perf_counter() - start, float(information[0][0])
    if task == "histo_limits":
        options = dict(mode="histo", theta_true=[0.0, 0.0], grid_ranges=RANGES,
                       grid_resolutions=[25, 25], hist_vars=["pt"], hist_bins=[10])
        if tool == "madminer":
            limits = madminer.AsymptoticLimits(events)
            start = time.perf_counter()
            result = limits.expected_limits(include_xsec=True, luminosity=300000.0,
                                            **options)
        else:
            limits = goldmine.AsymptoticLimits(events, madminer=True)
            start = time.perf_counter()
            result = limits.expected_limits(include_xsec=True, luminosity=300000.0,
                                            progress=False, **options)
        return time.perf_counter() - start, float(max(result[1]))
    # HistFactory: the model is built before the clock starts (in both).
    expected, spec, patch_document = workspace_spec(size)
    patch = expected.get("patch")
    measurement = expected.get("measurement")
    if tool == "pyhf":
        if patch:
            if patch["type"] == "jsonpatch":
                import jsonpatch

                spec = jsonpatch.apply_patch(spec, patch_document)
            else:
                spec = pyhf.PatchSet(patch_document)[patch["name"]].apply(spec)
        workspace = pyhf.Workspace(spec)
        model = workspace.model(measurement_name=measurement)
        data = workspace.data(model)
        start = time.perf_counter()
        if kind == "cls":
            value = pyhf.infer.hypotest(expected["poi_test"], data, model,
                                        test_stat="qtilde", return_expected_set=True)[0]
        else:
            value = pyhf.infer.intervals.upper_limits.upper_limit(data, model)[0]
        return time.perf_counter() - start, float(value)
    from goldmine import histfactory as hf

    if patch:
        spec = (hf.apply_patch(spec, patch_document, measurement)
                if patch["type"] == "jsonpatch"
                else hf.apply_patchset(spec, patch_document, patch["name"]))
    workspace = hf.Workspace(spec)
    model = workspace.model(measurement_name=measurement)
    data = workspace.data(model)
    start = time.perf_counter()
    if kind == "cls":
        value = hf.infer.hypotest(expected["poi_test"], data, model,
                                  return_expected_set=True)[0]
    else:
        value = hf.infer.intervals.upper_limits.upper_limit(data, model)[0]
    return time.perf_counter() - start, float(value)


# --------------------------------------------------------------- parent side


def make_events(n_events, folder):
    goldmine = os.environ.get("GOLDMINE_EXECUTABLE",
                              os.path.join(SOURCE, "build", "release", "apps", "goldmine"))
    toy = os.path.join(SOURCE, "examples", "toy")
    subprocess.run([goldmine, "generate", "toy", "--events", str(n_events), "--seed", "9",
                    "--output", os.path.join(folder, "toy.hepmc3"),
                    "--benchmarks", os.path.join(toy, "benchmarks.yaml")],
                   check=True, capture_output=True)
    with open(os.path.join(toy, "mine_toy.yaml"), encoding="utf-8") as f:
        config = f.read().replace("file: toy.hepmc3",
                                  "file: " + os.path.join(folder, "toy.hepmc3"))
    config += "morphing:\n  max_overall_power: 2\n  n_trials: 100\n"
    with open(os.path.join(folder, "mine.yaml"), "w", encoding="utf-8") as f:
        f.write(config)
    subprocess.run([goldmine, "mine", os.path.join(folder, "mine.yaml"), "--output",
                    os.path.join(folder, "events.h5"), "--threads", "2"],
                   check=True, capture_output=True)
    os.remove(os.path.join(folder, "toy.hepmc3"))
    return os.path.join(folder, "events.h5")


def child(tool, task, events):
    """One measurement in this process: JSON on stdout."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    scratch = tempfile.mkdtemp()
    try:
        seconds, check = run_task(tool, task, events, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "check": check}))


def measure(tool, task, events):
    environment = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
                       MKL_NUM_THREADS="1")
    if tool == "goldmine" and "GLIBC_TUNABLES" not in environment:
        # What the goldmine commands set for themselves (core/huge_pages.h);
        # from Python it must be in the environment when python3 starts.
        environment["GLIBC_TUNABLES"] = "glibc.malloc.hugetlb=1"
    result = subprocess.run([sys.executable, __file__, "--child", tool, task, events],
                            capture_output=True, text=True, env=environment)
    if result.returncode != 0:
        raise RuntimeError(f"{tool} {task} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300000,
                        help="toy events (default 300000, PERFORMANCE.md's file size)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--tasks", help="comma-separated subset of the task names")
    parser.add_argument("--slow", action="store_true", help="add pyhf's upper limits")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        child(*arguments.child)
        return 0
    tasks = dict(TASKS, **(SLOW_TASKS if arguments.slow else {}))
    if arguments.tasks:
        tasks = {name: tasks[name] for name in arguments.tasks.split(",")}
    peers = {"madminer": "GOLDMINE_MADMINER_DIR", "pyhf": "GOLDMINE_PYHF_DIR"}
    present = {peer for peer, variable in peers.items() if os.environ.get(variable)}
    folder = tempfile.mkdtemp()
    try:
        events = make_events(arguments.events, folder)
        print(f"{arguments.events} toy events; medians of {arguments.repeats} fresh "
              f"processes each, one thread; peers: {', '.join(sorted(present)) or 'none'}")
        print(f"{'work':56} {'peer':>10} {'goldmine':>10} {'ratio':>8} "
              f"{'peer MB':>8} {'gm MB':>7}  check (peer / goldmine)")
        for name, (description, peer, _) in tasks.items():
            if name.startswith(("cls_", "limit_")) and not os.path.isdir(
                    os.path.join(SHARED, "reference", "histfactory")):
                continue
            runs = {"goldmine": [], peer: []}
            for _ in range(arguments.repeats):
                if peer in present:
                    runs[peer].append(measure(peer, name, events))
                runs["goldmine"].append(measure("goldmine", name, events))

            def median(tool, key):
                values = [run[key] for run in runs[tool]]
                return statistics.median(values) if values else None

            mine = median("goldmine", "seconds")
            theirs = median(peer, "seconds")
            ratio = f"{theirs / mine:7.1f}x" if theirs else f"{'-':>8}"
            peer_time = f"{theirs:9.3f}s" if theirs else f"{'-':>10}"
            peer_mb = f"{median(peer, 'peak_mb'):8.0f}" if theirs else f"{'-':>8}"
            check = runs["goldmine"][0]["check"]
            peer_check = f"{runs[peer][0]['check']:.6g} / " if runs[peer] else ""
            print(f"{description:56} {peer_time} {mine:9.3f}s {ratio} {peer_mb} "
                  f"{median('goldmine', 'peak_mb'):7.0f}  {peer_check}{check:.6g}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
