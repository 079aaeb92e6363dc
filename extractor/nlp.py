"""spaCy integration: the extractor as pipeline components that fill `doc.spans`.

    import extractor.nlp                       # registers the tokenizer and the factories
    nlp = spacy.load("models/vi_party_extractor")   # or extractor.api.nlp()
    doc = nlp(text)
    doc.spans["extractor"]                     # REFERENCE, DEADLINE, UNIT spans, one group
    doc.spans["UNIT"]                          # one key per label too
    spacy.displacy.render(doc, style="span", options={"spans_key": "extractor"})

spaCy has no Vietnamese pipeline on PyPI and its "vi" tokenizer needs pyvi (230 MB) or
splits on whitespace only, leaving "Huyện ủy," as one token. Our tokenizer splits
syllables and punctuation (and can use underthesea's word segmentation); the text is
reproduced exactly.

The components call the extractor's own stages (extract_text) and map its character
spans to tokens with doc.char_span(alignment_mode="expand"); the trained unit tagger
(models/units_ner, see extractor/train.py) is a separate, optional pipeline.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Optional

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup
from spacy.util import get_words_and_spaces, registry

MODELS = Path(__file__).resolve().parent.parent / "models"
DEFAULT_MODEL = MODELS / "vi_party_extractor"
SPANS_KEY = "extractor"
LABELS = ("REFERENCE", "DEADLINE", "UNIT", "ASSIGNMENT")

# a word (letters/digits joined by - / . & as in "143-KH/BTGTU", "HC-TH", "18/8/2014") or one symbol
_TOKEN = re.compile(r"[^\W_]+(?:[-/.&][^\W_]+)*|\S")


class VietnameseTokenizer:
    """Syllable + punctuation tokens, or underthesea words ("Tuyên_giáo" as one token)."""

    def __init__(self, vocab, segmentation: str = "syllable"):
        if segmentation not in ("syllable", "underthesea"):
            raise ValueError(f"segmentation must be 'syllable' or 'underthesea', not {segmentation!r}")
        self.vocab, self.segmentation = vocab, segmentation

    def __call__(self, text: str) -> Doc:
        if self.segmentation == "underthesea":
            from underthesea import word_tokenize

            pieces = [w for line in text.splitlines() for w in word_tokenize(line)]
            try:
                words, spaces = get_words_and_spaces(pieces, text)
            except ValueError:  # underthesea rewrote a character: fall back, never lose text
                words, spaces = get_words_and_spaces(_TOKEN.findall(text), text)
        else:
            words, spaces = get_words_and_spaces(_TOKEN.findall(text), text)
        return Doc(self.vocab, words=words, spaces=spaces)

    # nothing to save: the rules are code, the vocabulary lives in the Vocab
    def to_bytes(self, **kw) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kw) -> "VietnameseTokenizer":
        return self

    def to_disk(self, path, **kw) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path, **kw) -> "VietnameseTokenizer":
        return self


@registry.tokenizers("extractor.vi_tokenizer.v1")
def create_tokenizer(segmentation: str = "syllable"):
    def make(nlp: Language) -> VietnameseTokenizer:
        return VietnameseTokenizer(nlp.vocab, segmentation)

    return make


def _to_doc_offsets(doc_text: str):
    """Map offsets in the extractor's normalized text back to the Doc's text.

    normalize's own map is linear between its edits, so NFC composition (NFD input: "ủ" is
    three code points) is mapped here first, one base character and its marks at a time.
    """
    import bisect
    import unicodedata

    from .normalize import normalize_pages

    norm, _ = normalize_pages([doc_text])
    if norm.text == doc_text:
        return lambda i: i
    nfc_starts, in_starts, parts, i = [0], [0], [], 0
    while i < len(doc_text):
        j = i + 1
        while j < len(doc_text) and unicodedata.combining(doc_text[j]):
            j += 1
        parts.append(unicodedata.normalize("NFC", doc_text[i:j]))
        nfc_starts.append(nfc_starts[-1] + len(parts[-1]))
        in_starts.append(j)
        i = j

    def nfc_to_input(k: int) -> int:
        n = bisect.bisect_right(nfc_starts, k) - 1
        return in_starts[n] if nfc_starts[n] == k else in_starts[min(n + 1, len(in_starts) - 1)]

    if "".join(parts) == doc_text:
        return norm.to_input
    renorm, _ = normalize_pages(["".join(parts)])
    return lambda k: nfc_to_input(renorm.to_input(k))


def extractor_char_spans(text: str) -> list[tuple[int, int, str, dict]]:
    """(start, end, label, attributes) for every reference mention, deadline, unit and assignment in
    prose the extractor finds."""
    from .core import extract_text

    rec = extract_text(text, doc_id="spacy")
    out: list[tuple[int, int, str, dict]] = []
    for r in rec.references:
        for m in r.mentions:
            out.append((m.span[0], m.span[1], "REFERENCE", {"id": r.id, "kind": r.kind}))
    for d in rec.deadlines:
        if d.span:
            out.append((d.span[0], d.span[1], "DEADLINE", {"kind": d.kind, "start": d.start, "end": d.end}))
    for t in rec.tasks:  # an assignment given in prose: the whole item
        if t.origin == "list":
            out.append((*t.span, "ASSIGNMENT", {"task": t.id, "number": t.number, "lead": t.lead,
                                                "partners": t.partners, "deadline_kind": t.deadline.kind,
                                                "start": t.deadline.start, "end": t.deadline.end}))
    for t in rec.tasks:  # a task's deadline cell, where the table reader found it
        if t.deadline.span and t.deadline.text.strip():
            out.append((*t.deadline.span, "DEADLINE", {"kind": t.deadline.kind, "start": t.deadline.start,
                                                       "end": t.deadline.end, "task": t.id}))
    units = [(u, "lead") for t in rec.tasks for u in t.lead_units]
    units += [(u, "partner") for t in rec.tasks for u in t.partner_units]
    units += [(u, u.role) for u in rec.units]
    seen = set()
    for u, role in units:
        if u.span and u.span not in seen:
            seen.add(u.span)
            out.append((u.span[0], u.span[1], "UNIT", {"name": u.name, "kind": u.kind, "role": role}))
    return out


@Language.factory("extractor_spans", default_config={"spans_key": SPANS_KEY, "labels": list(LABELS)})
def make_extractor_spans(nlp: Language, name: str, spans_key: str, labels: list[str]):
    return ExtractorSpans(spans_key, labels)


class ExtractorSpans:
    """Runs the extractor on doc.text and writes its spans into doc.spans[spans_key] and doc.spans[LABEL]."""

    def __init__(self, spans_key: str = SPANS_KEY, labels: Iterable[str] = LABELS):
        self.spans_key, self.labels = spans_key, list(labels)
        if not Span.has_extension("extractor"):
            Span.set_extension("extractor", default=None)

    def __call__(self, doc: Doc) -> Doc:
        to_doc = _to_doc_offsets(doc.text)
        spans: list[Span] = []
        for s, e, label, attrs in extractor_char_spans(doc.text):
            if label not in self.labels:
                continue
            span = doc.char_span(to_doc(s), to_doc(e), label=label, alignment_mode="expand")
            if span is not None and len(span):
                span._.extractor = attrs
                spans.append(span)
        spans.sort(key=lambda sp: (sp.start, sp.end))
        doc.spans[self.spans_key] = SpanGroup(doc, name=self.spans_key, spans=spans)
        for label in self.labels:
            doc.spans[label] = [sp for sp in spans if sp.label_ == label]
        return doc


def blank(segmentation: str = "syllable") -> Language:
    """A blank Vietnamese pipeline with our tokenizer (no pyvi)."""
    return spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "extractor.vi_tokenizer.v1",
                                                             "segmentation": segmentation}}})


def build(segmentation: str = "syllable") -> Language:
    nlp = blank(segmentation)
    nlp.add_pipe("extractor_spans")
    nlp.meta.update({"name": "party_extractor", "version": "0.1.0", "lang": "vi",
                     "description": "The vn-party-extractor stages as spaCy components: REFERENCE, "
                                    "DEADLINE, UNIT and ASSIGNMENT spans in doc.spans['extractor'] (import extractor.nlp "
                                    "before spacy.load, it registers the components)."})
    return nlp


def package(path: Path = DEFAULT_MODEL) -> Path:
    """Write the default pipeline to `path` (config.cfg, meta.json, tokenizer, vocab)."""
    build().to_disk(path)
    return path


def load(path: Optional[Path] = None) -> Language:
    """The packaged pipeline (models/vi_party_extractor), or a freshly built one if it is not there."""
    path = Path(path or DEFAULT_MODEL)
    if (path / "config.cfg").exists():
        return spacy.load(path)
    return build()


if __name__ == "__main__":  # python -m extractor.nlp  re-packages models/vi_party_extractor
    print(package())
