"""goldmine.histfactory on pyhf's reference cases
(../shared/reference/histfactory, README.md there):

- fit, hypotest and upper_limit equal `goldmine histfactory fit|cls|
  upper-limit WS.json` (with the case's patch and measurement) to 1e-12;
- they return pyhf's reference numbers to the tolerances of the CLI's tests
  (tests/apps/histfactory_command_test.cc, tests/inference/cls_scan_test.cc):
  CLs 1e-3 relative with a 1e-12 absolute floor, limits 1e-3 relative,
  2 NLL and the POI's best fit 1e-4 absolute, likelihood probes 1e-8
  relative;
- with pyhf's return structure (pyhf.infer.hypotest's return_tail_probs,
  return_expected, return_expected_set; pyhf.infer.mle.fit;
  pyhf.infer.intervals.upper_limits.upper_limit).
"""

import json
import math

import numpy as np
import pytest

import goldmine
from goldmine import histfactory as hf
from goldmine_test_support import assert_same, shared_dir

_BASE = shared_dir()
_REFERENCE = None if _BASE is None else _BASE / "reference" / "histfactory"


def _ids(path):
    if _REFERENCE is None or not (_REFERENCE / path).exists():
        return [pytest.param(None, marks=pytest.mark.skip(
            reason=f"HistFactory reference data not found ({_REFERENCE}); "
                   f"set GOLDMINE_SHARED_DIR"))]
    return None


def _case_ids():
    missing = _ids("manifest.json")
    if missing:
        return missing
    manifest = json.loads((_REFERENCE / "manifest.json").read_text())
    return [case["id"] for case in manifest["cases"]
            if (_REFERENCE / "expected" / f"{case['id']}.json").exists()]


def _scan_ids():
    missing = _ids("cls_scan.json")
    if missing:
        return missing
    scan = json.loads((_REFERENCE / "cls_scan.json").read_text())
    return [case["id"] for case in scan["cases"]]


def _expected(case_id):
    return json.loads((_REFERENCE / "expected" / f"{case_id}.json").read_text())


def _cases_where(ids, predicate):
    """The ids whose expected/ file satisfies predicate (a skip marker
    passes through)."""
    return [c for c in ids if not isinstance(c, str) or predicate(_expected(c))]


CASES = _case_ids()
SCAN_CASES = _scan_ids()
PATCH_CASES = _cases_where(CASES, lambda e: e["patch"] is not None)
CROSSCHECK_CASES = _cases_where(
    CASES, lambda e: (e["reference"].get("crosscheck_vs_pyhf_testsuite") or {})
    .get("settings", {}).get("modifier_settings") is not None)
TOY_CASES = _cases_where(CASES, lambda e: "toys" in e["reference"])


class Case:
    """One reference case: the CLI's workspace arguments and the Python
    workspace, model and data built from the same files."""

    def __init__(self, case_id):
        self.id = case_id
        self.expected = _expected(case_id)
        self.reference = self.expected["reference"]
        self.poi = self.expected["poi"]
        workspace = _REFERENCE / self.expected["workspace"]
        self.arguments = [workspace]
        spec = json.loads(workspace.read_text())
        measurement = self.expected["measurement"]
        patch = self.expected["patch"]
        if patch is not None:
            patch_file = _REFERENCE / patch["file"]
            if patch["type"] == "jsonpatch":
                self.arguments += ["--patch", patch_file]
                spec = hf.apply_patch(spec, json.loads(patch_file.read_text()),
                                      measurement)
            else:
                self.arguments += ["--patchset", patch_file, "--patch-name",
                                   patch["name"]]
                spec = hf.apply_patchset(spec, json.loads(patch_file.read_text()),
                                         patch["name"])
        if measurement is not None:
            self.arguments += ["--measurement", measurement]
        self.spec = spec
        self.workspace = hf.Workspace.from_dict(spec, source=case_id)
        self.model = self.workspace.model(measurement_name=measurement)
        self.data = self.workspace.data(self.model)
        self.par_names = self.model.config.par_names

    def vector(self, by_name):
        """Parameter values by name (pyhf's "name[i]") as a vector in the
        model's order."""
        assert sorted(by_name) == sorted(self.par_names)
        return np.array([by_name[name] for name in self.par_names], float)

    def by_name(self, values):
        """A vector in the model's order as the CLI prints it: {NAME:
        [v, ...]} per parameter set."""
        grouped = {}
        for name, value in zip(self.par_names, values):
            base = name.split("[", 1)[0] if name.endswith("]") else name
            grouped.setdefault(base, []).append(float(value))
        return grouped


