"""`extractor` command line: run, show, eval, query, cites, refs, report."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.table import Table

from .settings import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Turn official Vietnamese Party documents into data.")
console = Console()
err = Console(stderr=True)

EXIT_DOC_ERRORS = 3  # the run finished but some documents could not be read
EXIT_USAGE = 2       # bad options, an unusable --out, nothing to extract, a failed write


@app.command()
def run(paths: List[Path] = typer.Argument(..., help="files and/or directories (recursive)"),
        out: Path = typer.Option(Path("dataset"), "--out", "-o", help="dataset directory"),
        workers: Optional[int] = typer.Option(None, help="worker processes (default: all cores)"),
        timeout: float = typer.Option(300.0, help="seconds one document may take"),
        max_memory: int = typer.Option(2048, "--max-memory", help="MB a worker may use"),
        max_bytes: int = typer.Option(20_000_000, "--max-bytes", help="larger input files get an error record"),
        max_chars: int = typer.Option(5_000_000, "--max-chars", help="longer texts get an error record"),
        max_pages: int = typer.Option(500, "--max-pages", help="pages (PDF) or frames (TIFF) read per document"),
        max_pixels: int = typer.Option(120_000_000, "--max-pixels",
                                       help="larger images and rendered pages get an error record"),
        password: Optional[str] = typer.Option(None, help="password for encrypted PDFs"),
        ocr: str = typer.Option("auto", help="auto | always | never"),
        ocr_dpi: int = typer.Option(300, "--ocr-dpi", help="resolution PDF pages are rendered at for OCR"),
        force: bool = typer.Option(False, "--force", help="extract every document again, ignoring the cache"),
        retry_errors: bool = typer.Option(False, "--retry-errors",
                                          help="extract again the documents whose cached record is an error"),
        follow_symlinks: bool = typer.Option(False, "--follow-symlinks",
                                             help="read links inside input folders that point outside them"),
        engine: str = typer.Option("local", help="local | ray"),
        address: Optional[str] = typer.Option(None, help="Ray cluster address (with --engine ray)"),
        quiet: bool = typer.Option(False, "--quiet", "-q")):
    """Extract every document under PATHS into OUT (documents.jsonl, tables, dataset.duckdb).

    Exit codes: 0 all documents read, 3 some got an error record, 2 nothing was done or the
    output could not be written (one line says why), 130 interrupted (Ctrl-C), 143 stopped by
    SIGTERM or SIGHUP; an interrupted run resumes when the same command is run again."""
    from .api import run as run_api
    from .batch.lock import OutputError
    from .batch.run import Interrupted, NoInputs

    for p in paths:
        if not p.exists() and not p.is_symlink():
            err.print(f"[red]error:[/] {p} does not exist")
            raise typer.Exit(2)
    try:
        settings = Settings(workers=workers, timeout=timeout, max_memory_mb=max_memory, max_input_bytes=max_bytes,
                            max_text_chars=max_chars, password=password, ocr=ocr, max_pages=max_pages,
                            ocr_dpi=ocr_dpi, max_image_pixels=max_pixels)
    except ValueError as exc:  # pydantic's ValidationError: say which option, not a traceback
        flags = {"max_memory_mb": "max-memory", "max_input_bytes": "max-bytes", "max_text_chars": "max-chars",
                 "max_image_pixels": "max-pixels"}
        for e in getattr(exc, "errors", lambda: [])():
            name = str(e["loc"][0])
            err.print(f"[red]error:[/] --{flags.get(name, name.replace('_', '-'))}: {e['msg']}")
        raise typer.Exit(2)
    if engine not in ("local", "ray"):
        err.print(f"[red]error:[/] --engine must be local or ray, not {engine!r}")
        raise typer.Exit(2)
    try:
        summary = run_api(paths, out, settings=settings, engine=engine, address=address,
                          progress=sys.stderr.isatty() and not quiet, force=force, retry_errors=retry_errors,
                          follow_symlinks=follow_symlinks)
    except OutputError as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_USAGE)
    except NoInputs as exc:
        err.print(f"[yellow]warning:[/] {exc}; nothing was written", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_USAGE)
    except Interrupted as exc:
        err.print(f"interrupted — {exc.kept} of {exc.total} documents kept; run the same command again "
                  "to resume", highlight=False, soft_wrap=True)
        raise typer.Exit(exc.exit_code)
    for w in summary.warnings:
        err.print(f"[yellow]warning:[/] {w}", highlight=False, soft_wrap=True)
    if not quiet:
        t = Table(title=f"extractor run → {out}")
        for col in ("documents", "ok", "partial", "error", "reused", "sections", "tasks", "references", "elapsed"):
            t.add_column(col, justify="right")
        t.add_row(*(str(getattr(summary, c)) for c in ("documents", "ok", "partial", "error", "reused",
                                                        "sections", "tasks", "references")),
                  f"{summary.elapsed:.1f} s")
        console.print(t)
        if summary.skipped:
            console.print(f"skipped {len(summary.skipped)} file(s) of unsupported type, e.g. {summary.skipped[0]}")
        if summary.error:
            console.print(f"[yellow]{summary.error} document(s) failed; see {out / 'errors.csv'}[/]")
    raise typer.Exit(EXIT_DOC_ERRORS if summary.error else 0)


@app.command()
def show(file: Path, html: Optional[Path] = typer.Option(None, "--html", help="write an annotated HTML page"),
         tasks: int = typer.Option(5, help="how many tasks to list"),
         as_json: bool = typer.Option(False, "--json", help="print the whole record as JSON")):
    """Print one document's extraction for a person checking it."""
    from .api import extract

    doc = extract(file)
    if as_json:
        console.print_json(doc.model_dump_json())
        return
    if html:
        from .annotate import write_html

        write_html(doc, html)
        console.print(f"wrote {html}")
    m = doc.meta
    console.rule(f"{doc.doc_id}  [{doc.status}]")
    for e in doc.errors:
        console.print(f"[red]{e.stage}[/]: {e.message}")
    info = Table(show_header=False, box=None)
    info.add_column(style="bold")
    info.add_column()
    for k, v in [("type", m.doc_type), ("number", m.number), ("issuer", " / ".join(m.issuer)),
                 ("place, date", f"{m.place or ''} {m.issued_date or ''}".strip()), ("title", m.title),
                 ("signer", " · ".join(x for x in (m.signer.authority, m.signer.position, m.signer.name) if x)),
                 ("recipients", "; ".join(m.recipients)), ("basis", ", ".join(m.basis)),
                 ("source", f"{doc.source.format}, {doc.source.encoding or ''}, pages={doc.source.pages}, "
                            f"ocr={doc.source.ocr}")]:
        info.add_row(k, str(v or "—"))
    console.print(info)
    if doc.sections:
        console.print("[bold]sections[/]")
        for s in doc.sections:
            console.print("  " * s.level + f"{s.number}. {s.title[:90]}")
    console.print(f"[bold]counts[/]: {len(doc.sections)} sections, {len(doc.tasks)} tasks, "
                  f"{len(doc.references)} references, {len(doc.deadlines)} prose deadlines")
    if doc.tasks:
        t = Table(title=f"first {min(tasks, len(doc.tasks))} tasks")
        for c in ("no", "content", "lead", "deadline"):
            t.add_column(c)
        for task in doc.tasks[:tasks]:
            d = task.deadline
            t.add_row(task.number or "", task.content[:70], task.lead or "",
                      f"{d.text} → {d.kind} {d.start or ''}..{d.end or ''} {d.recurrence or ''}")
        console.print(t)
    if doc.references:
        t = Table(title="references")
        for c in ("id", "kind", "date", "mentions", "first mention"):
            t.add_column(c)
        for r in doc.references[:15]:
            t.add_row(r.id, r.kind or "", r.issued_date or "", str(len(r.mentions)),
                      r.mentions[0].text[:60] if r.mentions else "")
        console.print(t)


