"""examples/python/madminer_tutorial.py runs end to end (morphing, events,
augmentation, Fisher information, limits) and writes its five plots."""

import os
import subprocess
import sys

import pytest


def test_madminer_tutorial_runs(tmp_path):
    pytest.importorskip("matplotlib", reason="Debian's python3-matplotlib is not installed")
    source = os.environ.get("GOLDMINE_SOURCE_DIR")
    executable = os.environ.get("GOLDMINE_EXECUTABLE")
    if not source or not executable:
        pytest.skip("GOLDMINE_SOURCE_DIR / GOLDMINE_EXECUTABLE unset (run through ctest)")
    script = os.path.join(source, "examples", "python", "madminer_tutorial.py")
    result = subprocess.run([sys.executable, script, str(tmp_path / "out")],
                            check=True, capture_output=True, text=True)
    for plot in ["morphing_basis", "pt_w", "augmentation", "fisher_contours", "limits"]:
        assert (tmp_path / "out" / f"{plot}.png").stat().st_size > 10000, plot
    # The Asimov best fit of both methods is the SM, where the data were made.
    assert result.stdout.count("best fit [0. 0.]") == 2, result.stdout
