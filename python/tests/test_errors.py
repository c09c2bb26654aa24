"""Bad input raises goldmine's exception classes with goldmine's message:
goldmine.InvalidInput (also a ValueError) for bad values, keys and
workspaces, goldmine.FileFormatError for files that are not what they
should be; the CLI exits with code 2 on the same input and says the same."""

import json

import numpy as np
import pytest

import goldmine
from goldmine import histfactory as hf


def _workspace(sample_data=(10.0, 20.0)):
    """A small pyhf workspace whose second sample has `sample_data`."""
    return {
        "channels": [{"name": "c", "samples": [
            {"name": "s", "data": [5.0, 6.0], "modifiers": [
                {"name": "mu", "type": "normfactor", "data": None}]},
            {"name": "b", "data": list(sample_data), "modifiers": [
                {"name": "unc", "type": "shapesys", "data": [2.0, 3.0]}]},
        ]}],
        "observations": [{"name": "c", "data": [14.0, 25.0]}],
        "measurements": [{"name": "m", "config": {"poi": "mu", "parameters": []}}],
        "version": "1.0.0",
    }


def test_exception_hierarchy():
    assert issubclass(goldmine.InvalidInput, goldmine.Error)
    assert issubclass(goldmine.InvalidInput, ValueError)
    assert issubclass(goldmine.FileFormatError, goldmine.Error)
    assert issubclass(goldmine.InternalError, goldmine.Error)
    assert issubclass(goldmine.Error, Exception)
    assert goldmine.InvalidInput.__module__ == "goldmine"


def test_bad_workspace_names_the_json_path(goldmine_cli, tmp_path):
    spec = _workspace(sample_data=(10.0, 20.0, 30.0))
    with pytest.raises(goldmine.InvalidInput) as raised:
        hf.Workspace.from_dict(spec)
    message = str(raised.value)
    assert "channels[0].samples[1].data" in message
    assert "expected 2 numbers" in message and "got 3" in message
    # A ValueError too, for code that catches the built-in class.
    with pytest.raises(ValueError):
        hf.Workspace(spec)

    # From a file: the message is the CLI's, naming the file.
    path = tmp_path / "bad_workspace.json"
    path.write_text(json.dumps(spec))
    with pytest.raises(goldmine.InvalidInput) as raised:
        hf.Workspace.from_file(path)
    cli_message = goldmine_cli.error("histfactory", "fit", path)
    assert str(raised.value) == cli_message
    assert str(path) in cli_message


def test_workspace_schema_errors():
    spec = _workspace()
    del spec["channels"][0]["samples"][0]["name"]
    with pytest.raises(goldmine.InvalidInput,
                       match=r'channels\[0\]\.samples\[0\]: missing required key "name"'):
        hf.Workspace.from_dict(spec)
    spec = _workspace()
    spec["measurements"][0]["config"]["poi"] = "nu"
    with pytest.raises(goldmine.InvalidInput,
                       match='poi: "nu" is not the name of any modifier'):
        hf.Workspace(spec).model()
    with pytest.raises(goldmine.InvalidInput, match="not JSON"):
        hf.Workspace.from_file(__file__)


def test_bad_data_and_parameters():
    workspace = hf.Workspace(_workspace())
    model = workspace.model()
    data = workspace.data(model)
    with pytest.raises(goldmine.InvalidInput, match="data: expected 4 numbers"):
        hf.infer.hypotest(1.0, data[:3], model)
    with pytest.raises(goldmine.InvalidInput, match="pars: expected 3 values"):
        model.twice_nll([1.0], data)
    with pytest.raises(goldmine.InvalidInput, match="test_stat"):
        hf.infer.hypotest(1.0, data, model, test_stat="qmu")
    with pytest.raises(goldmine.InvalidInput, match="calctype"):
        hf.infer.hypotest(1.0, data, model, calctype="bayes")
    with pytest.raises(goldmine.InvalidInput, match="init_pars"):
        hf.infer.hypotest(1.0, data, model, init_pars=[0.5, 1.0, 1.0])
    with pytest.raises(goldmine.InvalidInput, match="level"):
        hf.upper_limit(data, model, level=1.5)


def test_wrong_theta_length(toy_events, goldmine_cli, tmp_path):
    augmenter = goldmine.SampleAugmenter(toy_events)
    with pytest.raises(goldmine.InvalidInput) as raised:
        augmenter.sample_train_local([0.1, 0.2, 0.3], n_samples=10, progress=False)
    assert "expected 2 values (one per parameter), got 3" in str(raised.value)
    cli_message = goldmine_cli.error(
        "augment", "local", "--events", toy_events, "--output", tmp_path / "s.h5",
        "--n-samples", 10, "--seed", 1, "--theta", "0.1,0.2,0.3")
    assert "expected 2 values (one per parameter), got 3" in cli_message

    with pytest.raises(goldmine.InvalidInput, match="expected 2 values"):
        augmenter.cross_sections([0.1, 0.2, 0.3])
    with pytest.raises(goldmine.InvalidInput, match="theta: expected 2 values"):
        goldmine.FisherInformation(toy_events).truth_information([0.1, 0.2, 0.3])
    goldmine_cli.error("fisher", "truth", "--events", toy_events, "--theta",
                       "0.1,0.2,0.3")
    with pytest.raises(goldmine.InvalidInput, match="theta_true: expected 2 values"):
        goldmine.AsymptoticLimits(toy_events).compute(
            "rate", "c1:-1:1:3,c2:-1:1:3", theta_true=[0.0, 0.0, 0.0],
            progress=False)
    with pytest.raises(goldmine.InvalidInput, match="theta: expected a specification"):
        augmenter.sample("local", 10, 1, theta=np.zeros((2, 2, 2)), progress=False)


