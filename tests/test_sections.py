"""Section tree: (body text, expected [(number, title)]) pairs, following the gold conventions."""
import pytest

from extractor.lines import split_lines
from extractor.normalize import normalize_text
from extractor.sections import find_sections


def secs(text: str):
    t = normalize_text(text).text
    return find_sections(t, split_lines(t))


CASES = [
    # Roman with dot or dash, Arabic, dotted, trailing colon removed
    ("I. MỤC ĐÍCH, YÊU CẦU\n\n1. Mục đích\n\nNội dung.\n\nII- NỘI DUNG\n\n3.2. Công tác phối hợp:\n- x",
     [("I", "MỤC ĐÍCH, YÊU CẦU"), ("1", "Mục đích"), ("II", "NỘI DUNG"), ("3.2", "Công tác phối hợp")]),
    # 1.10 after 1.9 is a number, not a decimal
    ("1.9. Đầu tư\n\nx\n\n1.10. Kinh phí thực hiện\n\nx", [("1.9", "Đầu tư"), ("1.10", "Kinh phí thực hiện")]),
    # a numbered run-in sentence of content is not a heading
    ("IV- TỔ CHỨC THỰC HIỆN\n\n1. Hội đồng nhân dân huyện ban hành cơ chế, chính sách để thực hiện Kế hoạch này.\n\n"
     "2. UBND huyện chỉ đạo các ngành tổ chức thực hiện. Ưu tiên bố trí nguồn vốn.",
     [("IV", "TỔ CHỨC THỰC HIỆN")]),
    # a short item that heads bullets is a heading even among run-in siblings
    ("III. TỔ CHỨC THỰC HIỆN\n\n1. Các đồng chí lãnh đạo Ban: Thường xuyên theo dõi, đôn đốc.\n\n"
     "2. Ban Tuyên giáo Đảng ủy các xã, thị trấn\n\n- Căn cứ Kế hoạch để xây dựng kế hoạch.",
     [("III", "TỔ CHỨC THỰC HIỆN"), ("2", "Ban Tuyên giáo Đảng ủy các xã, thị trấn")]),
    # a label with a lower-case qualifier after the colon is a heading; its title is the label
    ("3. Đề xuất, kiến nghị: với Ban Tuyên giáo Trung ương, với Tỉnh ủy.", [("3", "Đề xuất, kiến nghị")]),
    # ends with a colon and heads bullets
    ("1. Thực hiện công tác tham mưu cho cấp ủy các cấp hiệu quả:\n\n- Tham mưu triển khai.",
     [("1", "Thực hiện công tác tham mưu cho cấp ủy các cấp hiệu quả")]),
    # parenthesised items, bullets, footnotes, unnumbered upper-case lines and table rows are not headings
    ("(1) Dự kiến chủ đề\n- Gạch đầu dòng\n¹ Chú thích số 1. Nội dung\nNHIỆM VỤ CỤ THỂ\n1\tNội dung\tBan\tQuý II",
     []),
    # Phần / Chương / Điều; a lower-case lettered item is a list item, not a section (contract)
    ("Phần I. TÌNH HÌNH\n\nChương II\n\nĐiều 5. Trách nhiệm thi hành\n\na) Nội dung thứ nhất\n\n- x",
     [("Phần I", "TÌNH HÌNH"), ("Chương II", ""), ("Điều 5", "Trách nhiệm thi hành")]),
    # hard-wrapped lines (pdftotext): the item is judged whole — a wrapped sentence is content,
    # a wrapped label keeps its whole title
    ("II. NỘI DUNG\n4. Hoàn thành di dời 01 khu công nghiệp và 02 cụm công\nnghiệp ra khỏi khu dân cư.\n"
     "5. Tập trung phát triển bền vững các khu công nghiệp, cụm công nghiệp\nđã thành lập\n- Nội dung",
     [("II", "NỘI DUNG"), ("5", "Tập trung phát triển bền vững các khu công nghiệp, cụm công nghiệp đã thành lập")]),
    # a heading glued to the previous one by a conversion
    ("II. Kết quả thực hiện**1. Kết quả tham mưu cấp ủy**\n\n- x",
     [("II", "Kết quả thực hiện"), ("1", "Kết quả tham mưu cấp ủy")]),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_sections(text, expected):
    assert [(s.number, s.title) for s in secs(text)] == expected


def test_tree_parents_levels_and_spans():
    text = "I. A\n\n1. B\n\n1.1. C\n\n1.2. D\n\n2. E\n\nII. F\n\n1. G"
    t = normalize_text(text).text
    got = find_sections(t, split_lines(t))
    by_num = [(s.number, s.level, next((p.number for p in got if p.id == s.parent), None)) for s in got]
    assert by_num == [("I", 1, None), ("1", 2, "I"), ("1.1", 3, "1"), ("1.2", 3, "1"), ("2", 2, "I"),
                      ("II", 1, None), ("1", 2, "II")]
    for s in got:
        assert t[s.span[0]:s.span[1]].startswith(s.number.split()[-1])


def test_skip_spans_are_not_searched():
    t = "I. TIÊU ĐỀ GIẢ\n\nII. THẬT"
    got = find_sections(t, split_lines(t), skip=[(0, 10)])
    assert [s.number for s in got] == ["II"]
