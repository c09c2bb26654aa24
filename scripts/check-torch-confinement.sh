#!/usr/bin/env bash
# LibTorch stays inside estimators/src (DESIGN.md §1): no torch, ATen or c10
# include anywhere else, and only estimators/CMakeLists.txt finds Torch.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
includes=$(grep -rnE '#[[:space:]]*include[[:space:]]*[<"](torch|ATen|c10)/' \
  --include='*.h' --include='*.cc' --include='*.hpp' --include='*.cpp' --include='*.in' \
  --exclude-dir=build --exclude-dir=.git . | grep -v '^\./estimators/src/' || true)
if [ -n "$includes" ]; then
  echo "torch headers outside estimators/src:" >&2
  echo "$includes" >&2
  status=1
fi
finds=$(grep -rnE 'find_package\([[:space:]]*Torch' --include='CMakeLists.txt' --include='*.cmake' \
  --exclude-dir=build --exclude-dir=.git . | grep -v '^\./estimators/CMakeLists.txt:' || true)
if [ -n "$finds" ]; then
  echo "find_package(Torch) outside estimators/CMakeLists.txt:" >&2
  echo "$finds" >&2
  status=1
fi
# libonnx and OpenCV's dnn (issue 18; DESIGN.md §6) are confined the same way, to the ONNX
# writer's files in estimators/src, and those files never see torch.
onnx_includes=$(grep -rnE '#[[:space:]]*include[[:space:]]*[<"](onnx|opencv2)/' \
  --include='*.h' --include='*.cc' --exclude-dir=build --exclude-dir=.git . |
  grep -vE '^\./estimators/src/onnx_[a-z_]+\.(h|cc):' || true)
if [ -n "$onnx_includes" ]; then
  echo "libonnx or OpenCV headers outside estimators/src/onnx_*:" >&2
  echo "$onnx_includes" >&2
  status=1
fi
onnx_torch=$(grep -nE '#[[:space:]]*include[[:space:]]*[<"](torch/|ATen/|c10/|model\.h)' \
  estimators/src/onnx_*.cc estimators/src/onnx_*.h 2>/dev/null || true)
if [ -n "$onnx_torch" ]; then
  echo "the ONNX writer includes torch:" >&2
  echo "$onnx_torch" >&2
  status=1
fi
[ $status -eq 0 ] && echo "check-torch-confinement: torch is confined to estimators/, libonnx and OpenCV to estimators/src/onnx_*"
exit $status
