"""Deadline grammar: a table of (written text, document year, expected fields).

Expected values come from shared/spec/output-contract.md, the gold notes
(corpus/gold/seeds/NOTES-*.md) and the conventions written at the top of
extractor/data/deadline_vocab.yaml — not from running the parser.
"""
from __future__ import annotations

import glob
import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from extractor.deadlines import NO_YEAR_NOTE, DeadlineContext, find_deadlines, parse_deadline

ROOT = Path(__file__).resolve().parents[1]
GOLD = sorted(glob.glob(str(ROOT / "corpus" / "gold" / "seeds" / "*.json")))

P = "period"
# (text, document year, kind, start, end, recurrence)
CASES = [
    # date: the day, start == end; qualifiers absorbed
    ("20/11/2023", 2023, "date", "2023-11-20", "2023-11-20", None),
    ("Trước 30/11/2023", 2023, "date", "2023-11-30", "2023-11-30", None),
    ("Ngày 21/11/2023", 2023, "date", "2023-11-21", "2023-11-21", None),
    ("Trước ngày 25/11/2023", 2023, "date", "2023-11-25", "2023-11-25", None),
    ("Phát hành trước 03/12/2023", 2023, "date", "2023-12-03", "2023-12-03", None),
    ("05-06-2024", None, "date", "2024-06-05", "2024-06-05", None),
    ("05.06.2024", None, "date", "2024-06-05", "2024-06-05", None),
    ("ngày 05 tháng 6 năm 2024", None, "date", "2024-06-05", "2024-06-05", None),
    ("chậm nhất đến ngày 01 tháng 7 năm 2028", None, "date", "2028-07-01", "2028-07-01", None),
    ("Chậm nhất ngày 15/7", 2024, "date", "2024-07-15", "2024-07-15", None),
    ("đến ngày 30/6/2024", None, "date", "2024-06-30", "2024-06-30", None),
    ("30/11", 2024, "date", "2024-11-30", "2024-11-30", None),
    ("29/02/2024", None, "date", "2024-02-29", "2024-02-29", None),
    ("Hạn chót 15/1/24", None, "date", "2024-01-15", "2024-01-15", None),
    # months, two-digit and Roman, with and without the year
    ("Tháng 01/2024", None, P, "2024-01-01", "2024-01-31", None),
    ("Trong tháng 11/2023", None, P, "2023-11-01", "2023-11-30", None),
    ("Tháng 3", 2024, P, "2024-03-01", "2024-03-31", None),
    ("Tháng 02", 2024, P, "2024-02-01", "2024-02-29", None),
    ("Tháng 2", 2023, P, "2023-02-01", "2023-02-28", None),
    ("Tháng III/2024", None, P, "2024-03-01", "2024-03-31", None),
    ("tháng 12 năm 2025", 2024, P, "2025-12-01", "2025-12-31", None),
    ("Đầu tháng 11/2023", None, P, "2023-11-01", "2023-11-10", None),
    ("Giữa tháng 3", 2024, P, "2024-03-11", "2024-03-20", None),
    ("Cuối tháng 2", 2024, P, "2024-02-21", "2024-02-29", None),
    ("Tuần đầu tháng 3", 2024, P, "2024-03-01", "2024-03-07", None),
    ("Tuần cuối tháng 2", 2024, P, "2024-02-23", "2024-02-29", None),
    # quarters, Roman or digits, "/" or "năm"
    ("Quý II", 2024, P, "2024-04-01", "2024-06-30", None),
    ("Quý I/2023", None, P, "2023-01-01", "2023-03-31", None),
    ("Quý 1/2026", None, P, "2026-01-01", "2026-03-31", None),
    ("quý IV năm 2026", None, P, "2026-10-01", "2026-12-31", None),
    ("Quý 02/2024", None, P, "2024-04-01", "2024-06-30", None),
    ("Quí III", 2025, P, "2025-07-01", "2025-09-30", None),
    ("Quý II (Theo kế hoạch của BTGTU)", 2024, P, "2024-04-01", "2024-06-30", None),
    ("Cuối quý II", 2024, P, "2024-06-01", "2024-06-30", None),
    ("Đầu quý III/2025", None, P, "2025-07-01", "2025-07-31", None),
    # halves and parts of a year
    ("6 tháng đầu năm", 2024, P, "2024-01-01", "2024-06-30", None),
    ("6 tháng cuối năm", 2024, P, "2024-07-01", "2024-12-31", None),
    ("6 tháng đầu năm 2025", 2024, P, "2025-01-01", "2025-06-30", None),
    ("Cuối năm", 2024, P, "2024-10-01", "2024-12-31", None),
    ("Đầu năm 2025", None, P, "2025-01-01", "2025-03-31", None),
    # years and ranges
    ("Năm 2024", None, P, "2024-01-01", "2024-12-31", None),
    ("Từ năm 2022", None, P, "2022-01-01", None, None),
    ("Từ năm 2022-2025", None, P, "2022-01-01", "2025-12-31", None),
    ("Từ quý I/2022 đến hết năm 2025", None, P, "2022-01-01", "2025-12-31", None),
    ("2026 - 2030", None, P, "2026-01-01", "2030-12-31", None),
    ("2021 – 2025", None, P, "2021-01-01", "2025-12-31", None),
    ("giai đoạn 2021-2025", None, P, "2021-01-01", "2025-12-31", None),
    ("đến năm 2030", None, P, None, "2030-12-31", None),
    ("Đến hết năm 2025", None, P, None, "2025-12-31", None),
    ("trong năm 2025 và những năm tiếp theo", None, P, "2025-01-01", None, None),
    ("Từ tháng 11 đến tháng 2/2025", None, P, "2024-11-01", "2025-02-28", None),
    ("Từ 15/11/2023 đến 15/1", None, P, "2023-11-15", "2024-01-15", None),
    ("Tháng 10/2023 - tháng 3/2024", None, P, "2023-10-01", "2024-03-31", None),
    ("Quý II - IV", 2024, P, "2024-04-01", "2024-12-31", None),
    # ongoing
    ("Thường xuyên", 2024, "ongoing", None, None, None),
    ("Thực hiện thường xuyên", 2022, "ongoing", None, None, None),
    ("Thường xuyên, liên tục", 2022, "ongoing", None, None, None),
    # recurring, both hàng and hằng
    ("Hàng tháng", 2024, "recurring", None, None, "monthly"),
    ("Hằng năm", 2022, "recurring", None, None, "yearly"),
    ("Hàng năm", 2022, "recurring", None, None, "yearly"),
    ("Hàng quý", 2024, "recurring", None, None, "quarterly"),
    ("Hằng quý", 2024, "recurring", None, None, "quarterly"),
    ("Hàng tuần", 2023, "recurring", None, None, "weekly"),
    ("Mỗi tháng", 2023, "recurring", None, None, "monthly"),
    ("3 tháng/lần", 2024, "recurring", None, None, "P3M"),
    ("6 tháng/1 lần", 2024, "recurring", None, None, "P6M"),
    ("Định kỳ 6 tháng", 2024, "recurring", None, None, "semiannual"),
    ("Trước ngày 20 hàng tháng", 2024, "recurring", None, None, "monthly"),
    ("trước 25 hằng tháng", 2024, "recurring", None, None, "monthly"),
    ("Hàng năm nếu có thay đổi", 2022, "recurring", None, None, "yearly"),
    ("Cuối quý", 2024, "recurring", None, None, "quarterly"),
    ("giữa tháng", 2024, "recurring", None, None, "monthly"),
    # conditional
    ("Khi có yêu cầu", 2024, "conditional", None, None, None),
    ("Theo kế hoạch", 2024, "conditional", None, None, None),
    ("Khi Tỉnh ủy ban hành", 2024, "conditional", None, None, None),
    ("Theo Hướng dẫn của BTGTU", 2024, "conditional", None, None, None),
    ("Theo chỉ đạo của Tỉnh ủy", 2022, "conditional", None, None, None),
    ("Theo sự chỉ đạo của Tỉnh ủy", 2022, "conditional", None, None, None),
    ("Khi có văn bản, chỉ đạo, hướng dẫn của Trung ương, của tỉnh", 2022, "conditional", None, None, None),
    ("Khi có Kế hoạch của Tỉnh ủy", 2022, "conditional", None, None, None),
    # relative
    ("Trước sự kiện 30 ngày", 2024, "relative", None, None, None),
    ("Sau hội nghị 15 ngày", 2024, "relative", None, None, None),
    ("Trước Tết Nguyên đán", 2024, "relative", None, None, None),
    ("Sau Đại hội", 2024, "relative", None, None, None),
    ("Trước hết", 2024, "none", None, None, None),
    ("Sau", 2024, "none", None, None, None),
    ("Đầu năm học", 2024, "none", None, None, None),
    # multiple: earliest start, latest end
    ("Tháng 6, tháng 12", 2024, "multiple", "2024-06-01", "2024-12-31", None),
    ("Tháng 2, 5", 2024, "multiple", "2024-02-01", "2024-05-31", None),
    ("Tháng 5, 11", 2024, "multiple", "2024-05-01", "2024-11-30", None),
    ("Quý II, IV", 2024, "multiple", "2024-04-01", "2024-12-31", None),
    ("Năm 2022 và 2023", 2022, "multiple", "2022-01-01", "2023-12-31", None),
    ("Quý III năm 2023 và quý IV/2025", 2022, "multiple", "2023-07-01", "2025-12-31", None),
    ("Tháng 5 và tháng 6/2025", 2024, "multiple", "2025-05-01", "2025-06-30", None),
    ("Hàng tuần, tháng", 2024, "multiple", None, None, None),
    # an ongoing list item after a date: a multiple that stays open (gold NOTES-F, row 28)
    ("Hoàn thành trước ngày 30/9/2026 và duy trì liên tục", None, "multiple", "2026-09-30", None, None),
    # inside the date's own item the ongoing words are a note
    ("Thường xuyên kiểm tra trước 30/9/2026", None, "date", "2026-09-30", "2026-09-30", None),
    # a part that goes on leaves the end open (gold NOTES-F, row 48)
    ("Báo cáo đầu tiên trước ngày 25/7/2026; cập nhật hằng tháng", None, "multiple", "2026-07-25", None, None),
    # spelled-out months and quarters, in any case
    ("tháng ba", 2025, P, "2025-03-01", "2025-03-31", None),
    ("Tháng sáu", 2025, P, "2025-06-01", "2025-06-30", None),
    ("tháng mười năm 2017", None, P, "2017-10-01", "2017-10-31", None),
    ("Tháng Mười", 2024, P, "2024-10-01", "2024-10-31", None),
    ("tháng mười một năm 2017", None, P, "2017-11-01", "2017-11-30", None),
    ("tháng Chạp", 2024, P, "2024-12-01", "2024-12-31", None),
    ("quý ba", 2025, P, "2025-07-01", "2025-09-30", None),
    ("Quý Ba năm 2026", None, P, "2026-07-01", "2026-09-30", None),
    ("quý tư", 2025, P, "2025-10-01", "2025-12-31", None),
    ("tháng hai và tháng ba", 2025, "multiple", "2025-02-01", "2025-03-31", None),
    ("ngày 5 tháng mười năm 2017", None, "date", "2017-10-05", "2017-10-05", None),
    ("ngày 1 tháng Giêng năm 2020", None, "date", "2020-01-01", "2020-01-01", None),
    ("cuối tháng Mười năm 2017", None, P, "2017-10-21", "2017-10-31", None),
    # "một" and "năm" are not spelled-out months
    ("trong tháng một số nhiệm vụ", 2025, "none", None, None, None),
    # a day of the month named in words
    ("ngày đầu tiên của tháng 3", 2025, "date", "2025-03-01", "2025-03-01", None),
    ("ngày cuối cùng của tháng 2/2024", None, "date", "2024-02-29", "2024-02-29", None),
    # a weekday before a number is no duration
    ("thứ 5 tuần sau", 2025, "none", None, None, None),
    ("thứ 2 ngày 6 tháng 2", 2025, "date", "2025-02-06", "2025-02-06", None),
    ("Thứ Sáu, ngày 14/3/2025", None, "date", "2025-03-14", "2025-03-14", None),
    # two-digit years: the century that puts the year near the document's
    ("3/9/91", 2025, "date", "1991-09-03", "1991-09-03", None),
    ("3/9/91", None, "date", "1991-09-03", "1991-09-03", None),
    ("15/1/26", 2025, "date", "2026-01-15", "2026-01-15", None),
    # a condition of several words anywhere in a cell with no time
    ("Xây dựng kế hoạch và triển khai theo kế hoạch của Bộ Công an", 2026, "conditional", None, None, None),
    ("Thực hiện theo chỉ đạo của Tỉnh uỷ", 2026, "conditional", None, None, None),
    # none: a document symbol is not a month
    ("Nghị quyết số 66.7/2025/NQ-CP", 2025, "none", None, None, None),
    # a dash inside a document symbol is no range; a backwards range is two dates
    ("năm 2025 Nghị quyết số 57-NQ/TW ngày 22/12/2024", None, P, "2025-01-01", "2025-12-31", None),
    ("Từ 30/6/2025 đến 01/01/2025", None, "multiple", "2025-01-01", "2025-06-30", None),
    ("", 2024, "none", None, None, None),
    ("   ", 2024, "none", None, None, None),
    ("Phòng TT-TT", 2024, "none", None, None, None),
]


