"""goldmine.AsymptoticLimits against `goldmine limits --method rate|histo` on
MadMiner's toy events: every key of the CLI's JSON to 1e-12 (compute),
MadMiner's expected_limits / observed_limits returns, fixed and profiled
parameters, and the progress callback."""

import numpy as np
import pytest

import goldmine
from goldmine_test_support import assert_same

GRID = {"c1": (-1.0, 1.0, 9), "c2": (-1.0, 1.0, 7)}
GRID_TEXT = "c1:-1:1:9,c2:-1:1:7"
THETA_TRUE = [0.1, -0.1]


@pytest.fixture(scope="module")
def limits(toy_events):
    return goldmine.AsymptoticLimits(toy_events)


def _cli(goldmine_cli, events, method, *extra, grid=GRID_TEXT):
    return goldmine_cli.json("limits", "--events", events, "--method", method,
                             "--grid", grid, "--include-xsec", *extra)


def test_rate_equals_the_cli(limits, goldmine_cli, toy_events):
    expected = _cli(goldmine_cli, toy_events, "rate", "--theta-true", "0.1,-0.1")
    result = limits.compute("rate", GRID, theta_true=THETA_TRUE, progress=False)
    assert_same(result, expected, "rate")
    assert result["grid"].shape == (63, 2)


# (CLI arguments, Python arguments)
HISTO = [
    (["--observables", "pt", "--binning", "6"],
     dict(observables=["pt"], binning="6")),
    (["--observables", "pt,dphi", "--binning", "4;3"],
     dict(observables=["pt", "dphi"], binning=[4, 3])),
    (["--observables", "pt", "--binning", "20,50,100,200"],
     dict(observables=["pt"], binning=[[20, 50, 100, 200]])),
]


@pytest.mark.parametrize("cli_arguments,arguments", HISTO,
                         ids=["1d-adaptive", "2d-adaptive", "1d-edges"])
def test_histo_equals_the_cli(limits, goldmine_cli, toy_events, cli_arguments,
                              arguments):
    expected = _cli(goldmine_cli, toy_events, "histo", "--theta-true",
                    "0.1,-0.1", *cli_arguments)
    result = limits.compute("histo", GRID_TEXT, theta_true=THETA_TRUE,
                            progress=False, **arguments)
    assert_same(result, expected, "histo")
    assert "95%" in result["intervals"]["c1"]


def test_without_xsec_and_other_luminosity(toy_events, goldmine_cli):
    expected = goldmine_cli.json(
        "limits", "--events", toy_events, "--method", "histo", "--grid",
        GRID_TEXT, "--observables", "pt", "--binning", "5", "--luminosity", 10000)
    result = goldmine.AsymptoticLimits(toy_events).compute(
        "histo", GRID, observables=["pt"], binning="5", include_xsec=False,
        luminosity=10000.0, progress=False)
    assert_same(result, expected, "histo without xsec")


def test_fixed_and_profiled_parameters_equal_the_cli(limits, goldmine_cli,
                                                     toy_events):
    expected = _cli(goldmine_cli, toy_events, "histo", "--observables", "pt",
                    "--binning", "5", "--fix", "c2=0.2", grid="c1:-1:1:11")
    result = limits.compute("histo", {"c1": (-1, 1, 11)}, observables=["pt"],
                            binning="5", fix={"c2": 0.2}, progress=False)
    assert_same(result, expected, "histo with c2 fixed")

    expected = _cli(goldmine_cli, toy_events, "rate", "--profile", "c2:-1:1",
                    grid="c1:-1:1:11")
    result = limits.compute("rate", "c1:-1:1:11", profile={"c2": (-1, 1)},
                            progress=False)
    assert_same(result, expected, "rate with c2 profiled")