_LOADED = {}


def _first_case():
    ids = [c for c in CASES if isinstance(c, str)]
    if not ids:
        pytest.skip("HistFactory reference data not found; set GOLDMINE_SHARED_DIR")
    return "val_2bin_2channel" if "val_2bin_2channel" in ids else ids[0]


def load(case_id):
    if case_id not in _LOADED:
        _LOADED[case_id] = Case(case_id)
    return _LOADED[case_id]


def expect_relative(actual, expected, tolerance, what):
    """|actual - expected| <= max(1e-12, tolerance |expected|), as the CLI's
    tests."""
    actual = float(actual)
    expected = float(expected)
    assert abs(actual - expected) <= max(1e-12, tolerance * abs(expected)), (
        f"{what}: goldmine {actual!r} vs pyhf {expected!r}")


# ------------------------------------------------------------------- inputs

@pytest.mark.parametrize("case_id", CASES)
def test_data_and_likelihood_probes_match_pyhf(case_id):
    """The model (parameter names, data order) and 2 NLL / expected data at
    fixed parameter points (no fit): 1e-8 relative."""
    case = load(case_id)
    model = case.reference["model"]
    assert sorted(case.par_names) == sorted(model["par_names"])
    assert case.model.config.poi_name == model["poi_name"]
    assert case.model.config.npars == model["npars"]
    assert case.model.config.nmaindata == model["nmaindata"]
    np.testing.assert_allclose(case.data, case.reference["data"], rtol=1e-12,
                               atol=0)
    for probe in ("init", "probe"):
        reference = case.reference["probes"][probe]
        pars = case.vector(reference["pars"])
        np.testing.assert_allclose(case.model.twice_nll(pars, case.data),
                                   reference["twice_nll"], rtol=1e-8,
                                   err_msg=f"{probe} twice_nll")
        np.testing.assert_allclose(case.model.logpdf(pars, case.data),
                                   [-0.5 * reference["twice_nll"]], rtol=1e-8)
        np.testing.assert_allclose(case.model.expected_actualdata(pars),
                                   reference["expected_actualdata"], rtol=1e-8,
                                   err_msg=f"{probe} expected_actualdata")


@pytest.mark.parametrize("case_id", PATCH_CASES)
def test_patches_equal_the_cli(case_id, goldmine_cli):
    """apply_patch / apply_patchset give the workspace `goldmine histfactory
    patch` writes."""
    case = load(case_id)
    written = goldmine_cli.json("histfactory", "patch", *case.arguments)
    assert case.spec == written


# ---------------------------------------------------------------------- fit

@pytest.mark.parametrize("case_id", CASES)
def test_fit_equals_the_cli_and_pyhf(case_id, goldmine_cli):
    case = load(case_id)
    cli = goldmine_cli.json("histfactory", "fit", *case.arguments)
    pars, twice_nll, result = hf.infer.mle.fit(
        case.data, case.model, return_fitted_val=True, return_result_obj=True)
    assert isinstance(pars, np.ndarray) and pars.shape == (case.model.config.npars,)
    assert_same(case.by_name(pars), cli["mle_parameters"], "mle_parameters")
    assert_same(twice_nll, cli["twice_nll"], "twice_nll")
    assert_same(result["converged"], cli["converged"], "converged")
    assert_same(result["message"], cli["message"], "message")
    assert_same(len(result["other_minima"]) > 0, cli["several_minima"],
                "several_minima")
    if "uncertainties" in cli:
        assert_same(case.by_name(result["uncertainties"]), cli["uncertainties"],
                    "uncertainties")
        with_errors = hf.infer.mle.fit(case.data, case.model,
                                       return_uncertainties=True)
        assert with_errors.shape == (case.model.config.npars, 2)
        assert_same(with_errors[:, 1], result["uncertainties"], "errors column")
    assert cli["poi"] == case.poi

    # pyhf's reference (tests/apps/histfactory_command_test.cc FitMatchesPyhf).
    reference = case.reference["bestfit"]
    assert result["converged"]
    assert abs(twice_nll - reference["twice_nll"]) <= 1e-4
    if case.poi is not None:
        poi_hat = pars[case.model.config.poi_index]
        assert abs(poi_hat - reference["poi_hat"]) <= 1e-4


