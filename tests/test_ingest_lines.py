"""The PDF reader's line building on pages drawn word by word: wrapped prose is rejoined (a
paragraph's indented first line too), but the join never runs cell fragments of a table a text
layer flattened to one cell per line into each other, nor lines of different columns."""
from __future__ import annotations

import io

import pytest

from extractor.ingest import ingest
from extractor.settings import Settings
from tests.fixtures.render import _fonts

S = Settings(ocr="never")
SIZE = 12
LEFT, RIGHT = 72.0, 523.0          # the text column of an A4 page (595 pt wide)

PROSE = ("Ngày 29/6/2026, Bộ trưởng Bộ Xây dựng ban hành Quyết định số 1074/QĐ-BXD về việc ban hành các "
         "giải pháp kỹ thuật nâng cao an toàn phòng cháy, chữa cháy cho các cơ sở, công trình không bảo đảm "
         "yêu cầu về phòng cháy và chữa cháy theo các tiêu chuẩn, quy chuẩn kỹ thuật hiện hành.")
PROSE2 = ("Theo chức năng, nhiệm vụ, phạm vi quản lý tổ chức tuyên truyền, phổ biến và triển khai thực hiện "
          "đầy đủ các nội dung của Quyết định; tổ chức kiểm tra, rà soát các cơ sở, công trình thuộc đối "
          "tượng áp dụng để xây dựng kế hoạch tổ chức thực hiện theo đúng quy định.")


def _wrap(text: str, indent: float, font: str) -> list[tuple[float, str]]:
    """A paragraph set as a word processor sets it: greedy lines within the column, the first
    line indented by `indent` (the lines but the last are justified when drawn)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    out: list[tuple[float, str]] = []
    x, cur = LEFT + indent, ""
    for word in text.split():
        trial = f"{cur} {word}" if cur else word
        if cur and x + stringWidth(trial, font, SIZE) > RIGHT:
            out.append((x, cur + " "))        # a trailing space: justify this line
            x, cur = LEFT, word
        else:
            cur = trial
    out.append((x, cur))
    return out


def _pdf(lines: list[tuple[float, str]]) -> bytes:
    """One A4 page, each (x, text) drawn on its own baseline, 15 pt apart; a text ending with a
    space is justified to the column's right edge."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    font, _ = _fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842))
    c.setFont(font, SIZE)
    y = 780.0
    for x, text in lines:
        if text.endswith(" "):
            text = text.strip()
            t = c.beginText(x, y)
            t.setFont(font, SIZE)
            t.setWordSpace((RIGHT - x - stringWidth(text, font, SIZE)) / max(text.count(" "), 1))
            t.textLine(text)
            c.drawText(t)
        elif text:
            c.drawString(x, y, text)
        y -= 15 if text else 24        # an empty entry: the gap between two paragraphs
    c.showPage()
    c.save()
    return buf.getvalue()


def _read(lines: list[tuple[float, str]]) -> list[str]:
    return [ln for ln in ingest(_pdf(lines), "pdf", S).pages[0].split("\n") if ln]


def test_wrapped_prose_is_rejoined_and_an_indented_first_line_too():
    font, _ = _fonts()
    got = _read(_wrap(PROSE, 28, font) + [(LEFT, "")] + _wrap(PROSE2, 28, font))
    assert got == [PROSE, PROSE2]


def test_flush_left_paragraph_is_rejoined_and_the_next_indented_one_is_not_joined_to_it():
    font, _ = _fonts()
    got = _read(_wrap(PROSE, 0, font) + _wrap(PROSE2, 28, font))
    assert got == [PROSE, PROSE2]


# a page holding only a table the text layer flattened to one cell fragment per line: the
# fragments share the left edge and none is full, so none is a wrapped line of another
FLAT_TABLE = [
    "Stt", "Nội dung nhiệm vụ", "Thời gian", "Cơ quan chủ trì",
    "1", "Rà soát, bổ sung quy hoạch các khu công nghiệp trên địa bàn", "tỉnh giai đoạn 2025-2030.",
    "Hàng quý", "Sở Công Thương",
    "2", "Xây dựng cơ chế hỗ trợ doanh nghiệp đầu tư hạ tầng kỹ thuật", "các cụm công nghiệp mới.",
    "Quý IV năm 2026", "Ủy ban nhân dân các xã, phường",
    "3", "Tổ chức kiểm tra, giám sát việc thực hiện các dự án đầu tư", "vào khu, cụm công nghiệp.",
    "Trước ngày 31/12/2026", "Ban Quản lý các khu công nghiệp tỉnh",
]


@pytest.mark.parametrize("fragments", [FLAT_TABLE, FLAT_TABLE[1:]])
def test_cell_fragments_of_a_flattened_table_are_not_joined(fragments):
    assert _read([(LEFT, t) for t in fragments]) == fragments


