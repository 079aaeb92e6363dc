"""`extractor` command line: run, show, eval, query, cites, refs, chains, serve, report."""
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
err = Console(stderr=True, soft_wrap=True)  # an error is one line, however long

EXIT_DOC_ERRORS = 3  # the run finished but some documents could not be read
EXIT_USAGE = 2       # bad options, an unusable --out, nothing to extract, a failed write


class _Verbosity:
    """Set by the global --quiet/--verbose (and run's own); read by the commands."""
    quiet = False
    verbose = False


def _version(value: bool) -> None:
    if value:
        from . import __version__

        print(f"extractor {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                      help="print the version and exit"),
         quiet: bool = typer.Option(False, "--quiet", "-q", help="print only errors"),
         verbose: bool = typer.Option(False, "--verbose", "-v",
                                      help="more detail (and the Ray engine's own log lines)")):
    """Turn official Vietnamese Party documents into data."""
    _Verbosity.quiet, _Verbosity.verbose = quiet, verbose


SUMMARY_COLUMNS = {  # header (short, so the table fits 80 columns) → RunSummary field
    "docs": "documents", "ok": "ok", "partial": "partial", "error": "error", "reused": "reused",
    "sections": "sections", "tasks": "tasks", "refs": "references"}


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
        password: Optional[str] = typer.Option(None, envvar="EXTRACTOR_PDF_PASSWORD", show_envvar=True,
                                               help="password for encrypted PDFs (better through the "
                                                    "environment: a command line shows in `ps`)"),
        ocr: str = typer.Option("auto", help="auto | always | never"),
        ocr_dpi: int = typer.Option(300, "--ocr-dpi", help="resolution PDF pages are rendered at for OCR"),
        force: bool = typer.Option(False, "--force", help="extract every document again, ignoring the cache"),
        retry_errors: bool = typer.Option(False, "--retry-errors",
                                          help="extract again the documents whose cached record is an error"),
        follow_symlinks: bool = typer.Option(False, "--follow-symlinks",
                                             help="read links inside input folders that point outside them"),
        engine: str = typer.Option("local", help="local | ray"),
        address: Optional[str] = typer.Option(None, help="Ray cluster address (with --engine ray)"),
        exclude: List[str] = typer.Option([], "--exclude", metavar="GLOB",
                                          help="files that are not documents, as in .extractorignore "
                                               "(a path under the folder or a file name; 'dir/'); repeatable"),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress and no summary"),
        verbose: bool = typer.Option(False, "--verbose", "-v", help="also the Ray engine's own log lines")):
    """Extract every document under PATHS into OUT (documents.jsonl, tables, dataset.duckdb).

    Exit codes: 0 all documents read, 3 some got an error record, 2 nothing was done or the
    output could not be written (one line says why), 130 interrupted (Ctrl-C), 143 stopped by
    SIGTERM or SIGHUP; an interrupted run resumes when the same command is run again."""
    # long: a typer command: its signature declares the ~25 options (30 lines), the body is a flat
    # sequence of option checks, the run and its summary
    from .api import run as run_api
    from .batch.lock import OutputError
    from .batch.run import Interrupted, NoInputs

    quiet, verbose = quiet or _Verbosity.quiet, verbose or _Verbosity.verbose
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
    # progress: a bar on a terminal, a line every few seconds on stderr otherwise
    try:
        summary = run_api(paths, out, settings=settings, engine=engine, address=address,
                          progress=not quiet, exclude=exclude, verbose=verbose, force=force,
                          retry_errors=retry_errors, follow_symlinks=follow_symlinks)
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
        for col in (*SUMMARY_COLUMNS, "time"):
            t.add_column(col, justify="right")
        t.add_row(*(str(getattr(summary, f)) for f in SUMMARY_COLUMNS.values()), f"{summary.elapsed:.1f} s")
        console.print(t)
        if summary.skipped:
            console.print(f"skipped {len(summary.skipped)} file(s) of unsupported type, e.g. {summary.skipped[0]}")
        if summary.no_header:
            console.print(f"{len(summary.no_header)} input(s) had no Party/state header at all (no issuer, number, "
                          f"type or date), e.g. {summary.no_header[0]}; if they are notes, leave them out with "
                          f"--exclude GLOB or a .extractorignore file", highlight=False)
        if summary.error:
            console.print(f"[yellow]{summary.error} document(s) failed; see {out / 'errors.csv'}[/]")
    raise typer.Exit(EXIT_DOC_ERRORS if summary.error else 0)


