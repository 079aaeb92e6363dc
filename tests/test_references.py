"""Directive references (extractor/references.py), eyecite-style tables of text -> expected."""
from __future__ import annotations

import json
import typing
from pathlib import Path

import pytest

from extractor.model import DocType
from extractor.references import _grammar, canonical_id, find_basis, find_references

ROOT = Path(__file__).resolve().parents[1]


def ids(text: str, **kw) -> set[str]:
    return {r.id for r in find_references(text, **kw)}


def ref(text: str, rid: str, **kw):
    by_id = {r.id: r for r in find_references(text, **kw)}
    assert rid in by_id, f"{rid} not in {sorted(by_id)}"
    return by_id[rid]


# ------------------------------------------------------------------ forms that must be found

FOUND = [
    ("Thực hiện Kết luận số 100-KL/TW, ngày 18/8/2014 của Ban Bí thư", {"100-KL/TW"}),
    ("văn bản thay thế Kết luận số 100 – KL/TW, ngày 18/8/2014", {"100-KL/TW"}),
    ("Kết luận số 100 — KL/TW", {"100-KL/TW"}),
    ("Kết luận số 100‑KL/TW", {"100-KL/TW"}),
    ("Cụ thể hóa Kết luận 224-KL/TU và Kế hoạch 61-KH/TU phù hợp", {"224-KL/TU", "61-KH/TU"}),
    ("Triển khai NQ số 14-NQ/TU; tăng cường tuyên truyền", {"14-NQ/TU"}),
    ("phổ biến Quy định số 27-QĐi/TU ngày 24/10/2023", {"27-QĐi/TU"}),
    ("⁷ Cụ thể: số 738-BC/BTGTU, ngày 26/4/2024 báo cáo tổng hợp; số 739-BC/BTGTU, ngày 02/5/2024",
     {"738-BC/BTGTU", "739-BC/BTGTU"}),
    ("(theo Kết luận số 21/KL-BCA của Bộ Công an)", {"21/KL-BCA"}),
    ("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020", {"30/2020/NĐ-CP"}),
    ("triển khai Quyết định số 1074/QĐ-BXD của Bộ Xây dựng", {"1074/QĐ-BXD"}),
    ("Chương trình phối hợp số 01-CTr/BTGTU-HĐND-UBND-TA-VKS của Ban Tuyên giáo",
     {"01-CTr/BTGTU-HĐND-UBND-TA-VKS"}),
    ("theo Kết luận số 75-\nKL/TW và Chương trình hành động số 31-CTr/TW", {"75-KL/TW", "31-CTr/TW"}),
    ("phổ biến sâu rộng Kết luận số 75-\n      KL/TW, Chương trình", {"75-KL/TW"}),
    ("Kế hoạch số\n285-KH/TU, ngày 05/5/2025", {"285-KH/TU"}),
    ("thực hiện Kết luận số 49-KL/TW ngày 10/5/2019 và số 50-KL/TW, ngày 30/5/2019",
     {"49-KL/TW", "50-KL/TW"}),
    ("Nghị quyết số 18-NQ/TW, 19-NQ/TW của Hội nghị Trung ương 6", {"18-NQ/TW", "19-NQ/TW"}),
    ("Chỉ thịsố38-CT/TW, ngày 30/7/2024 của Ban Bí thư", {"38-CT/TW"}),
    ("và Chỉ thịsố04-\nCT/TU ngày 08/01/2026", {"04-CT/TU"}),
    ("Nghị quyết số 57\\-NQ/TW về đột phá", {"57-NQ/TW"}),
    ("**Nghị quyết số 57-NQ/TW** về đột phá", {"57-NQ/TW"}),
    ("Nghị quyết số 66.7/2025/NQ-CP: sửa đổi", {"66.7/2025/NQ-CP"}),
    ("Luật số 146/2025/QH15 của Quốc hội", {"146/2025/QH15"}),
    ("Nghị quyết số 193/2025/NQ-QH15 của Quốc hội", {"193/2025/NQ-QH15"}),
    ("Bộ đã ban hành Văn bản số 562/BKHCN-VCL hướng dẫn", {"562/BKHCN-VCL"}),
    ("tại văn bản số 1552/BTTTT-TTH và 708/BTTTT-CATTT", {"1552/BTTTT-TTH", "708/BTTTT-CATTT"}),
    ("tại Tờ trình số 04/TTr-BKHCN-BTTTT ngày 02 tháng 01 năm 2025", {"04/TTr-BKHCN-BTTTT"}),
    ("Văn phòng Trung ương Đảng có văn bản số 15000-CV/VPTW ngày 23 tháng 5 năm 2025", {"15000-CV/VPTW"}),
    ("Kế hoạch số 3260-KH/ĐĐQH15 của Đảng đoàn Quốc hội", {"3260-KH/ĐĐQH15"}),
    ("Căn cứ Kế hoạch số 05-KH/BCĐTW, ngày 11/7/2026", {"05-KH/BCĐTW"}),
    ("Thực hiện Quy chếlàm việc số 01-QC/ĐU ngày 01/7/2025", {"01-QC/ĐU"}),
    # OCR damage with a certain repair
    ("thực hiện Kết luận số 75-KL/TVV của Ban Chấp hành", {"75-KL/TW"}),
    ("Chỉ thị số l5-CT/TW", {"15-CT/TW"}),
    ("Nghị quyết số O5-NQ/TW", {"05-NQ/TW"}),
    ("Quyết định số 238-QD/TW", {"238-QĐ/TW"}),
    ("Công văn số 2449-CV/DU", {"2449-CV/ĐU"}),
    # leading zeros kept as written
    ("Kết luận số 01-KL/TW ngày 18/5/2021", {"01-KL/TW"}),
    # state and enterprise symbols with dotted, multi-part or spaced parts
    ("Giấy chứng nhận đủ điều kiện về an ninh, trật tự số 118.03/GCN ngày 09/01/2026", {"118.03/GCN"}),
    ("Giấy chứng nhận số 149.01/GCN-CĐ1 ngày 28/01/2026", {"149.01/GCN-CĐ1"}),
    ("Phương án nổ mìn số 4989/PANM-G16 ngày 23/12/2026", {"4989/PANM-G16"}),
    ("hộ chiếu nổ mìn số 01/01/2026/HCNM - G16 nổ mìn hồi 17h45", {"01/01/2026/HCNM-G16"}),
    ("hộ chiếu nổ mìn số 03/3527/2026/HCNM nổ mìn", {"03/3527/2026/HCNM"}),
    ("Kế hoạch ứng cứu khẩn cấp số: 01/KH- GTYB ngày 01/7/2025", {"01/KH-GTYB"}),
    ("Căn cứ Văn bản xỐ 11654/ANKT-ANTCĐT ngày 02 tháng 7 năm 2026", {"11654/ANKT-ANTCĐT"}),
    ("theo Quy định\n58,\nđảm bảo chặt chẽ", {"58-QĐi"}),
    # an example marker far before a real citation in the same paragraph does not hide it
    ("Ví dụ như việc chậm triển khai các nhiệm vụ chuyển đổi số của Nghị quyết số 57-NQ/TW", {"57-NQ/TW"}),
    # OCR'd codes the type word or the issuer data repairs
    ("Thực hiện Kết luận số 224-KI/TU ngày 18/10/2021", {"224-KL/TU"}),
    ("Kết luận số 100-KLU/TW ngày 18/8/2014", {"100-KL/TW"}),
    ("Kế hoạch số 3260-KH/ĐĐQHI5 của Đảng đoàn Quốc hội", {"3260-KH/ĐĐQH15"}),
    ("Quyết định số\n1050/QĐĐ-SCTT ngày 06/3/2025 của Giám đốc Sở", {"1050/QĐ-SCT"}),
    ("theo Nghị định số 217/2025/NĐ-\nCP ngày 05/8/2025 của Chính phủ", {"217/2025/NĐ-CP"}),
    # spaces OCR put inside a symbol: a number split after "số", a code split where the joined
    # code is known, a dash read twice
    ("đáp ứng yêu cầu tại văn bản số 155 2/BTTTT-TTHvà 708/BTTTT-CAT TT; hoàn thành",
     {"1552/BTTTT-TTH", "708/BTTTT-CATTT"}),
    ("thay thế Quyết định số 15 7/2007/QĐ-TTg, Quyết định số 05/2022/QĐ-TTg", {"157/2007/QĐ-TTg", "05/2022/QĐ-TTg"}),
    ("đối với người có công theo NghịiquyẾtsố l 6/NQ-HĐNDcủaHĐ NDtỉnh", {"16/NQ-HĐND"}),
    ("(Kèm theo Kế hoạch số 1 1-KH/BCĐ, ngày 28/7/2026 của Ban Chỉ đạo tỉnh)", {"11-KH/BCĐ"}),
    ("Tham mưu triển khai quán triệt Nghị quyết 39- NQ/T U, ngày 05/4/2024 về xây dựng", {"39-NQ/TU"}),
    ("theo Nghị quyết số 66.7/2025/NQ-C P: sửa đổi quy định", {"66.7/2025/NQ-CP"}),
    ("còn lại Nghị quyết số 66.7/2025/N Q-CP\tVăn phòng UBND tỉnh", {"66.7/2025/NQ-CP"}),
    ("NV theo KH 05-KH/BC ĐTW\n34\tPhối hợp", {"05-KH/BCĐTW"}),
    ("Nghị quyết số 57-N Q/TW ngày 22/12/2024", {"57-NQ/TW"}),
    # the symbol's own type code glued to its number (a table cell "KH 38-KH/TU")
    ("30/9/2026\tKH38-KH/TU; KHO5-KH/BCĐTW", {"38-KH/TU", "05-KH/BCĐTW"}),
    # a line wrapped after the slash, when the next line opens with a code
    ("Nghị quyết số 57-NQ/\nTW ngày 22/12/2024", {"57-NQ/TW"}),
    ("Quyết định số 12/\nQĐ-UBND ngày 01/7/2025", {"12/QĐ-UBND"}),
    ("Nghị định số 15/2020/\nNĐ-CP của Chính phủ", {"15/2020/NĐ-CP"}),
    # ... and only there: no "số" before the digits, a fragment that makes no known code, a known code
    ("Trong 15 7/QĐ-UBND", {"7/QĐ-UBND"}),
    ("Văn bản số 12/UBND-VX UBND tỉnh chỉ đạo; Nghị quyết số 12/NQ-CP TW", {"12/UBND-VX", "12/NQ-CP"}),
    ("(Quyết định số 1902/QĐ- -UBND ngày 16/6/2025 và Quyết định số: 2339/QĐ-UBND ngày 12/12/2025",
     {"1902/QĐ-UBND", "2339/QĐ-UBND"}),
    # a capitalised type word glued to the word before (a lost space)
    ("sử dụng cán bộ, đảng viên có vấn đề lịch sử chính trị theoQuy\nđịnh\n58,\nđảm bảo", {"58-QĐi"}),
]


