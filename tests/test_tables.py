"""Task-table layer: (input lines, expected tasks) cases per rule, plus a seed-level check."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from conftest import SHARED
from extractor.assemble import place
from extractor.lines import split_lines
from extractor.model import Deadline, Section
from extractor.tables import find_tasks
from extractor.tables.columns import header_role

ROOT = Path(__file__).resolve().parent.parent


def tasks_of(text: str, sections=(), **kw):
    tasks = find_tasks(text, split_lines(text), **kw)
    place(sections=sections, tasks=tasks)
    return tasks


def table(*rows: str) -> str:
    return "\n".join(rows) + "\n"


def fields(t):
    return (t.number, t.content, t.lead, t.partners, t.deadline.text, t.group)


# --- column roles --------------------------------------------------------------------------

@pytest.mark.parametrize("cell,role", [
    ("Stt", "number"), ("Số thứ tự", "number"), ("TT", "number"),
    ("Nội dung thực hiện", "content"), ("Tên nhiệm vụ", "content"),
    ("Đơn vị chủ trì", "lead"), ("Chỉ đạo", "lead"), ("Đơn vị thực hiện", "lead"),
    ("Cơ quan phối hợp", "partners"), ("Thời gian thực hiện", "deadline"),
    ("Tiến độ thực hiện", "deadline"), ("Thời hạn", "deadline"), ("Thời gian hoàn thành", "deadline"),
    ("Tiến độ công việc", "status"), ("Kết quả", "output"), ("Sản phẩm đầu ra", "output"),
    ("Thoi han hoan thanh", "deadline"),            # spelling without diacritics
])
def test_header_vocabulary(cell, role):
    assert header_role(cell) == role


def test_mislabeled_stt_header_and_group_rows():
    # the first column is headed "Thời gian" but holds the numbers
    text = table(
        "Thời gian\tNội dung thực hiện\tThời gian\tChỉ đạo",
        "I\tCông tác tuyên truyền\t\t",
        "1\tHướng dẫn triển khai Quy định số 99-QĐ/TW\tTháng 01/2024\tTrưởng ban",
        "2\tĐẩy mạnh công tác định hướng\tThường xuyên\tPhó trưởng ban",
        "II\tCông tác DLXH\t\t",
        "1\tTham mưu Huyện ủy triển khai văn bản\tKhi Tỉnh ủy ban hành\tPhó trưởng ban",
    )
    got = [fields(t) for t in tasks_of(text)]
    assert got == [
        ("1", "Hướng dẫn triển khai Quy định số 99-QĐ/TW", "Trưởng ban", None, "Tháng 01/2024", "Công tác tuyên truyền"),
        ("2", "Đẩy mạnh công tác định hướng", "Phó trưởng ban", None, "Thường xuyên", "Công tác tuyên truyền"),
        ("1", "Tham mưu Huyện ủy triển khai văn bản", "Phó trưởng ban", None, "Khi Tỉnh ủy ban hành", "Công tác DLXH"),
    ]


HEAD5 = "Stt\tNội dung\tĐơn vị chủ trì\tCơ quan phối hợp\tThời gian thực hiện"


def test_group_row_forms_space_and_leading_tab():
    text = table(
        HEAD5,
        "I Nâng cao chất lượng quán triệt\t\t\t\t",
        "1\tTuyên truyền Kết luận số 224-KL/TU\t\tCác cơ quan tuyên truyền\tThực hiện thường xuyên",
        "\tVII Xây dựng Đảng vững mạnh\t\t\t",
        "1\tXây dựng kế hoạch\tBan Tuyên giáo Huyện ủy\tVăn phòng Huyện ủy\tHàng năm",
    )
    got = [fields(t) for t in tasks_of(text)]
    assert got == [
        ("1", "Tuyên truyền Kết luận số 224-KL/TU", None, "Các cơ quan tuyên truyền", "Thực hiện thường xuyên",
         "Nâng cao chất lượng quán triệt"),
        ("1", "Xây dựng kế hoạch", "Ban Tuyên giáo Huyện ủy", "Văn phòng Huyện ủy", "Hàng năm",
         "Xây dựng Đảng vững mạnh"),
    ]


def test_repeated_header_after_page_break_is_skipped():
    text = table(
        HEAD5,
        "1\tXây dựng Trung tâm Chính trị\t\tBan Tổ chức Huyện ủy\tTừ năm 2022",
        "",
        "Số thứ tự\tNội dung\tĐơn vị chủ trì\tCơ quan phối hợp\tThời gian thực hiện",
        "2\tKiện toàn đội ngũ giảng viên\t\tCác cơ quan, ban, ngành huyện\tThường xuyên",
    )
    got = [t.number for t in tasks_of(text)]
    assert got == ["1", "2"]


def test_continuation_after_page_break_and_blank_stt():
    text = table(
        "Thời gian\tNội dung thực hiện\tThời gian\tChỉ đạo",
        "2\tTổng kết 15 năm thực hiện Chỉ thị số 38 về bảo hiểm y\tTháng 3\tPhó trưởng",
        "",
        "\ttế trong tình hình mới\t\tban",
        "\tTheo dõi việc thực hiện Chỉ thị số 23-CT/TW\tTháng 2, 5\tTrưởng ban",
    )
    got = [fields(t) for t in tasks_of(text)]
    assert got == [
        ("2", "Tổng kết 15 năm thực hiện Chỉ thị số 38 về bảo hiểm y tế trong tình hình mới", "Phó trưởng ban",
         None, "Tháng 3", None),
        (None, "Theo dõi việc thực hiện Chỉ thị số 23-CT/TW", "Trưởng ban", None, "Tháng 2, 5", None),
    ]


def test_continuation_glued_by_page_join_is_split_back():
    # a normalizer that rejoins words across a page break ate the continuation's leading tab
    text = table(
        "Thời gian\tNội dung thực hiện\tThời gian\tChỉ đạo",
        "1\tHướng dẫn tuyên truyền\tTháng 2\tPhó trưởng ban",
        "2\tTổng kết 15 năm về bảo hiểm y\tTháng 3\tPhó trưởng tế trong tình hình mới\t\tban",
        "3\tTham mưu báo cáo\tTháng 4\tTrưởng ban",
    )
    t = tasks_of(text)[1]
    assert (t.content, t.lead, t.deadline.text) == (
        "Tổng kết 15 năm về bảo hiểm y tế trong tình hình mới", "Phó trưởng ban", "Tháng 3")


def test_shifted_row_time_goes_to_deadline_lead_stays_by_position():
    text = table(
        HEAD5,
        "1\tKiện toàn đội ngũ cộng tác viên\tBan Tuyên giáo Huyện ủy\tCác chi, đảng bộ trực thuộc\tHàng năm",
        "2\tTập huấn bảo vệ nền tảng tư tưởng\tVăn phòng Huyện ủy, các cơ quan\tHàng năm nếu có thay đổi\t",
        "3\tSố hóa tài liệu\tPhòng Văn hóa - Thông tin\tNăm 2025\t",
        "4\tKiện toàn đội ngũ báo cáo viên\tBan Tuyên giáo\t\t",
    )
    got = [(t.lead, t.partners, t.deadline.text) for t in tasks_of(text)]
    assert got == [
        ("Ban Tuyên giáo Huyện ủy", "Các chi, đảng bộ trực thuộc", "Hàng năm"),
        ("Văn phòng Huyện ủy, các cơ quan", None, "Hàng năm nếu có thay đổi"),
        ("Phòng Văn hóa - Thông tin", None, "Năm 2025"),
        ("Ban Tuyên giáo", None, ""),
    ]


def test_super_heading_empty_and_number_only_rows_are_skipped():
    text = table(
        "Stt\tNội dung công việc\tPhòng chủ trì\tĐơn vị phối hợp\tThời gian hoàn thành\tTiến độ công việc",
        "Tham mưu, đề xuất trên các lĩnh vực:\t\t\t\t\t",
        "I\tTổng hợp, Khoa giáo\t\t\t\t",
        "1\tBáo cáo công tác tuyên giáo năm 2023\tPhòng HC-TH\tCác phòng thuộc Ban\t20/11/2023\tĐang thực hiện",
        "\t\t\t\t\t",
        "2\t\t\t\t\t",
        "3\tTổng hợp bảng chấm công\tPhòng HC-TH\t\t30/11/2023\tĐang thực hiện",
    )
    ts = tasks_of(text)
    assert [(t.number, t.status, t.group) for t in ts] == [
        ("1", "Đang thực hiện", "Tổng hợp, Khoa giáo"), ("3", "Đang thực hiện", "Tổng hợp, Khoa giáo")]
    assert ts[1].partners is None


def test_markdown_pipe_table_with_output_and_markup():
    text = table(
        "| STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Sản phẩm đầu ra | Thời hạn |",
        "| :---: | :--- | :--- | :--- | :--- | :---: |",
        "| **I** | **NHÓM THỂ CHẾ** | | | | |",
        "| 1 | - Chuẩn hóa dữ liệu<br>- Làm sạch dữ liệu | Sở Nội vụ | Công an tỉnh | Báo cáo | 30/11/2026 |",
        "|  | trực tuyến và định kỳ đánh giá. |  |  |  |  |",
        "| 2 | Rà soát quy định | Sở Tư pháp | | Danh mục | Thường xuyên |",
    )
    got = [(t.number, t.content, t.lead, t.partners, t.output, t.deadline.text, t.group) for t in tasks_of(text)]
    assert got == [
        ("1", "- Chuẩn hóa dữ liệu - Làm sạch dữ liệu trực tuyến và định kỳ đánh giá.", "Sở Nội vụ",
         "Công an tỉnh", "Báo cáo", "30/11/2026", "NHÓM THỂ CHẾ"),
        ("2", "Rà soát quy định", "Sở Tư pháp", None, "Danh mục", "Thường xuyên", "NHÓM THỂ CHẾ"),
    ]


def test_indicator_table_is_not_a_task_table():
    text = table(
        "| TT | Chỉ tiêu | Đơn vị | Kết quả | Cơ quan chủ trì theo dõi, đánh giá |",
        "| --- | --- | --- | --- | --- |",
        "| 1 | Quy mô kinh tế số | % GDP | ≥ 30 | Bộ Thông tin và Truyền thông |",
    )
    assert tasks_of(text) == []


LAYOUT = """\
                                                  Cơ quan chủ                         Thời hạn
