"""Score the reference layer alone against the seed gold (ids, kind, issued_date, basis).

    python bench/eval_references.py [--seeds DIR] [--gold DIR] [-v]

The text is lightly normalized here the way the pipeline's normalizer does (NFC; markdown
`**`, <i> tags, backslash escapes and zero-width characters removed) so this measures the
reference layer only. The full pipeline is scored by shared/eval/score.py.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
SHARED = Path(__file__).resolve().parents[2] / "shared"   # the shared folder beside the checkout

from extractor.references import find_basis, find_references  # noqa: E402

_MARKUP = re.compile(r"\*\*|</?i>|\\(?=[-.*_#()\[\]])|[\u200b\u200c\u200d\ufeff]")


def normalize(text: str) -> str:
    return _MARKUP.sub("", unicodedata.normalize("NFC", text))


def f1(tp: int, fp: int, fn: int) -> float:
    return 1.0 if tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default=str(SHARED / "seeds"))
    ap.add_argument("--gold", default=str(SHARED / "gold" / "seeds"))
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    tot = dict(tp=0, fp=0, fn=0, btp=0, bfp=0, bfn=0, kind_ok=0, date_ok=0, shared=0)
    for gold_path in sorted(Path(args.gold).glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = normalize((Path(args.seeds) / f"{gold_path.stem}.txt").read_text(encoding="utf-8"))
        refs = find_references(text, own_number=gold["meta"].get("number"))
        basis = set(find_basis(text, refs))
        pred = {r.id: r for r in refs}
        if "references" in gold:
            want = {r["id"]: r for r in gold["references"]}
            shared = set(pred) & set(want)
            tot["tp"] += len(shared)
            tot["fp"] += len(set(pred) - set(want))
            tot["fn"] += len(set(want) - set(pred))
            tot["shared"] += len(shared)
            for rid in shared:
                tot["kind_ok"] += pred[rid].kind == want[rid]["kind"]
                tot["date_ok"] += pred[rid].issued_date == want[rid]["issued_date"]
                if args.verbose and (pred[rid].kind != want[rid]["kind"]
                                     or pred[rid].issued_date != want[rid]["issued_date"]):
                    print(f"  {gold_path.stem} {rid}: kind {pred[rid].kind} / {want[rid]['kind']}, "
                          f"date {pred[rid].issued_date} / {want[rid]['issued_date']}")
            if args.verbose:
                for rid in sorted(set(pred) - set(want)):
                    print(f"  {gold_path.stem} FP {rid}: {[m.text for m in pred[rid].mentions]}")
                for rid in sorted(set(want) - set(pred)):
                    print(f"  {gold_path.stem} FN {rid}")
        if "basis" in gold["meta"]:
            want_b = set(gold["meta"]["basis"])
            tot["btp"] += len(basis & want_b)
            tot["bfp"] += len(basis - want_b)
            tot["bfn"] += len(want_b - basis)
            if args.verbose and basis != want_b:
                print(f"  {gold_path.stem} basis {sorted(basis)} / {sorted(want_b)}")
    n = max(tot["shared"], 1)
    print(f"references F1 {f1(tot['tp'], tot['fp'], tot['fn']):.4f} (tp {tot['tp']} fp {tot['fp']} fn {tot['fn']})")
    print(f"basis F1 {f1(tot['btp'], tot['bfp'], tot['bfn']):.4f} (tp {tot['btp']} fp {tot['bfp']} fn {tot['bfn']})")
    print(f"kind accuracy {tot['kind_ok'] / n:.4f}  date accuracy {tot['date_ok'] / n:.4f} (over {tot['shared']} ids)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
