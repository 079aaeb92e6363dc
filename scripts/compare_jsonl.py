#!/usr/bin/env python3
"""Compare two documents.jsonl files document by document (a refactoring must not change output).

    python3 scripts/compare_jsonl.py BEFORE.jsonl AFTER.jsonl [--ignore extractor_version,lead_units]

Prints the first differences of each differing document (path into the record, both values)
and exits 1 if any document differs. Keys named in --ignore are dropped at any depth, and
keys present on one side only are reported apart ("added"/"removed"), so a new declared
field can be told from a changed value with --allow-added.
"""
from __future__ import annotations

import argparse
import json
import sys


def _walk(a, b, path, ignore, out, added):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k in ignore:
                continue
            if k not in a:
                added.append(f"{path}.{k}")
            elif k not in b:
                out.append((f"{path}.{k}", "removed", a[k], None))
            else:
                _walk(a[k], b[k], f"{path}.{k}", ignore, out, added)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append((path, "length", len(a), len(b)))
        for i, (x, y) in enumerate(zip(a, b)):
            _walk(x, y, f"{path}[{i}]", ignore, out, added)
    elif a != b:
        out.append((path, "changed", a, b))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--ignore", default="extractor_version")
    ap.add_argument("--allow-added", action="store_true", help="keys only in AFTER are not differences")
    ap.add_argument("--show", type=int, default=5)
    a = ap.parse_args()
    ignore = set(filter(None, a.ignore.split(",")))
    load = lambda p: {d["doc_id"]: d for d in map(json.loads, open(p, encoding="utf-8"))}  # noqa: E731
    before, after = load(a.before), load(a.after)
    bad = 0
    for doc_id in sorted(set(before) | set(after)):
        if doc_id not in before or doc_id not in after:
            print(f"{doc_id}: only in {'AFTER' if doc_id in after else 'BEFORE'}")
            bad += 1
            continue
        out, added = [], []
        _walk(before[doc_id], after[doc_id], "", ignore, out, added)
        if added and not a.allow_added:
            out += [(p, "added", None, None) for p in added]
        if out:
            bad += 1
            print(f"{doc_id}: {len(out)} differences")
            for path, what, x, y in out[:a.show]:
                print(f"   {what:8} {path}: {str(x)[:100]!s} -> {str(y)[:100]!s}")
    print(f"{bad} of {len(set(before) | set(after))} documents differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