@pytest.mark.parametrize("text,expected", FOUND)
def test_found(text, expected):
    assert ids(text) == expected


# ------------------------------------------------------------------ things that are not documents

NOT_DOCUMENTS = [
    "Liên hệ: 0912.345.678 hoặc 0912-345-678",
    "Lữ đoàn 2 và Lữ đoàn 3 tổ chức diễn tập",
    "ban hành 16 văn bản (có biểu số 01 kèm theo)",
    "ngày 18/8/2014; từ ngày 01/4/2024-26/4/2024",
    "thành lập tổ công tác 03 của huyện",
    "Ban Chỉ đạo 35 tỉnh; BCĐ 35 huyện; Ban chỉ đạo 07",
    "Đoàn công tác số 2 làm việc tại xã",
    "phát hành Bản tin Thông tin nội bộ 07 số",
    "Nghị quyết Trung ương 4 (khóa XII) về xây dựng Đảng",
    "Nghị quyết Trung ương 9, 10 khóa XIII",
    "Kế hoạch số -KH/HU, ngày/01/2022",
    "Số [so]-CTr/BTGTU",
    "Số -CTr/ĐU",
    "để triển khai thực hiện Kế hoạch 5 năm và hằng năm",
    "xây dựng kế hoạch 06 tháng cuối năm 2025",
    "Kế hoạch 5 năm 2021-2025",
    "phục vụ 24/7 qua tổng đài",
    "Phòng HC-TH, LLCT-LSĐ, Phòng TT- TT",
    "Quý I/2023 và tháng 11/2023",
    "# Nghị quyết 20 - 2012",
    "Kết luận\t\t\t\t\n1\tKiểm tra, giám sát",
    "Tuyên truyền Luật Đất đai năm 2024",
    "triển khai Chương trình 135 giai đoạn III",
    "Kỷ niệm 94 năm (01/8/1930 - 01/8/2024)",
    "28-07-2026 18:08:51 +07:00",
    # numbers given as examples in a guideline, codes that are no documents
    "Ví dụ: Số: 15-HD/TU, ngày 10/3/2025",
    "ghi số và ký hiệu, chẳng hạn 15-HD/TU",
    "Ví dụ:\nĐẢNG BỘ TỈNH KHÁNH HOÀ\nBAN TUYÊN GIÁO\nSố: 15-HD/TU",
    "thiết bị do Trung tâm kiểm định thực hiện mã số 4638/TBĐ",
    "theo Quy định\n1. Mục đích",
    # a number split after "số" is mended only into a symbol; a split type code only into a known one
    "tổng số 15 7/2007 hồ sơ",
    "số 5-A B/TW",
    # a number glued to capitals that are not its type code
    "HĐND12-KH/TU",
    "mã hồ sơ ABC12/QĐ-UBND",
    # a slash at a line end before a word is no wrapped symbol
    "Số 12-KH/\nHà Nội, ngày 05/3/2025",
    "tính đến ngày 15/9/\nHội đồng nhân dân xã",
]


