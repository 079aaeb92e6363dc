"""The dev documents rendered as born-digital PDF, DOCX and scans, scored next to their text.

Issue 12 asks for the rendered PDF/DOCX variants within 0.02 of text on every figure and scans
within 0.05, on the 21 dev documents: the 5 seeds (../shared/seeds, gold ../shared/gold/seeds)
and the 16 text/markdown documents of ../shared/corpus-real that have gold in
../shared/gold/real. This renders each document's text with the test fixtures' renderer
(tests/fixtures/render.py: `to_pdf`, `to_docx`, and for scans the same rasterization as
bench/bench_scans.py — 200 dpi, rotated 0.7°, speckled, an image-only PDF), names every file
after its gold stem, runs `python3 -m extractor run` once per variant, scores each variant with
../shared/eval/score.py, and prints one table: rows text/pdf/docx/scan, columns the scorer's
headline figures and each meta field, with each variant's difference from text on the same
documents (a `!` marks a difference beyond the issue's tolerance: 0.02, scans 0.05).

    python3 bench/eval_rendered.py                                    # pdf + docx, both sets
    python3 bench/eval_rendered.py --variants pdf,docx,scan --scan-sets seeds --out /tmp/rendered
    python3 bench/eval_rendered.py --sets seeds --variants scan --limit 2 --per-set

Markdown sources are rendered as a reader sees them, not as their markup: heading hashes,
bold/italic markers, backslash escapes, `<br>` and horizontal rules go; `*` list bullets become
"- "; pipe tables become tab-separated rows, which the renderer draws as ruled tables (PDF)
and real Word tables (DOCX). Plain-text sources are rendered as they are: tab-separated rows as
tables, other lines as lines. A block of lines laid out in columns with runs of spaces (3 or more
between two words: a `pdftotext -layout` dump such as 07, the side-by-side signature zones of 08
and 11) is rendered as a viewer shows that text: monospaced (FreeMono; Courier New in DOCX),
every space kept, shrunk so the widest such line of its page fits; a form feed turns the page, so
a page dump keeps its pages. The extractor's PDF reader writes a monospaced row's indent and gaps
back as spaces and its DOCX reader keeps such a paragraph's indents, so 07's task table is read
from its PDF/DOCX as from its text. (`--skip 07` still leaves a document out, e.g. to compare
with figures taken without it.)
A table row taller than a page (06 has a 1,500-character cell) is split across pages as Word
does (render.to_pdf(split_rows=True)) where the fixtures' default, rows kept whole, cannot lay it out.

With `--out DIR` the rendered files (DIR/render/<variant>/<stem>.<ext>) are kept and not
rendered again while present, and each variant's dataset (DIR/runs/<variant>) keeps the
extractor's record cache, which is keyed on the code: a rerun after a code change re-extracts,
a rerun on unchanged code only scores. The scorer's verbose output (per-document misses) is
saved as DIR/scores/<variant>.json. Without --out everything goes to a temporary directory,
removed at the end.

OCR is slow (~3 s of CPU per page; the 21 documents are 239 A4 pages, seeds 43): scans are opt-in
(`--variants …,scan`) and can be limited to some sets (`--scan-sets seeds`) or to the first N
documents of each set (`--limit N`). Tesseract runs with OMP_THREAD_LIMIT=1. With `--ocr-memo DIR`
Tesseract's answers are remembered (bench/ocr_memo.py) and replayed for the same image and
options, so work downstream of OCR is measured on all scans in seconds.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"    # the shared folder beside the checkout
sys.path.insert(0, str(ROOT))

SETS = {  # set → (sources, gold)
    "seeds": (SHARED / "seeds", SHARED / "gold" / "seeds"),
    "real": (SHARED / "corpus-real", SHARED / "gold" / "real"),
}
VARIANTS = {"pdf": ".pdf", "docx": ".docx", "scan": ".pdf"}
TOLERANCE = {"pdf": 0.02, "docx": 0.02, "scan": 0.05}
META_FIELDS = ["doc_type", "number", "issuer", "place", "issued_date", "title", "signer_name", "signer_position"]
HEADLINE = ["refs_f1", "basis_f1", "sections_f1", "tasks_f1", "deadline_acc", "assignments_f1", "meta_acc"]
COLUMNS = HEADLINE + META_FIELDS


# ---------------------------------------------------------------- the documents

def documents(sets: list[str], limit: int | None, skip: tuple[str, ...] = ()) -> list[tuple[str, Path, Path]]:
    """[(set, source text file, gold file)]: every gold file's text/markdown source, in stem order
    (but those whose stem starts with one of `skip`)."""
    out = []
    for name in sets:
        src_dir, gold_dir = SETS[name]
        docs = []
        for gold in sorted(gold_dir.glob("*.json")):
            if skip and gold.stem.startswith(skip):
                continue
            src = next((src_dir / f"{gold.stem}{ext}" for ext in (".txt", ".md")
                        if (src_dir / f"{gold.stem}{ext}").exists()), None)
            if src is None:
                print(f"note: {gold.name} has no .txt/.md source in {src_dir}: left out", file=sys.stderr)
                continue
            docs.append((name, src, gold))
        out += docs[:limit] if limit else docs
    return out


# ---------------------------------------------------------------- rendering

_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_SEP = re.compile(r"^\s*:?-{3,}:?\s*$")


def _cells(line: str) -> list[str]:
    inner = line.strip()[1:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", inner)]


def _inline(s: str) -> str:
    s = re.sub(r"<br\s*/?>", " ", s, flags=re.I)
    s = re.sub(r"</?(?:i|b|u|em|strong|sup|sub|span|font)(?:\s[^<>\n]{0,80})?>", "", s, flags=re.I)
    s = s.replace("**", "").replace("__", "")
    s = re.sub(r"(?<![*\w])\*([^\s*][^*\n]*?(?<=[^\s*]))\*(?![*\w])", r"\1", s)  # *italic*
    s = re.sub(r"\\([-\\`*_{}\[\]()#+.!|<>~])", r"\1", s)                           # 57\-NQ/TW
    return s


def markdown_to_text(md: str) -> str:
    """What a reader of the rendered markdown sees, as the renderer's input: lines, blank lines
    between blocks, tab-separated rows for tables."""
    out = []
    for line in md.replace("\r\n", "\n").split("\n"):
        if _PIPE_ROW.match(line):
            cells = _cells(line)
            if all(_PIPE_SEP.match(c) for c in cells if c) and any(cells):
                continue                                   # | --- | --- |
            out.append("\t".join(_inline(c).strip() for c in cells))
            continue
        if re.fullmatch(r"\s*(?:-{3,}|\*{3,}|_{3,})\s*", line):
            out.append("")                                 # horizontal rule
            continue
        line = re.sub(r"^\s*#{1,6}\s+", "", line)          # heading hashes
        line = re.sub(r"^\s*[*+]\s+", "- ", line)          # list bullets
        line = re.sub(r"\s*\\$", "", line)                 # hard break "\"
        out.append(_inline(line).rstrip())
    return "\n".join(out)


def source_text(src: Path) -> str:
    text = src.read_text(encoding="utf-8")
    return markdown_to_text(text) if src.suffix == ".md" else text


def _pdf(text: str, to_pdf) -> bytes:
    """The fixtures' PDF; a table row taller than a page (a 1,500-character cell) is split across
    pages as Word does, where the fixtures' default (rows kept whole) cannot lay it out."""
    from reportlab.platypus.doctemplate import LayoutError

    try:
        return to_pdf(text)
    except LayoutError:
        return to_pdf(text, split_rows=True)