def _ctx(year):
    return DeadlineContext(year=year)


@pytest.mark.parametrize("text,year,kind,start,end,recurrence", CASES)
def test_table(text, year, kind, start, end, recurrence):
    d = parse_deadline(text, _ctx(year))
    assert (d.kind, d.start, d.end, d.recurrence) == (kind, start, end, recurrence)
    assert d.text == text


@pytest.mark.parametrize("text,year,note", [
    ("Quý II (Theo kế hoạch của BTGTU)", 2024, "Theo kế hoạch của BTGTU"),
    ("Trước ngày 20 hàng tháng", 2024, "ngày 20"),
    ("trước 25 hằng tháng", 2024, "ngày 25"),
    ("Phát hành trước 03/12/2023", 2023, "Phát hành"),
    ("Hàng năm nếu có thay đổi", 2022, "nếu có thay đổi"),
    ("Trước 30/11/2023", 2023, None),
    ("Thực hiện thường xuyên", 2023, None),
    ("trong năm 2025 và những năm tiếp theo", None, "và những năm tiếp theo"),
    ("Tháng 3", None, NO_YEAR_NOTE),
    ("Quý II", None, NO_YEAR_NOTE),
])
def test_note(text, year, note):
    assert parse_deadline(text, _ctx(year)).note == note


