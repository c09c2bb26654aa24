#!/usr/bin/env python3
"""Groups the non-ok runs of runs.jsonl by a normalised message signature; prints them
(for writing SUMMARY.md by hand) and writes signatures.json."""
import collections
import json
import os
import re
import sys

ROOT = os.path.abspath(os.environ.get(
    "GOLDMINE_MUTATION_DIR",
    os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))), "build", "mutation")))
runs = [json.loads(l) for l in open(ROOT + "/runs.jsonl")]


def norm(msg):
    m = msg
    m = re.sub(r"^goldmine [\w-]+( [\w-]+)?: ", "", m)
    m = re.sub(r"\"[^\"]*\"|'[^']*'", "S", m)
    m = re.sub(r"[\w./-]+\.(lhe|gz|hepmc3?|json|yaml|h5)\b", "FILE", m)
    m = re.sub(r"-?\d+(\.\d+)?(e[-+]?\d+)?", "N", m)
    m = re.sub(r"\[N\]", "[]", m)
    return m[:110]


groups = collections.defaultdict(list)
for r in runs:
    if r["class"] == "ok":
        continue
    key = (r["class"], r["cmd"], norm(r["stderr_first"]) + " | " + " ".join(
        n for n in r["notes"] if n.startswith("only") or n.startswith("other") or n.startswith("signal")))
    groups[key].append(r)

out = []
for (cls, cmd, sig), rs in sorted(groups.items(), key=lambda kv: (kv[0][0], -len(kv[1]))):
    ex = min(rs, key=lambda r: len(r["mutation"]))
    out.append({"class": cls, "cmd": cmd, "signature": sig, "count": len(rs),
                "example": {"n": ex["n"], "mutation": ex["mutation"], "argv": ex["argv"],
                            "stderr": ex["stderr_first"], "notes": ex["notes"], "saved": ex.get("saved")}})
json.dump(out, open(ROOT + "/signatures.json", "w"), indent=1)
sel = sys.argv[1] if len(sys.argv) > 1 else None
for g in out:
    if sel and not g["class"].startswith(sel):
        continue
    print("%-22s %-20s x%-4d %s" % (g["class"], g["cmd"], g["count"], g["signature"]))
    e = g["example"]
    print("      eg #%d %s | %s" % (e["n"], e["mutation"][:120], " ".join(e["argv"])[:120]))
    print("      stderr: %s %s" % (e["stderr"][:220], e["notes"][:3]))
