"""spaCy integration: tokenizer, components, the packaged pipeline under models/."""
from __future__ import annotations

from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")

import extractor.nlp as xnlp  # noqa: E402  registers the tokenizer and the factories

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "vi_party_extractor"
TEXT = ("3. Giao Ban Tuyên giáo Huyện ủy chủ trì, phối hợp với Văn phòng Huyện ủy, các chi, đảng bộ trực thuộc "
        "triển khai Kết luận số 100-KL/TW, ngày 18/8/2014 của Ban Bí thư; hoàn thành trước ngày 30/11/2023.")


@pytest.mark.parametrize("segmentation", ["syllable", "underthesea"])
def test_tokenizer_reproduces_the_text(segmentation):
    nlp = xnlp.blank(segmentation)
    for text in (TEXT, "Phòng HC-TH, KG, VH-VN\n\n  - BTG các huyện.", "  x  \t y\n", ""):
        assert nlp(text).text == text


def test_syllable_tokens_keep_symbols_and_split_punctuation():
    words = [t.text for t in xnlp.blank()("Số 143-KH/BTGTU, Huyện ủy; 18/8/2014.")]
    assert words == ["Số", "143-KH/BTGTU", ",", "Huyện", "ủy", ";", "18/8/2014", "."]


def test_packaged_pipeline_loads_with_spacy_load_and_yields_spans():
    assert (MODEL / "config.cfg").exists(), "run `python -m extractor.nlp` to package the pipeline"
    nlp = spacy.load(MODEL)
    assert "extractor_spans" in nlp.pipe_names
    doc = nlp(TEXT)
    by_label = {}
    for sp in doc.spans["extractor"]:
        by_label.setdefault(sp.label_, []).append(sp.text)
    assert "Kết luận số 100-KL/TW, ngày 18/8/2014 của Ban Bí thư" in " ".join(by_label["REFERENCE"]) or \
        any("100-KL/TW" in t for t in by_label["REFERENCE"])
    assert by_label["UNIT"][:3] == ["Ban Tuyên giáo Huyện ủy", "Văn phòng Huyện ủy", "các chi, đảng bộ trực thuộc"]
    assert any("30/11/2023" in t for t in by_label.get("DEADLINE", []))
    assert [sp.text for sp in doc.spans["UNIT"]] == by_label["UNIT"]
    unit = doc.spans["UNIT"][0]
    assert unit._.extractor["role"] == "lead" and unit._.extractor["name"] == "Ban Tuyên giáo Huyện ủy"


def test_api_nlp_and_displacy_render():
    from spacy import displacy

    from extractor.api import nlp as api_nlp

    doc = api_nlp()(TEXT)
    html = displacy.render(doc, style="span", options={"spans_key": "extractor"}, page=False)
    assert "UNIT" in html and "REFERENCE" in html


def test_spans_map_back_when_normalization_changes_the_text():
    """NFD input: the extractor works on NFC text; spans still land on the Doc's own characters."""
    import unicodedata

    nfd = unicodedata.normalize("NFD", TEXT)
    doc = xnlp.build()(nfd)
    units = [sp.text for sp in doc.spans["UNIT"]]
    assert [unicodedata.normalize("NFC", u) for u in units][:1] == ["Ban Tuyên giáo Huyện ủy"]


def test_trained_units_model_loads_if_present():
    path = ROOT / "models" / "units_ner"
    if not (path / "config.cfg").exists():
        pytest.fail("models/units_ner missing: python -m extractor.train train")
    nlp = spacy.load(path)
    doc = nlp("Sở Tài chính; Công an tỉnh, các sở, ban, ngành")
    assert doc.text == "Sở Tài chính; Công an tỉnh, các sở, ban, ngành"
    assert all(e.label_ == "UNIT" for e in doc.ents)
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    assert size < 5_000_000