@pytest.mark.parametrize("text", NOT_DOCUMENTS)
def test_not_documents(text):
    assert ids(text) == set()


# ------------------------------------------------------------------ the document's own number

OWN = [
    ("Số 57-NQ/TW\nHà Nội, ngày 22 tháng 12 năm 2024\n\nNGHỊ QUYẾT\n", None, set()),
    ("      Số: 134 /KH-UBND        Lào Cai, ngày 26 tháng 3 năm 2026\n", None, set()),
    ("Số 104 -CTr/TU\n\nThực hiện Kết luận số 75-KL/TW ngày 28/7/2026;\n"
     "Chương trình hành động số 104 gồm", None, {"75-KL/TW"}),
    ("(Kèm theo Kế hoạch số 11-KH/BCĐ)\n*Số 11-KH/BCĐ*\n", None, set()),
    ("Trên đây là Kế hoạch số 143-KH/BTGTU; thực hiện Kết luận số 01-KL/TW", "143 – KH/BTGTU", {"01-KL/TW"}),
    ("Thực hiện Kế hoạch số 143-KH/BTGTU", "Số 12-KH/HU", {"143-KH/BTGTU"}),
    ("Kế hoạch số -KH/HU, ngày/01/2022 của Huyện ủy", "-KH/HU", set()),
    # an OCR-split own number is mended as its citations are
    ("Số 1 1-KH/BCĐ\n\n(Kèm theo Kế hoạch số 1 1-KH/BCĐ, ngày 28/7/2026)", None, set()),
]


