#!/usr/bin/env python3
"""Mutation campaign against the goldmine CLI (stdlib only).

Promise under test: every bad input ends in exit 2 with exactly one stderr line naming
the file (and line/event/key/JSON path) and what was expected; never a signal, never
exit 1, never exit 0 with null/NaN/Infinity in the printed JSON or output file, never a
hang (> 60 s), never a destroyed input.

usage: fuzz/mutation/campaign.py [--target 3000] [--budget-min 40] [--seed 1]
                                [--only CMD,...] [--bin PATH]
Inputs: $GOLDMINE_SHARED_DIR (default ../shared beside the checkout): data/events,
reference/histfactory, reference/madminer. The binary: --bin, else
build/release/apps/goldmine of this checkout.
Outputs: $GOLDMINE_MUTATION_DIR (default build/mutation):
{runs.jsonl,summary.json,SUMMARY.md,defects/<class>/<n>/}; fuzz/mutation/report.py
groups them. docs/fuzzing.md, "Mutation campaign", has the results.
"""
import argparse
import collections
import gzip
import hashlib
import json
import math
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROOT = os.path.abspath(os.environ.get("GOLDMINE_MUTATION_DIR",
                                      os.path.join(REPO, "build", "mutation")))
SHARED = os.path.abspath(os.environ.get("GOLDMINE_SHARED_DIR",
                                        os.path.join(REPO, "..", "shared")))
SCR = os.path.join(ROOT, "scratch")
BASE = os.path.join(SCR, "base")
RUNS = os.path.join(SCR, "runs")
DEFECTS = os.path.join(ROOT, "defects")
EVENTS = os.path.join(SHARED, "data", "events")
HF = os.path.join(SHARED, "reference", "histfactory")
MM = os.path.join(SHARED, "reference", "madminer")
TIMEOUT = 60
MAX_SAVED_PER_CLASS = 400

BIN = None


def find_binary():
    root = os.path.join(REPO, "build", "release")
    for dirpath, _, files in os.walk(root):
        if "goldmine" in files:
            p = os.path.join(dirpath, "goldmine")
            if os.path.isfile(p) and os.access(p, os.X_OK):
                return p
    return None


# ----------------------------------------------------------------------------- running

