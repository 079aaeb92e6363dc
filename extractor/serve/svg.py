"""An implementation tree (extractor/chains.py) drawn as SVG: one box per directive or document,
columns by the longest implementation path from the root, each box a link to its page. No layout
library: the graphs are small layered DAGs (a chain has a handful of levels)."""
from __future__ import annotations

from html import escape
from typing import Callable, Optional
from urllib.parse import quote

from ..chains import Node

W, H, GAP_X, GAP_Y, PAD, LIFT = 220, 46, 50, 14, 10, 26


def _href(n: Node) -> Optional[str]:
    if n.directive_id:
        return "/directive?id=" + quote(n.directive_id, safe="")
    if n.doc_id:
        return "/document?doc_id=" + quote(n.doc_id, safe="")
    return None


def _clip(s: Optional[str], k: int) -> str:
    s = s or ""
    return s if len(s) <= k else s[:k - 1] + "…"


def _graph(root: Node) -> tuple[dict[str, Node], list[tuple[str, str]]]:
    """The expanded tree folded back into its graph: one node per key, each edge once."""
    nodes: dict[str, Node] = {}
    edges: list[tuple[str, str]] = []
    todo = [root]
    while todo:
        n = todo.pop()
        nodes.setdefault(n.key, n)
        for c in n.children:
            if (n.key, c.key) not in edges:
                edges.append((n.key, c.key))
            todo.append(c)
    return nodes, edges


def _layers(root: Node, nodes: dict[str, Node], edges: list[tuple[str, str]]) -> list[list[str]]:
    """Columns by the longest path from the root (an implementer is drawn right of everything it
    implements); within a column, nodes ordered by the mean row of their parents."""
    depth = {root.key: 0}
    for _ in range(len(nodes)):              # longest path in a DAG (cycles were cut when expanding)
        changed = False
        for a, b in edges:
            if a in depth and depth.get(b, -1) < depth[a] + 1 and b != root.key:
                depth[b] = depth[a] + 1
                changed = True
        if not changed:
            break
    cols: list[list[str]] = [[] for _ in range(max(depth.values()) + 1)]
    row: dict[str, float] = {root.key: 0}
    for d in range(len(cols)):
        members = [k for k in nodes if depth.get(k) == d]
        def bary(k: str) -> tuple:
            ps = [row[a] for a, b in edges if b == k and a in row]
            return (sum(ps) / len(ps) if ps else 0, nodes[k].issued_date or "", nodes[k].number)
        members.sort(key=bary)
        for i, k in enumerate(members):
            row[k] = i
        cols[d] = members
    return cols


def tree_svg(root: Node, up: bool = False, href: Callable[[Node], Optional[str]] = _href) -> str:
    """The implementation graph below (or, with `up`, above) `root` as an <svg> element, one box
    per directive or document however many paths reach it. Columns read authority → implementer
    from left to right in both directions: with `up` the root (a document) is the rightmost."""
    nodes, edges = _graph(root)
    cols = _layers(root, nodes, edges)
    tallest = max(len(c) for c in cols)
    colno = {k: ((len(cols) - 1 - d) if up else d) for d, members in enumerate(cols) for k in members}
    span = max([abs(colno[a] - colno[b]) for a, b in edges] + [1])
    top = PAD + (LIFT * (span - 1) if span > 1 else 0)      # room for the arcs of edges that skip columns
    width = PAD * 2 + len(cols) * W + (len(cols) - 1) * GAP_X
    height = top + PAD + tallest * H + (tallest - 1) * GAP_Y
    at: dict[str, tuple[float, float]] = {}
    for d, members in enumerate(cols):
        offset = (tallest - len(members)) * (H + GAP_Y) / 2       # centre short columns
        for i, k in enumerate(members):
            at[k] = (PAD + colno[k] * (W + GAP_X), top + offset + i * (H + GAP_Y))
    paths = []
    for a, b in edges:
        # every arrow reads authority → implementer, left to right, whichever way the tree was grown
        left, right = (a, b) if colno[a] < colno[b] else (b, a)
        (lx, ly), (rx, ry) = at[left], at[right]
        skip = colno[right] - colno[left]
        if skip == 1:
            d = (f"M{lx + W:.0f},{ly + H / 2:.0f} C{(lx + W + rx) / 2:.0f},{ly + H / 2:.0f} "
                 f"{(lx + W + rx) / 2:.0f},{ry + H / 2:.0f} {rx:.0f},{ry + H / 2:.0f}")
        else:                                                     # an arc over the columns it skips
            lift = min(ly, ry) - LIFT * (skip - 1)
            d = (f"M{lx + W - 30:.0f},{ly:.0f} C{lx + W - 30:.0f},{lift:.0f} {rx + 30:.0f},{lift:.0f} "
                 f"{rx + 30:.0f},{ry:.0f}")
        paths.append(f'<path d="{d}" class="edge" marker-end="url(#arrow)"/>')
    boxes = []
    for k, n in nodes.items():
        x, y = at[k]
        cls = "node" + (" root" if n is root else "") + (" outside" if not n.doc_id else "")
        label = (f'<rect x="{x:.0f}" y="{y:.0f}" width="{W}" height="{H}" rx="5" class="{cls}"/>'
                 f'<text x="{x + 8:.0f}" y="{y + 18:.0f}" class="num">{escape(_clip(n.number, 28))}</text>'
                 f'<text x="{x + 8:.0f}" y="{y + 36:.0f}" class="sub">'
                 f'{escape(_clip(" · ".join(v for v in (n.issued_date, n.issuer) if v), 34))}</text>'
                 f'<title>{escape(n.qualified_id or n.number)} {escape(n.title or "")} · {n.n_tasks} tasks</title>')
        link = href(n)
        boxes.append(f'<a href="{escape(link)}" data-node="{escape(k)}">{label}</a>' if link
                     else f'<g data-node="{escape(k)}">{label}</g>')
    defs = ('<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
            'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#8a99b3"/></marker></defs>')
    style = ("<style>.edge{fill:none;stroke:#8a99b3;stroke-width:1.5}.node{fill:#eef3fb;stroke:#5b7bb4}"
             ".node.root{fill:#ffe08a;stroke:#c9a227}.node.outside{fill:#fff;stroke-dasharray:4 3}"
             ".num{font:bold 13px DejaVu Sans,sans-serif;fill:#1a2b4c}.sub{font:11px DejaVu Sans,sans-serif;"
             "fill:#555}a:hover rect{stroke-width:2.5}</style>")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="tree" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="implementation graph of '
            f'{escape(root.number)}">{defs}{style}{"".join(paths)}{"".join(boxes)}</svg>')
