"""Header and signature blocks: (document text, expected meta fields) pairs."""
import pytest

from extractor.lines import split_lines
from extractor.meta import extract_meta, parse_date, parse_number
from extractor.normalize import normalize_text


def meta_of(text: str):
    t = normalize_text(text).text
    return extract_meta(t, split_lines(t))


PARTY_HEADER = """
ĐẢNG BỘ TỈNH LÂM CHÂU
HUYỆN ỦY MƯỜNG TÈ
*
Số 12-KH/HU

ĐẢNG CỘNG SẢN VIỆT NAM
Mường Tè, ngày 05 tháng 01 năm 2022

KẾ HOẠCH
thực hiện Kết luận số 224-KL/TU
của Ban Chấp hành Đảng bộ tỉnh

Thực hiện Kết luận số 224-KL/TU, Ban Chấp hành Đảng bộ huyện xây dựng kế hoạch như sau:

I. MỤC ĐÍCH
"""

SIDE_BY_SIDE = """TỈNH UỶ LÀO CAI                      ĐẢNG CỘNG SẢN VIỆT NAM
            *
     Số 104 -CTr/TU                  Lào Cai, ngày 30 tháng 8 năm 2026

                    CHƯƠNG TRÌNH HÀNH ĐỘNG
    thực hiện Kết luận số 75-KL/TW ngày 28/7/2026
                                    -----
      Thực hiện Kết luận số 75-KL/TW, Tỉnh ủy ban hành Chương trình như sau:
      I. MỤC ĐÍCH, YÊU CẦU
"""

MARKDOWN_TABLE = """| TỈNH ỦY ĐỒNG NAI | ĐẢNG CỘNG SẢN VIỆT NAM |
|---|---|
| BAN TUYÊN GIÁO | Đồng Nai, ngày 11 tháng 01 năm 2024 |
| Số 143-KH/BTGTU | |

**KẾ HOẠCH**
**Công tác Tuyên giáo năm 2024**
"""

STATE = """ỦY BAN NHÂN DÂN
TỈNH LÀO CAI
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 134/KH-UBND
Lào Cai, ngày 26 tháng 3 năm 2026

KẾ HOẠCH
Thực hiện Nghị quyết số 34-NQ/TU về phát triển khu công nghiệp

Căn cứ Nghị quyết số 34-NQ/TU ngày 27/12/2025 của Ban Thường vụ Tỉnh ủy;
"""

OCR_JOINED = """TÍNH ỦY LÀO CAI ĐÁNG CỘNG SẢN VIỆT NAM
*
Số 34 -NQ/TU Lào Cai, ngày 27 tháng 12 năm 2025

NGHỊ QUYẾT
về phát triển các khu công nghiệp
"""

PLACEHOLDERS = """TỈNH ỦY ĐỒNG NAI
BAN TUYÊN GIÁO
Số [so]-CTr/BTGTU
ĐẢNG CỘNG SẢN VIỆT NAM
Đồng Nai, ngày [ng] tháng [th] năm 2023

CHƯƠNG TRÌNH
Công tác Tuyên giáo tháng 11/2023
"""

CONG_VAN = """ĐẢNG BỘ TỈNH LÀO CAI
ĐẢNG ỦY ỦY BAN NHÂN DÂN TỈNH
Số 2449-CV/ĐU
V/v triển khai thực hiện Chương trình hành động
ĐẢNG CỘNG SẢN VIỆT NAM
Lào Cai, ngày 07 tháng 9 năm 2026

Kính gửi: Các sở, ban, ngành.
"""

# Tesseract on a bold capital Ả adds a breve (ĐẲNG), and reads a stamp's speck as a letter
CONG_VAN_OCR = """ĐẲNG BỘ TỈNH LÀO CAI	ĐẲNG CỘNG SẲN VIỆT NAM

ĐẲNG ỦY ỦY BAN NHÂN DÂN TỈNH
Lào Cai, ngày 07 tháng 9 năm 2026
F
Số 2449 -CV/ĐU
về việc triển khai thực hiện Chương trình hành động

Kính gửi: Các sở, ban, ngành.
"""

TITLE_FIRST = """KẾ HOẠCH
Triển khai kế hoạch hành động 100 ngày
(Kèm theo Kế hoạch số 11-KH/BCĐ)

TỈNH ỦY KHÁNH HÒA
BAN CHỈ ĐẠO TỈNH
Số 11-KH/BCĐ
ĐẢNG CỘNG SẢN VIỆT NAM
Khánh Hòa, ngày 28 tháng 7 năm 2026

Căn cứ Nghị quyết số 57-NQ/TW;
"""

NO_HEADER = """KẾ HOẠCH
Công tác Tuyên giáo năm 2024

Thực hiện Kế hoạch số 143 – KH/BTGTU, ngày 11/01/2024;

I. MỤC ĐÍCH, YÊU CẦU
"""

STAMP = """BỘ CHÍNH TRỊ
BỘ CHÍNH TRỊ
28-07-2026 18:08:51 +07:00

BAN CHẤP HÀNH TRUNG ƯƠNG ĐẢNG CỘNG SẢN VIỆT NAM
*
Số 31-CTr/TW Hà Nội, ngày 28 tháng 7 năm 2026

CHƯƠNG TRÌNH HÀNH ĐỘNG
của Bộ Chính trị
"""