def run_goldmine(argv, cwd, timeout=TIMEOUT):
    t0 = time.monotonic()
    proc = subprocess.Popen(["nice", "-n", "19", BIN] + argv, cwd=cwd,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
        rc = proc.returncode
        hung = False
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = proc.communicate()
        rc = None
        hung = True
    return rc, out, err, time.monotonic() - t0, hung


def sha(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ----------------------------------------------------------------------------- JSON checks

class BadNumber(Exception):
    pass


def json_bad_values(text, baseline_null_paths=frozenset()):
    """Returns (parse_error or None, list of offending paths)."""
    bad = []

    def const(name):  # NaN, Infinity, -Infinity
        return float("nan")

    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        doc = json.loads(text, parse_constant=const)
    except Exception as e:  # noqa
        return "%s: %s" % (type(e).__name__, str(e)[:120]), []

    def walk(node, path):
        if node is None:
            norm = re.sub(r"\[\d+\]", "[]", path)
            if norm not in baseline_null_paths:
                bad.append(path + "=null")
        elif isinstance(node, float):
            if not math.isfinite(node):
                bad.append(path + "=" + repr(node))
        elif isinstance(node, dict):
            for k, v in node.items():
                walk(v, path + "." + str(k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, "%s[%d]" % (path, i))
    walk(doc, "")
    return None, bad


def null_paths(text):
    out = set()
    try:
        doc = json.loads(text)
    except Exception:
        return out

    def walk(node, path):
        if node is None:
            out.add(re.sub(r"\[\d+\]", "[]", path))
        elif isinstance(node, dict):
            for k, v in node.items():
                walk(v, path + "." + str(k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, "%s[%d]" % (path, i))
    walk(doc, "")
    return out


NAN_PATTERNS = [bytes.fromhex("000000000000f87f"), bytes.fromhex("000000000000f8ff"),
                bytes.fromhex("000000000000f07f"), bytes.fromhex("000000000000f0ff"),
                bytes.fromhex("0000c07f"), bytes.fromhex("0000807f")]


def nonfinite_count(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    return sum(data.count(p) for p in NAN_PATTERNS[:4])


# ----------------------------------------------------------------------------- text mutators

BAD_TOKENS = [b"nan", b"inf", b"-inf", b"1e999", b"0x10", b"1.2.3", b"1e", b"abc", b"",
              b"1180591620717411303424", b"-1180591620717411303424", b"-1", b"0", b"NaN",
              b"-5", b"1e-999", b"+", b"9" * 400, b"1e308", b"-0", b"1,5", b"--1", b"1e+",
              b"nan(0x1)", b"Infinity", b"\xff\xfe"]
BAD_COUNTS = [b"-1", b"-5", b"0", b"1180591620717411303424", b"99999999", b"2147483648",
              b"9223372036854775807", b"4294967296", b"abc", b"1.5", b"nan", b""]
NUM_RE = re.compile(rb"(?<![\w.])[-+]?(?:\d+\.?\d*|\.\d+)(?:[eEdD][-+]?\d+)?(?![\w.])")
INVALID_UTF8 = [b"\xff\xfe", b"\xc3(", b"\xa0\xa1", b"\xe2\x28\xa1", b"\xf0\x90\x28\xbc",
                b"a\x00b", b"\xed\xa0\x80"]


def split_lines(data):
    return data.split(b"\n")


def join_lines(lines):
    return b"\n".join(lines)


def event_region_start(lines, fmt):
    for i, ln in enumerate(lines):
        if fmt == "lhe" and ln.strip().startswith(b"<event"):
            return i
        if fmt in ("hepmc3", "hepmc2") and ln.startswith(b"E "):
            return i
    return 0


def pick_line(rng, lines, fmt, only_numeric=False):
    start = event_region_start(lines, fmt)
    cand_all = range(len(lines))
    r = rng.random()
    if r < 0.6:
        cand = list(range(start, len(lines)))
    elif r < 0.85:
        cand = list(range(0, max(start, 1)))
    else:
        cand = list(cand_all)
    if only_numeric:
        cand = [i for i in cand if NUM_RE.search(lines[i])] or \
               [i for i in cand_all if NUM_RE.search(lines[i])]
    cand = [i for i in cand if i < len(lines)]
    if not cand:
        return None
    return rng.choice(cand)


def m_byte_flip(rng, data, fmt):
    b = bytearray(data)
    k = rng.choice([1, 1, 2, 4, 16])
    start = len(b) // 10 if rng.random() < 0.7 else 0
    pos = []
    for _ in range(k):
        p = rng.randrange(start, len(b))
        b[p] ^= 1 << rng.randrange(8)
        pos.append(p)
    return bytes(b), "byte_flip x%d at %s" % (k, pos[:4])


def m_truncate(rng, data, fmt):
    n = rng.choice([rng.choice([0, 1, 10]), rng.randrange(len(data)), rng.randrange(len(data)),
                    rng.randrange(len(data)), rng.randrange(len(data) // 2, len(data)), len(data) - 1])
    return data[:n], "truncate at byte %d of %d" % (n, len(data))


def m_delete_line(rng, data, fmt):
    lines = split_lines(data)
    i = pick_line(rng, lines, fmt)
    line = lines[i][:60]
    del lines[i]
    return join_lines(lines), "delete line %d (%r)" % (i + 1, line)


def m_duplicate_line(rng, data, fmt):
    lines = split_lines(data)
    i = pick_line(rng, lines, fmt)
    lines.insert(i, lines[i])
    return join_lines(lines), "duplicate line %d (%r)" % (i + 1, lines[i][:60])


def m_swap_lines(rng, data, fmt):
    lines = split_lines(data)
    i = pick_line(rng, lines, fmt)
    j = min(len(lines) - 1, i + rng.choice([1, 1, 2, 5]))
    lines[i], lines[j] = lines[j], lines[i]
    return join_lines(lines), "swap lines %d and %d" % (i + 1, j + 1)


def m_numeric(rng, data, fmt, line_filter=None, tokens=BAD_TOKENS):
    lines = split_lines(data)
    if line_filter:
        cand = [i for i, ln in enumerate(lines) if line_filter(ln) and NUM_RE.search(ln)]
        i = rng.choice(cand) if cand else pick_line(rng, lines, fmt, only_numeric=True)
    else:
        i = pick_line(rng, lines, fmt, only_numeric=True)
    if i is None:
        return m_byte_flip(rng, data, fmt)
    matches = list(NUM_RE.finditer(lines[i]))
    m = rng.choice(matches)
    tok = rng.choice(tokens)
    old = lines[i]
    lines[i] = old[:m.start()] + tok + old[m.end():]
    return join_lines(lines), "line %d token %r -> %r (line %r)" % (
        i + 1, m.group(0), tok[:20], old[:50])


def structural_filter(fmt):
    if fmt == "hepmc3":
        return lambda ln: ln[:2] in (b"E ", b"W ", b"P ", b"V ", b"U ", b"A ", b"T ")
    if fmt == "hepmc2":
        return lambda ln: ln[:2] in (b"E ", b"N ", b"V ", b"P ", b"U ", b"C ", b"F ")
    return lambda ln: b"<wgt" in ln or (ln.strip() and ln.lstrip()[:1].isdigit() is False
                                        and ln.strip()[:1] in b"-0123456789")


def m_numeric_struct(rng, data, fmt):
    return m_numeric(rng, data, fmt, line_filter=structural_filter(fmt))


def m_count(rng, data, fmt):
    """Replace a count / index field with a negative, zero or huge value."""
    lines = split_lines(data)
    cand = []
    for i, ln in enumerate(lines):
        toks = ln.split()
        if fmt == "lhe":
            if i > 0 and lines[i - 1].strip().startswith(b"<event"):
                cand.append((i, [0, 1]))                  # NUP, IDPRUP
            elif i > 0 and lines[i - 1].strip().startswith(b"<init"):
                cand.append((i, [8, 9]))                  # IDWTUP, NPRUP
            elif len(toks) == 13 and toks[0].lstrip(b"-").isdigit():
                cand.append((i, [0, 1, 2, 3, 4, 5]))      # IDUP ISTUP MOTHUP ICOLUP
        elif fmt == "hepmc3":
            if ln.startswith(b"E "):
                cand.append((i, [1, 2, 3]))
            elif ln.startswith(b"P "):
                cand.append((i, [1, 2, 3, 9]))
            elif ln.startswith(b"V "):
                cand.append((i, [1, 2]))
            elif ln.startswith(b"A "):
                cand.append((i, [1]))
        elif fmt == "hepmc2":
            if ln.startswith(b"E "):
                cand.append((i, [1, 2, 8, 9, 10, 11, 12]))
            elif ln.startswith(b"N "):
                cand.append((i, [1]))
            elif ln.startswith(b"V "):
                cand.append((i, [1, 2, 7, 8, 9]))
            elif ln.startswith(b"P "):
                cand.append((i, [1, 2, 8, 11, 12]))
    if not cand:
        return m_numeric(rng, data, fmt)
    # prefer early events
    i, fields = rng.choice(cand[: max(3, len(cand) // 3)] if rng.random() < 0.5 else cand)
    toks = lines[i].split(b" ")
    nonempty = [k for k, t in enumerate(toks) if t]
    fields = [f for f in fields if f < len(nonempty)]
    if not fields:
        return m_numeric(rng, data, fmt)
    f = rng.choice(fields)
    k = nonempty[f]
    old = toks[k]
    toks[k] = rng.choice(BAD_COUNTS)
    lines[i] = b" ".join(toks)
    return join_lines(lines), "count field %d of line %d: %r -> %r" % (f, i + 1, old, toks[k][:24])


def m_weight_name_utf8(rng, data, fmt):
    bad = rng.choice(INVALID_UTF8)
    if fmt == "lhe":
        ids = re.findall(rb"<weight id=['\"]([^'\"]+)['\"]", data)
        if not ids:
            return m_byte_flip(rng, data, fmt)
        name = rng.choice(ids)
        new = name[:2] + bad + name[2:]
        mode = rng.choice(["both", "header", "events"])
        out = data
        if mode in ("both", "header"):
            out = re.sub(rb"(<weight id=['\"])" + re.escape(name) + rb"(['\"])",
                         lambda m: m.group(1) + new + m.group(2), out)
        if mode in ("both", "events"):
            out = re.sub(rb"(<wgt id=['\"])" + re.escape(name) + rb"(['\"])",
                         lambda m: m.group(1) + new + m.group(2), out)
        return out, "weight id %r -> %r (%s)" % (name, new, mode)
    if fmt == "hepmc3":
        lines = split_lines(data)
        for i, ln in enumerate(lines):
            if ln.startswith(b"W ") and i < event_region_start(lines, fmt):
                toks = ln.split(b" ")
                j = rng.randrange(1, len(toks))
                toks[j] = toks[j][:1] + bad + toks[j][1:]
                lines[i] = b" ".join(toks)
                return join_lines(lines), "header W name %d gets %r" % (j, bad)
        return m_attr_utf8(rng, data, fmt, bad)
    if fmt == "hepmc2":
        names = list(re.finditer(rb'"([^"]*)"', data[:200000]))
        if names:
            m = rng.choice(names)
            return data[:m.start(1)] + bad + data[m.start(1):], "weight name %r gets %r" % (
                m.group(1)[:30], bad)
    return m_byte_flip(rng, data, fmt)


def m_attr_utf8(rng, data, fmt, bad=None):
    bad = bad or rng.choice(INVALID_UTF8)
    lines = split_lines(data)
    cand = [i for i, ln in enumerate(lines) if ln.startswith(b"A ")]
    if not cand:
        return m_byte_flip(rng, data, fmt)
    i = rng.choice(cand)
    toks = lines[i].split(b" ")
    toks[2] = toks[2] + bad
    lines[i] = b" ".join(toks)
    return join_lines(lines), "attribute name on line %d gets %r" % (i + 1, bad)


def m_long_name(rng, data, fmt):
    n = rng.choice([64, 100, 1000, 100000, 1000000])
    name = b"A" * n
    if fmt == "lhe":
        ids = re.findall(rb"<weight id=['\"]([^'\"]+)['\"]", data)
        if ids:
            old = rng.choice(ids)
            out = re.sub(rb"(id=['\"])" + re.escape(old) + rb"(['\"])",
                         lambda m: m.group(1) + name + m.group(2), data)
            return out, "weight id %r -> %d x 'A'" % (old, n)
        return data.replace(b"<event>", b"<event " + name + b"='1'>", 1), \
            "long event attribute %d" % n
    lines = split_lines(data)
    if fmt == "hepmc3":
        cand = [i for i, ln in enumerate(lines) if ln.startswith(b"A ")]
        if cand and rng.random() < 0.6:
            i = rng.choice(cand)
            toks = lines[i].split(b" ")
            toks[2] = name
            lines[i] = b" ".join(toks)
            return join_lines(lines), "attribute name line %d -> %d chars" % (i + 1, n)
        cand = [i for i, ln in enumerate(lines) if ln.startswith(b"W ")]
        if cand:
            i = cand[0]
            lines[i] = lines[i] + b" " + name
            return join_lines(lines), "extra weight name of %d chars on line %d" % (n, i + 1)
    if fmt == "hepmc2":
        cand = [i for i, ln in enumerate(lines) if ln.startswith(b"N ")]
        if cand:
            i = cand[0]
            m = list(re.finditer(rb'"([^"]*)"', lines[i]))
            if m:
                mm = rng.choice(m)
                lines[i] = lines[i][:mm.start(1)] + name + lines[i][mm.end(1):]
                return join_lines(lines), "weight name %r -> %d chars" % (mm.group(1)[:30], n)
    return m_byte_flip(rng, data, fmt)


def m_random_junk_line(rng, data, fmt):
    lines = split_lines(data)
    i = pick_line(rng, lines, fmt)
    junk = rng.choice([b"\x00" * 10, b"\xff" * 40, b"garbage line", b"E", b"P", b"V", b"W",
                       b"<event>", b"</event>", b"<init>", b"</LesHouchesEvents>",
                       b"HepMC::Asciiv3-END_EVENT_LISTING", b"HepMC::IO_GenEvent-END_EVENT_LISTING",
                       b"E 0 0 0", b"P 1 0 11 0 0 0 0 0 1", b"V -1 0 [1]", b"  ",
                       b"<wgt id='SM'> 1.0 </wgt>", b"<rwgt>", b"</rwgt>", b"<weights>",
                       b"U MEV MM", b"U GEV CM", b"U TEV M"])
    lines.insert(i, junk)
    return join_lines(lines), "insert %r before line %d" % (junk[:30], i + 1)


def m_remove_block(rng, data, fmt):
    """remove a whole structural tag or block (rwgt / weights / init / header)."""
    if fmt == "lhe":
        choices = [(rb"<rwgt>.*?</rwgt>", "rwgt block"), (rb"<initrwgt>.*?</initrwgt>", "initrwgt"),
                   (rb"<init>.*?</init>", "init"), (rb"</event>", "one </event>"),
                   (rb"<event>", "one <event>"), (rb"<header>.*?</header>", "header"),
                   (rb"</LesHouchesEvents>", "closing tag"), (rb"<wgt[^>]*>[^<]*</wgt>", "one wgt"),
                   (rb"<weights>.*?</weights>", "weights block"), (rb"<LesHouchesEvents[^>]*>", "opening tag")]
    elif fmt == "hepmc3":
        choices = [(rb"HepMC::Asciiv3-START_EVENT_LISTING\n", "start"),
                   (rb"\nHepMC::Asciiv3-END_EVENT_LISTING", "end"),
                   (rb"HepMC::Version[^\n]*\n", "version"), (rb"\nU [^\n]*", "units"),
                   (rb"\nW [^\n]*", "W line"), (rb"\nV [^\n]*", "V line"), (rb"\nT [^\n]*", "T line")]
    else:
        choices = [(rb"HepMC::IO_GenEvent-START_EVENT_LISTING\n", "start"),
                   (rb"\nHepMC::IO_GenEvent-END_EVENT_LISTING", "end"),
                   (rb"\nN [^\n]*", "N line"), (rb"\nU [^\n]*", "units"), (rb"\nV [^\n]*", "V line"),
                   (rb"\nC [^\n]*", "C line"), (rb"\nF [^\n]*", "F line")]
    pat, what = rng.choice(choices)
    ms = list(re.finditer(pat, data, flags=re.S))
    if not ms:
        return m_delete_line(rng, data, fmt)
    m = rng.choice(ms)
    return data[:m.start()] + data[m.end():], "remove %s at byte %d" % (what, m.start())


TEXT_MUTATORS = [(m_byte_flip, 3), (m_truncate, 3), (m_delete_line, 3), (m_duplicate_line, 2),
                 (m_swap_lines, 2), (m_numeric, 6), (m_numeric_struct, 5), (m_count, 5),
                 (m_weight_name_utf8, 2), (m_long_name, 2), (m_random_junk_line, 2),
                 (m_remove_block, 3), (m_attr_utf8, 1)]


def weighted_choice(rng, items):
    total = sum(w for _, w in items)
    r = rng.uniform(0, total)
    for item, w in items:
        r -= w
        if r <= 0:
            return item
    return items[-1][0]


def mutate_text(rng, data, fmt):
    mut = weighted_choice(rng, TEXT_MUTATORS)
    new, desc = mut(rng, data, fmt)
    if rng.random() < 0.15 and len(new) > 100:  # a second mutation
        mut2 = weighted_choice(rng, TEXT_MUTATORS)
        new, d2 = mut2(rng, new, fmt)
        desc += " + " + d2
    return new, desc


# ----------------------------------------------------------------------------- JSON mutators

class Raw:
    def __init__(self, b):
        self.b = b if isinstance(b, bytes) else b.encode()


class Pairs:
    def __init__(self, pairs):
        self.pairs = pairs


def jdump(o):
    if isinstance(o, Raw):
        return o.b
    if isinstance(o, Pairs):
        return b"{" + b", ".join(jdump(k) + b": " + jdump(v) for k, v in o.pairs) + b"}"
    if isinstance(o, dict):
        return b"{" + b", ".join(jdump(k) + b": " + jdump(v) for k, v in o.items()) + b"}"
    if isinstance(o, list):
        return b"[" + b", ".join(jdump(v) for v in o) + b"]"
    if isinstance(o, float):
        return repr(o).encode()
    return json.dumps(o).encode()


def all_paths(o, path=()):
    yield path, o
    if isinstance(o, dict):
        for k, v in o.items():
            yield from all_paths(v, path + (k,))
    elif isinstance(o, list):
        for i, v in enumerate(o):
            yield from all_paths(v, path + (i,))


def get_at(o, path):
    for p in path:
        o = o[p]
    return o


def set_at(o, path, value):
    if not path:
        return value
    parent = get_at(o, path[:-1])
    parent[path[-1]] = value
    return o


def path_str(path):
    s = ""
    for p in path:
        s += "[%d]" % p if isinstance(p, int) else ("." + str(p) if s or True else str(p))
    return s.lstrip(".")


EXTREME_NUMBERS = [1e308, -1e308, 5e-324, -1, 0, 2 ** 70, -(2 ** 70), Raw("1e999"), Raw("-1e999"),
                   Raw("NaN"), Raw("Infinity"), Raw("-Infinity"), Raw("nan"), 2 ** 63, 2 ** 31,
                   1e15, -0.5, 0.5, Raw("1e-400"), Raw("01"), Raw("1."), Raw(".5"), Raw("+1"),
                   100000000, 1e9]
TYPE_SWAPS = ["str", "", 0, -1, 1.5, True, False, None, [], {}, [1, 2], {"a": 1}, [[]], ["x"],
              [None], "1.0"]


def jm_delete_key(rng, doc):
    cand = [p for p, v in all_paths(doc) if p and isinstance(p[-1], str)]
    if not cand:
        return None
    p = rng.choice(cand)
    del get_at(doc, p[:-1])[p[-1]]
    return doc, "delete key %s" % path_str(p)


def jm_change_type(rng, doc):
    cand = [p for p, v in all_paths(doc) if p]
    p = rng.choice(cand)
    old = get_at(doc, p)
    new = rng.choice(TYPE_SWAPS)
    doc = set_at(doc, p, new)
    return doc, "type of %s: %s -> %r" % (path_str(p), type(old).__name__, new)


def jm_number(rng, doc):
    cand = [p for p, v in all_paths(doc) if p and isinstance(v, (int, float)) and not isinstance(v, bool)]
    if not cand:
        return jm_change_type(rng, doc)
    p = rng.choice(cand)
    new = rng.choice(EXTREME_NUMBERS)
    old = get_at(doc, p)
    doc = set_at(doc, p, new)
    return doc, "number %s: %r -> %s" % (path_str(p), old, new.b.decode() if isinstance(new, Raw) else repr(new))


def jm_dup_key(rng, doc):
    cand = [p for p, v in all_paths(doc) if isinstance(v, dict) and v]
    if not cand:
        return None
    p = rng.choice(cand)
    d = get_at(doc, p)
    k = rng.choice(list(d.keys()))
    alt = rng.choice([d[k], "dup", 1, [], {}, None])
    pairs = list(d.items())
    pos = rng.randrange(len(pairs) + 1)
    pairs.insert(pos, (k, alt))
    doc = set_at(doc, p, Pairs(pairs))
    return doc, "duplicate key %s.%s (value %r)" % (path_str(p), k, alt)


def jm_deep(rng, doc):
    depth = rng.choice([1000, 100000])
    kind = rng.choice(["list", "object"])
    raw = (b"[" * depth + b"]" * depth) if kind == "list" else (b'{"a":' * depth + b"1" + b"}" * depth)
    if rng.random() < 0.2:
        return Raw(raw), "whole document nested %d deep (%s)" % (depth, kind)
    cand = [p for p, v in all_paths(doc) if p]
    p = rng.choice(cand)
    doc = set_at(doc, p, Raw(raw))
    return doc, "%s -> nested %d deep (%s)" % (path_str(p), depth, kind)


NAME_KEYS = {"name", "poi", "parameter_names", "measurement", "op", "path", "from", "type",
             "label", "labels", "description", "channel", "patches"}


def jm_strings(rng, doc):
    cand = [p for p, v in all_paths(doc) if p and isinstance(v, str)]
    named = [p for p in cand if any(isinstance(x, str) and x in NAME_KEYS for x in p[-2:])]
    if not cand:
        return jm_change_type(rng, doc)
    p = rng.choice(named if named and rng.random() < 0.7 else cand)
    new = rng.choice(["", " ", "a" * 1000000, "x\u0000y", Raw(b'"' + rng.choice(INVALID_UTF8) + b'"'),
                      Raw(b'"\\ud800"'), "mu", "lumi", "../../etc/passwd", "\u00e9\u4e2d",
                      "name with spaces", "a/b~1c"])
    old = get_at(doc, p)
    doc = set_at(doc, p, new)
    shown = new.b[:20] if isinstance(new, Raw) else new[:20]
    return doc, "string %s: %r -> %r" % (path_str(p), old[:30], shown)


def jm_list_len(rng, doc):
    cand = [p for p, v in all_paths(doc) if isinstance(v, list) and v]
    if not cand:
        return jm_change_type(rng, doc)
    p = rng.choice(cand)
    lst = get_at(doc, p)
    op = rng.choice(["drop", "dup", "empty", "append_num"])
    if op == "drop":
        lst.pop(rng.randrange(len(lst)))
    elif op == "dup":
        i = rng.randrange(len(lst))
        lst.insert(i, json.loads(json.dumps(lst[i])))
    elif op == "empty":
        lst.clear()
    else:
        lst.append(1.0)
    return doc, "list %s: %s" % (path_str(p), op)


def jm_extra_key(rng, doc):
    cand = [p for p, v in all_paths(doc) if isinstance(v, dict)]
    if not cand:
        return jm_change_type(rng, doc)
    p = rng.choice(cand)
    d = get_at(doc, p)
    d[rng.choice(["bogus", "unknown_key", "", "\u00e9"])] = rng.choice([1, "x", None, []])
    return doc, "extra key in %s" % (path_str(p) or "<root>")


def jm_string_number(rng, doc):
    cand = [p for p, v in all_paths(doc) if p and isinstance(v, (int, float)) and not isinstance(v, bool)]
    if not cand:
        return jm_change_type(rng, doc)
    p = rng.choice(cand)
    old = get_at(doc, p)
    doc = set_at(doc, p, str(old))
    return doc, "number %s -> string %r" % (path_str(p), str(old))


def jm_whole(rng, doc):
    new = rng.choice([Raw(b""), Raw(b"null"), Raw(b"[]"), Raw(b"{}"), Raw(b"1"), Raw(b'"x"'),
                      Raw(b"\xef\xbb\xbf{}"), Raw(b"{} {}"), Raw(b" "), Raw(b"\x00")])
    return new, "whole document -> %r" % new.b


JSON_MUTATORS = [(jm_delete_key, 5), (jm_change_type, 5), (jm_number, 7), (jm_dup_key, 2),
                 (jm_deep, 1), (jm_strings, 3), (jm_list_len, 4), (jm_extra_key, 2),
                 (jm_string_number, 2), (jm_whole, 1)]


def mutate_json(rng, text):
    r = rng.random()
    if r < 0.08:
        return m_truncate(rng, text, "json")
    if r < 0.14:
        return m_byte_flip(rng, text, "json")
    doc = json.loads(text)
    for _ in range(10):
        mut = weighted_choice(rng, JSON_MUTATORS)
        res = mut(rng, json.loads(json.dumps(doc)))
        if res is not None:
            new, desc = res
            return jdump(new), desc
    return m_byte_flip(rng, text, "json")


# ----------------------------------------------------------------------------- YAML mutators

YAML_VALUES = ["[1, 2]", "{a: 1}", "abc", "-1", "0", "1e999", ".nan", ".inf", "-.inf", "~", '""',
               "2000000000000000000000", "true", "[]", "{}", "0x10", "1.2.3", "!!binary aGVsbG8=",
               "*undefined_alias", "-5", "1e-999", "nan", "'  '", "[[1, 2], [3]]", "null",
               "100000000", "2147483648", "[-1, 1, 2]", "[1, -1]", "[.nan, 1]", "'\u00e9'"]
KV_RE = re.compile(r"([A-Za-z_][\w]*)\s*:\s+(\[[^\]\n]*\]|\{[^}\n]*\}|\"[^\"\n]*\"|[^,{}\[\]\n#]+?)(?=\s*(?:[,}\]]|#|\n|$))")


def ym_value(rng, text):
    ms = [m for m in KV_RE.finditer(text)]
    if not ms:
        return None
    m = rng.choice(ms)
    v = rng.choice(YAML_VALUES)
    return text[:m.start(2)] + v + text[m.end(2):], "value of %s (%r) -> %s" % (
        m.group(1), m.group(2)[:30], v)


YM_EXTRA_NAMES = []


def ym_path(rng, text):
    ms = [m for m in re.finditer(r"(file|set|include)\s*:\s+([^\s,{}#]+)", text)]
    if not ms:
        return ym_value(rng, text)
    m = rng.choice(ms)
    v = rng.choice(["missing.lhe", "subdir", ".", "/dev/null", "config.yaml", "/", "''",
                    "subdir/", "missing_dir/x.lhe", "/proc/self/mem", "[a, b]"])
    YM_EXTRA_NAMES.append(v.rstrip("/") + ":")
    YM_EXTRA_NAMES.append(v + ":")
    return text[:m.start(2)] + v + text[m.end(2):], "%s %r -> %s" % (m.group(1), m.group(2), v)


def content_lines(lines):
    return [i for i, ln in enumerate(lines) if ln.strip() and not ln.strip().startswith("#")]


def ym_delete_line(rng, text):
    lines = text.split("\n")
    i = rng.choice(content_lines(lines))
    old = lines[i]
    del lines[i]
    return "\n".join(lines), "delete line %d (%r)" % (i + 1, old[:50])


def ym_dup_line(rng, text):
    lines = text.split("\n")
    i = rng.choice(content_lines(lines))
    lines.insert(i + 1, lines[i])
    return "\n".join(lines), "duplicate line %d (%r)" % (i + 1, lines[i][:50])


def ym_unknown_key(rng, text):
    lines = text.split("\n")
    i = rng.choice(content_lines(lines))
    indent = len(lines[i]) - len(lines[i].lstrip(" "))
    if lines[i].lstrip().startswith("- "):
        indent += 2
    key = rng.choice(["bogus_key", "Parameters", "sampled_form", "weigths", "k-factor"])
    lines.insert(i + 1, " " * indent + key + ": 1")
    return "\n".join(lines), "unknown key %s after line %d" % (key, i + 1)


def ym_tab(rng, text):
    lines = text.split("\n")
    cand = [i for i in content_lines(lines) if lines[i].startswith(" ")]
    if not cand:
        return None
    i = rng.choice(cand)
    lines[i] = "\t" + lines[i].lstrip(" ")
    return "\n".join(lines), "tab indentation on line %d" % (i + 1)


def ym_indent(rng, text):
    lines = text.split("\n")
    i = rng.choice(content_lines(lines))
    d = rng.choice([-2, 1, 2, 4])
    if d < 0:
        lines[i] = lines[i][2:] if lines[i].startswith("  ") else lines[i]
    else:
        lines[i] = " " * d + lines[i]
    return "\n".join(lines), "indent line %d by %d" % (i + 1, d)


def ym_scalar_list(rng, text):
    # a list where a scalar is expected, or a scalar where a list is expected
    ms = list(re.finditer(r"(\w+)\s*:\s+(\[[^\]\n]*\])", text))
    if ms and rng.random() < 0.5:
        m = rng.choice(ms)
        v = rng.choice(["SM", "1", "x", "{a: 1}"])
        return text[:m.start(2)] + v + text[m.end(2):], "list %s -> scalar %s" % (m.group(1), v)
    ms = list(KV_RE.finditer(text))
    m = rng.choice(ms)
    v = "[" + m.group(2) + ", " + m.group(2) + "]"
    return text[:m.start(2)] + v + text[m.end(2):], "scalar %s -> list %s" % (m.group(1), v[:40])


def ym_whole(rng, text):
    new = rng.choice(["", "---\n", "- a\n- b\n", "just a string\n", "a: [\n", "{", "null\n",
                      "~\n", "\ufeff" + text, text + "\n---\nsecond: doc\n",
                      text.replace("\n", "\r\n"), text + "\n...\n"])
    return new, "whole document replaced (%r...)" % new[:20]


def ym_bomb(rng, text):
    bomb = ("a0: &a0 [x, x, x, x, x, x, x, x, x]\n" +
            "".join("a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n"
                    % ((i, i) + (i - 1,) * 9) for i in range(1, 9)))
    lines = text.split("\n")
    # put the bomb under an existing list-valued key (cuts) if present, else at the top
    if "cuts:" in text:
        out = text.replace("cuts:", bomb + "cuts: *a8\nxcuts:", 1)
        return out, "YAML alias bomb (9^9 nodes) as cuts"
    return bomb + "\n".join(lines), "YAML alias bomb (9^9 nodes) at the top"


def ym_utf8(rng, text):
    b = text.encode()
    ms = list(re.finditer(rb":\s+([A-Za-z_][\w]*)", b))
    if not ms:
        return None
    m = rng.choice(ms)
    bad = rng.choice(INVALID_UTF8)
    return (b[:m.start(1)] + bad + b[m.start(1):]), "invalid UTF-8 %r before %r" % (bad, m.group(1))


YAML_MUTATORS = [(ym_value, 10), (ym_path, 3), (ym_delete_line, 5), (ym_dup_line, 4),
                 (ym_unknown_key, 3), (ym_tab, 1), (ym_indent, 2), (ym_scalar_list, 3),
                 (ym_whole, 1), (ym_bomb, 0.3), (ym_utf8, 1)]


def mutate_yaml(rng, text):
    r = rng.random()
    if r < 0.06:
        return m_truncate(rng, text.encode(), "yaml")
    if r < 0.10:
        return m_byte_flip(rng, text.encode(), "yaml")
    for _ in range(10):
        mut = weighted_choice(rng, YAML_MUTATORS)
        res = mut(rng, text)
        if res is not None:
            new, desc = res
            return (new if isinstance(new, bytes) else new.encode()), desc
    return text.encode(), "unchanged"


# ----------------------------------------------------------------------------- HDF5 mutators

H5_NAMES = [b"weights", b"observations", b"benchmark", b"morphing", b"parameters", b"names",
            b"values", b"sample_summary", b"nuisance", b"observables", b"TREE", b"HEAP", b"SNOD",
            b"OHDR", b"components", b"morphing_matrix", b"sampling_benchmark", b"systematics"]


def h5_flip(rng, data):
    b = bytearray(data)
    k = rng.choice([1, 2, 4, 8, 32])
    lo, hi = len(b) // 10, len(b) * 9 // 10
    for _ in range(k):
        p = rng.randrange(lo, hi)
        b[p] ^= 1 << rng.randrange(8)
    return bytes(b), "flip %d bits in the middle" % k


def h5_trunc(rng, data):
    n = rng.choice([0, 7, 8, 96, 512, 2048, rng.randrange(len(data)), rng.randrange(len(data)),
                    len(data) // 2, len(data) - 1, len(data) - 4096])
    n = max(0, n)
    return data[:n], "truncate to %d of %d bytes" % (n, len(data))


def h5_zero(rng, data):
    size = rng.choice([8, 64, 512, 4096])
    off = rng.choice([0, rng.randrange(0, 2048), rng.randrange(len(data) - size)])
    b = bytearray(data)
    b[off:off + size] = bytes(len(b[off:off + size]))
    return bytes(b), "zero %d bytes at %d" % (size, off)


def h5_ff(rng, data):
    size = rng.choice([24, 64, 256, 4096])
    off = rng.randrange(len(data) // 10, len(data) - size)
    b = bytearray(data)
    b[off:off + size] = b"\xff" * len(b[off:off + size])
    return bytes(b), "0xff (NaN) block of %d bytes at %d" % (size, off)


def h5_meta(rng, data):
    b = bytearray(data)
    hits = []
    for name in H5_NAMES:
        start = 0
        while True:
            i = data.find(name, start)
            if i < 0:
                break
            hits.append((i, name))
            start = i + 1
    if not hits:
        return h5_flip(rng, data)
    i, name = rng.choice(hits)
    k = rng.choice([1, 2, 4])
    for _ in range(k):
        p = min(len(b) - 1, max(0, i + rng.randrange(-96, 96)))
        b[p] = rng.randrange(256)
    return bytes(b), "randomise %d bytes near %r at %d" % (k, name, i)


def h5_super(rng, data):
    b = bytearray(data)
    p = rng.randrange(0, 96)
    b[p] ^= 1 << rng.randrange(8)
    return bytes(b), "flip a bit at %d (superblock)" % p


def h5_copy_block(rng, data):
    size = rng.choice([64, 512])
    a = rng.randrange(len(data) - size)
    c = rng.randrange(len(data) - size)
    b = bytearray(data)
    b[c:c + size] = data[a:a + size]
    return bytes(b), "copy %d bytes from %d to %d" % (size, a, c)


H5_MUTATORS = [(h5_flip, 4), (h5_trunc, 3), (h5_zero, 3), (h5_ff, 4), (h5_meta, 5), (h5_super, 1),
               (h5_copy_block, 1)]


def mutate_h5(rng, data):
    mut = weighted_choice(rng, H5_MUTATORS)
    return mut(rng, data)


# ----------------------------------------------------------------------------- base inputs

def read(path):
    with open(path, "rb") as f:
        return f.read()


def head_events_lhe(data, n):
    lines = data.split(b"\n")
    out, count = [], 0
    for ln in lines:
        out.append(ln)
        if ln.strip().startswith(b"</event>"):
            count += 1
            if count >= n:
                break
    out.append(b"</LesHouchesEvents>")
    return b"\n".join(out) + b"\n"


def head_events_hepmc(data, n, end_line):
    lines = data.split(b"\n")
    out, count = [], 0
    for ln in lines:
        if ln.startswith(b"E "):
            count += 1
            if count > n:
                break
        if ln.startswith(b"HepMC::") and b"END_EVENT_LISTING" in ln:
            break
        out.append(ln)
    while out and not out[-1].strip():
        out.pop()
    out.append(end_line)
    return b"\n".join(out) + b"\n"


TOY_PARAMS = """parameters:
  c1: {lha_block: dim6, lha_id: 2, max_power: 2, range: [-1, 1]}
  c2: {lha_block: dim6, lha_id: 5, max_power: 2, range: [-1, 1]}
"""
TOY_BENCH = """benchmarks:
  sm: {}
  b1: {c1: 0.9}
  b2: {c1: -0.9}
  b3: {c2: 0.9}
  b4: {c2: -0.9}
  b5: {c1: 0.7, c2: 0.7}
"""

CONFIGS = {
    "setup_mg.yaml": """parameters:
  cHj3: {lha_block: smeft, lha_id: 28, max_power: 1, range: [-1, 1]}
  cHl3: {lha_block: smeft, lha_id: 104, max_power: 1, range: [-1, 1]}
benchmarks_from_reweight_header:
  file: dy1j.lhe
  include: [SM, cHj3_0p1, cHl3_0p1]
morphing: {max_overall_power: 1}
""",
    "setup_toy.yaml": TOY_PARAMS + TOY_BENCH + """morphing:
  max_overall_power: 2
  n_trials: 10
  seed: 1
""",
    "mine_mg.yaml": """parameters:
  cHj3: {lha_block: smeft, lha_id: 28, max_power: 1, range: [-1, 1]}
  cHl3: {lha_block: smeft, lha_id: 104, max_power: 1, range: [-1, 1]}
benchmarks_from_reweight_header:
  file: dy1j.lhe
  include: [SM, cHj3_0p1, cHl3_0p1]
morphing: {max_overall_power: 1}
samples:
  - file: dy1j.lhe
    sampled_from: SM
    k_factor: 1.0
    normalization: auto
objects: {level: parton}
smearing: none
observables:
  m_ll: {expression: "(l[0] + l[1]).m", required: true}
  pt_ll: (l[0] + l[1]).pt
  pt_j: {expression: "j[0].pt", default: 0}
  dphi_ll: deltaphi(l[0], l[1])
cuts:
  - "len(l) >= 2"
  - {expression: "m_ll > 10", required: true}
efficiencies:
  - {expression: "0.9", default: 1}
seed: 1
shuffle: true
""",
    "mine_toy.yaml": TOY_PARAMS + TOY_BENCH + """morphing: {max_overall_power: 2}
samples:
  - file: toy.hepmc3
    sampled_from: sm
objects: {level: parton}
observables:
  pt: j[0].pt
  dphi: j[0].deltaphi(j[1])
  eta: j[0].eta
  ptcos: pt * cos(dphi)
seed: 1
""",
    "mine_bg.yaml": TOY_PARAMS + TOY_BENCH + """morphing: {max_overall_power: 2}
samples:
  - file: toy.hepmc3
    sampled_from: sm
  - file: ztautau.hepmc3
    sampled_from: sm
    background: true
  - file: powheg.lhe
    sampled_from: sm
    background: true
    k_factor: 2.0
objects: {level: parton}
observables:
  pt: {expression: "j[0].pt", default: 0}
  n_l: len(l)
  pt_p: p[0].pt
seed: 1
""",
    "mine_sherpa.yaml": TOY_PARAMS + TOY_BENCH + """morphing: {max_overall_power: 2}
samples:
  - file: sherpa.hepmc
    sampled_from: sm
    background: true
objects:
  level: particle
  jets: {radius: 0.4, pt_min: 20}
  leptons: {pt_min: 10, cone: 0.3, max_fraction: 0.1}
smearing: atlas-like
observables:
  n_j: len(j)
  ht_j: {expression: "j[0].pt", default: 0}
  pt_p: p[0].pt
seed: 1
""",
    "mine_ppjj.yaml": TOY_PARAMS + TOY_BENCH + """morphing: {max_overall_power: 2}
samples:
  - file: ppjj.lhe
    sampled_from: sm
    weights: {b1: '6', b2: '11', b3: '16', b4: '21', b5: '26'}
objects: {level: parton}
observables:
  pt_j1: {expression: "j[0].pt", default: 0}
  m_jj: {expression: "(j[0] + j[1]).m", default: 0}
systematics:
  scale: {type: scale, scale: mu, factors: [0.5, 1, 2]}
  lumi: {type: norm, factor: 1.1}
seed: 1
""",
}


# Each base event file: (name, format, bytes) prepared from the shared data.
def prepare_bases(log):
    os.makedirs(BASE, exist_ok=True)
    ev = {}
    ev["dy1j.lhe"] = ("lhe", head_events_lhe(gzip.decompress(read(
        os.path.join(EVENTS, "mg5-3.5.6_smeftsim_dy1j_reweight37.lhe.gz"))), 20))
    ev["ppjj.lhe"] = ("lhe", head_events_lhe(gzip.decompress(read(
        os.path.join(EVENTS, "mg5-3.5.8_pp_jj_scale-pdf145.lhe.gz"))), 12))
    ev["powheg.lhe"] = ("lhe", read(os.path.join(EVENTS, "powheg-box-v2_hvq_weights45.lhe")))
    ev["ztautau.hepmc3"] = ("hepmc3", head_events_hepmc(read(
        os.path.join(EVENTS, "pythia8_ee-Z-tautau_hepmc3-3.01.01.hepmc3")), 20,
        b"HepMC::Asciiv3-END_EVENT_LISTING"))
    ev["sherpa.hepmc"] = ("hepmc2", head_events_hepmc(read(
        os.path.join(EVENTS, "sherpa_hepmc2_weights146.hepmc")), 2,
        b"HepMC::IO_GenEvent-END_EVENT_LISTING"))
    for name, (fmt, data) in ev.items():
        with open(os.path.join(BASE, name), "wb") as f:
            f.write(data)
    for name, text in CONFIGS.items():
        with open(os.path.join(BASE, name), "w") as f:
            f.write(text)
    with open(os.path.join(BASE, "benchmarks.yaml"), "w") as f:
        f.write(TOY_BENCH)
    # toy hepmc3 from goldmine generate (small)
    rc, out, err, _, _ = run_goldmine(["generate", "toy", "--events", "40", "--seed", "1",
                                       "--output", "toy.hepmc3", "--benchmarks", "benchmarks.yaml"],
                                      BASE)
    log("generate toy: rc=%s %s" % (rc, err.decode(errors="replace").strip()[:200]))
    if rc == 0:
        ev["toy.hepmc3"] = ("hepmc3", read(os.path.join(BASE, "toy.hepmc3")))
    # reference h5 files
    for n in ["toy_events.h5", "toy_setup.h5", "toy_nuisance_events.h5"]:
        shutil.copy(os.path.join(MM, n), os.path.join(BASE, n))
    # setup / mine outputs
    h5 = {}
    for cfg, out in [("setup_mg.yaml", "setup_mg.h5"), ("setup_toy.yaml", "setup_toy.h5")]:
        rc, o, e, wt, _ = run_goldmine(["setup", cfg, "--output", out], BASE)
        log("setup %s: rc=%s %.2fs %s" % (cfg, rc, wt, e.decode(errors="replace").strip()[:300]))
        if rc == 0:
            h5[out] = "setup"
    for cfg, out in [("mine_mg.yaml", "events_mg.h5"), ("mine_toy.yaml", "events_toy.h5"),
                     ("mine_bg.yaml", "events_bg.h5"), ("mine_sherpa.yaml", "events_sherpa.h5"),
                     ("mine_ppjj.yaml", "events_ppjj.h5")]:
        rc, o, e, wt, _ = run_goldmine(["mine", cfg, "--output", out], BASE)
        log("mine %s: rc=%s %.2fs %s" % (cfg, rc, wt, e.decode(errors="replace").strip()[:300]))
        if rc == 0:
            h5[out] = "events"
    rc, o, e, wt, _ = run_goldmine(["augment", "local", "--events", "toy_events.h5", "--output",
                                    "samples_local.h5", "--n-samples", "200", "--seed", "1",
                                    "--theta", "benchmark:sm"], BASE)
    log("augment: rc=%s %.2fs %s" % (rc, wt, e.decode(errors="replace").strip()[:300]))
    # histfactory
    for n in os.listdir(os.path.join(HF, "workspaces")):
        shutil.copy(os.path.join(HF, "workspaces", n), os.path.join(BASE, n))
    shutil.copy(os.path.join(HF, "patches", "test_patchset_example.patchset.json"),
                os.path.join(BASE, "patchset.json"))
    with open(os.path.join(BASE, "jsonpatch.json"), "w") as f:
        json.dump([{"op": "replace", "path": "/channels/0/samples/0/data", "value": [6.0, 11.0]},
                   {"op": "replace", "path": "/channels/0/samples/1/data", "value": [48.0, 61.0]}], f)
    # morphing cases: strip to input keys
    mc = json.load(open(os.path.join(MM, "morphing_cases.json")))
    keep = ["name", "parameter_max_power", "max_overall_power", "parameter_range", "thetas", "basis"]
    cases = []
    for c in mc["cases"]:
        cases.append({k: c[k] for k in keep if k in c})
    for i, c in enumerate(cases[:6]):
        with open(os.path.join(BASE, "morph_%d.json" % i), "w") as f:
            json.dump(c, f, indent=1)
    optimise = dict(cases[1])
    optimise.pop("basis", None)
    optimise["seed"] = 1
    optimise["n_trials"] = 5
    with open(os.path.join(BASE, "morph_opt.json"), "w") as f:
        json.dump(optimise, f, indent=1)
    with open(os.path.join(BASE, "morph_cases.json"), "w") as f:
        json.dump({"cases": cases[:3]}, f, indent=1)
    os.makedirs(os.path.join(BASE, "subdir"), exist_ok=True)
    return ev, h5


# ----------------------------------------------------------------------------- cases

class Case:
    def __init__(self, cmd, base, mut, argv, files, target=None, names=None, outputs=(),
                 json_stdout=True, protect=(), kind="file", followup=None, baseline_key=None,
                 dirs=()):
        self.cmd = cmd          # label e.g. "inspect", "histfactory fit"
        self.base = base        # base input id
        self.mut = mut          # description
        self.argv = argv
        self.files = files      # name -> bytes (written into the run dir) or ("copy", path)
        self.target = target    # the mutated file's name (relative)
        self.names = names or ([os.path.basename(target)] if target else [])
        self.outputs = list(outputs)
        self.json_stdout = json_stdout
        self.protect = list(protect)  # input files that must be unchanged
        self.kind = kind        # file | arg | cross
        self.followup = followup
        self.baseline_key = baseline_key or (cmd, base)
        self.dirs = list(dirs)


def copy_of(name):
    return ("copy", os.path.join(BASE, name))


class Generator:
    def __init__(self, rng, ev, h5):
        self.rng = rng
        self.ev = ev
        self.h5 = h5

    # -- event files
    def event_case(self, cmd):
        rng = self.rng
        name = rng.choice(list(self.ev.keys()))
        fmt, data = self.ev[name]
        new, desc = mutate_text(rng, data, fmt)
        target = name
        if rng.random() < 0.2:
            kind = rng.random()
            new = gzip.compress(new)
            if kind < 0.25:
                new = new[: rng.randrange(len(new))]
                desc += " + gzip truncated"
            elif kind < 0.4:
                b = bytearray(new)
                p = rng.randrange(min(10, len(b) - 1), len(b))
                b[p] ^= 0x10
                new = bytes(b)
                desc += " + gzip byte flip"
            else:
                desc += " + gzip"
            target = name + ".gz"
        if cmd == "inspect":
            return Case("inspect", name, desc, ["inspect", target], {target: new}, target=target)
        # mine with a mutated sample file
        cfg = {"dy1j.lhe": "mine_mg.yaml", "toy.hepmc3": "mine_toy.yaml",
               "ztautau.hepmc3": "mine_bg.yaml", "powheg.lhe": "mine_bg.yaml",
               "sherpa.hepmc": "mine_sherpa.yaml", "ppjj.lhe": "mine_ppjj.yaml"}[name]
        text = CONFIGS[cfg]
        files = {}
        for other in self.ev:
            if other in text:
                files[other] = copy_of(other)
        if cfg == "mine_mg.yaml" and rng.random() < 0.5:
            # mutate only the sample, keep header source intact
            text = text.replace("file: dy1j.lhe\n    sampled_from", "file: SAMPLE\n    sampled_from")
            text = text.replace("SAMPLE", target)
        else:
            text = text.replace("file: " + name, "file: " + target)
        files["config.yaml"] = text.encode()
        files[target] = new
        return Case("mine", name, desc, ["mine", "config.yaml", "--output", "out.h5"], files,
                    target=target, outputs=["out.h5"], json_stdout=False,
                    protect=["config.yaml"], followup="xsec")

    # -- YAML configs
    def yaml_case(self, cmd):
        rng = self.rng
        if cmd == "setup":
            cfg = rng.choice(["setup_mg.yaml", "setup_toy.yaml"])
        elif cmd == "generate":
            cfg = "benchmarks.yaml"
        else:
            cfg = rng.choice(["mine_mg.yaml", "mine_toy.yaml", "mine_bg.yaml", "mine_sherpa.yaml",
                              "mine_ppjj.yaml"])
        text = CONFIGS.get(cfg) or TOY_BENCH
        del YM_EXTRA_NAMES[:]
        new, desc = mutate_yaml(rng, text)
        extra_names = [n for n in YM_EXTRA_NAMES if len(n) >= 2]
        files = {"config.yaml": new}
        for other in self.ev:
            if other in text:
                files[other] = copy_of(other)
        dirs = ["subdir"]
        if cmd == "setup":
            argv = ["setup", "config.yaml", "--output", "out.h5"]
            outs = ["out.h5"]
        elif cmd == "generate":
            argv = ["generate", "toy", "--events", "20", "--seed", "1", "--output", "gen.hepmc3",
                    "--benchmarks", "config.yaml"]
            outs = ["gen.hepmc3"]
        else:
            argv = ["mine", "config.yaml", "--output", "out.h5"]
            outs = ["out.h5"]
        return Case(cmd, cfg, desc, argv, files, target="config.yaml", outputs=outs,
                    json_stdout=False, names=["config.yaml"] + extra_names, protect=[k for k in files if k != "config.yaml"],
                    followup="xsec" if cmd == "mine" else None, dirs=dirs)

    # -- reweight header (setup reads the LHE header)
    def setup_lhe_case(self):
        rng = self.rng
        fmt, data = self.ev["dy1j.lhe"]
        # mutate only the header part more often
        start = data.find(b"<event>")
        head, tail = data[:start], data[start:]
        r = rng.random()
        if r < 0.5:
            lines = head.split(b"\n")
            cand = [i for i, ln in enumerate(lines) if b"<weight" in ln or b"set param_card" in ln
                    or b"<initrwgt" in ln or b"weightgroup" in ln]
            i = rng.choice(cand)
            op = rng.choice(["numeric", "delete", "dup", "junk", "utf8", "long"])
            if op == "numeric":
                mm = list(NUM_RE.finditer(lines[i]))
                if mm:
                    m = rng.choice(mm)
                    tok = rng.choice(BAD_TOKENS)
                    lines[i] = lines[i][:m.start()] + tok + lines[i][m.end():]
                    desc = "header line %d token %r -> %r" % (i + 1, m.group(0), tok[:20])
                else:
                    lines[i] = lines[i] + b" set param_card smeft 28 nan"
                    desc = "header line %d appended nan set" % (i + 1)
            elif op == "delete":
                desc = "delete header line %d (%r)" % (i + 1, lines[i][:50])
                del lines[i]
            elif op == "dup":
                lines.insert(i, lines[i])
                desc = "duplicate header line %d (%r)" % (i + 1, lines[i][:50])
            elif op == "junk":
                j = rng.choice([b"set param_card smeft 28", b"set param_card smeft abc 0.1",
                                b"set param_card smeft 28 1e999", b"set param_card 28 0.1",
                                b"launch", b"<weight id=''></weight>",
                                b"<weight id='SM'></weight>", b"<weight>", b"</initrwgt>",
                                b"set param_card smeft 28 0.1 0.2", b"set param_card smeft -28 0.1",
                                b"set param_card smeft 1180591620717411303424 0.1"])
                lines.insert(i + 1, j)
                desc = "insert %r after header line %d" % (j, i + 1)
            elif op == "utf8":
                bad = rng.choice(INVALID_UTF8)
                lines[i] = lines[i].replace(b"id='", b"id='" + bad, 1)
                desc = "invalid utf-8 in weight id on line %d" % (i + 1)
            else:
                lines[i] = lines[i].replace(b"id='", b"id='" + b"A" * 100000, 1)
                desc = "100000-char weight id on line %d" % (i + 1)
            new = b"\n".join(lines) + tail
        else:
            new, desc = mutate_text(rng, data, "lhe")
        files = {"config.yaml": CONFIGS["setup_mg.yaml"].encode(), "dy1j.lhe": new}
        return Case("setup", "dy1j.lhe", desc, ["setup", "config.yaml", "--output", "out.h5"],
                    files, target="dy1j.lhe", outputs=["out.h5"], json_stdout=False,
                    protect=["config.yaml"])

    # -- HDF5 events files
    def h5_choices(self, cmd="xsec"):
        ch = ["toy_events.h5", "toy_nuisance_events.h5"] + [k for k, v in self.h5.items() if v == "events"]
        if cmd != "xsec":
            ch = [c for c in ch if c != "events_sherpa.h5"]
        return ch

    def h5_args(self, cmd, events, mutated_name):
        """argv for a command on an events file (toy-parameter arguments where possible)."""
        toy = events.startswith("toy") or events in ("events_toy.h5", "events_bg.h5",
                                                      "events_sherpa.h5", "events_ppjj.h5")
        theta = "0,0"
        obs = {"toy_events.h5": "pt", "toy_nuisance_events.h5": "pt", "events_toy.h5": "pt",
               "events_bg.h5": "pt_p", "events_sherpa.h5": "pt_p", "events_ppjj.h5": "pt_j1",
               "events_mg.h5": "m_ll"}.get(events, "pt")
        bench = "sm" if toy else "SM"
        p1, p2 = ("c1", "c2") if toy else ("cHj3", "cHl3")
        rng = self.rng
        if cmd == "xsec":
            return ["xsec", "--events", mutated_name, "--theta", theta, "--theta", "0.5,-0.3"] + \
                (rng.choice([[], ["--partition", "train"], ["--partition", "test"]])
                 if events != "events_sherpa.h5" else []), None
        if cmd == "augment":
            method = rng.choice(["local", "plain", "ratio", "more-ratios", "density", "test"])
            argv = ["augment", method, "--events", mutated_name, "--output", "samples.h5",
                    "--n-samples", "100", "--seed", "1"]
            if method in ("local", "plain", "density", "test"):
                argv += ["--theta", rng.choice(["benchmark:" + bench, "point:0.1,0.2",
                                                "random:3:uniform", "grid:2,2"])]
            else:
                argv += ["--theta0", rng.choice(["random:3:uniform", "benchmark:" + bench]),
                         "--theta1", "benchmark:" + bench]
            return argv, "samples.h5"
        if cmd == "fisher":
            mode = rng.choice(["truth", "rate", "histogram"])
            argv = ["fisher", mode, "--events", mutated_name, "--theta", theta, "--luminosity", "300000"]
            if mode == "histogram":
                argv += ["--observable", obs, "--bins", "20,50,100"]
            return argv, None
        if cmd == "limits":
            method = rng.choice(["rate", "histo"])
            argv = ["limits", "--events", mutated_name, "--method", method, "--grid",
                    "%s:-1:1:3,%s:-1:1:3" % (p1, p2), "--luminosity", "300000"]
            if mutated_name != events and rng.random() < 0.3:
                argv[2] = events
                argv += ["--observed", mutated_name]
            if method == "histo":
                argv += ["--observables", obs]
            return argv, None
        raise ValueError(cmd)

    def h5_case(self, cmd):
        rng = self.rng
        events = rng.choice(self.h5_choices(cmd))
        data = read(os.path.join(BASE, events))
        new, desc = mutate_h5(rng, data)
        target = "m_" + events
        argv, out = self.h5_args(cmd, events, target)
        base_argv = [events if a == target else a for a in argv]
        if "--observed" in base_argv:
            base_argv = base_argv[:base_argv.index("--observed")]
        files = {target: new}
        if "--observed" in argv:
            files[events] = copy_of(events)
        c = Case(cmd, events, desc, argv, files, target=target,
                 outputs=[out] if out else [], json_stdout=(out is None),
                 baseline_key=tuple(base_argv))
        c.baseline_run = (base_argv, {events: os.path.join(BASE, events)})
        return c

    # -- CLI-argument mutations on valid files
    def arg_case(self, cmd):
        rng = self.rng
        events = rng.choice(["toy_events.h5"] + [k for k in self.h5 if k in ("events_toy.h5",)])
        argv, out = self.h5_args(cmd, events, events)
        base_argv = list(argv)
        bad_thetas = ["nan,0", "0", "0,0,0", "abc", "", "1e999,0", "inf,0", "0,-inf", ",", "0,",
                      "1180591620717411303424,0", "0x10,0", "1.2.3,0", "0;0", " 0, 0"]
        opt = None
        if cmd == "xsec":
            opt = rng.choice(["--theta", "--partition"])
            val = rng.choice(bad_thetas) if opt == "--theta" else rng.choice(["bogus", "", "validation", "TRAIN"])
        elif cmd == "augment":
            opt = rng.choice(["--n-samples", "--seed", "--theta", "--theta0", "--partition", "--theta1"])
            val = rng.choice({
                "--n-samples": ["0", "-1", "abc", "1e3", "99999999999999999999", "", "2.5"],
                "--seed": ["-1", "abc", "", "99999999999999999999", "1.5"],
                "--partition": ["bogus", "", "all"],
            }.get(opt, ["benchmark:nonexistent", "point:1", "point:nan,0", "random:0:uniform",
                        "random:-5:uniform", "random:5:gaussian:0:1", "random:5:gaussian:0,0:-1,1",
                        "grid:0,3", "grid:3", "grid:-2,2", "bogus:1", "", "1,2,3", "point:1e999,0",
                        "random:5:cauchy", "random:99999999999999999999:uniform", "grid:2,2,2",
                        "random:3:gaussian:0,0:nan,1", "benchmark:", "point:"]))
            if opt in ("--theta0", "--theta1") and argv[1] not in ("ratio", "more-ratios"):
                argv[1] = "ratio"
                argv = [a for a in argv]
                if "--theta" in argv:
                    i = argv.index("--theta")
                    del argv[i:i + 2]
                argv += ["--theta0", "random:3:uniform", "--theta1", "benchmark:sm"]
            if opt == "--theta" and argv[1] in ("ratio", "more-ratios"):
                opt = "--theta0"
        elif cmd == "fisher":
            opt = rng.choice(["--theta", "--luminosity", "--bins", "--observable", "--cut", "--efficiency"])
            val = rng.choice({
                "--theta": bad_thetas,
                "--luminosity": ["-1", "0", "nan", "inf", "abc", "", "1e999", "-inf"],
                "--bins": ["100,50", "nan,1", "1", "", "1,1", "a,b", "1e999", "-inf,0,inf", "inf",
                           "1,2,nan", "0x10,20"],
                "--observable": ["bogus", "", "pt pt", "\xe9"],
                "--cut": ["pt >", "bogus > 1", "", "pt > nan", "(((", "1/0 > 0"],
                "--efficiency": ["nan", "-1", "bogus", "", "1/0", "2"],
            }[opt])
            if opt in ("--bins", "--observable") and argv[1] != "histogram":
                argv[1] = "histogram"
                if "--observable" not in argv:
                    argv += ["--observable", "pt", "--bins", "20,50,100"]
        elif cmd == "limits":
            opt = rng.choice(["--grid", "--luminosity", "--observables", "--binning", "--theta-true",
                              "--method", "--grid"])
            val = rng.choice({
                "--grid": ["c1:1:-1:5,c2:-1:1:5", "c1:-1:1:0,c2:-1:1:3", "c1:-1:1:1,c2:-1:1:1",
                           "nan", "c1:-1:1:3", "c3:-1:1:3,c2:-1:1:3", "c1:nan:1:3,c2:-1:1:3",
                           "c1:-1:1:-3,c2:-1:1:3", "c1:-inf:inf:3,c2:-1:1:3", "",
                           "c1:-1:1:3,c2:-1:1:3,c3:-1:1:3", "c1:-1:1:3,c1:-1:1:3",
                           "c1:-1:1:99999999999999999999,c2:-1:1:3", "c1:1:1:3,c2:-1:1:3",
                           "c1:-1:1:3.5,c2:-1:1:3", "c2:-1:1:3,c1:-1:1:3"],
                "--luminosity": ["-1", "0", "nan", "inf", "abc", "1e999"],
                "--observables": ["bogus", "", "pt,pt", "pt,bogus", ","],
                "--binning": ["", "bogus", "100,50", "nan", "1", "STXS-XX", "1,1"],
                "--theta-true": bad_thetas,
                "--method": ["bogus", "", "ml", "sally"],
            }[opt])
            if opt in ("--observables", "--binning") and "histo" not in argv:
                i = argv.index("--method")
                argv[i + 1] = "histo"
                if "--observables" not in argv:
                    argv += ["--observables", "pt"]
        # substitute or append
        if opt in argv and opt not in ("--theta",):
            i = argv.index(opt)
            argv[i + 1] = val
        elif opt == "--theta" and opt in argv:
            i = argv.index(opt)
            argv[i + 1] = val
        else:
            argv += [opt, val]
        c = Case(cmd, events, "arg %s %r" % (opt, val), argv, {events: copy_of(events)},
                 target=None, names=[opt.lstrip("-"), val] if val else [opt.lstrip("-")],
                 outputs=[out] if out else [], json_stdout=(out is None), kind="arg",
                 protect=[events], baseline_key=tuple(base_argv))
        c.baseline_run = (base_argv, {events: os.path.join(BASE, events)})
        return c

    # -- morphing JSON
    def morph_case(self):
        rng = self.rng
        base = rng.choice(["morph_%d.json" % i for i in range(6)] + ["morph_opt.json", "morph_cases.json"])
        data = read(os.path.join(BASE, base))
        if rng.random() < 0.2 and base != "morph_cases.json":
            doc = json.loads(data)
            k, v = rng.choice([
                ("parameter_max_power", [50] * len(doc["parameter_max_power"])),
                ("parameter_max_power", [-1] * len(doc["parameter_max_power"])),
                ("max_overall_power", 1000), ("max_overall_power", 0), ("max_overall_power", -1),
                ("n_trials", 1000000000), ("n_trials", 0), ("n_trials", -3), ("seed", -1),
                ("thetas", []), ("thetas", [[1e308] * len(doc["parameter_max_power"])]),
                ("thetas", [[float("nan")] * len(doc["parameter_max_power"])]),
                ("parameter_range", [[1, -1]] * len(doc["parameter_max_power"])),
                ("parameter_range", [[0, 0]] * len(doc["parameter_max_power"])),
                ("parameter_range", [[-1e308, 1e308]] * len(doc["parameter_max_power"])),
                ("basis", [[0.0] * len(doc["parameter_max_power"])] * len(doc.get("basis", [[0]]))),
                ("basis", [[1e-300] * len(doc["parameter_max_power"])] + doc.get("basis", [])[1:]),
                ("basis", [[1e200] * len(doc["parameter_max_power"])] + doc.get("basis", [])[1:]),
                ("parameter_names", ["a"] * len(doc["parameter_max_power"])),
                ("parameter_names", [""] * len(doc["parameter_max_power"])),
                ("components", [[0] * len(doc["parameter_max_power"])] * 2),
                ("fixed_benchmarks", [[5.0] * len(doc["parameter_max_power"])]),
                ("benchmark_names", ["x"]),
            ])
            doc[k] = v
            new = json.dumps(doc).encode()
            desc = "semantic %s -> %s" % (k, json.dumps(v)[:60])
        else:
            new, desc = mutate_json(rng, data)
        target = "case.json"
        argv = ["morphing", "--input", target]
        outs = []
        if rng.random() < 0.3:
            argv += ["--output", "out.json"]
            outs = ["out.json"]
        return Case("morphing", base, desc, argv, {target: new}, target=target, outputs=outs,
                    json_stdout=not outs, baseline_key=("morphing", base))

    # -- histfactory
    HF_SMALL = ["docs_2bin_1channel.json", "val_1bin_normsys.json", "val_2bin_histosys.json",
                "val_2bin_2channel.json", "val_1bin_shapesys.json", "val_2bin_staterror.json",
                "simplemodel_correlated_bkg.json", "test_patchset_example.json", "val_1bin_lumi.json",
                "val_2bin_2channel_couplednorm.json", "val_2bin_2channel_coupledshapefactor.json",
                "test_export_integer_data.json", "combine_left.json", "test_poiless.json"]

    HF_BIG = ["sbottom_RegionB_BkgOnly.json", "erjr_3L_BkgOnly.json", "atlastut_sbottom_1200_1150_60.json"]

    def hf_case(self, sub):
        rng = self.rng
        ws = rng.choice(self.HF_SMALL)
        if sub in ("inspect", "fit") and rng.random() < 0.04:
            ws = rng.choice(self.HF_BIG)
        r = rng.random()
        files = {}
        extra = []
        if sub == "patch":
            ws = rng.choice(["test_patchset_example.json", "docs_2bin_1channel.json"])
            r = 0.0
        if sub == "combine":
            left, right = rng.choice([("combine_left.json", "combine_right.json"),
                                      ("combine_left.json", "combine_right.json"),
                                      ("docs_2bin_1channel.json", "val_1bin_normsys.json")])
            which = rng.choice([0, 1])
            names = ["ws1.json", "ws2.json"]
            src = [left, right]
            new, desc = mutate_json(rng, read(os.path.join(BASE, src[which])))
            files[names[which]] = new
            files[names[1 - which]] = copy_of(src[1 - which])
            argv = ["histfactory", "combine", "ws1.json", "ws2.json"]
            join = rng.choice([["--join", "outer"], ["--join", "left outer"]] if left == "combine_left.json"
                              else [["--join", "left outer"]])
            argv += join
            return Case("histfactory combine", left, "%s: %s" % (names[which], desc), argv, files,
                        target=names[which], protect=[names[1 - which]],
                        baseline_key=("histfactory combine", left, tuple(join)))
        if ws == "test_patchset_example.json" and r < 0.5:
            # mutate the patchset instead of / as well as the workspace
            files["ws.json"] = copy_of(ws)
            new, desc = mutate_json(rng, read(os.path.join(BASE, "patchset.json")))
            files["ps.json"] = new
            target = "ps.json"
            extra = ["--patchset", "ps.json", "--patch-name", rng.choice(["patch_channel1_signal_syst1", "patch_channel1_signal_syst1"])]
            desc = "patchset: " + desc
        elif ws == "docs_2bin_1channel.json" and r < 0.4:
            files["ws.json"] = copy_of(ws)
            new, desc = mutate_json(rng, read(os.path.join(BASE, "jsonpatch.json")))
            files["patch.json"] = new
            target = "patch.json"
            extra = ["--patch", "patch.json"]
            desc = "json patch: " + desc
        else:
            new, desc = mutate_json(rng, read(os.path.join(BASE, ws)))
            files["ws.json"] = new
            target = "ws.json"
        argv = ["histfactory", sub, "ws.json"] + extra
        if sub == "cls" and rng.random() < 0.3:
            argv += ["--poi-value", rng.choice(["0.5", "2"])]
        if sub == "upper-limit" and rng.random() < 0.5:
            argv += ["--scan", "0:5:11"]
        outs = []
        if rng.random() < 0.15:
            argv += ["--output", "out.json"]
            outs = ["out.json"]
        return Case("histfactory " + sub, ws, desc, argv, files, target=target, outputs=outs,
                    json_stdout=not outs, protect=[k for k in files if k != target],
                    baseline_key=("histfactory " + sub, ws, tuple(extra[:1])))

    def hf_arg_case(self, sub):
        rng = self.rng
        ws = rng.choice(["docs_2bin_1channel.json", "val_2bin_histosys.json", "val_1bin_normsys.json"])
        opts = {
            "fit": [("--measurement", ["bogus", ""]), ("--patch", ["missing.json", "subdir", "ws.json"]),
                    ("--poi-value", ["nan"])],
            "cls": [("--poi-value", ["nan", "-inf", "abc", "", "1e999", "-1", "1e300"]),
                    ("--test-stat", ["bogus", "", "Q"]),
                    ("--calctype", ["bogus", ""]),
                    ("--ntoys", ["-1", "0", "abc", "1e3", "99999999999999999999"]),
                    ("--measurement", ["bogus"])],
            "upper-limit": [("--level", ["0", "1", "1.5", "nan", "-0.05", "abc"]),
                            ("--scan", ["1:0:5", "0:1:0", "0:1:-3", "a:b:c", "0:1", "nan:1:5",
                                        "0:inf:5", "0:1:1", "0:0:5", "0:1:99999999999999999999"]),
                            ("--test-stat", ["bogus", "q0"])],
            "inspect": [("--measurement", ["bogus"]), ("--patch-name", ["x"])],
        }[sub] + [("--patch", ["-", "ws.json", "/dev/null"]), ("--patchset", ["-", "ws.json"]),
                  ("--workspace", ["-"])]
        opt, vals = rng.choice(opts)
        val = rng.choice(vals)
        argv = ["histfactory", sub, "ws.json", opt, val]
        if opt == "--workspace":
            argv = ["histfactory", sub, "-"] + rng.choice([[], ["--patch", "-"]])
        if opt == "--patchset":
            argv += ["--patch-name", "x"]
        if opt == "--ntoys":
            argv += ["--calctype", "toybased", "--seed", "1"]
        files = {"ws.json": copy_of(ws)}
        return Case("histfactory " + sub, ws, "arg %s %r" % (opt, val), argv, files,
                    names=[opt.lstrip("-"), val] if val else [opt.lstrip("-")], kind="arg",
                    protect=["ws.json"], baseline_key=None)

    # -- cross-cutting: directory/missing/empty input, output == input
    def cross_case(self, cmd):
        rng = self.rng
        what = rng.choice(["dir", "missing", "empty", "out_eq_in", "out_eq_in", "out_dir",
                           "devnull", "out_missing_dir", "out_alias", "out_alias", "out_alias"])
        files = {}
        dirs = ["subdir"]
        if cmd == "inspect":
            src = rng.choice(list(self.ev))
            files["in_" + src] = copy_of(src)
            inp = "in_" + src
            argv = ["inspect", "@IN"]
            outopt = "--output"
        elif cmd in ("setup", "mine"):
            cfg = "setup_mg.yaml" if cmd == "setup" else rng.choice(["mine_mg.yaml", "mine_toy.yaml"])
            files["config.yaml"] = CONFIGS[cfg].encode()
            for other in self.ev:
                if other in CONFIGS[cfg]:
                    files[other] = copy_of(other)
            inp = "config.yaml"
            argv = [cmd, "@IN", "--output", "out.h5"]
            outopt = "--output"
            if what == "out_eq_in" and rng.random() < 0.5:
                # --output = the sample file / header file
                argv = [cmd, "config.yaml", "--output", "dy1j.lhe" if cfg.endswith("mg.yaml") else "toy.hepmc3"]
                c = Case(cmd, cfg, "cross out_eq_sample", argv, files, target=argv[-1],
                         json_stdout=False, protect=list(files), kind="cross", dirs=dirs)
                c.out_eq_in = argv[-1]
                return c
        elif cmd in ("xsec", "augment", "fisher", "limits"):
            files["events.h5"] = copy_of("toy_events.h5")
            inp = "events.h5"
            argv, out = self.h5_args(cmd, "toy_events.h5", "@IN")
            outopt = "--output"
            if out:
                pass
        elif cmd == "generate":
            files["bench.yaml"] = TOY_BENCH.encode()
            inp = "bench.yaml"
            argv = ["generate", "toy", "--events", "20", "--seed", "1", "--benchmarks", "@IN",
                    "--output", "gen.hepmc3"]
            outopt = "--output"
        elif cmd == "morphing":
            files["case.json"] = copy_of("morph_0.json")
            inp = "case.json"
            argv = ["morphing", "--input", "@IN"]
            outopt = "--output"
        else:  # histfactory sub
            sub = cmd.split()[1]
            files["ws.json"] = copy_of("docs_2bin_1channel.json")
            inp = "ws.json"
            argv = ["histfactory", sub, "@IN"]
            outopt = "--output"
        target = inp
        outputs = []
        if what == "dir":
            argv = [("subdir" if a == "@IN" else a) for a in argv]
            target = "subdir"
        elif what == "missing":
            argv = [("missing_" + inp if a == "@IN" else a) for a in argv]
            target = "missing_" + inp
        elif what == "empty":
            files[inp] = b""
            argv = [(inp if a == "@IN" else a) for a in argv]
        elif what == "devnull":
            argv = [("/dev/null" if a == "@IN" else a) for a in argv]
            target = "/dev/null"
        else:
            argv = [(inp if a == "@IN" else a) for a in argv]
            if "--output" in argv:
                i = argv.index("--output")
                del argv[i:i + 2]
            alias_kind = rng.choice(["./", "subdir/../", "abs", "symlink", "hardlink"])
            c_links = []
            if what == "out_alias":
                if alias_kind == "abs":
                    dest = "@ABS@/" + inp
                elif alias_kind in ("symlink", "hardlink"):
                    dest = "link_" + inp
                    c_links.append((alias_kind, inp, dest))
                else:
                    dest = alias_kind + inp
            else:
                dest = {"out_eq_in": inp, "out_dir": "subdir", "out_missing_dir": "nodir/out.json"}[what]
            argv += [outopt, dest]
            target = dest
            if what == "out_alias":
                what = "out_alias " + alias_kind
        c = Case(cmd, inp, "cross " + what, argv, files, target=target,
                 names=[os.path.basename(target.rstrip("/")) or target, target],
                 json_stdout=("--output" not in argv), protect=[k for k in files],
                 kind="cross", outputs=outputs, dirs=dirs)
        c.out_eq_in = inp if what.startswith("out_eq_in") or what.startswith("out_alias") else None
        c.links = locals().get("c_links", [])
        if what.startswith("out_alias"):
            c.names = [inp, os.path.basename(target)]
        return c


# ----------------------------------------------------------------------------- classification

LOC_RE = re.compile(r"(line \d+|event \d+|column \d+|byte \d+|\w+\[\d+\]|\b\w+\.\w+\b|"
                    r"\"[^\"]+\"|'[^']+'|/[\w/]+|key|offset \d+)", re.I)
CRASH_MARKERS = [b"AddressSanitizer", b"terminate called", b"Segmentation", b"UndefinedBehaviorSanitizer",
                 b"runtime error:", b"Aborted", b"core dumped", b"stack smashing", b"buffer overflow detected",
                 b"double free", b"free(): ", b"malloc(): ", b"HDF5-DIAG"]


def significant_lines(err):
    out = []
    for ln in err.decode("utf-8", errors="replace").split("\n"):
        s = ln.strip()
        if not s:
            continue
        if re.match(r"^(goldmine[^:]*:\s*)?(warning|note)\b", s, re.I):
            continue
        out.append(s)
    return out


CMD_NULLS = collections.defaultdict(frozenset)


def classify(case, rc, out, err, hung, rundir, before_hashes, baselines):
    notes = []
    if hung:
        return "hang", notes
    # goldmine's own one-line refusal of a file that crashes Debian's HDF5 in
    # a forked child (mining/src/hdf5_crash_probe.h) names the signal; it is
    # the intended exit 2, not a crash of goldmine.
    contained = rc == 2 and b"the HDF5 library crashed reading it" in err
    for mk in CRASH_MARKERS:
        if mk in err:
            if contained and mk in (b"Segmentation", b"Aborted"):
                continue
            if mk == b"HDF5-DIAG":
                notes.append("HDF5-DIAG printed")
                continue
            return "crash", notes + ["stderr contains %r" % mk]
    if rc is None or rc < 0:
        return "crash", notes + ["signal %s" % (-rc if rc is not None else "?")]
    if rc not in (0, 1, 2):
        return "crash", notes + ["rc %d" % rc]
    # inputs changed?
    destroyed = []
    for name, h in before_hashes.items():
        p = os.path.join(rundir, name)
        if not os.path.exists(p):
            destroyed.append(name + " (removed)")
        elif sha(p) != h:
            destroyed.append(name)
    if destroyed:
        return "input_destroyed", notes + ["changed: %s" % destroyed]
    if rc == 1:
        return "exit1", notes
    if rc == 2:
        sig = significant_lines(err)
        if b"HDF5-DIAG" in err:
            notes.append("HDF5 diagnostics on stderr")
        if len(sig) > 1:
            extra = [l for l in sig[:-1] if not re.search(r"events read|optimising a basis|expected sum of squared", l)]
            return "exit2_multiline", notes + ["%d lines" % len(sig),
                                               "only progress/log lines before the error" if not extra else "other lines"]
        if not sig:
            return "exit2_unnamed", notes + ["empty stderr"]
        msg = sig[0]
        names = [n for n in case.names if n]
        if case.kind == "arg":
            names = names + [re.sub(r"\d+$", "", n) for n in names] + [n.replace("-", " ") for n in names]
            if any(n in msg for n in names if n):
                return "ok", notes
            if LOC_RE.search(msg):
                return "minor_exit2_nofile", notes + ["arg error names neither option nor value"]
            return "exit2_unnamed", notes + ["arg error names neither option nor value"]
        if any(n in msg for n in names):
            return "ok", notes
        # names another input file?
        others = [k for k in case.files if k in msg]
        if others:
            return "minor_exit2_otherfile", notes + ["names %s, not %s" % (others, names)]
        if re.search(r"\w+\[\d+\]|line \d+|event \d+|\.\w+\[|\b\w+\.\w+\.\w+", msg):
            return "minor_exit2_nofile", notes
        return "exit2_unnamed", notes
    # rc == 0
    if getattr(case, "out_eq_in", None) and not getattr(case, "links", None):
        return "out_eq_in_exit0", notes
    bl = baselines.get(case.baseline_key, frozenset()) | CMD_NULLS.get(case.cmd, frozenset())
    if case.json_stdout:
        perr, bad = json_bad_values(out, bl)
        if perr:
            return "exit0_invalid_json", notes + [perr]
        if bad:
            return "null_exit0", notes + bad[:5]
    else:
        txt = out.decode("utf-8", errors="replace")
        if re.search(r"\b(nan|NaN|inf|Infinity|null)\b", txt):
            return "null_exit0", notes + ["stdout has nan/inf/null"]
    for o in case.outputs:
        p = os.path.join(rundir, o)
        if not os.path.exists(p):
            continue
        if o.endswith(".json"):
            perr, bad = json_bad_values(read(p), bl)
            if perr:
                return "exit0_invalid_json", notes + ["output " + perr]
            if bad:
                return "null_exit0", notes + ["output:"] + bad[:5]
    return "ok", notes


# ----------------------------------------------------------------------------- main loop

def main():
    global BIN
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", type=int, default=3000)
    ap.add_argument("--budget-min", type=float, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", default="")
    ap.add_argument("--bin", default="")
    ap.add_argument("--dry", type=int, default=0, help="only generate N cases per factory")
    args = ap.parse_args()
    BIN = args.bin or find_binary()
    if args.dry:
        return dry_run(args)
    if not BIN:
        sys.exit("goldmine binary not found")
    os.makedirs(SCR, exist_ok=True)
    if os.path.exists(RUNS):
        shutil.rmtree(RUNS)
    os.makedirs(RUNS)
    if os.path.exists(DEFECTS):
        shutil.rmtree(DEFECTS)
    os.makedirs(DEFECTS)
    logf = open(os.path.join(ROOT, "campaign.log"), "w")

    def log(msg):
        line = time.strftime("%H:%M:%S ") + msg
        print(line, flush=True)
        logf.write(line + "\n")
        logf.flush()

    log("binary: %s" % BIN)
    t_start = time.monotonic()
    if os.path.exists(BASE):
        shutil.rmtree(BASE)
    ev, h5 = prepare_bases(log)
    rng = random.Random(args.seed)
    gen = Generator(rng, ev, h5)

    # plan: (command label, factory, share)
    plan = [
        ("inspect", lambda: gen.event_case("inspect"), 600),
        ("inspect", lambda: gen.cross_case("inspect"), 15),
        ("setup", lambda: gen.yaml_case("setup"), 130),
        ("setup", lambda: gen.setup_lhe_case(), 90),
        ("setup", lambda: gen.cross_case("setup"), 15),
        ("mine", lambda: gen.yaml_case("mine"), 230),
        ("mine", lambda: gen.event_case("mine"), 250),
        ("mine", lambda: gen.cross_case("mine"), 20),
        ("generate", lambda: gen.yaml_case("generate"), 40),
        ("generate", lambda: gen.cross_case("generate"), 15),
        ("xsec", lambda: gen.h5_case("xsec"), 160),
        ("xsec", lambda: gen.arg_case("xsec"), 40),
        ("xsec", lambda: gen.cross_case("xsec"), 12),
        ("augment", lambda: gen.h5_case("augment"), 150),
        ("augment", lambda: gen.arg_case("augment"), 60),
        ("augment", lambda: gen.cross_case("augment"), 15),
        ("fisher", lambda: gen.h5_case("fisher"), 150),
        ("fisher", lambda: gen.arg_case("fisher"), 60),
        ("fisher", lambda: gen.cross_case("fisher"), 12),
        ("limits", lambda: gen.h5_case("limits"), 90),
        ("limits", lambda: gen.arg_case("limits"), 50),
        ("limits", lambda: gen.cross_case("limits"), 10),
        ("morphing", lambda: gen.morph_case(), 300),
        ("morphing", lambda: gen.cross_case("morphing"), 12),
    ]
    for sub, n, na in [("inspect", 140, 10), ("fit", 190, 20), ("cls", 150, 40), ("upper-limit", 110, 40),
                       ("patch", 60, 0), ("combine", 60, 0)]:
        plan.append(("histfactory " + sub, (lambda s=sub: gen.hf_case(s)), n))
        if na:
            plan.append(("histfactory " + sub, (lambda s=sub: gen.hf_arg_case(s)), na))
            plan.append(("histfactory " + sub, (lambda s=sub: gen.cross_case("histfactory " + s)), 8))
    if args.only:
        keep = set(args.only.split(","))
        plan = [p for p in plan if p[0] in keep or p[0].split()[0] in keep]
    total_share = sum(p[2] for p in plan)
    schedule = []
    for label, fac, share in plan:
        n = max(1, round(share * args.target / total_share))
        schedule += [(label, fac)] * n
    rng.shuffle(schedule)

    # baselines (unmutated) for null-path allowances
    baselines = {}
    baseline_rc = {}

    def baseline(key, argv, files):
        d = os.path.join(SCR, "baseline")
        if os.path.exists(d):
            shutil.rmtree(d)
        os.makedirs(d)
        for name, src in files.items():
            shutil.copy(src, os.path.join(d, name))
        rc, out, err, wt, hung = run_goldmine(argv, d)
        text = out
        for o in ("out.json",):
            if os.path.exists(os.path.join(d, o)):
                text = read(os.path.join(d, o))
        baselines[key] = frozenset(null_paths(text)) if rc == 0 else frozenset()
        label = key[0] if key[0] != "histfactory" else "histfactory " + key[1]
        CMD_NULLS[label] = CMD_NULLS[label] | baselines[key]
        baseline_rc[key] = (rc, err.decode(errors="replace").strip()[-300:])
        log("baseline %s rc=%s %.2fs nulls=%s %s" % (key, rc, wt, sorted(baselines[key])[:6],
                                                   err.decode(errors="replace").strip()[:200]))

    for i in range(6):
        baseline(("morphing", "morph_%d.json" % i), ["morphing", "--input", "c.json"],
                 {"c.json": os.path.join(BASE, "morph_%d.json" % i)})
    baseline(("morphing", "morph_opt.json"), ["morphing", "--input", "c.json"],
             {"c.json": os.path.join(BASE, "morph_opt.json")})
    baseline(("morphing", "morph_cases.json"), ["morphing", "--input", "c.json"],
             {"c.json": os.path.join(BASE, "morph_cases.json")})
    for left, right in [("combine_left.json", "combine_right.json"),
                        ("docs_2bin_1channel.json", "val_1bin_normsys.json")]:
        for join in [(), ("--join", "outer"), ("--join", "left outer"), ("--merge-channels",)]:
            baseline(("histfactory combine", left, join), ["histfactory", "combine", "a.json", "b.json"] + list(join),
                     {"a.json": os.path.join(BASE, left), "b.json": os.path.join(BASE, right)})
    for sub in ["inspect", "fit", "cls", "upper-limit", "patch"]:
        for ws in Generator.HF_SMALL + (Generator.HF_BIG if sub in ("inspect", "fit") else []):
            if sub == "patch" and ws not in ("test_patchset_example.json", "docs_2bin_1channel.json"):
                continue
            extra_opts = [()]
            if ws == "test_patchset_example.json":
                extra_opts.append(("--patchset",))
            if ws == "docs_2bin_1channel.json":
                extra_opts.append(("--patch",))
            for ex in extra_opts:
                argv = ["histfactory", sub, "ws.json"]
                files = {"ws.json": os.path.join(BASE, ws)}
                if ex == ("--patchset",):
                    argv += ["--patchset", "ps.json", "--patch-name", "patch_channel1_signal_syst1"]
                    files["ps.json"] = os.path.join(BASE, "patchset.json")
                if ex == ("--patch",):
                    argv += ["--patch", "p.json"]
                    files["p.json"] = os.path.join(BASE, "jsonpatch.json")
                baseline(("histfactory " + sub, ws, ex), argv, files)
    for ev_name in ["inspect"]:
        for name in ev:
            baseline(("inspect", name), ["inspect", name], {name: os.path.join(BASE, name)})
    for events in gen.h5_choices("limits"):
        for cmd in ("limits", "fisher"):
            argv, _ = gen.h5_args(cmd, events, events)
            if cmd == "limits":
                argv = argv[:4] + ["histo"] + argv[5:] + ([] if "--observables" in argv else ["--observables", "pt"])
            else:
                argv[1] = "histogram"
                if "--observable" not in argv:
                    argv += ["--observable", "pt", "--bins", "20,50,100"]
            baseline(tuple(argv), argv, {events: os.path.join(BASE, events)})
    log("baselines done (%.1fs)" % (time.monotonic() - t_start))

    t_campaign = time.monotonic()
    deadline = t_campaign + args.budget_min * 60
    runs_path = os.path.join(ROOT, "runs.jsonl")
    runs_f = open(runs_path, "w")
    counts = collections.Counter()
    per_cmd = collections.defaultdict(collections.Counter)
    saved = collections.Counter()
    walls = collections.defaultdict(list)
    n = 0
    for label, fac in schedule:
        if time.monotonic() > deadline:
            log("time budget reached after %d runs" % n)
            break
        try:
            case = fac()
        except Exception as e:  # generator bug: log and continue
            log("generator error for %s: %r" % (label, e))
            continue
        n += 1
        rundir = os.path.join(RUNS, "%05d" % n)
        os.makedirs(rundir)
        for d in case.dirs:
            os.makedirs(os.path.join(rundir, d), exist_ok=True)
        for name, content in case.files.items():
            p = os.path.join(rundir, name)
            if isinstance(content, tuple):
                shutil.copy(content[1], p)
            else:
                with open(p, "wb") as f:
                    f.write(content if isinstance(content, bytes) else content.encode())
        for kind_, src_, dst_ in getattr(case, "links", []):
            if kind_ == "symlink":
                os.symlink(src_, os.path.join(rundir, dst_))
            else:
                os.link(os.path.join(rundir, src_), os.path.join(rundir, dst_))
        case.argv = [a.replace("@ABS@", rundir) for a in case.argv]
        protect = set(case.protect)
        if case.target and case.target in case.files:
            protect.add(case.target)
        before = {k: sha(os.path.join(rundir, k)) for k in protect if os.path.isfile(os.path.join(rundir, k))}
        br = getattr(case, "baseline_run", None)
        if br and case.baseline_key not in baselines:
            baseline(case.baseline_key, br[0], br[1])
        rc, out, err, wall, hung = run_goldmine(case.argv, rundir)
        cls, notes = classify(case, rc, out, err, hung, rundir, before, baselines)
        if br and baseline_rc.get(case.baseline_key, (0,))[0] != 0:
            notes.append("the unmutated command also fails: " + baseline_rc[case.baseline_key][1][:150])
        follow = None
        if cls == "ok" and rc == 0 and case.followup == "xsec" and os.path.exists(os.path.join(rundir, "out.h5")):
            # a mined file must not carry NaN/inf into the cross sections
            fargv = ["xsec", "--events", "out.h5", "--theta", "0,0", "--theta", "0.5,-0.5"]
            frc, fout, ferr, fwall, fhung = run_goldmine(fargv, rundir)
            wall += fwall
            follow = {"argv": fargv, "rc": frc, "stderr": ferr.decode(errors="replace")[:300]}
            if fhung:
                cls, notes = "hang", ["follow-up xsec hung"]
            elif frc is None or frc < 0 or frc not in (0, 2, 1):
                cls, notes = "crash", ["follow-up xsec rc %s" % frc]
            elif frc == 1:
                cls, notes = "exit1", ["follow-up xsec on the mined file exit 1"]
            elif frc == 0:
                perr, bad = json_bad_values(fout)
                if bad or perr:
                    cls, notes = "null_exit0", ["follow-up xsec on the mined file: %s" % (bad[:3] or perr)]
            elif frc == 2:
                notes.append("follow-up xsec exit 2: " + ferr.decode(errors="replace").strip()[:150])
        if cls == "ok" and rc == 0:
            for o in case.outputs:
                if o.endswith(".h5") and os.path.exists(os.path.join(rundir, o)):
                    c = nonfinite_count(os.path.join(rundir, o))
                    if c:
                        notes.append("output %s has %d NaN/inf byte patterns" % (o, c))
        counts[cls] += 1
        per_cmd[label][cls] += 1
        walls[label].append(wall)
        sig = significant_lines(err)
        rec = {"n": n, "cmd": label, "base": case.base, "kind": case.kind, "mutation": case.mut,
               "argv": case.argv, "rc": rc, "wall": round(wall, 3), "class": cls, "notes": notes,
               "stderr_first": (([l for l in sig if "error" in l] or sig)[-1] if sig else err.decode(errors="replace").strip()[:300])[:400],
               "stderr_lines": len(sig), "followup": follow}
        if cls != "ok":
            saved[cls] += 1
            rec["saved"] = None
            if saved[cls] <= MAX_SAVED_PER_CLASS:
                dd = os.path.join(DEFECTS, cls, str(saved[cls]))
                os.makedirs(os.path.dirname(dd), exist_ok=True)
                shutil.copytree(rundir, dd, symlinks=True)
                if cls == "input_destroyed":
                    for name, content in case.files.items():
                        p = os.path.join(dd, "original_" + name)
                        if isinstance(content, tuple):
                            shutil.copy(content[1], p)
                        else:
                            with open(p, "wb") as f:
                                f.write(content if isinstance(content, bytes) else content.encode())
                with open(os.path.join(dd, "cmd.txt"), "w") as f:
                    f.write("cd %s && %s %s\n" % (dd, BIN, " ".join(shlex_quote(a) for a in case.argv)))
                    f.write("# mutation: %s\n# base: %s\n" % (case.mut, case.base))
                with open(os.path.join(dd, "stderr.txt"), "wb") as f:
                    f.write(err[:200000])
                with open(os.path.join(dd, "stdout.txt"), "wb") as f:
                    f.write(out[:200000])
                with open(os.path.join(dd, "meta.json"), "w") as f:
                    json.dump(rec, f, indent=1)
                rec["saved"] = dd
        runs_f.write(json.dumps(rec) + "\n")
        runs_f.flush()
        shutil.rmtree(rundir, ignore_errors=True)
        if n % 100 == 0:
            el = time.monotonic() - t_campaign
            log("%d runs, %.0fs, %s" % (n, el, dict(counts)))
    wall_total = time.monotonic() - t_campaign
    summary = {
        "binary": BIN, "total_runs": n, "campaign_wall_s": round(wall_total, 1),
        "prep_wall_s": round(t_campaign - t_start, 1), "classes": dict(counts),
        "per_command": {k: dict(v) for k, v in per_cmd.items()},
        "baseline_failures": {repr(k): v for k, v in baseline_rc.items() if v[0] != 0},
        "baseline_nulls": {repr(k): sorted(v) for k, v in baselines.items() if v},
        "wall_per_command": {k: {"n": len(v), "mean_s": round(sum(v) / len(v), 3),
                                 "max_s": round(max(v), 2)} for k, v in walls.items()},
    }
    with open(os.path.join(ROOT, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    log("done: %d runs in %.0fs: %s" % (n, wall_total, dict(counts)))


def dry_run(args):
    global run_goldmine
    run_goldmine = lambda argv, cwd, timeout=TIMEOUT: (1, b"", b"dry", 0.0, False)
    os.makedirs(SCR, exist_ok=True)
    ev, h5 = prepare_bases(print)
    ev["toy.hepmc3"] = ev["ztautau.hepmc3"]
    rng = random.Random(args.seed)
    gen = Generator(rng, ev, h5)
    facs = [("inspect", lambda: gen.event_case("inspect")), ("mine-ev", lambda: gen.event_case("mine")),
            ("setup-yaml", lambda: gen.yaml_case("setup")), ("mine-yaml", lambda: gen.yaml_case("mine")),
            ("gen-yaml", lambda: gen.yaml_case("generate")), ("setup-lhe", gen.setup_lhe_case),
            ("xsec-h5", lambda: gen.h5_case("xsec")), ("augment-h5", lambda: gen.h5_case("augment")),
            ("fisher-h5", lambda: gen.h5_case("fisher")), ("limits-h5", lambda: gen.h5_case("limits")),
            ("xsec-arg", lambda: gen.arg_case("xsec")), ("augment-arg", lambda: gen.arg_case("augment")),
            ("fisher-arg", lambda: gen.arg_case("fisher")), ("limits-arg", lambda: gen.arg_case("limits")),
            ("morph", gen.morph_case)]
    for sub in ["inspect", "fit", "cls", "upper-limit"]:
        facs.append(("hf-" + sub, lambda s=sub: gen.hf_case(s)))
        facs.append(("hfarg-" + sub, lambda s=sub: gen.hf_arg_case(s)))
    for c in ["inspect", "setup", "mine", "xsec", "augment", "fisher", "limits", "morphing", "histfactory fit"]:
        facs.append(("cross-" + c, lambda c=c: gen.cross_case(c)))
    for label, fac in facs:
        for i in range(args.dry):
            case = fac()
            sizes = {k: (len(v) if not isinstance(v, tuple) else "copy") for k, v in case.files.items()}
            print("%-14s %-28s %s | %s | %s" % (label, case.base[:28], case.mut[:90], " ".join(case.argv)[:90], sizes))


def shlex_quote(s):
    import shlex
    return shlex.quote(s)


if __name__ == "__main__":
    main()