@pytest.mark.parametrize("text,year,timex", [
    ("Quý II", 2024, "2024-Q2"),
    ("Tháng 3", 2024, "2024-03"),
    ("6 tháng đầu năm", 2024, "2024-H1"),
    ("20/03/2024", None, "2024-03-20"),
    ("Năm 2024", None, "2024"),
    ("Trước ngày 20 hàng tháng", 2024, "XXXX-XX-20"),
    ("Trước 30/11 hàng năm", 2024, "XXXX-11-30"),
    ("Hàng tháng", 2024, "P1M"),
    ("Hàng quý", 2024, "P3M"),
    ("Hằng năm", 2024, "P1Y"),
    ("Hàng tuần", 2024, "P1W"),
    ("3 tháng/lần", 2024, "P3M"),
    ("Đầu tháng 11/2023", None, "2023-11-01/2023-11-10"),
    ("Từ năm 2022", None, "2022/.."),
    ("đến năm 2030", None, "../2030"),
    ("Từ quý I/2022 đến hết năm 2025", None, "2022-Q1/2025"),
    ("Tháng 3", None, "XXXX-03"),
    ("Trước sự kiện 30 ngày", 2024, "P30D"),
    ("Thường xuyên", 2024, None),
])
def test_timex(text, year, timex):
    assert parse_deadline(text, _ctx(year)).timex == timex


