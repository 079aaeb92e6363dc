"""Batch throughput: documents/s and MB/s on the text path, pages/s on PDFs, scaling from 1
to N workers, peak RSS per worker, and the speed-up of a rerun over an unchanged corpus.

    python bench/bench_batch.py                  # 20 copies of the seeds (100 documents), 1 and 2 workers
    python bench/bench_batch.py --copies 40 --workers 1 2 --pdf-copies 4

The corpus is the seeds replicated under distinct names (each copy its own document id,
so nothing is shared between copies). Timings are wall-clock on this machine; the load
average and a busy-loop ceiling are printed because other processes on a shared machine
skew scaling; so is each worker's time on a CPU, waiting for a CPU (run queue) and idle
(waiting for the parent: the engine's own overhead). Goals:
≥ 1.8× at 2 workers on 2 cores, ≤ 300 MB peak RSS per worker without OCR, rerun ≥ 50×.
"""
from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.api import run  # noqa: E402
from extractor.settings import Settings  # noqa: E402

SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))


def text_corpus(d: Path, copies: int) -> int:
    d.mkdir(parents=True)
    size = 0
    for i in range(copies):
        for s in SEEDS:
            data = s.read_bytes()
            (d / f"c{i:03d}_{s.name}").write_bytes(data)
            size += len(data)
    return size