@pytest.mark.parametrize("text,own,expected", OWN)
def test_own_number_is_not_a_reference(text, own, expected):
    assert ids(text, own_number=own) == expected


# ------------------------------------------------------------------ short forms

SHORT = [
    # joins the full reference of the same type and number
    ("Chỉ thị số 05-CT/TW của Bộ Chính trị. Chuyên đề Chỉ thị 05 năm 2024 (tháng 5).",
     {"05-CT/TW"}, {"05-CT/TW": ["full", "short"]}),
    ("Chuyên đề Chỉ thị 05 năm 2024. Sau đó Chỉ thị số 05-CT/TW về đẩy mạnh",
     {"05-CT/TW"}, {"05-CT/TW": ["short", "full"]}),
    ("Chi thị 05 năm 2024 tại một số chi bộ; Chỉ thị 05 - CT/TW hàng quý",
     {"05-CT/TW"}, {"05-CT/TW": ["short", "full"]}),
    ("Nghị quyết số 35-NQ/TW, ngày 22/10/2018; sơ kết Nghị quyết 35 trên địa bàn",
     {"35-NQ/TW"}, {"35-NQ/TW": ["full", "short"]}),
    ("Kết luận số 224-KL/TU; thực hiện Kết Luận 224 của Tỉnh ủy",
     {"224-KL/TU"}, {"224-KL/TU": ["full", "short"]}),
    ("Quy chế 238-QĐ/TW và Quyết định số 238-QĐ/TW; phối hợp theo Quy chế 238",
     {"238-QĐ/TW"}, {"238-QĐ/TW": ["full", "full", "short"]}),
    ("các báo cáo theo NQ 57. Nghị quyết số 57-NQ/TW", {"57-NQ/TW"}, {"57-NQ/TW": ["short", "full"]}),
    # without a full mention: NUMBER-ABBR
    ("Thực hiện nhiệm vụ phối hợp theo Quy chế 238 phối hợp giữa ban tuyên giáo", {"238-QC"},
     {"238-QC": ["short"]}),
    ("Đề án 1327 của Tỉnh ủy", {"1327-ĐA"}, {"1327-ĐA": ["short"]}),
    ("Chuyên đề Chỉ thị 05 năm 2024", {"05-CT"}, {"05-CT": ["short"]}),
    ("chống thất thu theo Chỉ thị 18 của Thủ tướng", {"18-CT"}, {"18-CT": ["short"]}),
    ("Kế hoạch số 12 của Đảng ủy", {"12-KH"}, {"12-KH": ["short"]}),
    # a different type or number does not join
    ("Chỉ thị số 05-CT/TW; Kết luận 05 của Tỉnh ủy", {"05-CT/TW", "05-KL"},
     {"05-CT/TW": ["full"], "05-KL": ["short"]}),
    ("Nghị quyết số 35-NQ/TW; Nghị quyết 36 về biển", {"35-NQ/TW", "36-NQ"},
     {"35-NQ/TW": ["full"], "36-NQ": ["short"]}),
]


@pytest.mark.parametrize("text,expected,forms", SHORT)
def test_short_forms(text, expected, forms):
    refs = find_references(text)
    assert {r.id for r in refs} == expected
    assert {r.id: [m.form for m in r.mentions] for r in refs} == forms


def test_short_form_joins_the_nearest_preceding_of_two_candidates():
    text = ("Chỉ thị số 17-CT/TW của Ban Bí thư. Chỉ thị số 17-CT/TU của Tỉnh ủy. "
            "Sơ kết Chỉ thị 17 trên địa bàn.")
    by_id = {r.id: r for r in find_references(text)}
    assert [m.form for m in by_id["17-CT/TU"].mentions] == ["full", "short"]
    assert [m.form for m in by_id["17-CT/TW"].mentions] == ["full"]


# ------------------------------------------------------------------ kinds