def test_madminer_conventions_equal_the_cli(toy_events, goldmine_cli):
    expected = goldmine_cli.json(
        "limits", "--events", toy_events, "--method", "histo", "--grid",
        GRID_TEXT, "--observables", "pt", "--binning", "20,50,100,200",
        "--include-xsec", "--madminer")
    madminer = goldmine.AsymptoticLimits(toy_events, madminer=True)
    result = madminer.compute("histo", GRID, observables=["pt"],
                              binning="20,50,100,200", progress=False)
    assert_same(result, expected, "histo --madminer")
    assert result["conventions"] == "madminer"


def test_expected_limits_return_madminer_tuple(limits, goldmine_cli, toy_events):
    expected = _cli(goldmine_cli, toy_events, "histo", "--theta-true", "0,0",
                    "--observables", "pt", "--binning", "20,50,100,200")
    theta_grid, p_values, best, llr_kin, llr_rate, histos = limits.expected_limits(
        "histo", theta_true=[0.0, 0.0], grid_ranges=[(-1, 1), (-1, 1)],
        grid_resolutions=[9, 7], hist_vars=["pt"],
        hist_bins=[[20, 50, 100, 200]], progress=False)
    assert_same(theta_grid, expected["grid"], "theta_grid")
    assert_same(p_values, expected["p_values"], "p_values")
    assert best == expected["best_fit_index"]
    assert_same(llr_kin, expected["log_likelihood_kin"], "llr_kin")
    assert_same(llr_rate, expected["log_likelihood_rate"], "llr_rate")
    assert histos is None


def test_observed_limits_equal_the_cli(limits, goldmine_cli, toy_events):
    """Observed events from an events file (the toy events themselves)."""
    expected = _cli(goldmine_cli, toy_events, "histo", "--observables", "pt",
                    "--binning", "5", "--observed", toy_events,
                    "--observed-weights", "sm")
    result = limits.compute("histo", GRID, observed=toy_events,
                            observed_weights="sm", observables=["pt"],
                            binning="5", progress=False)
    assert_same(result, expected, "observed")
    assert result["observed"] is True


def test_progress_callback(limits):
    calls = []
    limits.compute("histo", GRID, observables=["pt"], binning="5",
                   progress=lambda done, total: calls.append((done, total)))
    assert calls, "the progress callback was never called"
    assert calls[-1] == (63, 63), calls[-1]
    done = [d for d, _ in calls]
    assert done == sorted(done)


def test_threads_give_the_same_numbers(toy_events, limits):
    threaded = goldmine.AsymptoticLimits(toy_events, n_threads=2)
    assert_same(threaded.compute("histo", GRID, observables=["pt"], binning="5",
                                 progress=False),
                limits.compute("histo", GRID, observables=["pt"], binning="5",
                               progress=False),
                "2 threads", rtol=0, atol=0)


def test_parameter_and_observable_names(limits):
    assert limits.parameter_names == ["c1", "c2"]
    assert limits.observable_names == ["pt", "dphi", "eta", "ptcos"]
    with pytest.raises(goldmine.InvalidInput, match="one entry per parameter"):
        limits.expected_limits("rate", [0, 0], [(-1, 1)], [5], progress=False)
    assert np.isfinite(limits.compute("rate", GRID, progress=False)["p_values"]).all()


def test_compute_releases_the_gil(limits):
    """Another Python thread keeps running during a long call: the main
    thread's loop never waits for more than half of the call."""
    import threading
    import time

    worker = threading.Thread(target=lambda: limits.compute(
        "histo", "c1:-1:1:61,c2:-1:1:61", observables=["pt", "dphi"],
        binning="8;8", progress=False))
    start = time.perf_counter()
    worker.start()
    last = time.perf_counter()
    longest = 0.0
    while worker.is_alive():
        now = time.perf_counter()
        longest = max(longest, now - last)
        last = now
    worker.join()
    duration = time.perf_counter() - start
    if duration < 0.1:
        pytest.skip(f"the call took only {duration:.3f} s")
    assert longest < 0.5 * duration, (
        f"the main thread waited {longest:.3f} s of a {duration:.3f} s call")
