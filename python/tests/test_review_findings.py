"""Inputs a review found mishandled (issue 21): each now raises
goldmine.InvalidInput naming the problem, or behaves as pyhf / MadMiner do,
instead of reading out of bounds, crashing or answering without the
option."""

import numpy as np
import pytest

import goldmine
from goldmine import histfactory as hf
from goldmine._goldmine import histfactory as _hf


def _workspace():
    return {
        "channels": [{"name": "c", "samples": [
            {"name": "s", "data": [5.0, 6.0], "modifiers": [
                {"name": "mu", "type": "normfactor", "data": None}]},
            {"name": "b", "data": [10.0, 20.0], "modifiers": [
                {"name": "unc", "type": "shapesys", "data": [2.0, 3.0]}]},
        ]}],
        "observations": [{"name": "c", "data": [14.0, 25.0]}],
        "measurements": [{"name": "m", "config": {"poi": "mu", "parameters": []}},
                         {"name": "m2", "config": {"poi": "mu", "parameters": []}}],
        "version": "1.0.0",
    }


def test_profile_and_project_refuse_matrices_they_would_read_past():
    with pytest.raises(goldmine.InvalidInput, match="square"):
        goldmine.project_information(np.ones((6, 1)), [5])
    with pytest.raises(goldmine.InvalidInput, match="square"):
        goldmine.profile_information(np.ones(6), [0])
    with pytest.raises(goldmine.InvalidInput, match="given twice"):
        goldmine.profile_information(np.eye(3), [0, 0])
    with pytest.raises(goldmine.InvalidInput, match="finite"):
        goldmine.profile_information(np.full((2, 2), np.nan), [0])
    # The Schur complement of a known case: I = [[2, 1], [1, 1]] -> 2 - 1 = 1.
    assert goldmine.profile_information(np.array([[2.0, 1.0], [1.0, 1.0]]), [0])[0, 0] == 1.0


def test_fit_refuses_a_parameter_index_outside_the_model():
    workspace = hf.Workspace(_workspace())
    model = workspace.model()
    with pytest.raises(goldmine.InvalidInput, match="fixed_poi"):
        _hf.fit(model._model, np.asarray(workspace.data(model)), fixed_poi=(10**6, 1.0))


def test_data_must_be_finite_counts():
    workspace = hf.Workspace(_workspace())
    model = workspace.model()
    data = workspace.data(model)
    for bad, where in [(np.nan, "data\\[0\\]"), (-1.0, "data\\[1\\]")]:
        broken = list(data)
        broken[0 if np.isnan(bad) else 1] = bad
        with pytest.raises(goldmine.InvalidInput, match=where):
            hf.infer.hypotest(1.0, broken, model)


def test_pyhf_options_goldmine_lacks_are_refused_not_ignored():
    workspace = hf.Workspace(_workspace())
    model = workspace.model()
    data = workspace.data(model)
    with pytest.raises(goldmine.InvalidInput, match="calc_base_dist"):
        hf.infer.hypotest(1.0, data, model, calc_base_dist="clipped")
    with pytest.raises(goldmine.InvalidInput, match="return_correlations"):
        hf.infer.mle.fit(data, model, return_correlations=True)
    with pytest.raises(goldmine.InvalidInput, match="poi_name"):
        workspace.model(poi_name="other")
    with pytest.raises(goldmine.InvalidInput, match="scan"):
        hf.infer.intervals.upper_limits.upper_limit(data, model, scan=[])
    # Harmless ones are accepted.
    hf.infer.hypotest(1.0, data, model, track_progress=False)


def test_measurement_index_and_patches_as_pyhf():
    workspace = hf.Workspace(_workspace())
    assert workspace.model(measurement_index=1).config.poi_name == "mu"
    with pytest.raises(goldmine.InvalidInput, match="measurement_index 2"):
        workspace.model(measurement_index=2)
    patched = workspace.model(patches=[[{
        "op": "replace", "path": "/channels/0/samples/0/data", "value": [50.0, 60.0]}]])
    assert list(patched.expected_data([1.0, 1.0, 1.0], include_auxdata=False)) == [60.0, 80.0]


