"""Normalization: (raw, expected normalized) pairs, and the offset map back to the input."""
import unicodedata

import pytest

from conftest import check_offsets

from extractor.normalize import normalize_pages, normalize_text

CASES = [
    ("a **b** c", "a b c"),                                   # markdown bold
    ("Nghị quyết 57\\-NQ/TW", "Nghị quyết 57-NQ/TW"),       # backslash escape
    ("x <i>y</i> <b>z</b>", "x y z"),                        # inline tags
    ("a\u200bb\u00adc\ufeff", "abc"),                        # zero-width, soft hyphen, BOM
    ("trang 1\fTrang 2", "trang 1\nTrang 2"),               # form feed → line break
    ("a\r\nb\rc", "a\nb\nc"),                                # line endings
    ("## I. MỤC ĐÍCH", "I. MỤC ĐÍCH"),                      # markdown heading marks
    ("   ## ĐẢNG", "ĐẢNG"),
    ("- *Cơ quan Thường trực*: làm", "- Cơ quan Thường trực: làm"),  # italic pair
    ("__Quan trọng__ x", "Quan trọng x"),                    # underline pair
    ("ngày __/__/2024", "ngày __/__/2024"),                  # blanks to fill in are content
    ("Số ___/KH", "Số ___/KH"),
    ("5*3*2", "5*3*2"),                                      # arithmetic is not emphasis
    ("tổ chức hội\n\nng nghị", "tổ chức hội ng nghị"),       # word cut by a page break
    ("đẩy mạnh\n\nhọc tập", "đẩy mạnh học tập"),             # sentence cut by a page break
    ("TỔ CHỨC\n\nTHỰC HIỆN", "TỔ CHỨC\n\nTHỰC HIỆN"),         # upper case: a heading, not a cut
    ("kết thúc.\n\nnội dung", "kết thúc.\n\nnội dung"),       # a full stop ends the paragraph
    ("Phó trưởng\n\n\ttế trong\t\tban", "Phó trưởng\n\n\ttế trong\t\tban"),  # table row continuation keeps its tab
    ("II. Kết quả thực hiện**1. Kết quả tham mưu**", "II. Kết quả thực hiện\n1. Kết quả tham mưu"),  # glued headings
    ("nội dung\n\n- gạch đầu dòng", "nội dung\n\n- gạch đầu dòng"),
    ("1.9. Đầu tư\n\nnội dung", "1.9. Đầu tư\n\nnội dung"),           # a heading is not a cut sentence
    ("thi hành\n\na) Nội dung", "thi hành\n\na) Nội dung"),             # nor is a lettered item
]


@pytest.mark.parametrize("raw,expected", CASES)
def test_normalize(raw, expected):
    assert normalize_text(raw).text == expected


def test_nfc():
    decomposed = unicodedata.normalize("NFD", "Kết luận số 100-KL/TW")
    assert normalize_text(decomposed).text == "Kết luận số 100-KL/TW"


@pytest.mark.parametrize("raw", [c[0] for c in CASES])
def test_offset_map_points_at_the_same_characters(raw):
    check_offsets(raw, normalize_text(raw))


def test_pages_are_joined_with_their_spans():
    norm, spans = normalize_pages(["trang **một**", "trang hai"])
    assert norm.text[slice(*spans[0])] == "trang một"
    assert norm.text[slice(*spans[1])] == "trang hai"
