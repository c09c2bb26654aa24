"""Helpers shared by the pytest files (imported by name: pytest puts this
folder on sys.path). The fixtures that use them are in conftest.py.

- Cli: runs the `goldmine` executable and parses its JSON stdout.
- assert_same: a Python result against the CLI's JSON, key by key, numbers
  to 1e-12 (the issue's acceptance; in practice they are bit-equal).
- assert_same_hdf5: two HDF5 files written by goldmine that may differ only
  in HDF5's object modification times (the samples file keeps HDF5's
  default timestamps), so that a file written from Python can be compared
  with the CLI's without an HDF5 reader in Python.
- shared_dir, with_torch: the test environment (conftest.py describes it).
- contains_array: whether a float64 matrix is stored verbatim in a file
  (goldmine's contiguous datasets, e.g. `goldmine evaluate`'s predictions).
"""

import json
import os
import re
import struct
import subprocess
import time
from pathlib import Path

import numpy as np

# The source tree (GOLDMINE_SOURCE_DIR, else two folders up from here).
SOURCE_DIR = Path(
    os.environ.get("GOLDMINE_SOURCE_DIR", Path(__file__).resolve().parents[2])
)


def shared_candidate():
    """Where ../shared should be: GOLDMINE_SHARED_DIR, else beside the
    source tree."""
    configured = os.environ.get("GOLDMINE_SHARED_DIR")
    return Path(configured) if configured else SOURCE_DIR.parent / "shared"


def shared_dir():
    """../shared (GOLDMINE_SHARED_DIR), or None when it has no reference/
    folder (no reference data)."""
    path = shared_candidate()
    return path if (path / "reference").is_dir() else None


def with_torch():
    """GOLDMINE_WITH_TORCH=1: the estimators module (LibTorch) is built."""
    return os.environ.get("GOLDMINE_WITH_TORCH", "").lower() in (
        "1", "on", "true", "yes")


# The acceptance tolerance of issue 21: Python equals the CLI to 1e-12.
RTOL = 1e-12
ATOL = 1e-12

# goldmine's JSON writes non-finite numbers as strings.
_NON_FINITE = {"inf": np.inf, "-inf": -np.inf, "nan": np.nan,
               "Infinity": np.inf, "-Infinity": -np.inf, "NaN": np.nan}


class CliError(AssertionError):
    pass


class Cli:
    """The `goldmine` executable."""

    def __init__(self, executable):
        self.executable = str(executable)

    def run(self, *arguments, cwd=None, timeout=600):
        """The finished process (text stdout and stderr), whatever its exit
        code."""
        command = [self.executable] + [str(argument) for argument in arguments]
        return subprocess.run(
            command,
            cwd=None if cwd is None else str(cwd),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            timeout=timeout,
            check=False,
        )

    def json(self, *arguments, cwd=None, timeout=600):
        """The parsed JSON of a successful run (exit 0)."""
        done = self.run(*arguments, cwd=cwd, timeout=timeout)
        if done.returncode != 0:
            raise CliError(
                f"goldmine {' '.join(str(a) for a in arguments)} exited with "
                f"{done.returncode}:\n{done.stderr}"
            )
        try:
            return json.loads(done.stdout)
        except json.JSONDecodeError as error:
            raise CliError(
                f"goldmine {' '.join(str(a) for a in arguments)}: stdout is "
                f"not JSON ({error}):\n{done.stdout[:2000]}"
            ) from error

    def error(self, *arguments, cwd=None):
        """The message of a run that must fail with exit code 2 (bad input):
        stderr without the "goldmine CMD: error: " prefix."""
        done = self.run(*arguments, cwd=cwd)
        if done.returncode != 2:
            raise CliError(
                f"goldmine {' '.join(str(a) for a in arguments)}: expected "
                f"exit code 2, got {done.returncode}:\n{done.stderr}"
            )
        message = done.stderr.strip().splitlines()[-1]
        marker = ": error: "
        return message.split(marker, 1)[1] if marker in message else message


def _numeric(value):
    """value as a float array, or None when it is not numbers (strings,
    dicts, None, booleans)."""
    if isinstance(value, (bool, np.bool_)) or value is None:
        return None
    if isinstance(value, str):
        return np.array(_NON_FINITE[value]) if value in _NON_FINITE else None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return np.array(float(value))
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "fiu":
            return value.astype(float)
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        rows = [_numeric(item) for item in value]
        if any(row is None for row in rows):
            return None
        if not rows:
            return np.zeros(0)
        if any(row.shape != rows[0].shape for row in rows):
            return None
        return np.stack(rows)
    return None


