"""The corpus-level directive registry: one row per directive cited or issued across a dataset.

A reference's `id` names a directive only within its citing document: Party numbers restart
every term and every province numbers its own documents, and one law is written in several
ways. The registry decides identity across documents (README, "Identity of cited documents
across a corpus"):

- the written id is normalized by general rules first (a year-less state symbol ``88/NĐ-CP``
  dated in 2025 is ``88/2025/NĐ-CP`` when that form is cited too; a kind code before an
  issuer that numbers all its acts in one series is dropped: ``193/2025/NQ-QH15`` →
  ``193/2025/QH15``), then by the true aliases of extractor/data/directive_aliases.yaml;
- a local symbol (``/TU``, ``/HU``, ``QĐ-UBND`` …) is one directive only within one province;
  a local symbol cited by a document of unknown province stays apart from every other;
- one key cited with different full dates is that many directives (numbers restart);
  a mention without a date joins the key's only dated directive, if there is exactly one.

Rows come from the documents' contract records (`Registry.add(record)`), so the registry is
computed once, when the dataset is written (extractor/store.py), never by the readers.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Optional

from .vocab import load_directive_aliases, load_issuers

_TONES = "\u0300\u0301\u0303\u0309\u0323"   # grave, acute, tilde, hook above, dot below
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_STATE = re.compile(r"^(?P<num>[^/]+)/(?:(?P<year>\d{4})/)?(?P<toks>[^/]+)$")


def province_key(name: Optional[str]) -> Optional[str]:
    """A province name as a key: case, Unicode form and the two tone placements ("Khánh Hoà",
    "Khánh Hòa") do not matter; each syllable's tone mark is moved to its end."""
    if not name or not name.strip():
        return None
    out = []
    for syl in unicodedata.normalize("NFD", name.strip().casefold()).split():
        tones = "".join(c for c in syl if c in _TONES)
        out.append("".join(c for c in syl if c not in _TONES) + tones)
    return unicodedata.normalize("NFC", " ".join(out))


def _issuer_codes(rid: str) -> list[str]:
    """The issuer codes of a canonical id: after "/" in a Party symbol (57-NQ/TW), after the
    kind code in a state symbol (30/2020/NĐ-CP, 134/KH-UBND)."""
    if "/" not in rid:
        return []
    head, tail = rid.split("/", 1)
    if "-" in head:                                        # Party: NUMBER-KIND/ISSUER[-ISSUER]
        return [t for t in tail.split("-") if t]
    m = _STATE.match(rid)
    if not m:
        return []
    toks = [t for t in m.group("toks").split("-") if t]
    return toks[1:] if len(toks) > 1 else toks


def scope_of(rid: str) -> Optional[str]:
    """central | local | state for a canonical id, from its first known issuer code."""
    issuers = load_issuers().issuers
    for code in _issuer_codes(rid):
        if code in issuers:
            return issuers[code].scope
    return None


def normalize_id(rid: str) -> str:
    """The general rules and the YAML aliases (not the year-less → yearful rule, which needs the
    corpus: `Registry` applies it)."""
    data = load_directive_aliases()
    m = _STATE.match(rid)
    if m and m.group("year") and "-" not in m.group("num"):
        toks = m.group("toks").split("-")
        if len(toks) == 2 and toks[1].rstrip("0123456789") in data.one_series_issuers:
            rid = f"{m.group('num')}/{m.group('year')}/{toks[1]}"
    return data.aliases.get(rid, rid)


def _compatible(a: Optional[str], b: Optional[str]) -> bool:
    """Two dates that may name the same day ("2025-11" and "2025-11-18")."""
    return bool(a and b) and (a.startswith(b) or b.startswith(a))


@dataclass
class _Item:
    """One citing document's reference, or one dataset document's own number."""
    doc_id: str
    written: str
    id: str
    scope: Optional[str]
    province: Optional[str]
    date: Optional[str]
    kind: Optional[str] = None
    issuer: Optional[str] = None
    term: Optional[str] = None
    subject: Optional[str] = None
    own: bool = False                  # the document's own number, not a citation
    citing_date: Optional[str] = None
    ref_id: Optional[str] = None
    n_mentions: int = 0
    key: tuple = ()


@dataclass
class _Directive:
    items: list = field(default_factory=list)
    date: Optional[str] = None


DIRECTIVE_COLUMNS = ["directive_id", "id", "qualified_id", "scope", "province", "kind", "issuer",
                     "issued_date", "term", "subject", "in_dataset", "doc_id", "cited_by", "mentions",
                     "first_cited", "last_cited", "forms"]