def test_parts_keep_text_as_written():
    d = parse_deadline("Quý II, IV", _ctx(2024))
    assert [(p.text, p.kind, p.start, p.end) for p in d.parts] == [
        ("Quý II", "period", "2024-04-01", "2024-06-30"), ("IV", "period", "2024-10-01", "2024-12-31")]
    d = parse_deadline("Hàng tuần, tháng", _ctx(2024))
    assert [(p.text, p.kind, p.recurrence) for p in d.parts] == [
        ("Hàng tuần", "recurring", "weekly"), ("tháng", "recurring", "monthly")]
    d = parse_deadline("Năm 2022 và 2023", _ctx(2022))
    assert [p.text for p in d.parts] == ["Năm 2022", "2023"]


def test_parts_spans_with_offset():
    text = "xx Tháng 6, tháng 12"
    d = parse_deadline(text[3:], _ctx(2024), offset=3)
    assert d.span == (3, len(text))
    assert [text[p.span[0]:p.span[1]] for p in d.parts] == ["Tháng 6", "tháng 12"]


def test_no_year_anywhere_leaves_dates_null():
    for text in ["Tháng 3", "Quý II, IV", "6 tháng đầu năm", "30/11"]:
        d = parse_deadline(text, DeadlineContext())
        assert d.start is None and d.end is None
        assert d.note and "year unknown" in d.note
    assert parse_deadline("Tháng 3").start is None          # no ctx at all: never today's year


