"""The annotated view of one document: a self-contained HTML page (`extractor show FILE --html`).

The page holds the normalized text with tasks (table rows, and assignments given in prose
marked apart as ASSIGNMENT), references, deadlines (task and prose),
units and section headings highlighted as nested <mark> elements, the section outline as
navigation, the meta at the top and the task and reference tables below. Everything is
inline (CSS, a few lines of JS, system fonts), so the file opens offline and can be mailed.

displaCy is not used: its "ent" style cannot nest (a task row holds references and its
deadline) and its "span" style draws every token as a 60 px inline-block, which wrecks the
tab-separated task tables; nesting marks by hand is a few dozen lines (`render_text`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any, Iterable, Optional, Union

from .model import Deadline, Document, Task, Unit

# Outer labels first: when two spans start at the same offset and have the same end,
# the one with the smaller rank is opened first (is the outer element).
LABELS: dict[str, dict[str, str]] = {
    "TASK": {"rank": "0", "color": "#eef3fb", "border": "#9db4dc", "name": "task"},
    "ASSIGNMENT": {"rank": "0", "color": "#fdf1e3", "border": "#d99a4e", "name": "assignment (prose task)"},
    "SECTION": {"rank": "1", "color": "transparent", "border": "#555", "name": "section heading"},
    "REFERENCE": {"rank": "2", "color": "#ffe08a", "border": "#c9a227", "name": "reference"},
    "DEADLINE": {"rank": "3", "color": "#b9ecc4", "border": "#3c9a56", "name": "deadline"},
    "UNIT": {"rank": "4", "color": "#f5c6e6", "border": "#b0549a", "name": "unit"},
}


@dataclass(frozen=True)
class Annotation:
    """One highlighted span of Document.text."""

    start: int
    end: int
    label: str                   # a key of LABELS
    key: str                     # unique per page; continuation pieces of a split mark share it
    title: str = ""              # tooltip
    anchor: Optional[str] = None  # html id of the first piece (link target)
    attrs: tuple[tuple[str, str], ...] = ()  # extra data-* attributes


def _valid(span: Any, n: int) -> Optional[tuple[int, int]]:
    if not span or len(span) != 2 or span[0] is None or span[1] is None:
        return None
    a, b = int(span[0]), int(span[1])
    return (a, b) if 0 <= a < b <= n else None


def deadline_summary(d: Optional[Deadline]) -> str:
    """The normalized form of a deadline in a few words: "period 2024-04-01 → 2024-06-30"."""
    if d is None:
        return ""
    out = d.kind
    if d.start or d.end:
        out += f" {d.start or '…'}" + (f" → {d.end or '…'}" if d.end != d.start else "")
    if d.recurrence:
        out += f" every {d.recurrence}"
    if d.parts:
        out += " [" + "; ".join(deadline_summary(p) for p in d.parts) + "]"
    if d.note:
        out += f" ({d.note})"
    return out


def _unit_annotations(text: str, units: Iterable[Unit], role: Optional[str], origin: str, prefix: str,
                      seen: set[tuple[int, int]]) -> list[Annotation]:
    """Units of a task's lead/partner cells (origin "task") or assigned in prose ("prose"); a
    unit's own `role` wins over the cell's. A span already highlighted is not repeated."""
    out = []
    for i, u in enumerate(units):
        span = _valid(u.span, len(text))
        if not span or span in seen:
            continue
        seen.add(span)
        name = u.name or u.text or text[span[0]:span[1]]
        r = u.role or role or "unit"
        extra = ", ".join(x for x in (u.kind, "collective" if u.collective else None) if x)
        out.append(Annotation(span[0], span[1], "UNIT", f"{prefix}-u{i}",
                              f"{r} ({origin}): {name}" + (f" [{extra}]" if extra else ""),
                              attrs=(("data-role", r), ("data-origin", origin), ("data-name", str(name)))))
    return out


def annotations(doc: Document) -> list[Annotation]:
    """Every highlight of the page, from the record's spans (nothing is re-extracted)."""
    text = doc.text
    n = len(text)
    out: list[Annotation] = []
    for s in doc.sections:
        span = _valid(s.span, n)
        if span:
            out.append(Annotation(*span, "SECTION", f"sec-{s.id}", f"section {s.id} (level {s.level})"))
    unit_spans: set[tuple[int, int]] = set()
    for t in doc.tasks:
        # a task of a table, or an assignment given in prose (origin "list")
        label, what, origin = ("ASSIGNMENT", "assignment", "assignment") if t.origin == "list" else \
            ("TASK", "task", "task")
        span = _valid(t.span, n)
        if span:
            out.append(Annotation(*span, label, f"task-{t.id}",
                                  f"{what} {t.id} {t.number or ''} · lead: {t.lead or '—'} · "
                                  f"deadline: {t.deadline.text or '—'}",
                                  anchor=f"task-{t.id}", attrs=(("data-task", t.id), ("data-origin", t.origin))))
        dspan = _valid(t.deadline.span, n)  # the deadline cell, as the table reader found it
        if dspan:
            out.append(Annotation(*dspan, "DEADLINE", f"tdl-{t.id}",
                                  f"{t.deadline.text} → {deadline_summary(t.deadline)}",
                                  attrs=(("data-origin", origin), ("data-kind", t.deadline.kind))))
        out += _unit_annotations(text, t.lead_units, "lead", origin, f"task-{t.id}-lead", unit_spans)
        out += _unit_annotations(text, t.partner_units, "partner", origin, f"task-{t.id}-partner",
                                 unit_spans)
    out += _unit_annotations(text, doc.units, None, "prose", "doc", unit_spans)
    for ri, r in enumerate(doc.references):
        for mi, m in enumerate(r.mentions):
            span = _valid(m.span, n)
            if not span:
                continue
            detail = " · ".join(x for x in (r.kind, r.issued_date, r.issuer, m.form, m.relation) if x)
            out.append(Annotation(*span, "REFERENCE", f"ref-{ri}-{mi}", f"{r.id} · {detail}",
                                  anchor=f"ref-{ri}-{mi}",
                                  attrs=(("data-ref", r.id), ("data-relation", m.relation))))
    for di, d in enumerate(doc.deadlines):
        span = _valid(d.span, n)
        if span:
            out.append(Annotation(*span, "DEADLINE", f"dl-{di}", f"{d.text} → {deadline_summary(d)}",
                                  attrs=(("data-origin", "prose"), ("data-kind", d.kind))))
    return out