TT              Nội dung nhiệm vụ                                Cá nhân phụ trách
                                                      trì                            thực hiện
I    Các nhiệm vụ cần làm ngay

     Xây dựng kế hoạch triển khai thực hiện
1    Chương trình hành động trên địa bàn      Đảng ủy UBND      Đồng chí Nguyễn Văn A    Trước ngày
     tỉnh, bảo đảm đồng bộ, hiệu quả.             tỉnh          - Phó Chủ tịch          15/10/2026

     Rà soát, hoàn thiện hệ thống văn bản    Sở Tư pháp      Đồng chí Trần Văn B
2    quy phạm pháp luật về môi trường                         - Phó Chủ tịch            2026 - 2030
                                  5
II   Nhiệm vụ theo lộ trình
     Đóng cửa bãi chôn lấp chất thải rắn     Đảng ủy UBND     Đồng chí Lê Thị C
3    sinh hoạt đảm bảo vệ sinh môi trường        tỉnh          - Phó Chủ tịch           2026 - 2030
"""


def test_layout_fixed_width_wrapped_cells():
    got = [(t.number, t.content, t.lead, t.deadline.text, t.group, t.supervisor)
           for t in tasks_of(LAYOUT)]
    assert got == [
        ("1", "Xây dựng kế hoạch triển khai thực hiện Chương trình hành động trên địa bàn tỉnh, bảo đảm đồng bộ, "
              "hiệu quả.", "Đảng ủy UBND tỉnh", "Trước ngày 15/10/2026", "Các nhiệm vụ cần làm ngay",
         "Đồng chí Nguyễn Văn A - Phó Chủ tịch"),
        ("2", "Rà soát, hoàn thiện hệ thống văn bản quy phạm pháp luật về môi trường", "Sở Tư pháp",
         "2026 - 2030", "Các nhiệm vụ cần làm ngay", "Đồng chí Trần Văn B - Phó Chủ tịch"),
        ("3", "Đóng cửa bãi chôn lấp chất thải rắn sinh hoạt đảm bảo vệ sinh môi trường", "Đảng ủy UBND tỉnh",
         "2026 - 2030", "Nhiệm vụ theo lộ trình", "Đồng chí Lê Thị C - Phó Chủ tịch"),
    ]


# pdftotext -layout as it comes out of a real task table: cells centred in their columns,
# wrapped over several lines; neighbouring cells joined by a single space (content|lead in
# row 2, supervisor|deadline in rows 2 and 5, lead|supervisor in row 3); page 2 with its
# columns 7 characters to the right; rows of 2 to 8 lines whose Stt numeral sits mid-row
# (row 5 has four lines above it, the rows around it one); a header repeated on page 3 in
# yet other positions; an empty supervisor cell (row 6).
LAYOUT_JOINED = """\
                                                  Cơ quan chủ                                   Thời hạn
