"""Patterns composed from the data files (vocab.py → patterns.py helpers): a phrase → matched or not."""
from __future__ import annotations

import pytest

from extractor import references
from extractor.patterns import first_words, phrase_source, phrases_source


@pytest.mark.parametrize("phrase, expected", [
    ("thay thế", r"thay\s+thế"),
    ("sau {n} năm thực hiện", r"sau\s+\d+\s+năm\s+thực\s+hiện"),
    ("T/M.", r"T/M\."),
])
def test_phrase_source(phrase, expected):
    assert phrase_source(phrase) == expected


def test_first_words_once_in_order():
    assert first_words(["sơ kết", "sau {n} năm", "sau nữa", "qua"]) == ("sơ", "sau", "qua")
    assert phrases_source(["a b", "c"]) == r"(?:a\s+b|c)"


@pytest.mark.parametrize("text, replaces, reviews", [
    ("Chỉ thị này thay thế", True, False),
    ("THAY\nTHẾ", True, False),
    ("thay đổi", False, False),
    ("Sơ kết", False, True),
    ("tổng  kết việc", False, True),
    ("sau 10 năm thực hiện", False, True),
    ("qua 5 năm triển khai thực hiện", False, True),
    ("Qua 15 năm Triển khai Thực hiện", False, True),
    ("sau năm thực hiện", False, False),           # the number is needed
    ("sau 10 năm triển khai", False, False),
    ("kết quả thực hiện", False, False),
])
def test_relation_words(text, replaces, reviews):
    assert bool(references._REPLACE_RE.search(text)) is replaces
    assert bool(references._REVIEW_RE.search(text)) is reviews
    low = text.casefold()
    assert references._may_hold(low, references._REPLACE_NEEDLES) or not replaces
    assert references._may_hold(low, references._REVIEW_NEEDLES) or not reviews
