"""Shared fixtures of the Python module's tests (docs/python.md).

CTest runs each test file through run_pytest.sh with
  PYTHONPATH            the build tree's python/ folder (the package goldmine)
  GOLDMINE_EXECUTABLE   the `goldmine` command line the results are checked against
  GOLDMINE_SHARED_DIR   ../shared (reference data; tests skip without it)
  GOLDMINE_SOURCE_DIR   the source tree
  GOLDMINE_WITH_TORCH   1 when the estimators (LibTorch) are built
By hand, from the source tree:
  PYTHONPATH=build/release/python GOLDMINE_EXECUTABLE=build/release/apps/goldmine \
  GOLDMINE_SHARED_DIR=../shared /usr/bin/python3 -m pytest -q python/tests
"""

import os
from pathlib import Path

import pytest

import goldmine  # noqa: F401  (a failed import fails every test, loudly)
from goldmine_test_support import SOURCE_DIR, Cli, shared_candidate, shared_dir


def _require(path, what):
    if path is None or not Path(path).exists():
        looked = path if path is not None else shared_candidate() / "reference"
        pytest.skip(
            f"{what} not found (set GOLDMINE_SHARED_DIR to the shared/ folder "
            f"with reference/; looked for {looked})"
        )
    return Path(path)


@pytest.fixture(scope="session")
def goldmine_cli():
    """The `goldmine` executable (GOLDMINE_EXECUTABLE, else the release
    build of the source tree)."""
    configured = os.environ.get("GOLDMINE_EXECUTABLE")
    path = Path(configured) if configured else (
        SOURCE_DIR / "build" / "release" / "apps" / "goldmine")
    if not (path.is_file() and os.access(path, os.X_OK)):
        if configured:
            pytest.fail(f"GOLDMINE_EXECUTABLE={configured} is not an executable")
        pytest.skip(f"the goldmine executable was not found at {path} "
                    f"(set GOLDMINE_EXECUTABLE)")
    return Cli(path)


@pytest.fixture(scope="session")
def madminer_dir():
    """../shared/reference/madminer (MadMiner's toy files)."""
    base = shared_dir()
    return _require(None if base is None else base / "reference" / "madminer",
                    "MadMiner reference data")


@pytest.fixture(scope="session")
def toy_events(madminer_dir):
    """The MadMiner toy events file: 2 parameters (c1, c2), 4 observables,
    20000 events."""
    return _require(madminer_dir / "toy_events.h5", "toy_events.h5")


@pytest.fixture(scope="session")
def toy_nuisance_events(madminer_dir):
    """The toy events with one nuisance parameter."""
    return _require(madminer_dir / "toy_nuisance_events.h5",
                    "toy_nuisance_events.h5")


@pytest.fixture(scope="session")
def histfactory_dir():
    """../shared/reference/histfactory (pyhf's reference cases)."""
    base = shared_dir()
    return _require(None if base is None else base / "reference" / "histfactory",
                    "HistFactory reference data")
