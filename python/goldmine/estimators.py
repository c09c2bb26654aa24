"""Trained estimators: load a model written by ``goldmine train`` (DIR/NAME)
or ``goldmine export onnx`` (NAME.onnx) and evaluate it.

    model = estimators.load_score_model("models/sally")
    t_hat = model.score(x)                   # events x parameters

This module loads goldmine's LibTorch library (about 1.5 s) on first use;
``import goldmine`` alone does not.
"""

import os

from goldmine._goldmine import InvalidInput

__all__ = ["load", "load_ratio_model", "load_score_model", "train"]


def _module():
    try:
        from goldmine import _estimators
    except ImportError as error:
        raise ImportError(
            "goldmine.estimators needs the extension goldmine._estimators, "
            "which a build without LibTorch (GOLDMINE_WITH_TORCH=OFF) does "
            f"not have ({error})"
        ) from error
    return _estimators


def load_score_model(path):
    """A SALLY / SALLINO model: goldmine.ScoreModel with score(x)."""
    return _module().load_score_model(os.fspath(path))


def load_ratio_model(path):
    """A likelihood-ratio model (RASCAL, ALICES, CARL, ...):
    goldmine.LikelihoodRatioModel with log_likelihood_ratio(x, theta0,
    theta1) and score(x, theta0)."""
    return _module().load_ratio_model(os.fspath(path))


def load(path):
    """Whichever of the two the file holds."""
    try:
        return load_score_model(path)
    except InvalidInput:
        return load_ratio_model(path)


def train(method, samples, output=None, progress=None, **settings):
    """``goldmine train``: trains an estimator on a samples file (written by
    ``SampleAugmenter.sample(..., output=PATH)`` or ``goldmine augment``)
    and returns ``(model, histories)``; with ``output=DIR/NAME`` it is also
    saved as DIR/NAME.json and .pt. The settings are the command's options
    with underscores: hidden=(100, 100), activation="tanh", epochs=50,
    batch_size=128, lr=1e-3, lr_decay=0.1, optimizer="amsgrad",
    validation_split=0.25, validation_samples=None, early_stopping=False,
    patience=0, clip_gradient=0, weight_decay=0, alpha=1,
    double_parameterized=False, morphing_aware=None, ensemble=1, seed=1,
    threads=1. The same settings and seed give the command's network."""
    from goldmine import _progress

    if "hidden" in settings:
        settings["hidden"] = [int(width) for width in settings["hidden"]]
    for key in ("validation_samples", "morphing_aware"):
        if settings.get(key) is not None:
            settings[key] = os.fspath(settings[key])
    with _progress.resolve(progress, f"train {method}") as bar:
        return _module().train(
            method,
            os.fspath(samples),
            output=None if output is None else os.fspath(output),
            progress=bar.callback,
            **settings,
        )
