"""Born-digital PDF speed: pages/s of extractor.ingest.pdf (pypdfium2 words + rules → tables)
next to its pdfplumber reader (the one used before, still the fallback), bare pdfplumber
extract_text and bare pypdfium2 get_text_range, on the seeds rendered to PDF (ruled tables on
25 of 43 pages). CPU seconds of this process (the machine is shared: wall time is noisy).

    python3 bench/bench_pdf.py          (goal: ≥ 20 pages/s per core with table detection)
"""
from __future__ import annotations

import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import extractor.ingest.pdf as P  # noqa: E402
from extractor.ingest import ingest  # noqa: E402
from extractor.settings import Settings  # noqa: E402
from tests.fixtures.render import to_pdf  # noqa: E402


class _PlumberOnly:
    def __init__(self, *a):
        raise P._NotPlain()


def _cpu(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return best


def main() -> None:
    import pdfplumber
    import pypdfium2 as pdfium

    pdfs = [to_pdf(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "corpus/seeds").glob("*.txt"))]
    pages = sum(len(pdfium.PdfDocument(b)) for b in pdfs)
    s = Settings(ocr="never")

    def ours():
        for b in pdfs:
            ingest(b, "pdf", s)

    def plumber_reader():
        fast, P.PdfiumPage = P.PdfiumPage, _PlumberOnly
        try:
            ours()
        finally:
            P.PdfiumPage = fast

    def plumber_text():
        for b in pdfs:
            with pdfplumber.open(io.BytesIO(b)) as pdf:
                for pg in pdf.pages:
                    pg.extract_text()

    def pdfium_text():
        for b in pdfs:
            doc = pdfium.PdfDocument(b)
            for pg in doc:
                pg.get_textpage().get_text_range()

    rows = [("extractor pdf reader (pypdfium2)", _cpu(ours)),
            ("extractor pdf reader, pdfplumber", _cpu(plumber_reader, 1)),
            ("bare pdfplumber extract_text", _cpu(plumber_text, 1)),
            ("bare pypdfium2 get_text_range", _cpu(pdfium_text))]
    print(f"{pages} pages (5 seeds rendered), CPU time, best of 3 for the fast ones")
    for name, t in rows:
        print(f"{name:<34}: {pages / t:7.1f} pages/s  ({1000 * t / pages:6.1f} ms/page)")


if __name__ == "__main__":
    main()
