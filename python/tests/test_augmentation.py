"""goldmine.SampleAugmenter against `goldmine xsec` and `goldmine augment` on
MadMiner's toy events file: cross sections, every sampling method's arrays
(vs the CLI's --npy-folder files), the MadMiner .npy export, the streamed
samples file (output=) vs the CLI's file, and progress callbacks."""

import numpy as np
import pytest

import goldmine
from goldmine import sampling
from goldmine_test_support import assert_same, assert_same_hdf5, npy_files


@pytest.fixture(scope="module")
def augmenter(toy_events):
    return goldmine.SampleAugmenter(toy_events)


# ----------------------------------------------------------- cross sections

XSEC_CASES = [
    # (CLI --theta values, Python theta, partition, seed)
    (["benchmark:sm"], "benchmark:sm", "all", 0),
    (["grid:3,4"], "grid:3,4", "all", 0),
    (["random:5:uniform"], "random:5:uniform", "train", 7),
    (["random:3:gaussian:0.1,-0.2:0.5,0.3"],
     sampling.random_morphing_points(3, [("gaussian", 0.1, 0.5),
                                         ("gaussian", -0.2, 0.3)]),
     "test", 9),
    (["0.5,-0.3"], [0.5, -0.3], "validation", 0),
    (["0.5,-0.3", "0,0", "1.25,1"], [[0.5, -0.3], [0.0, 0.0], [1.25, 1.0]],
     "all", 0),
]


@pytest.mark.parametrize("cli_thetas,theta,partition,seed", XSEC_CASES)
def test_cross_sections_equal_the_cli(augmenter, goldmine_cli, toy_events,
                                      cli_thetas, theta, partition, seed):
    arguments = ["xsec", "--events", toy_events, "--partition", partition,
                 "--seed", seed]
    for spec in cli_thetas:
        arguments += ["--theta", spec]
    expected = goldmine_cli.json(*arguments)
    result = augmenter.cross_sections(theta, partition=partition, seed=seed)
    # The CLI also names the gradient's columns.
    assert expected["xsec_gradient_parameters"] == augmenter.parameter_names
    assert_same(result, expected, "xsec")
    xsec, uncertainty = augmenter.xsecs(theta, partition=partition, seed=seed)
    assert_same(xsec, expected["xsec"], "xsecs")
    assert_same(uncertainty, expected["xsec_uncertainty"], "xsecs uncertainty")


def test_cross_sections_with_madminer_partitions(toy_events, goldmine_cli):
    expected = goldmine_cli.json("xsec", "--events", toy_events, "--theta",
                                 "grid:2,2", "--partition", "train",
                                 "--madminer-partitions")
    augmenter = goldmine.SampleAugmenter(toy_events, madminer_partitions=True)
    assert_same(augmenter.cross_sections("grid:2,2", partition="train"),
                expected, "xsec")


def test_cross_sections_with_a_nuisance_parameter(toy_nuisance_events,
                                                  goldmine_cli):
    """The gradient has a column per parameter, then per nuisance
    parameter."""
    expected = goldmine_cli.json("xsec", "--events", toy_nuisance_events,
                                 "--theta", "grid:2,2", "--theta", "0.1,0.2")
    augmenter = goldmine.SampleAugmenter(toy_nuisance_events)
    grid = augmenter.cross_sections("grid:2,2")["thetas"]
    result = augmenter.cross_sections(np.vstack([grid, [[0.1, 0.2]]]))
    assert np.shape(result["xsec_gradient"]) == (5, 3)
    assert_same(result, expected, "xsec with nuisance")


def test_file_properties(augmenter, toy_events):
    assert augmenter.parameter_names == ["c1", "c2"]
    assert augmenter.observable_names == ["pt", "dphi", "eta", "ptcos"]
    assert augmenter.n_events == 20000
    events = goldmine.events.read_events(toy_events, first=10, count=5)
    assert events["x"].shape == (5, 4)
    assert events["weights"].shape[0] == 5
    assert events["n_events"] == 20000
    setup = goldmine.events.read_setup(toy_events)
    assert [p["name"] for p in setup["parameters"]] == ["c1", "c2"]
    np.testing.assert_array_equal(
        goldmine.events.read_events(toy_events)["x"][10:15], events["x"])


# ------------------------------------------------------------------ samples

