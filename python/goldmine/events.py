"""Events files (goldmine's and MadMiner's HDF5 layout) as numpy arrays."""

from goldmine._goldmine import events as _events

__all__ = ["read_events", "read_samples", "read_setup"]


def read_setup(path):
    """Parameters, benchmarks, morphing, observables, nuisance parameters and
    systematics of an events file, as a dict."""
    return _events.read_setup(str(path))


def read_events(path, first=0, count=None):
    """The setup plus ``x`` (events x observables), ``weights`` (events x
    benchmarks, pb) and ``sampling_benchmarks`` of events [first,
    first + count)."""
    return _events.read_events(str(path), first, count)


def read_samples(path):
    """A samples file written by ``goldmine augment`` or
    ``SampleAugmenter.sample(..., output=PATH)``: the arrays it holds (x,
    theta0, theta1, y, r_xz, t_xz, t_xz1) and its metadata (method,
    parameters, observables, partition, seed, n_eff)."""
    return _events.read_samples(str(path))
