"""Trained estimators: load a model written by ``goldmine train`` (DIR/NAME)
or ``goldmine export onnx`` (NAME.onnx) and evaluate it.

    model = estimators.load_score_model("models/sally")
    t_hat = model.score(x)                   # events x parameters

This module loads goldmine's LibTorch library (about 1.5 s) on first use;
``import goldmine`` alone does not.
"""

import os

from goldmine._goldmine import InvalidInput

__all__ = ["load", "load_ratio_model", "load_score_model"]


def _module():
    try:
        from goldmine import _estimators
    except ImportError as error:
        raise ImportError(
            "goldmine was built without LibTorch (GOLDMINE_WITH_TORCH=OFF), "
            "so it cannot load trained estimators"
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
