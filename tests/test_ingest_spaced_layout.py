"""Columns aligned with spaces (a `pdftotext -layout` dump, a report typed in a monospaced font,
a Word paragraph typed with spaces) survive a PDF or DOCX: the PDF reader writes a monospaced
row's indent and gaps back as spaces, the DOCX reader keeps such a paragraph's indents, so the
table layer's fixed-width reader finds the same table in all three."""
from __future__ import annotations

import pytest

from extractor.api import extract
from extractor.ingest import ingest
from extractor.ingest.docx import laid_out
from extractor.ingest.pdf import _mono_rows, _mono_text
from extractor.settings import Settings
from tests.fixtures.render import blocks, to_docx, to_pdf

S = Settings(ocr="never")

# a task table as pdftotext -layout writes it: cells wrapped over several lines, columns by spaces;
# accented capitals whose marks overhang their box ("ĐỀ", "Ư") are in it on purpose
LAYOUT = """\
                                              Cơ quan chủ        Thời hạn
TT               Nội dung nhiệm vụ
                                                  trì           hoàn thành

       Rà soát, cập nhật kế hoạch quản lý chất
 1     thải rắn sinh hoạt trên địa bàn tỉnh đến     Sở Nông nghiệp     Quý II/2026
       năm 2030                                     và Môi trường

       Xây dựng ĐỀ ÁN ƯU TIÊN đầu tư hạ tầng xử
 2     lý nước thải tại các khu, cụm công nghiệp    Sở Công Thương     Trước ngày
                                                                       30/9/2026

       Tổ chức kiểm tra, giám sát việc thực hiện     Ủy ban nhân dân
 3     các quy định về bảo vệ môi trường đối với     các xã, phường     Hằng năm
       cơ sở sản xuất"""

DOC = f"""ĐẢNG BỘ TỈNH ABC
BAN THƯỜNG VỤ

KẾ HOẠCH
thực hiện nhiệm vụ bảo vệ môi trường năm 2026

I. MỤC ĐÍCH, YÊU CẦU
Triển khai đồng bộ, hiệu quả các nhiệm vụ bảo vệ môi trường trên địa bàn tỉnh.

                                 PHỤ LỤC
                    DANH MỤC NHIỆM VỤ TRỌNG TÂM NĂM 2026

{LAYOUT}
"""


def _lines(text: str) -> list[str]:
    return [ln for ln in text.split("\n") if ln.strip()]


@pytest.mark.parametrize("fmt, render", [("pdf", to_pdf), ("docx", to_docx)])
def test_spaced_columns_read_back_as_typed(fmt, render):
    got = _lines(ingest(render("Kế hoạch năm 2026.\n\n" + LAYOUT), fmt, S).pages[0])
    assert got[0] == "Kế hoạch năm 2026."               # prose stays prose
    assert got[1:] == _lines(LAYOUT)


@pytest.mark.parametrize("fmt, render", [("pdf", to_pdf), ("docx", to_docx)])
def test_spaced_task_table_gives_the_tasks_of_the_text(fmt, render, tmp_path):
    def tasks(path):
        doc = extract(path)
        assert doc.status == "ok", doc.errors
        return [(t.number, t.content, t.lead, t.deadline.text) for t in doc.tasks]

    (tmp_path / "doc.txt").write_text(DOC, encoding="utf-8")
    (tmp_path / f"doc.{fmt}").write_bytes(render(DOC))
    want = tasks(tmp_path / "doc.txt")
    assert [t[0] for t in want] == ["1", "2", "3"]      # the text path reads the layout
    assert tasks(tmp_path / f"doc.{fmt}") == want


