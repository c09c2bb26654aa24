"""ONNX's own checker and metadata reader, outside goldmine (python3-onnx),
for tests/estimators/onnx_export_test.cc.

    python3 inspect_model.py MODEL.onnx

Runs onnx.checker.check_model(full_check=True) (which also runs strict shape
inference) and prints {"metadata": {...}, "inputs": [...], "outputs": [...],
"opset": N} as JSON.
"""
import json
import sys

import onnx

model = onnx.load(sys.argv[1])
onnx.checker.check_model(model, full_check=True)
print(json.dumps({
    "metadata": {p.key: p.value for p in model.metadata_props},
    "inputs": [i.name for i in model.graph.input],
    "outputs": [o.name for o in model.graph.output],
    "opset": max(o.version for o in model.opset_import if o.domain in ("", "ai.onnx")),
}))
