"""Throughput of the whole text path on one core, next to reference extraction alone.

    python bench/bench_text_path.py [--min-seconds 3] [--repeat 3] [--warm]

Inputs: the seed texts (corpus/seeds/*.txt) and, if present, the .txt/.md files of
corpus-real (shared/corpus-real in the shared folder beside the checkout, as tests/conftest.py
finds it).
Each file's bytes go through `extractor.extract` (decode, normalize, lines, meta, sections,
task tables, references, deadlines, units, the Document model), after one warm-up pass,
repeatedly until --min-seconds have passed. Reference extraction alone
(`extractor.references.find_references`) is then timed in the same run on the normalized
texts the text path produced, so the two figures share the machine's state.

Figures are CPU time (time.process_time), i.e. per core: wall time on a shared machine also
counts waiting for a core. The extractor memoizes some pure functions of small inputs (parsed
deadline cells, table cells, syllable checks, unit lists); every such memo is cleared before each
document, so that repeating the same few files does not flatter the figure: each document is
timed cold, as if it were new (--warm keeps them, as a long batch run over one archive does).
Goal: >= 100 seed documents/s per core.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor import deadlines  # noqa: E402
from extractor.api import extract  # noqa: E402
from extractor.references import find_references  # noqa: E402

GOAL_DOCS_PER_S = 100
REAL_DIR = ROOT.parent / "shared" / "corpus-real"     # the shared folder beside the checkout


def _files(kind: str) -> list[Path]:
    if kind == "seeds":
        return sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
    if REAL_DIR.is_dir():
        return sorted(f for f in REAL_DIR.iterdir() if f.suffix in (".txt", ".md") and f.name != "README.md")
    return []


def _input_caches() -> list:
    """Every memo the extractor keeps of document content: its lru_caches of a bounded size of 1024
    entries or more (cells, words, unit lists, headings). The others are keyed on a finite set
    fixed by the vocabulary and built once per process (size 1: the loaded data; unbounded or a few
    entries: the forms of a character, the pattern for a phrase list, a number or a code page)."""
    found = []
    for name, mod in list(sys.modules.items()):
        if name == "extractor" or name.startswith("extractor."):
            for obj in vars(mod).values():
                params = getattr(obj, "cache_parameters", None)
                if callable(params) and (params().get("maxsize") or 0) >= 1024 and obj not in found:
                    found.append(obj)
    return found


def _clear_caches(caches: list) -> None:
    # each document is timed as if it were the first one seen: repeating the same few files must
    # not flatter the figure through memos of cells, words or deadline phrases (--warm keeps them,
    # as a long batch run over an archive with a shared vocabulary does)
    cache = getattr(deadlines, "_PARSE_CACHE", None)
    if cache is not None:
        cache.clear()
    for c in caches:
        c.cache_clear()


def time_text_path(datas: list[bytes], min_seconds: float, warm: bool) -> tuple[float, int, list[str]]:
    """(CPU seconds, rounds, normalized texts) of extract() over datas, repeated."""
    texts = [extract(d).text for d in datas]          # warm-up: YAML, regexes, models
    caches = _input_caches()
    rounds, c0, w0 = 0, time.process_time(), time.perf_counter()
    while True:
        for d in datas:
            if not warm:
                _clear_caches(caches)
            extract(d)
        rounds += 1
        if time.perf_counter() - w0 >= min_seconds:
            break
    return time.process_time() - c0, rounds, texts


def time_references(texts: list[str], min_seconds: float) -> tuple[float, int]:
    for t in texts:
        find_references(t)
    rounds, c0, w0 = 0, time.process_time(), time.perf_counter()
    while True:
        for t in texts:
            find_references(t)
        rounds += 1
        if time.perf_counter() - w0 >= min_seconds:
            break
    return time.process_time() - c0, rounds


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--min-seconds", type=float, default=3.0, help="per measurement (default 3)")
    ap.add_argument("--warm", action="store_true", help="keep the memos of cells, words and deadline phrases between documents")
    ap.add_argument("--repeat", type=int, default=3,
                    help="measurements of the text path per input set; the median is reported (default 3)")
    args = ap.parse_args()
    if args.repeat < 1 or args.min_seconds <= 0:
        ap.error("--repeat must be >= 1 and --min-seconds > 0")
    seed_rate = None
    for kind in ("seeds", "corpus-real"):
        files = _files(kind)
        if not files:
            print(f"{kind}: no text files found, skipped")
            continue
        datas = [f.read_bytes() for f in files]
        # CPU time still varies on a shared machine (caches, frequency): the median of --repeat
        # measurements, with the spread printed, is the figure
        runs = sorted((time_text_path(datas, args.min_seconds, args.warm) for _ in range(args.repeat)),
                      key=lambda r: r[1] / r[0])
        cpu, rounds, texts = runs[len(runs) // 2]
        n_chars = sum(len(t) for t in texts)
        docs_s = len(datas) * rounds / cpu
        chars_s = n_chars * rounds / cpu
        spread = ", ".join(f"{len(datas) * r / c:.1f}" for c, r, _ in runs)
        rcpu, rrounds = time_references(texts, args.min_seconds)
        ref_chars_s = n_chars * rrounds / rcpu
        print(f"{kind}: {len(datas)} documents, {n_chars:,} normalized chars, {rounds} rounds")
        print(f"  text path per core (CPU {cpu:.2f} s): {docs_s:.1f} documents/s, {chars_s:,.0f} chars/s, "
              f"{cpu / (len(datas) * rounds) * 1000:.1f} ms/document; median of {len(runs)} measurements "
              f"({spread} documents/s)")
        print(f"  references alone per core (CPU {rcpu:.2f} s, same texts): {ref_chars_s:,.0f} chars/s; "
              f"text path / references = {chars_s / ref_chars_s:.3f} "
              f"(references are {ref_chars_s / chars_s:.0f}x faster than the whole path)")
        if kind == "seeds":
            seed_rate = docs_s
    if seed_rate is not None:
        verdict = "met" if seed_rate >= GOAL_DOCS_PER_S else "not met"
        print(f"goal: >= {GOAL_DOCS_PER_S} seed documents/s per core on the text path: {seed_rate:.1f} ({verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