def _typed_docx(text: str) -> bytes:
    """A Word file typed line by line: one paragraph per line (an empty one for a blank line),
    columns made with spaces in Courier New."""
    import io

    import docx

    d = docx.Document()
    for ln in text.split("\n"):
        p = d.add_paragraph()
        if ln:
            p.add_run(ln).font.name = "Courier New"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_typed_line_by_line_keeps_its_layout(tmp_path):
    got = ingest(_typed_docx("Kế hoạch năm 2026.\n\n" + LAYOUT), "docx", S).pages[0].split("\n")
    assert got[0] == "Kế hoạch năm 2026."
    assert got[2:] == LAYOUT.split("\n")                # indents kept, blank lines where typed
    (tmp_path / "doc.txt").write_text(DOC, encoding="utf-8")
    (tmp_path / "doc.docx").write_bytes(_typed_docx(DOC))
    want = [(t.number, t.content, t.lead, t.deadline.text) for t in extract(tmp_path / "doc.txt").tasks]
    assert [(t.number, t.content, t.lead, t.deadline.text) for t in extract(tmp_path / "doc.docx").tasks] == want


def _word(text, x0, pitch=None, size=10.0, top=100.0):
    w = {"text": text, "x0": x0, "x1": x0 + len(text) * (pitch or 5.0), "top": top, "bottom": top + size,
         "size": size}
    if pitch and len(text) >= 2:
        w["pitch"] = pitch
    return w


P = 6.0   # a 10 pt monospaced font's pitch


@pytest.mark.parametrize("rows, expected", [
    # a long monospaced row proves the font; a short one of the same pitch and size is monospaced too
    ([[_word("TT", 72, P), _word("Nội", 72 + 5 * P, P), _word("dung", 72 + 9 * P, P), _word("nhiệm", 72 + 14 * P, P)],
      [_word("GRDP", 72 + 3 * P, P, top=112)]],
     {0: "TT   Nội dung nhiệm", 1: "   GRDP"}),
    # a short row alone proves nothing, nor does a row of numbers (digits of one width are the rule)
    ([[_word("GRDP", 90, P)]], {}),
    ([[_word("1000", 72, P), _word("2000", 72 + 6 * P, P), _word("3000", 72 + 12 * P, P), _word("4000", 72 + 18 * P, P)]],
     {}),
    # proportional words (no even glyph steps) are no monospaced row
    ([[_word("Tổ", 72), _word("chức", 90), _word("kiểm", 120), _word("tra", 150)]], {}),
    # words of another pitch on the row: not one monospaced font
    ([[_word("Rà", 72, P), _word("soát,", 90, P), _word("cập", 130, 7.5), _word("nhật", 160, P)]], {}),
    # a short row of another size is not taken for the proven font
    ([[_word("Tổ", 72, P), _word("chức", 72 + 3 * P, P), _word("kiểm", 72 + 8 * P, P), _word("tra", 72 + 13 * P, P),
       _word("định", 72 + 17 * P, P)],
      [_word("2026", 80, P, size=12.0, top=112)]],
     {0: "Tổ chức kiểm tra định"}),
])
def test_monospaced_rows_keep_their_indent_and_gaps(rows, expected):
    mono = _mono_rows(rows)
    left = min(r[0]["x0"] for r in rows)
    assert {k: _mono_text(rows[k], p, left, None) for k, p in mono.items()} == expected


@pytest.mark.parametrize("lines, expected", [
    (["Nơi nhận:                 T/M BAN THƯỜNG VỤ", "- Như trên;"], True),
    (["      1. Mục đích", "- Quán triệt sâu sắc"], False),       # indented prose
    (["1.  Các thành viên Đảng đoàn"], False),                    # two spaces: a typing slip
])
def test_docx_paragraph_laid_out_with_spaces(lines, expected):
    assert laid_out(lines) is expected


@pytest.mark.parametrize("text, expected", [
    ("Một dòng.\nHai  dòng.", [("para", ["Một dòng.", "Hai  dòng."])]),
    ("  TT    Nội dung\n  1     Việc", [("pre", ["  TT    Nội dung", "  1     Việc"])]),
    # a form feed inside a block turns the page there; between blocks it is a page break of its own
    ("a\n\fb\n\n\fc", [("para", ["a", "\fb"]), ("break", None), ("para", ["c"])]),
])
def test_renderer_blocks(text, expected):
    assert blocks(text) == expected
