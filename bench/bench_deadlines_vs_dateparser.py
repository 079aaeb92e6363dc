"""Plain dateparser vs. the deadline grammar on every gold task deadline.

    python bench/bench_deadlines_vs_dateparser.py [GOLD_DIR]

A dateparser result is read as kind "date" with start = end = that day (it has no notion
of periods or recurrences); None is kind "none". Two dateparser settings are measured,
both unable to invent parts from today's date:
  strict  – REQUIRE_PARTS day+month+year
  lenient – RELATIVE_BASE = 1 Jan of the document's year, PREFER_DAY_OF_MONTH first
            (so "Tháng 3" becomes 1 March of that year, never of today's year)
The grammar gets the document's DeadlineContext (title / issue date), as the pipeline does.
"""
from __future__ import annotations

import glob
import json
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import dateparser  # noqa: E402

from extractor.deadlines import DeadlineContext, parse_deadline  # noqa: E402


def load(gold_dir: Path):
    rows = []
    for path in sorted(glob.glob(str(gold_dir / "*.json"))):
        g = json.loads(Path(path).read_text(encoding="utf-8"))
        meta = g.get("meta", {})
        ctx = DeadlineContext.from_document(meta.get("title"), meta.get("issued_date"))
        for t in g.get("tasks", []):
            rows.append((ctx, t["deadline"]))
    return rows


def key(d: dict) -> tuple:
    return (d.get("kind") or "none", d.get("start"), d.get("end"), d.get("recurrence"))


def dp_settings(mode: str, ctx: DeadlineContext) -> dict:
    if mode == "strict":
        return {"REQUIRE_PARTS": ["day", "month", "year"], "RELATIVE_BASE": datetime(2000, 1, 1),
                "DATE_ORDER": "DMY"}
    base = datetime(ctx.year or 2000, 1, 1)
    return {"RELATIVE_BASE": base, "PREFER_DAY_OF_MONTH": "first", "DATE_ORDER": "DMY",
            "PREFER_DATES_FROM": "current_period"}


def run_dateparser(text: str, settings: dict) -> dict:
    try:
        got = dateparser.parse(text, languages=["vi"], settings=settings) if text else None
    except Exception:
        got = None
    if got is None:
        return {"kind": "none"}
    day = got.date().isoformat()
    return {"kind": "date", "start": day, "end": day}


def run_ours(text: str, ctx: DeadlineContext) -> dict:
    return parse_deadline(text, ctx).model_dump()


def measure(rows, fn):
    n = len(rows)
    acc = {"kind": 0, "start": 0, "end": 0, "all": 0}
    t0 = time.perf_counter()
    preds = [fn(gd["text"] or "", ctx) for ctx, gd in rows]
    ms = (time.perf_counter() - t0) * 1000 / max(n, 1)
    for (ctx, gd), pd in zip(rows, preds):
        g, p = key(gd), key(pd)
        acc["kind"] += g[0] == p[0]
        acc["start"] += g[1] == p[1]
        acc["end"] += g[2] == p[2]
        acc["all"] += g == p
    return {k: v / n for k, v in acc.items()}, ms


def main(argv: list[str]) -> None:
    gold_dir = Path(argv[1]) if len(argv) > 1 else ROOT / "corpus" / "gold" / "seeds"
    rows = load(gold_dir)
    if not rows:
        sys.exit(f"no gold task deadlines under {gold_dir}")
    systems = {
        "dateparser strict": lambda t, c: run_dateparser(t, dp_settings("strict", c)),
        "dateparser lenient": lambda t, c: run_dateparser(t, dp_settings("lenient", c)),
        "grammar (ours)": run_ours,
    }
    run_ours("Tháng 3", rows[0][0])             # build the grammar once, outside the timing
    run_dateparser("20/11/2023", dp_settings("strict", rows[0][0]))
    print(f"{len(rows)} gold task deadlines from {gold_dir}\n")
    print(f"{'system':<20} {'kind':>6} {'start':>6} {'end':>6} {'all4':>6} {'ms/call':>8}")
    for name, fn in systems.items():
        acc, ms = measure(rows, fn)
        print(f"{name:<20} {acc['kind']:>6.3f} {acc['start']:>6.3f} {acc['end']:>6.3f} {acc['all']:>6.3f} {ms:>8.3f}")
    days = [(c, g) for c, g in rows if g["kind"] == "date"]
    if days:
        print(f"\nday dates only ({len(days)} rows: '20/11/2023', 'Trước ngày 25/11/2023', …)")
        for name, fn in systems.items():
            acc, ms = measure(days, fn)
            print(f"{name:<20} {acc['kind']:>6.3f} {acc['start']:>6.3f} {acc['end']:>6.3f} {acc['all']:>6.3f} {ms:>8.3f}")
    print("\nall4 = kind, start, end and recurrence all equal to gold (the scorer's deadline match)")


if __name__ == "__main__":
    main(sys.argv)