def test_q0_tail_probabilities_are_clb_alone_as_pyhf():
    workspace = hf.Workspace(_workspace())
    model = workspace.model()
    data = workspace.data(model)
    p0, tails = hf.infer.hypotest(0.0, data, model, test_stat="q0", return_tail_probs=True)
    assert len(tails) == 1
    details = hf.hypotest_details(0.0, data, model, test_stat="q0")
    assert float(tails[0]) == details["CLb_obs"] and float(p0) == details["CLs_obs"]
    observed, expected = hf.infer.intervals.upper_limits.upper_limit(data, model)
    assert isinstance(expected, list) and len(expected) == 5


def test_nan_in_a_workspace_dict_names_it():
    spec = _workspace()
    spec["observations"][0]["data"][0] = float("nan")
    with pytest.raises(goldmine.InvalidInput, match="NaN and infinity are not JSON"):
        hf.Workspace(spec)


def test_morphing_takes_one_point_as_1d_and_whole_powers_only():
    components = goldmine.morphing.Components.from_max_powers([2, 2], 2)
    basis = goldmine.morphing.optimize_basis(components, np.array([[-1, 1], [-1, 1.0]]))[0]
    morpher = goldmine.morphing.Morpher(components, basis)
    np.testing.assert_array_equal(morpher.weights([0.1, 0.2]), morpher.weights([[0.1, 0.2]]))
    with pytest.raises(goldmine.InvalidInput, match="whole number"):
        goldmine.morphing.Components(np.array([[0.5, 1.7]]))


def test_cross_sections_and_thetas(toy_events):
    augmenter = goldmine.SampleAugmenter(toy_events)
    with pytest.raises(goldmine.InvalidInput, match="not finite"):
        augmenter.cross_sections([1e200, 0.0])
    with pytest.raises(goldmine.InvalidInput, match="at least one point"):
        augmenter.sample("local", 10, 1, theta=np.zeros((2, 0)))
    with pytest.raises(goldmine.InvalidInput, match="first event"):
        goldmine.events.read_events(toy_events, -1)
    with pytest.raises(goldmine.InvalidInput, match="exceed"):
        goldmine.events.read_events(toy_events, 1, 2**63 - 1)


def test_histogram_bins_are_validated(toy_events):
    fisher = goldmine.FisherInformation(toy_events)
    for bins in (None, True, 2**40, "ten"):
        with pytest.raises(goldmine.InvalidInput, match="bins"):
            fisher.histo_information([0, 0], 300000.0, "pt", bins)
    with pytest.raises(goldmine.InvalidInput, match="range"):
        fisher.histo_information([0, 0], 300000.0, "pt", 5, histrange=(1.0,))


def test_a_written_sample_reads_back(toy_events, tmp_path):
    augmenter = goldmine.SampleAugmenter(toy_events)
    in_memory = augmenter.sample("local", 3000, 7, theta="benchmark:sm", progress=False)
    augmenter.sample("local", 3000, 7, theta="benchmark:sm",
                     output=tmp_path / "s.h5", progress=False)
    read = goldmine.events.read_samples(tmp_path / "s.h5")
    for key in ("x", "theta0", "t_xz"):
        np.testing.assert_array_equal(read[key], in_memory[key])
    assert read["method"] == "local" and read["n_eff"] == in_memory["n_eff"]


def test_an_exception_in_the_progress_callback_stops_the_call(toy_events):
    """What Ctrl-C does through a progress callback: the exception leaves the
    C++ call, and the objects stay usable."""
    class Stop(Exception):
        pass

    def stop(done, total):
        raise Stop(f"{done} / {total}")

    augmenter = goldmine.SampleAugmenter(toy_events)
    with pytest.raises(Stop):
        augmenter.sample("local", 30000, 1, theta="benchmark:sm", progress=stop)
    assert augmenter.sample("local", 10, 1, theta="benchmark:sm", progress=False)["x"].shape == (10, 4)
