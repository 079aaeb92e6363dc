"""Responsible units: cells and prose assignments → unit entities (extractor/units.py)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from extractor.api import extract_text
from extractor.units import find_assignments, normalize_name, parse_units, split_units, unify_spelling

ROOT = Path(__file__).resolve().parents[1]

# (cell, [(normalized name, kind)]) — cells as they appear in the seed tables and corpus-real
CELLS = [
    ("Phòng HC-TH, KG, VH-VN",
     [("Phòng Hành chính - Tổng hợp, Khoa giáo, Văn hóa - Văn nghệ", "organization")]),
    ("Ban TG, TH các cấp ủy trực thuộc", [("Ban Tuyên giáo, TH các cấp ủy trực thuộc", "collective")]),
    ("- BTG các huyện ủy, thành ủy, đảng ủy trực thuộc tỉnh. - Các đơn vị có liên quan.",
     [("Ban Tuyên giáo các huyện ủy, thành ủy, đảng ủy trực thuộc tỉnh", "collective"),
      ("Các đơn vị có liên quan", "collective")]),
    ("Ban Tuyên giáo, Văn phòng Huyện ủy",
     [("Ban Tuyên giáo", "organization"), ("Văn phòng Huyện ủy", "organization")]),
    ("UBKT Huyện ủy, Ban TG Huyện ủy",
     [("Ủy ban Kiểm tra Huyện ủy", "organization"), ("Ban Tuyên giáo Huyện ủy", "organization")]),
    ("Phòng Tài chính - Kế hoạch, Ban Quản lý dự án, Đảng ủy các xã, thị trấn Phòng Văn hóa Thông tin",
     [("Phòng Tài chính - Kế hoạch", "organization"), ("Ban Quản lý dự án", "organization"),
      ("Đảng ủy các xã, thị trấn", "collective"), ("Phòng Văn hóa Thông tin", "organization")]),
    ("- Sở Văn hóa, Thể thao và Du lịch tỉnh. - Bộ Chỉ huy Quân sự tỉnh. - Các cấp ủy trực thuộc.",
     [("Sở Văn hóa, Thể thao và Du lịch tỉnh", "organization"), ("Bộ Chỉ huy Quân sự tỉnh", "organization"),
      ("Các cấp ủy trực thuộc", "collective")]),
    ("Văn phòng Huyện ủy, các chi, đảng bộ trực thuộc",
     [("Văn phòng Huyện ủy", "organization"), ("Các chi, đảng bộ trực thuộc", "collective")]),
    ("Các cơ quan, ban, ngành, đoàn thể huyện, các xã, thị trấn",
     [("Các cơ quan, ban, ngành, đoàn thể huyện", "collective"), ("Các xã, thị trấn", "collective")]),
    ("- Phối hợp Hội VHNT tỉnh; Liên hiệp các Hội KH-KT và các đơn vị có liên quan.",
     [("Hội Văn học nghệ thuật tỉnh", "organization"), ("Liên hiệp các Hội Khoa học - Kỹ thuật", "organization"),
      ("Các đơn vị có liên quan", "collective")]),
    ("- Trường Chính trị tỉnh - Các Trung tâm chính trị huyện",
     [("Trường Chính trị tỉnh", "organization"), ("Các Trung tâm chính trị huyện", "collective")]),
    ("Trưởng ban, Phó trưởng ban", [("Trưởng ban", "position"), ("Phó trưởng ban", "position")]),
    ("Thường xuyên", []),
    ("Phòng TT- TT", [("Phòng TT-TT", "organization")]),
    ("MTTQ và các đoàn thể huyện, các chi, đảng bộ trực thuộc",
     [("Mặt trận Tổ quốc", "organization"), ("Các đoàn thể huyện", "collective"),
      ("Các chi, đảng bộ trực thuộc", "collective")]),
    ("- Ban Nội chính TU; Ủy ban Kiểm tra TU; - Ban Cán sự Đảng UBND tỉnh; - Ban TG các cấp ủy trực thuộc.",
     [("Ban Nội chính Tỉnh ủy", "organization"), ("Ủy ban Kiểm tra Tỉnh ủy", "organization"),
      ("Ban Cán sự Đảng Ủy ban nhân dân tỉnh", "organization"),
      ("Ban Tuyên giáo các cấp ủy trực thuộc", "collective")]),
    ("Đảng ủy Ủy ban nhân dân tỉnh", [("Đảng ủy Ủy ban nhân dân tỉnh", "organization")]),
    ("Bộ Thông tin và Truyền thông Bộ Khoa học và Công nghệ",
     [("Bộ Thông tin và Truyền thông", "organization"), ("Bộ Khoa học và Công nghệ", "organization")]),
    ("Bộ Công an, Bộ Lao động - Thương binh và Xã hội,Thanh tra Chính phủ, các bộ, ngành và địa phương",
     [("Bộ Công an", "organization"), ("Bộ Lao động - Thương binh và Xã hội", "organization"),
      ("Thanh tra Chính phủ", "organization"), ("Các bộ, ngành và địa phương", "collective")]),
    ("Văn phòng UBND tỉnh (theo dõi, đôn đốc, tổng hợp chung)",
     [("Văn phòng Ủy ban nhân dân tỉnh", "organization")]),
    ("Ủy ban MTTQ Việt Nam tỉnh", [("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "organization")]),
    ("Đối với nhiệm vụ liên ngành, cơ quan", []),
    ("Ban tuyên giáo Huyện uỷ", [("Ban Tuyên giáo Huyện ủy", "organization")]),
]


@pytest.mark.parametrize("cell,expected", CELLS, ids=[c for c, _ in CELLS])
def test_cells(cell, expected):
    units = split_units(cell)
    assert [(u.name, u.kind) for u in units] == expected
    for u in units:  # the text as written, at its span
        assert cell[u.span[0]:u.span[1]] == u.text
        assert u.collective == (u.kind == "collective")


def test_role_prefix_and_separators_are_not_part_of_the_unit():
    units = split_units("- Phối hợp Hội VHNT tỉnh; Liên hiệp các Hội KH-KT.")
    assert [u.text for u in units] == ["Hội VHNT tỉnh", "Liên hiệp các Hội KH-KT"]


def test_unify_spelling_keeps_offsets():
    s = "Uỷ ban, văn hoá, Thuỷ lợi, hoàn thành"
    assert len(unify_spelling(s)) == len(s)
    assert unify_spelling(s) == "Ủy ban, văn hóa, Thủy lợi, hoàn thành"


@pytest.mark.parametrize("written,name", [
    ("BTGTU", "Ban Tuyên giáo Tỉnh ủy"), ("BCĐ 35 huyện", "Ban Chỉ đạo 35 huyện"),
    ("Phòng LĐTBXH", "Phòng Lao động - Thương binh và Xã hội"), ("HĐND tỉnh", "Hội đồng nhân dân tỉnh"),
    ("VP Huyện ủy", "Văn phòng Huyện ủy"), ("Phòng VH-TT", "Phòng Văn hóa - Thông tin"),
    ("các chi, đảng bộ trực thuộc", "Các chi, đảng bộ trực thuộc"),
    ("Phòng TT-TT", "Phòng TT-TT"),  # ambiguous abbreviations stay as written
    # a canonical name's own casing; only as whole words
    ("ban tuyên giáo huyện", "Ban Tuyên giáo huyện"), ("BAN QUẢN LÝ DỰ ÁN tỉnh", "Ban Quản lý dự án tỉnh"),
    ("ủy ban nhân dân xã", "Ủy ban nhân dân xã"), ("ban chỉ đạoX", "Ban chỉ đạoX"),
])
def test_normalize_name(written, name):
    assert normalize_name(written) == name


PROSE = [
    ("Giao Sở Công Thương chủ trì, phối hợp với Sở Tài chính, các sở, ngành liên quan hướng dẫn thực hiện.",
     [("lead", "Sở Công Thương"), ("partner", "Sở Tài chính"), ("partner", "Các sở, ngành liên quan")]),
    ("- Ban Tuyên giáo Trung ương chủ trì, phối hợp với các cơ quan liên quan hướng dẫn việc quán triệt.",
     [("lead", "Ban Tuyên giáo Trung ương"), ("partner", "Các cơ quan liên quan")]),
    ("Định kỳ, Thường trực Ủy ban KH,CN&MT của Quốc hội chủ trì, phối hợp với Văn phòng Quốc hội tổng hợp.",
     [("lead", "Thường trực Ủy ban KH,CN&MT của Quốc hội"), ("partner", "Văn phòng Quốc hội")]),
    ("Chính phủ, Thủ tướng giao Bộ Ngoại giao chủ trì: hỗ trợ kiều bào.", [("lead", "Bộ Ngoại giao")]),
    ("Phối hợp chặt chẽ với các cơ quan chủ trì trong tổ chức thực hiện.", []),
    ("Rõ cơ quan chủ trì, cơ quan phối hợp, sản phẩm đầu ra.", []),
    ("giao quyền tự chủ cho tổ chức, cá nhân chủ trì nhiệm vụ khoa học.", []),
    ("UBND phường Lào Cai chủ trì, phối hợp với Sở Xây dựng, Ban Quản lý khu kinh tế triển khai.",
     [("lead", "Ủy ban nhân dân phường Lào Cai"), ("partner", "Sở Xây dựng"),
      ("partner", "Ban Quản lý khu kinh tế")]),
]


@pytest.mark.parametrize("text,expected", PROSE, ids=[p[:40] for p, _ in PROSE])
def test_prose_assignments(text, expected):
    units = find_assignments(text)
    assert [(u.role, u.name) for u in units] == expected
    for u in units:
        assert text[u.span[0]:u.span[1]] == u.text


def test_pipeline_fills_task_units_with_document_spans():
    text = (ROOT / "corpus" / "seeds" / "002_3b8fe34c36ceecd9.txt").read_text(encoding="utf-8")
    doc = extract_text(text, doc_id="002").model_dump()
    seen = 0
    for t in doc["tasks"]:
        for key, cell in (("lead_units", t["lead"]), ("partner_units", t["partners"])):
            for u in t[key]:
                seen += 1
                assert u["span"] is not None
                s, e = u["span"]
                assert doc["text"][s:e] == u["text"]
                assert t["span"][0] <= s < e <= t["span"][1]
            if cell and cell.strip() not in ("Thường xuyên",):
                assert t[key], f"no unit found in {cell!r}"
    assert seen > 20


def test_seed_cells_every_gold_cell_gives_units_or_is_not_a_unit():
    """Over every lead/partner cell of the seed gold, the units' text covers the cell's letters."""
    import re

    for gold in sorted((ROOT / "corpus" / "gold" / "seeds").glob("*.json")):
        for t in json.loads(gold.read_text(encoding="utf-8")).get("tasks", []):
            for cell in (t.get("lead"), t.get("partners")):
                if not cell or cell == "Thường xuyên":
                    continue
                units, dropped = parse_units(cell)
                covered = "".join(cell[u.span[0]:u.span[1]] for u in units)
                letters = lambda s: re.sub(r"[\W_]|\bvà\b", "", s.replace("Phối hợp", ""))  # noqa: E731
                assert letters(covered) == letters(cell), (cell, [u.text for u in units])


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="Ban Sở Phòng các xã, thị trấn; - . và UBND Huyện ủy()\n", max_size=80))
def test_spans_always_point_at_the_text(cell):
    for u in split_units(cell, base=0):
        assert 0 <= u.span[0] < u.span[1] <= len(cell)
        assert cell[u.span[0]:u.span[1]] == u.text
        assert u.name.strip() == u.name


def test_store_writes_unit_tables(tmp_path):
    from extractor.store import rows_of

    text = (ROOT / "corpus" / "seeds" / "000_414db2619537fa48.txt").read_text(encoding="utf-8")
    doc = json.loads(extract_text(text, doc_id="000").to_json())
    rows = rows_of(doc)
    assert rows["task_units"] and rows["units"]
    assert {r["role"] for r in rows["task_units"]} <= {"lead", "partner"}
    total = sum(r["count"] for r in rows["units"])
    assert total == len(rows["task_units"])
