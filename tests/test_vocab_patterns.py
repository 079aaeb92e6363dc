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


# ---- document landmarks (header.yaml recipients_headings / address_headings, sections.yaml annex_headings)

@pytest.mark.parametrize("line, heading", [
    ("Nơi nhận:", "Nơi nhận"),
    ("  NƠI NHẬN: - Như trên;", "NƠI NHẬN"),
    ("Noi nhân:", "Noi nhân"),          # a scan's reading of the marks
    ("Nơi nhan", "Nơi nhan"),
    ("Kính gửi: Ban Tuyên giáo", "Kính gửi"),
    ("KÍNH GỬI:", "KÍNH GỬI"),
    ("Nơi  nhận:", None),               # the footer reader wants the printed single space
    ("Kinh gửi:", None),
    ("Các nơi nhận", None),
])
def test_meta_footer_headings(line, heading):
    from extractor import meta
    m = meta._RECIPIENTS.match(line)
    assert (m.group(1) if m else None) == heading
    assert bool(meta._RECIPIENTS_ANYWHERE.search(line)) is (heading is not None or "nơi nhận" in line.lower())
    if heading:     # the substring prefilter finds every line the regex can match
        assert any(n in line.lower() for n in meta._FOOT_NEEDLES)


@pytest.mark.parametrize("line, stops", [
    ("Kính gửi: các đồng chí", True),
    ("nơi nhận:", True),
    ("Nơi  nhận", False),
    ("về việc tổ chức", False),
])
def test_meta_title_stops_at_landmarks(line, stops):
    from extractor import meta
    assert bool(meta._TITLE_STOP.match(line)) is stops


@pytest.mark.parametrize("line, recipients, address, annex", [
    ("Nơi nhận:", True, False, False),
    ("**Nơi  nhận:**", True, False, False),
    ("_NƠI\nNHẬN:_", True, False, False),
    ("Nơi nhậnxét", False, False, False),
    ("Kính gửi: Ban Thường vụ", False, True, False),
    ("* Kính  gửi", False, True, False),
    ("PHỤ LỤC 2", False, False, True),
    ("## Phụ lục số 01", False, False, True),
    ("PHỤ  LỤC", False, False, True),
    ("Phụ Lục", False, False, False),     # this reader takes the two printed casings only
    ("phụ lục", False, False, False),
])
def test_assignment_landmarks(line, recipients, address, annex):
    from extractor import assignments as a
    assert bool(a._RECIPIENTS.match(line)) is recipients
    assert bool(a._ADDRESS.match(line)) is address
    assert bool(a._ANNEX.match(line)) is annex
    if recipients:
        assert a._head(line) in a._N_FORMS
    if address:
        assert a._head(line) in a._K_FORMS


@pytest.mark.parametrize("line, label", [
    ("PHỤ LỤC", "PHỤ LỤC"),
    ("Phụ lục số 01: Danh mục nhiệm vụ", "Phụ lục số 01"),
    ("Phụ Lục II - Các chỉ tiêu", "Phụ Lục II"),
    ("PHỤ LỤC 2", "PHỤ LỤC 2"),
    ("Phụ lục 2 kèm theo Chương trình", None),
    ("phụ lục", None),
])
def test_section_annex_titles(line, label):
    from extractor import sections
    m = sections._ANNEX.match(line)
    assert (m.group("label") if m else None) == label


@pytest.mark.parametrize("line, ends_fixed, ends_flattened", [
    ("PHỤ LỤC 3", True, False),
    ("Phụ lục", True, False),
    ("Nơi nhận:", True, True),
    ("NƠI  NHẬN", False, True),
    ("T/M BAN THƯỜNG VỤ", False, True),
    ("KT. BÍ THƯ", False, True),
    ("Phụ Lục", False, False),
])
def test_table_end_landmarks(line, ends_fixed, ends_flattened):
    from extractor.tables import fixed_width, flattened
    assert line.startswith(fixed_width._AFTER_TABLE) is ends_fixed
    assert bool(flattened._AFTER_TABLE.match(line)) is ends_flattened


# ---- section parts and articles (sections.yaml part_words, article_word)

