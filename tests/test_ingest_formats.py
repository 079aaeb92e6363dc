"""PDF, DOCX and image readers on fixtures rendered from the seeds at test time."""
from __future__ import annotations

import io
import zipfile

import pytest

from extractor.api import extract
from extractor.evaluate import score
from extractor.ingest import ingest
from extractor.ingest.errors import InputError
from extractor.settings import Settings
from tests.conftest import GOLD
from tests.fixtures.render import to_docx, to_pdf

S = Settings()


def _scores(docs):
    s = score(docs, GOLD)
    return {k: (v.get("f1") if "f1" in v else v.get("accuracy")) for k, v in s.items()
            if isinstance(v, dict) and ("f1" in v or "accuracy" in v)}


@pytest.fixture(scope="module")
def plain(seed_paths):
    return _scores({p.stem: extract(p).model_dump(mode="json") for p in seed_paths})


@pytest.mark.slow
@pytest.mark.parametrize("fmt, render", [("pdf", to_pdf), ("docx", to_docx)])
def test_scores_within_002_of_plain_text(fmt, render, seed_paths, plain, tmp_path):
    docs = {}
    for p in seed_paths:
        f = tmp_path / f"{p.stem}.{fmt}"
        f.write_bytes(render(p.read_text(encoding="utf-8")))
        doc = extract(f)
        assert doc.status == "ok", doc.errors
        assert not doc.source.ocr
        docs[p.stem] = doc.model_dump(mode="json")
    got = _scores(docs)
    worse = {k: (plain[k], got.get(k)) for k in plain if plain[k] is not None and (got.get(k) or 0) < plain[k] - 0.02}
    assert not worse, worse


def test_pdf_header_side_by_side_and_table_rows(seed_paths):
    text = next(p for p in seed_paths if p.stem.startswith("003")).read_text(encoding="utf-8")
    ing = ingest(to_pdf(text), "pdf", S)
    assert ing.paged and len(ing.pages) > 1 and all(i["method"] == "text" for i in ing.page_info)
    first = ing.pages[0].split("\n")
    assert first[0] == "TỈNH ỦY ĐỒNG NAI\tĐẢNG CỘNG SẢN VIỆT NAM"
    want = [ln.replace("**", "").split("\t") for ln in text.split("\n") if "\t" in ln]
    got = [ln.split("\t") for pg in ing.pages for ln in pg.split("\n") if "\t" in ln and ln.split("\t")[0] != "TỈNH ỦY ĐỒNG NAI"]
    got = [r for r in got if len(r) == len(want[0])]
    assert got[0] == [c.strip() for c in want[0]]                 # header row
    numbered = [r[0] for r in got if r[0].isdigit()]
    assert numbered == [r[0] for r in want if r[0].isdigit()]     # every numbered row, once, in order


