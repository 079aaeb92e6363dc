"""The explorer in a real browser: `extractor serve` on a free loopback port, driven by headless
Chromium (Debian's /usr/bin/chromium through Python Playwright; no browser is downloaded). It opens
each kind of page, follows the links document → directive → chain, applies task filters with the
form, and checks the counts shown against DuckDB queries on the same dataset.

chromium and playwright are installed by `scripts/install.sh --dev`; without them these tests
fail with the command that installs them rather than passing silently.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-extensions", "--mute-audio"]


def _chromium() -> str:
    exe = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        pytest.fail("chromium is not installed: `apt-get install -y chromium` (or set CHROMIUM=/path)")
    return exe


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def ds(chain_dataset) -> Path:
    return chain_dataset


@pytest.fixture(scope="module")
def server(ds, tmp_path_factory):
    port = _free_port()
    log = (tmp_path_factory.mktemp("server") / "server.log").open("w+")   # a file, so the server never blocks on a pipe
    proc = subprocess.Popen([sys.executable, "-m", "extractor", "serve", str(ds), "--port", str(port)], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None:
                    log.seek(0)
                    pytest.fail(f"the server stopped: {log.read()}")
                time.sleep(0.1)
        else:
            pytest.fail("the server did not answer in 30 s")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def page(server, tmp_path_factory):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: `pip install playwright` (it drives the system chromium)")
    tmp = tmp_path_factory.mktemp("chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=FLAGS, env={**os.environ, "HOME": str(tmp)})
        pg = browser.new_page(viewport={"width": 1280, "height": 900})
        pg.set_default_timeout(20_000)
        yield pg
        browser.close()


@pytest.fixture(scope="module")
def con(ds):
    return duckdb.connect(str(ds / "dataset.duckdb"), read_only=True)


def one(con, sql, params=()):
    return con.execute(sql, list(params)).fetchone()[0]


def test_home_shows_the_dataset_counts(page, server, con):
    page.goto(server + "/")
    assert page.inner_text('[data-count="documents"] b') == str(one(con, "SELECT count(*) FROM documents"))
    assert page.inner_text('[data-count="directives"] b') == str(one(con, "SELECT count(*) FROM directives"))
    assert page.inner_text('[data-count="tasks"] b') == str(one(con, "SELECT count(*) FROM tasks"))
    top = one(con, "SELECT qualified_id FROM directives ORDER BY cited_by DESC, mentions DESC, directive_id LIMIT 1")
    assert page.inner_text("#top-cited tbody tr:first-child td:first-child") == top


def test_documents_filter_and_search(page, server, con):
    page.goto(server + "/documents")
    assert page.get_attribute("#doc-count", "data-count") == str(one(con, "SELECT count(*) FROM documents"))
    page.select_option("select[name=province]", "Lào Cai")
    page.click("#doc-filters button[type=submit]")
    page.wait_for_url("**/documents?*")
    n = one(con, "SELECT count(*) FROM documents WHERE province = 'Lào Cai'")
    assert page.get_attribute("#doc-count", "data-count") == str(n)
    assert page.locator("#documents tbody tr").count() == n
    page.fill("input[name=q]", '"môi trường"')
    page.click("#doc-filters button[type=submit]")
    page.wait_for_load_state()
    assert 0 < page.locator("#documents tbody tr").count() <= n


def test_document_to_directive_to_chain(page, server, con):
    doc_id = one(con, "SELECT doc_id FROM documents WHERE number = '2449-CV/ĐU'")
    page.goto(server + "/documents")
    page.click(f'a.doc[href*="{doc_id[:20]}"]')
    page.wait_for_url("**/document?doc_id=*")
    assert page.locator('mark[data-label="REFERENCE"]').count() == one(
        con, "SELECT count(*) FROM mentions WHERE doc_id = ?", [doc_id])
    # the box of cited directives links each to the registry, the local one qualified by its province
    page.click('#directives a.directive:text-is("104-CTr/TU@Lào Cai")')
    page.wait_for_url("**/directive?id=*")
    assert page.get_attribute("#directive-id", "data-directive") == "104-CTr/TU@Lào Cai"
    row = con.execute("SELECT cited_by, mentions FROM directives WHERE directive_id = '104-CTr/TU@Lào Cai'").fetchone()
    assert page.inner_text('[data-field="cited_by"]') == str(row[0])
    assert page.locator("#citations tbody tr").count() == row[1]
    assert page.locator("#tree svg a").count() >= 2           # the plan and the letter implementing it
    page.click("#chain-link")
    page.wait_for_url("**/chain?id=*")
    page.click("text=chain above")
    page.wait_for_url("**dir=up*")
    assert "75-KL/TW → 31-CTr/TW → 104-CTr/TU" in page.inner_text(".paths")
    # the picture's boxes are links too: from the chain to the conclusion's page
    page.click('svg a[data-node="75-KL/TW"]')
    page.wait_for_url("**/directive?id=75-KL*")
    assert "75-KL/TW → 31-CTr/TW → 104-CTr/TU → 2449-CV/ĐU" in page.inner_text(".paths")


def test_task_filters_and_csv(page, server, con, tmp_path):
    page.goto(server + "/tasks")
    assert page.get_attribute("#task-count", "data-count") == str(one(con, "SELECT count(*) FROM tasks"))
    page.fill("input[name=overdue]", "2025-07-01")
    page.select_option("select[name=origin]", "table")
    page.click("#apply")
    page.wait_for_url("**/tasks?*overdue=2025-07-01*")
    n = one(con, """SELECT count(*) FROM task_deadlines WHERE origin = 'table'
                    AND coalesce(due_end, due_start) < DATE '2025-07-01'
                    AND NOT coalesce(lower(status) LIKE '%hoàn thành%' AND lower(status) NOT LIKE '%chưa%', false)""")
    assert n > 0
    assert page.get_attribute("#task-count", "data-count") == str(n)
    assert page.locator("#tasks tbody tr").count() == n
    with page.expect_download() as dl:
        page.click("#csv")
    path = tmp_path / "tasks.csv"
    dl.value.save_as(path)
    assert len(path.read_text(encoding="utf-8").splitlines()) == n + 1


def test_unit_page_from_a_document(page, server, con):
    doc_id = one(con, "SELECT doc_id FROM documents WHERE number = '03/NQ-CP'")
    page.goto(server + "/document?doc_id=" + doc_id)
    link = page.locator("#units a.unit").first
    name = link.inner_text()
    link.click()
    page.wait_for_url("**/unit?name=*")
    assert page.locator("#unit-tasks tbody tr").count() == one(
        con, "SELECT count(*) FROM task_units WHERE name = ? AND task_id IS NOT NULL", [name])
