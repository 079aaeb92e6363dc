"""Born-digital PDF speed: pages/s of extractor.ingest.pdf (pdfplumber, with table detection)
next to bare pdfplumber extract_text and pypdfium2 get_text_range, on the seeds rendered to PDF.

    python3 bench/bench_pdf.py          (goal: ≥ 20 pages/s per core with table detection)
"""
from __future__ import annotations

import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.ingest import ingest  # noqa: E402
from extractor.settings import Settings  # noqa: E402
from tests.fixtures.render import to_pdf  # noqa: E402


def main() -> None:
    import pdfplumber
    import pypdfium2 as pdfium

    pdfs = [to_pdf(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "corpus/seeds").glob("*.txt"))]
    pages = sum(len(pdfium.PdfDocument(b)) for b in pdfs)
    t = time.perf_counter()
    for b in pdfs:
        ingest(b, "pdf", Settings(ocr="never"))
    ours = time.perf_counter() - t
    t = time.perf_counter()
    for b in pdfs:
        with pdfplumber.open(io.BytesIO(b)) as pdf:
            for pg in pdf.pages:
                pg.extract_text()
    plumber = time.perf_counter() - t
    t = time.perf_counter()
    for b in pdfs:
        doc = pdfium.PdfDocument(b)
        for pg in doc:
            pg.get_textpage().get_text_range()
    pdfium_s = time.perf_counter() - t
    print(f"{pages} pages (5 seeds rendered)")
    print(f"extractor pdf reader : {pages / ours:6.1f} pages/s  ({1000 * ours / pages:5.1f} ms/page)")
    print(f"pdfplumber text only : {pages / plumber:6.1f} pages/s  ({1000 * plumber / pages:5.1f} ms/page)  ratio ours/plumber {ours / plumber:.2f}")
    print(f"pypdfium2 text only  : {pages / pdfium_s:6.1f} pages/s  ({1000 * pdfium_s / pages:5.1f} ms/page)")


if __name__ == "__main__":
    main()