TT          Nội dung nhiệm vụ                                         Cá nhân phụ trách
                                                      trì                                       thực hiện
I    Nhiệm vụ trọng tâm

     Tổ chức quán triệt, triển khai Chương
     trình hành động đến cán bộ, đảng viên        Các cấp ủy,       Đồng chí Nguyễn Văn A      Trước ngày
1    và Nhân dân trên địa bàn tỉnh; nâng         tổ chức đảng          - Phó Chủ tịch           30/6/2027
     cao nhận thức về bảo vệ môi trường.

                                                                    Đồng chí Trần Thị B
     Xây dựng cơ sở dữ liệu dùng chung của toàn Văn phòng UBND
2                                                                      - Phó Chủ tịch 2026 - 2028
     tỉnh, kết nối với hệ thống quốc gia             tỉnh

     Rà soát, sửa đổi quy chế quản lý chất      Sở Công Thương Đồng chí Lê Văn C                Năm 2027
3    thải rắn công nghiệp                                              - Phó Chủ tịch
                                                  7

                                                       Sở Nông nghiệp       Đồng chí Phạm Văn D
4    Trồng mới và phục hồi rừng đầu nguồn               và Môi trường         - Phó Chủ tịch          2026 - 2030

     Đầu tư, nâng cấp các trạm quan trắc
     nước mặt, nước ngầm và không khí tự
     động, liên tục trên địa bàn các xã,                                    Đồng chí Phạm Văn D
     phường; kết nối, truyền số liệu tự động về        Sở Nông nghiệp
5    Sở theo quy định; công bố thông tin                                      - Phó Chủ tịch 2027 - 2029
     cho Nhân dân theo dõi, giám sát;                   và Môi trường
     xử lý nghiêm vi phạm theo quy định
     của pháp luật.
     Kiểm tra việc thực hiện                           Sở Nông nghiệp
6    các cam kết môi trường của dự án                   và Môi trường                                  Hằng năm
                                                    8

                                            Cơ quan chủ                                   Thời hạn
TT          Nội dung nhiệm vụ                                   Cá nhân phụ trách
                                                trì                                       thực hiện
II   Nhiệm vụ theo lộ trình
     Xây dựng kế hoạch thích ứng với biến  Đảng ủy UBND         Đồng chí Võ Văn E
1    đổi khí hậu giai đoạn 2031 - 2040         tỉnh              - Phó Chủ tịch         2029 - 2030
"""

LAYOUT_JOINED_TASKS = [
    ("1", "Tổ chức quán triệt, triển khai Chương trình hành động đến cán bộ, đảng viên và Nhân dân trên địa bàn "
          "tỉnh; nâng cao nhận thức về bảo vệ môi trường.", "Các cấp ủy, tổ chức đảng",
     "Đồng chí Nguyễn Văn A - Phó Chủ tịch", "Trước ngày 30/6/2027", "Nhiệm vụ trọng tâm"),
    ("2", "Xây dựng cơ sở dữ liệu dùng chung của toàn tỉnh, kết nối với hệ thống quốc gia", "Văn phòng UBND tỉnh",
     "Đồng chí Trần Thị B - Phó Chủ tịch", "2026 - 2028", "Nhiệm vụ trọng tâm"),
    ("3", "Rà soát, sửa đổi quy chế quản lý chất thải rắn công nghiệp", "Sở Công Thương",
     "Đồng chí Lê Văn C - Phó Chủ tịch", "Năm 2027", "Nhiệm vụ trọng tâm"),
    ("4", "Trồng mới và phục hồi rừng đầu nguồn", "Sở Nông nghiệp và Môi trường",
     "Đồng chí Phạm Văn D - Phó Chủ tịch", "2026 - 2030", "Nhiệm vụ trọng tâm"),
    ("5", "Đầu tư, nâng cấp các trạm quan trắc nước mặt, nước ngầm và không khí tự động, liên tục trên địa bàn "
          "các xã, phường; kết nối, truyền số liệu tự động về Sở theo quy định; công bố thông tin cho Nhân dân "
          "theo dõi, giám sát; xử lý nghiêm vi phạm theo quy định của pháp luật.", "Sở Nông nghiệp và Môi trường",
     "Đồng chí Phạm Văn D - Phó Chủ tịch", "2027 - 2029", "Nhiệm vụ trọng tâm"),
    ("6", "Kiểm tra việc thực hiện các cam kết môi trường của dự án", "Sở Nông nghiệp và Môi trường", None,
     "Hằng năm", "Nhiệm vụ trọng tâm"),
    ("1", "Xây dựng kế hoạch thích ứng với biến đổi khí hậu giai đoạn 2031 - 2040", "Đảng ủy UBND tỉnh",
     "Đồng chí Võ Văn E - Phó Chủ tịch", "2029 - 2030", "Nhiệm vụ theo lộ trình"),
]


def _layout_rows(text):
    return [(t.number, t.content, t.lead, t.supervisor, t.deadline.text, t.group)
            for t in tasks_of(text)]


def test_layout_joined_cells_shifted_pages_and_rows():
    assert _layout_rows(LAYOUT_JOINED) == LAYOUT_JOINED_TASKS


def _shift_right(text: str, after: int, by: int) -> str:
    """Every line's text right of column `after` moved `by` characters (a row placed anew)."""
    return "\n".join(ln[:after] + " " * by + ln[after:] if len(ln) > after else ln for ln in text.split("\n"))