@pytest.mark.parametrize("case_id", CASES)
def test_fixed_poi_fit_matches_pyhf(case_id):
    case = load(case_id)
    if case.poi is None:
        pytest.skip("POI-less model")
    reference = case.reference["fixed_poi_fit"]
    pars, twice_nll = hf.infer.mle.fixed_poi_fit(
        reference["poi"], case.data, case.model, return_fitted_val=True)
    assert pars[case.model.config.poi_index] == reference["poi"]
    assert abs(twice_nll - reference["twice_nll"]) <= 1e-4


# ----------------------------------------------------------------- hypotest

# Keys of one side only: the CLI echoes its options; the library's dict adds
# the toy count and the fit's message.
_HYPOTEST_OWN_KEYS = {"test_stat", "calctype", "seed", "ntoys", "message"}


@pytest.mark.parametrize("statistic", ["qtilde", "q"])
@pytest.mark.parametrize("case_id", CASES)
def test_hypotest_equals_the_cli_and_pyhf(case_id, statistic, goldmine_cli):
    case = load(case_id)
    if case.poi is None:
        pytest.skip("POI-less model")
    mu = case.expected["poi_test"]
    cli = goldmine_cli.json("histfactory", "cls", *case.arguments,
                            "--poi-value", mu, "--test-stat", statistic)
    details = hf.hypotest_details(mu, case.data, case.model, test_stat=statistic)
    assert_same(details, cli, f"{statistic} hypotest", ignore=_HYPOTEST_OWN_KEYS)

    cls_obs, tails, cls_exp_set = hf.infer.hypotest(
        mu, case.data, case.model, test_stat=statistic,
        return_tail_probs=True, return_expected_set=True)
    assert_same(cls_obs, cli["CLs_obs"], "CLs_obs")
    assert_same(tails, [cli["CLsb_obs"], cli["CLb_obs"]], "tail probabilities")
    assert_same(cls_exp_set, cli["CLs_exp"], "CLs_exp")

    # pyhf's numbers (ClsMatchesPyhf).
    reference = case.reference[f"hypotest_{statistic}"]
    expect_relative(cls_obs, reference["CLs_obs"], 1e-3, "CLs_obs")
    expect_relative(tails[0], reference["CLsb_obs"], 1e-3, "CLsb_obs")
    expect_relative(tails[1], reference["CLb_obs"], 1e-3, "CLb_obs")
    for i in range(5):
        expect_relative(cls_exp_set[i], reference["CLs_exp_band"][i], 1e-3,
                        f"CLs_exp[{i}]")


@pytest.mark.parametrize("case_id", CASES)
def test_discovery_q0_equals_the_cli_and_pyhf(case_id, goldmine_cli):
    case = load(case_id)
    if case.poi is None:
        pytest.skip("POI-less model")
    cli = goldmine_cli.json("histfactory", "cls", *case.arguments,
                            "--test-stat", "q0")
    p0, p0_band = hf.infer.hypotest(0.0, case.data, case.model, test_stat="q0",
                                    return_expected_set=True)
    assert_same(p0, cli["CLs_obs"], "p0")
    assert_same(p0_band, cli["CLs_exp"], "p0 band")
    assert_same(hf.hypotest_details(0.0, case.data, case.model, test_stat="q0"),
                cli, "q0", ignore=_HYPOTEST_OWN_KEYS)
    reference = case.reference["discovery_q0"]
    expect_relative(p0, reference["p0_obs"], 1e-3, "p0_obs")
    for i in range(5):
        expect_relative(p0_band[i], reference["p0_exp_band"][i], 1e-3,
                        f"p0_exp[{i}]")