def render_pdf(text: str) -> tuple[bytes, int]:
    """A plain born-digital PDF of `text` (reportlab, a font with Vietnamese glyphs); pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    for font in ("/usr/share/fonts/truetype/freefont/FreeSerif.ttf",
                 "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"):
        if Path(font).exists():
            pdfmetrics.registerFont(TTFont("BenchSerif", font))
            break
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    y, pages = 800, 1
    for line in text.splitlines():
        for k in range(0, max(len(line), 1), 100):
            if y < 50:
                c.showPage()
                y, pages = 800, pages + 1
            c.setFont("BenchSerif", 10)
            c.drawString(40, y, line.replace("\t", "   ")[k:k + 100])
            y -= 13
    c.save()
    return buf.getvalue(), pages


def _spin(n: int) -> int:
    x = 0
    for i in range(n):
        x += i * i
    return x


def machine_scaling(workers: int, n: int = 10_000_000) -> float:
    """How much faster `workers` pure-Python busy loops finish in parallel than in series right
    now: the ceiling for any scaling figure on a shared machine (another busy process halves it)."""
    import multiprocessing as mp

    t = time.perf_counter()
    for _ in range(workers):
        _spin(n)
    serial = time.perf_counter() - t
    with mp.get_context("spawn").Pool(workers) as pool:
        pool.map(_spin, [1] * workers)  # start-up outside the timing
        t = time.perf_counter()
        pool.map(_spin, [n] * workers)
        parallel = time.perf_counter() - t
    return serial / parallel


def timed_run(inp: Path, out: Path, workers: int, **kw) -> tuple[float, object, dict]:
    stats: dict = {}
    t0 = time.perf_counter()
    summary = run([inp], out, settings=Settings(workers=workers, **kw), stats=stats)
    return time.perf_counter() - t0, summary, stats


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--copies", type=int, default=20, help="copies of the 5 seeds in the text corpus")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, os.cpu_count() or 2])
    ap.add_argument("--pdf-copies", type=int, default=2, help="copies of the seeds rendered as PDFs (0: skip)")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench_batch_"))
    rows: list[tuple[str, str]] = []
    try:
        size = text_corpus(tmp / "txt", args.copies)
        n = args.copies * len(SEEDS)
        print(f"text corpus: {n} documents, {size / 1e6:.2f} MB; cores {os.cpu_count()}; "
              f"load average before {os.getloadavg()[0]:.2f}", flush=True)
        ceiling = machine_scaling(max(args.workers))
        rows.append((f"machine: {max(args.workers)} busy loops in parallel vs series", f"{ceiling:.2f}× "
                     "(the ceiling for the scaling rows below at this moment)"))
        print(rows[-1][0], rows[-1][1], flush=True)
        # start the (per-process) warmed forkserver outside the timings, so that the first timed
        # run does not pay ~1 s of start-up that the later ones do not
        (tmp / "warm").mkdir()
        (tmp / "warm" / SEEDS[0].name).write_bytes(SEEDS[0].read_bytes())
        run([tmp / "warm"], tmp / "warm_out", settings=Settings(workers=1))
        base = None
        first = {}
        for w in args.workers:
            el, s, st = timed_run(tmp / "txt", tmp / f"out_w{w}", w)
            assert s.documents == n and s.error == 0, s
            first[w] = (el, st)
            ex = st["extract_seconds"]
            # a worker's own time: on a CPU + idle (waiting for the parent); run-queue waits are
            # other processes' doing. Its max over workers is the extraction time on an idle machine.
            own = max(c + max(ex - c - q, 0) for c, q in zip(st["worker_cpu_s"], st["worker_runqueue_s"]))
            base = base or (ex, el, own)
            rows += [(f"text, {w} worker(s): wall", f"{el:.2f} s  ({n / el:.1f} docs/s, {size / 1e6 / el:.3f} MB/s)"),
                     (f"text, {w} worker(s): extraction phase", f"{ex:.2f} s  ({n / ex:.1f} docs/s, "
                      f"{size / 1e6 / ex:.3f} MB/s); hash {st['hash_seconds']:.2f} s, write {st['write_seconds']:.2f} s"),
                     (f"text, {w} worker(s): scaling vs {args.workers[0]}",
                      f"{base[0] / ex:.2f}× extraction, {base[1] / el:.2f}× wall; without other processes' "
                      f"CPU use (from the workers' own CPU + idle time) {base[2] / own:.2f}×"),
                     (f"text, {w} worker(s): peak RSS per worker", ", ".join(f"{r:.0f} MB" for r in st["peak_rss_mb"])),
                     (f"text, {w} worker(s): per worker: on CPU / waiting for a CPU / idle",
                      ", ".join(f"{c:.1f} / {q:.1f} / {max(ex - c - q, 0):.1f} s"
                                for c, q in zip(st["worker_cpu_s"], st["worker_runqueue_s"])))]
            print(rows[-5][0], rows[-5][1], "|", rows[-3][1], "|", rows[-1][1], flush=True)
        # rerun over the unchanged corpus, with the largest worker count
        w = args.workers[-1]
        el_first = first[w][0]
        el, s, st = timed_run(tmp / "txt", tmp / f"out_w{w}", w)
        assert s.reused == n
        rows.append(("rerun, unchanged corpus", f"{el * 1000:.0f} ms  ({el_first / el:.0f}× faster than the first "
                     f"run's {el_first:.2f} s)"))
        (tmp / "txt" / f"c000_{SEEDS[0].name}").write_text(SEEDS[0].read_text(encoding="utf-8") + "\nx\n",
                                                           encoding="utf-8")
        el, s, st = timed_run(tmp / "txt", tmp / f"out_w{w}", w)
        rows.append(("rerun, one document edited", f"{el:.2f} s  ({s.reused} reused, dataset rewritten)"))

        if args.pdf_copies:
            try:
                import extractor.ingest.pdf  # noqa: F401
            except ImportError as exc:
                rows.append(("pdf", f"skipped: no PDF reader in this checkout ({exc})"))
            else:
                (tmp / "pdf").mkdir()
                pages = 0
                for i in range(args.pdf_copies):
                    for sd in SEEDS:
                        data, p = render_pdf(sd.read_text(encoding="utf-8"))
                        (tmp / "pdf" / f"c{i:03d}_{sd.stem}.pdf").write_bytes(data)
                        pages += p
                for w in args.workers:
                    el, s, st = timed_run(tmp / "pdf", tmp / f"pdf_w{w}", w, ocr="never")
                    rows.append((f"pdf, {w} worker(s)", f"{el:.2f} s for {pages} pages: {pages / el:.1f} pages/s "
                                 f"({s.ok} ok, {s.partial} partial, {s.error} error); peak RSS "
                                 + ", ".join(f"{r:.0f} MB" for r in st.get("peak_rss_mb", []))))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    width = max(len(k) for k, _ in rows)
    print()
    print(f"{'measure':<{width}}  value")
    print("-" * (width + 60))
    for k, v in rows:
        print(f"{k:<{width}}  {v}")
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
