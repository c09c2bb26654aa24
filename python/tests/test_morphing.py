"""goldmine.morphing against `goldmine morphing --input CASE.json` on the
MadMiner reference cases (../shared/reference/madminer/morphing_cases.json):
solve_case returns the CLI's JSON, and Components / Morpher / optimize_basis
give its components, weights, gradients and optimised basis, to 1e-12."""

import json

import numpy as np
import pytest

from goldmine import morphing
from goldmine_test_support import assert_same

# The input keys `goldmine morphing` accepts (`goldmine morphing --help`);
# the reference cases also hold MadMiner's answers, which are not input.
INPUT_KEYS = {
    "name", "parameter_names", "parameter_max_power", "max_overall_power",
    "parameter_range", "thetas", "basis", "seed", "n_trials", "components",
    "fixed_benchmarks", "benchmark_names", "n_production_couplings",
    "n_decay_couplings", "n_shared_couplings", "basis_p", "basis_d", "basis_s",
}


def _inputs(madminer_dir):
    document = json.loads((madminer_dir / "morphing_cases.json").read_text())
    cases = []
    for case in document["cases"]:
        if "basis_s" in case:
            # MadMiner's coupling morphing: a lone basis_s holds every
            # coupling (here Ns = 2 shared couplings, no production/decay).
            cases.append({
                "name": case["name"],
                "n_production_couplings": 0,
                "n_decay_couplings": 0,
                "n_shared_couplings": len(case["basis_s"]),
                "basis_s": case["basis_s"],
                "thetas": case["thetas"],
            })
        else:
            cases.append({k: v for k, v in case.items() if k in INPUT_KEYS})
    # A case without a basis: the CLI and solve_case optimise one.
    cases.append({
        "name": "optimised_p2",
        "parameter_max_power": [2, 2],
        "max_overall_power": 2,
        "parameter_range": [[-1.0, 1.0], [-1.0, 1.0]],
        "thetas": [[0.1, 0.2], [0.5, -0.3], [-0.9, 0.7]],
        "seed": 3,
        "n_trials": 20,
    })
    return cases


@pytest.fixture(scope="module")
def cases_and_answers(madminer_dir, goldmine_cli, tmp_path_factory):
    """(input cases, the CLI's answer per case), one CLI run."""
    cases = _inputs(madminer_dir)
    path = tmp_path_factory.mktemp("morphing") / "cases.json"
    path.write_text(json.dumps({"cases": cases}))
    answers = goldmine_cli.json("morphing", "--input", path)["cases"]
    assert [a["name"] for a in answers] == [c["name"] for c in cases]
    return cases, answers


def test_solve_case_equals_the_cli_on_every_case(cases_and_answers):
    cases, answers = cases_and_answers
    assert len(cases) >= 12
    for case, answer in zip(cases, answers):
        assert_same(morphing.solve_case(case), answer, case["name"])


def test_solve_case_of_one_case_file_equals_the_cli(madminer_dir, goldmine_cli,
                                                    tmp_path):
    case = _inputs(madminer_dir)[3]
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))
    assert_same(morphing.solve_case(case),
                goldmine_cli.json("morphing", "--input", path), case["name"])


def test_morpher_weights_and_gradients_equal_the_cli(cases_and_answers):
    cases, answers = cases_and_answers
    checked = 0
    for case, answer in zip(cases, answers):
        if "basis_s" in case:
            continue  # coupling morphing has no Morpher of powers and basis
        thetas = np.asarray(case["thetas"], dtype=float)
        components = morphing.Components(np.asarray(answer["components"]))
        morpher = morphing.Morpher(components, np.asarray(answer["basis"], float))
        weights = morpher.weights(thetas)
        assert isinstance(weights, np.ndarray)
        assert_same(weights, answer["weights"], case["name"] + " weights")
        assert_same(morpher.morphing_matrix, answer["morphing_matrix"],
                    case["name"] + " morphing_matrix")
        assert_same(morpher.condition_number,
                    answer["basis_matrix_condition_number"],
                    case["name"] + " condition number")
        # (θ points, parameters, benchmarks), as the CLI's weight_gradients.
        assert_same(morpher.weight_gradients(thetas), answer["weight_gradients"],
                    case["name"] + " weight_gradients")
        for theta, expected in zip(thetas, answer["sum_squared_weights"]):
            assert_same(morpher.sum_squared_weights(theta), expected,
                        case["name"] + " sum_squared_weights")
        checked += 1
    assert checked >= 10


def test_weight_gradients_of_one_point_per_row(cases_and_answers):
    """One θ at a time gives the rows of the batch (parameters × benchmarks
    each)."""
    cases, answers = cases_and_answers
    case, answer = cases[5], answers[5]  # 3 parameters
    morpher = morphing.Morpher(morphing.Components(np.asarray(answer["components"])),
                               np.asarray(answer["basis"], float))
    for theta, expected in zip(case["thetas"], answer["weight_gradients"]):
        gradient = morpher.weight_gradients(np.asarray([theta], float))
        assert gradient.shape == (1, len(theta), morpher.n_benchmarks)
        assert_same(gradient[0], expected, case["name"])


def test_components_from_max_powers_equal_the_cli(cases_and_answers):
    cases, answers = cases_and_answers
    checked = 0
    for case, answer in zip(cases, answers):
        if "parameter_max_power" not in case or "manual" in case["name"]:
            continue  # coupling morphing; explicit (manual) components
        components = morphing.Components.from_max_powers(
            case["parameter_max_power"], case["max_overall_power"])
        assert components.n_parameters == len(case["parameter_max_power"])
        np.testing.assert_array_equal(components.powers, answer["components"])
        checked += 1
    assert checked >= 5


def test_cross_section_and_event_weights_follow_the_weights(cases_and_answers):
    cases, answers = cases_and_answers
    case, answer = cases[2], answers[2]
    morpher = morphing.Morpher(morphing.Components(np.asarray(answer["components"])),
                               np.asarray(answer["basis"], float))
    sigma = np.linspace(1.0, 2.0, morpher.n_benchmarks)
    theta = np.asarray(case["thetas"][1], float)
    weights = np.asarray(answer["weights"][1])
    np.testing.assert_allclose(morpher.cross_section(theta, sigma),
                               weights @ sigma, rtol=1e-12)
    np.testing.assert_allclose(morpher.cross_section_gradient(theta, sigma),
                               np.asarray(answer["weight_gradients"][1]) @ sigma,
                               rtol=1e-12)
    events = np.outer(np.arange(1.0, 4.0), sigma)
    np.testing.assert_allclose(morpher.event_weights(theta, events),
                               events @ weights, rtol=1e-12)


def test_optimize_basis_equals_the_cli(cases_and_answers):
    cases, answers = cases_and_answers
    case, answer = cases[-1], answers[-1]
    assert case["name"] == "optimised_p2" and "optimization" in answer
    components = morphing.Components.from_max_powers(
        case["parameter_max_power"], case["max_overall_power"])
    basis, objective = morphing.optimize_basis(
        components, np.asarray(case["parameter_range"], float),
        n_trials=case["n_trials"], seed=case["seed"])
    assert_same(basis, answer["basis"], "optimised basis")
    assert_same(objective, answer["optimization"]["objective"], "objective")