KINDS = [
    ("Hướng dẫn triển khai thực hiện Quy định số 99-QĐ/TW ngày 27/02/2023", "99-QĐ/TW", "quy_dinh"),
    ("theo Quy định 137-QĐ/TW, ngày 01/12/2023 của Ban Bí thư", "137-QĐ/TW", "quy_dinh"),
    ("Quyết định số 238-QĐ/TW, ngày 30/9/2020", "238-QĐ/TW", "quyet_dinh"),
    ("5. Thực hiện theo Quy chế 238-QĐ/TW\nphối hợp thực hiện Quyết định số 238-QĐ/TW, ngày 30/9/2020, "
     "và Quyết định số 238-QĐ/TW ngày 30/9/2020", "238-QĐ/TW", "quyet_dinh"),
    ("thực hiện 238-QĐ/TW của Ban Bí thư", "238-QĐ/TW", "quyet_dinh"),
    ("số 738-BC/BTGTU, ngày 26/4/2024", "738-BC/BTGTU", "bao_cao"),
    ("số 1987-CV/BTGTU ngày 15/5/2024", "1987-CV/BTGTU", "cong_van"),
    ("Chương trình hành động số 31-CTr/TW ngày 28/7/2026", "31-CTr/TW", "chuong_trinh"),
    ("Đề án số 03-ĐA/TU, ngày 16/3/2022", "03-ĐA/TU", "de_an"),
    ("Nghị định số 30/2020/NĐ-CP", "30/2020/NĐ-CP", "nghi_dinh"),
    ("Luật số 146/2025/QH15 của Quốc hội", "146/2025/QH15", "luat"),
    ("theo Kết luận số 21/KL-BCA", "21/KL-BCA", "ket_luan"),
    ("Thực hiện Quy chế làm việc số 01-QC/ĐU", "01-QC/ĐU", "quy_che"),
    ("Tờ trình số 562-TTr/ĐU ngày 13/3/2026", "562-TTr/ĐU", "to_trinh"),
    ("Quyết định số 598/QĐ-TTg ngày 14/3/2025", "598/QĐ-TTg", "quyet_dinh"),
    ("Nghị quyết số 71/NQ-CP ngày 01/4/2025", "71/NQ-CP", "nghi_quyet"),
    ("theo văn bản số 1289/UBND-TH ngày 23/02/2026", "1289/UBND-TH", "cong_van"),
    ("Thông tư số 12/2024/TT-BTC", "12/2024/TT-BTC", "thong_tu"),
    ("Thông tri số 05-TT/TW", "05-TT/TW", "thong_tri"),
    ("Quy chế 238 phối hợp", "238-QC", "quy_che"),
]


@pytest.mark.parametrize("text,rid,kind", KINDS)
def test_kind(text, rid, kind):
    assert ref(text, rid).kind == kind


def test_every_yaml_kind_is_a_contract_kind():
    assert set(_grammar().abbr) <= set(typing.get_args(DocType))


# ------------------------------------------------------------------ dates, issuer, term, subject

DATES = [
    ("Kết luận số 100 – KL/TW, ngày 18/8/2014 của Ban Bí thư", "100-KL/TW", "2014-08-18"),
    ("Kế hoạch số 206-KH/TU ngày 13/11/2019 của Tỉnh ủy", "206-KH/TU", "2019-11-13"),
    ("Nghị định số 35/2022/NĐ-CP ngày 28 tháng 5 năm 2022 của Chính phủ", "35/2022/NĐ-CP", "2022-05-28"),
    ("Nghị quyết số 34-NQ/TU của Tỉnh uỷ Lào Cai ngày 27/12/2025 về", "34-NQ/TU", "2025-12-27"),
    ("Quyết định số 238-QĐ/TW, ngày 30/9/2020, của Ban Bí thư", "238-QĐ/TW", "2020-09-30"),
    ("Chỉ thịsố51-CT/TW ngày 8/8/2025 của Ban Bí thư", "51-CT/TW", "2025-08-08"),
    ("Kết luận số 49-KL/TW ngày 10/5/2019 và số 50-KL/TW, ngày 30/5/2019", "50-KL/TW", "2019-05-30"),
    ("Kết luận số 49-KL/TW ngày 10/5/2019 và số 50-KL/TW, ngày 30/5/2019", "49-KL/TW", "2019-05-10"),
    ("thực hiện Kết luận số 75-KL/TW, ngày _\ncủa Ban Chấp hành", "75-KL/TW", None),
    ("Quy định số 85-QĐ/TW của Ban Bí thư về việc", "85-QĐ/TW", None),
    ("Chỉ thị 05-CT/TW năm 2024. Chỉ thị số 05-CT/TW, ngày 15/5/2016 của Bộ Chính trị", "05-CT/TW",
     "2016-05-15"),
    ("Kết luận số 01-KL/TW ngày 31/02/2021", "01-KL/TW", None),
]


@pytest.mark.parametrize("text,rid,date", DATES)
def test_issued_date(text, rid, date):
    assert ref(text, rid).issued_date == date


ATTRIBUTES = [
    ("Chỉ thị số 17-CT/TW, ngày 15/10/2007 của Ban Bí thư (Khóa X) về tiếp tục đổi mới và nâng cao; sau",
     "17-CT/TW", "Ban Bí thư", "X", "về tiếp tục đổi mới và nâng cao"),
    ("Nghị quyết số 33-NQ/TW, ngày 09/6/2014 của Ban Chấp hành Trung ương Đảng khoá XI về xây dựng, "
     "phát triển văn hoá.", "33-NQ/TW", "Ban Chấp hành Trung ương Đảng", "XI", "về xây dựng, phát triển văn hoá"),
    ("Kết luận số 49-KL/TW, ngày 10/5/2019 của Ban Bí thư, khóa XII về tiếp tục thực hiện Chỉ thị",
     "49-KL/TW", "Ban Bí thư", "XII", "về tiếp tục thực hiện Chỉ thị"),
    ("Kế hoạch số 143 – KH/BTGTU, ngày 11/01/2024 của Ban Tuyên giáo Tỉnh ủy về công tác Tuyên giáo năm 2024;",
     "143-KH/BTGTU", "Ban Tuyên giáo Tỉnh ủy", None, "về công tác Tuyên giáo năm 2024"),
    ("Quyết định số 320-QĐ/TU, ngày 06/4/2026 của Tỉnh ủy Khánh Hòa về kiện toàn", "320-QĐ/TU",
     "Tỉnh ủy Khánh Hòa", None, "về kiện toàn"),
    ("Kết luận số 21/KL-BCA của Bộ Công an).", "21/KL-BCA", "Bộ Công an", None, None),
]