def test_hypotest_returns_pyhf_structure():
    """pyhf.infer.hypotest's returns: CLs_obs alone; then [CLsb, CLb] with
    return_tail_probs; the median with return_expected; the 5-value band
    (-2..+2 sigma) with return_expected_set, after the median when both are
    asked. Values are 0-d numpy arrays, as pyhf's numpy backend."""
    case = load(_first_case())
    args = (1.0, case.data, case.model)
    details = hf.hypotest_details(*args)
    alone = hf.infer.hypotest(*args)
    assert isinstance(alone, np.ndarray) and alone.shape == ()
    assert float(alone) == details["CLs_obs"]

    obs, median = hf.infer.hypotest(*args, return_expected=True)
    assert float(obs) == details["CLs_obs"]
    assert float(median) == details["CLs_exp"][2]

    obs, band = hf.infer.hypotest(*args, return_expected_set=True)
    assert len(band) == 5 and all(np.ndim(v) == 0 for v in band)
    assert [float(v) for v in band] == details["CLs_exp"]
    assert all(a <= b for a, b in zip(band, band[1:]))  # -2 sigma first

    obs, tails = hf.infer.hypotest(*args, return_tail_probs=True)
    assert [float(v) for v in tails] == [details["CLsb_obs"], details["CLb_obs"]]

    obs, tails, median, band = hf.infer.hypotest(
        *args, return_tail_probs=True, return_expected=True,
        return_expected_set=True)
    assert float(median) == details["CLs_exp"][2]
    assert [float(v) for v in band] == details["CLs_exp"]
    assert math.isclose(float(obs), float(tails[0]) / float(tails[1]),
                        rel_tol=1e-12)

    # pyhf's own keyword arguments pass through when they are the model's.
    config = case.model.config
    same = hf.infer.hypotest(*args, init_pars=config.suggested_init(),
                             par_bounds=config.suggested_bounds(),
                             fixed_params=config.suggested_fixed())
    assert float(same) == details["CLs_obs"]


@pytest.mark.parametrize("case_id", SCAN_CASES)
def test_cls_scan_matches_pyhf(case_id):
    """Every point of cls_scan.json (0.25-2x each limit and the POI's bound),
    pyhf's hypotest with return_tail_probs and return_expected_set, 1e-3
    relative (tests/inference/cls_scan_test.cc)."""
    scan = next(c for c in json.loads((_REFERENCE / "cls_scan.json").read_text())
                ["cases"] if c["id"] == case_id)
    case = load(case_id)
    bounds = case.model.config.suggested_bounds()
    bounds[case.model.config.poi_index] = tuple(scan["poi_bounds"])
    for point in scan["points"]:
        mu = point["poi_value"]
        cls_obs, (clsb, clb), band = hf.infer.hypotest(
            mu, case.data, case.model, par_bounds=bounds, test_stat="qtilde",
            return_tail_probs=True, return_expected_set=True)
        at = f"{case_id} mu={mu}"
        expect_relative(cls_obs, point["CLs_obs"], 1e-3, at + " CLs_obs")
        expect_relative(clsb, point["CLsb_obs"], 1e-3, at + " CLsb_obs")
        expect_relative(clb, point["CLb_obs"], 1e-3, at + " CLb_obs")
        for i in range(5):
            expect_relative(band[i], point["CLs_exp"][i], 1e-3,
                            f"{at} CLs_exp[{i}]")


@pytest.mark.parametrize("case_id", TOY_CASES)
def test_toys_equal_the_cli_and_pyhf(case_id, goldmine_cli):
    """Toys: the CLI's numbers for the same seed, and pyhf's within their
    binomial errors (3 sigma of the difference, README.md)."""
    case = load(case_id)
    reference = case.reference["toys"]
    settings = reference["settings"]
    ntoys = settings["ntoys"]
    cli = goldmine_cli.json("histfactory", "cls", *case.arguments, "--poi-value",
                            settings["poi_test"], "--calctype", "toybased",
                            "--ntoys", ntoys, "--seed", 5)
    details = hf.hypotest_details(settings["poi_test"], case.data, case.model,
                                  calctype="toybased", ntoys=ntoys, seed=5)
    # The CLI prints no Asimov test statistic for toys.
    assert_same(details, cli, "toys",
                ignore=_HYPOTEST_OWN_KEYS | {"teststat_asimov"})
    assert details["ntoys"] == ntoys
    for key, sigma_key in (("CLsb_obs", "binomial_sigma_CLsb"),
                           ("CLb_obs", "binomial_sigma_CLb")):
        p = details[key]
        sigma = math.sqrt(reference[sigma_key] ** 2 + p * (1 - p) / ntoys)
        assert abs(p - reference[key]) <= 3 * sigma, (
            f"{key}: goldmine {p} vs pyhf {reference[key]} (sigma {sigma})")


