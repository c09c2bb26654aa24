"""`cmake --install` puts the module where Debian's python3 finds it: the
goldmine_python component installed into a fresh prefix imports from
PREFIX/lib/python3.X/dist-packages (the folder Debian's python3 searches
under /usr/local and /usr) in a python3 that does not see the build tree."""

import os
import subprocess
import sys

import pytest


def test_installed_module_imports_and_computes(tmp_path):
    build = os.environ.get("GOLDMINE_BUILD_DIR")
    cmake = os.environ.get("GOLDMINE_CMAKE", "cmake")
    folder = os.environ.get("GOLDMINE_PYTHON_INSTALL_DIR")
    if not build or not folder:
        pytest.skip("GOLDMINE_BUILD_DIR / GOLDMINE_PYTHON_INSTALL_DIR unset (run through ctest)")
    prefix = tmp_path / "prefix"
    subprocess.run(
        [cmake, "--install", build, "--prefix", str(prefix), "--component", "goldmine_python"],
        check=True, capture_output=True,
    )
    package = prefix / folder / "goldmine"
    assert (package / "__init__.py").is_file()
    version = sys.version_info
    assert folder == f"lib/python{version.major}.{version.minor}/dist-packages"
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    environment["PYTHONPATH"] = str(prefix / folder)
    script = (
        "import goldmine, numpy as np\n"
        "assert goldmine.__file__.startswith(%r), goldmine.__file__\n"
        "c = goldmine.morphing.Components.from_max_powers([2], None)\n"
        "m = goldmine.morphing.Morpher(c, np.array([[0.0], [1.0], [-1.0]]))\n"
        "print(m.weights(np.array([[0.5]])).tolist())\n" % str(prefix)
    )
    result = subprocess.run([sys.executable, "-c", script], env=environment,
                            check=True, capture_output=True, text=True, cwd=tmp_path)
    # One parameter, powers 0..2, basis 0, 1, -1: w(0.5) = (1 - t^2, (t + t^2)/2, (t^2 - t)/2).
    weights = eval(result.stdout)[0]  # noqa: S307 (our own output)
    assert weights == pytest.approx([0.75, 0.375, -0.125], abs=1e-14)
