"""Annotations, training and evaluation of the trained unit tagger (spaCy NER, label UNIT).

    python -m extractor.train silver     # (re)make corpus/annotations/units/*.jsonl from the rules (--force)
    python -m extractor.train train      # train models/units_ner from train.jsonl (CPU, fixed seed)
    python -m extractor.train evaluate   # P/R/F of rules and model on heldout.jsonl

An example is one lead/partner cell or one prose line with an assignment ("… chủ trì, phối
hợp với …"); its spans are the units (label UNIT). Documents are split, not lines: the
held-out documents are listed in HELDOUT.
"""
from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path
from typing import Iterable

ROOT = Path(__file__).resolve().parent.parent
ANN = ROOT / "corpus" / "annotations" / "units"
MODEL = ROOT / "models" / "units_ner"
SOURCES = [ROOT / "corpus" / "seeds", ROOT.parent / "shared" / "corpus-real"]  # the shared folder beside the checkout
HELDOUT = ("003_", "24_", "11_", "20_")   # document-name prefixes kept out of training
SEED = 0


def _docs() -> Iterable[tuple[str, str]]:
    for src in SOURCES:
        if not src.is_dir():
            continue
        for p in sorted(src.iterdir()):
            if p.suffix in (".txt", ".md") and p.name != "README.md":
                yield p.stem, p.read_text(encoding="utf-8", errors="replace")


def silver_examples() -> list[dict]:
    """Cells and assignment lines with the rules' units as spans."""
    from .api import extract_text
    from .units import find_assignments, split_units
    from .vocab import load_units

    lead_words = load_units().prose.lead_markers     # a prose line naming a lead ("… chủ trì, …")
    out, seen = [], set()
    for name, raw in _docs():
        doc = extract_text(raw, doc_id=name)
        for t in doc.tasks:
            for cell in (t.lead, t.partners):
                if cell and (name, cell) not in seen:
                    seen.add((name, cell))
                    out.append({"doc": name, "kind": "cell", "text": cell,
                                "spans": [[u.span[0], u.span[1], "UNIT"] for u in split_units(cell)]})
        table = [t.span for t in doc.tasks]
        for line in doc.text.split("\n"):
            if not any(w in line or w[:1].upper() + w[1:] in line for w in lead_words):
                continue
            line = line.strip()
            if not line or (name, line) in seen or any(line in doc.text[s:e] for s, e in table):
                continue
            seen.add((name, line))
            out.append({"doc": name, "kind": "prose", "text": line,
                        "spans": [[u.span[0], u.span[1], "UNIT"] for u in find_assignments(line)]})
    for ex in out:
        ex["how"] = "silver: rules (extractor/units.py)"
    return out


def write_silver(force: bool = False) -> None:
    ANN.mkdir(parents=True, exist_ok=True)
    exs = silver_examples()
    for split, keep in (("train", False), ("heldout", True)):
        path = ANN / f"{split}.jsonl"
        if path.exists() and not force:
            print(f"{path} exists (hand corrections would be lost); use --force")
            continue
        rows = [e for e in exs if e["doc"].startswith(HELDOUT) == keep]
        with path.open("w", encoding="utf-8") as fh:
            for e in rows:
                fh.write(json.dumps(e, ensure_ascii=False) + "\n")
        print(path, len(rows))