@pytest.mark.parametrize("shift", [-4, 3, 6])
def test_layout_one_row_drifting_from_its_page_columns(shift):
    # the same table, with row 3's lead/supervisor/deadline cells moved left or right of
    # where the other rows on its page put them: it still reads the same
    lines = LAYOUT_JOINED.split("\n")
    i = next(k for k, ln in enumerate(lines) if ln.startswith("     Rà soát, sửa đổi"))
    block = "\n".join(lines[i:i + 2])
    moved = _shift_right(block, 45, shift) if shift > 0 else "\n".join(
        ln[:43] + ln[43 - shift:] if len(ln) > 43 - shift else ln for ln in block.split("\n"))
    text = "\n".join(lines[:i] + moved.split("\n") + lines[i + 2:])
    assert _layout_rows(text) == LAYOUT_JOINED_TASKS


def test_layout_row_lines_shared_out_around_centred_numerals():
    from extractor.tables.fixed_width import _split_between
    # rows of 3, 9 and 5 lines, numerals in the middle: 1 | 4+4 | 2 lines between them
    assert _split_between([5, 6], 1, 2) == [1, 4]
    # blank line / capitalised start decide between two equally symmetric splits
    assert _split_between([2], 1, 0, [[1.5, 0.0, 1.5]]) == [1]


def test_ids_spans_sections_pages_and_deadline_parser_calls():
    text = table(
        "II. NHIỆM VỤ",
        "Thời gian\tNội dung thực hiện\tThời gian\tChỉ đạo",
        "1\tHướng dẫn triển khai\tQuý II (Theo kế hoạch của BTGTU)\tTrưởng ban",
        "2\tĐịnh hướng hoạt động\t\t",
    )
    seen = []
    parse = lambda s: (seen.append(s), Deadline(text=s, kind="none"))[1]  # noqa: E731
    sec = Section(id="s1", number="II", title="NHIỆM VỤ", span=(0, 12))
    ts = tasks_of(text, sections=[sec], parse_deadline=parse)
    assert seen == ["Quý II (Theo kế hoạch của BTGTU)", ""]
    assert [t.id for t in ts] == ["t1", "t2"] and all(t.section == "s1" and t.origin == "table" for t in ts)
    for t in ts:
        assert text[t.span[0]:t.span[1]].startswith(t.number + "\t")


# --- seed-level check against gold ----------------------------------------------------------

def _scorer():
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _normalize(raw: str) -> str:
    try:
        from extractor.normalize import normalize_text
    except ImportError:
        return raw
    out = normalize_text(raw)
    return out.text if hasattr(out, "text") else out


@pytest.mark.skipif(not (SHARED / "gold" / "seeds").is_dir(), reason="shared gold not available")
def test_seed_gold_quality_bar():
    score = _scorer()
    docs = {}
    for p in sorted((SHARED / "seeds").glob("*.txt")):
        text = _normalize(p.read_text(encoding="utf-8"))
        docs[p.stem] = {"doc_id": p.stem, "tasks": [t.model_dump() for t in tasks_of(text)]}
    r = score.score(docs, SHARED / "gold" / "seeds")
    assert r["tasks"]["f1"] >= 0.98, r["tasks"]
    for f in ("task_number", "task_lead", "task_partners", "task_status"):
        assert r[f]["accuracy"] >= 0.97, (f, r[f])
    # groups are not scored by the scorer: check them here
    for p in sorted((SHARED / "gold" / "seeds").glob("*.json")):
        gold = json.loads(p.read_text(encoding="utf-8")).get("tasks", [])
        pred = [t for t in docs[p.stem]["tasks"] if t["origin"] == "table"]
        assert [score.norm_text(t["group"]) for t in pred] == [score.norm_text(t["group"]) for t in gold]