# (method, CLI arguments, Python keyword arguments): the same request.
SAMPLE_CASES = [
    ("plain", ["--theta", "random:3:uniform"], dict(theta="random:3:uniform")),
    ("local", ["--theta", "benchmark:sm"], dict(theta="benchmark:sm")),
    ("local", ["--theta", "0.3,-0.2"], dict(theta=[0.3, -0.2])),
    ("density", ["--theta", "random:4:uniform"], dict(theta="random:4:uniform")),
    ("ratio", ["--theta0", "random:5:uniform", "--theta1", "benchmark:sm"],
     dict(theta0="random:5:uniform", theta1="benchmark:sm")),
    ("ratio", ["--theta0", "grid:2,2", "--theta1", "0.2,0.1"],
     dict(theta0="grid:2,2", theta1=[0.2, 0.1])),
    ("more-ratios", ["--theta0", "random:3:uniform", "--theta1", "benchmark:sm",
                     "--additional-theta", "grid:2,2"],
     dict(theta0="random:3:uniform", theta1="benchmark:sm",
          additional_thetas="grid:2,2")),
    ("test", ["--theta", "benchmark:sm"], dict(theta="benchmark:sm")),
]
N_SAMPLES = 3000
SEED = 11


def _case_id(case):
    method, arguments, _ = case
    return method + ":" + "_".join(a for a in arguments if not a.startswith("--"))


# The CLI's .npy names (MadMiner's) of the arrays of Augmenter.sample.
def _npy_name(method, key, partition):
    if key == "theta0" and method in ("plain", "local", "density", "test"):
        key = "theta"
    if key == "t_xz" and method == "more-ratios":
        key = "t_xz0"
    return f"{key}_{partition}.npy"


@pytest.mark.parametrize("case", SAMPLE_CASES, ids=_case_id)
def test_sample_arrays_equal_the_cli_npy_files(augmenter, goldmine_cli,
                                               toy_events, tmp_path, case):
    _check_against_cli(augmenter, goldmine_cli, toy_events, tmp_path, *case)


def test_all_benchmarks_and_threads_equal_the_cli(toy_events, goldmine_cli,
                                                  tmp_path):
    augmenter = goldmine.SampleAugmenter(toy_events, n_threads=2)
    _check_against_cli(augmenter, goldmine_cli, toy_events, tmp_path / "a",
                       "local", ["--theta", "0.5,0.5", "--all-benchmarks",
                                 "--threads", "2"],
                       dict(theta=[0.5, 0.5],
                            sample_only_from_closest_benchmark=False))
    madminer = goldmine.SampleAugmenter(toy_events, madminer_partitions=True)
    _check_against_cli(madminer, goldmine_cli, toy_events, tmp_path / "b", "ratio",
                       ["--theta0", "grid:3,3", "--theta1", "benchmark:sm",
                        "--madminer-partitions"],
                       dict(theta0="grid:3,3", theta1="benchmark:sm"))


def test_nuisance_sampling_equals_the_cli(toy_nuisance_events, goldmine_cli,
                                          tmp_path):
    augmenter = goldmine.SampleAugmenter(toy_nuisance_events)
    for nuisance in ("nominal", "gaussian"):
        sample = _check_against_cli(
            augmenter, goldmine_cli, toy_nuisance_events, tmp_path / nuisance,
            "local", ["--theta", "benchmark:sm", "--nuisance", nuisance],
            dict(theta="benchmark:sm", nuisance=nuisance))
        names = [p["name"] for p in
                 goldmine.events.read_setup(toy_nuisance_events)["nuisance_parameters"]]
        assert len(names) == 1 and sample["nuisance_parameters"] == names
        assert sample["t_xz"].shape[1] == 3  # c1, c2 and the nuisance parameter