@pytest.mark.parametrize("line, style, number", [
    ("Phần I. MỤC ĐÍCH", "part", "Phần I"),
    ("CHƯƠNG 2: Tổ chức", "part", "CHƯƠNG 2"),
    ("Mục 3 - Kinh phí", "part", "Mục 3"),
    ("Điều 5. Hiệu lực", "article", "Điều 5"),
    ("phần I. Mục đích", None, None),        # a part word in lower case opens a sentence
    ("ĐIỀU 5. Hiệu lực", None, None),
    ("Mục đích", None, None),
])
def test_part_and_article_headings(line, style, number):
    from extractor import sections
    got = [(s, pat.match(line)) for s, _, pat in sections._STYLES[:2]]
    got = [(s, m) for s, m in got if m]
    if style is None:
        assert got == []
    else:
        (s, m), = got
        assert s == style and f"{m.group('kw')} {m.group('num')}" == number


def test_part_ranks_nest_in_listed_order_above_an_article():
    from extractor import sections
    assert sections._PART_RANKS == {"phần": 0.0, "chương": 0.3, "mục": 0.6}
    assert max(sections._PART_RANKS.values()) < dict((s, r) for s, r, _ in sections._STYLES)["article"]


# ---- the province of an issuer line (header.yaml province_words, committee_words)

@pytest.mark.parametrize("line, name", [
    ("TỈNH ỦY ĐỒNG NAI", "ĐỒNG NAI"),
    ("TỈNH UỶ LÀO CAI", "LÀO CAI"),
    ("Tỉnh ủy Khánh Hòa", "Khánh Hòa"),
    ("THÀNH PHỐ HÀ NỘI", "HÀ NỘI"),
    ("TP. Hồ Chí Minh", "Hồ Chí Minh"),
    ("TP Cần Thơ", "Cần Thơ"),
    ("ĐẢNG ỦY XÃ CÔNG HẢI", None),
    ("TỈNH ỦY", "ỦY"),                   # (the optional committee word backs off to a name)
    ("BAN THƯỜNG VỤ TỈNH ỦY 12", None),
])
def test_province_of_issuer_line(line, name):
    from extractor import pipeline
    m = pipeline._PROVINCE.search(line)
    assert (m.group("name").strip() if m else None) == name


@pytest.mark.parametrize("header, is_task", [
    ("Nội dung nhiệm vụ", True),
    ("Chỉ tiêu", False),
    ("CHỈ TIÊU chủ yếu", False),
    ("Mục tiêu, nhiệm vụ", True),
])
def test_target_content_header(header, is_task):
    from extractor.tables.columns import is_task_table
    from extractor.tables.model import Columns
    cols = Columns(header=[header, "Chủ trì"], roles={0: "content", 1: "lead"})
    assert is_task_table(cols) is is_task


# ---- the calendar words (deadline_vocab.yaml units) in the shared date pieces

@pytest.mark.parametrize("text, words_date, place_date", [
    ("18 tháng 10 năm 2021", True, False),
    ("18  tháng\n10 năm 2021", True, False),
    ("18 tháng 10, năm 2021", False, False),
    ("Lào Cai, ngày 05 tháng 3 năm 2026", True, True),
    ("Hà Nội, ngày   tháng 11 năm 2025", False, True),      # the day left blank for the office
    ("Hà Nội, NGÀY 01 THÁNG 11 NĂM 2025", False, True),
])
def test_date_words(text, words_date, place_date):
    import re
    from extractor import meta
    from extractor.patterns import DMY_WORDS
    assert bool(re.search(DMY_WORDS, text)) is words_date
    assert bool(meta._DATE.search(text)) is place_date


@pytest.mark.parametrize("cell, open_date, goes_on", [
    ("Lào Cai, ngày", True, False),
    ("Lào Cai, ngày      tháng", True, False),
    ("tháng 4 năm 2026", False, True),
    ("năm 2026", False, True),
    ("12-KH/TU", False, True),
    ("Kế hoạch", False, False),
])
def test_blank_date_cells(cell, open_date, goes_on):
    from extractor import meta
    assert bool(meta._OPEN_DATE.search(cell)) is open_date
    assert bool(meta._DATE_GOES_ON.match(cell)) is goes_on


# ---- header words (header.yaml number_words, subject_headings, position_joiner, motto_openers)