def _render(job: tuple[str, str, str]) -> tuple[str, float]:
    """(variant, source, target) → (target, seconds); a scan reuses the PDF if it is there."""
    from tests.fixtures.render import images_to_pdf, rasterize, to_docx, to_pdf

    variant, src, target = job
    t = time.perf_counter()
    text = source_text(Path(src))
    if variant == "docx":
        data = to_docx(text)
    else:
        pdf_path = Path(target).parents[1] / "pdf" / Path(target).name
        pdf = pdf_path.read_bytes() if variant == "scan" and pdf_path.exists() else _pdf(text, to_pdf)
        # the scan fixtures' scanner (bench/bench_scans.py, tests/fixtures/render.to_scan_pdf)
        data = pdf if variant == "pdf" else images_to_pdf(
            rasterize(pdf, dpi=200, rotate=0.7, noise=0.002), dpi=200)
    tmp = Path(target).with_suffix(".part")
    tmp.write_bytes(data)
    tmp.replace(target)
    return target, time.perf_counter() - t


def render_all(variant: str, docs, out: Path, workers: int) -> tuple[list[Path], int, float]:
    """Render what is not there yet; → (files, how many were rendered now, seconds)."""
    vdir = out / "render" / variant
    vdir.mkdir(parents=True, exist_ok=True)
    files, jobs = [], []
    for _, src, gold in docs:
        target = vdir / f"{gold.stem}{VARIANTS[variant]}"
        files.append(target)
        if not target.exists():
            jobs.append((variant, str(src), str(target)))
    t = time.perf_counter()
    if jobs:
        with ProcessPoolExecutor(max(1, min(workers, len(jobs)))) as pool:
            list(pool.map(_render, jobs))
    return files, len(jobs), time.perf_counter() - t


