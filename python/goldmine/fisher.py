"""Fisher information with MadMiner's names (``FisherInformation``,
``profile_information``, ``project_information``).

Each MadMiner-named method returns ``(information, covariance)`` as MadMiner
does (covariance None where there is none, e.g. SALLY); ``details=True``
returns instead the dict with every key of ``goldmine fisher``'s JSON
(Monte Carlo uncertainties, effective number of events, warnings, ...).
"""

import os

import numpy as np

from goldmine._goldmine import fisher as _fisher

__all__ = ["FisherInformation", "profile_information", "project_information"]


def profile_information(fisher_information, remaining_components):
    """The information on ``remaining_components`` with the others profiled:
    I_rr - I_ro I_oo^-1 I_or."""
    return _fisher.profile_information(
        np.asarray(fisher_information, dtype=float), list(remaining_components)
    )


def project_information(fisher_information, remaining_components):
    """The sub-matrix of ``remaining_components`` (the others fixed)."""
    return _fisher.project_information(
        np.asarray(fisher_information, dtype=float), list(remaining_components)
    )


class FisherInformation:
    """Fisher information of an events file."""

    def __init__(self, filename, include_nuisance_parameters=True, n_threads=1):
        self.filename = os.fspath(filename)
        self._include_nuisance = include_nuisance_parameters
        self._threads = n_threads
        self._calculators = {}

    def _calculator(self, luminosity, cuts, efficiency_functions):
        key = (float(luminosity), tuple(cuts or ()), tuple(efficiency_functions or ()))
        if key not in self._calculators:
            self._calculators[key] = _fisher.FisherInformation(
                self.filename,
                luminosity=key[0],
                cuts=list(key[1]),
                efficiencies=list(key[2]),
                include_nuisance_parameters=self._include_nuisance,
                threads=self._threads,
            )
        return self._calculators[key]

    @staticmethod
    def _returns(result, details):
        if details:
            return _with_float_edges(result)
        information = result["fisher_information"]
        covariance = result.get("covariance")
        if covariance is not None:
            # MadMiner's shape: covariance[i, j, k, l] = Cov(I_ij, I_kl).
            n = information.shape[0]
            covariance = np.asarray(covariance).reshape(n, n, n, n)
        return information, covariance

    def truth_information(
        self, theta, luminosity=300000.0, cuts=None, efficiency_functions=None,
        details=False,
    ):
        """Parton-level (truth) information: every event its own bin."""
        calculator = self._calculator(luminosity, cuts, efficiency_functions)
        return self._returns(calculator.truth(_vector(theta)), details)

    full_truth_information = truth_information

    def rate_information(
        self, theta, luminosity=300000.0, cuts=None, efficiency_functions=None,
        details=False,
    ):
        """Information in the total rate."""
        calculator = self._calculator(luminosity, cuts, efficiency_functions)
        return self._returns(calculator.rate(_vector(theta)), details)

    def histo_information(
        self, theta, luminosity, observable, bins, histrange=None, cuts=None,
        efficiency_functions=None, details=False,
    ):
        """A 1-D histogram of ``observable`` (an expression over the file's
        observables). bins: a count (dynamic quantile bins at theta, or equal
        bins in histrange) or the edges."""
        calculator = self._calculator(luminosity, cuts, efficiency_functions)
        result = calculator.histogram(
            _vector(theta), observable, _bins(bins), histrange
        )
        return self._returns(result, details)

    def histo_information_2d(
        self, theta, luminosity, observable1, bins1, observable2, bins2,
        histrange1=None, histrange2=None, cuts=None, efficiency_functions=None,
        details=False,
    ):
        """A 2-D histogram of two observables."""
        calculator = self._calculator(luminosity, cuts, efficiency_functions)
        result = calculator.histogram(
            _vector(theta), observable1, _bins(bins1), histrange1,
            observable2, _bins(bins2), histrange2,
        )
        return self._returns(result, details)

    def full_information(
        self, theta, model_file, luminosity=300000.0, include_xsec_info=True,
        partition="test", cuts=None, efficiency_functions=None, details=False,
    ):
        """SALLY: the information of an estimated score, on the events of
        ``partition`` (default test: events the model never saw). model_file:
        a path (DIR/NAME or NAME.onnx) or a loaded goldmine.ScoreModel."""
        if isinstance(model_file, (str, os.PathLike)):
            from goldmine import estimators

            model_file = estimators.load_score_model(model_file)
        calculator = self._calculator(luminosity, cuts, efficiency_functions)
        result = calculator.sally(
            _vector(theta), model_file, partition, include_xsec_info
        )
        return self._returns(result, details)

    sally_information = full_information

    def mem_information(
        self, theta, mem_file, luminosity=300000.0, include_xsec_info=True,
        partition="all", details=False,
    ):
        """The Matrix Element Method's exact observable-level information
        from a MEM file (``goldmine mem``) of this events file."""
        calculator = self._calculator(luminosity, None, None)
        result = calculator.mem(
            _vector(theta), os.fspath(mem_file), partition, include_xsec_info
        )
        return self._returns(result, details)


def _vector(theta):
    return np.asarray(theta, dtype=float).reshape(-1)


def _bins(bins):
    """A bin count or a list of edges, as the C++ layer checks them."""
    if bins is None or isinstance(bins, (bool, np.bool_, str)):
        return bins
    if isinstance(bins, (int, np.integer)):
        return int(bins)
    try:
        return [float(edge) for edge in bins]
    except (TypeError, ValueError):
        return bins


def _with_float_edges(result):
    """histogram_edges as float arrays: the JSON of the command line spells
    the outer edges "-inf" and "inf" (JSON has no infinity)."""
    if "histogram_edges" in result:
        result["histogram_edges"] = [
            np.array([float(edge) for edge in axis]) for axis in result["histogram_edges"]
        ]
    return result
