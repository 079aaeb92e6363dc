"""Implementation chains (extractor/chains.py, `extractor chains`) on a dataset built from the real
documents of ../shared/corpus-real, and on a synthetic pair of provinces that share local numbers."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from extractor import chains as ch
from extractor.store import write_dataset

from conftest import ROOT

@pytest.fixture(scope="module")
def real(chain_dataset) -> Path:
    return chain_dataset


def _con(ds: Path):
    return duckdb.connect(str(ds / "dataset.duckdb"), read_only=True)


def _cli(*args: str) -> str:
    r = subprocess.run([sys.executable, "-m", "extractor", "chains", *args], capture_output=True, text=True,
                       cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "COLUMNS": "200"})
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_the_environmental_chain_down_from_the_conclusion(real):
    con = _con(real)
    [root] = ch.chains(con, "75-KL/TW")
    texts = [ch.path_text(p) for p in ch.paths(root)]
    assert "75-KL/TW → 31-CTr/TW → 104-CTr/TU → 2449-CV/ĐU" in texts
    # every node below is a document of the dataset that implements its parent
    for depth, parent, n in ch.walk(root):
        if parent is not None:
            assert n.doc_id
            assert con.execute("""SELECT count(*) FROM lineage WHERE citing_doc = ? AND cited_directive_id = ?
                                  AND (relation = 'implements' OR in_basis)""",
                               [n.doc_id, parent.directive_id]).fetchone()[0] > 0


def test_the_chain_above_the_provincial_letter(real):
    [root] = ch.chains(_con(real), "2449-CV/ĐU", up=True)
    assert root.qualified_id == "2449-CV/ĐU@Lào Cai"
    assert "75-KL/TW → 31-CTr/TW → 104-CTr/TU → 2449-CV/ĐU" in [ch.path_text(p) for p in ch.paths(root, up=True)]


def test_57_and_its_implementing_plans(real):
    con = _con(real)
    [root] = ch.chains(con, "57-NQ/TW")
    below = {n.number for n in root.children}
    assert {"3260-KH/ĐĐQH15", "03/NQ-CP", "11-KH/BCĐ"} <= below
    expected = {r[0] for r in con.execute("""SELECT DISTINCT d.number FROM "references" r JOIN documents d USING (doc_id)
                                             WHERE r.ref_id = '57-NQ/TW' AND (r.relation = 'implements' OR r.in_basis)
                                             AND d.number IS NOT NULL""").fetchall()}
    assert below == expected
    plan = next(n for n in root.children if n.number == "03/NQ-CP")
    tasks = con.execute("SELECT count(*) FROM tasks WHERE doc_id = ?", [plan.doc_id]).fetchone()[0]
    assert plan.n_tasks == tasks > 0 and plan.deadlines    # the Government's programme sets dated tasks
    assert sum(c for _, c in plan.deadlines) == con.execute(
        "SELECT count(*) FROM tasks WHERE doc_id = ? AND coalesce(deadline_end, deadline_start) IS NOT NULL",
        [plan.doc_id]).fetchone()[0]


def test_cli_table_and_formats(real):
    out = _cli("75-KL/TW", "--format", "table", "--dataset", str(real))
    assert "75-KL/TW → 31-CTr/TW → 104-CTr/TU → 2449-CV/ĐU" in out
    piped = _cli("75-KL/TW", "--dataset", str(real))        # stdout is a pipe: CSV, as every listing command
    assert piped.splitlines()[0].startswith("root,depth,")
    out = _cli("2449-CV/ĐU", "--up", "--format", "table", "--dataset", str(real))
    assert "75-KL/TW → 31-CTr/TW → 104-CTr/TU → 2449-CV/ĐU" in out
    rows = [json.loads(line) for line in _cli("57-NQ/TW", "--down", "--format", "jsonl", "--dataset", str(real)).splitlines()]
    assert rows[0]["number"] == "57-NQ/TW" and rows[0]["depth"] == 0
    assert {r["number"] for r in rows if r["depth"] == 1} >= {"3260-KH/ĐĐQH15", "03/NQ-CP", "11-KH/BCĐ"}
    assert json.loads(_cli("57-NQ/TW", "--format", "json", "--dataset", str(real))) == rows
    table = list(csv.DictReader(io.StringIO(_cli("57-NQ/TW", "--format", "csv", "--dataset", str(real)))))
    assert [r["number"] for r in table] == [r["number"] for r in rows]
    assert "issuer" in table[0] and "deadlines" in table[0]


def test_cli_errors(real):
    r = subprocess.run([sys.executable, "-m", "extractor", "chains", "999-XX/TW", "--dataset", str(real)],
                       capture_output=True, text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert r.returncode == 1 and "999-XX/TW" in r.stderr
    r = subprocess.run([sys.executable, "-m", "extractor", "chains", "57-NQ/TW", "--format", "xml", "--dataset", str(real)],
                       capture_output=True, text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert r.returncode == 2 and "--format" in r.stderr


def _rec(doc_id, number, province, date, *cited):
    return {"doc_id": doc_id, "meta": {"number": number, "province": province, "issued_date": date, "issuer": []},
            "references": [{"id": c, "mentions": [{"text": c, "span": [0, 1], "relation": "implements"}]}
                           for c in cited]}


@pytest.fixture()
def two_provinces(tmp_path) -> Path:
    """Two provinces each with its own 12-NQ/TU and a plan implementing it."""
    write_dataset(tmp_path, [
        _rec("nq-a", "12-NQ/TU", "Lào Cai", "2025-01-02"),
        _rec("nq-b", "12-NQ/TU", "Khánh Hòa", "2025-03-04"),
        _rec("kh-a", "30-KH/TU", "Lào Cai", "2025-02-01", "12-NQ/TU"),
        _rec("kh-b", "30-KH/TU", "Khánh Hòa", "2025-04-01", "12-NQ/TU"),
        _rec("cv-b", "7-CV/TU", "Khánh Hoà", "2025-05-01", "30-KH/TU")])   # the other tone placement
    return tmp_path


def test_never_joins_local_documents_of_two_provinces(two_provinces):
    con = _con(two_provinces)
    roots = ch.chains(con, "12-NQ/TU")
    assert sorted(r.qualified_id for r in roots) == ["12-NQ/TU@Khánh Hòa", "12-NQ/TU@Lào Cai"]
    below = {r.doc_id: sorted(n.doc_id for _, _, n in ch.walk(r)) for r in roots}
    assert below == {"nq-a": ["kh-a", "nq-a"], "nq-b": ["cv-b", "kh-b", "nq-b"]}
    [a] = ch.chains(con, "12-NQ/TU@Lào Cai")
    assert [n.doc_id for n in a.children] == ["kh-a"]
    [up] = ch.chains(con, "cv-b", up=True)
    assert [ch.path_text(p) for p in ch.paths(up, up=True)] == ["12-NQ/TU → 30-KH/TU → 7-CV/TU"]
    assert {n.doc_id for _, _, n in ch.walk(up)} == {"cv-b", "kh-b", "nq-b"}