# ---------------------------------------------------------------- extraction and scoring

MAX_BYTES = 20_000_000   # extractor run's default --max-bytes


def extract_all(files: list[Path], dataset: Path, workers: int, timeout: float) -> tuple[Path, float]:
    """`extractor run` on the files with its default limits; files above its --max-bytes (a 60-page
    scan is 27 MB) in a second run with the limit raised, so the first keeps its record cache.
    → (documents.jsonl of all, seconds)."""
    small = [f for f in files if f.stat().st_size <= MAX_BYTES]
    large = [f for f in files if f.stat().st_size > MAX_BYTES]
    t = extract(small, dataset, workers, timeout) if small else 0.0
    if not large:
        return dataset / "documents.jsonl", t
    t += extract(large, dataset.with_name(dataset.name + "-large"), workers, timeout, max_bytes=500_000_000)
    merged = dataset.with_name(dataset.name + "-all.jsonl")
    merged.write_bytes(b"".join((d / "documents.jsonl").read_bytes() for d in
                                ([dataset] if small else []) + [dataset.with_name(dataset.name + "-large")]))
    return merged, t


OCR_MEMO: Path | None = None   # --ocr-memo: Tesseract's answers replayed from here (bench/ocr_memo.py)


def extract(files: list[Path], dataset: Path, workers: int, timeout: float, max_bytes: int = MAX_BYTES) -> float:
    path = [str(ROOT)] + ([str(ROOT / "bench" / "memo_site")] if OCR_MEMO else [])
    env = dict(os.environ, OMP_THREAD_LIMIT="1", PYTHONPATH=os.pathsep.join(path + [os.environ.get("PYTHONPATH", "")]))
    if OCR_MEMO:
        env["EXTRACTOR_OCR_MEMO"] = str(OCR_MEMO)
    cmd = [sys.executable, "-m", "extractor", "run", *map(str, files), "--out", str(dataset), "--quiet",
           "--timeout", str(timeout), "--max-bytes", str(max_bytes)]
    if workers:
        cmd += ["--workers", str(workers)]
    t = time.perf_counter()
    r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if r.returncode not in (0, 3) or not (dataset / "documents.jsonl").exists():
        sys.exit(f"extractor run failed ({r.returncode}): {' '.join(cmd)}\n{r.stdout[-2000:]}\n{r.stderr[-4000:]}")
    return time.perf_counter() - t