@pytest.mark.parametrize("cell, symbol", [
    ("Số: 12-KH/TU", "12-KH/TU"),
    ("SỐ 1050/QĐ-SCT", "1050/QĐ-SCT"),
    ("số:143 - KH / BTGTU", "143-KH/BTGTU"),
    ("Số KH/HU", None),                 # a blank left for the office
    ("Sổ 12-KH/TU", None),
])
def test_own_number_cell(cell, symbol):
    from extractor import meta
    assert meta.parse_number(cell) == symbol


@pytest.mark.parametrize("line, word, symbol", [
    ("Kết luận số 69-KL/TW", "Kết luận", "69-KL/TW"),
    ("KẾT LUẬN SỐ 69-KL/TW", "KẾT LUẬN", "69-KL/TW"),
    ("Kết luận 69-KL/TW", None, None),
])
def test_typed_number_line(line, word, symbol):
    from extractor import meta
    m = meta._TYPED_NUMBER.match(line)
    assert (m.group("word"), m.group("sym")) == (word, symbol) if m else word is None


@pytest.mark.parametrize("text, alone", [("Số:", True), ("SỐ.", True), ("Số", True), ("Số 12", False)])
def test_number_word_alone_in_a_cell(text, alone):
    from extractor import meta
    assert bool(meta._NUMBER_ALONE.fullmatch(text)) is alone


@pytest.mark.parametrize("text, motto", [
    ("Độc lập - Tự do - Hạnh phúc", True),
    ("ĐỘC LẬP - TỰ D0 - HẠNH PHÚ", True),
    ("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", True),
    ("Cộng hòa xã hội chủ nghĩa", True),
    ("TỈNH ỦY LÀO CAI", False),
])
def test_motto_openers(text, motto):
    from extractor import meta
    assert meta._is_motto(text) is motto


@pytest.mark.parametrize("line, position", [
    ("BÍ THƯ kiêm CHỦ TỊCH", True),
    ("BÍ THƯ TỈNH ỦY", True),
    ("Bí thư kiêm Chủ tịch", False),
])
def test_position_joiner(line, position):
    from extractor import meta
    assert meta._position_like(line) is position


# ---- citation tails and "số" (doc_types.yaml issuer_stops, issuer_stop_exceptions, term_words; header.yaml number_words)

@pytest.mark.parametrize("tail, issuer", [
    (" của Bộ Chính trị về tiếp tục", "Bộ Chính trị"),
    (" của Ban Tuyên giáo và Dân vận Tỉnh ủy về", "Ban Tuyên giáo và Dân vận Tỉnh ủy"),
    (" của Tỉnh ủy và UBND tỉnh", "Tỉnh ủy"),
    (" của Ban Chấp hành Trung ương khóa XII", "Ban Chấp hành Trung ương"),
    (" của Ban Bí thư   thực\nhiện", "Ban Bí thư"),
    (" của Chính phủ, ", "Chính phủ"),
    (" của Tỉnh ủyvề", "Tỉnh ủy"),           # a subject glued on by a PDF text layer
    (" của các cấp ủy", None),
])
def test_issuer_stops(tail, issuer):
    assert references._issuer_at(tail, 0)[0] == issuer


@pytest.mark.parametrize("tail, term", [
    (" khóa XII", "XII"), (", khoá XIII", "XIII"), (" (Khoa XI)", "XI"), (" KHÓA X", "X"), (" khoa học", None),
])
def test_term_words(tail, term):
    m = references._TERM_AT.match(tail)
    assert (m.group(1).upper() if m else None) == term


@pytest.mark.parametrize("before, so_before", [
    ("văn bản số ", True), ("Văn bản Số: ", True), ("công văn SỐ ", True), ("xố ", True),
    ("mã số ", False), ("Mã số: ", False), ("sổ ", False), ("Số", True),
])
def test_number_word_before_a_symbol(before, so_before):
    assert bool(references._SO_BEFORE.search(before)) is so_before


@pytest.mark.parametrize("rest, so", [
    (" số ", True), (" Số: ", True), (" xố ", True), (" hành động số ", True), (" ", False), (" của ", None),
])
def test_number_word_after_a_type_word(rest, so):
    m = references._WORD_TAIL.fullmatch(rest)
    assert (bool(m.group("so1") or m.group("so2")) if m else None) is so


@pytest.mark.parametrize("text, own_line", [("Số:", True), ("  Số ", True), ("số:", False), ("Số: 12", False)])
def test_own_number_line(text, own_line):
    assert bool(references._OWN_LINE.fullmatch(text)) is own_line