@pytest.mark.parametrize("text,rid,issuer,term,subject", ATTRIBUTES)
def test_issuer_term_subject(text, rid, issuer, term, subject):
    r = ref(text, rid)
    assert (r.issuer, r.term, r.subject) == (issuer, term, subject)


# ------------------------------------------------------------------ relations

RELATIONS = [
    ("KẾ HOẠCH\nCông tác năm 2024\n\nThực hiện Kế hoạch số 143-KH/BTGTU, ngày 11/01/2024;\n\n"
     "I. MỤC ĐÍCH\nTriển khai Kết luận số 01-KL/TW.", {"143-KH/BTGTU": "implements", "01-KL/TW": "mentions"}),
    ("I. NHIỆM VỤ\n2\tTổng kết 15 năm thực hiện Chỉ thị số 38 – CT/TW, ngày 07/9/2009 của Ban Bí thư",
     {"38-CT/TW": "reviews"}),
    ("I. NHIỆM VỤ\nTham mưu báo cáo sơ kết 05 năm thực hiện Quy định 208-QĐ/TW, ngày 08/11/2019",
     {"208-QĐ/TW": "reviews"}),
    ("I. NHIỆM VỤ\nBáo cáo sơ kết 03 năm triển khai thực hiện Kết luận số 01-KL/TW ngày 18/5/2021 của "
     "Bộ Chính trị về tiếp tục thực hiện Chỉ thị số 05-CT/TW về đẩy mạnh",
     {"01-KL/TW": "reviews", "05-CT/TW": "mentions"}),
    ("I. NHIỆM VỤ\n1\tTham mưu Huyện ủy triển khai văn bản thay thế Kết luận số 100 – KL/TW, ngày 18/8/2014",
     {"100-KL/TW": "replaces"}),
    ("I. NHIỆM VỤ\nXây dựng Nghị định (thay thế Nghị định số 87/2021/NĐ-CP và Nghị định số 97/2023/NĐ-CP)",
     {"87/2021/NĐ-CP": "replaces", "97/2023/NĐ-CP": "replaces"}),
    ("I. NHIỆM VỤ\nQuyết định số 929/QĐ-TTg ngày 15/5/2025 thay thế Quyết định số 598/QĐ-TTg",
     {"929/QĐ-TTg": "mentions", "598/QĐ-TTg": "replaces"}),
    ("I. NHIỆM VỤ\nSau 10 năm thực hiện Nghị quyết số 20-NQ/TW, khoa học phát triển",
     {"20-NQ/TW": "reviews"}),
]


@pytest.mark.parametrize("text,expected", RELATIONS)
def test_relations(text, expected):
    got = {r.id: r.mentions[0].relation for r in find_references(text)}
    assert got == expected


# ------------------------------------------------------------------ basis

BASIS = [
    # preamble "Thực hiện …" after the title
    ("KẾ HOẠCH\nCông tác Tuyên giáo năm 2024\n\nThực hiện Kế hoạch số 143 – KH/BTGTU, ngày 11/01/2024 của "
     "Ban Tuyên giáo Tỉnh ủy;\n\nThực hiện chương trình công tác của Ban Chấp hành năm 2024:\n\n"
     "I. MỤC ĐÍCH, YÊU CẦU\n- Tổ chức học tập Nghị quyết số 14-NQ/TU, ngày 20/11/2023", ["143-KH/BTGTU"]),
    # title "Thực hiện …" and preamble; a body reference is not basis
    ("KẾ HOẠCH\n\nThực hiện Kết luận số 224-KL/TU, ngày 18/10/2021 của Ban Chấp hành\nĐảng bộ tỉnh\n\n"
     "Thực hiện Kết luận số 224-KL/TU, ngày 18/10/2021, Ban Chấp hành xây dựng kế hoạch như sau:\n\n"
     "I- MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\nCụ thể hóa Kết luận 224-KL/TU và Kế hoạch 61-KH/TU", ["224-KL/TU"]),
    # no preamble at all
    ("BÁO CÁO\nkết quả tháng 5\n\nI- CÔNG TÁC THAM MƯU\nthực hiện Nghị quyết số 41-NQ/TW, ngày 10/10/2023", []),
    # a table right after the title: nothing before it implements
    ("CHƯƠNG TRÌNH\nCông tác tháng 11/2023\n\nStt\tNội dung\n1\tThực hiện Kết luận số 57-KL/TW\tPhòng", []),
    # title block under the all-caps type line, lowercase "thực hiện", two documents
    ("CHƯƠNG TRÌNH HÀNH ĐỘNG\nthực hiện Kết luận số 75-KL/TW ngày 28/7/2026 của Ban Chấp hành\n"
     "Trung ương Đảng khóa XIV và Chương trình hành động số 31-CTr/TW\n\n1- MỤC ĐÍCH\n",
     ["75-KL/TW", "31-CTr/TW"]),
    # "Căn cứ" paragraph wrapped over lines, several documents
    ("KẾ HOẠCH\n      Căn cứ Nghị định số 35/2022/NĐ-CP ngày 28 tháng 5 năm 2022 của Chính\nphủ về quản lý; "
     "Nghị định số 32/2024/NĐ-CP ngày 15 tháng 3 năm 2024 của\nChính phủ, nội dung như sau:\n"
     "      I. MỤC ĐÍCH, YÊU CẦU\n", ["35/2022/NĐ-CP", "32/2024/NĐ-CP"]),
    # a preamble paragraph that does not start with a trigger word
    ("Kính gửi: các đồng chí\n\nVăn phòng Trung ương Đảng có văn bản số 15000-CV/VPTW ngày 23/5/2025 gửi "
     "Đảng ủy.\n\nCăn cứ chức năng, nhiệm vụ của Ban Thường vụ, đề nghị cho ý kiến.\n", []),
    # a reviewed document in the preamble is not implemented
    ("BÁO CÁO\nThực hiện Kế hoạch số 20-KH/TU về sơ kết 5 năm thực hiện Nghị quyết số 35-NQ/TW:\n\nI. KẾT QUẢ\n",
     ["20-KH/TU"]),
    # what the cited document itself implements is not this document's basis
    ("Kính gửi: các chi bộ\n\nThực hiện Chương trình hành động số 104-CTr/TU ngày 30/8/2026 của Tỉnh ủy thực hiện "
     "Kết luận số 75-KL/TW ngày 28/7/2026 và Chương trình hành động số 31-CTr/TW của Bộ Chính trị. Đảng ủy "
     "đề nghị như sau:\n1. Ủy ban nhân dân tỉnh\n", ["104-CTr/TU"]),
    ("KẾ HOẠCH\nThực hiện Hướng dẫn số 12-HD/BTGTU của Ban Tuyên giáo về triển khai Nghị quyết số 57-NQ/TW; "
     "Căn cứ Quyết định số 320-QĐ/TU ngày 06/4/2026,\n\nI. MỤC ĐÍCH\n", ["12-HD/BTGTU", "320-QĐ/TU"]),
]