CASES = [
    (PARTY_HEADER, dict(doc_type="ke_hoach", number="12-KH/HU", issuer=["ĐẢNG BỘ TỈNH LÂM CHÂU", "HUYỆN ỦY MƯỜNG TÈ"],
                        place="Mường Tè", issued_date="2022-01-05",
                        title="thực hiện Kết luận số 224-KL/TU của Ban Chấp hành Đảng bộ tỉnh")),
    (SIDE_BY_SIDE, dict(doc_type="chuong_trinh", number="104-CTr/TU", issuer=["TỈNH UỶ LÀO CAI"], place="Lào Cai",
                        issued_date="2026-08-30", title="thực hiện Kết luận số 75-KL/TW ngày 28/7/2026")),
    (MARKDOWN_TABLE, dict(doc_type="ke_hoach", number="143-KH/BTGTU", issuer=["TỈNH ỦY ĐỒNG NAI", "BAN TUYÊN GIÁO"],
                          place="Đồng Nai", issued_date="2024-01-11", title="Công tác Tuyên giáo năm 2024")),
    (STATE, dict(doc_type="ke_hoach", number="134/KH-UBND", issuer=["ỦY BAN NHÂN DÂN", "TỈNH LÀO CAI"],
                 place="Lào Cai", issued_date="2026-03-26")),
    (OCR_JOINED, dict(doc_type="nghi_quyet", number="34-NQ/TU", issuer=["TỈNH ỦY LÀO CAI"], place="Lào Cai",
                      issued_date="2025-12-27", title="về phát triển các khu công nghiệp")),
    (PLACEHOLDERS, dict(doc_type="chuong_trinh", number=None, place="Đồng Nai", issued_date="2023",
                        title="Công tác Tuyên giáo tháng 11/2023")),
    (CONG_VAN, dict(doc_type="cong_van", number="2449-CV/ĐU", issued_date="2026-09-07",
                    title="V/v triển khai thực hiện Chương trình hành động")),
    (CONG_VAN_OCR, dict(doc_type="cong_van", number="2449-CV/ĐU", issued_date="2026-09-07",
                        issuer=["ĐẢNG BỘ TỈNH LÀO CAI", "ĐẢNG ỦY ỦY BAN NHÂN DÂN TỈNH"])),
    (TITLE_FIRST, dict(doc_type="ke_hoach", number="11-KH/BCĐ", issued_date="2026-07-28",
                       issuer=["TỈNH ỦY KHÁNH HÒA", "BAN CHỈ ĐẠO TỈNH"], title="Triển khai kế hoạch hành động 100 ngày")),
    (NO_HEADER, dict(doc_type="ke_hoach", number=None, issuer=[], place=None, issued_date=None,
                     title="Công tác Tuyên giáo năm 2024")),
    (STAMP, dict(doc_type="chuong_trinh", number="31-CTr/TW", issuer=["BAN CHẤP HÀNH TRUNG ƯƠNG"], place="Hà Nội",
                 issued_date="2026-07-28")),
]


def assert_meta(text: str, expected: dict) -> None:
    """Each expected field of the text's meta, named in the failure."""
    meta = meta_of(text).meta
    for field, value in expected.items():
        assert getattr(meta, field) == value, field


@pytest.mark.parametrize("text,expected", CASES)
def test_header(text, expected):
    assert_meta(text, expected)


def test_preamble_span_covers_the_basis_statement():
    t = normalize_text(PARTY_HEADER).text
    res = extract_meta(t, split_lines(t))
    assert t[slice(*res.preamble_span)].startswith("Thực hiện Kết luận số 224-KL/TU")
    assert "MỤC ĐÍCH" not in t[slice(*res.preamble_span)]


@pytest.mark.parametrize("cell,expected", [
    ("Số 143-KH/BTGTU", "143-KH/BTGTU"), ("Số: 134/KH-UBND", "134/KH-UBND"), ("Số 104 -CTr/TU", "104-CTr/TU"),
    ("Số 143 – KH/BTGTU", "143-KH/BTGTU"), ("Số 30/2020/NĐ-CP", "30/2020/NĐ-CP"),
    ("Số KH/HU", None), ("Số [so]-CTr/BTGTU", None), ("Số -CTr/ĐU", None), ("Số:    /KH-UBND", None),
    # OCR reads the digit one as I or l next to digits
    ("Số I1-KH/BCĐ", "11-KH/BCĐ"), ("Số 3260-KH/ĐĐQHI5", "3260-KH/ĐĐQH15"), ("Số 1l/CV-UB", "11/CV-UB"),
    ("Số lý /QĐ-UBND", None),
])
def test_number(cell, expected):
    assert parse_number(cell) == expected


@pytest.mark.parametrize("cell,expected", [
    ("Mường Tè, ngày tháng 01 năm 2022", ("Mường Tè", "2022-01")),
    ("Đồng Nai, ngày [ng] tháng [th] năm 2023", ("Đồng Nai", "2023")),
    ("Hà Nội, ngày 03 tháng 4 năm 2018", ("Hà Nội", "2018-04-03")),
    ("Hà Nội, ngày 3 tháng 13 năm 2018", ("Hà Nội", "2018")),
    ("ngày 05 tháng 6 năm 2024", (None, "2024-06-05")),
    # a table rule or markup OCR'd before the place
    ("I *Hà Nội, ngày 01 tháng 11 năm 2012", ("Hà Nội", "2012-11-01")),
    ("Công Hải, ngày tháng I1 năm 2025", ("Công Hải", "2025-11")),   # OCR "I1" for 11
    ("Hà Nội, ngày0} thángh măm 2026", ("Hà Nội", "2026")),   # OCR garbled the diacritics of "năm"
    ("| Lào Cai, ngày 5 tháng 4 năm 2026", ("Lào Cai", "2026-04-05")),
    ("TP. Hồ Chí Minh, ngày 1 tháng 2 năm 2020", ("TP. Hồ Chí Minh", "2020-02-01")),
])
def test_place_date(cell, expected):
    assert parse_date(cell) == expected