def score(pred: Path, golds: list[Path], scratch: Path, save: Path | None = None) -> dict:
    """../shared/eval/score.py on exactly these documents: a gold directory of their gold files."""
    gdir = Path(tempfile.mkdtemp(dir=scratch, prefix="gold-"))
    for g in golds:
        (gdir / g.name).symlink_to(g)
    r = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), "--pred", str(pred), "--gold", str(gdir),
                        "--json", "--verbose"], capture_output=True, text=True)
    if r.returncode:
        sys.exit(f"score.py failed: {r.stderr[-2000:]}")
    body = r.stdout[:r.stdout.rstrip().rfind("\n")]       # the JSON, then the headline line
    result = json.loads(body)
    if save:
        save.parent.mkdir(parents=True, exist_ok=True)
        save.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return result


def figures(r: dict) -> dict:
    """The scorer's headline figures (as its `headline` computes them) and each meta field."""
    a = r["assignments"]
    metas = {f: r["meta"][f]["accuracy"] for f in META_FIELDS}
    known = [v for v in metas.values() if v is not None]
    return {"refs_f1": r["references"]["f1"], "basis_f1": r["basis"]["f1"], "sections_f1": r["sections"]["f1"],
            "tasks_f1": r["tasks"]["f1"], "deadline_acc": r["task_deadline"]["accuracy"],
            "assignments_f1": a["f1"] if a["tp"] + a["fp"] + a["fn"] else None,
            "meta_acc": round(sum(known) / len(known), 4) if known else None, **metas,
            "_missing": len(r["documents_missing"]), "_errored": len(r["documents_errored"])}


# ---------------------------------------------------------------- the table

def _cell(v) -> str:
    return "—" if v is None else f"{v:.3f}"


def _delta(v, base, tol) -> str:
    if v is None or base is None:
        return "—"
    d = v - base
    return f"{d:+.3f}" + ("!" if abs(d) > tol + 1e-9 else " ")


