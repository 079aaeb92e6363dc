"""Assignments in prose (extractor/assignments.py): tables of (text, expected assignments) for every
form the contract names, and for items that must not become assignments."""
from __future__ import annotations

import pytest

from extractor.api import extract_text
from extractor.assignments import blocks_of
from extractor.lines import split_lines
from extractor.model import Task
from extractor.settings import AssignmentSettings, Settings
from tests.factories import assignment, deadline

HEAD = "KẾ HOẠCH\nThực hiện nhiệm vụ năm 2024\n\n"


def _found(text: str) -> list[Task]:
    return [t for t in extract_text(text).tasks if t.origin == "list"]


def _key(t: Task) -> tuple:
    d = t.deadline
    return (t.number, t.lead, t.partners, " ".join(t.content.split()), t.span,
            (d.kind, d.start, d.end, d.recurrence) if d.kind != "none" else None)


def _doc(*lines: str) -> str:
    return HEAD + "\n\n".join(lines) + "\n"


# (text, [expected assignment(text) ...]): one row per form
D1 = _doc("IV. TỔ CHỨC THỰC HIỆN",
          "3. Giao Ban Tuyên giáo Huyện ủy chủ trì, phối hợp với Văn phòng Huyện ủy theo dõi, đôn đốc việc "
          "thực hiện, báo cáo trước ngày 15/12/2024.")
D2 = _doc("III. TỔ CHỨC THỰC HIỆN",
          "- Ban Tuyên giáo: tham mưu tổ chức hội nghị sơ kết.",
          "Căn cứ Kế hoạch, đề nghị các địa phương, cơ quan, đơn vị nghiêm túc triển khai thực hiện./.")
D3 = _doc("III. TỔ CHỨC THỰC HIỆN",
          "1. Các cấp ủy, tổ chức đảng có trách nhiệm quán triệt Nghị quyết đến cán bộ, đảng viên.",
          "- Căn cứ tình hình thực tiễn, các địa phương, đơn vị tham mưu tổ chức Hội nghị sơ kết. "
          "Hoàn thành trước ngày 15/7/2024.")
D4 = _doc("III. TỔ CHỨC THỰC HIỆN",
          "3. Đảng ủy Ủy ban nhân dân tỉnh",
          "- Xây dựng chương trình công tác phù hợp với tình hình của địa phương.",
          "- Thường xuyên kiểm tra, đôn đốc việc thực hiện.")
D5 = _doc("II. NHIỆM VỤ",
          "1. Ủy ban nhân dân tỉnh, chỉ đạo các cơ quan, đơn vị có liên quan:",
          "- Nghiên cứu, cụ thể hóa các mục tiêu thành kế hoạch 5 năm và hằng năm.",
          "2. Các cơ quan chuyên trách tham mưu, giúp việc Đảng ủy",
          "Giao Ban xây dựng đảng Đảng ủy chủ trì, hướng dẫn các cấp ủy đẩy mạnh thông tin, tuyên truyền.")
D6 = (HEAD + "V. TỔ CHỨC THỰC HIỆN\n"
      "       5. Sở Khoa học và Công nghệ\n"
      "       Chủ trì, phối hợp với các đơn vị liên quan triển khai các nhiệm vụ chuyển giao công nghệ\n"
      "trong các khu công nghiệp, hoàn thành trong quý IV năm 2024.\n"
      "       6. Sở Xây dựng\n"
      "       - Hướng dẫn lập quy hoạch phân khu các cụm công nghiệp.\n"
      "       - Ban Quản lý Khu kinh tế chủ trì thẩm định quy hoạch chi tiết.\n")
D7 = _doc("II. NỘI DUNG, TIẾN ĐỘ, PHÂN CÔNG",
          "1.1. Xây dựng và ban hành Hướng dẫn về công tác bầu cử",
          "- Thời gian hoàn thành: Quý IV/2024.",
          "- Đơn vị chủ trì: Đồng chí Phó Chủ tịch Thường trực",
          "- Đơn vị phối hợp: Các đoàn thể xã.",
          "- Kết quả: Dự thảo Hướng dẫn trình Ban Thường trực ban hành.")
D8 = _doc("II. NHIỆM VỤ",
          "- Cơ quan chủ trì: Sở Nội vụ",
          "- Nội dung: Tổ chức hội nghị tập huấn nghiệp vụ cho cán bộ cơ sở",
          "- Thời hạn: trước ngày 30/6/2024",
          "- Cơ quan phối hợp: Ủy ban nhân dân các xã")