def test_impossible_date_is_not_invented():
    d = parse_deadline("Ngày 31/2/2024", _ctx(2024))
    assert d.start is None and d.end is None and d.note


def test_bare_part_of_month_in_a_monthly_plan():
    ctx = DeadlineContext.from_document("Công tác Tuyên giáo tháng 11/2023", "2023")
    d = parse_deadline("Cuối tháng", ctx)
    assert (d.kind, d.start, d.end) == ("period", "2023-11-21", "2023-11-30")
    d = parse_deadline("Trước ngày 20", ctx)
    assert (d.kind, d.start) == ("date", "2023-11-20")


# ------------------------------------------------------------ context


@pytest.mark.parametrize("title,issued,year", [
    ("Công tác Tuyên giáo năm 2024", None, 2024),
    ("Công tác Tuyên giáo tháng 11/2023", "2023", 2023),
    ("kết quả thực hiện nhiệm vụ công tác Tuyên giáo tháng 5, phương hướng nhiệm vụ tháng 6 năm 2024", None, 2024),
    # dates in the title belong to cited documents: the issue date decides
    ('Thực hiện Kết luận số 224-KL/TU, ngày 18/10/2021 của Ban Chấp hành Đảng bộ tỉnh', "2022-01", 2022),
    ("Kế hoạch công tác", "2019-12-30", 2019),
    ("Kế hoạch công tác quý II/2025", None, 2025),
    ("Kế hoạch công tác", None, None),
    (None, None, None),
])
def test_context_year(title, issued, year):
    assert DeadlineContext.from_document(title, issued).year == year


def test_context_title_beats_issue_date():
    # a plan for 2024 issued in December 2023
    assert DeadlineContext.from_document("Kế hoạch công tác năm 2024", "2023-12-20").year == 2024


def test_context_from_text_head():
    text = "HUYỆN ỦY X\nSố 12-KH/HU\nX, ngày 05 tháng 01 năm 2021\nKẾ HOẠCH\n..."
    assert DeadlineContext.from_document("Kế hoạch công tác", None, text).year == 2021
    assert DeadlineContext.from_document(None, None, "giai đoạn 2021-2025").period_start == 2021