SIGNATURES = [
    ("Nơi nhận:\n- Như trên,\n- Lưu VT.\n\nTRƯỞNG BAN\n\n\n\nVũ Duy Hoàng\n",
     dict(name="Vũ Duy Hoàng", position="TRƯỞNG BAN", authority=None), ["Như trên", "Lưu VT"]),
    ("Nơi nhận:\n- Ban Tuyên giáo Tỉnh ủy,\n\n**K/T TRƯỞNG BAN\nPHÓ TRƯỞNG BAN**\n\n**☐\nNguyễn Thị Hồng Trang**\n",
     dict(name="Nguyễn Thị Hồng Trang", position="PHÓ TRƯỞNG BAN", authority="K/T TRƯỞNG BAN"), ["Ban Tuyên giáo Tỉnh ủy"]),
    (" Nơi nhận:                                        TM. ỦY BAN NHÂN DÂN\n"
     "- Như Điều 3;                                         KT. CHỦ TỊCH\n"
     "- TT. Tỉnh uỷ, HĐND tỉnh;                             PHÓ CHỦ TỊCH\n"
     "- Chủ tịch và các PCT UBND tỉnh;\n"
     "- Lãnh đạo VPUBND tỉnh;                               Nguyễn Thế Phước\n"
     "- Lưu: VT, TH.\n",
     dict(name="Nguyễn Thế Phước", position="PHÓ CHỦ TỊCH", authority="TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH"),
     ["Như Điều 3", "TT. Tỉnh uỷ, HĐND tỉnh", "Chủ tịch và các PCT UBND tỉnh", "Lãnh đạo VPUBND tỉnh", "Lưu: VT, TH"]),
    ("Nơi nhân: T/M BAN THƯỜNG VỤ\n- Các đ/c Ủy viên BTV Tỉnh ủy,\n\n- Lưu Văn phòng.\n\nHoàng Giang\n",
     dict(name="Hoàng Giang", authority="T/M BAN THƯỜNG VỤ"), None),
]


@pytest.mark.parametrize("footer,signer,recipients", SIGNATURES)
def test_signature_and_recipients(footer, signer, recipients):
    meta = meta_of("KẾ HOẠCH\nTiêu đề\n\nI. NỘI DUNG\n\nNội dung.\n\n" + footer).meta
    for field, value in signer.items():
        assert getattr(meta.signer, field) == value, field
    if recipients is not None:
        assert meta.recipients == recipients


def test_signature_ignores_a_drafters_initials_and_signed_marks():
    meta = meta_of("BÁO CÁO\nX\n\nNơi nhận:\n- Lưu.\n\nDương-TH\n\nTRƯỞNG BAN\n(Đã ký)\n\nLê Văn Ngọc\n").meta
    assert (meta.signer.position, meta.signer.name) == ("TRƯỞNG BAN", "Lê Văn Ngọc")


PDF_STATE = """ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH LÀO CAI\tĐộc lập - Tự do - Hạnh phúc

Số:\t/UBND-XD\tLào Cai, ngày tháng 7 năm 2026

V/v triển khai thực hiện Quyết định số
1074/QĐ-BXD ngày 29/6/2026 của Bộ
Xây dựng

Kính gửi:
- Các Sở, ban, ngành thuộc tỉnh;
"""

COMMITTEE = """SỞ CÔNG THƯƠNG\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
ĐOÀN KIỂM TRA\tĐộc lập - Tự do - Hạnh Phúc
THEO QUYẾT ĐỊNH
SỐ 1050/QĐ-SCT\tLào Cai, ngày 10 tháng 3 năm 2026

Số: 1105⁄KH-ĐKT

KẾ HOẠCH
Kiểm tra việc chấp hành quy định
"""

DECISION = """ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH LÀO CAI\tĐộc lập - Tự do - Hạnh phúc số: lý /QĐ-UBND\tLào Cai, ngày 0Â tháng + năm 2026

QUYẾT ĐỊNH CHẤP THUẬN CHỦ TRƯƠNG ĐẦU TƯ
ĐỒNG THỜI CHẤP THUẬN NHÀ ĐẦU TƯ
(Gáp\ttháng

Căn cứ Luật Đầu tư;
"""


@pytest.mark.parametrize("text,expected", [
    # the symbol in its own cell after "Số:" is blank → null, and it is not an issuer line
    (PDF_STATE, dict(number=None, issuer=["ỦY BAN NHÂN DÂN", "TỈNH LÀO CAI"], issued_date="2026-07",
                     title="V/v triển khai thực hiện Quyết định số 1074/QĐ-BXD ngày 29/6/2026 của Bộ Xây dựng")),
    # "SỐ …" under an issuer line ending in a type word names the issuer; the fraction slash of OCR is a slash
    (COMMITTEE, dict(number="1105/KH-ĐKT", issuer=["SỞ CÔNG THƯƠNG", "ĐOÀN KIỂM TRA", "THEO QUYẾT ĐỊNH",
                                                     "SỐ 1050/QĐ-SCT"], issued_date="2026-03-10")),
    # OCR joined the motto with the number; type word and title on one line
    (DECISION, dict(doc_type="quyet_dinh", number=None, issuer=["ỦY BAN NHÂN DÂN", "TỈNH LÀO CAI"],
                    issued_date="2026", title="CHẤP THUẬN CHỦ TRƯƠNG ĐẦU TƯ ĐỒNG THỜI CHẤP THUẬN NHÀ ĐẦU TƯ")),
])
def test_header_of_pdf_and_ocr_layouts(text, expected):
    assert_meta(text, expected)


