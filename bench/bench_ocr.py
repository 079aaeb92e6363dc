"""OCR cost and accuracy: extractor.ingest.ocr next to bare `tesseract -l vie` on the same images.

Pages: seeds rendered to PDF (tests/fixtures/render.py), printed at 300 dpi and scanned back
(a) clean and straight, (b) rotated 0.7° with 0.2 % speckle, (c) clean with 9-pt body text. Truth is the text layer of the
born-digital page (pypdfium2). Character error rate (CER) = Levenshtein distance / truth length
after NFC and whitespace collapsing; measured on prose pages (a table's reading order differs
between Tesseract's blocks and the text layer, which is not an OCR error). Time is CPU seconds
(our process + Tesseract children, OMP_THREAD_LIMIT=1): the machine is shared, wall time is noisy.

    python3 bench/bench_ocr.py            # ~3 min on 2 busy cores
    python3 bench/bench_ocr.py --quick    # one page per kind

Tables printed:
  1. dpi 200/300/400 (the page rendered from the scan at that resolution): CER and s/page of bare
     tesseract (text output; "tsv s": the same with word boxes, `tesseract … tsv`, which is what
     any layout needs and costs Tesseract itself ~10 % more) and of ours, and the ratio ours/bare
     (goal ≤ 1.15).
  2. preprocessing at 300 dpi, each before bare tesseract: none, despeckle (3×3 median), deskew
     (rotate by the estimated angle), binarize (Otsu), and ours (analysis + conditional despeckle
     + rule erasing + word boxes).
  3. a ruled table page: s/page bare vs ours (ours adds grid detection and a re-read strip).
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["OMP_THREAD_LIMIT"] = "1"

from extractor.ingest import imageprep as IP  # noqa: E402
from extractor.ingest import ocr as O  # noqa: E402
from extractor.settings import Settings  # noqa: E402
from tests.fixtures.render import rasterize, to_pdf, images_to_pdf  # noqa: E402

PROSE = [("004", 1), ("004", 2), ("001", 1)]      # (seed, page index): prose only, no header zone
TABLE = [("003", 1)]


def _cpu() -> float:
    r, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime + c.ru_utime + c.ru_stime


def _norm(s: str) -> str:
    return " ".join(unicodedata.normalize("NFC", s).split())


def cer(got: str, truth: str) -> float:
    from rapidfuzz.distance import Levenshtein

    t = _norm(truth)
    return Levenshtein.distance(_norm(got), t) / max(len(t), 1)


def bare(img, *config: str) -> tuple[str, float]:
    """`tesseract IMG stdout -l vie`, as a user would run it (config "tsv": with word boxes)."""
    with tempfile.NamedTemporaryFile(suffix=".png") as f:
        img.save(f.name)
        c = _cpu()
        out = subprocess.run(["tesseract", f.name, "stdout", "-l", "vie", *config], capture_output=True, text=True,
                             env={**os.environ, "OMP_THREAD_LIMIT": "1"}, check=True).stdout
        return out, _cpu() - c


def ours(img) -> tuple[str, float]:
    c = _cpu()
    res = O.ocr_image(img, Settings())
    return res.text, _cpu() - c


def pages(kind: str, which, scan_dpi: int = 300):
    """[(truth text, scanned PDF bytes of that page)]"""
    import pypdfium2 as pdfium

    out = []
    for stem, i in which:
        src = next((ROOT / "corpus/seeds").glob(f"{stem}*.txt")).read_text(encoding="utf-8")
        pdf = to_pdf(src)
        if kind == "small":                     # 9 pt body text, as footnotes and dense tables have
            pdf = to_pdf(src, font_size=9)
        truth = pdfium.PdfDocument(pdf)[i].get_textpage().get_text_range()
        kw = {"rotate": 0.7, "noise": 0.002} if kind == "noisy" else {}
        scan = images_to_pdf(rasterize(pdf, dpi=scan_dpi, pages=[i], **kw), dpi=scan_dpi)
        out.append((f"{stem}p{i + 1}", truth, scan))
    return out


def render(scan: bytes, dpi: int):
    import pypdfium2 as pdfium

    return O.render_page(pdfium.PdfDocument(scan)[0], dpi)


def otsu(img):
    import numpy as np
    from PIL import Image

    a = np.asarray(img)
    hist = np.bincount(a.ravel(), minlength=256).astype(float)
    w = np.cumsum(hist)
    m = np.cumsum(hist * np.arange(256))
    between = (m[-1] * w - m * w[-1]) ** 2 / np.maximum(w * (w[-1] - w), 1)
    t = int(np.argmax(between))
    return Image.fromarray(np.where(a > t, 255, 0).astype(np.uint8))


def deskew(img):
    import numpy as np
    from PIL import Image

    small = img.reduce(2)
    angle = IP.estimate_skew(np.asarray(small) < 160)
    return img.rotate(-angle, resample=Image.BICUBIC, fillcolor=255) if abs(angle) >= 0.1 else img


def timed(fn, img):
    c = _cpu()
    out = fn(img)
    return out, _cpu() - c


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    prose = PROSE[:1] if args.quick else PROSE
    ours(render(pages("clean", TABLE)[0][2], 100))        # imports and Tesseract's first start: not per page

    print("1. dpi (prose pages; CER %, CPU s/page)")
    print(f"{'scan':<7}{'dpi':>5}{'pages':>6}{'bare CER':>10}{'ours CER':>10}{'bare s':>8}{'tsv s':>7}{'ours s':>8}{'ours/bare':>10}")
    for kind in ("clean", "noisy", "small"):
        pg = pages(kind, prose)
        for dpi in (200, 300, 400):
            cb = co = tb = to = tt = 0.0
            for _, truth, scan in pg:
                img = render(scan, dpi)
                text, t = bare(img)
                cb += cer(text, truth); tb += t
                tt += bare(img, "tsv")[1]
                text, t = ours(img)
                co += cer(text, truth); to += t
            n = len(pg)
            print(f"{kind:<7}{dpi:>5}{n:>6}{100 * cb / n:>10.2f}{100 * co / n:>10.2f}{tb / n:>8.2f}{tt / n:>7.2f}"
                  f"{to / n:>8.2f}{to / tb:>10.2f}")

    print("\n2. preprocessing before bare tesseract, 300 dpi (prose pages; CER %, CPU s/page incl. the step)")
    print(f"{'scan':<7}{'step':<24}{'CER':>8}{'s/page':>8}")
    for kind in ("clean", "noisy"):
        pg = pages(kind, prose)
        imgs = [(truth, render(scan, 300)) for _, truth, scan in pg]
        steps = {"none": lambda im: im, "despeckle": IP.despeckle, "deskew": deskew, "binarize": otsu,
                 "despeckle+binarize": lambda im: otsu(IP.despeckle(im))}
        for name, fn in steps.items():
            c = t = 0.0
            for truth, img in imgs:
                pre, tp = timed(fn, img)
                text, tt = bare(pre)
                c += cer(text, truth); t += tp + tt
            print(f"{kind:<7}{name:<24}{100 * c / len(imgs):>8.2f}{t / len(imgs):>8.2f}")
        limit = IP.LONE_LIMIT
        for name, lim in (("ours", limit), ("ours, never despeckle", float("inf")), ("ours, always despeckle", -1.0)):
            IP.LONE_LIMIT = lim
            c = t = 0.0
            for truth, img in imgs:
                text, tt = ours(img)
                c += cer(text, truth); t += tt
            print(f"{kind:<7}{name:<24}{100 * c / len(imgs):>8.2f}{t / len(imgs):>8.2f}")
        IP.LONE_LIMIT = limit

    print("\n3. ruled table page, 300 dpi (CPU s/page; cost of our parts measured alone)")
    print(f"{'scan':<7}{'bare s':>8}{'ours s':>8}{'ours/bare':>10}{'analyse':>9}{'despeckle':>10}")
    for kind in ("clean", "noisy"):
        for _, truth, scan in pages(kind, TABLE):
            img = render(scan, 300)
            _, tb = bare(img)
            _, to = ours(img)
            geo, ta = timed(IP.analyse, img)
            td = timed(IP.despeckle, img)[1] if IP.speckled(img) else 0.0
            print(f"{kind:<7}{tb:>8.2f}{to:>8.2f}{to / tb:>10.2f}{ta:>9.2f}{td:>10.2f}")


if __name__ == "__main__":
    main()
