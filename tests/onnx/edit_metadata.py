"""Rewrites a goldmine ONNX file's metadata, for the bad-input tests of
tests/apps/export_command_test.cc (python3-onnx).

    python3 edit_metadata.py IN.onnx OUT.onnx KEY=VALUE ... [-KEY ...]

KEY=VALUE sets a key; -KEY removes it.
"""
import sys

import onnx

model = onnx.load(sys.argv[1])
props = {p.key: p.value for p in model.metadata_props}
for edit in sys.argv[3:]:
    if edit.startswith("-"):
        props.pop(edit[1:], None)
    else:
        key, value = edit.split("=", 1)
        props[key] = value
del model.metadata_props[:]
for key, value in props.items():
    entry = model.metadata_props.add()
    entry.key, entry.value = key, value
onnx.save(model, sys.argv[2])
