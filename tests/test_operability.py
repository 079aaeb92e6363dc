"""Operable by a stranger (issue 14): install on a distribution Python, output readable at a
terminal and parseable in a pipe, errors that say what to do, quiet Ray, a small Python API.

The CLI tests run the real command in a subprocess, with stdout a pipe and, where the default
depends on it, a pseudo-terminal of 80 columns."""
from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import pty
import re
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, SEEDS

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.update(extra)
    return env


def cli(*args, env=None, timeout=300) -> subprocess.CompletedProcess:
    """The command with stdout and stderr pipes (as in a script or a CI log)."""
    return subprocess.run([sys.executable, "-m", "extractor", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, env=env or _env(), timeout=timeout)


def cli_tty(*args, cols: int = 80) -> tuple[int, str, str]:
    """The command with stdout on a pseudo-terminal of `cols` columns; (exit, screen text, stderr)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, cols, 0, 0))
    p = subprocess.Popen([sys.executable, "-m", "extractor", *map(str, args)], cwd=ROOT, stdin=slave, stdout=slave,
                         stderr=subprocess.PIPE, env=_env(TERM="xterm-256color"))
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    err = p.stderr.read().decode()
    p.wait(timeout=60)
    return p.returncode, ANSI.sub("", b"".join(chunks).decode()).replace("\r", ""), err


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    from extractor.api import run

    out = tmp_path_factory.mktemp("ops") / "dataset"
    run([SEEDS], out)
    return out


# ---------------------------------------------------------------- install

def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text[text.index("## The two commands"):text.index("## Command line")]
    return [ln for ln in block.splitlines() if ln.startswith("bash scripts/install.sh")]


def test_readme_commands_use_the_project_venv_and_ci_runs_command_b():
    a, b = _readme_commands()
    assert a == "bash scripts/install.sh && .venv/bin/extractor run corpus/ --out dataset"
    assert b == "bash scripts/install.sh --dev && .venv/bin/python -m pytest"
    ci = [ln for ln in (ROOT / ".ci" / "run").read_text().splitlines() if ln and not ln.startswith(("#", "set ", "cd "))]
    assert ci == [b]
    assert ".venv/" in (ROOT / ".gitignore").read_text().split()


def test_install_script_never_pip_installs_into_the_system_python():
    script = (ROOT / "scripts" / "install.sh").read_text()
    # every pip runs in .venv; python3-venv is installed when `python3 -m venv` cannot work
    assert not re.search(r"(^|\s)python3 -m pip", script)
    assert '-m venv "$venv"' in script and "python3-venv" in script
    assert re.search(r'"\$py" -m pip install -q -e "\.\[all\]"', script)
    assert "--user" not in script  # the notebook kernel lives in .venv, not in the user's home
    assert subprocess.run(["bash", "-n", str(ROOT / "scripts" / "install.sh")]).returncode == 0


def test_subprocess_tests_start_this_interpreter():
    """So that `.venv/bin/python -m pytest` tests the .venv: no test starts a bare python3 or extractor."""
    bad = []
    for p in (ROOT / "tests").glob("*.py"):
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"""\[\s*["'](python3?|extractor)["']\s*,""", line):
                bad.append(f"{p.name}:{n}: {line.strip()}")
    assert not bad, bad


# ---------------------------------------------------------------- version, formats

def test_version():
    from extractor import __version__

    p = cli("--version")
    assert p.returncode == 0 and p.stdout.strip() == f"extractor {__version__}"


@pytest.mark.parametrize("args", [["query", "SELECT 1"], ["cites", "05-CT/TW"], ["refs"],
                                  ["show", SEEDS / "003_9436b12227dc88d7.txt"]])
def test_an_unknown_format_is_a_one_line_error(args, dataset):
    extra = [] if args[0] == "show" else ["--dataset", dataset]
    p = cli(*args, *extra, "--format", "yaml")
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr.count("\n") == 1 and "--format" in p.stderr and "yaml" in p.stderr, p.stderr
    assert all(f in p.stderr for f in ("table", "csv", "json", "jsonl"))


def test_every_listing_format(dataset):
    sql = "SELECT doc_id, n_tasks FROM documents ORDER BY doc_id"
    as_json = json.loads(cli("query", sql, "--dataset", dataset, "--format", "json").stdout)
    assert [r["doc_id"] for r in as_json] == [p.stem for p in sorted(SEEDS.glob("*.txt"))]
    lines = cli("query", sql, "--dataset", dataset, "--format", "jsonl").stdout.splitlines()
    assert [json.loads(x) for x in lines] == as_json
    rows = list(csv.reader(io.StringIO(cli("query", sql, "--dataset", dataset, "--format", "csv").stdout)))
    assert rows[0] == ["doc_id", "n_tasks"] and [[r[0], int(r[1])] for r in rows[1:]] == \
        [[r["doc_id"], r["n_tasks"]] for r in as_json]


def test_a_pipe_gets_csv_and_a_terminal_a_table(dataset):
    sql = "SELECT doc_id, n_tasks FROM documents ORDER BY doc_id"
    piped = cli("query", sql, "--dataset", dataset)
    assert piped.returncode == 0
    assert piped.stdout.splitlines()[0] == "doc_id,n_tasks" and not re.search("[│┃─━]", piped.stdout)
    code, screen, _ = cli_tty("query", sql, "--dataset", dataset)
    assert code == 0 and "┃ doc_id" in screen and "│ 000_414db2619537fa48" in screen, screen


def test_a_wide_table_stays_readable_on_an_80_column_terminal(dataset):
    """25 columns do not fit: every column name and value is shown in full, no line is wider
    than the terminal (today: columns squeezed to zero width)."""
    code, screen, err = cli_tty("query", "SELECT * FROM task_deadlines ORDER BY doc_id, task_id LIMIT 3",
                                "--dataset", dataset)
    assert code == 0, err
    cols = [d[0] for d in duckdb.connect(str(dataset / "dataset.duckdb"), read_only=True).execute(
        "SELECT * FROM task_deadlines LIMIT 0").description]
    assert len(cols) > 20
    names = {ln.split()[0] for ln in screen.splitlines() if ln.strip()}
    assert set(cols) <= names, set(cols) - names
    assert max(len(ln) for ln in screen.splitlines()) <= 80


def test_long_cells_are_cut_in_a_table_that_fits(dataset):
    code, screen, _ = cli_tty("query", "SELECT task_id, content FROM tasks ORDER BY doc_id, task_id LIMIT 3",
                              "--dataset", dataset)
    assert code == 0
    rows = [ln for ln in screen.splitlines() if ln.startswith("│")]
    assert len(rows) == 3 and all("…" in r for r in rows)  # one line per row, the long content cut
    assert max(len(ln) for ln in screen.splitlines()) <= 80


# ---------------------------------------------------------------- cites

def _citing(dataset: Path, ref: str) -> dict[str, int]:
    con = duckdb.connect(str(dataset / "dataset.duckdb"), read_only=True)
    return dict(con.execute("SELECT citing_doc, count(*) FROM citations WHERE cited_id = ? GROUP BY 1",
                            [ref]).fetchall())


def test_cites_gives_one_row_per_citing_document(dataset):
    p = cli("cites", "05-CT/TW", "--dataset", dataset, "--format", "json")
    rows = json.loads(p.stdout)
    assert list(rows[0]) == ["document", "number", "issuer", "date", "relation", "mentions"]
    assert {r["document"]: r["mentions"] for r in rows} == _citing(dataset, "05-CT/TW")
    assert len(rows) == 3 and all(r["relation"] in ("implements", "reviews", "replaces", "mentions") for r in rows)


def test_cites_contexts_gives_every_mention_with_its_sentence(dataset):
    rows = [json.loads(x) for x in cli("cites", "05-CT/TW", "--dataset", dataset, "--contexts",
                                       "--format", "jsonl").stdout.splitlines()]
    assert len(rows) == sum(_citing(dataset, "05-CT/TW").values())
    assert all(r["mention"] and r["context"] and r["document"] for r in rows)
    assert list(rows[0]) == ["document", "number", "relation", "section", "page", "mention", "context"]


@pytest.mark.parametrize("typed", ["05-ct/tw", "05–CT/TW", " 05 - CT / TW "])
def test_cites_matches_ids_whatever_the_case_and_dashes(typed, dataset):
    rows = json.loads(cli("cites", typed, "--dataset", dataset, "--format", "json").stdout)
    assert {r["document"] for r in rows} == set(_citing(dataset, "05-CT/TW"))


def test_cites_filters_by_relation(dataset):
    con = duckdb.connect(str(dataset / "dataset.duckdb"), read_only=True)
    ref, rel, n = con.execute("""SELECT ref_id, relation, count(*) FROM "references" WHERE relation <> 'mentions'
                                 GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT 1""").fetchone()
    rows = json.loads(cli("cites", ref, "--dataset", dataset, "--relation", rel, "--format", "json").stdout)
    assert len(rows) == n and {r["relation"] for r in rows} == {rel}
    others = json.loads(cli("cites", ref, "--dataset", dataset, "--format", "json").stdout)
    assert len(others) >= n
    bad = cli("cites", ref, "--dataset", dataset, "--relation", "cites")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "implements" in bad.stderr


def test_an_id_nobody_cites_says_so(dataset):
    p = cli("cites", "999-NQ/TW", "--dataset", dataset)
    assert p.returncode == 0 and p.stdout == ""
    assert "999-NQ/TW" in p.stderr and "no document" in p.stderr


def test_refs_formats(dataset):
    rows = [json.loads(x) for x in cli("refs", "--top", "3", "--dataset", dataset, "--format", "jsonl").stdout.splitlines()]
    assert len(rows) == 3 and rows[0]["citing_documents"] >= rows[-1]["citing_documents"]


# ---------------------------------------------------------------- show

def test_show_formats_and_a_failed_file_exits_non_zero(tmp_path):
    seed = SEEDS / "003_9436b12227dc88d7.txt"
    rec = json.loads(cli("show", seed, "--format", "json").stdout)
    assert rec["doc_id"] == seed.stem and rec["tasks"]
    line = cli("show", seed, "--format", "jsonl").stdout
    assert line.count("\n") == 1 and json.loads(line) == rec
    rows = list(csv.DictReader(io.StringIO(cli("show", seed, "--format", "csv").stdout)))
    assert len(rows) == 1 and rows[0]["doc_id"] == seed.stem and int(rows[0]["n_tasks"]) == len(rec["tasks"])
    assert json.loads(cli("show", seed, "--json").stdout) == rec  # the old flag still works

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    for args in ([], ["--format", "json"]):
        p = cli("show", empty, *args)
        assert p.returncode == 3, (args, p.stdout, p.stderr)
        assert "empty" in p.stderr or "could not be read" in p.stderr
    missing = cli("show", tmp_path / "nowhere.txt")
    assert missing.returncode == 2 and "does not exist" in missing.stderr


# ---------------------------------------------------------------- run

@pytest.fixture(scope="module")
def corpus_with_notes(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("notes") / "corpus"
    d.mkdir()
    for p in sorted(SEEDS.glob("*.txt"))[2:4]:
        shutil.copy(p, d / p.name)
    (d / "README.md").write_text("# About this folder\n\nThe files here were collected by hand.\n"
                                 "Run the extractor over them.\n", encoding="utf-8")
    (d / "notes").mkdir()
    (d / "notes" / "todo.txt").write_text("check the dates\n", encoding="utf-8")
    return d


def test_run_in_a_pipe_reports_progress_and_the_inputs_without_a_header(corpus_with_notes, tmp_path):
    p = cli("run", corpus_with_notes, "--out", tmp_path / "out", "--workers", "1",
            env=_env(EXTRACTOR_PROGRESS_SECONDS="0"))
    assert p.returncode == 0, p.stderr
    progress = [ln for ln in p.stderr.splitlines() if ln.startswith("extracting:")]
    assert progress and progress[-1].startswith("extracting: 4/4 documents"), p.stderr
    assert "2 input(s) had no Party/state header" in p.stdout and "--exclude" in p.stdout, p.stdout
    # the summary fits 80 columns, its headers unabridged
    table = [ln for ln in p.stdout.splitlines() if ln[:1] in "┏┃┡│└"]
    assert max(len(ln) for ln in table) <= 80
    header = [c.strip() for c in table[1].strip("┃").split("┃")]
    assert header == ["docs", "ok", "partial", "error", "reused", "sections", "tasks", "refs", "time"]


def test_exclude_leaves_notes_out(corpus_with_notes, tmp_path):
    out = tmp_path / "out"
    p = cli("run", corpus_with_notes, "--out", out, "--workers", "1", "--exclude", "README.md",
            "--exclude", "notes/")
    assert p.returncode == 0, p.stderr
    ids = [json.loads(x)["doc_id"] for x in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    assert ids == [p.stem for p in sorted(SEEDS.glob("*.txt"))[2:4]]
    assert "header" not in p.stdout


def test_exclude_in_the_inputs_listing(tmp_path):
    from extractor.batch import iter_inputs

    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "NOTES.md").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("x")
    (tmp_path / "sub" / "b.notes.md").write_text("x")
    names = lambda **kw: [p.relative_to(tmp_path).as_posix() for p, _ in iter_inputs([tmp_path], **kw)]  # noqa: E731
    assert names() == ["NOTES.md", "a.txt", "sub/b.notes.md", "sub/b.txt"]
    assert names(exclude=["*.md"]) == ["a.txt", "sub/b.txt"]
    assert names(exclude=["sub/"]) == ["NOTES.md", "a.txt"]
    assert [p.name for p, _ in iter_inputs([tmp_path / "NOTES.md", tmp_path / "a.txt"], exclude=["NOTES.md"])] == \
        ["a.txt"]


@pytest.mark.parametrize("where", ["global", "run"])
def test_quiet_prints_nothing(where, tmp_path):
    seed = SEEDS / "003_9436b12227dc88d7.txt"
    args = ["--quiet", "run", seed] if where == "global" else ["run", seed, "--quiet"]
    p = cli(*args, "--out", tmp_path / "out", "--workers", "1", env=_env(EXTRACTOR_PROGRESS_SECONDS="0"))
    assert p.returncode == 0 and p.stdout == "" and p.stderr == "", (p.stdout, p.stderr)
    assert (tmp_path / "out" / "documents.jsonl").exists()


def test_pdf_password_from_the_environment(tmp_path):
    from fixtures.render import to_pdf

    pdf = tmp_path / "locked.pdf"
    pdf.write_bytes(to_pdf("KẾ HOẠCH\nCông tác tuyên giáo năm 2024\n\nNội dung.", password="mật-khẩu"))
    locked = cli("run", pdf, "--out", tmp_path / "a", "--workers", "1", "-q")
    rec = json.loads((tmp_path / "a" / "documents.jsonl").read_text(encoding="utf-8"))
    assert locked.returncode == 3 and rec["status"] == "error" and "EXTRACTOR_PDF_PASSWORD" in rec["errors"][0]["message"]
    p = cli("run", pdf, "--out", tmp_path / "b", "--workers", "1", "-q", env=_env(EXTRACTOR_PDF_PASSWORD="mật-khẩu"))
    rec = json.loads((tmp_path / "b" / "documents.jsonl").read_text(encoding="utf-8"))
    assert p.returncode == 0 and rec["status"] in ("ok", "partial") and "Công tác tuyên giáo" in rec["text"]
    assert "EXTRACTOR_PDF_PASSWORD" in cli("run", "--help", env=_env(COLUMNS="200")).stdout


@pytest.mark.slow
def test_a_successful_local_ray_run_prints_no_ray_lines(tmp_path):
    pytest.importorskip("ray")
    seeds = sorted(SEEDS.glob("*.txt"))[:2]
    p = cli("run", *seeds, "--out", tmp_path / "ray", "--engine", "ray", "--workers", "1")
    assert p.returncode == 0, p.stderr
    noise = [ln for ln in p.stderr.splitlines() if ln.strip() and not ln.startswith("extracting:")]
    assert not noise, noise
    assert "2/2 documents" in p.stderr


# ---------------------------------------------------------------- dataset types

def test_deadlines_have_date_columns(dataset):
    con = duckdb.connect(str(dataset / "dataset.duckdb"), read_only=True)
    types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                             "WHERE table_name = 'deadlines'").fetchall())
    assert types["due_start"] == "DATE" and types["due_end"] == "DATE"
    assert types["start_date"] == "VARCHAR"  # the ISO text stays, as in the CSV and Parquet
    bad = con.execute("SELECT count(*) FROM deadlines WHERE start_date IS NOT NULL AND "
                      "CAST(due_start AS VARCHAR) <> start_date").fetchone()[0]
    assert bad == 0
    n = con.execute("SELECT count(*) FROM deadlines WHERE due_end BETWEEN DATE '2000-01-01' AND DATE '2100-01-01'"
                    ).fetchone()[0]
    assert n > 0


def test_task_numbers_stay_strings_for_readers_that_infer_types(dataset):
    import pandas as pd
    import pyarrow.parquet as pq

    assert str(pq.read_schema(dataset / "tasks.parquet").field("number").type) == "string"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    hint = re.search(r"pd\.read_csv\([^)]*tasks\.csv[^)]*\)", readme)
    assert hint, "the README says how to read tasks.csv with number as text"
    df = eval(hint.group(0).replace("DIR/", str(dataset) + "/"), {"pd": pd})  # the README's own line
    assert df["number"].dropna().map(type).eq(str).all()
    assert list(df["number"].head(3)) == ["1", "2", "3"]


# ---------------------------------------------------------------- report

def test_timeline_date_labels_do_not_overlap():
    """Five years of monthly deadlines: the tick labels are spaced by matplotlib's locator."""
    import matplotlib

    matplotlib.use("Agg")
    from datetime import date

    import pandas as pd

    from extractor.report import plot_timeline

    rows = []
    for i in range(60):
        y, m = 2021 + i // 12, 1 + i % 12
        rows.append(["plan", f"t{i}", str(i + 1), None, f"task {i}", "Ban Tuyên giáo", f"Tháng {m}/{y}",
                     "period", date(y, m, 1), date(y, m, 28), False])
    df = pd.DataFrame(rows, columns=["doc_id", "task_id", "number", "group", "content", "lead", "deadline",
                                     "kind", "start", "end", "part"])
    fig = plot_timeline(df)
    fig.canvas.draw()
    ax = fig.axes[0]
    boxes = [t.get_window_extent() for t in ax.get_xticklabels() if t.get_text()]
    assert 3 <= len(boxes) <= 12
    boxes.sort(key=lambda b: b.x0)
    assert all(a.x1 < b.x0 for a, b in zip(boxes, boxes[1:])), "overlapping date labels"
    assert any(re.fullmatch(r"20\d\d", t.get_text()) for t in ax.get_xticklabels())


# ---------------------------------------------------------------- Python API

def test_document_repr_is_short_and_says_what_it_holds():
    import extractor

    doc = extractor.extract(SEEDS / "002_3b8fe34c36ceecd9.txt")
    r = repr(doc)
    assert len(doc.text) > 10_000 and len(r) < 300 and len(str(doc)) < 300
    assert r.startswith("Document(doc_id='002_3b8fe34c36ceecd9', status='ok'")
    assert f"text=<{len(doc.text)} chars>" in r and f"tasks={len(doc.tasks)}" in r


def test_public_names_have_docstrings_and_are_listed():
    import extractor

    assert set(extractor.__all__) <= set(dir(extractor))
    assert "Settings" in extractor.__all__
    for name in ("extract", "extract_text", "run", "nlp", "Document", "Deadline"):
        assert name in extractor.__all__
        assert (getattr(extractor, name).__doc__ or "").strip(), name
    assert "Deadline" in extractor.Deadline.__doc__ or "deadline" in extractor.Deadline.__doc__