@pytest.mark.parametrize("text,expected", [
    # the blank left for the day is not a column gap
    ("SỞ CÔNG THƯƠNG\t\tĐộc lập - Tự do - Hạnh phúc\nSố:           /KH-SCT\t\tLào Cai,  ngày       tháng 4 năm 2026\n\n"
     "KẾ HOẠCH\nKiểm tra\n", dict(number=None, place="Lào Cai", issued_date="2026-04")),
    # a copy without header dates itself after its own number
    ("Kết luận số 69-KL/TW\n\nKết luận số 69-KL/TW ngày 11/01/2024 của Bộ Chính trị về tiếp tục thực hiện\n",
     dict(doc_type="ket_luan", number="69-KL/TW", issued_date="2024-01-11")),
])
def test_dates_in_damaged_headers(text, expected):
    assert_meta(text, expected)


# ---- title: authority and conference lines between the type word and the subject ------------

_HEAD = "BAN CHẤP HÀNH TRUNG ƯƠNG\n*\nSố 57-NQ/TW\nĐẢNG CỘNG SẢN VIỆT NAM\nHà Nội, ngày 22 tháng 12 năm 2024\n\n"


@pytest.mark.parametrize("title_block,expected", [
    ("NGHỊ QUYẾT\nCỦA BỘ CHÍNH TRỊ\nvề đột phá phát triển khoa học, công nghệ", "về đột phá phát triển khoa học, công nghệ"),
    ("NGHỊ QUYẾT\nHỘI NGHỊ LẦN THỨ SÁU BAN CHẤP HÀNH TRUNG ƯƠNG ĐẢNG KHOÁ XI\n\nVỀ PHÁT TRIỂN KHOA HỌC VÀ CÔNG NGHỆ",
     "VỀ PHÁT TRIỂN KHOA HỌC VÀ CÔNG NGHỆ"),
    # a conference line wrapped over two lines: the subject starts at "về"
    ("NGHỊ QUYẾT\nHỘI NGHỊ LẦN THỨ BẢY BAN CHẤP HÀNH TRUNG ƯƠNG\nĐẢNG KHOÁ XII\nvề cải cách chính sách tiền lương",
     "về cải cách chính sách tiền lương"),
    ("THÔNG BÁO\nKẾT LUẬN CỦA BAN THƯỜNG VỤ ĐẢNG UỶ\nvề công tác cán bộ", "về công tác cán bộ"),
    ("CHƯƠNG TRÌNH HÀNH ĐỘNG\nCỦA BAN CHẤP HÀNH ĐẢNG BỘ XÃ\nTHỰC HIỆN NGHỊ QUYẾT ĐẠI HỘI ĐẢNG BỘ XÃ\nLẦN THỨ I",
     "THỰC HIỆN NGHỊ QUYẾT ĐẠI HỘI ĐẢNG BỘ XÃ LẦN THỨ I"),
    # the only line after the type word is the title, even when it names the conference
    ("NGHỊ QUYẾT\nHỘI NGHỊ LẦN THỨ CHÍN BAN CHẤP HÀNH ĐẢNG BỘ TỈNH\n\nTrong những năm qua, tỉnh đã đạt nhiều kết quả.",
     "HỘI NGHỊ LẦN THỨ CHÍN BAN CHẤP HÀNH ĐẢNG BỘ TỈNH"),
    # a subject that is not an authority line is kept whole
    ("KẾ HOẠCH\nthực hiện Kết luận số 224-KL/TU\ncủa Ban Chấp hành Đảng bộ tỉnh",
     "thực hiện Kết luận số 224-KL/TU của Ban Chấp hành Đảng bộ tỉnh"),
])
def test_title_without_authority_line(title_block, expected):
    meta = meta_of(_HEAD + title_block + "\n\nI. NỘI DUNG\n").meta
    assert meta.title == expected


@pytest.mark.parametrize("header,expected", [
    # "số …" in lower case continues the subject; the header's own "Số …" is capitalised
    ("ĐẢNG ỦY ỦY BAN NHÂN DÂN TỈNH\nSố 2449 -CV/ĐU\nvề việc triển khai thực hiện Chương trình hành động\n"
     "số 104-CTr/TU ngày 30/8/2026 của Tỉnh ủy Lào Cai\n\nKính gửi: Ủy ban nhân dân tỉnh.\n",
     "về việc triển khai thực hiện Chương trình hành động số 104-CTr/TU ngày 30/8/2026 của Tỉnh ủy Lào Cai"),
    ("UBND TỈNH\nSố: 12/SCT-KT\nV/v kiểm tra vật liệu nổ\ncông nghiệp năm 2026\n\nKính gửi: Các đơn vị.\n",
     "V/v kiểm tra vật liệu nổ công nghiệp năm 2026"),
    # a scan spaced the wrapped line; the date cell on the V/v line is not part of it
    ("BỘ CÔNG THƯƠNG\tCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 2265/BCT-ATMT\n"
     "V/v triển khai thực hiện thủ tục cấp\tHà Nội, ngày 01 tháng 4 năm 2026\n\n"
     "Giấy phép vận chuyển hàng hóa nguy\nhiểm loại 1, 2, 3, 4, 9\n\nKính gửi: Ủy ban nhân dân các tỉnh\n",
     "V/v triển khai thực hiện thủ tục cấp Giấy phép vận chuyển hàng hóa nguy hiểm loại 1, 2, 3, 4, 9"),
    # a body paragraph after the V/v is not pulled in
    ("UBND TỈNH\nSố: 12/SCT-KT\nV/v kiểm tra vật liệu nổ\n\nKính gửi: Các đơn vị.\n\nThực hiện Kế hoạch.\n",
     "V/v kiểm tra vật liệu nổ"),
])
def test_cong_van_subject_over_several_lines(header, expected):
    assert meta_of(header).meta.title == expected


