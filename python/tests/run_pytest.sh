#!/usr/bin/env bash
# Runs one pytest file for CTest: exit 77 (CTest's skip) with a message when
# pytest is missing, pytest's exit code otherwise.
set -euo pipefail
python=$1
test_file=$2
if ! "$python" -c "import pytest" 2>/dev/null; then
  echo "skipped: $python has no pytest (Debian: python3-pytest)" >&2
  exit 77
fi
exec "$python" -m pytest -q -p no:cacheprovider "$test_file"