def _pdf_with_text(lines, font="DejaVuSans"):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont(font, f"/usr/share/fonts/truetype/dejavu/{font}.ttf"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont(font, 12)
    for k, ln in enumerate(lines):
        c.drawString(72, 760 - 16 * k, ln)
    c.save()
    return buf.getvalue()


def test_wrongly_mapped_text_layer_is_detected():
    import pdfplumber

    from extractor.ingest.pdf import assess_page

    bad = _pdf_with_text([".ӂ +2Ҥ&+ ÿӏa bàn tӍnh Lào Cai ÿѭӧc"] * 20)
    good = _pdf_with_text(["KẾ HOẠCH kiểm tra trên địa bàn tỉnh Lào Cai được"] * 20)
    with pdfplumber.open(io.BytesIO(bad)) as pdf:
        d = assess_page(pdf.pages[0])
        assert d.method == "ocr" and "wrong characters" in d.reason
    with pdfplumber.open(io.BytesIO(good)) as pdf:
        assert assess_page(pdf.pages[0]).method == "text"


def test_encrypted_pdf_needs_password():
    data = to_pdf("KẾ HOẠCH\nCông tác năm 2024\n\nNội dung.", password="s3cret")
    with pytest.raises(InputError, match=r"encrypted; set EXTRACTOR_PDF_PASSWORD \(or pass --password"):
        ingest(data, "pdf", S)
    ing = ingest(data, "pdf", Settings(password="s3cret"))
    assert "Công tác năm 2024" in ing.pages[0]


def test_truncated_pdf_is_a_clear_error(tmp_path):
    data = to_pdf("KẾ HOẠCH\nCông tác năm 2024")
    f = tmp_path / "cut.pdf"
    f.write_bytes(data[: len(data) // 3])
    doc = extract(f)
    assert doc.status == "error" and "damaged or truncated" in doc.errors[0].message


def test_docx_merged_cells_text_box_and_layout_table():
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    head = d.add_table(rows=1, cols=2)
    head.cell(0, 0).text = "TỈNH ỦY ĐỒNG NAI\nBAN TUYÊN GIÁO"
    head.cell(0, 1).text = "ĐẢNG CỘNG SẢN VIỆT NAM\nĐồng Nai, ngày 10 tháng 11 năm 2023"
    d.add_paragraph("KẾ HOẠCH")
    t = d.add_table(rows=3, cols=3)
    for i, row in enumerate([["Stt", "Nội dung", "Chủ trì"], ["1", "Việc một", "Phòng A"], ["2", "Việc hai", ""]]):
        for j, v in enumerate(row):
            t.cell(i, j).text = v
    t.cell(1, 2).merge(t.cell(2, 2))                  # vMerge: "Phòng A" spans rows 1–2
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    p = d.add_paragraph("Neo")
    p._p.append(parse_xml(f'<w:r {ns}><w:pict><w:txbxContent><w:p><w:r><w:t>Trong hộp chữ</w:t></w:r></w:p>'
                          '</w:txbxContent></w:pict></w:r>'))
    buf = io.BytesIO()
    d.save(buf)
    text = ingest(buf.getvalue(), "docx", S).pages[0]
    lines = text.split("\n")
    assert "TỈNH ỦY ĐỒNG NAI\tĐẢNG CỘNG SẢN VIỆT NAM" in lines
    assert "1\tViệc một\tPhòng A" in lines and "2\tViệc hai\t" in lines   # continued vMerge cell is empty
    assert "Trong hộp chữ" in lines


def _zip(parts: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_docx_with_entities_is_refused():
    evil = ('<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            '<w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>')
    with pytest.raises(InputError, match="DOCTYPE"):
        ingest(_zip({"[Content_Types].xml": "<Types/>", "word/document.xml": evil}), "docx", S)


def test_docx_zip_bomb_is_refused_before_decompressing():
    bomb = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>", "word/media/x.bin": b"\0" * 210_000_000})
    with pytest.raises(InputError, match="zip bomb"):
        ingest(bomb, "docx", S)


def test_image_pixel_bomb_is_refused():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("1", (12000, 12000)).save(buf, format="PNG")
    with pytest.raises(InputError, match="decompression bomb"):
        ingest(buf.getvalue(), "image", Settings(max_image_pixels=100_000_000))


@pytest.mark.slow
def test_image_ocr_reads_a_rendered_page():
    from tests.fixtures.render import rasterize

    pdf = to_pdf("TỈNH ỦY ĐỒNG NAI\nBAN TUYÊN GIÁO\n\nKẾ HOẠCH\nCông tác Tuyên giáo năm 2024\n\n"
                 "Thực hiện Kế hoạch số 143-KH/BTGTU ngày 11/01/2024 của Ban Tuyên giáo Tỉnh ủy.")
    img = rasterize(pdf, dpi=300, pages=[0], rotate=0.5, noise=0.001)[0]
    buf = io.BytesIO()
    img.save(buf, format="PNG", dpi=(300, 300))
    ing = ingest(buf.getvalue(), "image", S)
    assert ing.ocr and ing.page_info[0]["ocr_confidence"] > 0.8
    assert "143-KH/BTGTU" in ing.pages[0].replace(" ", "") and "Tuyên giáo" in ing.pages[0]


# ---- scanned tables: grid detection, rebuilt rows ---------------------------------------------
def _grid_image(angle: float = 0.0, merge_last_row: bool = False):
    """A 3-column, 3-row ruled grid on a white A4 page at 150 dpi, optionally rotated."""
    from PIL import Image, ImageDraw

    img = Image.new("L", (1240, 1754), 255)
    d = ImageDraw.Draw(img)
    xs, ys = [150, 300, 800, 1100], [400, 520, 700, 880]
    for y in ys:
        d.line([(xs[0], y), (xs[-1], y)], fill=0, width=2)
    for k, x in enumerate(xs):
        d.line([(x, ys[0]), (x, ys[-2] if merge_last_row and k in (1, 2) else ys[-1])], fill=0, width=2)
    for y in (150, 180, 210):                         # prose lines above the table
        d.rectangle([150, y, 1000, y + 12], fill=0)
    return img.rotate(angle, fillcolor=255) if angle else img


@pytest.mark.parametrize("angle", [0.0, 0.7, -1.5])
def test_grid_found_on_a_skewed_page(angle):
    from extractor.ingest.ocr import analyse

    geo = analyse(_grid_image(angle))
    assert abs(geo.angle - angle) <= 0.1
    assert len(geo.tables) == 1
    g = geo.tables[0]
    assert (len(g.xs), len(g.ys)) == (4, 4)
    assert all(abs(a - b) <= 6 for a, b in zip(g.xs, [150, 300, 800, 1100]))


def test_grid_merged_cells():
    from extractor.ingest.ocr import analyse

    g = analyse(_grid_image(merge_last_row=True)).tables[0]
    assert g.anchor[2] == [(2, 0), (2, 0), (2, 0)]        # no inner rules in the last row: one cell
    assert g.anchor[1] == [(1, 0), (1, 1), (1, 2)]


def test_ocr_words_cells_and_numerals():
    from extractor.ingest.ocr_words import _number_column, _numeral
    from extractor.ingest.ocr import Grid, Word, _clean_word, assign, compose

    assert _clean_word("1105⁄KH-ĐKT") == "1105/KH-ĐKT" and _clean_word("238-QĐÐ/TW") == "238-QĐĐ/TW"
    assert [_numeral(t) for t in ["l", "|", "]", "I1", "H", "HH", "II", "I", "Ị", "12", "Nội", "§", "§."]] == \
        ["1", "1", "1", "11", "II", "III", "II", "I", "I", "12", "Nội", "8", "8."]
    assert _number_column(["Stt", "I", "2", "3", "t", "5", "II", "I", "Nội", "§", "x"]) == \
        ["Stt", "1", "2", "3", "4", "5", "II", "I", "Nội", "§", "x"]
    g = Grid([0, 100, 500], [0, 100, 300], [[(0, 0), (0, 1)], [(1, 0), (1, 1)]])
    w = lambda t, x, y: Word(t, x, y, 10 * len(t), 20, 90.0, 1, 1, 1)  # noqa: E731
    words = [w("Stt", 10, 10), w("Nội", 110, 10), w("dung", 160, 10), w("1", 10, 110),
             w("Việc", 110, 110), w("dài", 170, 110), w("tiếp", 110, 150), w("theo", 170, 150), w("Sau", 10, 320)]
    cells, free = assign(words, [g])
    assert compose(cells, free, [g], 1000) == ["Stt\tNội dung", "1\tViệc dài tiếp theo", "", "Sau"]


@pytest.mark.parametrize("line, expected", [
    ("TT. 5 Thích ứng với biến đổi khí hậu", "II.5  Thích ứng với biến đổi khí hậu"),
    (" T1. 6 Chuyển đổi xanh, phát triển", " II.6  Chuyển đổi xanh, phát triển"),
    ("LL.2 Huy động, phân bổ", "II.2 Huy động, phân bổ"),
    # left alone: Arabic numbers, a label read right, no title after it, no "T"/"L" in it, the header "TT"
    ("11.2 Huy động, phân bổ", "11.2 Huy động, phân bổ"), ("II.3 Giải quyết", "II.3 Giải quyết"),
    ("TT. 5 và các đơn vị", "TT. 5 và các đơn vị"), ("TT                     Nhiệm vụ cụ thể", "TT                     Nhiệm vụ cụ thể"),
    ("T. 5 Nguyễn Văn A", "T. 5 Nguyễn Văn A"),
])
def test_ocr_typed_group_label_read_with_look_alikes(line, expected):
    """A group label "II.5" of a typewriter face whose bars Tesseract read as "T", "1" or "L" (the row
    read as no group and its title glued to the next task), rewritten at the same length."""
    from extractor.ingest.ocr_words import _roman_label

    assert _roman_label(line) == expected


@pytest.mark.parametrize("ocr, expected", [
    ("VH", "VII"), ("VIH", "VIII"), ("XH", "XII"), ("Vl", "VI"), ("VỊ", "VI"),   # serif "II" read "H"; a speck on the bar
    ("H.", "II."), ("HI.", "III."), ("I. -", "I."), ("H._", "II."),             # a mark after the dot
    # left alone: Arabic numbers, a lone "l." (a "1." or an "I."?), words, what is no numeral
    ("1.", "1."), ("l.", "l."), ("26. -_", "26. -_"), ("TT", "TT"), ("HĐ", "HĐ"), ("VIIII", "VIIII"), ("-_", "-_"),
])
def test_ocr_stt_cell_roman_numeral_read_with_look_alikes(ocr, expected):
    """A ruled table's Stt cell: a group's Roman numeral Tesseract read with look-alike letters or
    a speck after its dot is that numeral (read as a number, "VH" made the group row a task)."""
    from extractor.ingest.ocr_words import _numeral

    assert _numeral(ocr) == expected


@pytest.mark.parametrize("column, expected", [
    (["Stt", "1", "1", "2", "VII", "1"], ["Stt", "I", "1", "2", "VII", "1"]),     # the group "I" read "1"
    (["Stt", "1.", "1.", "2."], ["Stt", "I.", "1.", "2."]),
    (["Stt", "", "1", "1", "2"], ["Stt", "", "I", "1", "2"]),                 # below a row without a numeral
    (["Stt", "1", "", "1", "2"], ["Stt", "1", "", "1", "2"]),                 # a "1" and a "1" under another group
    (["Stt", "9", "10", "II", "12"], ["Stt", "9", "10", "11", "12"]),         # an "11" read "II" in the sequence
    (["Stt", "9", "10", "II"], ["Stt", "9", "10", "II"]),                     # the last row: a group "II" (title only) ...
    (["Stt", "14", "IR)", "lồ", "17"], ["Stt", "14", "15", "16", "17"]),      # two misread in a row
    (["Stt", "8", "LÔ", "t", "Ì", "12"], ["Stt", "8", "9", "10", "11", "12"]),
    (["Stt", "8", "LÔ", "II", "11"], ["Stt", "8", "LÔ", "II", "11"]),        # a group numeral among them: as read
    (["Stt", "8", "LÔ", "t", "12"], ["Stt", "8", "LÔ", "t", "12"]),          # a gap the run does not fill
])
def test_ocr_stt_column_group_one_before_its_numbering(column, expected):
    from extractor.ingest.ocr_words import _number_column

    assert _number_column(column) == expected


@pytest.mark.parametrize("pages, expected", [
    # a "5" read as "3" three rows running, between 51 and 55 (the run spans a page break)
    (["50.\ta\n51.\tb", "32.\tc\n33.\td\n34.\te\n55.\tf"], ["50.\ta\n51.\tb", "52.\tc\n53.\td\n54.\te\n55.\tf"]),
    # misreadings that are no number, the first row of a page under its repeated header
    (["20.\ta", "TT\tNội dung\n2T.\tb\n22.\tc", "TT\tNội dung\nlão:\td\n24.\te\nX JÄ\tf\n26.\tg"],
     ["20.\ta", "TT\tNội dung\n21.\tb\n22.\tc", "TT\tNội dung\n23.\td\n24.\te\n25.\tf\n26.\tg"]),
    # left alone: a numbering that starts again under a group row or a header, the document's own
    # gap, a list of letters, lines without tabs
    (["1\ta\n2\tb\nII\tg\n1\tc\n2\td"], ["1\ta\n2\tb\nII\tg\n1\tc\n2\td"]),
    (["1\ta\n2\tb", "TT\tNội dung\n1\tc\n2\td"], ["1\ta\n2\tb", "TT\tNội dung\n1\tc\n2\td"]),
    (["1\ta\n2\tb\n3\tc", "TT\tNội dung\n1\td\n2\te\n3\tf\n4\tg\n5\th"],
     ["1\ta\n2\tb\n3\tc", "TT\tNội dung\n1\td\n2\te\n3\tf\n4\tg\n5\th"]),
    (["9\ta\n9.1\tb\n11\tc"], ["9\ta\n9.1\tb\n11\tc"]),                  # a sub-item is no misreading
    (["3.\ta\n5.\tb\n6.\tc"], ["3.\ta\n5.\tb\n6.\tc"]),
    (["a)\tx\nb)\ty\ne)\tz"], ["a)\tx\nb)\ty\ne)\tz"]),
    (["4. Việc một\n3. Việc hai\n6. Việc ba"], ["4. Việc một\n3. Việc hai\n6. Việc ba"]),
])
def test_ocr_table_numbers_in_sequence_across_pages(pages, expected):
    """A scanned document's Stt cells read in their sequence over the whole document: the cells
    between two numbers as many rows apart as they differ are the numbers between."""
    from extractor.ingest.ocr_words import number_sequence

    assert number_sequence(pages) == expected


def test_ocr_stt_column_eleven_read_as_roman_two_in_a_full_row():
    from extractor.ingest.ocr_words import _number_column

    # ... or the 11, when its row has a lead and a deadline as the rows above it
    assert _number_column(["Stt", "9", "10", "II"], [False, True, True, True]) == ["Stt", "9", "10", "11"]
    assert _number_column(["Stt", "9", "10", "II", "1"], [False, True, True, False, True]) == ["Stt", "9", "10", "II", "1"]


@pytest.mark.parametrize("ocr, expected", [
    ("Tháng 0I", "Tháng 01"), ("Tháng OI", "Tháng 01"), ("Tháng Ø1", "Tháng 01"),
    ("Tháng II", "Tháng 11"),                        # months are Arabic: "II" is a misread "11"
    ("Tháng 5, II", "Tháng 5, 11"), ("Tháng 2, Š", "Tháng 2, 5"),
    ("Trong tháng l 1/2023", "Trong tháng 11/2023"), ("Đầu tháng I 1/2023", "Đầu tháng 11/2023"),
    ("tháng 1 1/2023", "tháng 11/2023"), ("Ngày I 5/11/2023", "Ngày 15/11/2023"),
    ("năm (trước 30/1 1)", "năm (trước 30/11)"), ("Quý I//2022", "Quý II/2022"),
    ("Hàng nắm", "Hàng năm"), ("Từ nắm 2022", "Từ năm 2022"),
    ("Trong thángl 1/2023", "Trong tháng 11/2023"),
    ("Quy chế 23§-QĐ/TW", "Quy chế 238-QĐ/TW"), ("§. Tham mưu", "8. Tham mưu"),   # "8" read "§"
    ("tháng 9 và tháng lÌ hằng năm", "tháng 9 và tháng 11 hằng năm"),   # a speck read as an accent
    ("Quý I1/2026", "Quý II/2026"), ("Quý 1I/2026", "Quý II/2026"), ("Quý 11/2026", "Quý II/2026"),
    ("quý l11/2025", "quý III/2025"), ("2025-20 26", "2025-2026"), ("Giai đoạn 2026 - 20 30", "Giai đoạn 2026 - 2030"),
    ("Lào Cai, ngày Ø7 tháng 9 năm 2026", "Lào Cai, ngày 07 tháng 9 năm 2026"),    # slashed zero
    ("Ban chỉ đạo Ø7", "Ban chỉ đạo 07"), ("năm 202ø", "năm 2020"), ("Ø là", "Ø là"),
    # left alone: real words, Roman quarters, numbers that are no day/month, plain digits
    ("nắm bắt tình hình", "nắm bắt tình hình"), ("Quý II, IV", "Quý II, IV"), ("tháng I", "tháng I"),
    ("tháng Ì", "tháng Ì"),
    ("ngày 3 4/5", "ngày 3 4/5"), ("Tháng 6, tháng 12", "Tháng 6, tháng 12"), ("3 tháng/lần", "3 tháng/lần"),
    ("tháng 10 năm 2024", "tháng 10 năm 2024"), ("Thông tin tháng", "Thông tin tháng"),
    ("Trong tháng 1/2023", "Trong tháng 1/2023"),   # a digit lost outright cannot be told
    ("Quý 1/2026", "Quý 1/2026"), ("Quý I/2026", "Quý I/2026"), ("Quý II, III năm 2026", "Quý II, III năm 2026"),
    ("năm 2025 - 20 đơn vị", "năm 2025 - 20 đơn vị"), ("15/2025-20 26", "15/2025-20 26"),
])
def test_ocr_date_digits_repaired(ocr, expected):
    from extractor.ingest.ocr_words import date_digits

    assert date_digits(ocr) == expected


@pytest.mark.parametrize("ocr, expected", [
    ("phát triển khoa học. công nghệ", "phát triển khoa học, công nghệ"),   # a comma read as a period
    ("các bộ. ngành, địa phương", "các bộ, ngành, địa phương"),
    # left alone: a sentence end, an abbreviation, an ellipsis, a period after a number or bracket
    ("năm 2024. Các cấp ủy", "năm 2024. Các cấp ủy"), ("Công nghệ. Bộ Thông tin", "Công nghệ. Bộ Thông tin"),
    ("v.v. các nội dung", "v.v. các nội dung"), ("hình ảnh... thu hút", "hình ảnh... thu hút"),
    ("thuế.. để", "thuế.. để"), ("(tháng 01/2026). trong đó", "(tháng 01/2026). trong đó"),
    ("TP. hà nội", "TP. hà nội"), ("khoa học.", "khoa học."),
    ("¡) Tổ đảng ở Thường trực", "i) Tổ đảng ở Thường trực"),             # an item letter upside down
])
def test_ocr_misread_punctuation_repaired(ocr, expected):
    from extractor.ingest.ocr_words import repair

    assert repair(ocr) == expected


@pytest.mark.parametrize("words, expected", [
    (["L", "Bối", "cảnh"], "I. Bối cảnh"),           # "I." with its dot lost
    (["L", "ấy", "tin"], "L ấy tin"), (["Lê", "Văn", "A"], "Lê Văn A"), (["L.", "Bối"], "L. Bối"),
])
def test_ocr_line_lone_l_heading(words, expected):
    from extractor.ingest.ocr_words import Word, compose

    ws = [Word(t, 10 + 60 * i, 10, 10 * len(t), 20, 90.0, 1, 1, 1) for i, t in enumerate(words)]
    assert compose([], ws, [], 1000) == [expected]


@pytest.mark.parametrize("word, expected", [
    ("_IV.", "IV."), ("~Các", "Các"),                  # a speck or a rule glued before the word
    ("I8", "18"), ("2l,", "21,"), ("l0", "10"),         # a number read with "I"/"l" for a "1"
    ("côngtácbảovệ", "công tác bảo vệ"),                # spaces the scan lost (textrepair rule 3)
    # left alone: Roman numerals, an item number the section sequence decides, codes, one glyph
    ("II", "II"), ("I1.", "I1."), ("QHI5", "QHI5"), ("l", "l"), ("___", ""), ("1105⁄KH-ĐKT", "1105/KH-ĐKT"),
])
def test_ocr_word_cleaned(word, expected):
    from extractor.ingest.ocr import _clean_word

    assert _clean_word(word) == expected


def _prose_page(lines, lead=14, para_after=()):
    """Words of a page of wrapped prose: (text, left, right) per line, 20 px letters, `lead` px
    between lines, 23 px after the lines in `para_after` (a blank line by the page's own spacing)."""
    from extractor.ingest.ocr_words import Word

    words, top = [], 100
    for n, (text, left, right) in enumerate(lines):
        toks = text.split()
        step = (right - left) / len(toks)
        words += [Word(t, int(left + k * step), top, int(step) - 8, 20, 90.0, 1, n + 1, 1) for k, t in enumerate(toks)]
        top += 20 + (23 if n in para_after else lead)
    return words


def test_ocr_wrapped_lines_joined_but_not_across_a_paragraph_gap():
    from extractor.ingest.ocr_words import compose

    lines = [("Đoạn văn thứ nhất dài đến tận lề phải của trang giấy này", 100, 1500),
             ("tiếp tục đoạn văn thứ nhất cho đến cuối dòng bên phải nữa", 100, 1500),
             ("1. Tăng cường sự lãnh đạo của Đảng đối với phát triển khoa học", 100, 1480),
             ("Tăng cường sự lãnh đạo của Đảng, tạo chuyển biến mạnh mẽ ở", 110, 1500),
             ("trong tư duy, hành động, nâng cao nhận thức của các cấp", 100, 900),
             ("§. Các sở, ban, ngành", 100, 500)]
    got = compose([], _prose_page(lines, para_after=(2,)), [], 2000, 1600)
    # (the page's own spacing also calls that gap a blank line: _blank_above)
    assert [g for g in got if g] == [lines[0][0] + " " + lines[1][0], lines[2][0], lines[3][0] + " " + lines[4][0],
                                     "8. Các sở, ban, ngành"]
    # the same lines evenly spaced: the item's line wraps on
    got = compose([], _prose_page(lines), [], 2000, 1600)
    assert got[1] == " ".join(t for t, _, _ in lines[2:5])


@pytest.mark.parametrize("cell, expected", [
    ("Bộ Khoa học và Công nghệ. Bộ Thông tin và Truyền thông", "Bộ Khoa học và Công nghệ, Bộ Thông tin và Truyền thông"),
    ("Sở Nội vụ. Sở Tài chính, các cơ quan liên quan", "Sở Nội vụ, Sở Tài chính, các cơ quan liên quan"),
    ("Bộ Thông tin và Truyền thông, Bộ Quốc phòng. Bộ Công an", "Bộ Thông tin và Truyền thông, Bộ Quốc phòng, Bộ Công an"),
    ("Bộ Tài chính, Bộ Khoa học và Công nghệ. Bộ", "Bộ Tài chính, Bộ Khoa học và Công nghệ, Bộ"),   # wrapped on
    # left alone: a sentence longer than a unit's name, a next item of another kind, a clean list
    ("Xây dựng bộ tiêu chí đánh giá hiệu quả đầu tư cho chuyển đổi số quốc gia. Xây dựng công cụ",
     "Xây dựng bộ tiêu chí đánh giá hiệu quả đầu tư cho chuyển đổi số quốc gia. Xây dựng công cụ"),
    ("Bộ Công an. Các địa phương", "Bộ Công an. Các địa phương"), ("Bộ Công an, Bộ Quốc phòng", "Bộ Công an, Bộ Quốc phòng"),
    ("", ""),
])
def test_ocr_table_cell_list_period_is_a_comma(cell, expected):
    from extractor.ingest.ocr_words import _comma_between_items

    assert _comma_between_items(cell) == expected


@pytest.mark.parametrize("cell, expected", [
    ("Sở Khoa học và Công nghệ: các sở, ban, ngành; UBND xã, phường", "Sở Khoa học và Công nghệ; các sở, ban, ngành; UBND xã, phường"),
    ("Doanh nghiệp viễn thông; UBND xã, phường: các cơ sở liên quan", "Doanh nghiệp viễn thông; UBND xã, phường; các cơ sở liên quan"),
    # left alone: no ";" in the cell, a colon before a capitalised name, after a long phrase
    ("Các ban đảng: các đảng ủy trực thuộc", "Các ban đảng: các đảng ủy trực thuộc"),
    ("Các cơ quan; các sở gồm: Sở Nội vụ, Sở Tài chính", "Các cơ quan; các sở gồm: Sở Nội vụ, Sở Tài chính"),
    ("Sở Tài chính; phối hợp với các cơ quan đơn vị liên quan trong tỉnh để: xây dựng kế hoạch",
     "Sở Tài chính; phối hợp với các cơ quan đơn vị liên quan trong tỉnh để: xây dựng kế hoạch"),
])
def test_ocr_table_cell_list_colon_is_a_semicolon(cell, expected):
    from extractor.ingest.ocr_words import _comma_between_items

    assert _comma_between_items(cell) == expected


def _phrase(*specs):
    """Words from (text, confidence, width) triples, in Tesseract's order."""
    from extractor.ingest.ocr_words import Word

    return [Word(t, 10 * i, 10, w, 40, c, 1, 1, 1) for i, (t, c, w) in enumerate(specs)]


_SURE_QUARTER = [("quý", 95, 71), ("III,", 86, 57), ("năm", 96, 81)]


@pytest.mark.parametrize("unsure, expected", [
    ([("quý", 96, 71), ("II,", 12, 57), ("năm", 94, 81)], "III,"),              # a stroke lost, same width
    ([("khoa", 96, 90), ("jông", 0, 93), ("nghệ", 96, 90)], "jông"),            # no sure reading to go by
    # left alone: a sure reading, another width, other neighbours, a digit or a punctuation apart
    ([("quý", 96, 71), ("II,", 90, 57), ("năm", 94, 81)], "II,"),
    ([("quý", 96, 71), ("II,", 12, 40), ("năm", 94, 81)], "II,"),
    ([("quý", 96, 71), ("II,", 12, 57), ("2025", 94, 81)], "II,"),
])
def test_ocr_unsure_word_read_as_the_page_reads_it_elsewhere(unsure, expected):
    from extractor.ingest.ocr_words import confirm_unsure

    words = _phrase(*_SURE_QUARTER, *unsure)
    assert confirm_unsure(words)[4].text == expected
    assert [w.text for w in confirm_unsure(words)[:3]] == ["quý", "III,", "năm"]


@pytest.mark.parametrize("a, b, expected", [
    ("II,", "III,", True), ("jông", "công", True), ("sỏ", "sở", True),
    ("33", "32", False), ("nghị.", "nghị,", False), ("(báo", "(*báo", False), ("abc", "abc", False), ("ab", "abcd", False),
])
def test_ocr_one_letter_apart(a, b, expected):
    from extractor.ingest.ocr_words import _one_apart

    assert _one_apart(a, b) == expected == _one_apart(b, a)


def _page(spec: str, pitch: float = 65, h: float = 40, lift: float = 8):
    """Rows of a page from a spec, one letter a row: "." a line, "b" a line after a blank line
    (half an em more, an em ~1.2 row heights), "C" a capitals line (accents lift its top by
    `lift`), "B" both."""
    tops, bottoms, y = [], [], 0.0
    for ch in spec:
        y += pitch + (0.6 * h if ch in "bB" else 0)
        tops.append(y - (lift if ch in "CB" else 0))
        bottoms.append(y + h)
    return tops, bottoms, [ch in "bB" for ch in spec]


@pytest.mark.parametrize("spec, pitch", [
    (".........b.....", 65),           # single-spaced text, one blank line (gap 49 px where 25 is usual)
    ("....B.........b...", 65),        # a capitals heading after a blank: its accents shrink the gap to 41 px
    ("....C.........b...", 65),        # a capitals line without a blank before or after it
    ("..........b.......", 98),        # 1.5-spaced text: its usual gap (58 px) is no blank line
    (".b.", 65),                       # too few lines to tell the page's spacing: single spacing assumed
])
def test_ocr_blank_line_judged_against_the_page_line_spacing(spec, pitch):
    from extractor.ingest.ocr_words import _blank_above

    tops, bottoms, expected = _page(spec, pitch)
    assert _blank_above(tops, bottoms, 40) == expected


@pytest.mark.slow
def test_scanned_table_page_rows_match_the_born_digital_rows(seed_paths):
    """Seed 003's second page, printed, scanned (200 dpi, rotated 0.7°, speckled) and OCR'd: every
    table row comes back as one TSV line with the same cells as the born-digital page."""
    from extractor.evaluate import similar
    from tests.fixtures.render import images_to_pdf, rasterize

    pdf = to_pdf(next(p for p in seed_paths if p.stem.startswith("003")).read_text(encoding="utf-8"))
    want = [ln.split("\t") for ln in ingest(pdf, "pdf", S).pages[1].split("\n") if "\t" in ln]
    scan = images_to_pdf(rasterize(pdf, dpi=200, pages=[1], rotate=0.7, noise=0.002), dpi=200)
    ing = ingest(scan, "pdf", S)
    assert ing.ocr and ing.page_info[0]["method"] == "ocr"
    got = [ln.split("\t") for ln in ing.pages[0].split("\n") if "\t" in ln]
    assert len(got) == len(want) >= 8
    for g, w in zip(got, want):
        assert len(g) == len(w)
        assert g[0] == w[0]                                  # Stt: "6" … "9", "II", "1" …
        assert similar(" ".join(g[1:]), " ".join(w[1:])) >= 0.9, (g, w)


# ---- born-digital PDF: the fast reader (pypdfium2) against the pdfplumber reader -----------------
def _plumber_only(monkeypatch):
    import extractor.ingest.pdf as P

    class PlumberOnly:
        def __init__(self, *a):
            raise P._NotPlain()
    monkeypatch.setattr(P, "PdfiumPage", PlumberOnly)


def test_fast_reader_matches_the_pdfplumber_reader(seed_paths, monkeypatch):
    from difflib import SequenceMatcher

    pdf = to_pdf(next(p for p in seed_paths if p.stem.startswith("003")).read_text(encoding="utf-8"))
    fast = ingest(pdf, "pdf", S)
    _plumber_only(monkeypatch)
    slow = ingest(pdf, "pdf", S)
    assert [i["method"] for i in fast.page_info] == [i["method"] for i in slow.page_info]
    a, b = "\n".join(fast.pages).split("\n"), "\n".join(slow.pages).split("\n")
    assert SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.98
    assert sum("\t" in ln for ln in a) == sum("\t" in ln for ln in b)       # the same table rows
    assert any(ln.split("\t")[2:3] == ["LLCT-LSĐ"] for ln in a)             # hyphen at a cell's line end kept


def _pdf_drawn(draw) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVuSans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("DejaVuSans", 11)
    draw(c)
    c.save()
    return buf.getvalue()


def test_table_with_borders_drawn_as_thin_filled_rectangles():
    """Word exports cell borders as thin filled rectangles, not stroked lines."""
    xs, ys = [72, 120, 360, 520], [700, 680, 640, 600]

    def draw(c):
        for y in ys:
            c.rect(xs[0], y - 0.25, xs[-1] - xs[0], 0.5, stroke=0, fill=1)
        for x in xs:
            c.rect(x - 0.25, ys[-1], 0.5, ys[0] - ys[-1], stroke=0, fill=1)
        cells = [["Stt", "Nội dung", "Chủ trì"], ["1", "Việc một, dòng đầu", "Phòng A"], ["2", "Việc hai", "Phòng B"]]
        for r, row in enumerate(cells):
            for k, t in enumerate(row):
                c.drawString(xs[k] + 4, ys[r] - 14, t)
        c.drawString(xs[1] + 4, ys[1] - 28, "và dòng sau")            # a cell's second line
        c.drawString(72, 560, "Đoạn văn sau bảng.")
    text = ingest(_pdf_drawn(draw), "pdf", S).pages[0].split("\n")
    assert text[:3] == ["Stt\tNội dung\tChủ trì", "1\tViệc một, dòng đầu và dòng sau\tPhòng A", "2\tViệc hai\tPhòng B"]
    assert text[-1] == "Đoạn văn sau bảng."


@pytest.mark.parametrize("rotation", [90, 270])
def test_rotated_page_reads_as_displayed(rotation):
    """A landscape table page stored portrait with /Rotate: the text runs up (or down) the stored
    page and left to right on screen; it is read as displayed."""
    import pypdfium2 as pdfium

    def draw(c):
        c.translate(300, 400)
        c.rotate(rotation)
        for k in range(5):
            c.drawString(-200, 100 - 16 * k, f"Dòng thứ {k} của trang xoay")
        c.drawString(100, 100, "bên phải")
    doc = pdfium.PdfDocument(_pdf_drawn(draw))
    doc[0].set_rotation(rotation)
    buf = io.BytesIO()
    doc.save(buf)
    lines = [ln for ln in ingest(buf.getvalue(), "pdf", S).pages[0].split("\n") if ln]
    assert lines[0] == "Dòng thứ 0 của trang xoay\tbên phải"
    assert lines[1:] == [f"Dòng thứ {k} của trang xoay" for k in range(1, 5)]


def test_legacy_font_pdf_is_converted_by_both_readers(monkeypatch):
    """A TCVN3 (.VnTime-style) font: the font name says the encoding; the text is converted."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from tests.fixtures.legacy import encode

    pdfmetrics.registerFont(TTFont("Legacy", "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("Legacy", 12)
    line = encode("Kế hoạch công tác tuyên giáo năm 2024", "tcvn3").decode("latin-1")
    for k in range(12):
        c.drawString(72, 700 - 24 * k, line)
    c.save()
    data = buf.getvalue().replace(b"DejaVuSerif", b"VnTimeSerif")      # the font's name, as old documents have it
    for reader in ("pdfium", "pdfplumber"):
        if reader == "pdfplumber":
            _plumber_only(monkeypatch)
        ing = ingest(data, "pdf", S)
        assert "tcvn3" in ing.page_info[0]["reason"], reader
        assert ing.pages[0].count("Kế hoạch công tác tuyên giáo năm 2024") == 12, reader


@pytest.mark.parametrize("wrapped", [False, True])
def test_scanned_page_is_sent_to_ocr_by_the_fast_reader(wrapped):
    """A page-size image, drawn directly or wrapped in a form XObject as scanners do: no text layer."""
    import pypdfium2 as pdfium
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from extractor.ingest.pdf import PdfiumPage

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    img = ImageReader(Image.new("L", (200, 280), 200))
    if wrapped:
        c.beginForm("scan")
        c.drawImage(img, 0, 0, 595, 842)
        c.endForm()
        c.doForm("scan")
    else:
        c.drawImage(img, 0, 0, 595, 842)
    c.drawString(400, 60, "Ký bởi: Văn phòng")                   # a stamp's text layer
    c.showPage()
    c.save()
    d = PdfiumPage(pdfium.PdfDocument(buf.getvalue())[0]).assess()
    assert d.method == "ocr" and "over an image" in d.reason


@pytest.mark.parametrize("paragraphs,expected", [
    (["Đỗ Mạnh Cường", "Vũ Việt Linh", "Nguyễn Thị Loan"], "Đỗ Mạnh Cường, Vũ Việt Linh, Nguyễn Thị Loan"),
    (["Sở Công Thương", "Sở Tài chính"], "Sở Công Thương, Sở Tài chính"),
    (["Tổ chức hội nghị quán triệt", "nghị quyết chuyên đề"], "Tổ chức hội nghị quán triệt nghị quyết chuyên đề"),
    (["- Rà soát văn bản;", "- Báo cáo kết quả."], "- Rà soát văn bản; - Báo cáo kết quả."),
    (["Phòng Kinh tế,", "Phòng Nội vụ"], "Phòng Kinh tế, Phòng Nội vụ"),
])
def test_docx_cell_paragraphs(paragraphs, expected):
    import docx

    d = docx.Document()
    t = d.add_table(rows=2, cols=3)
    for j, v in enumerate(["Stt", "Nội dung", "Chủ trì"]):
        t.cell(0, j).text = v
    t.cell(1, 0).text = "1"
    t.cell(1, 1).text = "Việc một"
    cell = t.cell(1, 2)
    cell.text = paragraphs[0]
    for p in paragraphs[1:]:
        cell.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    lines = ingest(buf.getvalue(), "docx", S).pages[0].split("\n")
    assert f"1\tViệc một\t{expected}" in lines


def test_docx_stt_cells_numbered_by_word():
    # the Stt cells hold no text: Word draws "1.", "2." from numbering.xml
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    root = d.part.numbering_part.element
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    root.insert(0, parse_xml(f'<w:abstractNum {ns} w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
                             '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'))
    root.append(parse_xml(f'<w:num {ns} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    t = d.add_table(rows=3, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "TT", "Nội dung"
    for i, v in ((1, "Việc một"), (2, "Việc hai")):
        p = t.cell(i, 0).paragraphs[0]
        p._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {ns}><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>'))
        t.cell(i, 1).text = v
    buf = io.BytesIO()
    d.save(buf)
    lines = ingest(buf.getvalue(), "docx", S).pages[0].split("\n")
    assert "1.\tViệc một" in lines and "2.\tViệc hai" in lines


def _typed_page(lines, pitch=25.0, jitter=(0, 2, -1, 1, -2), widths=None):
    """Words of a page typed in a monospaced face: (text as typed, spaces kept) per line, one
    Tesseract block per line; a word's ink box starts 2 px into its first cell and spans its
    letters less the side bearings, give or take a pixel or two (`jitter`); `widths`, a letter →
    width table, sets the words in a proportional face instead."""
    from extractor.ingest.ocr_words import Word

    words, k = [], 0
    for n, line in enumerate(lines):
        for m in __import__("re").finditer(r"\S+", line):
            t = m.group()
            if widths:
                x = 300 + sum(widths.get(c, 24) for c in line[:m.start()])
                w = sum(widths.get(c, 24) for c in t) - 4
            else:
                x = 300 + m.start() * pitch + 2
                w = (len(t) - 0.2) * pitch + jitter[k % len(jitter)]
            k += 1
            words.append(Word(t, round(x), 200 + 52 * n, round(w), 30, 90.0, n + 1, 1, 1))
    return words


_TYPED_TABLE = [
    "TT       Nội dung                 Đơn vị chủ trì     Thời gian",
    " 1  Xây dựng kế hoạch triển khai    Ban Tuyên giáo     Quý I/2026",
    "    thực hiện chương trình hành",
    "    động của Tỉnh ủy",
    " 2  Kiểm tra, giám sát việc thực    Ủy ban Kiểm tra    Hằng năm",
    "    hiện nghị quyết",
]
_TYPED_SIGNATURE = [
    "Nơi nhận:                                       T/M TỈNH ỦY",
    "- Ban Bí thư Trung ương Đảng (để b/c);",
    "- Văn phòng Trung ương Đảng;              PHÓ BÍ THƯ THƯỜNG TRỰC",
    "- Lưu Văn phòng Tỉnh ủy.",
    "                                                Hoàng Giang",
]


@pytest.mark.parametrize("lines", [_TYPED_TABLE, _TYPED_SIGNATURE, _TYPED_TABLE + [""] * 1 + _TYPED_SIGNATURE])
def test_ocr_monospaced_rows_keep_their_columns(lines):
    """A scanned page typed in a monospaced face comes back as typed (indent and gaps in spaces at
    the page's pitch), so the fixed-width table reader and the signature block read it as text;
    a blank line typed between two blocks stays."""
    from extractor.ingest.ocr_words import compose

    assert compose([], _typed_page(lines), [], 3500, 2480) == lines


def test_ocr_speck_rows_inside_a_monospaced_block_dropped():
    """Specks Tesseract read as lone letters or marks on a line of their own between typed rows
    are no line of the table; a lone digit (a numeral) stays."""
    from extractor.ingest.ocr_words import Word, compose

    lines = _TYPED_TABLE[:3]
    words = _typed_page(lines)
    words.append(Word("l", 900, 200 + 52 + 30 + 6, 6, 14, 30.0, 99, 1, 1))     # between rows 2 and 3
    assert compose([], words, [], 3500, 2480) == lines
    words[-1] = Word("7", 310, 200 + 52 + 30 + 6, 14, 14, 90.0, 99, 1, 1)
    assert "7" in [ln.strip() for ln in compose([], words, [], 3500, 2480)]



@pytest.mark.parametrize("speck, kept", [
    (("l", 2, 2), False), (("ta", 35, 8), False),     # a speck read as a letter or two, lower than an x-height
    (("a", 20, 16), True), (("-", 13, 3), True),      # a one-letter word at letter height; a dash is no letter
])
def test_ocr_specks_inside_a_typed_row_dropped(speck, kept):
    from extractor.ingest.ocr_words import Word, compose

    lines = _TYPED_TABLE[:3]
    words = _typed_page(lines)
    text, width, height = speck
    words.append(Word(text, 2100, 200 + 52 + 30 - height, width, height, 30.0, 2, 1, 1))   # in row 2, right of its words
    got = compose([], words, [], 3500, 2480)
    assert got[:1] + got[2:] == lines[:1] + lines[2:]
    assert (got[1].rstrip() != lines[1]) == kept and got[1].startswith(lines[1])


def _spoiled(words, spoil):
    """`words` with some boxes changed as a scan spoils them: {word text: (extra width, new text or None)}
    (a speck glued to a word's ink widens it; a misread glyph changes its text)."""
    from extractor.ingest.ocr_words import Word

    out = []
    for w in words:
        extra, text = spoil.get(w.text, (0, None))
        out.append(Word(text or w.text, w.left, w.top, w.width + extra, w.height, w.conf, w.block, w.par, w.line))
    return out


@pytest.mark.parametrize("lines, spoil, expected", [
    # one row in six spoiled (a speck glued to "hành", 0.6 pitch wider): the page is typed throughout
    (_TYPED_TABLE, {"hành": (15, None)}, _TYPED_TABLE),
    # two: a speck, and "Thời" read with a stray mark; still four of six rows fit
    (_TYPED_TABLE, {"hành": (15, None), "Thời": (12, "'Thời")},
     [_TYPED_TABLE[0].replace("Thời", "'Thời")] + _TYPED_TABLE[1:]),
    # a row of numbers only, "2026" wider by a speck: no word of letters to tell a face, the page's is taken
    (_TYPED_TABLE + [" 3                                          2026 - 2030"], {"2026": (45, None)},
     _TYPED_TABLE + [" 3                                          2026 - 2030"]),
    # three rows of three spoiled: no proof of a typed page, words and tabs as before
    (_TYPED_TABLE[:3], {"hành": (15, None), "Thời": (12, None), "Quý": (15, None)},
     ["TT\tNội dung\tĐơn vị chủ trì\tThời gian", "1 Xây dựng kế hoạch triển khai\tBan Tuyên giáo\tQuý I/2026",
      "", "thực hiện chương trình hành"]),
])
def test_ocr_typed_page_rows_a_speck_spoils_stay_typed(lines, spoil, expected):
    """On a page typed in a monospaced face throughout, a row whose fit a speck or a misread glyph
    spoils is typed like its neighbours (with tabs, the fixed-width reader lost the page's columns)."""
    from extractor.ingest.ocr_words import compose

    assert compose([], _spoiled(_typed_page(lines), spoil), [], 3500, 2480) == expected


# a proportional face: narrow and wide letters (ink widths in px at ~25 px per average letter)
_PROPORTIONAL = dict({c: 24 for c in "abcdeghknopqsuvxyzăâđêôơư"}, **{c: 11 for c in "ijlỉíìịtfr"},
                     **{c: 38 for c in "mwMWĐ"}, **{" ": 12})


@pytest.mark.parametrize("line, expected", [
    ("Tăng cường kiểm tra, giám sát việc thực hiện nghị quyết của Đảng ủy",
     "Tăng cường kiểm tra, giám sát việc thực hiện nghị quyết của Đảng ủy"),
    ("Nơi nhận các cơ quan đơn vị:              T/M BAN THƯỜNG VỤ TỈNH ỦY",
     "Nơi nhận các cơ quan đơn vị:\tT/M BAN THƯỜNG VỤ TỈNH ỦY"),
    ("Ủy ban Kiểm tra triển khai mạnh mẽ kịp thời", "Ủy ban Kiểm tra triển khai mạnh mẽ kịp thời"),
])
def test_ocr_proportional_rows_read_as_before(line, expected):
    """Words of a proportional face (letters of unequal widths) are no monospaced row: words and
    a wide gap (tab) as always."""
    from extractor.ingest.ocr_words import compose

    assert compose([], _typed_page([line], widths=_PROPORTIONAL), [], 3500, 2480) == [expected]


@pytest.mark.parametrize("widths, mono", [
    ([("Tỷ", 45), ("lệ", 46), ("chất", 96), ("thải", 98), ("rắn", 70), ("sinh", 96)], True),
    ([("Tỷ", 45), ("lệ", 46), ("chất", 96), ("thải", 120), ("rắn", 70), ("sinh", 96)], False),   # one wide word
    ([("Tỷ", 45), ("lệ", 46), ("rắn", 70)], False),            # too few letters to prove a face
    ([("2026", 95), ("2030", 95), ("1000", 95), ("3000", 95)], False),    # digits share one width anyway
])
def test_ocr_monospaced_row_evidence(widths, mono):
    from extractor.ingest.ocr_words import Word, _mono_rows

    x, row = 100, []
    for t, w in widths:
        row.append(Word(t, x, 100, w, 30, 90.0, 1, 1, 1))
        x += (len(t) + 1) * 25
    assert bool(_mono_rows([row])) == mono


def test_ocr_typed_task_table_gives_the_tasks_of_its_text():
    """A fixed-width task table (wrapped cells, a group row, blank lines), typed and scanned: the
    OCR'd page gives the fixed-width reader the tasks it finds in the text."""
    from extractor.ingest.ocr_words import compose
    from tests.test_tables import LAYOUT, tasks_of

    lines = LAYOUT.split("\n")
    got = "\n".join(compose([], _typed_page(lines), [], 3500, 2480))
    key = lambda ts: [(t.number, t.content, t.lead, t.deadline.text, t.group, t.supervisor) for t in ts]  # noqa: E731
    assert len(tasks_of(LAYOUT)) == 3
    assert key(tasks_of(got)) == key(tasks_of(LAYOUT))


def _num(t, top, conf=95.0, left=310):
    from extractor.ingest.ocr_words import Word
    return Word(t, left, top, 16 * len(t), 28, conf, 90, 1, 1)


@pytest.mark.parametrize("found, expected", [
    ([_num("1", 500), _num("2", 700), _num("3", 900)], ["1", "2", "3"]),
    ([_num("11", 300), _num("1", 500), _num("2", 700)], ["1", "2"]),          # a Roman "II" read "11": alone
    ([_num("1", 500), _num("2", 700, conf=40)], []),                           # not sure: no sequence left
    ([_num("l", 500), _num("2", 700), _num("3", 900)], ["2", "3"]),            # a letter is no numeral here
    ([_num("4", 1100), _num("5", 1300), _num("6", 1500)], ["5", "6"]),   # the page read a word on the "4" line
])
def test_ocr_reread_numerals_taken(found, expected):
    """Numerals re-read left of a monospaced table are taken when sure, in sequence, and where the
    page's reading found nothing."""
    from extractor.ingest.ocr_words import Word, zone_numerals

    free = [Word("Tổ", 450, 495, 45, 30, 95.0, 1, 1, 1), Word("IV", 300, 1100, 30, 28, 95.0, 2, 1, 1)]
    assert [w.text for w in zone_numerals(found, free, (300, 200, 440, 2000))] == expected


def test_ocr_numeral_zone_left_of_monospaced_rows_only():
    from extractor.ingest.ocr_words import numeral_zone

    assert numeral_zone(_typed_page(["Nơi nhận các cơ quan đơn vị trực thuộc Tỉnh ủy"], widths=_PROPORTIONAL)) is None
    x0, y0, x1, y1 = numeral_zone(_typed_page(["     " + ln for ln in _TYPED_SIGNATURE]))
    assert (x0, x1) == pytest.approx((300 + 2 - 25, 300 + 5 * 25 + 2 - 12.5), abs=3) and y0 == 200


@pytest.mark.parametrize("lines, edge", [
    ([" 1   Xây dựng kế hoạch triển khai thực", "     hiện chương trình hành động", "     của Tỉnh ủy"], 5),
    # a group row "II.1 …" and a numeral the page did read start left of the content: the strip
    # is still the one left of where most rows start (the Stt column)
    (["II.1 Hoàn thiện thể chế, chính sách, pháp luật", "     Rà soát, hoàn thiện hệ thống văn bản quy",
      "     phạm pháp luật về bảo vệ môi trường", " 2   Xây dựng Kế hoạch bảo vệ môi trường",
      "     cấp tỉnh giai đoạn 2031 - 2040"], 5),
])
def test_ocr_numeral_zone_left_of_the_content_column(lines, edge):
    from extractor.ingest.ocr_words import numeral_zone

    x0, _, x1, _ = numeral_zone(_typed_page(lines))
    assert x1 == pytest.approx(300 + edge * 25 + 2 - 12.5, abs=3)


@pytest.mark.parametrize("grey, read", [(140, True), (255, False)])
def test_ocr_numeral_strip_of_thin_grey_strokes_is_read(monkeypatch, grey, read):
    """A typewriter numeral's thin stroke at page size is grey (~100-160), never black: the strip
    left of the typed rows is read when it holds such strokes, and not when it is blank."""
    import pytesseract
    from PIL import Image, ImageDraw

    from extractor.ingest import ocr
    from extractor.ingest.imageprep import PageGeometry

    img = Image.new("L", (1200, 800), 255)
    draw = ImageDraw.Draw(img)
    for top in (252, 408):                        # a "1" and a "2" in the Stt column, 3 px strokes
        draw.rectangle((318, top, 320, top + 26), fill=grey)
        draw.rectangle((312, top + 24, 326, top + 26), fill=grey)
    lines = ["     Xây dựng kế hoạch triển khai thực", "     hiện chương trình hành động", "     của Tỉnh ủy",
             "     Kiểm tra, giám sát việc thực hiện", "     nghị quyết của Tỉnh ủy"]
    calls = []
    monkeypatch.setattr(pytesseract, "image_to_data", lambda *a, **k: calls.append(a) or {
        k: [] for k in ("text", "left", "top", "width", "height", "conf", "block_num", "par_num", "line_num")})
    ocr.reread_numerals(img, PageGeometry(img.size), _typed_page(lines), S)
    assert bool(calls) == read