def test_whole_tasks_of_a_tsv_table_with_cell_spans_and_units():
    """Whole objects: every cell keeps its own span from the reader to the task, and the
    units sit inside their cells (not wherever the same words first occur in the row)."""
    from extractor.units import annotate_tasks
    from factories import deadline, task, unit

    text = table(
        "STT\tNội dung\tChủ trì\tPhối hợp\tThời gian",
        "1\tBan Tuyên giáo Huyện ủy rà soát văn bản\tVăn phòng Huyện ủy\tBan Tuyên giáo Huyện ủy\tQuý II/2024",
        "2\tTổng kết năm 2024\tBan Tổ chức\t\tTháng 12/2024",
    )
    row1, row2 = text.splitlines()[1:3]
    got = tasks_of(text, parse_deadline=lambda s: deadline(s, "period"))
    annotate_tasks(text, got)
    lead1 = unit("Văn phòng Huyện ủy", text, "lead", after=text.index(row1))
    partner1 = unit("Ban Tuyên giáo Huyện ủy", text, "partner", after=lead1.span[1])
    assert got == [
        task(text, row1, id="t1", content="Ban Tuyên giáo Huyện ủy rà soát văn bản",
             cells={"number": "1", "lead": "Văn phòng Huyện ủy", "partners": "Ban Tuyên giáo Huyện ủy",
                    "deadline": "Quý II/2024"},
             deadline=deadline("Quý II/2024", "period"), lead_units=[lead1], partner_units=[partner1]),
        task(text, row2, id="t2", content="Tổng kết năm 2024",
             cells={"number": "2", "lead": "Ban Tổ chức", "deadline": "Tháng 12/2024"},
             deadline=deadline("Tháng 12/2024", "period"),
             lead_units=[unit("Ban Tổ chức", text, "lead", after=text.index(row2))]),
    ]


def test_clean_cell_fast_path_changes_nothing():
    """clean_cell skips its substitutions when a cell needs none: the result must be the same
    as running them all, on any string made of the characters that matter."""
    from hypothesis import given, settings, strategies as st

    from extractor.tables import text as T

    def full(s: str) -> str:
        s = T._BR.sub(" ", s)
        s = T._MARKUP.sub("", s).replace("\\|", "|")
        return T._SPACES.sub(" ", s).strip()

    pieces = st.sampled_from(["a", "Đ", " ", "  ", "\t", "\n", "\xa0", "<b>", "</i>", "<br/>", "**", "__",
                              "\\|", "<", "*", "_", "\\", "Quý II"])

    @settings(max_examples=3000, deadline=None)
    @given(st.lists(pieces, max_size=10).map("".join))
    def check(s):
        assert T.clean_cell(s) == full(s)
    check()


# --- tables a text layer flattened to one cell fragment per line ------------------------------

FLAT_NO_NUMBERS = table(
    "PHỤ LỤC",
    "Stt", "Nội dung", "Thời gian trình BTV, BCH", "Cơ quan", "chủ trì", "thực hiện", "BTV", "BCH",
    "I", "Lĩnh vực kinh tế",
    "Lãnh đạo triển khai thực hiện hiệu quả Kế hoạch", "số", "11-KH/ĐU", "ngày", "11/9/2025 của Ban Thường vụ về",
    "tăng trưởng kinh tế hai con số.",
    "Hàng quý", "Hàng quý",
    "Đảng uỷ", "UBND xã",
    "Nghị quyết về cơ cấu lại ngành nông", "nghiệp giai đoạn 2026 – 2030.",
    "Quý IV hàng", "năm",
    "Đảng uỷ", "chủ trì,", "phối hợp", "Công an",
    "II", "Công tác xây dựng Đảng", "và hệ thống chính trị",
    "Hướng dẫn thực hiện Đề án đổi mới nâng", "cao chất lượng công tác cho cán bộ,",
    "Thực hiện theo", "chỉ đạo của", "Tỉnh uỷ",
    "Ban Xây", "dựng Đảng",
    "đảng viên trong tình hình mới hiện nay.",
    "Nghị quyết về phát triển đảng viên mới", "nhiệm kỳ 2025 - 2030",
    "Tháng 12/2025",
    "Văn phòng",
)

FLAT_NUMBERED = table(
    "TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian", "hoàn thành",
    "1", "Xây dựng kế hoạch chuyển đổi số của", "các cơ quan trong tỉnh năm 2026", "Sở Khoa học", "và Công nghệ", "Quý I/2026",
    "2", "Tổ chức hội nghị sơ kết việc thực hiện", "các nghị quyết chuyên đề", "Văn phòng", "Tỉnh ủy", "Tháng 6/2026",
    "3", "Kiểm tra, đánh giá kết quả triển khai tại", "các xã, phường", "Ban Chỉ đạo", "Hằng năm",
)


@pytest.mark.parametrize("text,expected", [
    (FLAT_NO_NUMBERS, [
        (None, "Lãnh đạo triển khai thực hiện hiệu quả Kế hoạch số 11-KH/ĐU ngày 11/9/2025 của Ban Thường vụ về "
               "tăng trưởng kinh tế hai con số.", "Đảng uỷ UBND xã", None, "Hàng quý", "Lĩnh vực kinh tế"),
        (None, "Nghị quyết về cơ cấu lại ngành nông nghiệp giai đoạn 2026 – 2030.",
         "Đảng uỷ chủ trì, phối hợp Công an", None, "Quý IV hàng năm", "Lĩnh vực kinh tế"),
        (None, "Hướng dẫn thực hiện Đề án đổi mới nâng cao chất lượng công tác cho cán bộ, đảng viên trong "
               "tình hình mới hiện nay.", "Ban Xây dựng Đảng", None, "Thực hiện theo chỉ đạo của Tỉnh uỷ",
         "Công tác xây dựng Đảng và hệ thống chính trị"),
        (None, "Nghị quyết về phát triển đảng viên mới nhiệm kỳ 2025 - 2030", "Văn phòng", None, "Tháng 12/2025",
         "Công tác xây dựng Đảng và hệ thống chính trị"),
    ]),
    (FLAT_NUMBERED, [
        ("1", "Xây dựng kế hoạch chuyển đổi số của các cơ quan trong tỉnh năm 2026", "Sở Khoa học và Công nghệ",
         None, "Quý I/2026", None),
        ("2", "Tổ chức hội nghị sơ kết việc thực hiện các nghị quyết chuyên đề", "Văn phòng Tỉnh ủy", None,
         "Tháng 6/2026", None),
        ("3", "Kiểm tra, đánh giá kết quả triển khai tại các xã, phường", "Ban Chỉ đạo", None, "Hằng năm", None),
    ]),
])
def test_flattened_table(text, expected):
    assert [fields(t) for t in tasks_of(text)] == expected


