"""Tables and plots over a dataset directory, shared by the notebooks and `extractor report`.

Each chart is a pair: a query function returning a pandas DataFrame (what the chart shows,
so a notebook can print it) and a plot function drawing that frame on a matplotlib Figure.
`save_report(dataset, out)` writes every chart as PNG (Agg backend, no display needed).

Issuer levels (central / local / state) come from data/issuers.yaml via the issuer code of
a symbol ("100-KL/TW" → TW → central); nothing here knows a particular province.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Optional, Union

import pandas as pd

from .patterns import DASH
from .vocab import load_issuers

if TYPE_CHECKING:  # matplotlib is imported lazily: the CLI must start fast without it
    from matplotlib.figure import Figure

PathLike = Union[str, os.PathLike]
LEVELS = ("central", "state", "local", "unknown")
LEVEL_COLORS = {"central": "#c0392b", "state": "#27ae60", "local": "#2e6fbd", "unknown": "#9e9e9e"}
LEVEL_NAMES = {"central": "central (TW)", "state": "state", "local": "local (TU, HU, …)", "unknown": "level unknown"}
FONT = "DejaVu Sans"  # has every Vietnamese glyph; ships with matplotlib


# ---------------------------------------------------------------- dataset access

def dataset_dir(default: PathLike = "../dataset") -> Path:
    """The dataset directory a notebook reads: $DATASET, else `default` (relative to the cwd)."""
    return Path(os.environ.get("DATASET") or default)


def connect(dataset: PathLike):
    """A read-only DuckDB connection to DATASET/dataset.duckdb."""
    import duckdb

    from .store import dataset_path

    return duckdb.connect(str(dataset_path(Path(dataset))), read_only=True)


def _records(dataset: PathLike, doc_ids: Optional[set[str]] = None) -> Iterable[dict]:
    from .store import read_jsonl

    for rec in read_jsonl(Path(dataset) / "documents.jsonl"):
        if doc_ids is None or rec.get("doc_id") in doc_ids:
            yield rec


# ---------------------------------------------------------------- issuer levels

@lru_cache(maxsize=1)
def _issuer_scopes() -> tuple[dict[str, str], dict[str, str]]:
    """(code → scope, casefolded name → scope) from data/issuers.yaml."""
    codes, names = {}, {}
    for code, info in load_issuers().issuers.items():
        scope = info.scope
        if scope in LEVELS:
            codes[str(code)] = scope
            for name in info.name.split(" / "):
                if name.strip():
                    names[name.strip().casefold()] = scope
    return codes, names


_PARTY = re.compile(r"^[0-9A-Za-z.]+-[^/]+/(?P<code>[^-/\s]+)")      # 100-KL/TW, 01-CTr/BTGTU-HĐND-…
_STATE = re.compile(r"^[0-9]+(?:/[0-9]{4})?/[^-/\s]+-(?P<code>[^-/\s]+)")  # 30/2020/NĐ-CP, 21/KL-BCA


def id_level(ref_id: Optional[str]) -> str:
    """central | state | local | unknown for a canonical id, from its issuer code.

    A joint symbol ("01-CTr/BTGTU-HĐND-UBND") takes its first code; short forms ("05-CT")
    and named references ("name:…") have no code and are unknown."""
    if not ref_id or ref_id.startswith("name:"):
        return "unknown"
    codes, _ = _issuer_scopes()
    for pat in (_STATE, _PARTY):
        m = pat.match(ref_id)
        if m:
            code = m.group("code")
            if code in codes:
                return codes[code]
            if pat is _STATE:
                return "state"
            # an unlisted Party code: a TW suffix is central by the naming convention
            return "central" if code.endswith("TW") else "local"
    return "unknown"


def document_level(number: Optional[str], issuer: Optional[str], province: Optional[str]) -> str:
    """The level of a document in the dataset: from its own symbol, else its issuer lines
    (a known issuer name), else local when a province was read from the header."""
    level = id_level(number)
    if level != "unknown":
        return level
    _, names = _issuer_scopes()
    for line in (issuer or "").split(" / "):
        key = line.strip().casefold()
        for name, scope in names.items():
            if key == name or key.startswith(name + " "):
                return scope
    return "local" if province else "unknown"


# ---------------------------------------------------------------- citations

def most_cited(con, top: int = 15) -> pd.DataFrame:
    """The most cited directives of the registry (one row per directive, so a local number is
    counted per province and the written forms of one law together): cited_id (the registry's
    directive id), kind, level, citing documents, mentions, written forms."""
    df = con.execute("""SELECT directive_id AS cited_id, id, kind, cited_by AS citing_documents, mentions, in_dataset,
                               forms
                        FROM directives WHERE cited_by > 0
                        ORDER BY cited_by DESC, mentions DESC, directive_id LIMIT ?""", [top]).df()
    df["level"] = [id_level(x) for x in df["id"]]
    return df


def plot_most_cited(df: pd.DataFrame, title: str = "Most cited documents") -> "Figure":
    fig, ax = _figure(8, 0.8 + 0.32 * max(len(df), 1))
    d = df.iloc[::-1]
    bars = ax.barh(d["cited_id"], d["citing_documents"], color=[LEVEL_COLORS[x] for x in d["level"]])
    for bar, n in zip(bars, d["mentions"]):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f"  {n} mentions", va="center", fontsize=8)
    ax.set_xlabel("documents citing it")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlim(0, max(d["citing_documents"].max() if len(d) else 1, 1) * 1.3)
    ax.set_title(title)
    _level_legend(ax, set(d["level"]))
    fig.tight_layout()
    return fig


def citation_edges(con) -> pd.DataFrame:
    """One row per (citing document, cited directive) from the `lineage` view, with both levels
    and the strongest relation; `citing` and `cited_id` are registry ids, so a cited document of
    the dataset and the same document citing others are one node."""
    df = con.execute("""
        SELECT l.citing_doc AS doc_id, any_value(l.citing_number) AS number, any_value(l.citing_issuer) AS issuer,
               any_value(l.citing_province) AS province, any_value(d.title) AS title,
               any_value(l.citing_directive_id) AS citing_directive_id, l.cited_directive_id AS cited_id,
               any_value(l.cited_id) AS cited_symbol, any_value(l.cited_doc) AS cited_doc,
               arg_min(l.relation, CASE l.relation WHEN 'implements' THEN 0 WHEN 'replaces' THEN 1
                                                   WHEN 'reviews' THEN 2 ELSE 3 END) AS relation,
               sum(l.mentions)::INT AS n_mentions
        FROM lineage l JOIN documents d ON d.doc_id = l.citing_doc
        GROUP BY l.citing_doc, l.cited_directive_id ORDER BY l.citing_doc, l.cited_directive_id""").df()
    df["citing_level"] = [document_level(n if isinstance(n, str) else None, i if isinstance(i, str) else None,
                                         p if isinstance(p, str) else None)
                          for n, i, p in zip(df["number"], df["issuer"], df["province"])]
    df["cited_level"] = [id_level(x) for x in df["cited_symbol"]]
    df["citing"] = [c if isinstance(c, str) and c else n if isinstance(n, str) and n else d
                    for c, n, d in zip(df["citing_directive_id"], df["number"], df["doc_id"])]
    return df


def citation_graph(edges: pd.DataFrame, max_cited: int = 40):
    """networkx DiGraph: document → cited directive. A document of the dataset that is itself
    cited (the registry's directive of its number) is one node. Keeps the `max_cited` most cited."""
    import networkx as nx

    indeg = edges.groupby("cited_id")["doc_id"].nunique().sort_values(ascending=False, kind="stable")
    keep = set(indeg.index[:max_cited])
    g = nx.DiGraph(cited_total=len(indeg), cited_shown=len(keep))
    for row in edges.itertuples():
        g.add_node(row.citing, level=row.citing_level, in_dataset=True, doc_id=row.doc_id)
    for row in edges.itertuples():
        if row.cited_id not in keep:
            continue
        if row.cited_id not in g:
            g.add_node(row.cited_id, level=row.cited_level, in_dataset=False)
        elif g.nodes[row.cited_id]["level"] == "unknown":
            g.nodes[row.cited_id]["level"] = row.cited_level
        g.add_edge(row.citing, row.cited_id, relation=row.relation)
    return g


ROWS = ("central", "state", "local", "unknown", "dataset")


def _row(data: dict) -> str:
    return "dataset" if data["in_dataset"] else data["level"]


def _layered_positions(g) -> dict:
    """Cited documents in rows by level (central on top, then state, local, unknown) and the
    dataset's documents in the bottom row, so citations run upwards from local to central.
    Each row is ordered by the mean x of its neighbours (a few barycentre sweeps), so edges
    cross less."""
    rows: dict[str, list] = {r: [] for r in ROWS}
    for n, data in g.nodes(data=True):
        rows[_row(data)].append(n)
    rows = {r: sorted(ns, key=lambda n: (-g.in_degree(n), str(n))) for r, ns in rows.items() if ns}
    pos = {}

    def place() -> None:
        for y, ns in enumerate(rows.values()):
            for i, n in enumerate(ns):
                pos[n] = ((i + 0.5) / len(ns), -y)

    place()
    for _ in range(4):
        for r, ns in rows.items():
            def bary(n):
                nb = list(g.predecessors(n)) + list(g.successors(n))
                return sum(pos[m][0] for m in nb) / len(nb) if nb else pos[n][0]
            rows[r] = sorted(ns, key=lambda n: (bary(n), str(n)))
        place()
    return pos


def plot_citation_network(g, title: Optional[str] = None) -> "Figure":
    import networkx as nx

    if title is None:
        title = "Citation network (document → cited document)"
        if g.graph.get("cited_shown", 0) < g.graph.get("cited_total", 0):
            title += f": the {g.graph['cited_shown']} most cited of {g.graph['cited_total']}"

    per_row = [sum(1 for _, d in g.nodes(data=True) if _row(d) == r) for r in ROWS]
    n_rows = sum(1 for x in per_row if x) or 1
    fig, ax = _figure(max(10, min(0.42 * max(per_row + [1]), 30)), 1.6 + 1.9 * n_rows)
    if not g.number_of_nodes():
        ax.text(0.5, 0.5, "no citations in the dataset", ha="center", va="center")
        ax.set_axis_off()
        return fig
    pos = _layered_positions(g)
    nx.draw_networkx_edges(g, pos, ax=ax, alpha=0.3, width=0.7, arrows=True, arrowsize=7,
                           edge_color="#555", node_size=200)
    for in_dataset, shape in ((False, "o"), (True, "s")):
        nodes = [n for n, d in g.nodes(data=True) if d["in_dataset"] == in_dataset]
        if nodes:
            sizes = [110 + 55 * g.in_degree(n) for n in nodes]
            nx.draw_networkx_nodes(g, pos, nodelist=nodes, ax=ax, node_shape=shape, node_size=sizes,
                                   node_color=[LEVEL_COLORS[g.nodes[n]["level"]] for n in nodes],
                                   edgecolors="#222" if in_dataset else "white", linewidths=0.8)
    for n, (x, y) in pos.items():
        doc = g.nodes[n]["in_dataset"]
        ax.annotate(_short(str(n), 16 if doc else 30), (x, y), xytext=(0, -12), textcoords="offset points",
                    ha="right", va="top", rotation=30, rotation_mode="anchor", fontsize=7, fontfamily=FONT)
    ax.set_title(title)
    ax.set_axis_off()
    ax.margins(x=0.03, y=0.3)
    _level_legend(ax, {d["level"] for _, d in g.nodes(data=True)}, shapes=True)
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------- tasks

def _lead_key(lead: str) -> str:
    """Spelling variants of one lead cell fold together ("Phó Trưởng ban" / "Phó trưởng ban",
    "Phòng TT- TT" / "Phòng TT-TT")."""
    s = re.sub(rf"\s*{DASH}\s*", "-", lead.strip())
    return re.sub(r"\s+", " ", s).casefold()


def workload(con, top: int = 15) -> pd.DataFrame:
    """Tasks per lead unit as written in the lead column (spelling variants folded), with the
    number of documents and of dated tasks."""
    df = con.execute("""SELECT lead, doc_id, deadline_start FROM tasks WHERE lead IS NOT NULL AND trim(lead) <> ''
                     """).df()
    if df.empty:
        return pd.DataFrame(columns=["lead", "tasks", "documents", "dated"])
    df["key"] = [_lead_key(x) for x in df["lead"]]
    label = df.groupby("key")["lead"].agg(lambda s: s.value_counts().index[0])
    out = df.groupby("key").agg(tasks=("lead", "size"), documents=("doc_id", "nunique"),
                                dated=("deadline_start", lambda s: int(s.notna().sum())))
    out.insert(0, "lead", label)
    return out.sort_values(["tasks", "lead"], ascending=[False, True]).head(top).reset_index(drop=True)


def plot_workload(df: pd.DataFrame, title: str = "Workload per lead unit") -> "Figure":
    fig, ax = _figure(9, 0.9 + 0.34 * max(len(df), 1))
    d = df.iloc[::-1]
    labels = [_short(x, 45) for x in d["lead"]]
    ax.barh(labels, d["tasks"], color="#4c78a8", label="tasks")
    ax.barh(labels, d["dated"], color="#f58518", height=0.35, label="of which with a dated deadline")
    for y, (n, docs) in enumerate(zip(d["tasks"], d["documents"])):
        ax.text(n, y, f"  {n} ({docs} doc{'s' if docs != 1 else ''})", va="center", fontsize=8)
    ax.set_xlim(0, max(d["tasks"].max() if len(d) else 1, 1) * 1.25)
    ax.set_xlabel("tasks")
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


@dataclass
class Bar:
    start: date
    end: date
    part: bool  # one of the parts of a "multiple" deadline


def _iso(s: Optional[str]) -> Optional[date]:
    try:
        return date.fromisoformat(s) if s else None
    except ValueError:
        return None


def _bars(deadline: dict) -> list[Bar]:
    """The dated intervals of a deadline: its parts when it has them, else start..end."""
    parts = deadline.get("parts") or []
    if parts:
        bars = [b for p in parts for b in _bars(p)]
        return [Bar(b.start, b.end, True) for b in bars]
    s, e = _iso(deadline.get("start")), _iso(deadline.get("end"))
    if s and e and e >= s:
        return [Bar(s, e, False)]
    return []


def pick_plan(con) -> Optional[str]:
    """The document with the most tasks that have a dated deadline."""
    row = con.execute("""SELECT doc_id FROM tasks WHERE deadline_start IS NOT NULL
                         GROUP BY doc_id ORDER BY count(*) DESC, doc_id LIMIT 1""").fetchone()
    return row[0] if row else None


def timeline(dataset: PathLike, doc_id: Optional[str] = None) -> pd.DataFrame:
    """One row per dated interval of each task of one plan (default: `pick_plan`): task, number,
    group, lead, deadline text, kind, start, end, part. Parts of "multiple" deadlines ("Tháng 2, 5")
    are separate rows; undated tasks (ongoing, recurring, conditional) are left out."""
    if doc_id is None:
        with connect(dataset) as con:
            doc_id = pick_plan(con)
    cols = ["doc_id", "task_id", "number", "group", "content", "lead", "deadline", "kind", "start", "end", "part"]
    rows = []
    found = False
    for rec in _records(dataset, {doc_id} if doc_id else set()):
        found = True
        for t in rec.get("tasks") or []:
            dl = t.get("deadline") or {}
            for b in _bars(dl):
                rows.append([rec["doc_id"], t["id"], t.get("number"), t.get("group"), t.get("content") or "",
                             t.get("lead"), dl.get("text"), dl.get("kind"), b.start, b.end, b.part])
        break
    if doc_id and not found:
        raise LookupError(f"no document {doc_id!r} in {Path(dataset) / 'documents.jsonl'}; "
                          "pick a doc_id from `extractor query \"SELECT doc_id, title FROM documents\"`")
    return pd.DataFrame(rows, columns=cols)


def plot_timeline(df: pd.DataFrame, title: Optional[str] = None, max_tasks: int = 60) -> "Figure":
    """Gantt-style: one row per task, a bar per dated interval, a diamond for a single day;
    coloured by lead (spelling variants folded), outlined when the bar is a part of a
    "multiple" deadline."""
    import matplotlib.dates as mdates
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    tasks = list(dict.fromkeys(df["task_id"]))[:max_tasks]
    df = df[df["task_id"].isin(tasks)]
    fig, ax = _figure(12, 1.5 + 0.24 * max(len(tasks), 1))
    if df.empty:
        ax.text(0.5, 0.5, "no task with a dated deadline", ha="center", va="center")
        ax.set_axis_off()
        return fig
    keys = [_lead_key(x) if isinstance(x, str) else "" for x in df["lead"]]
    names = {}
    for k, lead in zip(keys, df["lead"]):
        names.setdefault(k, lead if isinstance(lead, str) else "(no lead)")
    palette = ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2", "#ff9da6", "#9d755d"]
    top = list(pd.Series(keys).value_counts().index[:len(palette) - 1])
    color = {k: palette[i] for i, k in enumerate(top)}
    y_of = {t: i for i, t in enumerate(tasks)}
    for r, k in zip(df.itertuples(), keys):
        c = color.get(k, palette[-1])
        y = y_of[r.task_id]
        if r.start == r.end:
            ax.plot(mdates.date2num(r.start) + 0.5, y, marker="D", ms=6, color=c,
                    markeredgecolor="#333" if r.part else c, ls="")
        else:
            ax.barh(y, (r.end - r.start).days + 1, left=mdates.date2num(r.start), height=0.6, color=c,
                    edgecolor="#333" if r.part else c, linewidth=0.6)
    first = df.drop_duplicates("task_id").set_index("task_id")
    ax.set_yticks(range(len(tasks)))
    ax.set_yticklabels([_short(f"{_text(first.at[t, 'number'])} {_text(first.at[t, 'content'])}", 60) for t in tasks],
                       fontsize=7)
    ax.invert_yaxis()
    lo, hi = df["start"].min(), df["end"].max()
    ax.set_xlim(mdates.date2num(lo - timedelta(days=3)), mdates.date2num(hi + timedelta(days=4)))
    # matplotlib picks the tick step from the span (days … years), so labels never pile up;
    # concise labels in the documents' day/month/year order, the rest of the date once at the end
    locator = mdates.AutoDateLocator(minticks=3, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(
        locator, formats=["%Y", "%m/%Y", "%d/%m", "%H:%M", "%H:%M", "%S.%f"],
        zero_formats=["", "%Y", "%m/%Y", "%d/%m", "%H:%M", "%H:%M"],
        offset_formats=["", "%Y", "%m/%Y", "%d/%m/%Y", "%d/%m/%Y", "%d/%m/%Y %H:%M"]))
    ax.tick_params(axis="x", labelsize=8)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(title or f"Task deadlines of {df['doc_id'].iloc[0]} ({len(tasks)} dated tasks)")
    handles = [Patch(color=color[k], label=_short(names[k], 40)) for k in top]
    if any(k not in color for k in keys):
        handles.append(Patch(color=palette[-1], label="other leads"))
    handles += [Line2D([], [], marker="D", ls="", color="#777", label="a single day"),
                Patch(facecolor="white", edgecolor="#333", label="part of a multiple deadline")]
    ax.legend(handles=handles, title="lead", fontsize=7, title_fontsize=8, loc="upper left",
              bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------- helpers and the report

def _figure(w: float, h: float):
    import matplotlib

    matplotlib.rcParams["font.family"] = FONT
    from matplotlib.figure import Figure  # no pyplot: no global state, no display needed

    fig = Figure(figsize=(w, h), dpi=110)
    return fig, fig.add_subplot()


def _level_legend(ax, levels: set, shapes: bool = False) -> None:
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker="o", ls="", color=LEVEL_COLORS[lv], label=LEVEL_NAMES[lv])
               for lv in LEVELS if lv in levels]
    if shapes:
        handles += [Line2D([], [], marker="s", ls="", color="white", markeredgecolor="#222",
                           label="document in the dataset"),
                    Line2D([], [], marker="o", ls="", color="#ccc", label="cited only")]
    ax.legend(handles=handles, fontsize=8, loc="best")


def _text(x) -> str:
    """A cell as text: None and NaN (pandas' missing value) are empty."""
    return x if isinstance(x, str) else ""


def _short(s: str, n: int) -> str:
    s = " ".join(str(s).split())
    return s if len(s) <= n else s[:n - 1] + "…"


def save_report(dataset: PathLike, out: PathLike, top: int = 15, doc_id: Optional[str] = None) -> list[Path]:
    """Write the notebooks' charts as PNG into `out`; returns the paths written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with connect(dataset) as con:
        figs = {
            "most_cited.png": plot_most_cited(most_cited(con, top)),
            "citation_network.png": plot_citation_network(citation_graph(citation_edges(con))),
            "workload.png": plot_workload(workload(con, top)),
        }
    figs["timeline.png"] = plot_timeline(timeline(dataset, doc_id))
    paths = []
    for name, fig in figs.items():
        fig.savefig(out / name, dpi=110)
        paths.append(out / name)
    (out / "report.json").write_text(json.dumps({"dataset": str(dataset), "charts": [p.name for p in paths]},
                                                ensure_ascii=False, indent=1), encoding="utf-8")
    return paths