def test_lines_of_another_column_are_not_joined():
    # a full-width line, then a line starting far left of it (a cell of another column): two lines
    font, _ = _fonts()
    prose = _wrap(PROSE, 0, font) + _wrap(PROSE2, 0, font)
    first = prose[0][1].strip()
    got = _read([(LEFT + 120, first), (LEFT, "Sở Công Thương chủ trì thực hiện")] + prose[1:])
    assert got[0] == first and got[1].startswith("Sở Công Thương chủ trì thực hiện")


# a DOCX layout table (recipients | signature) with an empty spacer column between its zones:
# its cells' paragraphs come out line by line, zone beside zone, as from a 2-column layout table
@pytest.mark.parametrize("cols,left,right,expected", [
    (3, "Nơi nhận:\n- Ban Giám đốc Sở;\n- Lưu: VT, CN.", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nHoàng Văn Thuân",
     ["Nơi nhận:\tKT. GIÁM ĐỐC", "- Ban Giám đốc Sở;\tPHÓ GIÁM ĐỐC", "- Lưu: VT, CN.\tHoàng Văn Thuân"]),
    (2, "Nơi nhận:\n- Như trên;", "TM. BAN THƯỜNG VỤ\nBÍ THƯ\nNguyễn Văn A",
     ["Nơi nhận:\tTM. BAN THƯỜNG VỤ", "- Như trên;\tBÍ THƯ", "\tNguyễn Văn A"]),
    (4, "Nơi nhận:\n- Như trên;", "TM. ĐOÀN KIỂM TRA\nTRƯỞNG ĐOÀN\nNguyễn Văn B",
     ["Nơi nhận:\tTM. ĐOÀN KIỂM TRA", "- Như trên;\tTRƯỞNG ĐOÀN", "\tNguyễn Văn B"]),
    # items a typist broke by hand into new paragraphs are whole again; a closed item is not continued
    (3, "Nơi nhận:\n- Ủy ban Kiểm tra, Ban xây dựng Đảng,\nVP Đảng uỷ;\n- Bí thư Chi bộ, Ban công\ntác MT thôn;\n"
        "- Lưu: MTTQ", "TM. BAN THƯỜNG TRỰC\nCHỦ TỊCH\nLan Thị Vân",
     ["Nơi nhận:\tTM. BAN THƯỜNG TRỰC", "- Ủy ban Kiểm tra, Ban xây dựng Đảng, VP Đảng uỷ;\tCHỦ TỊCH",
      "- Bí thư Chi bộ, Ban công tác MT thôn;\tLan Thị Vân", "- Lưu: MTTQ"]),
])
def test_docx_layout_table_with_a_spacer_column(cols, left, right, expected):
    import docx

    d = docx.Document()
    d.add_paragraph("Trên đây là Kế hoạch của Sở./.")
    t = d.add_table(rows=1, cols=cols)
    for j, text in ((0, left), (cols - 1, right)):
        paras = text.split("\n")
        cell = t.cell(0, j)
        cell.text = paras[0]
        for p in paras[1:]:
            cell.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    lines = ingest(buf.getvalue(), "docx", S).pages[0].split("\n")
    assert lines[lines.index(expected[0]):][:len(expected)] == expected


def test_a_numbered_heading_after_a_full_line_is_not_joined_to_it():
    # the line before ends at the column edge, so "3.4." would not have fitted on it: it still
    # opens an item of its own
    font, _ = _fonts()
    prose = _wrap(PROSE, 0, font)
    full = [(x, t.strip()) for x, t in prose if t.endswith(" ")][0][1]
    got = _read([(LEFT, full + " "), (LEFT, "3.4. Tham gia các cuộc thi")] + _wrap(PROSE2, 28, font))
    assert got[:2] == [full, "3.4. Tham gia các cuộc thi"]


@pytest.mark.parametrize("cell,expected", [
    ("Ngày 1\n5/11/20\n23", "Ngày 15/11/2023"),       # a date cut after its first digit, then again
    ("Trước ngày 2\n1/11/2023", "Trước ngày 21/11/2023"),
    ("25\n/11/202\n3", "25/11/2023"),
    ("Quý 1\n2026", "Quý 1 2026"),                     # no date: words stay apart
    ("Mục 1\n2. Nội dung", "Mục 1 2. Nội dung"),
])
def test_cell_text_rejoins_a_date_cut_by_a_narrow_column(cell, expected):
    from extractor.ingest.grid import cell_text

    assert cell_text(cell) == expected


def test_lines_broken_by_hand_short_of_the_column_stay_apart_and_a_full_paragraph_joins():
    # a converter's hard-wrapped text (every line broken well short of the column's edge) around
    # one paragraph wrapped at the edge: only the wrapped paragraph becomes one line
    font, _ = _fonts()
    short = ["Thực hiện Chương trình hành động số 104-CTr/TU ngày 30/8/2026 của",
             "Tỉnh ủy Lào Cai thực hiện Kết luận số 75-KL/TW ngày 28/7/2026 của Ban",
             "Chấp hành Trung ương Đảng về tiếp tục thực hiện Nghị quyết số 24-NQ/TW",
             "ngày 03/6/2013 của Ban Chấp hành Trung ương Đảng khóa XI về chủ động",
             "ứng phó với biến đổi khí hậu, tăng cường quản lý tài nguyên và bảo vệ",
             "môi trường, Đảng ủy Ủy ban nhân dân tỉnh đề nghị các đơn vị như sau:"]
    para = ("Để tổ chức triển khai thực hiện nghiêm túc Quyết định của Bộ Xây dựng trên địa bàn tỉnh, "
            "Chủ tịch Ủy ban nhân dân tỉnh yêu cầu các sở, ban, ngành tập trung thực hiện.")
    assert len(_wrap(para, 0, font)) == 2
    got = _read(_wrap(para, 0, font) + [(LEFT, "")] + [(LEFT, t) for t in short * 3])
    assert got == [para] + short * 3