D9 = _doc("IV. TỔ CHỨC THỰC HIỆN",
          "5. Ban Tuyên giáo Trung ương chủ trì, phối hợp với các cơ quan liên quan hướng dẫn; định kỳ 6 tháng "
          "báo cáo Bộ Chính trị.",
          "6. Định kỳ, Thường trực Ủy ban Kinh tế chủ trì, phối hợp với Văn phòng Quốc hội tổng hợp, báo cáo.",
          "7. Ủy ban nhân dân cấp xã hướng dẫn nhà đầu tư khi có nhà đầu tư đề xuất đầu tư hạ tầng cụm công nghiệp.")

D10 = _doc("Kính gửi:\n- Các đồng chí Ủy viên Ban Thường vụ;\n- Các sở, ban, ngành tỉnh.",
           "Căn cứ chức năng, nhiệm vụ, Văn phòng Tỉnh ủy kính đề nghị các đồng chí Ủy viên Ban Thường vụ nghiên cứu, "
           "cho ý kiến trước ngày 30/6/2024.",
           "Trên đây là Kế hoạch kiểm tra, đề nghị các tổ chức, cá nhân liên quan phối hợp, triển khai thực hiện./.")

FORMS = [
    pytest.param(D1, [assignment(D1, "Giao Ban Tuyên giáo Huyện ủy chủ trì, phối hợp với Văn phòng Huyện ủy theo dõi, "
                                     "đôn đốc việc thực hiện, báo cáo trước ngày 15/12/2024.",
                                 number="3", lead="Ban Tuyên giáo Huyện ủy", partners="Văn phòng Huyện ủy",
                                 deadline=deadline("trước ngày 15/12/2024", "date", start="2024-12-15",
                                                   end="2024-12-15"))],
                 id="item names its body: Giao X chủ trì, phối hợp với Y"),
    pytest.param(D2, [assignment(D2, "Ban Tuyên giáo: tham mưu tổ chức hội nghị sơ kết.", lead="Ban Tuyên giáo"),
                      assignment(D2, "Căn cứ Kế hoạch, đề nghị các địa phương, cơ quan, đơn vị nghiêm túc triển "
                                     "khai thực hiện./.", lead="các địa phương, cơ quan, đơn vị")],
                 id="run-in label 'X: …' and a closing 'đề nghị X …'"),
    pytest.param(D3, [assignment(D3, "Các cấp ủy, tổ chức đảng có trách nhiệm quán triệt Nghị quyết đến cán bộ, "
                                     "đảng viên.", number="1", lead="Các cấp ủy, tổ chức đảng"),
                      assignment(D3, "Căn cứ tình hình thực tiễn, các địa phương, đơn vị tham mưu tổ chức Hội nghị "
                                     "sơ kết. Hoàn thành trước ngày 15/7/2024.", lead="các địa phương, đơn vị",
                                 deadline=deadline("trước ngày 15/7/2024", "date", start="2024-07-15",
                                                   end="2024-07-15"))],
                 id="'X có trách nhiệm …', a body after an opening clause"),
    pytest.param(D4, [assignment(D4, "Xây dựng chương trình công tác phù hợp với tình hình của địa phương.",
                                 lead="Đảng ủy Ủy ban nhân dân tỉnh"),
                      assignment(D4, "Thường xuyên kiểm tra, đôn đốc việc thực hiện.",
                                 lead="Đảng ủy Ủy ban nhân dân tỉnh", deadline=deadline("Thường xuyên", "ongoing"))],
                 id="a heading that names a body, followed by bullets"),
    pytest.param(D5, [assignment(D5, "Nghiên cứu, cụ thể hóa các mục tiêu thành kế hoạch 5 năm và hằng năm.",
                                 lead="Ủy ban nhân dân tỉnh"),
                      assignment(D5, "Giao Ban xây dựng đảng Đảng ủy chủ trì, hướng dẫn các cấp ủy đẩy mạnh "
                                     "thông tin, tuyên truyền.", lead="Ban xây dựng đảng Đảng ủy", number="2")],
                 id="a lead-in 'X, chỉ đạo …:'; the item's own body wins over its heading; "
                    "a single paragraph under a numbered heading takes its number"),
    pytest.param(D6, [assignment(D6, "Chủ trì, phối hợp với các đơn vị liên quan triển khai các nhiệm vụ chuyển giao "
                                     "công nghệ\ntrong các khu công nghiệp, hoàn thành trong quý IV năm 2024.",
                                 number="5", lead="Sở Khoa học và Công nghệ", partners="các đơn vị liên quan",
                                 deadline=deadline("trong quý IV năm 2024", "period", start="2024-10-01",
                                                   end="2024-12-31")),
                      assignment(D6, "Hướng dẫn lập quy hoạch phân khu các cụm công nghiệp.", lead="Sở Xây dựng"),
                      assignment(D6, "Ban Quản lý Khu kinh tế chủ trì thẩm định quy hoạch chi tiết.",
                                 lead="Ban Quản lý Khu kinh tế")],
                 id="pdftotext: one paragraph under a numbered body heading takes its number"),
    pytest.param(D7, [assignment(D7, "Xây dựng và ban hành Hướng dẫn về công tác bầu cử", number="1.1",
                                 until="trình Ban Thường trực ban hành.",
                                 lead="Đồng chí Phó Chủ tịch Thường trực", partners="Các đoàn thể xã",
                                 deadline=deadline("Quý IV/2024", "period", start="2024-10-01", end="2024-12-31"))],
                 id="labelled block under a numbered task"),
    pytest.param(D8, [assignment(D8, "Tổ chức hội nghị tập huấn nghiệp vụ cho cán bộ cơ sở", lead="Sở Nội vụ",
                                 start="Cơ quan chủ trì", until="Ủy ban nhân dân các xã",
                                 partners="Ủy ban nhân dân các xã",
                                 deadline=deadline("trước ngày 30/6/2024", "date", start="2024-06-30",
                                                   end="2024-06-30"))],
                 id="labelled block, labels in another order, with Nội dung"),
    pytest.param(D9, [assignment(D9, "Ban Tuyên giáo Trung ương chủ trì, phối hợp với các cơ quan liên quan hướng "
                                     "dẫn; định kỳ 6 tháng báo cáo Bộ Chính trị.", number="5",
                                 lead="Ban Tuyên giáo Trung ương", partners="các cơ quan liên quan",
                                 deadline=deadline("định kỳ 6 tháng", "recurring", recurrence="semiannual")),
                      assignment(D9, "Định kỳ, Thường trực Ủy ban Kinh tế chủ trì, phối hợp với Văn phòng Quốc hội "
                                     "tổng hợp, báo cáo.", number="6", lead="Thường trực Ủy ban Kinh tế",
                                 partners="Văn phòng Quốc hội", deadline=deadline("Định kỳ", "recurring")),
                      assignment(D9, "Ủy ban nhân dân cấp xã hướng dẫn nhà đầu tư khi có nhà đầu tư đề xuất đầu tư "
                                     "hạ tầng cụm công nghiệp.", number="7", lead="Ủy ban nhân dân cấp xã",
                                 deadline=deadline("khi có nhà đầu tư …", "conditional"))],
                 id="deadlines: periodic, bare 'định kỳ', conditional"),
    pytest.param(D10, [assignment(D10, "Căn cứ chức năng, nhiệm vụ, Văn phòng Tỉnh ủy kính đề nghị các đồng chí Ủy viên "
                                       "Ban Thường vụ nghiên cứu, cho ý kiến trước ngày 30/6/2024.",
                                  lead="các đồng chí Ủy viên Ban Thường vụ",
                                  deadline=deadline("trước ngày 30/6/2024", "date", start="2024-06-30", end="2024-06-30")),
                       assignment(D10, "Trên đây là Kế hoạch kiểm tra, đề nghị các tổ chức, cá nhân liên quan phối hợp, "
                                       "triển khai thực hiện./.", lead="các tổ chức, cá nhân liên quan")],
                 id="'X kính đề nghị Y …' assigns Y; the addressees ('Kính gửi') are no assignment"),
]