class Registry:
    """Collects records (`add`), then gives the `directives` rows and the `directive_refs`
    rows that map each (citing document, reference id) to its directive."""

    def __init__(self) -> None:
        self._items: list[_Item] = []

    def add(self, doc: dict) -> None:
        d = doc.get("doc_id")
        meta = doc.get("meta") or {}
        province = meta.get("province")
        date = meta.get("issued_date")
        number = meta.get("number")
        if number and any(ch.isdigit() for ch in number):
            from .references import canonical_id

            rid = canonical_id(number)
            self._items.append(_Item(
                doc_id=d, written=rid, id=normalize_id(rid), scope=scope_of(rid), province=province,
                date=date, kind=meta.get("doc_type"), issuer=" / ".join(meta.get("issuer") or []) or None,
                subject=meta.get("title"), own=True))
        for r in doc.get("references") or []:
            rid = r["id"]
            scope = r.get("scope") or scope_of(rid)
            self._items.append(_Item(
                doc_id=d, written=rid, id=normalize_id(rid), scope=scope, province=province,
                date=r.get("issued_date"), kind=r.get("kind"), issuer=r.get("issuer"), term=r.get("term"),
                subject=r.get("subject"), citing_date=date, ref_id=rid, n_mentions=len(r.get("mentions") or [])))

    # ------------------------------------------------------------ identity

    def _join_yearless(self) -> None:
        """``88/NĐ-CP`` dated 2025-04-13 is ``88/2025/NĐ-CP`` when that form is in the corpus
        with a compatible date (or none)."""
        yearful: dict[tuple, list[_Item]] = {}
        for it in self._items:
            m = _STATE.match(it.id)
            if m and m.group("year"):
                yearful.setdefault((m.group("num"), m.group("toks")), []).append(it)
        for it in self._items:
            m = _STATE.match(it.id)
            if not m or m.group("year") or "-" in m.group("num") or not it.date:
                continue
            target = f"{m.group('num')}/{it.date[:4]}/{m.group('toks')}"
            cands = [o for o in yearful.get((m.group("num"), m.group("toks")), []) if o.id == target]
            if cands and all(not o.date or _compatible(o.date, it.date) for o in cands):
                it.id = target

    def _keys(self) -> None:
        for it in self._items:
            if it.scope == "local":
                pk = province_key(it.province)
                # no province: the symbol cannot be placed, so it joins nothing else
                it.key = (it.id, pk) if pk else (it.id, None, it.doc_id)
            else:
                it.key = (it.id,)

    def _split_by_date(self, items: list[_Item]) -> list[_Directive]:
        full: dict[str, _Directive] = {}
        for it in items:
            if it.date and _FULL_DATE.match(it.date):
                full.setdefault(it.date, _Directive(date=it.date)).items.append(it)
        dirs = list(full.values())
        loose: list[_Item] = []
        for it in items:
            if it.date and _FULL_DATE.match(it.date):
                continue
            fits = [x for x in dirs if _compatible(x.date, it.date)] if it.date else dirs
            if len(fits) == 1:
                fits[0].items.append(it)
            else:
                loose.append(it)
        if loose:
            partial = Counter(it.date for it in loose if it.date)
            dirs.append(_Directive(items=loose, date=partial.most_common(1)[0][0] if partial else None))
        return dirs

    def directives(self) -> tuple[list[dict], list[dict]]:
        """(directives rows, directive_refs rows)."""
        self._join_yearless()
        self._keys()
        groups: dict[tuple, list[_Item]] = {}
        for it in self._items:
            groups.setdefault(it.key, []).append(it)
        rows, refs, seen = [], [], set()
        for key, items in sorted(groups.items(), key=lambda kv: str(kv[0])):
            split = self._split_by_date(items)
            for dr in split:
                row = self._row(key, dr, several=len(split) > 1)
                if row["directive_id"] in seen:   # two keys that print alike (a province written as a symbol)
                    row["directive_id"] += f"#{len(rows)}"
                seen.add(row["directive_id"])
                rows.append(row)
                refs += [{"doc_id": it.doc_id, "ref_id": it.ref_id, "directive_id": row["directive_id"],
                          "qualified_id": row["qualified_id"]} for it in dr.items if not it.own]
        return rows, refs

    @staticmethod
    def _row(key: tuple, dr: _Directive, several: bool) -> dict:
        items = dr.items
        own = [it for it in items if it.own]
        cites = [it for it in items if not it.own]
        first = items[0]
        province = next((it.province for it in own + cites if it.province), None) if len(key) > 1 else None
        qualified = f"{first.id}@{province}" if first.scope == "local" and province else first.id
        directive_id = f"{qualified}~{dr.date or 'undated'}" if several else qualified
        if len(key) == 3:                  # a local symbol whose citing document has no province
            directive_id += f"#{key[2]}"

        def best(attr: str, prefer_own: bool = False) -> Optional[str]:
            if prefer_own:
                v = next((getattr(it, attr) for it in own if getattr(it, attr)), None)
                if v:
                    return v
            c = Counter(getattr(it, attr) for it in cites if getattr(it, attr))
            if not c:
                return next((getattr(it, attr) for it in own if getattr(it, attr)), None)
            # most frequent; among equals the longest (the fullest written form)
            return max(c.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]

        citing_dates = sorted(it.citing_date for it in cites if it.citing_date)
        dates = Counter(it.date for it in items if it.date)
        issued = next((it.date for it in own if it.date), None) or (
            max(dates.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0] if dates else None)
        return {
            "directive_id": directive_id, "id": first.id, "qualified_id": qualified, "scope": first.scope,
            "province": province, "kind": best("kind", True), "issuer": best("issuer"),
            "issued_date": issued, "term": best("term"), "subject": best("subject"),
            "in_dataset": bool(own), "doc_id": own[0].doc_id if own else None,
            "cited_by": len({it.doc_id for it in cites}), "mentions": sum(it.n_mentions for it in cites),
            "first_cited": citing_dates[0] if citing_dates else None,
            "last_cited": citing_dates[-1] if citing_dates else None,
            "forms": "; ".join(sorted({it.written for it in items})),
        }


def build(docs: Iterable[dict]) -> tuple[list[dict], list[dict]]:
    """The registry of `docs` (contract records): (directives rows, directive_refs rows)."""
    reg = Registry()
    for d in docs:
        reg.add(d)
    return reg.directives()