@pytest.mark.parametrize("text", [
    # prose with short lines is no table: no header of labels
    table("Nội dung", "Hội nghị quán triệt nghị quyết", "Thời gian", "Quý I/2026", "Địa điểm", "Hội trường"),
    # a header of labels without content/time/lead roles after it
    table("Stt", "Nội dung", "Ghi chú"),
])
def test_flattened_not_a_table(text):
    assert [t for t in tasks_of(text) if t.origin == "table"] == []


def test_word_text_dump_pipe_rows():
    # rows separated by " | ", no outer pipes and no markdown separator line
    text = table(
        "STT | Nội dung công việc | Đơn vị chủ trì | Thời gian hoàn thành",
        "I | Công tác tuyên truyền",
        "1 | Tổ chức quán triệt Nghị quyết | Ban Tuyên giáo | Quý I/2026",
        "2 | Biên soạn tài liệu hỏi đáp |  | Tháng 6/2026",
    )
    assert [fields(t) for t in tasks_of(text)] == [
        ("1", "Tổ chức quán triệt Nghị quyết", "Ban Tuyên giáo", None, "Quý I/2026", "Công tác tuyên truyền"),
        ("2", "Biên soạn tài liệu hỏi đáp", None, None, "Tháng 6/2026", "Công tác tuyên truyền"),
    ]


def test_continuation_repeating_a_cells_tail_is_dropped():
    # a page break: the converter repeats the end of the lead cell in the partners column
    text = table(
        "| TT | Tên nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |",
        "|---|---|---|---|---|",
        "| 1. | Hoàn thành các nhiệm vụ chuyển đổi số | Bộ Công an, Bộ Nông nghiệp và Phát triển nông thôn, Bộ Tài chính |  | 2025 |",
        "|  | (2) Định danh địa điểm; (3) Sàn giao dịch | | nghiệp và phát triển nông thôn, Bộ Tài chính |  |",
    )
    got = [fields(t) for t in tasks_of(text)]
    assert got == [("1.", "Hoàn thành các nhiệm vụ chuyển đổi số (2) Định danh địa điểm; (3) Sàn giao dịch",
                    "Bộ Công an, Bộ Nông nghiệp và Phát triển nông thôn, Bộ Tài chính", None, "2025", None)]


def test_flattened_numbered_with_page_break_and_dates_in_content():
    text = table(
        "PHỤ LỤC",
        "TT", "Nội dung nhiệm vụ", "Đơn vị", "chủ trì", "Thời gian", "hoàn thành", "Sản phẩm",
        "I", "Chuyển đổi số",
        "1", "Triển khai Nghị quyết số 57-NQ/TW ngày", "22/12/2024 của Bộ Chính trị về đột phá phát",
        "triển khoa học, công nghệ trên địa bàn", "Sở Khoa học", "và Công nghệ", "Quý II/2026", "Kế hoạch",
        "",
        "2",
        "",
        "TT", "Nội dung nhiệm vụ", "Đơn vị", "chủ trì", "Thời gian", "hoàn thành", "Sản phẩm",
        "2", "Xây dựng cơ sở dữ liệu cán bộ, công chức", "của các cơ quan Đảng trong tỉnh", "Văn phòng",
        "Tỉnh ủy", "Tháng 9/2026", "Cơ sở dữ liệu",
        "II", "Cải cách hành chính",
        "3", "Rà soát thủ tục hành chính nội bộ giữa các", "cơ quan trong hệ thống hành chính nhà nước",
        "Sở Nội vụ", "Hằng năm", "Báo cáo",
        "TM. BAN THƯỜNG VỤ",
        "BÍ THƯ",
    )
    got = [(t.number, t.content, t.lead, t.deadline.text, t.output, t.group) for t in tasks_of(text)]
    assert got == [
        ("1", "Triển khai Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa "
              "học, công nghệ trên địa bàn", "Sở Khoa học và Công nghệ", "Quý II/2026", "Kế hoạch", "Chuyển đổi số"),
        ("2", "Xây dựng cơ sở dữ liệu cán bộ, công chức của các cơ quan Đảng trong tỉnh", "Văn phòng Tỉnh ủy",
         "Tháng 9/2026", "Cơ sở dữ liệu", "Chuyển đổi số"),
        ("3", "Rà soát thủ tục hành chính nội bộ giữa các cơ quan trong hệ thống hành chính nhà nước", "Sở Nội vụ",
         "Hằng năm", "Báo cáo", "Cải cách hành chính"),
    ]


def test_flattened_lead_and_partners_columns():
    # two narrow columns before the time: a capitalised piece starts the partners' cell
    text = table(
        "STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn",
        "1", "Xây dựng kế hoạch chuyển đổi số của", "các cơ quan trong tỉnh năm 2026", "Sở Khoa học",
        "và Công nghệ", "Các sở, ban,", "ngành", "Quý I/2026",
        "2", "Tổ chức hội nghị sơ kết việc thực hiện", "các nghị quyết chuyên đề", "Văn phòng Tỉnh ủy",
        "Tháng 6/2026",
    )
    got = [(t.number, t.lead, t.partners, t.deadline.text) for t in tasks_of(text)]
    assert got == [("1", "Sở Khoa học và Công nghệ", "Các sở, ban, ngành", "Quý I/2026"),
                   ("2", "Văn phòng Tỉnh ủy", None, "Tháng 6/2026")]