# ---- signer: layout tables, side-by-side zones, compound positions ---------------------------

@pytest.mark.parametrize("footer,expected", [
    # a DOCX layout cell holding the whole block on one line
    ("Nơi nhận: - Ban Giám đốc Sở; - Lưu: VT.\t\tKT. GIÁM ĐỐC PHÓ GIÁM ĐỐC Hoàng Văn Thuân\n",
     dict(authority="KT. GIÁM ĐỐC", position="PHÓ GIÁM ĐỐC", name="Hoàng Văn Thuân")),
    ("|   | T/M BỘ CHÍNH TRỊ *(Đã ký)* Trương Thị Mai |\n| :---- | :---- |\n",
     dict(authority="T/M BỘ CHÍNH TRỊ", position=None, name="Trương Thị Mai")),
    ("Nơi nhận: - Các đơn vị; - Lưu: VT.\t\tTM. ĐOÀN KIỂM TRA TRƯỞNG ĐOÀN Hoàng Văn Thuân PHÓ GIÁM ĐỐC SỞ CÔNG THƯƠNG\n",
     dict(authority="TM. ĐOÀN KIỂM TRA", position="TRƯỞNG ĐOÀN", name="Hoàng Văn Thuân")),
    # OCR specks of the layout table's rules around the flattened block
    ("|1 T/M BỘ CHÍNH TRỊ (Đã ký) Trương Thị Mai Ì\n|:----\tÌ\n",
     dict(authority="T/M BỘ CHÍNH TRỊ", position=None, name="Trương Thị Mai")),
    # a bracketed signed mark between the position and the name
    ("Nơi nhận:\n- Các bộ;\n- Lưu: VT.\n\nTM. CHÍNH PHỦ\nKT. THỦ TƯỚNG\nPHÓ THỦ TƯỚNG\n[đã ký]\nNguyễn Hòa Bình\n",
     dict(authority="TM. CHÍNH PHỦ KT. THỦ TƯỚNG", position="PHÓ THỦ TƯỚNG", name="Nguyễn Hòa Bình")),
    # a compound position stays whole
    ("Nơi nhận:\n- Các sở;\n- Lưu Văn phòng.\n\nBÍ THƯ TỈNH ỦY\nkiêm\nTRƯỞNG BAN CHỈ ĐẠO\n(Đã ký và đóng dấu)\nTrần Phong\n",
     dict(position="BÍ THƯ TỈNH ỦY kiêm TRƯỞNG BAN CHỈ ĐẠO", name="Trần Phong")),
    ("Nơi nhận:\n- Các sở.\n\nCHỦ TỊCH UBND TỈNH kiêm TRƯỞNG BAN\n\nLê Văn An\n",
     dict(position="CHỦ TỊCH UBND TỈNH kiêm TRƯỞNG BAN", name="Lê Văn An")),
    # OCR joined the position line to a recipient's line and garbled it
    ("Nơi nhân: T/M BAN THƯỜNG VỤ\n- Các đ/c Ủy viên BTV Tỉnh ủy, S Í THƯ THƯỜNG TRưÊ\n\n- Lưu Văn phòng.\n\nHoàng Giang\n",
     dict(authority="T/M BAN THƯỜNG VỤ", position="PHÓ BÍ THƯ THƯỜNG TRỰC", name="Hoàng Giang")),
    # "T/M." with a dot and a stray OCR letter in the block
    ("Nơi nhận:\t\tT/M. ĐOÀN KIỂM TRA\n- Lưu: VT.\t\tẦ\n\t\tTRƯỞNG ĐOÀN\n\t\tLê Minh Hà\n",
     dict(authority="T/M. ĐOÀN KIỂM TRA", position="TRƯỞNG ĐOÀN", name="Lê Minh Hà")),
    # a scan: signature strokes over the position line garble it and leave scraps of letters below
    ("Nơi nhận:\tKT. BỘ TRƯỞNG\n- Như trên;\tZ2 \"THỨ TR ỦNG\n- Bộ trưởng (để b/c);\t2=\tƯƠN\n"
     "- Cục Cảnh sát giao thông;\t1n\n\n- Lưu: VT, ATMT.\n\n=\t/\n\nTrương Thanh Hoài\n",
     dict(authority="KT. BỘ TRƯỞNG", position="THỨ TRƯỞNG", name="Trương Thanh Hoài")),
    # a scan's layout: the right-hand block's cells start where the long recipients' lines end,
    # a recipient's wrapped line and the name lost their tab, scraps of the strokes between
    ("Nơi nhận:\tT/M. ĐOÀN KIỂM TRA\n- Giám đốc Sở (để báo cáo và phê duyệt);\tx\n"
     "- Văn phòng Sở (Bố trí kinh phí, phương\t-TR ƯƠNG ĐOÀN\n\ntiện phục vụ Đoàn kiểm tra);\n"
     "- Thành viên Đoàn (để thực hiện);\n- Lưu: VT, CN.\tTS\n\na®z;\n«c” 7\n\nHoàng Văn Thuân\n",
     dict(authority="T/M. ĐOÀN KIỂM TRA", position="TRƯỞNG ĐOÀN", name="Hoàng Văn Thuân")),
    ("Nơi nhận:\n- Các sở.\n\nKT. GIÁM ĐỐC\nPHÓ GIÁM ĐÓC\n\nHoàng Văn Thuân\n",
     dict(authority="KT. GIÁM ĐỐC", position="PHÓ GIÁM ĐỐC", name="Hoàng Văn Thuân")),
    # a known position with its body, as written (it reads like a name in capitals, too)
    ("Nơi nhận:\n- Các sở.\n\nKT. CHỦ TỊCH\nGIÁM ĐỐC SỞ\n\nHoàng Văn Thuân\n",
     dict(position="GIÁM ĐỐC SỞ", name="Hoàng Văn Thuân")),
])
def test_signer_in_layouts(footer, expected):
    meta = meta_of("KẾ HOẠCH\nTiêu đề\n\nI. NỘI DUNG\n\nNội dung.\n\n" + footer).meta
    for field, value in expected.items():
        assert getattr(meta.signer, field) == value, field


