"""Implementation chains over a dataset: the tree below a directive (who implements it, who
implements those …) and the chain above a document (what it implements, what those implement).

Edges are the `lineage` view's rows with relation "implements" (or a basis reference); nodes
are the registry's directives, so a local symbol is followed only within its province. A
document without its own number is a leaf (nothing can cite it by number).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Optional

_DIRECTIVE_COLS = "directive_id, id, qualified_id, kind, issuer, issued_date, doc_id"
_DOC_COLS = "doc_id, number, doc_type, issuer, issued_date, title"


@dataclass
class Node:
    key: str                             # directive_id, or "doc:" + doc_id for a document without number
    number: str                          # the symbol as the registry writes it (or the doc_id)
    qualified_id: Optional[str]
    directive_id: Optional[str]
    doc_id: Optional[str]
    kind: Optional[str]
    issuer: Optional[str]
    issued_date: Optional[str]
    title: Optional[str] = None
    n_tasks: int = 0
    deadlines: list[tuple[str, int]] = field(default_factory=list)   # (date, tasks due then)
    children: list["Node"] = field(default_factory=list)
    cycle: bool = False                  # seen higher up the same path: not expanded again


class NotFound(LookupError):
    pass


def _candidates(ident: str) -> list[str]:
    from .references import canonical_id
    from .registry import normalize_id

    rid = canonical_id(ident)
    return list(dict.fromkeys([ident.strip(), rid, normalize_id(rid)]))


def resolve(con, ident: str) -> list[Node]:
    """The directives (or documents) `ident` names: a directive_id, qualified_id, symbol or
    doc_id. A local symbol cited in several provinces gives one node per province."""
    forms = _candidates(ident)
    marks = ", ".join("?" * len(forms))
    for col in ("directive_id", "qualified_id", "id", "doc_id"):
        rows = con.execute(f"SELECT {_DIRECTIVE_COLS} FROM directives WHERE {col} IN ({marks}) "
                           "ORDER BY directive_id", forms).fetchall()
        if rows:
            return [_directive_node(con, r) for r in rows]
    rows = con.execute(f"SELECT {_DOC_COLS} FROM documents WHERE doc_id IN ({marks})", forms).fetchall()
    if rows:
        return [_doc_node(con, r) for r in rows]
    raise NotFound(f"no directive or document {ident!r} in the dataset")


def _deadlines(con, doc_id: Optional[str]) -> tuple[int, list[tuple[str, int]]]:
    if not doc_id:
        return 0, []
    n = con.execute("SELECT count(*) FROM tasks WHERE doc_id = ?", [doc_id]).fetchone()[0]
    rows = con.execute("""SELECT coalesce(deadline_end, deadline_start) AS due, count(*) FROM tasks
                          WHERE doc_id = ? AND coalesce(deadline_end, deadline_start) IS NOT NULL
                          GROUP BY due ORDER BY due""", [doc_id]).fetchall()
    return n, [(str(d), c) for d, c in rows]


def _directive_node(con, row) -> Node:
    directive_id, rid, qid, kind, issuer, date, doc_id = row
    title = None
    if doc_id:
        t = con.execute("SELECT title, issuer FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
        title = t[0] if t else None
    n, dls = _deadlines(con, doc_id)
    return Node(key=directive_id, number=rid, qualified_id=qid, directive_id=directive_id, doc_id=doc_id,
                kind=kind, issuer=issuer, issued_date=date, title=title, n_tasks=n, deadlines=dls)


def _doc_node(con, row) -> Node:
    doc_id, number, doc_type, issuer, date, title = row
    d = con.execute(f"SELECT {_DIRECTIVE_COLS} FROM directives WHERE doc_id = ?", [doc_id]).fetchone()
    if d:
        return _directive_node(con, d)
    n, dls = _deadlines(con, doc_id)
    return Node(key=f"doc:{doc_id}", number=number or doc_id, qualified_id=None, directive_id=None,
                doc_id=doc_id, kind=doc_type, issuer=issuer, issued_date=date, title=title, n_tasks=n,
                deadlines=dls)


_IMPLEMENTS = "(relation = 'implements' OR in_basis)"


def _below(con, node: Node) -> list[Node]:
    if not node.directive_id:
        return []
    docs = con.execute(f"""SELECT DISTINCT citing_doc FROM lineage WHERE cited_directive_id = ? AND {_IMPLEMENTS}
                           AND citing_doc IS DISTINCT FROM ? ORDER BY citing_doc""",
                       [node.directive_id, node.doc_id]).fetchall()
    out = []
    for (doc_id,) in docs:
        out += [_doc_node(con, r) for r in
                con.execute(f"SELECT {_DOC_COLS} FROM documents WHERE doc_id = ?", [doc_id]).fetchall()]
    return sorted(out, key=lambda n: (n.issued_date or "", n.number))


def _above(con, node: Node) -> list[Node]:
    if not node.doc_id:
        return []
    rows = con.execute(f"""SELECT DISTINCT t.directive_id, t.id, t.qualified_id, t.kind, t.issuer, t.issued_date,
                                  t.doc_id
                           FROM lineage l JOIN directives t ON t.directive_id = l.cited_directive_id
                           WHERE l.citing_doc = ? AND {_IMPLEMENTS}
                           AND t.directive_id IS DISTINCT FROM ? ORDER BY t.issued_date, t.id""",
                       [node.doc_id, node.directive_id]).fetchall()
    return [_directive_node(con, r) for r in rows]


def expand(con, root: Node, up: bool = False, max_depth: int = 12) -> Node:
    """Fill `root.children` recursively (down: implementing documents; up: implemented directives)."""
    step = _above if up else _below

    def grow(node: Node, path: frozenset, depth: int) -> None:
        if depth >= max_depth:
            return
        for child in step(con, node):
            if child.key in path:
                child.cycle = True
            else:
                grow(child, path | {child.key}, depth + 1)
            node.children.append(child)

    grow(root, frozenset({root.key}), 0)
    return root


def chains(con, ident: str, up: bool = False) -> list[Node]:
    """The expanded tree(s) of `ident`."""
    return [expand(con, n, up=up) for n in resolve(con, ident)]


def paths(root: Node, up: bool = False) -> list[list[Node]]:
    """Every root-to-leaf path, written top-down (the directive first, its implementers after):
    for --up the path is reversed so it still reads 75-KL/TW → 31-CTr/TW → … → the document."""
    out: list[list[Node]] = []

    def walk(n: Node, acc: list[Node]) -> None:
        acc = acc + [n]
        if not n.children:
            out.append(list(reversed(acc)) if up else acc)
        for c in n.children:
            walk(c, acc)

    walk(root, [])
    return out


def walk(root: Node) -> Iterator[tuple[int, Optional[Node], Node]]:
    """(depth, parent, node) depth first."""
    todo: list[tuple[int, Optional[Node], Node]] = [(0, None, root)]
    while todo:
        depth, parent, n = todo.pop()
        yield depth, parent, n
        todo += [(depth + 1, n, c) for c in reversed(n.children)]


def rows(roots: list[Node], up: bool = False) -> list[dict]:
    """The trees as flat rows (one per node occurrence), for csv/json output and the web app."""
    out = []
    for root in roots:
        for depth, parent, n in walk(root):
            out.append({
                "root": root.key, "depth": depth, "direction": "up" if up else "down",
                "parent": parent.key if parent else None, "number": n.number, "qualified_id": n.qualified_id,
                "directive_id": n.directive_id, "doc_id": n.doc_id, "kind": n.kind, "issuer": n.issuer,
                "issued_date": n.issued_date, "tasks": n.n_tasks,
                "deadlines": "; ".join(f"{d} ({c})" for d, c in n.deadlines), "cycle": n.cycle})
    return out


def path_text(path: list[Node]) -> str:
    return " → ".join(n.number for n in path)