@app.command()
def show(file: Path, html: Optional[Path] = typer.Option(None, "--html", help="write an annotated HTML page"),
         tasks: int = typer.Option(5, help="how many tasks to list"),
         format: str = typer.Option("table", "--format", "-f",
                                    help="table (for reading) | json (the whole record) | jsonl (one line) | "
                                         "csv (its row of documents.csv)"),
         as_json: bool = typer.Option(False, "--json", hidden=True, help="the same as --format json")):
    """Print one document's extraction for a person checking it (exit 3 if it could not be read)."""
    from .api import extract

    fmt = "json" if as_json else _format(format)
    if not file.exists():
        err.print(f"error: {file} does not exist", highlight=False, markup=False)
        raise typer.Exit(2)
    doc = extract(file)
    failed = EXIT_DOC_ERRORS if doc.status == "error" else 0
    if fmt != "table":
        _print_record(doc, fmt)
        for e in doc.errors if failed else []:
            err.print(f"error: {file}: {e.stage}: {e.message}", highlight=False, markup=False)
        raise typer.Exit(failed)
    if html:
        from .annotate import write_html

        write_html(doc, html)
        console.print(f"wrote {html}")
    _print_reading(doc, tasks)
    if failed:
        err.print(f"error: {file} could not be read (status error)", highlight=False, markup=False)
    raise typer.Exit(failed)


def _print_record(doc, fmt: str) -> None:
    """The whole record as json or jsonl, or its row of documents.csv."""
    from .listing import print_rows

    record = json.loads(doc.model_dump_json())
    if fmt == "json":
        print(json.dumps(record, ensure_ascii=False, indent=1))
    elif fmt == "jsonl":
        print(json.dumps(record, ensure_ascii=False))
    else:
        from .store import rows_of

        row = rows_of(record)["documents"][0]
        print_rows(list(row), [list(row.values())], "csv")


def _print_reading(doc, tasks: int) -> None:
    """The record laid out for a person checking it: meta, sections, counts, the first tasks, references."""
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
def eval_(pred: List[Path] = typer.Argument(..., help="OUT/documents.jsonl (several runs: give each)"),
          gold: List[Path] = typer.Option([Path("corpus/gold/seeds")], "--gold",
                                          help="directory of gold JSON; repeat it to score several gold sets "
                                               "(e.g. --gold corpus/gold/seeds --gold ../shared/gold/real)"),
          verbose: bool = typer.Option(False, "--verbose"), as_json: bool = typer.Option(False, "--json")):
    """Score documents.jsonl against gold (the same figures as shared/eval/score.py): one report per
    gold set and, with several, a last line over all of them together."""
    import tempfile

    from . import evaluate

    for g in gold:
        if not g.is_dir():
            err.print(f"[red]error:[/] --gold {g} is not a directory of gold JSON files", highlight=False)
            raise typer.Exit(2)
    docs: dict = {}
    for p in pred:
        if not p.is_file():
            err.print(f"[red]error:[/] {p} does not exist (the documents.jsonl of an `extractor run`)",
                      highlight=False)
            raise typer.Exit(2)
        for k, v in evaluate.load_pred(p).items():
            docs.setdefault(k, v)
    results = []
    for g in gold:
        if len(gold) > 1 and not as_json:
            print(f"== {g}")
        r = evaluate.score(docs, g, verbose)
        results.append((g, r))
        evaluate.report(r, as_json or verbose)
    if len(gold) > 1:
        with tempfile.TemporaryDirectory() as together:  # every gold file in one place: the figures over all
            for g in gold:
                for f in g.glob("*.json"):
                    (Path(together) / f.name).symlink_to(f.resolve())
            r = evaluate.score(docs, Path(together), False)
        print(f"== all {len(gold)} gold sets together")
        print(evaluate.headline(r))


