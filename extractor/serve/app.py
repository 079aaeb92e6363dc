"""`extractor serve DATASET`: a local, read-only explorer of a dataset (Starlette + Jinja2).

The DuckDB file is opened read-only and every query is parameterized (values never enter the
SQL text); each request gets its own cursor, as DuckDB connections are not shared across
threads. Documents' texts (for full-text search and the annotated view) are read from
documents.jsonl: at start the file is scanned once for each record's offset and a folded copy
of its title and text (case and diacritics ignored), so a search is a substring test in memory.
"""
from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from datetime import date, timedelta
from pathlib import Path
from typing import Optional
from urllib.parse import quote, urlencode

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from .. import chains as ch
from .svg import tree_svg

TEMPLATES = Path(__file__).parent / "templates"
TASK_LIMIT = 1000          # rows a tasks page shows (and its CSV gives): the same rows
DONE = "(lower(coalesce(t.status, '')) LIKE '%hoàn thành%' AND lower(t.status) NOT LIKE '%chưa%')"


def fold(s: str) -> str:
    """Lower case without diacritics ("Nghị quyết" → "nghi quyet"), for search."""
    s = unicodedata.normalize("NFD", s.casefold().replace("đ", "d"))
    return "".join(c for c in s if not unicodedata.combining(c))


def _iso(value: Optional[str]) -> Optional[date]:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


class Dataset:
    """The read-only handles of one dataset directory."""

    def __init__(self, root: Path):
        import duckdb

        from ..store import dataset_path

        self.db = dataset_path(root)
        self.root = self.db.parent
        self.con = duckdb.connect(str(self.db), read_only=True)
        self.jsonl = self.root / "documents.jsonl"
        self.offsets: dict[str, int] = {}
        self.folded: dict[str, str] = {}
        if self.jsonl.exists():
            with self.jsonl.open("rb") as fh:
                while True:
                    at = fh.tell()
                    line = fh.readline()
                    if not line:
                        break
                    if line.strip():
                        rec = json.loads(line)
                        self.offsets[rec["doc_id"]] = at
                        meta = rec.get("meta") or {}
                        text = f"{meta.get('title') or ''}\n{rec.get('text') or ''}"
                        self.folded[rec["doc_id"]] = " ".join(fold(text).split())

    def cursor(self):
        return self.con.cursor()

    def record(self, doc_id: str) -> Optional[dict]:
        at = self.offsets.get(doc_id)
        if at is None:
            return None
        with self.jsonl.open("rb") as fh:
            fh.seek(at)
            return json.loads(fh.readline())

    def search(self, q: str) -> list[str]:
        """Documents holding every word of `q` ("quoted words" as one phrase)."""
        terms = [" ".join((a or b).split()) for a, b in re.findall(r'"([^"]+)"|(\S+)', fold(q))]
        return [d for d, t in self.folded.items() if all(w in t for w in terms if w)]


