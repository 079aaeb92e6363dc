"""Units: rules (extractor/units.py) vs the trained tagger (models/units_ner) on the held-out split.

    python bench/bench_units_model.py [--model models/units_ner]

Prints exact-span precision / recall / F1 per kind (lead/partner cells, prose assignment
lines) on corpus/annotations/units/heldout.jsonl, and the speed of each (examples/s).
Timing goals live here, never in unit tests.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.train import MODEL, evaluate, read, rule_spans  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", type=Path, default=MODEL)
    a = ap.parse_args()
    res = evaluate("heldout", a.model)
    print(f"held-out: {len(read('heldout'))} examples, trained on {len(read('train'))}")
    for k, v in res.items():
        print(f"{k:14s} P={v['precision']:.3f} R={v['recall']:.3f} F1={v['f1']:.3f}  "
              f"(tp {v['tp']}, pred {v['pred']}, gold {v['gold']})")
    for kind in ("cell", "prose"):
        r, m = res.get(f"rules/{kind}"), res.get(f"model/{kind}")
        if r and m:
            print(f"{kind}: model F1 / rules F1 = {m['f1'] / r['f1']:.2f}" if r["f1"] else "")
    rows = read("heldout") * 5
    t = time.perf_counter()
    for r in rows:
        rule_spans(r)
    dt_rules = time.perf_counter() - t
    import spacy

    from extractor.nlp import VietnameseTokenizer  # noqa: F401  registers the tokenizer

    ner = spacy.load(a.model)
    t = time.perf_counter()
    for _ in ner.pipe([r["text"] for r in rows]):
        pass
    dt_model = time.perf_counter() - t
    print(f"speed: rules {len(rows) / dt_rules:.0f} examples/s, model {len(rows) / dt_model:.0f} examples/s "
          f"(model/rules time = {dt_model / dt_rules:.2f})")
    size = sum(f.stat().st_size for f in a.model.rglob("*") if f.is_file())
    print(f"model size on disk: {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
