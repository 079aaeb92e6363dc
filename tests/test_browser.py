"""The annotated page in a real headless browser (Debian `chromium`): the DOM it builds has
the highlights, and the screenshot shows them.

chromium is part of CI (.ci/run installs it); without it these tests fail with the command
that installs it rather than passing silently.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.api import extract, extract_text

from test_annotate import SEEDS, _first, _parse

pytestmark = pytest.mark.slow

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
         "--mute-audio", "--hide-scrollbars"]


def _chromium() -> str:
    exe = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        pytest.fail("chromium is not installed: `apt-get install -y chromium` (or set CHROMIUM=/path)")
    return exe


def _run(args: list[str], tmp: Path) -> subprocess.CompletedProcess:
    cmd = [_chromium(), *FLAGS, f"--user-data-dir={tmp / 'profile'}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True,
                          env={**os.environ, "HOME": str(tmp)})


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """The page of a seed plan with a task table, references and prose deadlines, through the CLI."""
    tmp = tmp_path_factory.mktemp("browser")
    seed = next(p for p in SEEDS if p.name.startswith("000_"))
    out = tmp / "page.html"
    subprocess.run([sys.executable, "-m", "extractor", "show", str(seed), "--html", str(out)], check=True,
                   capture_output=True, cwd=Path(__file__).parent.parent)
    return tmp, out, extract(seed)


def test_dom_has_every_highlight(page):
    tmp, out, doc = page
    dom = _run(["--dump-dom", out.resolve().as_uri()], tmp).stdout
    p = _parse(dom)
    assert doc.references and doc.tasks and doc.deadlines and doc.sections
    assert len(_first(p.marks, "REFERENCE")) == sum(len(r.mentions) for r in doc.references)
    assert {m["data-ref"] for m in _first(p.marks, "REFERENCE")} == {r.id for r in doc.references}
    assert len(_first(p.marks, "TASK")) == sum(t.origin == "table" for t in doc.tasks)
    assert len(_first(p.marks, "ASSIGNMENT")) == sum(t.origin == "list" for t in doc.tasks)
    assert len(_first(p.marks, "DEADLINE", **{"data-origin": "prose"})) == len(doc.deadlines)
    assert len(_first(p.marks, "DEADLINE", **{"data-origin": "task"})) == sum(
        1 for t in doc.tasks if t.deadline.text.strip() and t.origin == "table")
    assert len(_first(p.marks, "DEADLINE", **{"data-origin": "assignment"})) == sum(
        1 for t in doc.tasks if t.deadline.text.strip() and t.origin == "list")
    from extractor.annotate import annotations

    assert len(_first(p.marks, "UNIT")) == sum(1 for a in annotations(doc) if a.label == "UNIT")
    # the browser kept the text exactly (nothing swallowed as markup) and every outline link has its target
    assert "".join(p.text) == doc.text
    for s in doc.sections:
        assert f"sec-{s.id}" in p.ids and f"#sec-{s.id}" in p.hrefs
    for t in doc.tasks:
        assert f"task-{t.id}" in p.ids and f"row-{t.id}" in p.ids


def test_markup_in_text_stays_text_in_the_browser(tmp_path):
    from extractor.annotate import write_html

    doc = extract_text("KẾ HOẠCH\nA <img src=x onerror=alert(1)> & <b>B</b>\nThực hiện Kết luận số "
                       "01-KL/TW, ngày 18/5/2021 của Bộ Chính trị.\n")
    out = write_html(doc, tmp_path / "x.html")
    dom = _run(["--dump-dom", out.resolve().as_uri()], tmp_path).stdout
    p = _parse(dom)
    assert "".join(p.text) == doc.text
    assert "<img" not in dom.split('class="doctext"')[1]
    assert [m["data-ref"] for m in _first(p.marks, "REFERENCE")] == ["01-KL/TW"]


def test_screenshot_shows_the_highlight_colours(page):
    from PIL import Image

    from extractor.annotate import LABELS

    tmp, out, _ = page
    png = tmp / "shot.png"
    _run(["--window-size=1400,2400", f"--screenshot={png}", out.resolve().as_uri()], tmp)
    im = Image.open(png).convert("RGB")
    assert im.size == (1400, 2400)
    colours = {c for _, c in im.getcolors(maxcolors=1 << 20)}

    def rgb(hex_: str) -> tuple[int, int, int]:
        return tuple(int(hex_[i:i + 2], 16) for i in (1, 3, 5))

    # the first screen holds the meta, the legend and text with references and deadlines
    for label in ("REFERENCE", "DEADLINE"):
        assert rgb(LABELS[label]["color"]) in colours, label
    dark = sum(n for n, c in im.getcolors(maxcolors=1 << 20) if sum(c) < 200)
    assert dark > 5000, "almost no text was drawn"
