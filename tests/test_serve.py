"""The explorer's pages (extractor/serve) in-process, through Starlette's test client: every kind
of page answers, the counts it shows are DuckDB's, filters are parameters (never SQL), the CSV
holds exactly the rows shown, and the app cannot write."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import quote

import duckdb
import pytest
from starlette.testclient import TestClient

from extractor.serve.app import create_app, fold



@pytest.fixture(scope="module")
def ds(chain_dataset) -> Path:
    return chain_dataset


@pytest.fixture(scope="module")
def client(ds):
    return TestClient(create_app(ds))


@pytest.fixture(scope="module")
def con(ds):
    return duckdb.connect(str(ds / "dataset.duckdb"), read_only=True)


def count(html: str, elem_id: str) -> int:
    m = re.search(rf'id="{elem_id}" data-count="(\d+)"', html)
    assert m, elem_id
    return int(m.group(1))


def one(con, sql, params=()):
    return con.execute(sql, list(params)).fetchone()[0]


def test_home_counts(client, con):
    html = client.get("/").text
    for key, sql in [("documents", "SELECT count(*) FROM documents"), ("directives", "SELECT count(*) FROM directives"),
                     ("tasks", "SELECT count(*) FROM tasks")]:
        assert re.search(rf'data-count="{key}"><b>{one(con, sql)}</b>', html), key
    top = one(con, "SELECT directive_id FROM directives ORDER BY cited_by DESC, mentions DESC, directive_id LIMIT 1")
    assert f"/directive?id={quote(top, safe='')}" in html


@pytest.mark.parametrize("params, where, args", [
    ("", "TRUE", []),
    ("province=L%C3%A0o+Cai", "province = ?", ["Lào Cai"]),
    ("type=ke_hoach", "doc_type = ?", ["ke_hoach"]),
    ("year=2025", "issued_date LIKE ?", ["2025%"]),
    ("issuer=ch%C3%ADnh+ph%E1%BB%A7", "issuer ILIKE ?", ["%chính phủ%"]),
    ("status=ok&province=H%C3%A0+N%E1%BB%99i", "status = 'ok' AND province = ?", ["Hà Nội"]),
    ("province=%27+OR+1%3D1+--", "FALSE", []),           # a quote in a value is a value, not SQL
])
def test_document_filters(client, con, params, where, args):
    html = client.get(f"/documents?{params}").text
    assert count(html, "doc-count") == one(con, f"SELECT count(*) FROM documents WHERE {where}", args)


def test_full_text_search_ignores_case_and_diacritics(client, con, ds):
    from extractor.store import read_jsonl

    texts = {d["doc_id"]: " ".join(fold(d["meta"]["title"] + "\n" + d["text"]).split())
             for d in read_jsonl(ds / "documents.jsonl")}
    phrase = sum(1 for t in texts.values() if "bao ve moi truong" in t)
    words = sum(1 for t in texts.values() if all(w in t for w in ("bao", "ve", "moi", "truong")))
    assert 0 < phrase < words <= len(texts)
    assert count(client.get("/documents?q=B%E1%BA%A3o+v%E1%BB%87+m%C3%B4i+tr%C6%B0%E1%BB%9Dng").text, "doc-count") == words
    assert count(client.get("/documents?q=%22bao+ve+moi+truong%22").text, "doc-count") == phrase
    assert count(client.get("/documents?q=%22B%E1%BA%A2O+V%E1%BB%86+m%C3%B4i+tr%C6%B0%E1%BB%9Dng%22").text,
                 "doc-count") == phrase


def test_document_page_links_directives_and_units(client, con):
    doc_id = one(con, "SELECT doc_id FROM documents WHERE number = '2449-CV/ĐU'")
    html = client.get(f"/document?doc_id={quote(doc_id)}").text
    assert 'data-label="REFERENCE"' in html                      # the annotated page of `show --html`
    assert "/directive?id=104-CTr%2FTU%40L%C3%A0o%20Cai" in html   # to the registry, qualified by province
    units = [r[0] for r in con.execute("SELECT DISTINCT name FROM task_units WHERE doc_id = ? AND name IS NOT NULL",
                                       [doc_id]).fetchall()]
    for u in units:
        assert f"/unit?name={quote(u, safe='')}" in html


def test_directive_page(client, con):
    html = client.get("/directive?id=" + quote("75-KL/TW", safe="")).text
    assert "<svg" in html and "75-KL/TW → 31-CTr/TW → 104-CTr/TU → 2449-CV/ĐU" in html
    mentions = one(con, """SELECT count(*) FROM directive_refs x JOIN mentions m USING (doc_id, ref_id)
                           WHERE x.directive_id = '75-KL/TW'""")
    assert html.count('<td class="ctx">') == mentions
    assert 'class="rel-implements"' in html
    # an id that names several directives (a local number, two provinces) asks which one
    assert client.get("/directive?id=nothing-like-this").status_code == 404


def test_chain_page_up(client):
    html = client.get("/chain?id=" + quote("2449-CV/ĐU", safe="") + "&dir=up").text
    assert "75-KL/TW → 31-CTr/TW → 104-CTr/TU → 2449-CV/ĐU" in html and "<svg" in html


@pytest.mark.parametrize("params, where, args", [
    ("", "TRUE", []),
    ("origin=table", "origin = ?", ["table"]),
    ("status=Ho%C3%A0n+th%C3%A0nh", "status = ?", ["Hoàn thành"]),
    ("status=%28none%29", "status IS NULL", []),
    ("from=2025-06-01&to=2025-12-31", "coalesce(due_end, due_start) BETWEEN DATE '2025-06-01' AND DATE '2025-12-31'", []),
    ("overdue=2025-07-01", "coalesce(due_end, due_start) < DATE '2025-07-01' AND NOT coalesce("
     "lower(status) LIKE '%hoàn thành%' AND lower(status) NOT LIKE '%chưa%', false)", []),
    ("unit=khoa+h%E1%BB%8Dc", "(lead ILIKE ? OR partners ILIKE ? OR EXISTS (SELECT 1 FROM task_units u WHERE "
     "u.doc_id = t.doc_id AND u.task_id = t.task_id AND u.name ILIKE ?))", ["%khoa học%"] * 3),
])
def test_task_filters_and_csv(client, con, params, where, args):
    html = client.get(f"/tasks?{params}").text
    expected = one(con, f"SELECT count(*) FROM task_deadlines t WHERE {where}", args)
    assert count(html, "task-count") == expected
    shown = html.split('id="tasks"')[1].count("<tr>") - 1      # minus the header row
    assert shown == min(expected, 1000)
    rows = list(csv.DictReader(io.StringIO(client.get(f"/tasks.csv?{params}").text)))
    assert len(rows) == shown
    if rows:
        assert rows[0]["task_id"] in html


def test_bad_dates_are_reported_not_run(client, con):
    html = client.get("/tasks?from=31/12/2025").text
    assert "is not a date" in html and count(html, "task-count") == one(con, "SELECT count(*) FROM tasks")


def test_unit_page(client, con):
    name, n = con.execute("""SELECT name, count(*) FROM task_units WHERE task_id IS NOT NULL GROUP BY name
                             ORDER BY 2 DESC, 1 LIMIT 1""").fetchone()
    html = client.get(f"/unit?name={quote(name)}").text
    assert html.split('id="unit-tasks"')[1].count("<tr>") - 1 == n


def test_read_only(client, ds):
    assert client.post("/tasks").status_code == 405
    app = create_app(ds)
    with pytest.raises(duckdb.Error):
        app.state.ds.cursor().execute("CREATE TABLE x (a INT)")


def test_markup_in_the_data_stays_text(tmp_path):
    from extractor.store import write_dataset

    evil = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    write_dataset(tmp_path, [
        {"doc_id": "d1", "status": "ok", "text": "x", "meta": {"number": "12-NQ/TU", "province": evil, "title": evil,
                                                             "issuer": [evil], "issued_date": "2025-01-02"},
         "references": [{"id": "5-KL/TW", "subject": evil, "mentions": [{"text": "5-KL/TW", "span": [0, 1]}]}]}])
    c = TestClient(create_app(tmp_path))
    for url in ("/documents", "/directives", "/directive?id=5-KL%2FTW", "/directive?id=" + quote("12-NQ/TU@" + evil),
                "/documents?q=" + quote(evil), "/tasks?unit=" + quote(evil), "/?days=99999999"):
        r = c.get(url)
        assert r.status_code in (200, 404), url
        assert "<script>alert" not in r.text and "<img src=x" not in r.text, url


def test_serve_without_a_dataset_says_so(tmp_path):
    from typer.testing import CliRunner

    from extractor.cli import app

    res = CliRunner().invoke(app, ["serve", str(tmp_path / "nowhere")])
    assert res.exit_code == 2 and "extractor run" in res.output