@pytest.mark.parametrize("text, found", [
    ("Chỉ thịsố38-CT/TW", "38-CT/TW"), ("theo Số38-CT/TW", "38-CT/TW"), ("so38-CT/TW", "38-CT/TW"),
    ("ab38-CT/TW", None),
])
def test_symbol_glued_after_the_number_word(text, found):
    m = references._SYMBOL_RE.search(text)
    assert (m.group(0) if m else None) == found


# ---- table_columns.yaml time_cell_open_ends / content_open_ends, units.yaml assignments.opener_courtesy

@pytest.mark.parametrize("line, time_open, content_open", [
    ("Quý IV hàng", True, False),
    ("Trước", True, False),
    ("Thường xuyên,", True, True),
    ("Ban hành kèm theo Quyết định số", False, True),
    ("chỉ đạo của", True, True),
    ("Năm 2026", False, False),
    ("tiếp tục", False, False),
    ("Tổ chức tại", False, True),
    ("cấp xã theo", True, False),
])
def test_flattened_open_ends(line, time_open, content_open):
    from extractor.tables import flattened
    assert bool(flattened._OPEN_END.search(line)) is time_open
    assert bool(flattened._CONTINUES.search(line)) is content_open


@pytest.mark.parametrize("line, label", [
    ("Phụ lục số 02", "Phụ lục số 02"), ("PHỤ LỤC SỐ 3", "PHỤ LỤC SỐ 3"), ("PHỤ LỤC số 3", "PHỤ LỤC số 3"),
    ("Phụ lục Số 3", None),            # the number word in lower case or in capitals only
])
def test_annex_number_word(line, label):
    from extractor import sections
    m = sections._ANNEX.match(line) or sections._ANNEX_CAPS.match(line)
    assert (m.group("label") if m else None) == label


@pytest.mark.parametrize("text, end", [
    (" Kính đề nghị các đồng chí", 6), (" trân  trọng Đề nghị các", 13), (" Đề nghị các", 1), (" kính gửi", None),
    (" Kính Đề nghị", None),             # an opener is followed by its object
])
def test_courtesy_before_an_opener(text, end):
    from extractor import assignments
    m = assignments._res().asks.match(text)
    assert (m.end() if m else None) == end


@pytest.mark.parametrize("left, cut", [
    ("Sở Công Thương được giao ", 14), ("Sở Công Thương  được  phân công", 14), ("Ban Tổ chức là cơ quan", 11),
    ("Ban Tổ chức LÀ ĐƠN VỊ ", 11), ("Sở Tài chính được", 12), ("Văn phòng là", 9), ("Sở Nội vụ", None),
    ("Ban được giao việc", None),
])
def test_lead_suffixes(left, cut):
    from extractor import units
    m = units._prose_res()["suffix"].search(left)
    assert (m.start() if m else None) == cut


def test_section_first_letters_cover_the_part_and_article_words():
    """The line-start prefilter lets every part and article word through (a word added to the data
    with a new first letter would otherwise never be read as a heading)."""
    from extractor import sections
    for w in sections._PARTS + (sections._ARTICLE,):
        assert {w[0], w.upper()[0]} <= sections._STYLE_FIRST


@pytest.mark.parametrize("line, heading", [
    ("Phần I. Tình hình", True),
    ("PHẦN II - NHIỆM VỤ", True),
    ("Chương 3 Tổ chức thực hiện", True),
    ("Mục 2. Kinh phí", True),
    ("Điều 5. Hiệu lực", True),
    ("Phần lớn các đơn vị", False),      # the word, no number
    ("phần II", False),                  # as written or in capitals, not lower case
])
def test_meta_heading_takes_the_part_and_article_words_of_sections_yaml(line, heading):
    from extractor.meta import _HEADING
    assert bool(_HEADING.match(line)) is heading


@pytest.mark.parametrize("word, bare", [
    ("Thuỳ", "Thuy"), ("số", "so"), ("SỐ", "SO"), ("Đảng", "Đang"), ("đ", "đ"), ("abc", "abc"), ("", ""),
])
def test_strip_marks_keeps_d_with_stroke(word, bare):
    from extractor.vn import strip_marks
    assert strip_marks(word) == bare