@pytest.mark.parametrize("case_id", CROSSCHECK_CASES)
def test_modifier_settings_equal_the_cli_and_pyhf(case_id, goldmine_cli):
    """pyhf's test suite (test_validation.py) runs these workspaces with
    modifier_settings {"normsys": {"interpcode": "code1"}}, which leaves
    histosys at pyhf's class default code0, and q_mu
    (tests/inference/hypotest_test.cc)."""
    case = load(case_id)
    check = case.reference["crosscheck_vs_pyhf_testsuite"]
    settings = check["settings"]
    assert settings["modifier_settings"] == {"normsys": {"interpcode": "code1"}}
    model = case.workspace.model(measurement_name=case.expected["measurement"],
                                 modifier_settings=settings["modifier_settings"])
    cli = goldmine_cli.json("histfactory", "cls", *case.arguments,
                            "--poi-value", settings["poi_test"], "--test-stat",
                            settings["test_stat"], "--normsys-interpcode",
                            "code1", "--histosys-interpcode", "code0")
    details = hf.hypotest_details(settings["poi_test"], case.data, model,
                                  test_stat=settings["test_stat"])
    assert_same(details, cli, "code1 hypotest", ignore=_HYPOTEST_OWN_KEYS)
    tight = check["tight_reference"]
    expect_relative(details["CLs_obs"], tight["obs"], 1e-3, "CLs_obs")
    for i in range(5):
        expect_relative(details["CLs_exp"][i], tight["exp"][i], 1e-3,
                        f"CLs_exp[{i}]")


# -------------------------------------------------------------- upper limit

@pytest.mark.parametrize("case_id", CASES)
def test_upper_limit_equals_the_cli_and_pyhf(case_id, goldmine_cli):
    case = load(case_id)
    if case.poi is None:
        pytest.skip("POI-less model")
    cli = goldmine_cli.json("histfactory", "upper-limit", *case.arguments)
    details = hf.upper_limit_details(case.data, case.model)
    assert_same(details, cli, "upper limit", ignore={"poi", "message", "tests"})
    assert len(details["tests"]) == details["n_hypotests"]

    observed, expected = hf.infer.intervals.upper_limits.upper_limit(
        case.data, case.model)
    assert_same(observed, cli["obs"], "obs")
    assert_same(expected, cli["exp"], "exp")
    assert np.ndim(observed) == 0 and np.shape(expected) == (5,)

    reference = case.reference["upper_limit"]
    expect_relative(observed, reference["obs"], 1e-3, "obs")
    for i in range(5):
        expect_relative(expected[i], reference["exp_band"][i], 1e-3, f"exp[{i}]")
    assert details["poi_bounds_widened"] == reference["poi_bounds_widened"]


def test_upper_limit_on_a_scan_equals_the_cli(goldmine_cli):
    case = load(_first_case())
    cli = goldmine_cli.json("histfactory", "upper-limit", *case.arguments,
                            "--scan", "0:5:11")
    scan = np.linspace(0.0, 5.0, 11)
    observed, expected, (points, results) = hf.upper_limit(
        case.data, case.model, scan=scan, return_results=True)
    assert_same(observed, cli["obs"], "obs")
    assert_same(expected, cli["exp"], "exp")
    np.testing.assert_array_equal(points, scan)
    assert len(results) == 11
    for mu, (cls_obs, band) in zip(scan, results):
        test = hf.hypotest_details(mu, case.data, case.model)
        assert_same(cls_obs, test["CLs_obs"], f"CLs_obs at {mu}")
        assert_same(band, test["CLs_exp"], f"CLs_exp at {mu}")
    assert_same(hf.upper_limit_details(case.data, case.model, scan=list(scan)),
                cli, "scan limit", ignore={"poi", "message", "tests"})


def test_poiless_model_fits_but_has_no_test():
    if "test_poiless" not in CASES:
        pytest.skip("reference case test_poiless not found")
    case = load("test_poiless")
    assert case.model.config.poi_index is None
    with pytest.raises(goldmine.InvalidInput):
        hf.infer.hypotest(1.0, case.data, case.model)
    with pytest.raises(goldmine.InvalidInput, match="no parameter of interest"):
        hf.infer.mle.fixed_poi_fit(1.0, case.data, case.model)