def read(split: str) -> list[dict]:
    with (ANN / f"{split}.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _examples(nlp, rows):
    from spacy.training import Example

    out = []
    for r in rows:
        doc = nlp.make_doc(r["text"])
        ents = [doc.char_span(s, e, label=lab, alignment_mode="expand") for s, e, lab in r["spans"]]
        ents = [sp for sp in ents if sp is not None]
        try:
            out.append(Example.from_dict(doc, {"entities": [(sp.start_char, sp.end_char, sp.label_) for sp in ents]}))
        except ValueError:  # overlapping spans after expansion: skip the example, say so
            print("skipped (overlap):", r["text"][:60])
    return out


def train(segmentation: str = "syllable", epochs: int = 30, out: Path = MODEL) -> Path:
    import spacy
    from spacy.util import fix_random_seed, minibatch

    from .nlp import blank

    fix_random_seed(SEED)
    random.seed(SEED)
    nlp = blank(segmentation)
    # small model: hash embeddings of 2000 rows, width 64 — a few MB on disk
    nlp.add_pipe("ner", config={"model": {
        "@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner", "extra_state_tokens": False,
        "hidden_width": 64, "maxout_pieces": 2, "use_upper": True, "nO": None,
        "tok2vec": {"@architectures": "spacy.HashEmbedCNN.v2", "pretrained_vectors": None, "width": 64,
                    "depth": 4, "embed_size": 2000, "window_size": 1, "maxout_pieces": 3,
                    "subword_features": True}}})
    examples = _examples(nlp, read("train"))
    nlp.initialize(lambda: examples)
    t0 = time.time()
    for epoch in range(epochs):
        random.shuffle(examples)
        losses: dict = {}
        for batch in minibatch(examples, size=16):
            nlp.update(batch, drop=0.2, losses=losses)
        if epoch % 5 == 4:
            print(f"epoch {epoch + 1}: loss {losses.get('ner', 0):.1f} ({time.time() - t0:.0f} s)")
    nlp.meta.update({"name": "units_ner", "version": "0.1.0",
                     "description": f"UNIT tagger trained on corpus/annotations/units/train.jsonl "
                                    f"({len(examples)} examples, {segmentation} tokens, seed {SEED})"})
    nlp.to_disk(out)
    print(f"saved {out} in {time.time() - t0:.0f} s")
    return out


def prf(gold: list[set], pred: list[set]) -> dict:
    tp = sum(len(g & p) for g, p in zip(gold, pred))
    n_pred, n_gold = sum(map(len, pred)), sum(map(len, gold))
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "tp": tp, "pred": n_pred, "gold": n_gold}


def rule_spans(r: dict) -> set:
    from .units import find_assignments, split_units

    units = split_units(r["text"]) if r["kind"] == "cell" else find_assignments(r["text"])
    return {(u.span[0], u.span[1]) for u in units}


def evaluate(split: str = "heldout", model: Path = MODEL) -> dict:
    """Exact-span P/R/F of the rules and the trained model, overall and per kind (cell / prose)."""
    import spacy

    from .nlp import VietnameseTokenizer  # noqa: F401  registers the tokenizer

    rows = read(split)
    ner = spacy.load(model) if (model / "config.cfg").exists() else None
    res = {}
    for kind in ("all", "cell", "prose"):
        sel = [r for r in rows if kind == "all" or r["kind"] == kind]
        gold = [{(s, e) for s, e, _ in r["spans"]} for r in sel]
        res[f"rules/{kind}"] = prf(gold, [rule_spans(r) for r in sel])
        if ner is not None:
            # the model's spans are token-aligned; gold spans are compared after the same alignment
            pred, gold_al = [], []
            for r in sel:
                doc = ner(r["text"])
                pred.append({(e.start_char, e.end_char) for e in doc.ents})
                gold_al.append({(sp.start_char, sp.end_char) for s, e, _ in r["spans"]
                                if (sp := doc.char_span(s, e, alignment_mode="expand")) is not None})
            res[f"model/{kind}"] = prf(gold_al, pred)
    return res


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m extractor.train")
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("silver")
    s.add_argument("--force", action="store_true")
    t = sub.add_parser("train")
    t.add_argument("--segmentation", default="syllable", choices=["syllable", "underthesea"])
    t.add_argument("--epochs", type=int, default=30)
    t.add_argument("--out", type=Path, default=MODEL)
    e = sub.add_parser("evaluate")
    e.add_argument("--split", default="heldout")
    e.add_argument("--model", type=Path, default=MODEL)
    a = ap.parse_args(argv)
    if a.cmd == "silver":
        write_silver(a.force)
    elif a.cmd == "train":
        train(a.segmentation, a.epochs, a.out)
    else:
        for k, v in evaluate(a.split, a.model).items():
            print(f"{k:14s} P={v['precision']:.3f} R={v['recall']:.3f} F1={v['f1']:.3f}  (tp {v['tp']}, "
                  f"pred {v['pred']}, gold {v['gold']})")


if __name__ == "__main__":
    main()
