"""goldmine.estimators (only with GOLDMINE_WITH_TORCH=1): a tiny SALLY model
trained by `goldmine train` on a local sample of MadMiner's toy events,
loaded from Python: its score equals `goldmine evaluate`'s predictions, and
FisherInformation.full_information / AsymptoticLimits.compute("sally")
equal `goldmine fisher sally` / `goldmine limits --method sally`."""

import numpy as np
import pytest

import goldmine
from goldmine_test_support import assert_same, contains_array, with_torch

pytestmark = pytest.mark.skipif(
    not with_torch(),
    reason="goldmine was built without LibTorch (GOLDMINE_WITH_TORCH is not 1)")

N_SAMPLES = 2000
SEED = 5


@pytest.fixture(scope="module")
def trained(goldmine_cli, toy_events, tmp_path_factory):
    """(folder, model prefix, samples file) of a SALLY model with 8 hidden
    units trained for 2 epochs (about a second)."""
    folder = tmp_path_factory.mktemp("sally")
    samples = folder / "samples.h5"
    goldmine_cli.json("augment", "local", "--events", toy_events, "--output",
                      samples, "--n-samples", N_SAMPLES, "--seed", SEED,
                      "--theta", "benchmark:sm")
    (folder / "models").mkdir()
    prefix = folder / "models" / "sally"
    trained = goldmine_cli.json("train", "--method", "sally", "--samples", samples,
                                "--output", prefix, "--hidden", "8", "--epochs",
                                "2", "--seed", "1", "--quiet")
    assert trained["method"] == "sally"
    return folder, prefix, samples


@pytest.fixture(scope="module")
def model(trained):
    from goldmine import estimators

    return estimators.load_score_model(trained[1])


def test_score_equals_goldmine_evaluate(trained, model, goldmine_cli, toy_events):
    folder, prefix, samples = trained
    predictions = folder / "predictions.h5"
    summary = goldmine_cli.json("evaluate", "--model", prefix, "--samples",
                                samples, "--output", predictions)
    assert summary["datasets"] == ["t_hat", "t_hat_std"]
    # The same request gives the samples file's rows (test_augmentation.py).
    x = goldmine.SampleAugmenter(toy_events).sample(
        "local", N_SAMPLES, SEED, theta="benchmark:sm", progress=False)["x"]
    t_hat = model.score(x)
    assert isinstance(t_hat, np.ndarray) and t_hat.shape == (N_SAMPLES, 2)
    assert np.isfinite(t_hat).all()
    # The predictions file stores t_hat as a contiguous float64 dataset: the
    # Python scores are in it bit for bit (tighter than 1e-12).
    assert contains_array(predictions, t_hat), (
        "model.score(x) is not the t_hat of `goldmine evaluate`")
    assert contains_array(predictions, np.zeros_like(t_hat))  # t_hat_std
    # Any subset of rows gives the same numbers (no batch effects).
    np.testing.assert_array_equal(model.score(x[17:40]), t_hat[17:40])


def test_model_properties(trained, model):
    from goldmine import estimators

    assert isinstance(model, goldmine.ScoreModel)
    assert model.parameter_names == ["c1", "c2"]
    assert model.observable_names == ["pt", "dphi", "eta", "ptcos"]
    assert isinstance(estimators.load(trained[1]), goldmine.ScoreModel)
    with pytest.raises(goldmine.Error):
        estimators.load_score_model(trained[0] / "models" / "no_such_model")


@pytest.mark.parametrize("theta", [[0.0, 0.0], [0.2, -0.3]])
def test_sally_information_equals_the_cli(trained, model, goldmine_cli,
                                          toy_events, theta):
    folder, prefix, _ = trained
    theta_text = ",".join(repr(float(v)) for v in theta)
    expected = goldmine_cli.json("fisher", "sally", "--events", toy_events,
                                 "--theta", theta_text, "--model", prefix)
    fisher = goldmine.FisherInformation(toy_events)
    assert_same(fisher.full_information(theta, model, details=True), expected,
                "sally")
    # A path loads the model; MadMiner's return is (information, None).
    information, covariance = fisher.full_information(theta, str(prefix))
    assert_same(information, expected["fisher_information"], "information")
    assert covariance is None

    expected = goldmine_cli.json("fisher", "sally", "--events", toy_events,
                                 "--theta", theta_text, "--model", prefix,
                                 "--no-xsec-info", "--partition", "validation")
    assert_same(fisher.full_information(theta, model, include_xsec_info=False,
                                        partition="validation", details=True),
                expected, "sally without rate, validation")


def test_sally_limits_equal_the_cli(trained, model, goldmine_cli, toy_events):
    _, prefix, _ = trained
    expected = goldmine_cli.json("limits", "--events", toy_events, "--method",
                                 "sally", "--model", prefix, "--grid",
                                 "c1:-1:1:5,c2:-1:1:5", "--include-xsec",
                                 "--binning", "4;4")
    result = goldmine.AsymptoticLimits(toy_events).compute(
        "sally", "c1:-1:1:5,c2:-1:1:5", model=model, binning="4;4",
        progress=False)
    assert_same(result, expected, "sally limits")


def test_training_from_python_equals_goldmine_train(trained, model, toy_events):
    """estimators.train with the command's settings and seed trains the
    command's network, weight for weight; its histories hold the losses the
    command reports."""
    import json

    from goldmine import estimators

    folder, prefix, samples = trained
    output = folder / "python_models" / "sally"
    output.parent.mkdir()
    calls = []
    trained_model, histories = estimators.train(
        "sally", samples, output=output, hidden=(8,), epochs=2, seed=1,
        progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1] == (2, 2), calls
    assert isinstance(trained_model, goldmine.ScoreModel)
    assert (output.with_suffix(".pt").read_bytes()
            == prefix.with_suffix(".pt").read_bytes())

    # The model description is the command's, but for the run's provenance.
    def description(path):
        document = json.loads(path.read_text())
        document.pop("goldmine_version", None)
        for member in document.get("members", []):
            member.pop("seconds", None)
        return document

    assert (description(output.with_suffix(".json"))
            == description(prefix.with_suffix(".json")))
    x = goldmine.SampleAugmenter(toy_events).sample(
        "local", 300, 9, theta="benchmark:sm", progress=False)["x"]
    np.testing.assert_array_equal(trained_model.score(x), model.score(x))

    # The histories are those the command stores in the model description.
    assert len(histories) == 1
    history = histories[0]
    assert len(history["training_loss"]) == 2
    member = json.loads(prefix.with_suffix(".json").read_text())["members"][0]
    for key in ("seed", "training_loss", "validation_loss", "learning_rate",
                "best_epoch", "stopped_early"):
        assert_same(history[key], member[key], f"history {key}")