@pytest.mark.parametrize("text,expected", BASIS)
def test_basis_detects_preamble(text, expected):
    refs = find_references(text)
    assert find_basis(text, refs) == expected


def test_basis_with_given_spans():
    title = "Chương trình hành động thực hiện Kết luận số 75-KL/TW của Ban Chấp hành Trung ương"
    preamble = "Văn phòng có văn bản số 15000-CV/VPTW.\nCăn cứ Quyết định số 320-QĐ/TU, ngày 06/4/2026;"
    body = "\nI. MỤC ĐÍCH\nQuán triệt Nghị quyết số 57-NQ/TW"
    text = f"CHƯƠNG TRÌNH\n{title}\n\n{preamble}\n{body}"
    t0 = text.index(title)
    p0 = text.index(preamble)
    spans = {"preamble": (p0, p0 + len(preamble)), "title": (t0, t0 + len(title))}
    refs = find_references(text, **spans)
    basis = find_basis(text, refs, **spans)
    assert basis == ["75-KL/TW", "320-QĐ/TU"]
    relations = {r.id: r.mentions[0].relation for r in refs}
    assert relations["75-KL/TW"] == relations["320-QĐ/TU"] == "implements"
    assert relations["15000-CV/VPTW"] == relations["57-NQ/TW"] == "mentions"


TITLES = [
    ("Kết quả thực hiện nhiệm vụ quý III", []),
    ("Báo cáo sơ kết 5 năm thực hiện Nghị quyết số 35-NQ/TW", []),          # reviews, not implements
    ("Kế hoạch triển khai thực hiện Nghị quyết số 57-NQ/TW", ["57-NQ/TW"]),
    ("Về việc cho ý kiến đối với Nghị quyết số 57-NQ/TW", []),
]


@pytest.mark.parametrize("title,expected", TITLES)
def test_basis_from_given_title(title, expected):
    text = f"BÁO CÁO\n{title}\n\nI. KẾT QUẢ\n"
    t0 = text.index(title)
    refs = find_references(text)
    assert find_basis(text, refs, preamble=(t0 + len(title), t0 + len(title)), title=(t0, t0 + len(title))) == expected


# ------------------------------------------------------------------ spans

ALL_TEXTS = [t for t, _ in FOUND] + NOT_DOCUMENTS + [t for t, *_ in SHORT] + [t for t, *_ in KINDS] \
    + [t for t, *_ in DATES] + [t for t, *_ in ATTRIBUTES] + [t for t, _ in RELATIONS] + [t for t, _ in BASIS]


@pytest.mark.parametrize("text", ALL_TEXTS)
def test_spans_point_at_mention_text(text):
    for r in find_references(text):
        assert r.mentions, r.id
        for m in r.mentions:
            s, e = m.span
            assert 0 <= s < e <= len(text)
            assert text[s:e] == m.text


def test_mention_covers_type_word_symbol_date_and_issuer():
    text = "- Thực hiện Kết luận số 100 – KL/TW, ngày 18/8/2014 của Ban Bí thư về việc đổi mới."
    (m,) = ref(text, "100-KL/TW").mentions
    assert m.text == "Kết luận số 100 – KL/TW, ngày 18/8/2014 của Ban Bí thư"
    assert m.form == "full"