def _open_tag(a: Annotation, first: bool) -> str:
    attrs = [f'data-label="{a.label}"', f'data-key="{escape(a.key)}"']
    if first and a.anchor:
        attrs.insert(0, f'id="{escape(a.anchor)}"')
    if not first:
        attrs.append('class="cont"')  # a continuation piece of a mark split by a crossing span
    attrs += [f'{k}="{escape(str(v))}"' for k, v in a.attrs]
    if a.title:
        attrs.append(f'title="{escape(a.title)}"')
    return "<mark " + " ".join(attrs) + ">"


def render_text(text: str, anns: list[Annotation], anchors: Optional[dict[int, list[str]]] = None) -> str:
    """Escaped `text` with every annotation as a <mark>; properly nested HTML.

    Where two spans cross, the inner one is closed and reopened as a continuation piece
    (class "cont", same data-key), so each annotation has exactly one piece without "cont".
    `anchors` maps offsets to raw HTML inserted there (section anchors, page markers).
    """
    anchors = anchors or {}
    order = {a.key: (a.start, -a.end, int(LABELS[a.label]["rank"]), i) for i, a in enumerate(anns)}
    bounds = sorted({0, len(text)} | {a.start for a in anns} | {a.end for a in anns} | set(anchors))
    starts: dict[int, list[Annotation]] = {}
    for a in anns:
        starts.setdefault(a.start, []).append(a)
    active: list[Annotation] = []
    stack: list[Annotation] = []
    opened: set[str] = set()
    out: list[str] = []
    for bi, pos in enumerate(bounds):
        active = [a for a in active if a.end > pos] + starts.get(pos, [])
        want = sorted(active, key=lambda a: order[a.key])
        keep = 0
        while keep < len(stack) and keep < len(want) and stack[keep].key == want[keep].key:
            keep += 1
        for _ in range(len(stack) - keep):
            out.append("</mark>")
        stack = stack[:keep]
        out.extend(anchors.get(pos, []))
        for a in want[keep:]:
            out.append(_open_tag(a, a.key not in opened))
            opened.add(a.key)
            stack.append(a)
        if bi + 1 < len(bounds):
            out.append(escape(text[pos:bounds[bi + 1]], quote=False))
    out.extend("</mark>" for _ in stack)
    return "".join(out)