@app.command("eval")
def eval_(pred: Path = typer.Argument(..., help="OUT/documents.jsonl"),
          gold: Path = typer.Option(Path("corpus/gold/seeds"), "--gold", help="directory of gold JSON"),
          verbose: bool = typer.Option(False, "--verbose"), as_json: bool = typer.Option(False, "--json")):
    """Score documents.jsonl against gold (the same figures as shared/eval/score.py)."""
    from . import evaluate

    evaluate.report(evaluate.score(evaluate.load_pred(pred), gold, verbose), as_json or verbose)


def _connect(dataset: Optional[Path]):
    import duckdb

    from .store import dataset_path

    try:
        return duckdb.connect(str(dataset_path(dataset)), read_only=True)
    except FileNotFoundError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2)


def _print_rows(cur, fmt: str = "table", title: Optional[str] = None) -> None:
    cols = [d[0] for d in cur.description]
    rows = cur.fetchall()
    if fmt == "json":
        print(json.dumps([dict(zip(cols, r)) for r in rows], ensure_ascii=False, default=str, indent=1))
    elif fmt == "csv":
        import csv

        w = csv.writer(sys.stdout)
        w.writerow(cols)
        w.writerows(rows)
    else:
        t = Table(title=title)
        for c in cols:
            t.add_column(c, overflow="fold")
        for r in rows:
            t.add_row(*("" if v is None else str(v) for v in r))
        console.print(t)