def table(title: str, rows: list[tuple[str, int, dict, dict | None, float | None]]) -> str:
    w = {c: max(8, len(c) + 1) for c in COLUMNS}
    lines = [title, f"{'':<9}{'docs':>5}" + "".join(f"{c:>{w[c]}} " for c in COLUMNS) + " missing/errored"]
    for name, n, fig, base, tol in rows:
        lines.append(f"{name:<9}{n:>5}" + "".join(f"{_cell(fig.get(c)):>{w[c]}} " for c in COLUMNS)
                     + f" {fig['_missing']}/{fig['_errored']}")
        if base is not None:
            lines.append(f"{'  − text':<9}{'':>5}" + "".join(f"{_delta(fig.get(c), base.get(c), tol):>{w[c] + 1}}"
                                                         for c in COLUMNS))
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default="seeds,real", help="seeds,real (default both)")
    ap.add_argument("--variants", default="pdf,docx", help="pdf,docx,scan (scan is opt-in: OCR is slow)")
    ap.add_argument("--scan-sets", default=None, help="the sets to scan (default: --sets), e.g. seeds")
    ap.add_argument("--skip", default="", help="leave out documents whose stem starts with one of these, e.g. 06,07")
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents of each set")
    ap.add_argument("--out", type=Path, default=None, help="keep rendered files, datasets and scores here")
    ap.add_argument("--workers", type=int, default=None, help="render and extraction processes (default: all cores)")
    ap.add_argument("--timeout", type=float, default=3600.0,
                    help="seconds one document may take (extractor run --timeout; a 60-page scan on a busy "
                         "machine overruns its default 300; a timed-out record stays cached: delete DIR/runs)")
    ap.add_argument("--per-set", action="store_true", help="also a table per set")
    ap.add_argument("--ocr-memo", type=Path, default=None,
                    help="remember Tesseract's answers here (keyed on the exact image and options) and replay "
                         "them: after a change downstream of OCR, the scans are measured in seconds")
    args = ap.parse_args()
    global OCR_MEMO
    OCR_MEMO = args.ocr_memo.resolve() if args.ocr_memo else None

    sets = [s for s in args.sets.split(",") if s]
    variants = [v for v in args.variants.split(",") if v]
    for s in sets:
        if s not in SETS:
            ap.error(f"unknown set {s!r}: {', '.join(SETS)}")
    for v in variants:
        if v not in VARIANTS:
            ap.error(f"unknown variant {v!r}: {', '.join(VARIANTS)}")
    scan_sets = set(args.scan_sets.split(",")) if args.scan_sets else set(sets)
    os.environ["OMP_THREAD_LIMIT"] = "1"
    workers = args.workers or os.cpu_count() or 1
    out = args.out or Path(tempfile.mkdtemp(prefix="eval-rendered-"))
    out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="eval-rendered-gold-"))
    t0 = time.perf_counter()

    docs = documents(sets, args.limit, tuple(x for x in args.skip.split(",") if x))
    print(f"{len(docs)} documents ({', '.join(f'{s} {sum(d[0] == s for d in docs)}' for s in sets)}); "
          f"files in {out}", flush=True)
    preds: dict[str, Path] = {}
    used: dict[str, list] = {}
    timing: dict[str, str] = {}
    # text: the sources themselves
    preds["text"], t = extract_all([d[1] for d in docs], out / "runs" / "text", workers, args.timeout)
    used["text"] = docs
    timing["text"] = f"extract {t:.1f} s"
    print(f"text: {timing['text']}", flush=True)
    for v in variants:
        vdocs = [d for d in docs if v != "scan" or d[0] in scan_sets]
        if not vdocs:
            continue
        files, made, tr = render_all(v, vdocs, out, workers)
        preds[v], te = extract_all(files, out / "runs" / v, workers, args.timeout)
        used[v] = vdocs
        timing[v] = f"rendered {made} in {tr:.1f} s, extract {te:.1f} s"
        print(f"{v}: {timing[v]}", flush=True)

    def rows_for(subset: set[str] | None) -> tuple[int, list]:
        rows = []
        base_all = [d for d in docs if subset is None or d[0] in subset]
        if not base_all:
            return 0, rows
        text_fig = figures(score(preds["text"], [d[2] for d in base_all], scratch,
                                 out / "scores" / "text.json" if subset is None else None))
        rows.append(("text", len(base_all), text_fig, None, None))
        for v in variants:
            vd = [d for d in used.get(v, []) if subset is None or d[0] in subset]
            if not vd:
                continue
            golds = [d[2] for d in vd]
            fig = figures(score(preds[v], golds, scratch, out / "scores" / f"{v}.json" if subset is None else None))
            # the difference from text is taken on the same documents
            base = text_fig if len(vd) == len(base_all) else figures(score(preds["text"], golds, scratch))
            rows.append((v, len(vd), fig, base, TOLERANCE[v]))
        return len(base_all), rows

    n, rows = rows_for(None)
    print()
    print(table(f"all dev documents ({n}): ../shared/eval/score.py; '− text' = variant minus text on the same "
                f"documents, ! = off text by more than {TOLERANCE['pdf']} (scan {TOLERANCE['scan']})", rows))
    if args.per_set and len(sets) > 1:
        for s in sets:
            n, rows = rows_for({s})
            print()
            print(table(f"{s} ({n})", rows))
    print()
    print("time: " + "; ".join(f"{k} {v}" for k, v in timing.items()) + f"; total {time.perf_counter() - t0:.0f} s")
    shutil.rmtree(scratch, ignore_errors=True)
    if args.out is None:
        shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
