"""An implementation tree (extractor/chains.py) drawn as SVG: one box per node, columns by depth,
rows by leaf order, each box a link to its directive or document page. No layout library:
a tree needs only its leaves counted."""
from __future__ import annotations

from html import escape
from typing import Callable, Optional
from urllib.parse import quote

from ..chains import Node

W, H, GAP_X, GAP_Y, PAD = 220, 46, 50, 14, 10


def _href(n: Node) -> Optional[str]:
    if n.directive_id:
        return "/directive?id=" + quote(n.directive_id, safe="")
    if n.doc_id:
        return "/document?doc_id=" + quote(n.doc_id, safe="")
    return None


def _clip(s: Optional[str], k: int) -> str:
    s = s or ""
    return s if len(s) <= k else s[:k - 1] + "…"


def tree_svg(root: Node, up: bool = False, href: Callable[[Node], Optional[str]] = _href) -> str:
    """The tree as an <svg> element (inline in a page). With `up`, the root (a document) is drawn
    on the right and what it implements to its left, so the picture always reads top-down
    authority → implementer from left to right."""
    pos: dict[int, tuple[float, int]] = {}
    leaves = [0]
    depth_max = [0]

    def place(n: Node, depth: int) -> float:
        depth_max[0] = max(depth_max[0], depth)
        if not n.children:
            y = leaves[0]
            leaves[0] += 1
        else:
            ys = [place(c, depth + 1) for c in n.children]
            y = (ys[0] + ys[-1]) / 2
        pos[id(n)] = (y, depth)
        return y

    place(root, 0)
    cols = depth_max[0] + 1
    width = PAD * 2 + cols * W + (cols - 1) * GAP_X
    height = PAD * 2 + leaves[0] * H + (leaves[0] - 1) * GAP_Y

    def xy(n: Node) -> tuple[float, float]:
        y, d = pos[id(n)]
        col = (cols - 1 - d) if up else d
        return PAD + col * (W + GAP_X), PAD + y * (H + GAP_Y)

    edges, boxes = [], []
    todo = [root]
    while todo:
        n = todo.pop()
        x, y = xy(n)
        for c in n.children:
            cx, cy = xy(c)
            x1, x2 = (x + W, cx) if not up else (x, cx + W)
            edges.append(f'<path d="M{x1:.0f},{y + H / 2:.0f} C{(x1 + x2) / 2:.0f},{y + H / 2:.0f} '
                         f'{(x1 + x2) / 2:.0f},{cy + H / 2:.0f} {x2:.0f},{cy + H / 2:.0f}" class="edge"/>')
            todo.append(c)
        cls = "node" + (" root" if n is root else "") + (" outside" if not n.doc_id else "")
        label = (f'<rect x="{x:.0f}" y="{y:.0f}" width="{W}" height="{H}" rx="5" class="{cls}"/>'
                 f'<text x="{x + 8:.0f}" y="{y + 18:.0f}" class="num">{escape(_clip(n.number, 28))}</text>'
                 f'<text x="{x + 8:.0f}" y="{y + 36:.0f}" class="sub">'
                 f'{escape(_clip(" · ".join(v for v in (n.issued_date, n.issuer) if v), 34))}</text>'
                 f'<title>{escape(n.qualified_id or n.number)} {escape(n.title or "")} · {n.n_tasks} tasks</title>')
        link = href(n)
        boxes.append(f'<a href="{escape(link)}" data-node="{escape(n.key)}">{label}</a>' if link
                     else f'<g data-node="{escape(n.key)}">{label}</g>')
    style = ("<style>.edge{fill:none;stroke:#8a99b3;stroke-width:1.5}.node{fill:#eef3fb;stroke:#5b7bb4}"
             ".node.root{fill:#ffe08a;stroke:#c9a227}.node.outside{fill:#fff;stroke-dasharray:4 3}"
             ".num{font:bold 13px DejaVu Sans,sans-serif;fill:#1a2b4c}.sub{font:11px DejaVu Sans,sans-serif;"
             "fill:#555}a:hover rect{stroke-width:2.5}</style>")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="tree" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="implementation tree of '
            f'{escape(root.number)}">{style}{"".join(edges)}{"".join(boxes)}</svg>')