_CSS = """
body{margin:0;font-family:"DejaVu Sans","Noto Sans",Arial,sans-serif;font-size:14px;color:#222;background:#fafafa}
header{padding:12px 20px;background:#253858;color:#fff}
header h1{margin:0;font-size:18px}
header .sub{opacity:.85;font-size:13px;margin-top:4px}
.wrap{display:grid;grid-template-columns:280px 1fr;gap:0}
nav{position:sticky;top:0;align-self:start;max-height:100vh;overflow:auto;padding:12px;border-right:1px solid #ddd;background:#fff;font-size:13px}
nav ul{list-style:none;padding-left:12px;margin:2px 0}
nav>ul{padding-left:0}
nav a{color:#1a4d8f;text-decoration:none}
nav a:hover{text-decoration:underline}
main{padding:12px 20px;min-width:0}
section.box{background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px 14px;margin-bottom:14px}
h2{font-size:16px;margin:4px 0 8px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border:1px solid #ddd;padding:3px 6px;vertical-align:top;text-align:left}
th{background:#f0f2f5}
table.meta th{width:150px}
table.tasks td:nth-child(7){min-width:230px}
table.tasks td:nth-child(5),table.tasks td:nth-child(6){min-width:90px}
.nb{white-space:nowrap}
.errors{color:#a40000}
.legend label{margin-right:14px;cursor:pointer;white-space:nowrap}
.legend .sw{display:inline-block;width:12px;height:12px;border:1px solid #999;vertical-align:middle;margin-right:4px}
.doctext{white-space:pre-wrap;tab-size:4;line-height:1.7;font-size:14px;overflow-wrap:anywhere}
mark{color:inherit;border-radius:2px;padding:0 1px}
mark[data-label=TASK]{display:inline;border-left:3px solid #9db4dc}
mark[data-label=SECTION]{font-weight:bold;border-bottom:2px solid #555;background:transparent}
mark[data-label=REFERENCE]{border-bottom:2px solid #c9a227}
mark[data-label=DEADLINE]{border-bottom:2px solid #3c9a56}
mark[data-label=UNIT]{border-bottom:2px solid #b0549a}
mark[data-label=UNIT][data-role=partner]{border-bottom:2px dotted #b0549a}
mark[data-label=TASK] mark[data-label=TASK]{border-left:none}
mark[data-label=ASSIGNMENT]{display:inline;border-left:3px solid #d99a4e}
tr.assignment td:first-child{border-left:3px solid #d99a4e}
.anchor{scroll-margin-top:8px}
.page{display:block;color:#888;border-top:1px dashed #bbb;margin:6px 0;font-size:12px}
mark:target,tr:target{outline:2px solid #e5533d}
"""
_HIDE_CSS = "".join(f"body.hide-{k} mark[data-label={k}]{{background:transparent;border:none}}" for k in LABELS)
_MARK_CSS = "".join(f"mark[data-label={k}]{{background:{v['color']}}}" for k, v in LABELS.items()) + \
    "mark[data-label=UNIT][data-role=partner]{background:#fbe4f4}"  # lead units darker than partners
_JS = """document.querySelectorAll('.legend input').forEach(function(c){c.addEventListener('change',
function(){document.body.classList.toggle('hide-'+c.value,!c.checked)})});"""


def _meta_rows(doc: Document) -> list[tuple[str, str]]:
    m, s = doc.meta, doc.source
    signer = " · ".join(x for x in (m.signer.authority, m.signer.position, m.signer.name) if x)
    return [("type", m.doc_type or ""), ("number", m.number or ""), ("issuer", " / ".join(m.issuer)),
            ("place, date", f"{m.place or ''} {m.issued_date or ''}".strip()), ("title", m.title or ""),
            ("signer", signer), ("recipients", "; ".join(m.recipients)), ("basis", ", ".join(m.basis)),
            ("source", f"{s.path or ''} · {s.format} · {s.encoding or ''} · pages={s.pages} · ocr={s.ocr}"),
            ("status", doc.status)]


def _outline(doc: Document) -> str:
    children: dict[Optional[str], list] = {}
    ids = {s.id for s in doc.sections}
    for s in doc.sections:
        children.setdefault(s.parent if s.parent in ids else None, []).append(s)

    def ul(parent: Optional[str], depth: int) -> str:
        items = children.get(parent, [])
        if not items or depth > 12:
            return ""
        lis = "".join(f'<li><a href="#sec-{escape(s.id)}">{escape(s.number or "")}{". " if s.number else ""}'
                      f'{escape(s.title[:80])}</a>{ul(s.id, depth + 1)}</li>' for s in items)
        return f"<ul>{lis}</ul>"

    return ul(None, 0) or "<p>(no sections found)</p>"


def _nowrap_dates(html: str) -> str:
    return re.sub(r"\d{4}-\d{2}(?:-\d{2})?", lambda m: f'<span class="nb">{m.group()}</span>', html)


