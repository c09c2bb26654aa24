"""Asymptotic limits on a parameter grid: MadMiner's ``AsymptoticLimits``
(``expected_limits``, ``observed_limits``) and goldmine's ``compute``, which
returns every key of ``goldmine limits``'s JSON.

    limits = AsymptoticLimits("events.h5")
    result = limits.compute("histo", grid={"cHW": (-1, 1, 21), "cHq3": (-1, 1, 21)},
                            observables=["pt_w"], binning="8")
    result["intervals"]["cHW"]["95%"]
"""

import os

import numpy as np

from goldmine._goldmine import InvalidInput
from goldmine._goldmine import limits as _limits
from goldmine import _progress
from goldmine.fisher import _with_float_edges

__all__ = ["AsymptoticLimits"]


class AsymptoticLimits:
    """Limits from an events file. ``madminer=True`` takes MadMiner's
    conventions (its partitions, Asimov data from the test partition, no
    overflow bins), as ``goldmine limits --madminer``."""

    def __init__(self, filename, madminer=False, n_threads=1):
        self.filename = os.fspath(filename)
        self._madminer = madminer
        self._threads = n_threads
        opened = self._open(300000.0, True, 0.2, None, None, 0, None)
        self.parameter_names = opened.parameter_names
        self.observable_names = opened.observable_names

    def _open(self, luminosity, include_xsec, test_split, asimov_from,
              binning_theta, dof, progress):
        return _limits.AsymptoticLimits(
            self.filename,
            luminosity=float(luminosity),
            include_xsec=include_xsec,
            test_split=test_split,
            madminer=self._madminer,
            asimov_from=asimov_from,
            binning_theta=binning_theta,
            dof=int(dof or 0),
            threads=self._threads,
            progress=progress,
        )

    def _grid_text(self, grid):
        """NAME:LO:HI:N,... from {name: (lo, hi, n)} in parameter order, or
        from the text itself."""
        if isinstance(grid, str):
            return grid
        parts = []
        for name, (lower, upper, points) in grid.items():
            parts.append(f"{name}:{float(lower)!r}:{float(upper)!r}:{int(points)}")
        return ",".join(parts)

    def compute(
        self,
        method,
        grid,
        theta_true=None,
        observed=None,
        observed_weights="",
        observables=(),
        binning=None,
        model=None,
        mem=None,
        score_components=(),
        theta_ref=None,
        fix=None,
        profile=None,
        luminosity=300000.0,
        include_xsec=True,
        test_split=0.2,
        asimov_from=None,
        dof=0,
        progress=None,
    ):
        """``goldmine limits --method METHOD``: a dict with grid,
        minus_two_delta_log_l, p_values, best_fit, intervals, contour_levels,
        ... grid: {name: (lo, hi, n)} or the --grid text; binning: the
        --binning text (preset or "N;E0,E1,..."); model: a path or a loaded
        goldmine.ScoreModel (sally methods) / LikelihoodRatioModel (ml);
        observed: an events file with the observed events (Asimov data at
        theta_true otherwise)."""
        score_model = ratio_model = None
        if model is not None:
            if isinstance(model, (str, os.PathLike)):
                from goldmine import estimators

                model = (
                    estimators.load_ratio_model(model)
                    if method == "ml"
                    else estimators.load_score_model(model)
                )
            if method == "ml":
                ratio_model = model
            else:
                score_model = model
        theta_true = None if theta_true is None else np.asarray(theta_true, float)
        binning_theta = theta_true
        with _progress.resolve(progress, f"limits {method}") as bar:
            calculator = self._open(
                luminosity, include_xsec, test_split, asimov_from,
                binning_theta, dof, bar.callback,
            )
            result = calculator.compute(
                method,
                self._grid_text(grid),
                theta_true=theta_true,
                observed=None if observed is None else os.fspath(observed),
                observed_weights=observed_weights,
                observables=list(observables),
                binning=_binning_text(binning),
                score_model=score_model,
                ratio_model=ratio_model,
                mem=None if mem is None else os.fspath(mem),
                score_components=list(score_components),
                theta_ref=None if theta_ref is None else np.asarray(theta_ref, float),
                fix=dict(fix or {}),
                profile={k: tuple(v) for k, v in (profile or {}).items()},
            )
        return _with_float_edges(result)

    def expected_limits(
        self,
        mode,
        theta_true,
        grid_ranges,
        grid_resolutions,
        include_xsec=True,
        model_file=None,
        hist_vars=None,
        score_components=None,
        hist_bins=None,
        thetaref=None,
        luminosity=300000.0,
        dof=None,
        test_split=0.2,
        mem=None,
        progress=None,
    ):
        """MadMiner's expected_limits: (theta_grid, p_values, i_ml, llr_kin,
        llr_rate, histos); histos is None (the histograms stay in C++).
        mode: rate, histo, sally, adaptive-sally, sallino, ml or mem."""
        return self._madminer_limits(
            mode, grid_ranges, grid_resolutions, hist_vars, hist_bins,
            theta_true=theta_true, model=model_file, mem=mem,
            score_components=score_components or (), theta_ref=thetaref,
            luminosity=luminosity, include_xsec=include_xsec,
            test_split=test_split, dof=dof or 0, progress=progress,
        )

    def observed_limits(
        self,
        mode,
        observed,
        grid_ranges,
        grid_resolutions,
        include_xsec=True,
        model_file=None,
        hist_vars=None,
        score_components=None,
        hist_bins=None,
        thetaref=None,
        luminosity=300000.0,
        dof=None,
        observed_weights="",
        progress=None,
    ):
        """MadMiner's observed_limits, with the observed events read from an
        events file (``observed``), as ``goldmine limits --observed``."""
        return self._madminer_limits(
            mode, grid_ranges, grid_resolutions, hist_vars, hist_bins,
            observed=observed, observed_weights=observed_weights,
            model=model_file, score_components=score_components or (),
            theta_ref=thetaref, luminosity=luminosity,
            include_xsec=include_xsec, dof=dof or 0, progress=progress,
        )

    def _madminer_limits(self, mode, grid_ranges, grid_resolutions, hist_vars,
                         hist_bins, **options):
        result = self.compute(
            _mode(mode),
            self._madminer_grid(grid_ranges, grid_resolutions),
            observables=hist_vars or (),
            binning=_hist_bins(hist_bins, hist_vars),
            **options,
        )
        return _madminer_returns(result)

    def _madminer_grid(self, grid_ranges, grid_resolutions):
        if isinstance(grid_resolutions, (int, np.integer)):
            grid_resolutions = [grid_resolutions] * len(grid_ranges)
        if len(grid_ranges) != len(self.parameter_names) or len(
            grid_resolutions
        ) != len(grid_ranges):
            raise InvalidInput(
                f"grid_ranges and grid_resolutions: expected one entry per "
                f"parameter ({', '.join(self.parameter_names)})"
            )
        return {
            name: (lower, upper, points)
            for name, (lower, upper), points in zip(
                self.parameter_names, grid_ranges, grid_resolutions
            )
        }


def _mode(mode):
    return {"adaptive-sally": "adaptive-sally", "adaptive_sally": "adaptive-sally"}.get(
        mode, mode
    )


def _binning_text(binning):
    if binning is None or isinstance(binning, str):
        return binning
    parts = []
    for axis in binning:
        if isinstance(axis, (int, np.integer)):
            parts.append(str(int(axis)))
        else:
            parts.append(",".join(repr(float(edge)) for edge in axis))
    return ";".join(parts)


def _hist_bins(hist_bins, hist_vars):
    if hist_bins is None:
        return None
    if isinstance(hist_bins, (int, np.integer)):
        return _binning_text([int(hist_bins)] * max(1, len(hist_vars or ())))
    return _binning_text(hist_bins)


def _madminer_returns(result):
    return (
        result["grid"],
        result["p_values"],
        result["best_fit_index"],
        result["log_likelihood_kin"],
        result["log_likelihood_rate"],
        None,
    )