def test_context_never_from_today():
    assert DeadlineContext.from_document("", "", "").year is None


# ------------------------------------------------------------ gold


def _gold_rows():
    for path in GOLD:
        g = json.loads(Path(path).read_text(encoding="utf-8"))
        ctx = DeadlineContext.from_document(g["meta"].get("title"), g["meta"].get("issued_date"))
        for t in g.get("tasks", []):
            yield ctx, t["deadline"]


@pytest.mark.skipif(not GOLD, reason="no gold seeds")
def test_gold_task_deadlines():
    rows = list(_gold_rows())
    assert rows
    key = lambda d: (d.get("kind") or "none", d.get("start"), d.get("end"), d.get("recurrence"))
    hits = kinds = 0
    misses = []
    for ctx, gd in rows:
        pd = parse_deadline(gd["text"] or "", ctx).model_dump()
        hits += key(gd) == key(pd)
        kinds += key(gd)[0] == key(pd)[0]
        if key(gd) != key(pd):
            misses.append((gd["text"], key(gd), key(pd)))
    assert kinds == len(rows), misses
    assert hits / len(rows) >= 0.99, misses


@pytest.mark.skipif(not GOLD, reason="no gold seeds")
def test_gold_multiple_parts():
    for ctx, gd in _gold_rows():
        if gd["kind"] != "multiple":
            continue
        pd = parse_deadline(gd["text"], ctx)
        got = [(p.text, p.kind, p.start, p.end, p.recurrence) for p in pd.parts]
        want = [(p["text"], p["kind"], p["start"], p["end"], p["recurrence"]) for p in gd["parts"]]
        assert got == want


# ------------------------------------------------------------ prose


PROSE = (
    "ĐẢNG BỘ TỈNH\nHà Nội, ngày 03 tháng 4 năm 2018\n"
    "Thực hiện Kết luận số 100-KL/TW, ngày 18/8/2014 của Ban Bí thư.\n"
    "- Tổ chức sơ kết. Hoàn thành trước ngày 15/7/2024.\n"
    "- Báo cáo gửi về Ban Tuyên giáo Tỉnh ủy *trước ngày 20/6/2024* để tổng hợp.\n"
    "- Các đơn vị gửi kết quả chậm nhất đến ngày 01 tháng 7 năm 2028.\n"
    "- Ban hành kế hoạch trong quý II/2024.\n"
    "- Kết quả, trong tháng 5/2024 đã đăng tải 22 bài viết.\n"
    "- Trước hết, cần quán triệt; trước mắt tập trung.\n"
    "- Định kỳ hàng tháng (trước ngày 20) gửi báo cáo.\n"
)


def test_prose_finds_only_deadline_phrases():
    ds = find_deadlines(PROSE, DeadlineContext(year=2024))
    got = [(d.text, d.kind, d.start, d.recurrence) for d in ds]
    assert got == [
        ("Hoàn thành trước ngày 15/7/2024", "date", "2024-07-15", None),
        ("trước ngày 20/6/2024", "date", "2024-06-20", None),
        ("chậm nhất đến ngày 01 tháng 7 năm 2028", "date", "2028-07-01", None),
        ("trong quý II/2024", "period", "2024-04-01", None),
        ("Định kỳ hàng tháng (trước ngày 20)", "recurring", None, "monthly"),
    ]
    for d in ds:
        assert PROSE[d.span[0]:d.span[1]] == d.text


def test_prose_as_of_is_not_a_deadline_and_ranges_start_at_tu():
    text = ("Tính đến hết ngày 24/5/2025, có 22 bộ báo cáo. "
            "Thời gian: 100 ngày làm việc, từ ngày 10/7/2026 đến hết ngày 30/11/2026.\n")
    ds = find_deadlines(text, DeadlineContext(year=2026))
    assert [(d.text, d.kind, d.start, d.end) for d in ds] == [
        ("từ ngày 10/7/2026 đến hết ngày 30/11/2026", "period", "2026-07-10", "2026-11-30")]