def assert_same(actual, expected, where="result", ignore=(), rtol=RTOL,
                atol=ATOL):
    """actual (Python) equals expected (the CLI's JSON): the same keys
    (except those in `ignore`, at the top level), the same strings and
    booleans, numbers to rtol/atol with the same shapes (NaN equals NaN)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: expected a dict, got {actual!r}"
        actual_keys = set(actual) - set(ignore)
        expected_keys = set(expected) - set(ignore)
        # The values of the common keys first: a missing key does not hide
        # a wrong number.
        for key in sorted(actual_keys & expected_keys):
            assert_same(actual[key], expected[key], f"{where}[{key!r}]",
                        rtol=rtol, atol=atol)
        assert actual_keys == expected_keys, (
            f"{where}: keys differ: only in Python {sorted(actual_keys - expected_keys)}, "
            f"only in the CLI {sorted(expected_keys - actual_keys)}"
        )
        return
    if isinstance(expected, (bool, np.bool_)):
        assert isinstance(actual, (bool, np.bool_)) and bool(actual) == bool(
            expected), f"{where}: {actual!r} != {expected!r}"
        return
    if expected is None:
        assert actual is None, f"{where}: {actual!r} is not None"
        return
    expected_numbers = _numeric(expected)
    actual_numbers = _numeric(actual)
    if expected_numbers is not None and actual_numbers is not None:
        assert actual_numbers.shape == expected_numbers.shape, (
            f"{where}: shape {actual_numbers.shape} != {expected_numbers.shape}"
        )
        np.testing.assert_allclose(actual_numbers, expected_numbers, rtol=rtol,
                                   atol=atol, equal_nan=True, err_msg=where)
        return
    if isinstance(expected, str):
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"
        return
    if isinstance(expected, (list, tuple)):
        actual = list(actual)
        assert len(actual) == len(expected), (
            f"{where}: length {len(actual)} != {len(expected)}"
        )
        for index, (a, e) in enumerate(zip(actual, expected)):
            assert_same(a, e, f"{where}[{index}]", rtol=rtol, atol=atol)
        return
    raise AssertionError(f"{where}: cannot compare {actual!r} with {expected!r}")


def _plausible_time(raw, near):
    (seconds,) = struct.unpack("<I", raw)
    return abs(seconds - near) < 3 * 86400


_VERSION = re.compile(rb"goldmine \d+\.\d+\.\d+[^\x00]*")


def _mask_version(raw):
    """The file with its goldmine_version attribute text blanked (same
    length): the module and the executable may be built from different
    commits of a work tree; the version is provenance, not data."""
    return _VERSION.sub(lambda match: b"#" * len(match.group(0)), raw)


def assert_same_hdf5(path_a, path_b):
    """Two HDF5 files equal byte for byte except for object modification
    times: every differing byte lies in a 4-byte little-endian word that
    holds a time within 3 days of now in both files (HDF5's v1 object
    modification time message). The goldmine_version text is not
    compared."""
    a = _mask_version(Path(path_a).read_bytes())
    b = _mask_version(Path(path_b).read_bytes())
    assert len(a) == len(b), f"{path_a}: {len(a)} bytes, {path_b}: {len(b)}"
    if a == b:
        return
    differing = np.flatnonzero(
        np.frombuffer(a, np.uint8) != np.frombuffer(b, np.uint8))
    now = time.time()
    covered_until = -1
    for offset in differing:
        if offset <= covered_until:
            continue
        for start in range(max(0, offset - 3), offset + 1):
            window_a = a[start:start + 4]
            window_b = b[start:start + 4]
            if (len(window_a) == 4 and _plausible_time(window_a, now)
                    and _plausible_time(window_b, now)):
                covered_until = start + 3
                break
        else:
            raise AssertionError(
                f"{path_a} and {path_b} differ at byte {offset} "
                f"(not a timestamp): {a[offset:offset + 16]!r} vs "
                f"{b[offset:offset + 16]!r}"
            )


def contains_array(path, matrix):
    """Whether `matrix` (float64, row-major) is stored verbatim in the file
    at `path`."""
    raw = Path(path).read_bytes()
    needle = np.ascontiguousarray(matrix, dtype="<f8").tobytes()
    return len(needle) > 0 and needle in raw


def npy_files(folder):
    """{file name: array} of the .npy files in folder."""
    return {name: np.load(os.path.join(folder, name))
            for name in sorted(os.listdir(folder)) if name.endswith(".npy")}