def _connect(dataset: Optional[Path]):
    import duckdb

    from .store import dataset_path

    try:
        return duckdb.connect(str(dataset_path(dataset)), read_only=True)
    except FileNotFoundError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2)


FORMAT_HELP = "table | csv | json | jsonl (default: table on a terminal, csv in a pipe or file)"


def _format(fmt: Optional[str]) -> str:
    from .listing import FormatError, choose_format

    try:
        return choose_format(fmt)
    except FormatError as exc:
        err.print(f"error: {exc}", highlight=False)
        raise typer.Exit(2)


def _print_rows(cur, fmt: str = "table", title: Optional[str] = None) -> None:
    from .listing import print_rows

    print_rows([d[0] for d in cur.description], cur.fetchall(), fmt, title=title, console=console)


@app.command()
def query(sql: str, dataset: Optional[Path] = typer.Option(None, "--dataset", help="dataset dir (default ./dataset)"),
          format: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP)):
    """Run SQL over DATASET/dataset.duckdb (tables: documents, sections, tasks, references, mentions, deadlines, errors)."""
    import duckdb

    fmt = _format(format)
    con = _connect(dataset)
    try:
        _print_rows(con.execute(sql), fmt)
    except duckdb.Error as exc:
        err.print(f"[red]SQL error:[/] {exc}")
        raise typer.Exit(2)


RELATIONS = ("implements", "reviews", "replaces", "mentions")


def _norm_id(ref_id: str) -> str:
    """An id as typed: case, white space and the kind of dash do not matter ("57-nq/tw")."""
    import re
    import unicodedata

    return re.sub(r"[\s]+", "", re.sub(r"[\u2010-\u2015\u2212]", "-", unicodedata.normalize("NFC", ref_id))).upper()


@app.command()
def cites(ref_id: str = typer.Argument(..., help="canonical id, e.g. 100-KL/TW (case and dashes do not matter)"),
          dataset: Optional[Path] = typer.Option(None, "--dataset"),
          contexts: bool = typer.Option(False, "--contexts", help="one row per mention, with its sentence"),
          relation: Optional[str] = typer.Option(None, "--relation", help=" | ".join(RELATIONS)),
          format: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP)):
    """Who cites REF_ID: one row per citing document (relation = the strongest of its mentions:
    implements > replaces > reviews > mentions), or every mention in context with --contexts."""
    import difflib

    fmt = _format(format)
    if relation is not None and relation not in RELATIONS:
        err.print(f"error: --relation must be one of {', '.join(RELATIONS)}, not {relation!r}", highlight=False)
        raise typer.Exit(2)
    con = _connect(dataset)
    known: dict[str, list[str]] = {}
    for (rid,) in con.execute('SELECT DISTINCT ref_id FROM "references"').fetchall():
        known.setdefault(_norm_id(rid), []).append(rid)
    ids = known.get(_norm_id(ref_id), [])
    if not ids:
        close = difflib.get_close_matches(_norm_id(ref_id), list(known), n=3)
        hint = f" (close: {', '.join(known[c][0] for c in close)})" if close else ""
        err.print(f"no document in the dataset cites {ref_id}{hint}", highlight=False, markup=False)
        raise typer.Exit(0)
    marks = ", ".join("?" * len(ids))
    if contexts:
        cur = con.execute(f"""
            SELECT citing_doc AS document, citing_number AS number, coalesce(relation, 'mentions') AS relation,
                   section, page, mention, context
            FROM citations WHERE cited_id IN ({marks}) AND (? IS NULL OR coalesce(relation, 'mentions') = ?)
            ORDER BY citing_doc, start""", [*ids, relation, relation])
    else:
        cur = con.execute(f"""
            SELECT r.doc_id AS document, d.number, d.issuer, d.issued_date AS date, r.relation,
                   r.n_mentions AS mentions
            FROM "references" r JOIN documents d USING (doc_id)
            WHERE r.ref_id IN ({marks}) AND (? IS NULL OR r.relation = ?)
            ORDER BY r.doc_id""", [*ids, relation, relation])
    _print_rows(cur, fmt, title=f"documents citing {' / '.join(ids)}")