def _check_against_cli(augmenter, goldmine_cli, events, tmp_path, method,
                       cli_arguments, python_arguments):
    """Augmenter.sample against `goldmine augment ... --npy-folder` for the
    same request: the arrays, the summary and the MadMiner .npy export."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    folder = tmp_path / "cli"
    summary = goldmine_cli.json(
        "augment", method, "--events", events, "--output",
        tmp_path / "cli.h5", "--n-samples", N_SAMPLES, "--seed", SEED,
        "--npy-folder", folder, *cli_arguments)
    expected = npy_files(folder)

    sample = augmenter.sample(method, N_SAMPLES, SEED, progress=False,
                              folder=tmp_path / "python",
                              filename=summary["partition"], **python_arguments)
    partition = sample["partition"]
    assert partition == ("test" if method == "test" else "train")
    arrays = [k for k in ("x", "theta0", "theta1", "y", "r_xz", "t_xz", "t_xz1")
              if k in sample]
    assert sorted(_npy_name(method, k, partition) for k in arrays) == sorted(expected)
    for key in arrays:
        assert isinstance(sample[key], np.ndarray) and sample[key].dtype == np.float64
        assert_same(sample[key], expected[_npy_name(method, key, partition)],
                    f"{method} {key}")
    for key in ("method", "n_samples", "n_eff", "partition", "seed"):
        assert_same(sample[key], summary[key], f"summary {key}")
    assert sample["parameters"] == augmenter.parameter_names
    assert sample["observables"] == augmenter.observable_names

    # The MadMiner .npy export (folder=, filename=) writes the CLI's files.
    exported = npy_files(tmp_path / "python")
    assert sorted(exported) == sorted(expected)
    assert sorted(sample["npy_files"]) == sorted(
        str(tmp_path / "python" / name) for name in expected)
    for name in expected:
        assert exported[name].dtype == expected[name].dtype
        np.testing.assert_array_equal(exported[name], expected[name], err_msg=name)
        assert ((tmp_path / "python" / name).read_bytes()
                == (folder / name).read_bytes()), name
    return sample


def test_float32_export_equals_the_cli(augmenter, goldmine_cli, toy_events,
                                       tmp_path):
    goldmine_cli.json("augment", "local", "--events", toy_events, "--output",
                      tmp_path / "cli.h5", "--n-samples", 500, "--seed", 2,
                      "--theta", "benchmark:sm", "--float32", "--npy-folder",
                      tmp_path / "cli")
    augmenter.sample("local", 500, 2, theta="benchmark:sm", float32=True,
                     folder=tmp_path / "python", filename="train", progress=False)
    expected = npy_files(tmp_path / "cli")
    exported = npy_files(tmp_path / "python")
    assert sorted(exported) == sorted(expected)
    for name, array in expected.items():
        assert array.dtype == np.float32 and exported[name].dtype == np.float32
        np.testing.assert_array_equal(exported[name], array, err_msg=name)


@pytest.mark.parametrize("case", [SAMPLE_CASES[1], SAMPLE_CASES[4],
                                  SAMPLE_CASES[6]], ids=_case_id)
def test_streamed_samples_file_equals_the_cli_file(augmenter, goldmine_cli,
                                                   toy_events, tmp_path, case):
    """output= writes the samples file piece by piece, as `goldmine augment`
    without --npy-folder: the same file (HDF5 timestamps aside)."""
    method, cli_arguments, python_arguments = case
    cli_file = tmp_path / "cli.h5"
    python_file = tmp_path / "python.h5"
    summary = goldmine_cli.json(
        "augment", method, "--events", toy_events, "--output", cli_file,
        "--n-samples", N_SAMPLES, "--seed", SEED, *cli_arguments)
    result = augmenter.sample(method, N_SAMPLES, SEED, output=python_file,
                              progress=False, **python_arguments)
    assert result["output"] == str(python_file)
    assert not any(k in result for k in ("x", "theta0", "t_xz"))
    for key in ("method", "n_samples", "n_eff", "partition", "seed"):
        assert_same(result[key], summary[key], f"summary {key}")
    assert_same_hdf5(python_file, cli_file)


def test_streamed_file_holds_the_arrays_returned(augmenter, goldmine_cli,
                                                 toy_events, tmp_path):
    """The streamed file's data are the in-memory arrays: the CLI's file from
    the same request exports (--npy-folder) exactly those arrays, and is the
    file output= writes."""
    cli_file = tmp_path / "cli.h5"
    goldmine_cli.json("augment", "density", "--events", toy_events, "--output",
                      cli_file, "--n-samples", 2000, "--seed", 4, "--theta",
                      "random:2:uniform", "--npy-folder", tmp_path / "npy")
    augmenter.sample("density", 2000, 4, theta="random:2:uniform",
                     output=tmp_path / "python.h5", progress=False)
    assert_same_hdf5(tmp_path / "python.h5", cli_file)
    sample = augmenter.sample("density", 2000, 4, theta="random:2:uniform",
                              progress=False)
    expected = npy_files(tmp_path / "npy")
    np.testing.assert_array_equal(sample["x"], expected["x_train.npy"])
    np.testing.assert_array_equal(sample["t_xz"], expected["t_xz_train.npy"])


def test_madminer_named_methods_return_madminer_tuples(augmenter):
    x, theta, t_xz, n_eff = augmenter.sample_train_local(
        sampling.benchmark("sm"), n_samples=400, seed=5, progress=False)
    sample = augmenter.sample("local", 400, 5, theta="benchmark:sm",
                              progress=False)
    np.testing.assert_array_equal(x, sample["x"])
    np.testing.assert_array_equal(theta, sample["theta0"])
    np.testing.assert_array_equal(t_xz, sample["t_xz"])
    assert n_eff == sample["n_eff"]

    returned = augmenter.sample_train_ratio(
        theta0=sampling.random_morphing_points(3), theta1=sampling.benchmark("sm"),
        n_samples=600, seed=6, progress=False)
    sample = augmenter.sample("ratio", 600, 6, theta0="random:3:uniform",
                              theta1="benchmark:sm", progress=False)
    assert len(returned) == 7
    for array, key in zip(returned, ("x", "theta0", "theta1", "y", "r_xz", "t_xz")):
        np.testing.assert_array_equal(array, sample[key], err_msg=key)

    returned = augmenter.sample_train_more_ratios(
        theta0=sampling.grid([2, 2]), theta1=sampling.benchmark("sm"),
        n_samples=400, additional_thetas=sampling.morphing_points([[0.1, 0.1]]),
        seed=7, progress=False)
    assert len(returned) == 8 and returned[-2].shape == returned[-3].shape

    x, theta, n_eff = augmenter.sample_test(sampling.morphing_point([0.2, 0.4]),
                                            n_samples=300, seed=8, progress=False)
    assert x.shape == (300, 4) and theta.shape == (300, 2)
    np.testing.assert_array_equal(theta, np.tile([0.2, 0.4], (300, 1)))


def test_points_given_as_rows_equal_their_specification(augmenter):
    """θ0 as a 2-D array of points samples as the specification that names
    the same points."""
    grid = augmenter.cross_sections("grid:2,2")["thetas"]
    by_spec = augmenter.sample("ratio", 1000, 3, theta0="grid:2,2",
                               theta1="benchmark:sm", progress=False)
    by_rows = augmenter.sample("ratio", 1000, 3, theta0=grid,
                               theta1="benchmark:sm", progress=False)
    for key in ("x", "theta0", "theta1", "y", "r_xz", "t_xz"):
        np.testing.assert_array_equal(by_rows[key], by_spec[key], err_msg=key)
    assert by_rows["theta_specs"][0] == "theta0=points:4"


def test_same_seed_same_sample_other_seed_other_sample(augmenter):
    first = augmenter.sample("local", 500, 1, theta="benchmark:sm", progress=False)
    again = augmenter.sample("local", 500, 1, theta="benchmark:sm", progress=False)
    other = augmenter.sample("local", 500, 2, theta="benchmark:sm", progress=False)
    np.testing.assert_array_equal(first["x"], again["x"])
    assert not np.array_equal(first["x"], other["x"])


# ----------------------------------------------------------------- progress

def _check_progress(calls, rows):
    assert calls, "the progress callback was never called"
    assert all(isinstance(d, int) and isinstance(t, int) for d, t in calls)
    done = [d for d, _ in calls]
    assert done == sorted(done), f"done decreases: {calls}"
    assert all(0 < d <= t for d, t in calls), f"done beyond total: {calls}"
    assert calls[-1][0] == calls[-1][1] == rows, (
        f"the last call {calls[-1]} is not (rows, rows) with rows = {rows}")


def test_progress_callback_reaches_the_total(augmenter, tmp_path):
    calls = []
    result = augmenter.sample("local", 250000, 3, theta="benchmark:sm",
                              output=tmp_path / "big.h5",
                              progress=lambda done, total: calls.append((done, total)))
    _check_progress(calls, result["n_samples"])
    assert result["n_samples"] == 250000
    # Streamed in pieces of at most 1/4 of the events or 100k draws: several calls.
    assert len(calls) >= 2, calls


def test_progress_callback_with_arrays(augmenter):
    calls = []
    sample = augmenter.sample("ratio", 20000, 3, theta0="grid:2,2",
                              theta1="benchmark:sm",
                              progress=lambda done, total: calls.append((done, total)))
    _check_progress(calls, len(sample["x"]))


def test_progress_reaches_the_rows_drawn_when_rounded(augmenter):
    """ratio rounds the draws per θ set (MadMiner's llround(n / 2 / sets)):
    3001 samples of 3 θ0 points give 3000 rows; the bar still ends at its
    total."""
    calls = []
    sample = augmenter.sample("ratio", 3001, 3, theta0="random:3:uniform",
                              theta1="benchmark:sm",
                              progress=lambda done, total: calls.append((done, total)))
    assert len(sample["x"]) == sample["n_samples"] == 3000
    _check_progress(calls, 3000)


def test_an_exception_in_the_callback_stops_the_call(augmenter):
    def interrupt(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        augmenter.sample("local", 1000, 3, theta="benchmark:sm", progress=interrupt)
    # The augmenter is still usable.
    assert augmenter.sample("local", 10, 3, theta="benchmark:sm",
                            progress=False)["n_samples"] == 10


def test_arrays_come_back_without_a_copy(augmenter):
    """docs/python.md: results are the C++ matrices' memory handed to numpy
    (Fortran order), not copies."""
    sample = augmenter.sample("local", 100, 1, theta="benchmark:sm", progress=False)
    for key in ("x", "theta0", "t_xz"):
        array = sample[key]
        assert array.flags.f_contiguous and not array.flags.owndata, key
        assert array.base is not None, key