def _task_table(doc: Document) -> str:
    if not doc.tasks:
        return "<p>(no tasks)</p>"
    rows = []
    for t in doc.tasks:
        d = t.deadline
        rows.append(
            f'<tr id="row-{escape(t.id)}" class="{"assignment" if t.origin == "list" else "table"}">'
            f'<td><a href="#task-{escape(t.id)}">{escape(t.id)}</a></td>'
            f"<td>{escape(t.number or '')}</td><td>{escape(t.group or '')}</td><td>{escape(t.content)}</td>"
            f"<td>{escape(t.lead or '')}</td><td>{escape(t.partners or '')}</td>"
            f"<td>{escape(d.text or '')} → <b>{_nowrap_dates(escape(deadline_summary(d)))}</b></td>"
            f"<td>{escape(t.status or '')}</td>"
            f"<td>{'assignment' if t.origin == 'list' else 'table'}</td></tr>")
    return ("<table class=tasks><thead><tr><th>id</th><th>no</th><th>group</th><th>content</th><th>lead</th>"
            "<th>partners</th><th>deadline → normalized</th><th>status</th><th>origin</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>")


def _reference_table(doc: Document) -> str:
    if not doc.references:
        return "<p>(no references)</p>"
    rows = []
    for ri, r in enumerate(doc.references):
        links = " ".join(f'<a href="#ref-{ri}-{mi}">{mi + 1}</a>' for mi in range(len(r.mentions)))
        rows.append(f"<tr><td>{escape(r.id)}</td><td>{escape(r.kind or '')}</td><td>{escape(r.issued_date or '')}"
                    f"</td><td>{escape(r.issuer or '')}</td><td>{escape(r.subject or '')}</td><td>{links}</td></tr>")
    return ("<table><thead><tr><th>id</th><th>kind</th><th>date</th><th>issuer</th><th>subject</th>"
            "<th>mentions</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def render_html(doc: Document) -> str:
    """The whole page as one string."""
    anns = annotations(doc)
    anchors: dict[int, list[str]] = {}
    for s in doc.sections:
        if s.span and 0 <= s.span[0] <= len(doc.text):
            anchors.setdefault(s.span[0], []).append(f'<a class="anchor" id="sec-{escape(s.id)}"></a>')
    if len(doc.source.page_spans) > 1:
        for i, (a, _) in enumerate(doc.source.page_spans, 1):
            anchors.setdefault(a, []).append(f'<span class="page" id="page-{i}">page {i}</span>')
    counts = {k: sum(1 for a in anns if a.label == k) for k in LABELS}
    legend = "".join(
        f'<label><input type="checkbox" value="{k}" checked><span class="sw" style="background:{v["color"]};'
        f'border-color:{v["border"]}"></span>{v["name"]} ({counts[k]})</label>' for k, v in LABELS.items())
    meta = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v) or '—'}</td></tr>" for k, v in _meta_rows(doc))
    errors = "".join(f"<li><b>{escape(e.stage)}</b>: {escape(e.message)}</li>" for e in doc.errors)
    title = doc.meta.title or doc.doc_id
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title[:120])}</title>
<style>{_CSS}{_MARK_CSS}{_HIDE_CSS}</style></head>
<body>
<header><h1>{escape(doc.doc_id)} — {escape(title)}</h1>
<div class="sub">{len(doc.sections)} sections · {sum(t.origin != "list" for t in doc.tasks)} table tasks ·
{sum(t.origin == "list" for t in doc.tasks)} assignments · {len(doc.references)} references ·
{len(doc.deadlines)} prose deadlines · status {escape(doc.status)}</div></header>
<div class="wrap">
<nav><h2>Outline</h2>{_outline(doc)}
<h2>Jump to</h2><ul><li><a href="#text">text</a></li><li><a href="#tasks">tasks</a></li>
<li><a href="#references">references</a></li></ul></nav>
<main>
<section class="box" id="meta"><h2>Meta</h2><table class="meta">{meta}</table>
{f'<ul class="errors">{errors}</ul>' if errors else ''}</section>
<section class="box legend">{legend}</section>
<section class="box" id="text"><h2>Text</h2><div class="doctext">{render_text(doc.text, anns, anchors)}</div></section>
<section class="box" id="tasks"><h2>Tasks ({len(doc.tasks)})</h2>{_task_table(doc)}</section>
<section class="box" id="references"><h2>References ({len(doc.references)})</h2>{_reference_table(doc)}</section>
</main></div>
<script>{_JS}</script>
</body></html>
"""


def write_html(doc: Union[Document, dict], path: Union[str, Path]) -> Path:
    """Write the annotated page of `doc` (a Document or one documents.jsonl record) to `path`."""
    if isinstance(doc, dict):
        doc = Document.model_validate(doc)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(doc), encoding="utf-8")
    return path
