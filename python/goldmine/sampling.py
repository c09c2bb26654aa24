"""Parameter points for the sampling methods, with MadMiner's names
(``madminer.sampling``). Each returns what ``SampleAugmenter`` accepts as a
theta: a specification string of the command line's grammar, or numbers.
"""

import numpy as np

from goldmine._goldmine import InvalidInput

__all__ = [
    "benchmark",
    "grid",
    "morphing_point",
    "morphing_points",
    "random_morphing_points",
]


def benchmark(name):
    """The benchmark called ``name``: ``benchmark:NAME``."""
    return f"benchmark:{name}"


def morphing_point(theta):
    """One parameter point (morphed)."""
    return np.asarray(theta, dtype=float).reshape(-1)


def morphing_points(thetas):
    """Several parameter points, one per row."""
    points = np.asarray(thetas, dtype=float)
    return points.reshape(1, -1) if points.ndim == 1 else points


def grid(points_per_parameter):
    """A grid over the parameter ranges of the events file: ``grid:N1,N2``."""
    return "grid:" + ",".join(str(int(n)) for n in points_per_parameter)


def random_morphing_points(n_thetas, priors=None):
    """``n_thetas`` random points: uniform in the parameter ranges of the
    events file (``priors`` None or "uniform"), or Gaussian with MadMiner's
    priors ``[("gaussian", mean, std), ...]``, one per parameter. The points
    are drawn in C++ from the call's seed, as ``--theta random:...``."""
    if priors is None or priors == "uniform":
        return f"random:{int(n_thetas)}:uniform"
    if all(len(prior) == 3 and prior[0] == "gaussian" for prior in priors):
        means = ",".join(repr(float(prior[1])) for prior in priors)
        stds = ",".join(repr(float(prior[2])) for prior in priors)
        return f"random:{int(n_thetas)}:gaussian:{means}:{stds}"
    raise InvalidInput(
        "random_morphing_points: priors must all be ('gaussian', mean, std), "
        "or None for uniform points in the parameter ranges; for flat priors "
        "on other ranges, draw the points and pass morphing_points(...)"
    )