def test_one_reference_per_id_with_all_mentions_in_order():
    text = ("Chỉ thị số 17-CT/TW, ngày 15/10/2007. Chỉ thị số 17-CT/TU, ngày 14/7/2022. "
            "Lại Chỉ thị số 17-CT/TW.")
    refs = find_references(text)
    assert [r.id for r in refs] == ["17-CT/TW", "17-CT/TU"]
    starts = [m.span[0] for m in refs[0].mentions]
    assert len(starts) == 2 and starts == sorted(starts)


# ------------------------------------------------------------------ scope of local numbers

SCOPE = [
    ("Nghị quyết số 14-NQ/TU của Tỉnh ủy", "14-NQ/TU", "Bình Phước", "14-NQ/TU@Bình Phước"),
    ("Kế hoạch số 143-KH/BTGTU", "143-KH/BTGTU", "Bình Phước", "143-KH/BTGTU@Bình Phước"),
    ("Kế hoạch số 250-KH/HU", "250-KH/HU", "Lâm Châu", "250-KH/HU@Lâm Châu"),
    ("Kết luận số 100-KL/TW", "100-KL/TW", "Bình Phước", "100-KL/TW"),
    ("Nghị định số 30/2020/NĐ-CP", "30/2020/NĐ-CP", "Bình Phước", "30/2020/NĐ-CP"),
    ("Nghị quyết số 14-NQ/TU của Tỉnh ủy", "14-NQ/TU", None, "14-NQ/TU"),
]


@pytest.mark.parametrize("text,rid,province,qualified", SCOPE)
def test_local_numbers_are_qualified_by_province(text, rid, province, qualified):
    r = ref(text, rid, province=province)
    assert r.id == rid
    assert r.qualified_id == qualified


# ------------------------------------------------------------------ canonical ids

CANONICAL = [
    ("100 – KL/TW", "100-KL/TW"),
    ("100 — KL / TW", "100-KL/TW"),
    ("57\\-NQ/TW", "57-NQ/TW"),
    ("30/2020/NĐ–CP", "30/2020/NĐ-CP"),
    ("05-CT/TW", "05-CT/TW"),
    ("Số: 134 /KH-UBND", "134/KH-UBND"),
    ("Số 104 -CTr/TU", "104-CTr/TU"),
    ("75-KL/TVV", "75-KL/TW"),
    ("238-QĐĐ/TW", "238-QĐ/TW"),        # OCR of scans (bench/bench_scans.py): Đ doubled, KL → KIL / KU
    ("224-KIL/TU", "224-KL/TU"),
    ("57-KU/TW", "57-KL/TW"),
    ("01-CTr/BTGTU-HĐND-UBND-TA-VKS", "01-CTr/BTGTU-HĐND-UBND-TA-VKS"),
    ("27-QĐi/TU", "27-QĐi/TU"),
    ("3260-KH/ĐĐQH15", "3260-KH/ĐĐQH15"),
    ("75-\nKL/TW", "75-KL/TW"),
]


@pytest.mark.parametrize("raw,expected", CANONICAL)
def test_canonical_id(raw, expected):
    assert canonical_id(raw) == expected


def test_grammar_is_loaded_once():
    assert _grammar() is _grammar()


# ------------------------------------------------------------------ seed gold

def _seed_cases():
    gold_dir = ROOT / "corpus" / "gold" / "seeds"
    return sorted(gold_dir.glob("*.json")) if gold_dir.is_dir() else []


@pytest.mark.parametrize("gold_path", _seed_cases(), ids=lambda p: p.stem)
def test_seed_gold(gold_path):
    from extractor.normalize import normalize_text
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text = normalize_text((ROOT / "corpus" / "seeds" / f"{gold_path.stem}.txt").read_text(encoding="utf-8")).text
    refs = find_references(text, own_number=gold["meta"].get("number"))
    got = {r.id: (r.kind, r.issued_date) for r in refs}
    want = {r["id"]: (r["kind"], r["issued_date"]) for r in gold.get("references", [])}
    if "references" in gold:
        assert got == want
    if "basis" in gold["meta"]:
        assert find_basis(text, refs) == gold["meta"]["basis"]


def test_whole_reference_objects_with_mentions_scope_and_qualified_id():
    from factories import reference

    text = ("Thực hiện Nghị quyết số 14-NQ/TU ngày 05/3/2024 của Tỉnh ủy và Kết luận số 100-KL/TW;\n"
            "triển khai Nghị quyết 14-NQ/TU trong toàn Đảng bộ.\n")
    assert find_references(text, province="Bình Phước") == [
        reference("14-NQ/TU", text, "Nghị quyết số 14-NQ/TU ngày 05/3/2024 của Tỉnh ủy", "Nghị quyết 14-NQ/TU",
                  kind="nghi_quyet", issued_date="2024-03-05", issuer="Tỉnh ủy", relation="implements",
                  scope="local", qualified_id="14-NQ/TU@Bình Phước"),
        reference("100-KL/TW", text, "Kết luận số 100-KL/TW", kind="ket_luan", relation="implements",
                  scope="central"),
    ]
