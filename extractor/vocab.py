"""What we know about Party documents (extractor/data/*.yaml), loaded and validated once.

This is the one module that reads the YAML files. Each file is parsed into a typed, frozen
pydantic model on first use (one cached loader per file), so a missing or misspelled key
fails at load time with the file and the key in the message instead of as a KeyError deep
inside a parser. The models are strict (``extra="forbid"``): a key must be declared here,
and tests/test_vocab.py checks that every declared key is read by some module, so the
files hold no vocabulary that nothing uses.

Document types are defined once, in doc_types.yaml: the citation words and symbol codes
(references.py) and the type line and own-number codes of a header (meta.py) all derive
from it (``type_line_words``, ``symbol_types``).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

DATA_DIR = Path(__file__).parent / "data"

Words = tuple[str, ...]


class VocabError(ValueError):
    """A data file is missing, not YAML, or does not have the shape its model declares."""


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


M = TypeVar("M", bound=_Data)


def _load(name: str, model: type[M]) -> M:
    path = DATA_DIR / name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise VocabError(f"{path}: cannot be read: {exc}") from None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"key {'.'.join(str(p) for p in e['loc']) or '(top level)'}: {e['msg']}"
                             for e in exc.errors())
        raise VocabError(f"{path}: {problems}") from None


# ---------------------------------------------------------------- header.yaml (meta.py)

class Header(_Data):
    motto: Words
    authority_prefixes: Words
    positions: Words
    signature_noise: Words
    surnames: Words
    preamble_openers: Words
    title_authority_openers: Words
    title_subject_openers: Words
    basis_verbs: Words
    basis_line_verbs: Words
    stamp_lines: Words
    ocr_repairs: dict[str, str]
    recipients_headings: Words
    address_headings: Words
    province_words: Words
    committee_words: Words
    number_words: Words
    subject_headings: Words
    position_joiner: str
    motto_openers: Words


@lru_cache(maxsize=1)
def load_header() -> Header:
    return _load("header.yaml", Header)


# ---------------------------------------------------------------- doc_types.yaml

class DocType(_Data):
    words: Words
    type_lines: Words = ()
    party: Words
    state: Words
    abbr: str
    short: Literal["bare", "so", "none"]


class RelationWords(_Data):
    replaces: Words
    reviews: Words


class DocTypes(_Data):
    types: dict[str, DocType]
    quantity_units: Words
    nested_basis_verbs: Words
    example_markers: Words
    relation_words: RelationWords
    issuer_stops: Words
    issuer_stop_exceptions: Words
    term_words: Words

    @property
    def type_line_words(self) -> dict[str, str]:
        """The type word as printed alone on the line above a title (meta.py), upper case →
        kind: each kind's own name (its first word) and the other forms it lists there; the
        `other` kind is a bucket with no name of its own."""
        out: dict[str, str] = {}
        for kind, t in self.types.items():
            for w in ((t.words[0],) if kind != "other" else ()) + t.type_lines:
                out.setdefault(w.upper(), kind)
        return out

    @property
    def symbol_types(self) -> dict[str, str]:
        """Type code inside a document's own number → kind (meta.py, when no type word is printed):
        a state code before a party one ("TT" is a thông tư), then the first kind listing it."""
        kinds = [(kind, t) for kind, t in self.types.items() if kind != "other"]
        out: dict[str, str] = {}
        for code, kind in [(c, k) for k, t in kinds for c in t.state] + [(c, k) for k, t in kinds for c in t.party]:
            out.setdefault(code, kind)
        return out


@lru_cache(maxsize=1)
def load_doc_types() -> DocTypes:
    return _load("doc_types.yaml", DocTypes)


# ---------------------------------------------------------------- issuers.yaml

class Issuer(_Data):
    name: str
    scope: Literal["central", "local", "state"]


class Issuers(_Data):
    issuers: dict[str, Issuer]
    ocr_code_confusions: tuple[tuple[str, str], ...]
    ocr_number_confusions: dict[str, str]


@lru_cache(maxsize=1)
def load_issuers() -> Issuers:
    return _load("issuers.yaml", Issuers)


# ---------------------------------------------------------------- deadline_vocab.yaml (deadlines.py)

class SubPeriods(_Data):
    month: dict[str, tuple[int, int]]
    quarter: dict[str, tuple[int, int]]
    year: dict[str, tuple[int, int]]


class TimeCells(_Data):
    openers: Words
    conditions: Words
    unit_words: Words
    time_words: Words


class DeadlineVocab(_Data):
    roman: dict[str, int]
    units: dict[str, Words]
    recurrence_words: Words
    recurrence_by_unit: dict[str, str]
    recurrence_named_durations: dict[str, str]
    duration_letter: dict[str, str]
    ongoing: Words
    condition_always: Words
    condition_soft: Words
    event_relative: Words
    qualifiers_absorbed: Words
    completion_verbs: Words
    range_from: Words
    range_to: Words
    list_separators: Words
    open_end: Words
    sub_periods: SubPeriods
    halves: dict[str, Literal[1, 2]]
    prose_openers: Words
    prose_within_verbs: Words
    prose_past_markers: Words
    time_cells: TimeCells
    number_words: dict[str, int] = {}
    weekdays: Words = ()
    day_of_month: dict[str, int] = {}


@lru_cache(maxsize=1)
def load_deadline_vocab() -> DeadlineVocab:
    return _load("deadline_vocab.yaml", DeadlineVocab)


# ---------------------------------------------------------------- table_columns.yaml (tables/columns.py)

class TableColumns(_Data):
    roles: dict[str, Words]
    lead_priority: Words
    status_values: Words
    part_captions: Words
    target_content: Words
    time_cell_open_ends: Words
    content_open_ends: Words


@lru_cache(maxsize=1)
def load_table_columns() -> TableColumns:
    return _load("table_columns.yaml", TableColumns)


# ---------------------------------------------------------------- units.yaml (units.py, assignments.py)

class Heads(_Data):
    strong: Words
    weak: Words


class Collective(_Data):
    openers: Words
    nouns: Words


class Prose(_Data):
    lead_markers: Words
    lead_suffixes: Words
    partner_markers: Words
    assign_verbs: Words
    stop_words: Words
    generic: Words = ()


class AssignmentLabels(_Data):
    content: Words
    deadline: Words
    lead: Words
    partners: Words
    output: Words
    other: Words


class Assignments(_Data):
    assign_openers: Words
    opener_courtesy: Words
    clause_openers: Words
    verbs: Words
    noun_compounds: Words
    not_heads: Words
    partner_markers: Words
    partner_stops: Words
    labels: AssignmentLabels
    not_assignment_headings: Words
    ongoing: Words
    periodic: Words
    within: Words
    conditions: Words
    courtesy: Words
    past_markers: Words
    closings: Words
    report_headings: Words


class UnitsVocab(_Data):
    abbreviations: dict[str, str]
    unit_abbreviations: Words
    heads: Heads
    split_heads: Words
    no_split_after: Words
    positions: Words
    of_heads: Words
    collective: Collective
    role_prefixes: Words
    prose: Prose
    canonical: Words
    assignments: Assignments


@lru_cache(maxsize=1)
def load_units() -> UnitsVocab:
    return _load("units.yaml", UnitsVocab)


# ---------------------------------------------------------------- legacy_encodings.yaml (ingest/legacy.py)

class LegacyEncodings(_Data):
    supplements: dict[str, dict[str, str]]
    font_patterns: dict[str, Words]


@lru_cache(maxsize=1)
def load_legacy_encodings() -> LegacyEncodings:
    return _load("legacy_encodings.yaml", LegacyEncodings)


# ---------------------------------------------------------------- directive_aliases.yaml (registry.py)

class DirectiveAliases(_Data):
    one_series_issuers: Words
    aliases: dict[str, str]


@lru_cache(maxsize=1)
def load_directive_aliases() -> DirectiveAliases:
    return _load("directive_aliases.yaml", DirectiveAliases)


# ---------------------------------------------------------------- sections.yaml (sections.py)

class SectionsVocab(_Data):
    ocr_title_repairs: dict[str, str]
    ocr_roman_glyphs: dict[str, str]
    open_ends: Words
    annex_headings: Words
    part_words: Words
    article_word: str


@lru_cache(maxsize=1)
def load_sections() -> SectionsVocab:
    return _load("sections.yaml", SectionsVocab)


LOADERS = {
    "header.yaml": load_header,
    "doc_types.yaml": load_doc_types,
    "issuers.yaml": load_issuers,
    "deadline_vocab.yaml": load_deadline_vocab,
    "table_columns.yaml": load_table_columns,
    "units.yaml": load_units,
    "legacy_encodings.yaml": load_legacy_encodings,
    "directive_aliases.yaml": load_directive_aliases,
    "sections.yaml": load_sections,
}


def load_all() -> dict[str, _Data]:
    """Every data file, validated (tests and `python -m extractor.vocab` use it)."""
    return {name: load() for name, load in LOADERS.items()}


if __name__ == "__main__":  # pragma: no cover
    for name, data in load_all().items():
        print(f"{name}: ok ({len(type(data).model_fields)} keys)")
