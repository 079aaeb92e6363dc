"""Every SQL example of docs/queries.md runs through `extractor query` against a dataset built
from corpus/seeds (plus one unreadable file, so the errors table has a row), and the key ones
agree with the same figures computed independently from documents.jsonl."""
from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.api import run
from extractor.cli import app

ROOT = Path(__file__).parent.parent
DOC = ROOT / "docs" / "queries.md"
Q2_2024 = (date(2024, 4, 1), date(2024, 6, 30))


def documented_queries() -> dict[str, str]:
    """{heading: sql} for every ```sql block of docs/queries.md, one block per ### heading."""
    text = DOC.read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for part in re.split(r"^### ", text, flags=re.M)[1:]:
        title, body = part.split("\n", 1)
        blocks = re.findall(r"```sql\n(.*?)```", body, re.S)
        assert len(blocks) == 1, f"{title!r}: expected one sql block, found {len(blocks)}"
        out[title.strip()] = blocks[0]
    return out


QUERIES = documented_queries()


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("query")
    corpus = tmp / "corpus"
    shutil.copytree(ROOT / "corpus" / "seeds", corpus)
    (corpus / "zz_broken.txt").write_bytes(b"")  # an empty file: an error record
    out = tmp / "dataset"
    run([corpus], out)
    return out


@pytest.fixture(scope="module")
def records(dataset) -> list[dict]:
    with (dataset / "documents.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def query(sql: str, dataset: Path) -> list[dict]:
    res = CliRunner().invoke(app, ["query", sql, "--dataset", str(dataset), "--format", "json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def _due(t: dict):
    end = (t.get("deadline") or {}).get("end")
    return date.fromisoformat(end) if end else None


def test_the_page_documents_enough_queries():
    assert len(QUERIES) >= 10
    for needed in ("quarter", "most cited directives", "implementing a given directive"):
        assert any(needed in t.lower() for t in QUERIES), needed


@pytest.mark.parametrize("title", list(QUERIES))
def test_every_documented_query_runs_and_returns_rows(title, dataset):
    rows = query(QUERIES[title], dataset)
    assert rows, f"{title!r} returned nothing on the seed dataset"
    assert all(any(v not in (None, "") for v in r.values()) for r in rows)


def test_tasks_due_in_a_quarter_by_lead(dataset, records):
    rows = query(QUERIES["Tasks due in a given quarter, by lead unit"], dataset)
    expected = Counter(t.get("lead") or "(no lead)" for r in records for t in r.get("tasks") or []
                       if _due(t) and Q2_2024[0] <= _due(t) <= Q2_2024[1])
    assert {r["lead"]: r["tasks"] for r in rows} == dict(expected)
    assert [r["tasks"] for r in rows] == sorted((r["tasks"] for r in rows), reverse=True)
    for r in rows:
        assert Q2_2024[0] <= date.fromisoformat(r["first_due"]) <= date.fromisoformat(r["last_due"]) <= Q2_2024[1]


def test_the_tasks_of_one_quarter(dataset, records):
    rows = query(QUERIES["The tasks themselves, for one quarter"], dataset)
    expected = {(r["doc_id"], t["id"]) for r in records for t in r.get("tasks") or []
                if _due(t) and Q2_2024[0] <= _due(t) <= Q2_2024[1]}
    assert {(r["doc_id"], r["task_id"]) for r in rows} == expected


def test_most_cited_directives(dataset, records):
    rows = query(QUERIES["Most cited directives"], dataset)
    citing = Counter(ref["id"] for r in records for ref in r.get("references") or [] if ref["id"].endswith("/TW"))
    assert all(r["cited_id"].endswith("/TW") for r in rows)
    assert len(rows) == min(10, len(citing))
    assert rows[0]["citing_documents"] == max(citing.values())
    for r in rows:
        assert r["citing_documents"] == citing[r["cited_id"]]
    assert [r["citing_documents"] for r in rows] == sorted((r["citing_documents"] for r in rows), reverse=True)


def test_documents_implementing_a_directive(dataset, records):
    rows = query(QUERIES["Documents implementing a given directive"], dataset)
    expected = {r["doc_id"] for r in records if "224-KL/TU" in (r.get("meta") or {}).get("basis", [])}
    assert expected and {r["doc_id"] for r in rows} == expected


def test_who_cites_a_directive(dataset, records):
    rows = query(QUERIES["Who cites a given directive, with the sentence around it"], dataset)
    mentions = [(r["doc_id"], m["text"]) for r in records for ref in r.get("references") or []
                if ref["id"] == "05-CT/TW" for m in ref["mentions"]]
    assert sorted((r["citing_doc"], r["mention"]) for r in rows) == sorted(mentions)
    assert all(r["mention"] in r["context"] or " ".join(r["mention"].split()) in r["context"] for r in rows)


def test_errors_say_what_went_wrong(dataset):
    rows = query(QUERIES["Documents that could not be read, and why"], dataset)
    assert [r["doc_id"] for r in rows] == ["zz_broken"]
    assert rows[0]["status"] == "error" and len(rows[0]["message"]) > 20


def test_a_bad_query_is_a_clear_error_not_a_traceback(dataset):
    res = CliRunner().invoke(app, ["query", "SELECT nope FROM tasks", "--dataset", str(dataset)])
    assert res.exit_code == 2 and "SQL error" in res.output