def test_prose_exclude_spans():
    start = PROSE.index("- Báo cáo")
    end = PROSE.index("\n", start)
    texts = [d.text for d in find_deadlines(PROSE, DeadlineContext(year=2024), exclude=[(start, end)])]
    assert "trước ngày 20/6/2024" not in texts
    assert "Hoàn thành trước ngày 15/7/2024" in texts


def test_prose_seed_001():
    path = ROOT / "corpus" / "seeds" / "001_3541ba954ea84f62.txt"
    if not path.exists():
        pytest.skip("seed missing")
    text = path.read_text(encoding="utf-8")
    ds = find_deadlines(text, DeadlineContext(year=2024))
    dates = sorted({d.start for d in ds})
    assert dates == ["2024-06-10", "2024-06-20", "2024-06-25", "2024-07-15"]
    assert all(d.kind == "date" for d in ds)


# ------------------------------------------------------------ dateparser agrees on day dates


@pytest.mark.parametrize("text", ["18/8/2014", "ngày 11 tháng 01 năm 2024", "05-06-2024", "29/02/2024"])
def test_day_dates_agree_with_dateparser(text):
    dateparser = pytest.importorskip("dateparser")
    from extractor.deadlines import DATEPARSER_SETTINGS
    ref = dateparser.parse(text, languages=["vi"], settings=DATEPARSER_SETTINGS)
    assert ref is not None
    assert parse_deadline(text).start == ref.date().isoformat()


# ------------------------------------------------------------ properties


vi_alphabet = st.sampled_from(list("0123456789/-.,;()– ") + ["tháng", "quý", "năm", "ngày", "hàng", "hằng",
                                                                 "trước", "từ", "đến", "II", "IV", "và", "Khi",
                                                                 "Theo", "thường xuyên", "lần", "đầu", "cuối", "\n"])
vi_text = st.lists(vi_alphabet, max_size=30).map(" ".join) | st.text(max_size=80)


@settings(max_examples=300, deadline=None)
@given(vi_text, st.one_of(st.none(), st.integers(1900, 2100)))
def test_parse_never_raises(text, year):
    d = parse_deadline(text, DeadlineContext(year=year))
    assert d.text == text
    assert d.kind in {"date", "period", "recurring", "ongoing", "conditional", "relative", "multiple", "none"}
    if d.kind == "date" and d.start:
        assert d.start == d.end
    if d.start and d.end:
        assert d.start <= d.end


@settings(max_examples=300, deadline=None)
@given(vi_text, st.integers(1900, 2100), st.lists(st.tuples(st.integers(0, 100), st.integers(0, 100)), max_size=3))
def test_find_never_raises_and_spans_hold(text, year, exclude):
    for d in find_deadlines(text, DeadlineContext(year=year), exclude=exclude):
        a, b = d.span
        assert 0 <= a < b <= len(text)
        assert text[a:b] == d.text
        assert not any(x <= a < y for x, y in exclude)


def test_repeated_cells_give_independent_results():
    """parse_deadline keeps a cache of parses: a caller editing one result must not change the next."""
    ctx = DeadlineContext(year=2024)
    first = parse_deadline("Tháng 3 và tháng 5", ctx)
    want = first.model_dump()
    first.note, first.start, first.span = "edited", "1999-01-01", (1, 2)
    first.parts[0].start = "1999-01-01"
    first.parts.append(first.parts[0])
    again = parse_deadline("Tháng 3 và tháng 5", ctx)
    assert again.model_dump() == want
    assert parse_deadline("Tháng 3 và tháng 5", ctx, offset=10).span == (10, 28)
    # the document's context is part of the key
    assert parse_deadline("Tháng 3", DeadlineContext(year=2025)).start == "2025-03-01"
    assert parse_deadline("Tháng 3", ctx).start == "2024-03-01"