@pytest.mark.parametrize("footer,expected", [
    ("Nơi nhận: - Các đơn vị trong lịch kiểm tra; - Ban Giám đốc Sở; - Lưu: VT, ĐKT.\t\tTRƯỞNG ĐOÀN\n",
     ["Các đơn vị trong lịch kiểm tra", "Ban Giám đốc Sở", "Lưu: VT, ĐKT"]),
    ("Nơi nhận:\n- Như trên; - Lưu: VT.\n\nTRƯỞNG BAN\n\nVũ Duy Hoàng\n", ["Như trên", "Lưu: VT"]),
])
def test_recipients_on_one_line_are_split_into_items(footer, expected):
    meta = meta_of("KẾ HOẠCH\nTiêu đề\n\nI. NỘI DUNG\n\nNội dung.\n\n" + footer).meta
    assert meta.recipients == expected


# ---- paged layouts: wrapped header cells, columns joined by the text layer ------------------

@pytest.mark.parametrize("text,expected", [
    # a narrow column wrapped the motto and the place-date line
    ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM\n\nTỈNH LÀO CAI Độc lập - Tự do - Hạnh phúc\n\n"
     "Số: 134 /KH-UBND Lào Cai, ngày 26\ntháng 3 năm 2026\n\nKẾ HOẠCH\nThực hiện Nghị quyết số 34-NQ/TU\n",
     dict(number="134/KH-UBND", issuer=["ỦY BAN NHÂN DÂN", "TỈNH LÀO CAI"], place="Lào Cai", issued_date="2026-03-26")),
    ("TỈNH ỦY LÀO CAI ĐẢNG CỘNG\nSẢN VIỆT NAM\n*\nSố 34-NQ/TU\nLào Cai, ngày 27 tháng 12 năm 2025\n\nNGHỊ QUYẾT\nvề phát triển\n",
     dict(number="34-NQ/TU", issuer=["TỈNH ỦY LÀO CAI"], issued_date="2025-12-27", title="về phát triển")),
    # the header cells share a line with a converter's note
    ("[Bản trích chữ tự động bằng tesseract tiếng Việt từ bản quét NQ-34.pdf — 5 trang. Có thể sai số, ngày, dấu; "
     "số/ngày phải đối chiếu bản gốc trước khi trích dẫn.]\tSố 34 -NQ/TU Lào Cai, ngày 27 tháng 12 năm 2025\n"
     "TỈNH ỦY LÀO CAI ĐẢNG CỘNG SẢN VIỆT NAM\n\nNGHỊ QUYẾT\nvề phát triển\n",
     dict(number="34-NQ/TU", place="Lào Cai", issued_date="2025-12-27", title="về phát triển")),
])
def test_header_wrapped_by_paged_layouts(text, expected):
    assert_meta(text, expected)


