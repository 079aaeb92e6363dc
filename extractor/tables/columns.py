"""Header detection and column roles: by the header's words (vocabulary in data/table_columns.yaml)
and confirmed by the cells' content."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Optional, Sequence

from ..patterns import trie_pattern
from ..vocab import TableColumns, load_table_columns
from .model import Columns
from ..settings import TableSettings
from .text import clean_cell, fold, is_number, is_roman, is_time_like, strip_accents

TASK_ROLES = ("number", "content", "lead", "partners", "deadline", "status", "output")


def vocabulary() -> TableColumns:
    return load_table_columns()   # cached there


def _find_word(phrase: str, text: str) -> int:
    """Position of `phrase` in `text` as whole words, or -1."""
    start = 0
    while True:
        i = text.find(phrase, start)
        if i < 0:
            return -1
        before = text[i - 1] if i else " "
        after = text[i + len(phrase)] if i + len(phrase) < len(text) else " "
        if not before.isalnum() and not after.isalnum():
            return i
        start = i + 1


@lru_cache(maxsize=1)
def _role_phrases() -> tuple[tuple[str, str, str], ...]:
    """(role, folded phrase, accent-free folded phrase) in vocabulary order, built once per process:
    the vocabulary, not each cell, pays the folding."""
    out = []
    for role, phrases in vocabulary().roles.items():
        for phrase in phrases:
            p = fold(phrase)
            out.append((role, p, strip_accents(p)))
    return tuple(out)


@lru_cache(maxsize=1)
def _any_phrase() -> tuple[re.Pattern, re.Pattern]:
    """Some folded phrase in the text, some accent-free one in the bare text: one scan each tells
    a cell that names no role (most cells) from one that may. Spelled as a trie: most letters open
    some phrase, and a plain alternation would try every phrase at almost every position."""
    phrases = _role_phrases()
    return (re.compile(trie_pattern({p for _, p, _ in phrases})), re.compile(trie_pattern({b for _, _, b in phrases})))


@lru_cache(maxsize=1)
def _lead_phrases() -> tuple[str, ...]:
    return tuple(fold(p) for p in vocabulary().lead_priority)


@lru_cache(maxsize=1)
def _status_phrases() -> tuple[str, ...]:
    return tuple(fold(v) for v in vocabulary().status_values)


MAX_LABEL = 80     # a header cell is a short label; a longer text names no role
# NFC never shortens a text below a quarter of its length: a composed character stands for the
# code points of its canonical decomposition, at most 4 of them (and decomposing never shortens)
_NFC_MAX_MERGE = 4


def over_label(cleaned: str) -> bool:
    """Is a cleaned cell (single-spaced, stripped) over MAX_LABEL folded? Told without folding:
    casefold never shortens; a cell in NFC is too long as it is, a longer one whatever NFC joins
    (the normalization check reads the whole cell: most cells asked are long body lines)."""
    return len(cleaned) > MAX_LABEL and (len(cleaned) > _NFC_MAX_MERGE * MAX_LABEL
                                          or unicodedata.is_normalized("NFC", cleaned))


@lru_cache(maxsize=4096)  # pure in the cell text; header cells repeat on every page
def header_role(cell: str) -> Optional[str]:
    """The role a header cell names: the earliest vocabulary phrase wins, then the longest."""
    cleaned = clean_cell(cell)
    # most cells asked are body lines: a cleaned cell is single-spaced and casefold never shortens
    # a text, so an NFC one over the limit is over it folded too (and skips folding a long line)
    if over_label(cleaned):
        return None
    text = fold(cleaned)
    if not text or len(text) > MAX_LABEL:
        return None
    bare = strip_accents(text)
    in_text, in_bare = _any_phrase()
    in_bare_found = in_bare.search(bare)
    # a phrase in the text is, stripped of its marks, one in the bare text (strip_accents maps each
    # character on its own; an ASCII result is not recomposed): without a bare one (most cells) the
    # text's scan can only miss
    if in_bare_found is None and bare.isascii():
        return None
    if not in_text.search(text):
        if in_bare_found is None:
            return None
        text = ""   # no phrase in it: the loop below asks the bare text only (the same positions)
    best: Optional[tuple[int, int, str]] = None
    for role, p, bare_p in _role_phrases():
        # str.find first: most phrases are absent, and a miss then costs no call
        if p in text:
            pos = _find_word(p, text)
            if pos < 0:
                pos = _find_word(bare_p, bare) if bare_p in bare else -1
        elif bare_p in bare:
            pos = _find_word(bare_p, bare)
        else:
            continue
        if pos < 0:
            continue
        key = (pos, -len(p), role)
        if best is None or key[:2] < best[:2]:
            best = key
    return best[2] if best else None


def _lead_rank(cell: str) -> int:
    text = fold(cell)
    for rank, phrase in enumerate(_lead_phrases()):
        if phrase in text:
            return rank
    return len(_lead_phrases())


def header_roles(cells: Sequence[str]) -> dict[int, str]:
    roles = {}
    for i, c in enumerate(cells):
        r = header_role(c)
        if r:
            roles[i] = r
    return roles


def is_header_row(cells: Sequence[str], settings: TableSettings) -> bool:
    """Short label cells naming at least two distinct roles, one of them content-like."""
    filled = []
    for c in map(clean_cell, cells):
        if c:
            if len(c) > settings.max_header_cell_len:
                return False    # at once: a data row's content cell is long, the rest need no cleaning
            filled.append(c)
    if len(filled) < settings.min_header_roles:
        return False
    if any(is_number(c) for c in filled):
        return False
    roles = set(header_roles(cells).values())
    if len(roles) < settings.min_header_roles:
        return False
    return bool(roles & {"content", "target", "lead", "deadline"})


def _status_like(s: str) -> bool:
    f = fold(s)
    return any(f.startswith(v) for v in _status_phrases())


def _share(values: list[str], test) -> float:
    vals = [v for v in values if v]
    return sum(1 for v in vals if test(v)) / len(vals) if vals else 0.0


def _share_reaches(values: list[str], test, share: float) -> bool:
    """= _share(values, test) >= share, testing cells only until the answer is sure (the share
    of the cells seen so far only grows; what the rest could add may no longer reach it)."""
    vals = [v for v in values if v]
    if not vals:
        return 0.0 >= share
    n, hits = len(vals), 0
    for k, v in enumerate(vals):
        if test(v):
            hits += 1
            if hits / n >= share:
                return True
        elif (hits + n - k - 1) / n < share:
            return False
    return hits / n >= share


def _number_cell(v: str) -> bool:
    return is_number(v) or is_roman(v)


class _CleanedColumns:
    """A table body's columns, each cleaned the first time a test reads it (most read few columns)."""
    __slots__ = ("body", "cleaned")

    def __init__(self, body: Sequence[Sequence[str]]) -> None:
        self.body, self.cleaned = body, {}

    def __call__(self, i: int) -> list[str]:
        c = self.cleaned.get(i)
        if c is None:
            c = self.cleaned[i] = [clean_cell(r[i]) if i < len(r) else "" for r in self.body]
        return c


