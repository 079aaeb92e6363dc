"""The annotated HTML view: nesting, escaping, counts, self-containment (no browser here;
tests/test_browser.py loads the page in chromium)."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.annotate import LABELS, Annotation, annotations, render_html, render_text, write_html
from extractor.api import extract, extract_text
from extractor.model import Document

SEEDS = sorted((Path(__file__).parent.parent / "corpus" / "seeds").glob("*.txt"))
VOID = {"meta", "br", "input", "img", "hr", "link"}


class _Marks(HTMLParser):
    """Checks nesting and collects marks (attrs) and the text inside .doctext."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.marks: list[dict] = []
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.text: list[str] = []
        self._in_text = 0     # depth inside div.doctext
        self._skip = 0        # depth inside a page marker (not document text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        if tag in VOID:
            return
        self.stack.append(tag)
        if self._in_text:
            self._in_text += 1
            if self._skip or "page" in (a.get("class") or "").split():
                self._skip += 1
        elif tag == "div" and a.get("class") == "doctext":
            self._in_text = 1
        if tag == "mark":
            self.marks.append(a)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1:]}>"
        self.stack.pop()
        if self._in_text:
            self._in_text -= 1
            if self._skip:
                self._skip -= 1

    def handle_data(self, data):
        if self._in_text and not self._skip:
            self.text.append(data)


def _parse(page: str) -> _Marks:
    p = _Marks()
    p.feed(page)
    p.close()
    assert p.stack == [], f"unclosed: {p.stack}"
    return p


def _first(marks, label, **attrs):
    return [m for m in marks if m.get("data-label") == label and "cont" not in (m.get("class") or "")
            and all(m.get(k) == v for k, v in attrs.items())]


@pytest.fixture(scope="module")
def seed_docs() -> list[Document]:
    return [extract(p) for p in SEEDS]


def test_page_text_is_the_document_text_and_counts_match(seed_docs):
    for doc in seed_docs:
        p = _parse(render_html(doc))
        assert "".join(p.text) == doc.text, doc.doc_id
        n_mentions = sum(len(r.mentions) for r in doc.references)
        assert len(_first(p.marks, "REFERENCE")) == n_mentions
        assert len(_first(p.marks, "TASK")) == sum(t.origin == "table" for t in doc.tasks)
        assert len(_first(p.marks, "ASSIGNMENT")) == sum(t.origin == "list" for t in doc.tasks)
        assert len(_first(p.marks, "DEADLINE", **{"data-origin": "prose"})) == len(doc.deadlines)
        assert len(_first(p.marks, "SECTION")) == len(doc.sections)
        # every in-page link lands on an element of the page
        for href in p.hrefs:
            assert href.startswith("#") and href[1:] in p.ids, href


def test_task_deadlines_are_found_inside_their_task(seed_docs):
    for doc in seed_docs:
        anns = {a.key: a for a in annotations(doc)}
        with_text = [t for t in doc.tasks if t.deadline.text.strip()]
        for t in with_text:
            a = anns.get(f"tdl-{t.id}")
            assert a is not None, (doc.doc_id, t.id, t.deadline.text)
            assert t.span[0] <= a.start < a.end <= t.span[1]
            assert " ".join(doc.text[a.start:a.end].split()) == " ".join(t.deadline.text.split())