@pytest.mark.parametrize("footer,signer,recipients", [
    # a text layer joined each signature line to a recipient's line with one space
    ("Nơi nhận: TM. ỦY BAN NHÂN DÂN\n- Như Điều 3; KT. CHỦ TỊCH\n- TT. Tỉnh uỷ, HĐND tỉnh; PHÓ CHỦ TỊCH\n"
     "- Lãnh đạo VPUBND tỉnh; Nguyễn Thế Phước\n- Lưu: VT, TH (Thắng), KT (Long).\n",
     dict(authority="TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH", position="PHÓ CHỦ TỊCH", name="Nguyễn Thế Phước"),
     ["Như Điều 3", "TT. Tỉnh uỷ, HĐND tỉnh", "Lãnh đạo VPUBND tỉnh", "Lưu: VT, TH (Thắng), KT (Long)"]),
    # the name below the recipients' column, flush left
    ("Nơi nhận:                                    T/M BAN THƯỜNG VỤ\n- Như trên (t/h);                                 PHÓ BÍ THƯ\n"
     "- Lưu Văn phòng Đảng ủy.\n\nNguyễn Hữu Long\n",
     dict(authority="T/M BAN THƯỜNG VỤ", position="PHÓ BÍ THƯ", name="Nguyễn Hữu Long"),
     ["Như trên (t/h)", "Lưu Văn phòng Đảng ủy"]),
    # OCR: a bare "TM" authority joined to "Nơi nhận:", the position to the first item
    ("Nơi nhận: TM BAN THƯỜNG VỤ\n- Như trên (/h); PHÓ BÍ THƯ\n- Thường trực Tỉnh ủy (để b/c);\n"
     "- Lưu Văn phòng Đảng ủy.\nNguyễn Hữu Long\n",
     dict(authority="TM BAN THƯỜNG VỤ", position="PHÓ BÍ THƯ", name="Nguyễn Hữu Long"),
     ["Như trên (/h)", "Thường trực Tỉnh ủy (để b/c)", "Lưu Văn phòng Đảng ủy"]),
    # a scan whose stamp took the authority and position lines: the name alone
    ("Nơi nhận:\n- Thường trực Tỉnh ủy (b/c);\n- Chủ tịch UBND tỉnh;\n\n\t¬Ố\n\n- Các PCT UBND tỉnh;\n- Lưu: VT, KT.\n\n"
     "Nguyễn Tuấn Anh\n\nPhụ lục\nRANH GIỚI DỰ ÁN\n",
     dict(authority=None, position=None, name="Nguyễn Tuấn Anh"), None),
])
def test_signer_joined_to_recipients(footer, signer, recipients):
    meta = meta_of("KẾ HOẠCH\nTiêu đề\n\nI. NỘI DUNG\n\nNội dung.\n\n" + footer).meta
    for field, value in signer.items():
        assert getattr(meta.signer, field) == value, field
    if recipients is not None:
        assert meta.recipients == recipients


@pytest.mark.parametrize("text,expected", [
    # markdown hard line breaks ("\" at a line end) are no part of any value
    ("TỈNH ỦY ĐỒNG NAI\\\nSố 143-KH/TU\\\nĐẢNG CỘNG SẢN VIỆT NAM\\\nĐồng Nai, ngày 11 tháng 01 năm 2024\\\n\n"
     "**KẾ HOẠCH**\\\n**Công tác Tuyên giáo**\\\n**năm 2024**\n\nNơi nhận:\\\n- Như trên;\\\n- Lưu.\n\n"
     "TRƯỞNG BAN\\\n\\\nVũ Duy Hoàng\\\n",
     dict(number="143-KH/TU", issuer=["TỈNH ỦY ĐỒNG NAI"], title="Công tác Tuyên giáo năm 2024",
          recipients=["Như trên", "Lưu"])),
    # a body sentence that opens with a date is not the place-date line
    ("ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\nSố: 12/UBND-XD\nV/v triển khai Quyết định số 1074/QĐ-BXD\n\n"
     "Kính gửi: Các sở, ban, ngành.\n\nNgày 25 tháng 3 năm 2026, Bộ Xây dựng ban hành Quyết định\n"
     "số 1074/QĐ-BXD về giải pháp kỹ thuật.\n",
     dict(number="12/UBND-XD", issued_date=None, place=None)),
    ("ỦY BAN NHÂN DÂN\nSố: 12/UBND-XD\nLào Cai, ngày 26 tháng 3 năm 2026 (dự thảo)\n\nKẾ HOẠCH\nKiểm tra\n",
     dict(place="Lào Cai", issued_date="2026-03-26")),
])
def test_values_free_of_markup_and_body_dates(text, expected):
    assert_meta(text, expected)


@pytest.mark.parametrize("text,expected", [
    # the year of the place-date cell fell to the next line of its column
    ("| Số: 20-NQ/TW | Hà Nội, ngày 01 tháng 11 năm\nNghị quyết 20\t2012 |\n| BAN CHẤP HÀNH TRUNG ƯƠNG | ĐẢNG CỘNG SẢN VIỆT NAM |\n\n"
     "NGHỊ QUYẾT\nvề khoa học\n",
     dict(number="20-NQ/TW", place="Hà Nội", issued_date="2012-11-01", issuer=["BAN CHẤP HÀNH TRUNG ƯƠNG"])),
    ("Ghi chú của người chuyển đổi\tSố 34 -NQ/TU Lào Cai, ngày 27 tháng 12 năm\nbản quét.\t2025\n"
     "TỈNH ỦY LÀO CAI ĐẢNG CỘNG SẢN VIỆT NAM\n\nNGHỊ QUYẾT\nvề phát triển\n",
     dict(number="34-NQ/TU", place="Lào Cai", issued_date="2025-12-27", issuer=["TỈNH ỦY LÀO CAI"])),
])
def test_header_cells_out_of_order_or_cut(text, expected):
    assert_meta(text, expected)


