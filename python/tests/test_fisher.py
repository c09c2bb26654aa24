"""goldmine.FisherInformation against `goldmine fisher truth|rate|histogram`
on MadMiner's toy events: every key of the CLI's JSON (details=True) to
1e-12, MadMiner's (information, covariance) returns, nuisance parameters,
cuts and efficiencies, and profile_information / project_information."""

import numpy as np
import pytest

import goldmine
from goldmine_test_support import assert_same

THETA = [0.1, -0.2]
LUMINOSITY = 300000.0


@pytest.fixture(scope="module")
def fisher(toy_events):
    return goldmine.FisherInformation(toy_events)


def _cli(goldmine_cli, events, mode, theta=THETA, *extra):
    return goldmine_cli.json("fisher", mode, "--events", events, "--theta",
                             ",".join(repr(float(v)) for v in theta),
                             "--luminosity", LUMINOSITY, *extra)


@pytest.mark.parametrize("theta", [[0.0, 0.0], THETA, [0.7, 0.4]])
def test_truth_equals_the_cli(fisher, goldmine_cli, toy_events, theta):
    expected = _cli(goldmine_cli, toy_events, "truth", theta)
    assert_same(fisher.truth_information(theta, details=True), expected, "truth")
    information, covariance = fisher.truth_information(theta)
    assert_same(information, expected["fisher_information"], "information")
    # MadMiner's (n, n, n, n) layout of the CLI's n^2 x n^2 covariance.
    n = information.shape[0]
    assert_same(covariance.reshape(n * n, n * n), expected["covariance"], "covariance")
    assert covariance[0, 1, 1, 0] == expected["covariance"][1][2]
    assert information.shape == (2, 2) and covariance.shape == (2, 2, 2, 2)


def test_rate_equals_the_cli(fisher, goldmine_cli, toy_events):
    expected = _cli(goldmine_cli, toy_events, "rate")
    assert_same(fisher.rate_information(THETA, details=True), expected, "rate")


def test_luminosity_is_passed_on(fisher, goldmine_cli, toy_events):
    expected = goldmine_cli.json("fisher", "rate", "--events", toy_events,
                                 "--theta", "0.1,-0.2", "--luminosity", 1000)
    assert_same(fisher.rate_information(THETA, luminosity=1000.0, details=True),
                expected, "rate at 1/fb")


# (CLI arguments, Python arguments of histo_information / _2d)
HISTOGRAMS = [
    (["--observable", "pt", "--bins", "5"], dict(observable="pt", bins=5)),
    (["--observable", "pt", "--bins", "20,50,100,200"],
     dict(observable="pt", bins=[20, 50, 100, 200])),
    (["--observable", "ptcos", "--bins", "6", "--range", "-100,100"],
     dict(observable="ptcos", bins=6, histrange=(-100.0, 100.0))),
    (["--observable", "pt * abs(cos(dphi))", "--bins", "4"],
     dict(observable="pt * abs(cos(dphi))", bins=4)),
]


@pytest.mark.parametrize("cli_arguments,arguments", HISTOGRAMS,
                         ids=["dynamic", "edges", "range", "expression"])
def test_histogram_equals_the_cli(fisher, goldmine_cli, toy_events,
                                  cli_arguments, arguments):
    expected = _cli(goldmine_cli, toy_events, "histogram", THETA, *cli_arguments)
    result = fisher.histo_information(THETA, LUMINOSITY, details=True, **arguments)
    assert_same(result, expected, "histogram")


def test_2d_histogram_equals_the_cli(fisher, goldmine_cli, toy_events):
    expected = _cli(goldmine_cli, toy_events, "histogram", THETA,
                    "--observable", "pt", "--bins", "20,50,100,200",
                    "--observable2", "dphi", "--bins2", "4", "--range2", "-3.2,3.2")
    result = fisher.histo_information_2d(
        THETA, LUMINOSITY, "pt", [20, 50, 100, 200], "dphi", 4,
        histrange2=(-3.2, 3.2), details=True)
    assert_same(result, expected, "2-D histogram")
    information, covariance = fisher.histo_information_2d(
        THETA, LUMINOSITY, "pt", [20, 50, 100, 200], "dphi", 4,
        histrange2=(-3.2, 3.2))
    assert_same(information, expected["fisher_information"], "information")


def test_cuts_and_efficiencies_equal_the_cli(fisher, goldmine_cli, toy_events):
    cuts = ["pt > 30", "abs(eta) < 2"]
    efficiencies = ["0.9"]
    extra = []
    for cut in cuts:
        extra += ["--cut", cut]
    extra += ["--efficiency", efficiencies[0]]
    expected = _cli(goldmine_cli, toy_events, "truth", THETA, *extra)
    result = fisher.truth_information(THETA, cuts=cuts,
                                      efficiency_functions=efficiencies,
                                      details=True)
    assert_same(result, expected, "truth with cuts")
    expected = _cli(goldmine_cli, toy_events, "histogram", THETA, "--observable",
                    "pt", "--bins", "4", *extra)
    result = fisher.histo_information(THETA, LUMINOSITY, "pt", 4, cuts=cuts,
                                      efficiency_functions=efficiencies,
                                      details=True)
    assert_same(result, expected, "histogram with cuts")


def test_nuisance_parameters_equal_the_cli(goldmine_cli, toy_nuisance_events):
    with_nuisance = goldmine.FisherInformation(toy_nuisance_events)
    expected = _cli(goldmine_cli, toy_nuisance_events, "truth")
    result = with_nuisance.truth_information(THETA, details=True)
    assert len(result["parameters"]) == 3  # c1, c2 and the nuisance parameter
    assert_same(result, expected, "truth with nuisance")
    expected = _cli(goldmine_cli, toy_nuisance_events, "rate")
    assert_same(with_nuisance.rate_information(THETA, details=True), expected,
                "rate with nuisance")

    without = goldmine.FisherInformation(toy_nuisance_events,
                                         include_nuisance_parameters=False)
    expected = _cli(goldmine_cli, toy_nuisance_events, "truth", THETA,
                    "--no-nuisance")
    result = without.truth_information(THETA, details=True)
    assert result["parameters"] == ["c1", "c2"]
    assert_same(result, expected, "truth without nuisance")


def test_threads_give_the_same_numbers(toy_events, fisher):
    threaded = goldmine.FisherInformation(toy_events, n_threads=2)
    assert_same(threaded.truth_information(THETA, details=True),
                fisher.truth_information(THETA, details=True), "2 threads",
                rtol=0, atol=0)


def test_profile_and_project_information():
    information = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]])
    remaining = [0, 2]
    others = [1]
    block = information[np.ix_(remaining, remaining)]
    mixed = information[np.ix_(remaining, others)]
    expected = block - mixed @ np.linalg.inv(
        information[np.ix_(others, others)]) @ mixed.T
    np.testing.assert_allclose(goldmine.profile_information(information, remaining),
                               expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(
        goldmine.project_information(information, remaining), block)
    with pytest.raises(goldmine.InvalidInput, match="3 is not a component"):
        goldmine.profile_information(information, [0, 3])


def test_profiled_nuisance_information(toy_nuisance_events):
    """MadMiner's profile_information on the truth information with a
    nuisance parameter: the physics block minus the nuisance's share."""
    information, _ = goldmine.FisherInformation(
        toy_nuisance_events).truth_information(THETA)
    profiled = goldmine.profile_information(information, [0, 1])
    assert profiled.shape == (2, 2)
    assert np.all(np.diag(profiled) <= np.diag(information)[:2] + 1e-9)
