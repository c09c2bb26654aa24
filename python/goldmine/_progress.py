"""Progress reporting for long calls: a callback ``progress(done, total)``
given by the caller, else a tqdm bar when tqdm is installed, else nothing."""


def resolve(progress, description):
    """The callable to hand to the C++ layer (or None).

    ``progress`` may be a callable, False (no progress) or None (tqdm if
    available). The returned object is also a context manager that closes
    the bar."""
    if progress is False:
        return _Null()
    if progress is not None:
        return _Callback(progress)
    try:
        import tqdm  # noqa: F401
    except ImportError:
        return _Null()
    return _Tqdm(description)


class _Null:
    callback = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class _Callback(_Null):
    def __init__(self, function):
        self.callback = function


class _Tqdm(_Null):
    def __init__(self, description):
        self._description = description
        self._bar = None

    def callback(self, done, total):
        import tqdm

        if self._bar is None:
            self._bar = tqdm.tqdm(total=total, desc=self._description)
        if total != self._bar.total:
            self._bar.total = total
        self._bar.update(done - self._bar.n)

    def __exit__(self, *exc):
        if self._bar is not None:
            self._bar.close()
        return False