@pytest.mark.parametrize("text,expected", FORMS)
def test_assignment_forms(text, expected):
    assert [_key(t) for t in _found(text)] == [_key(t) for t in expected]


# (text, why it holds no assignment)
NOT_ASSIGNMENTS = [
    pytest.param(_doc("II. MỤC TIÊU", "1. Trung tâm Chính trị huyện hoàn thiện về cơ sở vật chất, trang thiết bị."),
                 id="an objective naming a body"),
    pytest.param(_doc("I. MỤC ĐÍCH, YÊU CẦU", "2. Yêu cầu",
                      "- Bảo đảm nghiêm túc, thiết thực, hiệu quả; tránh hình thức, lãng phí."),
                 id="a requirement naming no body"),
    pytest.param("BÁO CÁO\nKết quả công tác tháng 5 năm 2024\n\nI. CÔNG TÁC THAM MƯU\n\n"
                 "1. Ban Tuyên giáo Tỉnh ủy tham mưu cho Thường trực Tỉnh ủy ban hành 12 văn bản.\n\n"
                 "II. KẾT QUẢ ĐẠT ĐƯỢC\n\n- Ban Tuyên giáo các huyện chú trọng công tác tuyên truyền.\n\n"
                 "Ban Tuyên giáo Tỉnh ủy trân trọng báo cáo.\n", id="results a report says were achieved"),
    pytest.param(_doc("III. TỔ CHỨC THỰC HIỆN", "Các chi bộ triển khai thực hiện Kế hoạch này.",
                      "Nơi nhận:\n- Ban Thường vụ Tỉnh ủy (b/c);\n- Các chi bộ trực thuộc;\n- Lưu VP."),
                 id="the recipients list (the item above it is one)"),
    pytest.param(_doc("II. NHIỆM VỤ", "- Phối hợp với Bảo hiểm xã hội huyện tổ chức hội nghị tuyên truyền.",
                      "- Tham mưu triển khai quán triệt Nghị quyết, cấp huyện tham mưu xây dựng kế hoạch.",
                      "- Ban hành chương trình phát triển công nghệ chiến lược."),
                 id="the issuer's own to-do list (partners only, a verb that looks like a body)"),
    pytest.param(_doc("I. KẾT QUẢ", "Ban Tuyên giáo Tỉnh ủy đã tổ chức 12 hội nghị quán triệt.",
                      "II. NHIỆM VỤ", "Văn phòng Trung ương Đảng có văn bản số 15000-CV/VPTW đề nghị góp ý dự thảo."),
                 id="what a body did, what a body sent"),
    pytest.param(_doc("IV- TỔ CHỨC THỰC HIỆN",
                      "c) Đối với nhiệm vụ liên ngành, cơ quan chủ trì chủ động phân công rõ trách nhiệm."),
                 id="an item opening with a condition, its 'cơ quan chủ trì' names no body"),
    pytest.param(_doc("Trên đây là chương trình công tác tháng 11/2023. Trong quá trình triển khai thực hiện có "
                      "nhiệm vụ phát sinh, Lãnh đạo Ban Tuyên giáo Tỉnh ủy sẽ có chỉ đạo, bổ sung./."),
                 id="a closing saying what the issuer will do"),
]


