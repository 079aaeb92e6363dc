"""Throughput of the reference layer (find_references + find_basis) on one core.

    python bench/bench_references.py [--min-seconds 3] [PATH ...]

Default input: the seed texts and the .txt/.md files of corpus-real. Texts are normalized
once before timing (as the pipeline does), then processed repeatedly until --min-seconds
have passed. Prints MB/s (UTF-8 bytes) and chars/s; the goal is >= 10 MB/s per core.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_references import normalize  # noqa: E402
from extractor.references import find_basis, find_references  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"   # the shared folder beside the checkout
DEFAULT_DIRS = [SHARED / "seeds", SHARED / "corpus-real"]


def load(paths: list[Path]) -> list[str]:
    files = []
    for p in paths:
        files += sorted(f for f in p.iterdir() if f.suffix in (".txt", ".md") and f.name != "README.md") \
            if p.is_dir() else [p]
    return [normalize(f.read_text(encoding="utf-8", errors="replace")) for f in files]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--min-seconds", type=float, default=3.0)
    args = ap.parse_args()
    texts = load(args.paths or DEFAULT_DIRS)
    n_bytes = sum(len(t.encode("utf-8")) for t in texts)
    n_chars = sum(len(t) for t in texts)
    find_references(texts[0])                      # load YAML and compile regexes outside the timing
    rounds, refs_found = 0, 0
    w0, c0 = time.perf_counter(), time.process_time()
    while True:
        for t in texts:
            refs = find_references(t)
            find_basis(t, refs)
            refs_found += len(refs)
        rounds += 1
        wall = time.perf_counter() - w0
        if wall >= args.min_seconds:
            break
    cpu = time.process_time() - c0
    print(f"{len(texts)} texts, {n_bytes / 1e6:.2f} MB ({n_chars} chars), {rounds} rounds, "
          f"{refs_found // rounds} references per round")
    # CPU time is the per-core figure; wall time also counts waiting for a core on a busy machine
    print(f"throughput per core (CPU time {cpu:.2f} s): {n_bytes * rounds / cpu / 1e6:.1f} MB/s, "
          f"{n_chars * rounds / cpu:,.0f} chars/s (goal >= 10 MB/s per core)")
    print(f"throughput wall clock ({wall:.2f} s): {n_bytes * rounds / wall / 1e6:.1f} MB/s, "
          f"{n_chars * rounds / wall:,.0f} chars/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
