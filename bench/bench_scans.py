"""Scanned PDFs: scores of the seeds rendered to PDF, rasterized as a scanner would (200 dpi,
rotated 0.7°, speckled: tests/fixtures/render.to_scan_pdf) and read back through OCR, next to
the same seeds as plain text. Each document is scored alone (extractor.evaluate.score against
its own gold file), so a figure is that document's, not a corpus mean.

    python3 bench/bench_scans.py                 # the seeds with task tables: 003, 000, 002
    python3 bench/bench_scans.py 003 --pages 2   # seed 003's first 2 pages only (a quick look)
    python3 bench/bench_scans.py 003 --dump      # also print the OCR'd text

Goal (issue 6): tasks F1 ≥ 0.85 and references F1 ≥ 0.95 on every scanned seed.
OCR is ~1.3 s/page per core: the three table seeds take about a minute on 2 cores.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.api import extract  # noqa: E402
from extractor.evaluate import score  # noqa: E402
from tests.fixtures.render import rasterize, to_pdf, images_to_pdf  # noqa: E402

KEYS = ["references", "tasks", "task_number", "task_lead", "task_partners", "task_status", "task_deadline",
        "sections", "meta_number", "meta_issued_date"]


def _figures(doc: dict, stem: str) -> dict:
    with tempfile.TemporaryDirectory() as d:
        shutil.copy(ROOT / "corpus/gold/seeds" / f"{stem}.json", d)
        s = score({stem: doc}, Path(d))
    out = {}
    for k, v in s.items():
        if isinstance(v, dict):
            if "f1" in v:
                out[k] = v["f1"]
            elif "accuracy" in v:
                out[k] = v["accuracy"]
    for k, v in (s.get("meta") or {}).items():
        if isinstance(v, dict) and "accuracy" in v:
            out[f"meta_{k}"] = v["accuracy"]
    return out


def _cpu() -> float:
    r, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime + c.ru_utime + c.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("seeds", nargs="*", default=["003", "000", "002"], help="seed prefixes")
    ap.add_argument("--pages", type=int, default=None, help="only the first N pages (figures then undercount)")
    ap.add_argument("--dump", action="store_true")
    args = ap.parse_args()
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    paths = [p for p in sorted((ROOT / "corpus/seeds").glob("*.txt")) if any(p.stem.startswith(s) for s in args.seeds)]
    print(f"{'seed':<6}{'pages':>6}{'wall s':>8}{'cpu s':>7}  " + "  ".join(f"{k[:13]:>13}" for k in KEYS))
    for p in paths:
        text = p.read_text(encoding="utf-8")
        plain = _figures(extract(p).model_dump(mode="json"), p.stem)
        pdf = to_pdf(text)
        import pypdfium2 as pdfium
        n = len(pdfium.PdfDocument(pdf))
        pages = list(range(min(n, args.pages))) if args.pages else None
        scan = images_to_pdf(rasterize(pdf, dpi=200, pages=pages, rotate=0.7, noise=0.002), dpi=200)
        t, c = time.perf_counter(), _cpu()
        doc = extract(scan, format="pdf", doc_id=p.stem).model_dump(mode="json")
        wall, cpu = time.perf_counter() - t, _cpu() - c
        got = _figures(doc, p.stem)
        if args.dump:
            print(doc["text"])
            print(json.dumps(sorted(r["id"] for r in doc["references"]), ensure_ascii=False))
        npg = len(pages) if pages else n
        fmt = lambda f: "  ".join(f"{(f.get(k) if f.get(k) is not None else float('nan')):>13.3f}" for k in KEYS)  # noqa: E731
        print(f"{p.stem[:3]:<6}{npg:>6}{wall:>8.1f}{cpu:>7.1f}  " + fmt(got) + f"   status={doc['status']} ocr={doc['source']['ocr']}")
        print(f"{'  text':<6}{'':>6}{'':>8}{'':>7}  " + fmt(plain))


if __name__ == "__main__":
    main()
