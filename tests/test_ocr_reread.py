"""Words Tesseract was unsure of, read a second time out of their line (ocr.reread_unsure): which
second reading replaces the first (ocr_words.second_reading), how a word's crop is cut
(reread.unsure_crops), and the re-read on rendered words."""
from __future__ import annotations

import numpy as np
import pytest

from extractor.ingest.ocr_words import Word, second_reading

FONT = "/usr/share/fonts/truetype/freefont/FreeSerif.ttf"


@pytest.mark.parametrize("first, conf, second, conf2, before, kept", [
    ("n", 0, "5,", 95, "", "5,"),                   # Tesseract gave up on the page: a sure number replaces it
    ("Nr+KS.", 0, "Đường", 95, "", "Đường"),        # ... and a sure syllable
    ("Kz", 0, "32.", 96, "", "32."),
    ("Thuy", 58, "Thuỳ", 92, "", "Thuỳ"),           # the tone mark the page lost: same letters, no syllable before
    ("tượng", 43, "tương", 93, "", "tượng"),        # a real syllable either way: the sentence decides, not the crop
    ("ban", 10, "bạn", 96, "", "ban"),              # ... however unsure the page was ("Ủy ban")
    ("chi", 49, "chỉ", 96, "", "chi"),              # ("chi bộ" read "chỉ" at 96 out of its line)
    ("II.", 63, "HI.", 91, "", "II."),              # other letters, and the page was not lost
    ("ĐŨ,", 65, "DU,", 89, "", "ĐŨ,"),              # Đ → D is another letter, not a mark
    ("Thuy", 65, "Thuỳ", 86, "", "Thuy"),           # not surer by enough
    ("tủ", 10, "văn", 70, "", "tủ"),                # the second reading not sure
    ("giáo.", 0, "giáo!.", 90, "", "giáo."),        # not shaped as a word
    ("Q", 0, "U", 91, "", "Q"),                     # one letter: too little to go by
    ("vụQuý", 41, "vụ Quý", 92, "", "vụQuý"),       # two words
    ("nước,", 0, "nước.", 95, "", "nước,"),         # punctuation alone differs: kept as first read
    ("ngày", 60, "ngày", 96, "", "ngày"),           # the same reading
    ("II.", 28, "HI.", 96, "", "II."),              # a Roman numeral: the section sequence repairs those
    ("n", 0, "5,", 75, "tháng", "5,"),              # a month where "tháng" wants one: less sure will do
    ("n", 0, "5,", 75, "", "n"),                    # ... elsewhere not
    ("n", 0, "15,", 75, "tháng", "n"),              # no month 15
    ("tháng", 40, "5,", 75, "tháng", "tháng"),      # the page's reading was not lost
])
def test_second_reading_decision(first, conf, second, conf2, before, kept):
    w = Word(first, 100, 100, 60, 40, conf, 1, 1, 1)
    assert (second_reading(w, second, conf2, before) or first) == kept


@pytest.mark.parametrize("rows, top, bottom, cleared", [
    # inked row runs of a 40-row crop (start, end), the word's line rows top..bottom → runs whitened
    ([(0, 3), (10, 30)], 10, 30, [(0, 3)]),         # descenders of the line above cut by the top edge
    ([(10, 30), (36, 39)], 10, 30, [(36, 39)]),     # accents of the line below cut by the bottom edge
    ([(4, 7), (10, 30), (32, 34)], 10, 30, []),     # the word's own accent and dot below: inside
    ([(0, 14), (16, 30)], 10, 30, []),              # a tall letter reaching the edge, in the line
])
def test_neighbour_lines_cleared(rows, top, bottom, cleared):
    from extractor.ingest.reread import _clear_neighbour_lines

    a = np.full((40, 20), 255, np.uint8)
    for r0, r1 in rows:
        a[r0:r1 + 1, 5:10] = 0
    _clear_neighbour_lines(a, top, bottom)
    gone = [(r0, r1) for r0, r1 in rows if (a[r0:r1 + 1] == 255).all()]
    assert gone == cleared


def _line_image(words: list[str], size: int = 50):
    """A white page with one line of words in a serif font at ~12 pt for 300 dpi, and each word's
    box as Tesseract would give it."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONT, size)
    img = Image.new("L", (1800, 400), 255)
    d = ImageDraw.Draw(img)
    x, boxes = 120, []
    for t in words:
        d.text((x, 150), t, font=font, fill=0)
        x0, y0, x1, y1 = d.textbbox((x, 150), t, font=font)
        boxes.append((x0, y0, x1 - x0, y1 - y0))
        x = x1 + size // 3
    return img, boxes


def _as_read(boxes, readings):
    return [Word(t, *box, conf, 1, 1, 1) for box, (t, conf) in zip(boxes, readings)]


@pytest.mark.slow
def test_unsure_words_read_again_from_one_strip(monkeypatch):
    """The unsure words of a page come back right from one more Tesseract call; sure words, even
    wrong ones, are left as read."""
    import pytesseract

    from extractor.ingest.imageprep import PageGeometry
    from extractor.ingest.ocr import reread_unsure
    from extractor.settings import Settings

    img, boxes = _line_image(["Bí", "thư", "Vũ", "Thị", "Thuỳ", "Trang", "tháng", "5,", "phương", "hướng"])
    x, y, w, h = boxes[7]
    boxes[7] = (x, y, w // 2, h)           # the box of a word read as nothing can miss half its glyphs
    first = _as_read(boxes, [("Bí", 96), ("thư", 96), ("Vũ", 95), ("Thị", 94), ("Thuy", 58), ("Trang", 96),
                             ("tháng", 96), ("n", 0), ("phương", 96), ("hướng", 40)])
    calls = []
    real = pytesseract.image_to_data
    monkeypatch.setattr(pytesseract, "image_to_data", lambda *a, **k: calls.append(1) or real(*a, **k))
    got = reread_unsure(img, PageGeometry(img.size), first, Settings())
    assert [w.text for w in got] == ["Bí", "thư", "Vũ", "Thị", "Thuỳ", "Trang", "tháng", "5,", "phương", "hướng"]
    assert len(calls) == 1
    assert [(w.left, w.top) for w in got] == [(w.left, w.top) for w in first]

    sure = _as_read(boxes, [("Bí", 96), ("thư", 96), ("Vũ", 95), ("Thị", 94), ("Thuy", 91), ("Trang", 96),
                            ("tháng", 96), ("5,", 90), ("phương", 96), ("hướng", 96)])
    calls.clear()
    assert reread_unsure(img, PageGeometry(img.size), sure, Settings()) == sure
    assert calls == []                                   # nothing unsure: no Tesseract call
    seal = sure + [Word("@Ø", 1300, 20, 330, 360, 0.0, 2, 1, 1)]
    assert reread_unsure(img, PageGeometry(img.size), seal, Settings()) == seal
    assert calls == []                                   # a box many lines tall is no word to read again