@app.command()
def query(sql: str, dataset: Optional[Path] = typer.Option(None, "--dataset", help="dataset dir (default ./dataset)"),
          format: str = typer.Option("table", "--format", help="table | csv | json")):
    """Run SQL over DATASET/dataset.duckdb (tables: documents, sections, tasks, references, mentions, deadlines, errors)."""
    import duckdb

    con = _connect(dataset)
    try:
        _print_rows(con.execute(sql), format)
    except duckdb.Error as exc:
        err.print(f"[red]SQL error:[/] {exc}")
        raise typer.Exit(2)


@app.command()
def cites(ref_id: str = typer.Argument(..., help="canonical id, e.g. 100-KL/TW"),
          dataset: Optional[Path] = typer.Option(None, "--dataset"),
          format: str = typer.Option("table", "--format")):
    """Who cites REF_ID, with the mention in context."""
    import re

    con = _connect(dataset)
    rid = re.sub(r"\s+", "", ref_id).replace("–", "-").replace("—", "-")
    cur = con.execute("""
        SELECT citing_doc, citing_number, citing_issuer, relation, mention, context
        FROM citations WHERE cited_id = ? ORDER BY citing_doc, start""", [rid])
    _print_rows(cur, format, title=f"documents citing {rid}")


@app.command()
def refs(top: int = typer.Option(20, "--top"), dataset: Optional[Path] = typer.Option(None, "--dataset"),
         format: str = typer.Option("table", "--format")):
    """The most cited documents."""
    con = _connect(dataset)
    _print_rows(con.execute("SELECT * FROM most_cited LIMIT ?", [top]), format, title=f"top {top} cited")


@app.command()
def schema(out: Optional[Path] = typer.Option(None, help="write instead of print")):
    """The JSON Schema of one documents.jsonl line."""
    from .model import json_schema

    if out:
        out.write_text(json_schema(), encoding="utf-8")
    else:
        print(json_schema(), end="")


@app.command()
def report(dataset: Path = typer.Argument(..., help="dataset dir (from `extractor run … --out DIR`)"),
           out: Optional[Path] = typer.Option(None, "--out", "-o", help="PNG dir (default DATASET/report)"),
           top: int = typer.Option(15, "--top", help="bars in the ranking charts"),
           plan: Optional[str] = typer.Option(None, "--plan", help="doc_id of the timeline's plan "
                                              "(default: the one with most dated tasks)")):
    """Save the notebooks' charts as PNG: most cited, citation network, workload, timeline."""
    import matplotlib

    matplotlib.use("Agg")
    from .report import save_report

    try:
        paths = save_report(dataset, out or dataset / "report", top=top, doc_id=plan)
    except (FileNotFoundError, LookupError) as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2)
    for p in paths:
        console.print(f"wrote {p}")


if __name__ == "__main__":
    app()