def test_unknown_sampling_method(toy_events, goldmine_cli, tmp_path):
    augmenter = goldmine.SampleAugmenter(toy_events)
    with pytest.raises(goldmine.InvalidInput) as raised:
        augmenter.sample("lcoal", 10, 1, theta="benchmark:sm", progress=False)
    assert "lcoal" in str(raised.value)
    assert "plain, local, density, ratio, more-ratios or test" in str(raised.value)
    cli_message = goldmine_cli.error(
        "augment", "lcoal", "--events", toy_events, "--output", tmp_path / "s.h5",
        "--n-samples", 10, "--seed", 1, "--theta", "benchmark:sm")
    assert "plain, local, density, ratio, more-ratios or test" in cli_message


def test_unknown_theta_specification_and_benchmark(toy_events):
    augmenter = goldmine.SampleAugmenter(toy_events)
    with pytest.raises(goldmine.InvalidInput, match="nosuchbenchmark"):
        augmenter.sample("local", 10, 1, theta="benchmark:nosuchbenchmark",
                         progress=False)
    with pytest.raises(goldmine.InvalidInput,
                       match='theta specification "nonsense:3": expected'):
        augmenter.sample("local", 10, 1, theta="nonsense:3", progress=False)
    with pytest.raises(goldmine.InvalidInput, match="theta is required"):
        augmenter.sample("local", 10, 1, progress=False)  # no theta at all
    with pytest.raises(goldmine.InvalidInput, match='partition "everything" unknown'):
        augmenter.sample("local", 10, 1, theta="benchmark:sm",
                         partition="everything", progress=False)


@pytest.mark.parametrize("n_samples", [0, -5])
def test_bad_sample_count(toy_events, goldmine_cli, tmp_path, n_samples):
    augmenter = goldmine.SampleAugmenter(toy_events)
    with pytest.raises(goldmine.InvalidInput) as raised:
        augmenter.sample("local", n_samples, 1, theta="benchmark:sm", progress=False)
    assert f"n_samples {n_samples}: expected a count from 1 to 10^8" in str(raised.value)
    if n_samples == 0:
        cli_message = goldmine_cli.error(
            "augment", "local", "--events", toy_events, "--output",
            tmp_path / "s.h5", "--n-samples", 0, "--seed", 1, "--theta",
            "benchmark:sm")
        assert "expected a count from 1 to 10^8" in cli_message


def test_missing_events_file(goldmine_cli, tmp_path):
    """The CLI exits with 2 (bad input); Python raises the library's class,
    a goldmine.Error naming the file."""
    missing = tmp_path / "no_such_events.h5"
    cli_message = goldmine_cli.error("xsec", "--events", missing, "--theta", "0,0")
    assert str(missing) in cli_message and "no such file" in cli_message
    for open_file in (goldmine.SampleAugmenter,
                      goldmine.AsymptoticLimits,
                      goldmine.events.read_setup,
                      lambda path: goldmine.FisherInformation(path).rate_information([0, 0])):
        with pytest.raises(goldmine.Error) as raised:
            open_file(missing)
        assert isinstance(raised.value, goldmine.FileFormatError)
        assert isinstance(raised.value, ValueError)
        assert str(missing) in str(raised.value)
        assert "no such file" in str(raised.value)


def test_file_that_is_not_hdf5(goldmine_cli, tmp_path):
    path = tmp_path / "not_events.h5"
    path.write_text("hello\n")
    cli_message = goldmine_cli.error("xsec", "--events", path, "--theta", "0,0")
    with pytest.raises(goldmine.FileFormatError) as raised:
        goldmine.SampleAugmenter(path)
    assert str(raised.value) == cli_message
    assert "not an HDF5 file" in str(raised.value)


def test_bad_options(toy_events):
    with pytest.raises(goldmine.InvalidInput, match="threads"):
        goldmine.SampleAugmenter(toy_events, n_threads=0)
    with pytest.raises(goldmine.InvalidInput, match="limits method histo needs observables"):
        goldmine.AsymptoticLimits(toy_events).compute("histo", "c1:-1:1:3,c2:-1:1:3",
                                                      progress=False)
    with pytest.raises(goldmine.InvalidInput, match='"nomethod" unknown'):
        goldmine.AsymptoticLimits(toy_events).compute("nomethod", "c1:-1:1:3",
                                                      progress=False)
    with pytest.raises(goldmine.InvalidInput, match="bins 0: expected a count from 1 to 10\\^6"):
        goldmine.FisherInformation(toy_events).histo_information(
            [0, 0], 300000.0, "pt", 0)
    with pytest.raises(goldmine.InvalidInput, match="edges must increase"):
        goldmine.FisherInformation(toy_events).histo_information(
            [0, 0], 300000.0, "pt", [50, 20])
    with pytest.raises(goldmine.InvalidInput, match="priors"):
        goldmine.sampling.random_morphing_points(3, [("flat", -1, 1), ("flat", -1, 1)])


def test_morphing_errors():
    components = goldmine.morphing.Components.from_max_powers([2, 2], 2)
    with pytest.raises(goldmine.InvalidInput, match="5 benchmarks cannot determine 6"):
        goldmine.morphing.Morpher(components, np.random.default_rng(1).normal(size=(5, 2)))
    with pytest.raises(goldmine.InvalidInput, match="parameter_range"):
        goldmine.morphing.solve_case({"parameter_max_power": [2],
                                      "max_overall_power": 2,
                                      "thetas": [[0.0]]})
    with pytest.raises(goldmine.InvalidInput, match="unknown key"):
        goldmine.morphing.solve_case({"parameter_max_power": [2], "typo": 1})