def test_flattened_time_cell_run_onto_a_content_line():
    # a PDF reader joined the content's last piece and the time cell into one line
    text = table(
        "Stt", "Nội dung", "Thời gian", "Cơ quan", "chủ trì",
        "I", "Lĩnh vực kinh tế",
        "Nghị quyết về cơ cấu lại ngành nông", "nghiệp giai đoạn 2026 – 2030. Quý I/2026",
        "Đảng uỷ", "UBND xã",
        "Nghị quyết xây dựng nông thôn mới và", "giảm nghèo bền vững Quý II/2026",
        "Ban Xây", "dựng Đảng",
    )
    got = [(t.content, t.lead, t.deadline.text) for t in tasks_of(text)]
    assert got == [("Nghị quyết về cơ cấu lại ngành nông nghiệp giai đoạn 2026 – 2030.", "Đảng uỷ UBND xã", "Quý I/2026"),
                   ("Nghị quyết xây dựng nông thôn mới và giảm nghèo bền vững", "Ban Xây dựng Đảng", "Quý II/2026")]


def test_flattened_unnumbered_lead_before_time():
    text = table(
        "Nội dung", "Cơ quan", "chủ trì", "Thời gian", "hoàn thành",
        "Tổ chức quán triệt, triển khai Nghị quyết", "đến cán bộ, đảng viên trong toàn Đảng bộ", "Ban Tuyên giáo",
        "Tháng 3/2026",
        "Xây dựng chương trình hành động thực hiện", "các chỉ tiêu phát triển kinh tế - xã hội", "UBND xã", "Quý II/2026",
        "Kiểm tra, giám sát việc thực hiện", "Ủy ban Kiểm tra", "Hằng năm",
    )
    got = [(t.content, t.lead, t.deadline.text) for t in tasks_of(text)]
    assert got == [
        ("Tổ chức quán triệt, triển khai Nghị quyết đến cán bộ, đảng viên trong toàn Đảng bộ", "Ban Tuyên giáo",
         "Tháng 3/2026"),
        ("Xây dựng chương trình hành động thực hiện các chỉ tiêu phát triển kinh tế - xã hội", "UBND xã", "Quý II/2026"),
        ("Kiểm tra, giám sát việc thực hiện", "Ủy ban Kiểm tra", "Hằng năm"),
    ]


# --- a table continued after a page break, without a header of its own ----------------------

HEAD4 = "Stt\tNội dung\tĐơn vị chủ trì\tThời gian thực hiện"
PIPE4 = "| Stt | Nội dung | Đơn vị chủ trì | Thời hạn |\n| --- | --- | --- | --- |"


def brief(t):
    return (t.number, t.content, t.lead, t.deadline.text, t.group)


@pytest.mark.parametrize("text,expected", [
    # a page number and a running header between the pages; the rows after them have no header
    (table(HEAD4, "I\tTuyên truyền\t\t", "1\tQuán triệt Nghị quyết\tBan Tuyên giáo\tQuý I/2026",
           "", "- 2 -", "", "ĐẢNG BỘ TỈNH", "2\tXây dựng kế hoạch\tVăn phòng\tTháng 6/2026",
           "3\tSơ kết\tVăn phòng\tNăm 2027"),
     [("1", "Quán triệt Nghị quyết", "Ban Tuyên giáo", "Quý I/2026", "Tuyên truyền"),
      ("2", "Xây dựng kế hoạch", "Văn phòng", "Tháng 6/2026", "Tuyên truyền"),
      ("3", "Sơ kết", "Văn phòng", "Năm 2027", "Tuyên truyền")]),
    # a row cut by the break goes on in the first row of the next page (no Stt, lowercase)
    (table(HEAD4, "1\tRà soát, sửa đổi quy chế làm việc\tVăn phòng\tQuý II/2026", "", "Trang 3", "",
           "\tcủa Ban Chấp hành\t\t", "2\tTổng kết\tBan Tổ chức\tNăm 2030"),
     [("1", "Rà soát, sửa đổi quy chế làm việc của Ban Chấp hành", "Văn phòng", "Quý II/2026", None),
      ("2", "Tổng kết", "Ban Tổ chức", "Năm 2030", None)]),
    # markdown pipe tables: the second part has its separator line but no header row
    (PIPE4 + "\n| 1 | Quán triệt | Ban Tuyên giáo | Quý I/2026 |\n\n12\n\n| --- | --- | --- | --- |\n"
     "| 2 | Sơ kết | Văn phòng | Năm 2027 |\n",
     [("1", "Quán triệt", "Ban Tuyên giáo", "Quý I/2026", None),
      ("2", "Sơ kết", "Văn phòng", "Năm 2027", None)]),
    # a header repeated on the next page that took the end of the cut row's content cell
    (table(HEAD4, "1\tXây dựng chương trình chuyên biệt về khoa học, công nghệ, đổi mới\tĐài PT-TH\tThường xuyên",
           "", "- 2 -", "", "Stt\tNội dung sáng tạo và chuyển đổi số.\tĐơn vị chủ trì\tThời gian thực hiện",
           "2\tSơ kết\tVăn phòng\tNăm 2027"),
     [("1", "Xây dựng chương trình chuyên biệt về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số.",
       "Đài PT-TH", "Thường xuyên", None),
      ("2", "Sơ kết", "Văn phòng", "Năm 2027", None)]),
    # a page's footnote at its foot, however long, is page furniture too
    (table(HEAD4, "1\tQuán triệt Nghị quyết¹\tBan Tuyên giáo\tQuý I/2026", "",
           "¹ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công nghệ.",
           "", "2\tSơ kết\tVăn phòng\tNăm 2027"),
     [("1", "Quán triệt Nghị quyết¹", "Ban Tuyên giáo", "Quý I/2026", None),
      ("2", "Sơ kết", "Văn phòng", "Năm 2027", None)]),
    # a cell the reader cut into short lines between the parts is no obstacle either
    (table(HEAD4, "1\tQuán triệt\tBan Tuyên giáo\tQuý I/2026", "", "Sửa đổi một số", "quy định trong",
           "Luật Viên chức;", "", "2\tSơ kết\tVăn phòng\tNăm 2027"),
     [("1", "Quán triệt", "Ban Tuyên giáo", "Quý I/2026", None),
      ("2", "Sơ kết", "Văn phòng", "Năm 2027", None)]),
])
def test_table_continued_after_page_break(text, expected):
    assert [brief(t) for t in tasks_of(text)] == expected