@pytest.mark.parametrize("text,expected", [
    # OCR junk of a stamp before the title's first word
    ("KẾ HOẠCH\n‡#HHt Triển khai Kế hoạch hành động 100 ngày\n\nCăn cứ Nghị quyết số 57-NQ/TW;\n",
     "Triển khai Kế hoạch hành động 100 ngày"),
    # OCR read the closing straight quote as a curly one
    ('KẾ HOẠCH\nThực hiện Kết luận về "tiếp tục thực hiện Đề án”\n\nI. MỤC ĐÍCH\n',
     'Thực hiện Kết luận về "tiếp tục thực hiện Đề án"'),
    ('KẾ HOẠCH\nThực hiện Kết luận về “tiếp tục thực hiện Đề án”\n\nI. MỤC ĐÍCH\n',
     'Thực hiện Kết luận về “tiếp tục thực hiện Đề án”'),
    # OCR lost the blank line before the first heading, a capital letter part "A- …"
    ("NGHỊ QUYẾT\nHỘI NGHỊ LẦN THỨ SÁU\n\nVỀ PHÁT TRIỂN KHOA HỌC\nA- TÌNH HÌNH VÀ NGUYÊN NHÂN\n1- Trong quá trình\n",
     "VỀ PHÁT TRIỂN KHOA HỌC"),
    # OCR lost the blank line between the title and a body paragraph
    ("NGHỊ QUYẾT\nCỦA BỘ CHÍNH TRỊ\nvề đột phá phát triển khoa học\n" + "Phát triển khoa học, công nghệ " * 8 + "\n",
     "về đột phá phát triển khoa học"),
    # ... or between the title and the enacting body's line (state style: "CHÍNH PHỦ", then "QUYẾT NGHỊ:")
    ("NGHỊ QUYẾT\nBan hành Chương trình hành động của Chính phủ\nthực hiện Nghị quyết số 57-NQ/TW\nCHÍNH PHỦ\n\n"
     "Căn cứ Luật Tổ chức Chính phủ;\n", "Ban hành Chương trình hành động của Chính phủ thực hiện Nghị quyết số 57-NQ/TW"),
    # a title in capitals keeps its capitals lines
    ("NGHỊ QUYẾT\nVỀ PHÁT TRIỂN KHOA HỌC\nVÀ CÔNG NGHỆ\n\nI. TÌNH HÌNH\n", "VỀ PHÁT TRIỂN KHOA HỌC VÀ CÔNG NGHỆ"),
])
def test_title_on_scans(text, expected):
    assert meta_of(text).meta.title == expected


def test_a_decision_signed_by_name_only_is_not_signed_by_its_preamble_line():
    # "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH" heads a decision's preamble; the scan lost the signature's
    # position lines and an OCR speck cut the recipients' list
    text = ("QUYẾT ĐỊNH\nChấp thuận chủ trương đầu tư\n\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÀO CAI\n\n"
            "Căn cứ Luật Đầu tư;\n\nQUYẾT ĐỊNH:\n\nĐiều 1. Chấp thuận.\n\nNơi nhận:\n- Thường trực Tỉnh ủy (b/c);\n"
            "- Chủ tịch UBND tỉnh;\n\n\t¬Ố\n\n- Các PCT UBND tỉnh;\n- Các cơ quan tại Điều 3;\n- Trung tâm Phục vụ HCC tỉnh;\n"
            "- CVP, các PCVP UBND tỉnh;\n- Lưu: VT, KT.\n\nNguyễn Tuấn Anh\n")
    signer = meta_of(text).meta.signer
    assert (signer.name, signer.position, signer.authority) == ("Nguyễn Tuấn Anh", None, None)


@pytest.mark.parametrize("line,expected", [
    ('Z2 "THỨ TR ỦNG', "THỨ TRƯỞNG"),        # strokes over the line: scraps with digits, quotes
    ("PHÓ GIÁM ĐÓC", "PHÓ GIÁM ĐỐC"),
    ("BÍ THU", "BÍ THƯ"),
    ('"PHÓ CHỦ TỊCH.', "PHÓ CHỦ TỊCH"),
    ("PHÓ BÍ THƯ THƯỜNG TRỰC", "PHÓ BÍ THƯ THƯỜNG TRỰC"),   # known: as written
    ("GIÁM ĐỐC SỞ CÔNG THƯƠNG", "GIÁM ĐỐC SỞ CÔNG THƯƠNG"),  # a known position with its body
    ("CHÁNH VĂN PHONG", "CHÁNH VĂN PHONG"),    # as close to PHÓ CHÁNH VĂN PHÒNG: no guess
    ("THƯ KÝ HỘI ĐỒNG", "THƯ KÝ HỘI ĐỒNG"),    # close to none
    ("NGUYỄN VĂN AN", "NGUYỄN VĂN AN"),
    ("Phó giám đóc", "Phó giám đóc"),          # not a line in capitals
    (None, None),
])
def test_garbled_position_read_as_the_known_one_it_is_closest_to(line, expected):
    from extractor.meta import _closest_position
    from extractor.settings import MetaSettings
    assert _closest_position(line, MetaSettings()) == expected


@pytest.mark.parametrize("name,expected", [
    ("Heàng Văn Thuân", "Hoàng Văn Thuân"),     # a scan's misreading of the family name
    ("HEÀNG VĂN THUÂN", "HOÀNG VĂN THUÂN"),
    ("Nguyẻn Thị Loan", "Nguyễn Thị Loan"),
    ("Hoàng Văn Thuân", "Hoàng Văn Thuân"),     # as written: a family name, a syllable, a name of
    ("Ksor Phước", "Ksor Phước"),               # the Central Highlands, one letter from none
    ("Y Nhuê", "Y Nhuê"),
    ("Lé Văn Bình", "Lé Văn Bình"),             # a syllable: names are not guessed
    ("Thuân", "Thuân"),
    (None, None),
])
def test_misread_family_name(name, expected):
    from extractor.meta import _known_surname
    assert _known_surname(name) == expected