@app.command()
def refs(top: int = typer.Option(20, "--top"), dataset: Optional[Path] = typer.Option(None, "--dataset"),
         format: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP)):
    """The most cited documents."""
    fmt = _format(format)
    con = _connect(dataset)
    _print_rows(con.execute("SELECT * FROM most_cited LIMIT ?", [top]), fmt, title=f"top {top} cited")


@app.command()
def chains(ident: str = typer.Argument(..., help="a directive (57-NQ/TW, 104-CTr/TU@Lào Cai) or a document "
                                                "(its number or doc_id)"),
           up: bool = typer.Option(False, "--up", help="the chain above: what IDENT implements, and so on"),
           down: bool = typer.Option(False, "--down", help="the tree below: who implements IDENT (default)"),
           format: Optional[str] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
           dataset: Optional[Path] = typer.Option(None, "--dataset", help="dataset dir (default ./dataset)")):
    """The implementation tree below a directive, or the chain above a document, with each node's
    number, issuer, date and the deadlines its tasks set."""
    if up and down:
        err.print("[red]error:[/] give --up or --down, not both")
        raise typer.Exit(2)
    fmt = _format(format)
    from . import chains as ch

    con = _connect(dataset)
    try:
        roots = ch.chains(con, ident, up=up)
    except ch.NotFound as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1)
    finally:
        con.close()
    _print_chains(roots, up, fmt)


def _print_chains(roots, up: bool, fmt: str) -> None:
    from . import chains as ch
    from .listing import print_rows

    if fmt != "table":
        rows = ch.rows(roots, up=up)
        cols = list(rows[0]) if rows else ["root"]
        print_rows(cols, [[r.get(c) for c in cols] for r in rows], fmt)
    else:
        for root in roots:
            console.rule(f"{'chain above' if up else 'implementation tree below'} {root.qualified_id or root.number}")
            for p in ch.paths(root, up=up):
                console.print(ch.path_text(p), highlight=False)
            t = Table()
            for c in ("node", "qualified id", "issuer", "date", "tasks", "deadlines set by its tasks"):
                t.add_column(c, overflow="fold")
            for depth, _, n in ch.walk(root):
                dl = ", ".join(f"{d} ({c})" for d, c in n.deadlines[:6]) + (" …" if len(n.deadlines) > 6 else "")
                t.add_row(("  " * depth + ("↑ " if up and depth else "└ " if depth else "")) + n.number
                          + (" (cycle)" if n.cycle else ""), n.qualified_id or n.doc_id or "", n.issuer or "",
                          n.issued_date or "", str(n.n_tasks), dl)
            console.print(t)


@app.command()
def serve(dataset: Path = typer.Argument(..., help="dataset dir (from `extractor run … --out DIR`)"),
          port: int = typer.Option(8000, "--port", help="TCP port"),
          host: str = typer.Option("127.0.0.1", "--host", help="address to bind (default: this machine only)")):
    """A local, read-only web explorer of DATASET: documents, directives and their chains, tasks, units."""
    try:
        from .serve.app import serve as run_server
    except ImportError as exc:  # the web extra is optional
        err.print(f"[red]error:[/] {exc.name} is not installed: pip install 'vn-party-extractor[web]'")
        raise typer.Exit(2)
    from .store import dataset_path

    try:
        dataset_path(dataset)
    except FileNotFoundError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2)
    console.print(f"serving {dataset} read-only on http://{host}:{port}/  (Ctrl-C stops)")
    run_server(dataset, host=host, port=port)


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