def test_docx_layout_table_with_one_zone_keeps_its_paragraphs():
    import docx

    d = docx.Document()
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI"
    t.cell(1, 0).text = "Số: 134/KH-UBND"
    d.add_paragraph("KẾ HOẠCH")
    buf = io.BytesIO()
    d.save(buf)
    lines = ingest(buf.getvalue(), "docx", S).pages[0].split("\n")
    assert lines[:3] == ["ỦY BAN NHÂN DÂN", "TỈNH LÀO CAI", "Số: 134/KH-UBND"]


@pytest.mark.parametrize("rgb,dark", [
    ((200, 30, 40), False),      # a seal's red ink: dropped
    ((230, 120, 130), False),    # its lighter edge
    ((20, 20, 20), True),        # black text, also where it lies under the seal
    ((30, 40, 160), True),       # blue ink: a number or date filled in by hand
    ((90, 60, 60), True),        # dark brownish text is no seal
])
def test_ocr_image_preparation_drops_only_red_seal_ink(rgb, dark):
    from PIL import Image

    from extractor.ingest.imageprep import prepare

    img = Image.new("RGB", (8, 8), (255, 255, 255))
    img.paste(rgb, (2, 2, 6, 6))
    out = prepare(img)
    assert out.mode == "L" and out.getpixel((0, 0)) == 255
    assert (out.getpixel((4, 4)) < 128) == dark


@pytest.mark.parametrize("a,b,expected", [
    ("155", "2/BTTTT-TTH", True),           # the number before the slash broken
    ("15", "7/2007/QĐ-TTg,", True),
    ("66.7/2025/NQ-C", "P:", True),          # the code's letters broken
    ("66.7/2025/N", "Q-CP", True),
    ("/2025/NQ-C", "P;", True),              # a middle piece the cell rejoins later
    ("05-KH/BC", "ĐTW", True),
    ("708/BTTTT-CAT", "TT;", True),
    ("11/NQ-CP", "Ủy", False),               # a word after a whole symbol
    ("11/NQ-CP", "ban", False),
    ("KH/BC", "ĐTW", False),                 # no number: not a symbol's piece
    ("2025", "năm", False),
    ("15", "7/2007", False),                 # a date, not a symbol (cell_text's own rules)
    ("12345", "6/QĐ-TTg", False),            # too long for the number before the slash
])
def test_split_symbol_shapes(a, b, expected):
    from extractor.ingest.grid import split_symbol

    assert split_symbol(a, b) is expected


def _w(x0, x1, top, text):
    return {"x0": x0, "x1": x1, "top": top, "bottom": top + 10, "text": text}


@pytest.mark.parametrize("words,expected", [
    # a symbol too long for the cell, broken at its edge: rejoined as one token
    ([_w(0, 20, 0, "quyết"), _w(22, 30, 0, "số"), _w(32, 58, 0, "66.7"),
      _w(0, 55, 14, "/2025/NQ-C"), _w(0, 9, 28, "P:"), _w(12, 30, 28, "sửa")],
     ["quyết số 66.7", "/2025/NQ-CP: sửa"]),
    ([_w(0, 15, 0, "NV"), _w(18, 37, 0, "theo"), _w(0, 15, 14, "KH"), _w(18, 33, 14, "05-"),
      _w(0, 33, 28, "KH/BC"), _w(0, 25, 42, "ĐTW")],
     ["NV theo", "KH 05-", "KH/BCĐTW"]),
    # the same shapes in a cell wide enough for both pieces on one line: a wrap between words
    ([_w(0, 40, 0, "Nghị quyết số"), _w(42, 90, 0, "11/NQ-C"), _w(92, 140, 0, "trước"),
      _w(0, 10, 14, "P:"), _w(12, 30, 14, "sửa")],
     ["Nghị quyết số 11/NQ-C trước", "P: sửa"]),
    ([_w(0, 30, 0, "văn bản số"), _w(32, 45, 0, "155"), _w(0, 50, 14, "2/BTTTT-TTH"),
      _w(52, 100, 14, "và các")],
     ["văn bản số 155", "2/BTTTT-TTH và các"]),
])
def test_pdf_cell_rejoins_a_symbol_broken_at_the_cell_edge(words, expected):
    from extractor.ingest.pdf import _cell_lines

    assert _cell_lines(words, None) == expected