def assign_roles(header: Sequence[str], body: Sequence[Sequence[str]], settings: TableSettings) -> Columns:
    """Header roles, then content checks: a column of small numbers is the Stt column, a column
    of time expressions is the deadline column, whatever their headers say."""
    width = max([len(header)] + [len(r) for r in body]) if body or header else 0
    roles = header_roles(header)
    col = _CleanedColumns(body)
    _number_role(roles, col, width, settings)
    _deadline_role(roles, col, width, settings)
    # status: values such as "Đang thực hiện" make a progress column
    for i in range(width):
        if i not in roles and _share_reaches(col(i), _status_like, settings.status_share):
            roles[i] = "status"
    # two lead columns: "chủ trì" keeps lead, the other directs or supervises
    leads = [i for i, r in roles.items() if r == "lead"]
    if len(leads) > 1:
        keep = min(leads, key=lambda i: (_lead_rank(header[i] if i < len(header) else ""), i))
        for i in leads:
            if i != keep:
                roles[i] = "supervisor"
    # content: the column named so, else the one with the longest text
    if "content" not in roles.values():
        free = [i for i in range(width) if i not in roles]
        if free:
            roles[max(free, key=lambda i: sum(len(v) for v in col(i)))] = "content"
    # duplicate roles otherwise: the first keeps it
    seen: set[str] = set()
    for i in sorted(roles):
        if roles[i] in seen:
            roles[i] = roles[i] + "_" + str(i)
        seen.add(roles[i])
    return Columns(roles=roles, header=[clean_cell(h) for h in header])


def _number_role(roles: dict[int, str], col: _CleanedColumns, width: int, settings: TableSettings) -> None:
    """The first column whose cells are mostly numerals is the number one (seed: Stt headed "Thời gian")."""
    for i in range(min(width, 2)):
        if _share_reaches(col(i), _number_cell, settings.number_share):
            for j, r in list(roles.items()):
                if r == "number" and j != i:
                    del roles[j]
            roles[i] = "number"
            break


def _deadline_role(roles: dict[int, str], col: _CleanedColumns, width: int, settings: TableSettings) -> None:
    """Deadline: confirmed by content; a time column without a deadline header becomes one."""
    for i in range(width):
        # the cells are read only for a column that may become the deadline one
        if roles.get(i) in (None, "deadline", "status", "lead", "note") and _share_reaches(
                col(i), lambda v: is_time_like(v, settings.max_time_cell_len), settings.deadline_share):
            roles[i] = "deadline"
    # two deadline columns (a header word repeated): keep the most time-like
    dl = [i for i, r in roles.items() if r == "deadline"]
    if len(dl) > 1:
        keep = max(dl, key=lambda i: _share(col(i), is_time_like))
        for i in dl:
            if i != keep:
                del roles[i]


def is_task_table(cols: Columns) -> bool:
    """Tasks need a content column and someone or some time to do them; targets are not tasks."""
    roles = set(cols.roles.values())
    if "content" not in roles or not roles & {"lead", "deadline", "partners"}:
        return False
    content_header = fold(cols.header[cols.index("content")]) if cols.header and cols.index("content") is not None \
        and cols.index("content") < len(cols.header) else ""
    if content_header.startswith(load_table_columns().target_content):
        return False
    if "target" in roles and "deadline" not in roles:
        return False
    return True


def header_similar(cells: Sequence[str], header: Sequence[str], settings: TableSettings) -> bool:
    """A header row repeated after a page break (wording may vary: "Stt" / "Số thứ tự")."""
    if not is_header_row(cells, settings):
        return False
    # a header holds labels, never a time ("Nghị quyết về … nhiệm vụ …" | "Quý IV" | "… chủ trì")
    if any(is_time_like(c) for c in map(clean_cell, cells) if c):
        return False
    a = header_roles(cells)
    b = header_roles(header)
    common = sum(1 for i, r in a.items() if b.get(i) == r)
    return common >= max(2, len(b) // 2)
