"""The format comes from the content (magic bytes), not only from a name; and the year
deadlines fall in comes from the evidence the contract names, in its order."""
import io
import zipfile

import pytest

from extractor.api import extract
from extractor.ingest import sniff_format
from extractor.model import Meta
from extractor.pipeline import _deadline_context


def _zip(name: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(name, "<w:document/>")
    return buf.getvalue()


@pytest.mark.parametrize("data,expected", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "pdf"),
    (b"\xef\xbb\xbf\r\n%PDF-1.4\n", "pdf"),                      # a little junk before the header
    (_zip("word/document.xml"), "docx"),
    (_zip("xl/workbook.xml"), None),                             # a zip that is no Word file
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32, "doc"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, "image"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image"),
    (b"II*\x00\x08\x00", "image"),
    (b"MM\x00*\x00\x00", "image"),
    (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "image"),
    ("KẾ HOẠCH\nCông tác năm 2024\n".encode("utf-8"), None),
    (b"", None),
])
def test_sniff_format(data, expected):
    assert sniff_format(data) == expected


def test_extract_bytes_and_misnamed_files_read_by_content(tmp_path):
    from tests.fixtures.render import to_pdf

    text = "TỈNH ỦY LÀO CAI\nSố 12-KH/TU\nLào Cai, ngày 05 tháng 01 năm 2026\n\nKẾ HOẠCH\nCông tác năm 2026\n"
    pdf = to_pdf(text)
    assert extract(pdf).source.format == "pdf"
    assert extract(text.encode("utf-8")).source.format == "txt"
    misnamed = tmp_path / "ke-hoach.txt"
    misnamed.write_bytes(pdf)
    doc = extract(misnamed)
    assert (doc.source.format, doc.meta.number) == ("pdf", "12-KH/TU")
    bare = tmp_path / "ke-hoach"
    bare.write_text(text, encoding="utf-8")
    assert extract(bare).source.format == "txt"


@pytest.mark.parametrize("title,issued,text,year,source", [
    ("Công tác năm 2024", "2023-12-20", "", 2024, "title"),
    (None, "2026-03-10", "", 2026, "issued_date"),
    (None, None, "TỈNH ỦY\nLào Cai, ngày 05 tháng 01 năm 2025\n", 2025, "text"),
    # no title, no date line: the year most full dates in the text name
    (None, None, "Thực hiện Kết luận ngày 18/10/2025; hoàn thành trước 30/6/2026, báo cáo 15/12/2026.", 2026, "text"),
    (None, None, "Không có ngày nào.", None, None),
])
def test_deadline_year_cascade(title, issued, text, year, source):
    ctx = _deadline_context(Meta(title=title, issued_date=issued), text)
    assert (ctx.year, ctx.source) == (year, source)