FIRST = [("1", "Quán triệt Nghị quyết", "Ban Tuyên giáo", "Quý I/2026", None)]


@pytest.mark.parametrize("text,expected", [
    # a different number of columns: another table
    (table(HEAD4, "1\tQuán triệt Nghị quyết\tBan Tuyên giáo\tQuý I/2026", "", "- 2 -", "",
           "1\tDân số\t120.000\tngười\t2025\tCục Thống kê"), FIRST),
    # prose between the two: the first table has ended
    (table(HEAD4, "1\tQuán triệt Nghị quyết\tBan Tuyên giáo\tQuý I/2026", "",
           "Các cơ quan, đơn vị căn cứ chương trình này xây dựng kế hoạch cụ thể và báo cáo kết quả.", "",
           "2\tDân số\t120.000\tngười"), FIRST),
    # a caption or numbered heading of its own opens a new table
    (table(HEAD4, "1\tQuán triệt Nghị quyết\tBan Tuyên giáo\tQuý I/2026", "", "Phụ lục II", "",
           "2\tSơ kết\tVăn phòng\tNăm 2027"), FIRST),
    (table(HEAD4, "1\tQuán triệt Nghị quyết\tBan Tuyên giáo\tQuý I/2026", "", "3. Tổ chức thực hiện", "",
           "2\tSơ kết\tVăn phòng\tNăm 2027"), FIRST),
    # words where the first table has its numerals: not its rows
    (table(HEAD4, "1\tQuán triệt Nghị quyết\tBan Tuyên giáo\tQuý I/2026", "", "- 2 -", "",
           "Hà Nội\tHải Phòng\tĐà Nẵng\tHuế", "Cần Thơ\tVinh\tSơn La\tLào Cai"), FIRST),
    # two columns side by side after a two-column task table: a page layout, not more rows
    (table("Nội dung\tThời gian thực hiện", "Quán triệt Nghị quyết\tQuý I/2026", "", "- 2 -", "",
           "Nơi nhận\tT/M BAN THƯỜNG VỤ", "Các chi bộ\tBÍ THƯ"),
     [(None, "Quán triệt Nghị quyết", None, "Quý I/2026", None)]),
    # a table with a header of its own keeps its own columns
    (table(HEAD4, "1\tQuán triệt Nghị quyết\tBan Tuyên giáo\tQuý I/2026", "", "- 2 -", "",
           "Stt\tThời gian thực hiện\tNội dung\tĐơn vị chủ trì", "1\tNăm 2027\tSơ kết\tVăn phòng"),
     FIRST + [("1", "Sơ kết", "Văn phòng", "Năm 2027", None)]),
])
def test_unrelated_tables_are_not_glued(text, expected):
    assert [brief(t) for t in tasks_of(text)] == expected


def test_headerless_table_after_a_non_task_table_gives_no_task():
    text = table("TT\tChỉ tiêu\tĐơn vị\tKết quả", "1\tQuy mô kinh tế số\t% GDP\t30", "", "- 2 -", "",
                 "2\tTỷ lệ dân số trưởng thành\t%\t80")
    assert tasks_of(text) == []


def test_repeated_header_with_text_spilled_into_several_cells():
    text = table(HEAD4, "1\tHoàn thiện triển khai xây dựng,\tCác bộ, ngành là chủ\tNăm 2025", "",
                 "Stt\tNội dung đưa vào khai thác 114 cơ sở dữ liệu\tĐơn vị chủ trì quản lý dữ liệu\tThời gian thực hiện",
                 "2\tSơ kết\tVăn phòng\tNăm 2027")
    assert [brief(t) for t in tasks_of(text)] == [
        ("1", "Hoàn thiện triển khai xây dựng, đưa vào khai thác 114 cơ sở dữ liệu",
         "Các bộ, ngành là chủ quản lý dữ liệu", "Năm 2025", None),
        ("2", "Sơ kết", "Văn phòng", "Năm 2027", None)]


@pytest.mark.parametrize("gap, furniture", [
    ("Trang 2", True),                      # a page number
    ("12", True),
    ("Phụ lục II", False),                  # a caption of its own opens a new table
    ("PHỤ LỤC 3", False),
    ("Phu luc 3", False),                   # the marks a scan lost
    ("Biểu 2", False),
    ("Bieu 2", False),
    ("Bảng tổng hợp", False),
    ("Mẫu 01", False),
    ("Danh mục nhiệm vụ:", False),          # a line that announces what follows
    ("Bảo đảm", True),                      # a word that only begins like a caption word
    ("Mẫu giáo", False),                    # (a caption word alone at the start is enough)
])
def test_only_page_furniture_between_tables(gap, furniture):
    from extractor.settings import TableSettings
    from extractor.tables.detect import furniture_gap

    lines = split_lines(f"1\tViệc một\tTháng 2\n{gap}\n2\tViệc hai\tTháng 3")
    assert furniture_gap(lines, 0, 2, TableSettings()) is furniture
