"""Legacy encodings: the tables against independent references, detection on every seed in
every encoding, and the pipeline's scores on those files next to the UTF-8 originals."""
from __future__ import annotations

import shutil
import unicodedata

import pytest

from extractor.api import extract
from extractor.evaluate import score
from extractor.ingest import legacy
from extractor.ingest.text import decode_bytes
from tests.conftest import GOLD, SEEDS
from tests.fixtures.legacy import LETTERS, TCVN3, VNI, encode, expected_text

ENCODINGS = ["tcvn3", "vni", "viscii", "cp1258"]


@pytest.mark.parametrize("letter", LETTERS)
def test_tcvn3_table_matches_the_abc_reference(letter):
    # TCVN3 has no upper-case toned letters: they share the lower-case code
    want = letter if letter in "ĂÂÊÔƠƯĐ" or not letter.isupper() else letter.lower()
    assert legacy.charmap("tcvn3") and legacy.convert(TCVN3[letter], "tcvn3") == want


@pytest.mark.parametrize("letter", LETTERS)
def test_vni_table_matches_the_layout_rules(letter):
    assert legacy.convert(VNI[letter], "vni") == letter


def test_viscii_table_matches_iconv_for_every_letter():
    data = encode(LETTERS, "viscii")
    assert len(data) == len(LETTERS)           # one byte per letter
    assert legacy.decode(data, "viscii") == LETTERS


@pytest.mark.parametrize("surface, encoding, unicode", [
    ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "tcvn3", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
    ("§éc lËp - Tù do - H¹nh phóc", "tcvn3", "Độc lập - Tự do - Hạnh phúc"),
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "vni", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("Ñoäc laäp - Töï do - Haïnh phuùc", "vni", "Độc lập - Tự do - Hạnh phúc"),
    ("ÑAÛNG COÄNG SAÛN VIEÄT NAM", "vni", "ĐẢNG CỘNG SẢN VIỆT NAM"),
    ("saün coù, Ñaø Naüng, ñaúng caáp", "vni", "sẵn có, Đà Nẵng, đẳng cấp"),
])
def test_known_phrases(surface, encoding, unicode):
    assert legacy.convert(surface, encoding) == unicode


@pytest.mark.parametrize("surface, want", [
    ("KÕ HO¹CH", "KẾ HOẠCH"),                       # an upper-case line typed in .VnTimeH
    ("TØNH ñY L¢M CH¢U", "TỈNH ỦY LÂM CHÂU"),
    ("Sè 12-KH/HU", "Số 12-KH/HU"),                  # sentence case stays: no certain capital
    ("KÕ ho¹ch c«ng t¸c", "Kế hoạch công tác"),
])
def test_tcvn3_upper_case_is_restored_only_where_certain(surface, want):
    assert legacy.convert(surface, "tcvn3") == want


@pytest.mark.parametrize("font, enc", [
    ("ABCDEF+.VnTime", "tcvn3"), (".VnTimeH", "tcvn3"), ("VnArial", "tcvn3"), ("VNI-Times", "vni"),
    ("QWERTY+VNI-Helve-Condense", "vni"), ("TimesNewRomanPSMT", None), ("DejaVuSans", None), (None, None),
])
def test_font_names(font, enc):
    assert legacy.font_encoding(font) == enc


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_seed_is_detected_and_decoded(encoding, seed_paths):
    for path in seed_paths:
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
        decoded = decode_bytes(encode(text, encoding))
        assert decoded.encoding == encoding, path.name
        assert decoded.confidence >= 0.5
        want = expected_text(text, encoding)
        if encoding == "tcvn3":
            # only the case of a capital toned letter at a word start in mixed case ("Tỉnh Ủy") is lost
            assert decoded.text.casefold() == want.casefold(), path.name
            assert sum(a != b for a, b in zip(decoded.text, want)) <= 5
        else:
            assert decoded.text == want, path.name


def _scores(docs: dict) -> dict:
    s = score(docs, GOLD)
    return {k: (v.get("f1") if "f1" in v else v.get("accuracy")) for k, v in s.items() if isinstance(v, dict)
            and ("f1" in v or "accuracy" in v)}


@pytest.fixture(scope="module")
def plain_scores(seed_paths):
    return _scores({p.stem: extract(p).model_dump(mode="json") for p in seed_paths})


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_pipeline_scores_match_plain_text(encoding, seed_paths, plain_scores, tmp_path):
    docs = {}
    for p in seed_paths:
        f = tmp_path / p.name
        f.write_bytes(encode(p.read_text(encoding="utf-8"), encoding))
        doc = extract(f)
        assert doc.source.encoding == encoding and doc.status in ("ok", "partial")
        docs[p.stem] = doc.model_dump(mode="json")
    got = _scores(docs)
    worse = {k: (plain_scores[k], got.get(k)) for k in plain_scores
             if plain_scores[k] is not None and (got.get(k) or 0) < plain_scores[k] - 0.02}
    assert not worse, worse
