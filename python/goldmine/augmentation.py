"""Training and test samples with the joint likelihood ratio and joint score:
MadMiner's ``SampleAugmenter`` on goldmine's augmenter.

    augmenter = SampleAugmenter("events.h5")
    x, theta, t_xz, n_eff = augmenter.sample_train_local(
        theta=sampling.benchmark("sm"), n_samples=100000, seed=1)

Differences from MadMiner: every call takes a ``seed`` (the same seed gives
the same sample, the command line's ``goldmine augment --seed``); thetas are
``sampling`` values (specification strings or numbers); ``output=PATH``
writes goldmine's samples file piece by piece (memory flat in n_samples) and
returns its summary instead of arrays; ``folder`` and ``filename`` also write
MadMiner's .npy files (x_FILENAME.npy, ...).
"""

import os

from goldmine._goldmine import augmentation as _augmentation
from goldmine import _progress

__all__ = ["SampleAugmenter"]


class SampleAugmenter:
    """An events file opened for sampling and cross sections."""

    def __init__(
        self,
        filename,
        madminer_partitions=False,
        sample_only_from_closest_benchmark=True,
        test_split=0.2,
        validation_split=0.2,
        n_threads=1,
    ):
        self.filename = os.fspath(filename)
        self._options = dict(
            madminer_partitions=madminer_partitions,
            test_split=test_split,
            validation_split=validation_split,
            threads=n_threads,
        )
        self._closest = sample_only_from_closest_benchmark
        self._opened = {}
        self._augmenter(sample_only_from_closest_benchmark)

    def _augmenter(self, closest):
        if closest is None:
            closest = self._closest
        if closest not in self._opened:
            self._opened[closest] = _augmentation.Augmenter(
                self.filename,
                sample_only_from_closest_benchmark=closest,
                **self._options,
            )
        return self._opened[closest]

    @property
    def parameter_names(self):
        return self._augmenter(None).parameter_names

    @property
    def observable_names(self):
        return self._augmenter(None).observable_names

    @property
    def n_events(self):
        return self._augmenter(None).n_events

    def cross_sections(self, theta, partition="all", seed=0):
        """dict with thetas, xsec (pb), xsec_uncertainty and xsec_gradient,
        as ``goldmine xsec``."""
        return self._augmenter(None).cross_sections(theta, partition, seed)

    def xsecs(self, thetas, partition="all", seed=0):
        """MadMiner's xsecs: (cross sections, uncertainties) in pb."""
        result = self.cross_sections(thetas, partition, seed)
        return result["xsec"], result["xsec_uncertainty"]

    def sample(
        self,
        method,
        n_samples,
        seed,
        partition=None,
        theta=None,
        theta0=None,
        theta1=None,
        additional_thetas=None,
        nuisance="nominal",
        output=None,
        float32=False,
        folder=None,
        filename=None,
        sample_only_from_closest_benchmark=None,
        progress=None,
    ):
        """``goldmine augment METHOD``: a dict with the arrays the method
        fills (x, theta0, theta1, y, r_xz, t_xz, t_xz1) and n_eff, or with
        ``output`` the summary of the samples file written."""
        if partition is None:
            partition = "test" if method == "test" else "train"
        augmenter = self._augmenter(sample_only_from_closest_benchmark)
        with _progress.resolve(progress, f"augment {method}") as bar:
            result = augmenter.sample(
                method,
                int(n_samples),
                int(seed),
                partition,
                theta=theta,
                theta0=theta0,
                theta1=theta1,
                additional_theta=additional_thetas,
                nuisance=nuisance,
                output=None if output is None else os.fspath(output),
                float32=float32,
                progress=bar.callback,
            )
        if folder is not None and filename is not None and output is None:
            os.makedirs(folder, exist_ok=True)
            result["npy_files"] = _augmentation.export_npy(
                result, os.fspath(folder), filename, float32
            )
        return result

    # MadMiner's names. Each returns MadMiner's tuple; n_effective is the
    # smallest effective number of events over the sampled points.

    def sample_train_plain(self, theta, n_samples, seed=0, **options):
        s = self.sample("plain", n_samples, seed, theta=theta, **options)
        return _rows(s, "x", "theta0") + (s["n_eff"],)

    def sample_train_local(self, theta, n_samples, seed=0, **options):
        s = self.sample("local", n_samples, seed, theta=theta, **options)
        return _rows(s, "x", "theta0", "t_xz") + (s["n_eff"],)

    def sample_train_density(self, theta, n_samples, seed=0, **options):
        s = self.sample("density", n_samples, seed, theta=theta, **options)
        return _rows(s, "x", "theta0", "t_xz") + (s["n_eff"],)

    def sample_train_ratio(self, theta0, theta1, n_samples, seed=0, **options):
        s = self.sample(
            "ratio", n_samples, seed, theta0=theta0, theta1=theta1, **options
        )
        return _rows(s, "x", "theta0", "theta1", "y", "r_xz", "t_xz") + (
            s["n_eff"],
        )

    def sample_train_more_ratios(
        self, theta0, theta1, n_samples, additional_thetas=None, seed=0, **options
    ):
        s = self.sample(
            "more-ratios",
            n_samples,
            seed,
            theta0=theta0,
            theta1=theta1,
            additional_thetas=additional_thetas,
            **options,
        )
        return _rows(s, "x", "theta0", "theta1", "y", "r_xz", "t_xz", "t_xz1") + (
            s["n_eff"],
        )

    def sample_test(self, theta, n_samples, seed=0, **options):
        s = self.sample("test", n_samples, seed, theta=theta, **options)
        return _rows(s, "x", "theta0") + (s["n_eff"],)


def _rows(sample, *names):
    """The arrays of `names` (None for those the sample lacks, e.g. t_xz of
    a file without morphing); written files give no arrays."""
    return tuple(sample.get(name) for name in names)