def _rows(cur, sql: str, params: list) -> list[dict]:
    cur.execute(sql, params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def _options(cur, sql: str) -> list[str]:
    return [r[0] for r in cur.execute(sql).fetchall() if r[0] is not None]


# ---------------------------------------------------------------- pages

def home(request: Request):
    ds: Dataset = request.app.state.ds
    cur = ds.cursor()
    as_of = _iso(request.query_params.get("as_of")) or date.today()
    days = request.query_params.get("days") or ""
    days = min(int(days), 3660) if days.isdigit() else 90
    counts = dict(zip(
        ["documents", "directives", "in_dataset", "tasks", "deadlines", "units"],
        cur.execute("""SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM directives),
                              (SELECT count(*) FROM directives WHERE in_dataset), (SELECT count(*) FROM tasks),
                              (SELECT count(*) FROM deadlines), (SELECT count(DISTINCT name) FROM task_units)""")
        .fetchone()))
    top = _rows(cur, """SELECT directive_id, id, qualified_id, kind, issuer, issued_date, cited_by, mentions, doc_id
                        FROM directives WHERE cited_by > 0
                        ORDER BY cited_by DESC, mentions DESC, directive_id LIMIT 15""", [])
    due = _rows(cur, f"""SELECT t.doc_id, t.task_id, t.doc_number, t.content, t.lead, t.status, t.deadline_text,
                                coalesce(t.due_end, t.due_start) AS due
                         FROM task_deadlines t
                         WHERE coalesce(t.due_end, t.due_start) BETWEEN ? AND ? AND NOT {DONE}
                         ORDER BY due, t.doc_id, t.task_id LIMIT 25""", [as_of, as_of + timedelta(days=days)])
    return _page(request, "home.html", counts=counts, top=top, due=due, as_of=as_of, days=days)


DOC_FILTERS = {"type": "d.doc_type = ?", "issuer": "d.issuer ILIKE ?", "province": "d.province = ?",
               "year": "substr(d.issued_date, 1, 4) = ?", "status": "d.status = ?"}


def documents(request: Request):
    ds: Dataset = request.app.state.ds
    cur = ds.cursor()
    qp = request.query_params
    where, params = [], []
    for key, clause in DOC_FILTERS.items():
        v = (qp.get(key) or "").strip()
        if v:
            where.append(clause)
            params.append(f"%{v}%" if "ILIKE" in clause else v)
    q = (qp.get("q") or "").strip()
    if q:
        hits = ds.search(q)
        where.append("list_contains(?::VARCHAR[], d.doc_id)")
        params.append(hits)
    sql = ("SELECT d.doc_id, d.number, d.doc_type, d.issuer, d.province, d.issued_date, d.title, d.status, "
           "d.n_tasks, d.n_references, x.directive_id FROM documents d LEFT JOIN directives x USING (doc_id)"
           + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY d.issued_date DESC NULLS LAST, d.doc_id")
    docs = _rows(cur, sql, params)
    opts = {"type": _options(cur, "SELECT DISTINCT doc_type FROM documents ORDER BY 1"),
            "province": _options(cur, "SELECT DISTINCT province FROM documents ORDER BY 1"),
            "year": _options(cur, "SELECT DISTINCT substr(issued_date, 1, 4) FROM documents ORDER BY 1 DESC"),
            "status": _options(cur, "SELECT DISTINCT status FROM documents ORDER BY 1")}
    return _page(request, "documents.html", docs=docs, opts=opts, f={k: qp.get(k, "") for k in [*DOC_FILTERS, "q"]})


def document(request: Request):
    """The `show --html` page of one document, with a bar of links to the explorer and a box of
    the directives it cites (to their registry pages) and the units it names (to unit pages)."""
    from ..annotate import render_html
    from ..model import Document

    ds: Dataset = request.app.state.ds
    doc_id = request.query_params.get("doc_id") or ""
    rec = ds.record(doc_id)
    if rec is None:
        return _not_found(request, f"no document {doc_id!r}")
    page = render_html(Document.model_validate(rec))
    cur = ds.cursor()
    cited = _rows(cur, """SELECT x.ref_id, x.directive_id, r.relation, r.n_mentions, t.issued_date, t.kind, t.cited_by
                          FROM directive_refs x JOIN "references" r USING (doc_id, ref_id)
                          JOIN directives t ON t.directive_id = x.directive_id
                          WHERE x.doc_id = ? ORDER BY r.relation = 'mentions', x.ref_id""", [doc_id])
    units = _rows(cur, """SELECT name, count(*) AS n, count(*) FILTER (WHERE role = 'lead') AS lead
                          FROM task_units WHERE doc_id = ? AND name IS NOT NULL GROUP BY name
                          ORDER BY lead DESC, n DESC, name""", [doc_id])
    own = cur.execute("SELECT directive_id FROM directives WHERE doc_id = ?", [doc_id]).fetchone()
    tpl = request.app.state.templates.env
    bar = tpl.get_template("_docbar.html").render(doc_id=doc_id, own=own[0] if own else None)
    box = tpl.get_template("_doclinks.html").render(cited=cited, units=units, doc_id=doc_id)
    refmap = {c["ref_id"]: "/directive?id=" + quote(c["directive_id"], safe="") for c in cited}
    script = ("<script>(function(){var m=" + json.dumps(refmap).replace("</", "<\\/") + ";"
              "document.querySelectorAll('mark[data-label=REFERENCE]').forEach(function(e){"
              "var h=m[e.getAttribute('data-ref')];if(h){e.style.cursor='pointer';e.addEventListener('click',"
              "function(ev){if(ev.target===e){location.href=h}})}})})();</script>")
    page = page.replace("<body>", "<body>" + bar, 1).replace("</main>", box + "</main>", 1)
    page = page.replace("</body>", script + "</body>", 1)
    return HTMLResponse(page)


DIRECTIVE_ORDER = {"cited": "cited_by DESC, mentions DESC, directive_id", "date": "issued_date DESC NULLS LAST, directive_id",
                   "id": "directive_id"}


def directives(request: Request):
    ds: Dataset = request.app.state.ds
    cur = ds.cursor()
    qp = request.query_params
    where, params = [], []
    if qp.get("q"):
        where.append("(directive_id ILIKE ? OR forms ILIKE ? OR subject ILIKE ? OR issuer ILIKE ?)")
        params += [f"%{qp['q'].strip()}%"] * 4
    for key in ("kind", "scope"):
        if qp.get(key):
            where.append(f"{key} = ?")
            params.append(qp[key])
    if qp.get("in_dataset"):
        where.append("in_dataset")
    order = DIRECTIVE_ORDER.get(qp.get("order") or "cited", DIRECTIVE_ORDER["cited"])
    rows = _rows(cur, "SELECT * FROM directives" + (" WHERE " + " AND ".join(where) if where else "")
                 + f" ORDER BY {order}", params)
    opts = {"kind": _options(cur, "SELECT DISTINCT kind FROM directives ORDER BY 1"),
            "scope": _options(cur, "SELECT DISTINCT scope FROM directives ORDER BY 1")}
    return _page(request, "directives.html", rows=rows, opts=opts,
                 f={k: qp.get(k, "") for k in ("q", "kind", "scope", "in_dataset", "order")})


def directive(request: Request):
    ds: Dataset = request.app.state.ds
    cur = ds.cursor()
    did = request.query_params.get("id") or ""
    rows = _rows(cur, "SELECT * FROM directives WHERE directive_id = ?", [did])
    if not rows:
        try:
            nodes = ch.resolve(cur, did)
        except ch.NotFound:
            return _not_found(request, f"no directive {did!r}")
        if len(nodes) == 1 and nodes[0].directive_id:
            rows = _rows(cur, "SELECT * FROM directives WHERE directive_id = ?", [nodes[0].directive_id])
        else:
            return _page(request, "choose.html", ident=did, nodes=nodes)
    row = rows[0]
    cites = _rows(cur, """SELECT x.doc_id AS citing_doc, d.number AS citing_number, cd.directive_id AS citing_directive_id,
                                 d.issuer AS citing_issuer, d.province AS citing_province, d.issued_date AS citing_date,
                                 coalesce(m.relation, 'mentions') AS relation, m.section, m.text AS mention, m.context
                          FROM directive_refs x JOIN mentions m USING (doc_id, ref_id)
                          JOIN documents d ON d.doc_id = x.doc_id LEFT JOIN directives cd ON cd.doc_id = x.doc_id
                          WHERE x.directive_id = ?
                          ORDER BY d.issued_date NULLS LAST, x.doc_id, m.start""", [row["directive_id"]])
    root = ch.expand(cur, ch.resolve(cur, row["directive_id"])[0])
    below = sorted({n.doc_id for _, _, n in ch.walk(root) if n.doc_id and n is not root})
    tasks = _rows(cur, """SELECT t.doc_id, t.doc_number, t.task_id, t.number, t.content, t.lead, t.status, t.origin,
                                 t.deadline_text, coalesce(t.due_end, t.due_start) AS due
                          FROM task_deadlines t WHERE list_contains(?::VARCHAR[], t.doc_id)
                          ORDER BY due NULLS LAST, t.doc_id, t.task_id""", [below])
    up = None
    if row["doc_id"]:
        up = ch.expand(cur, ch.resolve(cur, row["directive_id"])[0], up=True)
        up = up if up.children else None
    return _page(request, "directive.html", d=row, cites=cites, svg=tree_svg(root), n_nodes=len({n.key for _, _, n in ch.walk(root)}),
                 paths=[ch.path_text(p) for p in ch.paths(root)] if root.children else [], tasks=tasks,
                 up_svg=tree_svg(up, up=True) if up else None, below=below)


def chain(request: Request):
    ds: Dataset = request.app.state.ds
    cur = ds.cursor()
    ident = request.query_params.get("id") or ""
    up = request.query_params.get("dir") == "up"
    try:
        roots = ch.chains(cur, ident, up=up)
    except ch.NotFound as exc:
        return _not_found(request, str(exc))
    trees = [{"root": r, "svg": tree_svg(r, up=up), "paths": [ch.path_text(p) for p in ch.paths(r, up=up)],
              "nodes": [(d, n) for d, _, n in ch.walk(r)]} for r in roots]
    return _page(request, "chain.html", ident=ident, up=up, trees=trees)


TASK_COLUMNS = ["doc_id", "doc_number", "task_id", "number", "content", "lead", "partners", "status", "origin",
                "deadline_text", "due"]


def _task_query(qp) -> tuple[str, list, list[str]]:
    """The tasks page's WHERE clause and parameters from its query string, and the problems found."""
    where, params, problems = [], [], []
    unit = (qp.get("unit") or "").strip()
    if unit:
        where.append("""(t.lead ILIKE ? OR t.partners ILIKE ? OR EXISTS (SELECT 1 FROM task_units u
                         WHERE u.doc_id = t.doc_id AND u.task_id = t.task_id AND u.name ILIKE ?))""")
        params += [f"%{unit}%"] * 3
    for key, op in (("from", ">="), ("to", "<=")):
        v = qp.get(key)
        if v:
            d = _iso(v)
            if d is None:
                problems.append(f"{key}: {v!r} is not a date (YYYY-MM-DD)")
            else:
                where.append(f"coalesce(t.due_end, t.due_start) {op} ?")
                params.append(d)
    status = qp.get("status")
    if status == "(none)":
        where.append("t.status IS NULL")
    elif status:
        where.append("t.status = ?")
        params.append(status)
    if qp.get("origin"):
        where.append("t.origin = ?")
        params.append(qp["origin"])
    if qp.get("doc"):
        where.append("t.doc_id = ?")
        params.append(qp["doc"])
    if qp.get("overdue"):
        d = _iso(qp["overdue"])
        if d is None:
            problems.append(f"overdue: {qp['overdue']!r} is not a date (YYYY-MM-DD)")
        else:
            where.append(f"coalesce(t.due_end, t.due_start) < ? AND NOT {DONE}")
            params.append(d)
    return (" WHERE " + " AND ".join(where) if where else ""), params, problems


def _tasks(ds: Dataset, qp) -> tuple[int, list[dict], list[str]]:
    where, params, problems = _task_query(qp)
    cur = ds.cursor()
    total = cur.execute(f"SELECT count(*) FROM task_deadlines t{where}", params).fetchone()[0]
    rows = _rows(cur, f"""SELECT t.doc_id, t.doc_number, t.task_id, t.number, t.content, t.lead, t.partners, t.status,
                                 t.origin, t.deadline_text, coalesce(t.due_end, t.due_start) AS due
                          FROM task_deadlines t{where}
                          ORDER BY due NULLS LAST, t.doc_id, t.task_id LIMIT ?""", params + [TASK_LIMIT])
    return total, rows, problems


TASK_PARAMS = ("unit", "from", "to", "status", "origin", "overdue", "doc")


def tasks(request: Request):
    ds: Dataset = request.app.state.ds
    qp = request.query_params
    total, rows, problems = _tasks(ds, qp)
    cur = ds.cursor()
    opts = {"status": _options(cur, "SELECT DISTINCT status FROM tasks ORDER BY 1"),
            "origin": _options(cur, "SELECT DISTINCT origin FROM tasks ORDER BY 1")}
    f = {k: qp.get(k, "") for k in TASK_PARAMS}
    csv_url = "/tasks.csv?" + urlencode({k: v for k, v in f.items() if v})
    return _page(request, "tasks.html", total=total, rows=rows, problems=problems, opts=opts, f=f, csv_url=csv_url,
                 limit=TASK_LIMIT)


def tasks_csv(request: Request):
    total, rows, problems = _tasks(request.app.state.ds, request.query_params)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=TASK_COLUMNS)
    w.writeheader()
    w.writerows(rows)
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="tasks.csv"'})


def units(request: Request):
    ds: Dataset = request.app.state.ds
    rows = _rows(ds.cursor(), "SELECT * FROM units_by_tasks", [])
    return _page(request, "units.html", rows=rows)


def unit(request: Request):
    ds: Dataset = request.app.state.ds
    name = request.query_params.get("name") or ""
    cur = ds.cursor()
    rows = _rows(cur, """SELECT u.role, t.doc_id, t.doc_number, t.task_id, t.number, t.content, t.status, t.origin,
                                t.deadline_text, coalesce(t.due_end, t.due_start) AS due
                         FROM task_units u JOIN task_deadlines t USING (doc_id, task_id)
                         WHERE u.name = ? ORDER BY due NULLS LAST, t.doc_id, t.task_id""", [name])
    prose = _rows(cur, """SELECT u.doc_id, u.role, u.text FROM task_units u
                          WHERE u.name = ? AND u.task_id IS NULL ORDER BY u.doc_id, u.start""", [name])
    if not rows and not prose:
        return _not_found(request, f"no unit {name!r}")
    return _page(request, "unit.html", name=name, rows=rows, prose=prose)


# ---------------------------------------------------------------- plumbing

def _page(request: Request, template: str, **ctx) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, template, {"dataset": request.app.state.ds.root, **ctx})


def _not_found(request: Request, message: str) -> HTMLResponse:
    r = _page(request, "notfound.html", message=message)
    r.status_code = 404
    return r


def _q(value) -> str:
    return quote(str(value), safe="")


def _short(value, k: int = 160) -> str:
    s = "" if value is None else str(value)
    return s if len(s) <= k else s[:k - 1] + "…"


def create_app(dataset: Path) -> Starlette:
    app = Starlette(routes=[
        Route("/", home), Route("/documents", documents), Route("/document", document),
        Route("/directives", directives), Route("/directive", directive), Route("/chain", chain),
        Route("/tasks", tasks), Route("/tasks.csv", tasks_csv), Route("/units", units), Route("/unit", unit),
    ])  # GET only: Starlette answers 405 to anything else
    app.state.ds = Dataset(Path(dataset))
    templates = Jinja2Templates(directory=str(TEMPLATES))
    templates.env.filters["q"] = _q
    templates.env.filters["short"] = _short
    app.state.templates = templates
    return app


def serve(dataset: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    import uvicorn

    uvicorn.run(create_app(dataset), host=host, port=port, log_level="warning")