def test_text_with_markup_characters_is_escaped(tmp_path):
    text = ("KẾ HOẠCH\nThử nghiệm <script>alert(1)</script> & \"trích\" <b>\n\n"
            "I. MỤC ĐÍCH\nThực hiện Chỉ thị số 05-CT/TW, ngày 15/5/2016 của Bộ Chính trị <về> A & B.\n")
    doc = extract_text(text)
    assert doc.references, "the fixture needs a reference"
    page = write_html(doc, tmp_path / "x.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<b>\n" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in page
    p = _parse(page)
    assert "".join(p.text) == doc.text
    assert [m["data-ref"] for m in _first(p.marks, "REFERENCE")] == ["05-CT/TW"]


def test_page_is_self_contained(seed_docs):
    page = render_html(seed_docs[0])
    # no external resource of any kind: stylesheets, scripts, images, fonts, imports
    assert not re.search(r"<link\b|\bsrc\s*=|@import|url\(|@font-face", page, re.I)
    assert not re.search(r'href="(?!#)', page)


def test_units_are_highlighted_when_present_and_optional_otherwise():
    text = "Nội dung\tBan Tuyên giáo Huyện ủy\tCác xã, thị trấn\tTháng 3\n"
    a = text.index("Ban Tuyên giáo")
    b = text.index("Các xã")
    record = {
        "doc_id": "u", "text": text,
        "tasks": [{"id": "t1", "content": "Nội dung", "span": [0, len(text) - 1],
                   "lead": "Ban Tuyên giáo Huyện ủy", "partners": "Các xã, thị trấn",
                   "deadline": {"text": "Tháng 3", "kind": "period",
                                "span": [text.index("Tháng 3"), text.index("Tháng 3") + 7]},
                   "lead_units": [{"name": "Ban Tuyên giáo Huyện ủy", "text": "Ban Tuyên giáo Huyện ủy",
                                   "span": [a, a + len("Ban Tuyên giáo Huyện ủy")], "collective": False}],
                   "partner_units": [{"name": "xã, thị trấn", "text": "Các xã, thị trấn",
                                      "span": [b, b + len("Các xã, thị trấn")], "collective": True}]}],
        # the same span again at document level is highlighted once; a prose unit keeps its role
        "units": [{"name": "Ban Tuyên giáo Huyện ủy", "text": "Ban Tuyên giáo Huyện ủy",
                   "span": [a, a + len("Ban Tuyên giáo Huyện ủy")]},
                  {"name": "Nội dung", "text": "Nội dung", "span": [0, 8], "role": "partner"}],
    }
    p = _parse(render_html(Document.model_validate(record)))
    units = _first(p.marks, "UNIT")
    assert [(m["data-role"], m["data-origin"], m["data-name"]) for m in units] == [
        ("partner", "prose", "Nội dung"), ("lead", "task", "Ban Tuyên giáo Huyện ủy"),
        ("partner", "task", "xã, thị trấn")]
    assert "collective" in units[2]["title"]
    assert len(_first(p.marks, "DEADLINE", **{"data-origin": "task"})) == 1
    # without units the page still renders
    del record["tasks"][0]["lead_units"], record["tasks"][0]["partner_units"], record["units"]
    assert _first(_parse(render_html(Document.model_validate(record))).marks, "UNIT") == []


def test_bad_spans_are_ignored_not_fatal():
    doc = Document.model_validate({"doc_id": "b", "text": "abc", "sections": [
        {"id": "s1", "title": "x", "span": [2, 99]}, {"id": "s2", "title": "y", "span": [1, 1]}]})
    p = _parse(render_html(doc))
    assert "".join(p.text) == "abc" and p.marks == []


def test_error_record_renders_with_its_message(tmp_path):
    doc = extract(tmp_path / "missing.txt")
    assert doc.status == "error"
    page = render_html(doc)
    assert "does not exist" in page and 'class="errors"' in page


_span = st.tuples(st.integers(0, 40), st.integers(0, 40)).map(sorted).filter(lambda s: s[0] < s[1])


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="ab<&\"\n\tđ", min_size=40, max_size=40),
       spans=st.lists(st.tuples(_span, st.sampled_from(sorted(LABELS))), max_size=12),
       anchors=st.lists(st.integers(0, 40), max_size=3))
def test_render_text_nests_any_spans(text, spans, anchors):
    anns = [Annotation(s, e, label, f"k{i}") for i, ((s, e), label) in enumerate(spans)]
    out = render_text(text, anns, {a: ["<a class=anchor></a>"] for a in anchors})
    p = _parse(f'<div class="doctext">{out}</div>')
    assert "".join(p.text) == text
    firsts = [m["data-key"] for m in p.marks if "cont" not in (m.get("class") or "")]
    assert sorted(firsts) == sorted(a.key for a in anns)   # one head piece per annotation
    # each annotation's pieces cover exactly its characters
    covered = {a.key: "" for a in anns}
    _collect(out, covered)
    for a in anns:
        assert covered[a.key] == text[a.start:a.end], a


def _collect(fragment: str, covered: dict[str, str]) -> None:
    """Text under each data-key, concatenated over its pieces."""
    stack: list[str] = []
    for tok in re.split(r"(<mark [^>]*>|</mark>|<a [^>]*></a>)", fragment):
        if tok.startswith("<mark "):
            stack.append(re.search(r'data-key="([^"]*)"', tok).group(1))
        elif tok == "</mark>":
            stack.pop()
        elif not tok.startswith("<a "):
            for k in stack:
                covered[k] += html.unescape(tok)


def test_paged_documents_get_page_markers_outside_the_text():
    text = "KẾ HOẠCH\nTrang một.\nTrang hai, Chỉ thị số 05-CT/TW.\n"
    cut = text.index("Trang hai")
    doc = extract_text(text)
    doc.source.page_spans = [(0, cut), (cut, len(text))]
    doc.source.pages = 2
    page = render_html(doc)
    p = _parse(page)
    assert {"page-1", "page-2"} <= p.ids
    assert "".join(p.text) == doc.text   # the markers are not part of the document text
    body = page[page.index('class="doctext"'):]
    assert body.index('id="page-1"') < body.index("Trang một") < body.index('id="page-2"') < body.index("Trang hai")