@pytest.mark.parametrize("text", NOT_ASSIGNMENTS)
def test_not_assignments(text):
    found = _found(text)
    if "Nơi nhận" in text:
        assert [t.lead for t in found] == ["Các chi bộ"]
    else:
        assert found == []


def test_a_lead_in_is_not_an_assignment_but_heads_its_items():
    text = _doc("III. TỔ CHỨC THỰC HIỆN", "1. Ban Tuyên giáo Tỉnh ủy", "- Giao các phòng thuộc Ban:",
                "+ Văn phòng chủ trì, phối hợp tham mưu tổ chức hội nghị.", "+ Các phòng thuộc Ban:",
                "(1) Xây dựng báo cáo gửi Văn phòng trước ngày 10/6/2024.")
    assert [(t.number, t.lead, t.partners) for t in _found(text)] == [
        (None, "Văn phòng", None), ("1", "Các phòng thuộc Ban", None)]


def test_assignments_carry_units_sections_and_ids():
    doc = extract_text(D1)
    (t,) = [t for t in doc.tasks if t.origin == "list"]
    assert t.id and t.section == doc.sections[-1].id
    assert [(u.name, u.role) for u in t.lead_units] == [("Ban Tuyên giáo Huyện ủy", "lead")]
    assert [(u.name, u.role) for u in t.partner_units] == [("Văn phòng Huyện ủy", "partner")]
    assert D1[t.lead_units[0].span[0]:t.lead_units[0].span[1]] == "Ban Tuyên giáo Huyện ủy"


def test_the_setting_turns_assignments_off():
    off = extract_text(D1, settings=Settings(assignments=AssignmentSettings(enabled=False)))
    assert [t for t in off.tasks if t.origin == "list"] == []


def test_wrapped_lines_and_page_gaps_join_into_one_block():
    text = "4. Các cụm thi đua tham mưu, triển khai thực\n\nhiện kế hoạch đảm bảo tiến độ.\n- Bullet\n"
    bs = blocks_of(split_lines(text))
    assert [(b.style, b.number, b.text) for b in bs] == [
        ("num", "4", "Các cụm thi đua tham mưu, triển khai thực hiện kế hoạch đảm bảo tiến độ."),
        ("bullet-", None, "Bullet")]


def test_a_labelled_block_keeps_its_result_as_output():
    (t,) = _found(D7)
    assert t.output == "Dự thảo Hướng dẫn trình Ban Thường trực ban hành"
    assert D7[t.deadline.span[0]:t.deadline.span[1]] == "Quý IV/2024"


def test_lines_inside_skip_spans_stay_out_after_a_marker_line():
    """A numbered line ("1. " is three characters) followed by lines that each lie in a skipped span
    (table rows): every one of them is skipped, whatever the marker's length."""
    rows = ["Ban Tổ chức chủ trì rà soát", "Văn phòng phối hợp tổng hợp", "Ban Dân vận theo dõi",
            "Ủy ban kiểm tra báo cáo"]
    text = "1. Ban Tuyên giáo tham mưu tổ chức hội nghị.\n" + "\n".join(rows) + "\n"
    lines = split_lines(text)
    skip = [(ln.start, ln.start + len(ln.text)) for ln in lines[1:5]]
    got = " ".join(piece for b in blocks_of(lines, skip) for _, piece in b.lines)
    assert "Ban Tuyên giáo" in got
    assert not any(r in got for r in rows)
