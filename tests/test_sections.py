"""Section tree: (body text, expected [(number, title)]) pairs, following the gold conventions."""
import pytest

from extractor.lines import split_lines
from extractor.normalize import normalize_text
from extractor.sections import find_annexes, find_sections


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

    # --- lines that only start with a number because a converter wrapped them are not headings
    # the rest of a document symbol whose number ended the line before
    ("I. NỘI DUNG\nTiếp tục thực hiện Chỉ thị số\n36-CT/TW, ngày 16/8/2019 của Bộ Chính trị về tăng cường\n"
     "và Kết luận số\n75-KL/TW, Chương trình hành động số 31-CTr/TW\ntheo Kế hoạch số\n01-HD/ĐU ngày",
     [("I", "NỘI DUNG")]),
    # a money figure or a decimal wrapped to the start of a line
    ("1. Kinh phí\n- tổng số tiền là\n55.800.000 đồng;\n- tỷ lệ\n2.5% so với năm trước",
     [("1", "Kinh phí")]),
    # running page headers (a file name, a line that comes back with only its page number changed)
    ("I. MỤC ĐÍCH\n\nNội dung dài.\n\n18.CTRTW31.DOC 1\n\nNội dung.\n\n18.CTRTW31.DOC 2\n\nII. NỘI DUNG\n\nx.",
     [("I", "MỤC ĐÍCH"), ("II", "NỘI DUNG")]),
    ("I. MỤC ĐÍCH\nNội dung.\n2 Kế hoạch 12-KH/ĐU\nNội dung.\n3 Kế hoạch 12-KH/ĐU\nx.\n4 Kế hoạch 12-KH/ĐU\n"
     "II. NỘI DUNG", [("I", "MỤC ĐÍCH"), ("II", "NỘI DUNG")]),
    # the same heading text under several parents is not a running header
    ("I. A\n1.1. Tập trung lãnh đạo, chỉ đạo:\n- x\nII. B\n2.1. Tập trung lãnh đạo, chỉ đạo:\n- x\n"
     "III. C\n3.1. Tập trung lãnh đạo, chỉ đạo:\n- x",
     [("I", "A"), ("1.1", "Tập trung lãnh đạo, chỉ đạo"), ("II", "B"), ("2.1", "Tập trung lãnh đạo, chỉ đạo"),
      ("III", "C"), ("3.1", "Tập trung lãnh đạo, chỉ đạo")]),
    # --- numbered decisions and content sentences that head nothing
    ("QUYẾT NGHỊ:\n1. Hợp nhất tỉnh A và tỉnh B, lấy tên là tỉnh C.\n2. Hợp nhất tỉnh D và tỉnh E, lấy tên là tỉnh D.",
     []),
    ("Điều 1. Ban hành kèm theo Nghị quyết này Chương trình hành động của Chính phủ thực hiện Nghị quyết số 57-NQ/TW.\n"
     "Điều 2. Nghị quyết này có hiệu lực thi hành kể từ ngày ký ban hành.\n"
     "Điều 3. Các Bộ trưởng, Thủ trưởng cơ quan ngang bộ chịu trách nhiệm thi hành Nghị quyết này./.",
     []),
    # a short item in a list of content sentences is content too; a dotted item that is a whole
    # sentence of assignment heading nothing is content
    ("I. NHÓM NỘI DUNG\n1. Tập trung lãnh đạo công tác Mừng Đảng\n2. Rà soát, bổ sung Quy hoạch cán bộ lãnh đạo, giai "
     "đoạn 2026 – 2030 và xây dựng Kế hoạch đào tạo.\n3. Nghị quyết về lãnh đạo nhiệm vụ quốc phòng, quân sự địa phương "
     "và công tác tuyển quân.\n4. Nghị quyết về tăng cường sự lãnh đạo của các cấp uỷ Đảng đối với công tác an ninh.",
     [("I", "NHÓM NỘI DUNG")]),
    ("2. Đảng uỷ Các cơ quan Đảng tỉnh chỉ đạo:\n\n2.1. Đảng ủy Hội đồng nhân dân tỉnh lãnh đạo Hội đồng nhân dân\n"
     "tỉnh xem xét, quyết nghị các cơ chế, chính sách thuộc thẩm quyền, bảo đảm\ncơ sở pháp lý và nguồn lực cho việc "
     "thực hiện Nghị quyết; tổ chức giám sát\ncác nội dung theo thẩm quyền.\n\n2.2. Đảng ủy Ủy ban Mặt trận Tổ quốc "
     "tỉnh và các tổ chức\nchính trị - xã hội đẩy mạnh tuyên truyền, vận động để đoàn viên, hội viên và\nNhân dân nắm vững, "
     "hiểu đúng, đầy đủ các chủ trương triển khai Nghị quyết, nhất là đối với công tác bồi thường.",
     [("2", "Đảng uỷ Các cơ quan Đảng tỉnh chỉ đạo")]),
    # --- lower-case lettered and parenthesised items are list items, whatever they look like
    ("1. Tổ chức thực hiện\na) Tổ đảng ở Thường trực Ủy ban Kinh tế\n- x\nb. Lãnh đạo Ban Dân nguyện\n- y\n"
     "(1) Dự kiến chủ đề\n(2) Thống kê đề xuất",
     [("1", "Tổ chức thực hiện")]),
    # on a scan "a)" can read "8)": next to lettered items it is one of them
    ("7. Các tỉnh uỷ, thành uỷ\n8) Xây dựng chương trình, kế hoạch và tổ chức thực hiện\n"
     "b) Lãnh đạo, chỉ đạo bố trí đủ ngân sách\n8. Ban Chính sách, chiến lược Trung ương\n- x",
     [("7", "Các tỉnh uỷ, thành uỷ"), ("8", "Ban Chính sách, chiến lược Trung ương")]),
    # --- scans: the sequence of siblings and the heading's style decide, not the glyph alone
    ("1- MỤC ĐÍCH, YÊU CẦU\n\n1. Nội dung thứ nhất rất dài của mục này.\n\nII- NHIỆM VỤ CHỦ YẾU\n\nx.\n\n"
     "HI- TỔ CHỨC THỰC HIỆN\n\nx.",
     [("I", "MỤC ĐÍCH, YÊU CẦU"), ("II", "NHIỆM VỤ CHỦ YẾU"), ("III", "TỔ CHỨC THỰC HIỆN")]),
    # "III" read as "II" (a stroke lost) when no sibling after it shows a repeat; a repeat the
    # document really has (a "III" follows) and a restarted outline (an "II" follows) stay as printed
    ("I. MỤC ĐÍCH\n- x\nII. NỘI DUNG\n- y\nII. TỔ CHỨC THỰC HIỆN\n- z",
     [("I", "MỤC ĐÍCH"), ("II", "NỘI DUNG"), ("III", "TỔ CHỨC THỰC HIỆN")]),
    ("I. Mục đích\n- x\nII. Thành phần\n- y\nII. Nội dung làm việc\n- z\nIII. Tổ chức thực hiện\n- w",
     [("I", "Mục đích"), ("II", "Thành phần"), ("II", "Nội dung làm việc"), ("III", "Tổ chức thực hiện")]),
    ("I. A\n- x\nII. B\n- y\nĐỀ CƯƠNG\nI. C\n- z\nII. D\n- w",
     [("I", "A"), ("II", "B"), ("I", "C"), ("II", "D")]),
    ("1. Tổ đảng\na) Tổ đảng ở Ủy ban Kinh tế\n- x\nD) Tổ đảng ở Ủy ban Đối ngoại\n- y\ne) Lãnh đạo Ban\n- z",
     [("1", "Tổ đảng")]),
    # "III" read as "II" before its sibling "IV" (the one before is "I"); before a restarted outline
    # ("I." of an annex) as at the end of the text; "II" with its dot lost at the end, after "II"
    ("I. MỤC TIÊU\n- x\nII. NHIỆM VỤ VÀ GIẢI PHÁP\n- y\nIV. TỔ CHỨC THỰC HIỆN\n- z",
     [("I", "MỤC TIÊU"), ("III", "NHIỆM VỤ VÀ GIẢI PHÁP"), ("IV", "TỔ CHỨC THỰC HIỆN")]),
    ("I. Mục đích\n- x\nII. Nội dung\n- y\nII. Tổ chức thực hiện\n- z\nĐỀ CƯƠNG\nI. Khái quát\n- w\nII. Tình hình\n- v",
     [("I", "Mục đích"), ("II", "Nội dung"), ("III", "Tổ chức thực hiện"), ("I", "Khái quát"), ("II", "Tình hình")]),
    ("I. MỤC TIÊU\n- x\nII NHIỆM VỤ CỤ THỂ\n1. Nâng cao nhận thức\n- y\nII TỔ CHỨC THỰC HIỆN\n- z",
     [("I", "MỤC TIÊU"), ("II", "NHIỆM VỤ CỤ THỂ"), ("1", "Nâng cao nhận thức"), ("III", "TỔ CHỨC THỰC HIỆN")]),
    # "l)" read "I)" among lettered items is one of them, no Roman sibling (which would stop the
    # "II" with its dot lost after it from being read as the next Roman heading)
    ("I. MỤC TIÊU\n- x\nII NHIỆM VỤ CỤ THỂ\n1. Hoàn thiện thể chế\nk) Nghiên cứu phương án.\n"
     "I) Sửa đổi các quy định về viện trợ.\nm) Sửa đổi các quy định về vốn vay.\nII TỔ CHỨC THỰC HIỆN\n- z",
     [("I", "MỤC TIÊU"), ("II", "NHIỆM VỤ CỤ THỂ"), ("1", "Hoàn thiện thể chế"), ("III", "TỔ CHỨC THỰC HIỆN")]),
    # ... and "1." read as "I." before its sibling "2." is the Arabic item; a Roman part in
    # sentence case followed by its own "1." stays Roman
    ("I. Tăng cường sự lãnh đạo của Đảng\n- x\n2. Đổi mới tư duy\n- y\n3. Phát triển nhân lực\n- z",
     [("1", "Tăng cường sự lãnh đạo của Đảng"), ("2", "Đổi mới tư duy"), ("3", "Phát triển nhân lực")]),
    ("I. Mục đích, yêu cầu:\n1. Nắm tình hình\n- x\nII. Thành phần:\n1. Thành phần Đoàn\n- y",
     [("I", "Mục đích, yêu cầu"), ("1", "Nắm tình hình"), ("II", "Thành phần"), ("1", "Thành phần Đoàn")]),
    ("IL. MỤC ĐÍCH, YÊU CẦU\n- x\nIL PHẠM VI, ĐỐI TƯỢNG\n- y\nII NHIỆM VỤ TRỌNG TÂM\n- z\nIV. TỔ CHỨC THỰC HIỆN\n- w",
     [("I", "MỤC ĐÍCH, YÊU CẦU"), ("II", "PHẠM VI, ĐỐI TƯỢNG"), ("III", "NHIỆM VỤ TRỌNG TÂM"),
      ("IV", "TỔ CHỨC THỰC HIỆN")]),
    ("I- MỤC ĐÍCH, YÊU CẦU\nI1. Mục đích\n- x\n2. Yêu cầu\n- y",
     [("I", "MỤC ĐÍCH, YÊU CẦU"), ("1", "Mục đích"), ("2", "Yêu cầu")]),
    # a compound wrapped at its dash ("kinh tế" / "- xã hội") is no bullet the item heads
    ("IV- NHIỆM VỤ\n4. Tiếp tục theo dõi công tác đào tạo.\n5. Tập trung thông tin, tuyên truyền, phản ánh các nhiệm vụ, mục tiêu, kết quả phát triển kinh tế\n"
     "- xã hội, các hoạt động sơ kết 6 tháng đầu năm 2024. Tuyên truyền thực hiện hiệu quả.\n6. Báo cáo công tác.",
     [("IV", "NHIỆM VỤ")]),
    # a real Arabic list in capitals is not renumbered when no Roman sibling expects it
    ("1. MỤC ĐÍCH\n- x\n2. YÊU CẦU\n- y", [("1", "MỤC ĐÍCH"), ("2", "YÊU CẦU")]),
    # OCR confusions that give no Vietnamese word are repaired in titles
    ("IV. TÔ CHỨC THỰC HIỆN\n\n9. Đây mạnh hợp tác và hội nhập quốc tế\n\nNội dung.",
     [("IV", "TỔ CHỨC THỰC HIỆN"), ("9", "Đẩy mạnh hợp tác và hội nhập quốc tế")]),
    # --- run-in headings: the label is the title; a label naming a body gives work: content
    ("II. THÀNH PHẦN\n3. Thời gian làm việc: Tuần cuối tháng 9/2025.\n4. Địa điểm làm việc: Tại phòng họp Đảng uỷ.\n"
     "5. Phạm vi: 100 ngày làm việc, từ ngày 10/7/2026.",
     [("II", "THÀNH PHẦN"), ("3", "Thời gian làm việc"), ("4", "Địa điểm làm việc"), ("5", "Phạm vi")]),
    ("III. TỔ CHỨC THỰC HIỆN\n1. Các đồng chí lãnh đạo Ban: Thường xuyên theo dõi, đôn đốc.\n"
     "2. Ban Tuyên giáo: Chủ trì tham mưu.", [("III", "TỔ CHỨC THỰC HIỆN")]),
    # --- an item heads the paragraph of its own that follows it; siblings fill a gap
    ("II. MỤC TIÊU\n      4. Hoàn thành di dời 01 khu công nghiệp (Đông Phố Mới) và 02 cụm công\nnghiệp.\n"
     "      UBND phường chủ trì, phối hợp với các sở thực hiện công tác GPMB,\nhoàn thành trong quý IV năm 2026.",
     [("II", "MỤC TIÊU"), ("4", "Hoàn thành di dời 01 khu công nghiệp (Đông Phố Mới) và 02 cụm công nghiệp.")]),
    ("III. NHIỆM VỤ\n\n1. Nâng cao nhận thức\n\n- x\n\n2. Khẩn trương, quyết liệt hoàn thiện thể chế; xoá bỏ mọi tư "
     "tưởng, quan niệm, rào cản đang cản trở sự phát triển; đưa thể chế thành một lợi thế cạnh tranh trong phát triển "
     "khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số\n\nTiếp tục thể chế hoá.\n\n3. Tăng cường đầu tư\n\n- y",
     [("III", "NHIỆM VỤ"), ("1", "Nâng cao nhận thức"),
      ("2", "Khẩn trương, quyết liệt hoàn thiện thể chế; xoá bỏ mọi tư tưởng, quan niệm, rào cản đang cản trở sự "
            "phát triển; đưa thể chế thành một lợi thế cạnh tranh trong phát triển khoa học, công nghệ, đổi mới sáng "
            "tạo và chuyển đổi số"),
      ("3", "Tăng cường đầu tư")]),
    # the items "1.", "2." that open a list before its first heading "3." are headings too (a scan
    # lost the bullets they head); not when they are sentences of content
    ("III. NHIỆM VỤ\n\n1. Nâng cao nhận thức, đột phá về đổi mới tư duy, xác định quyết tâm chính trị mạnh mẽ, quyết "
     "liệt lãnh đạo, chỉ đạo, tạo xung lực mới, khí thế mới trong toàn xã hội về phát triển khoa học, công nghệ, đổi "
     "mới sáng tạo và chuyển đổi số quốc gia\n\nCác cấp uỷ cần nhận thức đầy đủ.\n\n"
     "2. Khẩn trương hoàn thiện thể chế\n\nTiếp tục thể chế hoá.\n\n3. Tăng cường đầu tư\n\n- y",
     [("III", "NHIỆM VỤ"),
      ("1", "Nâng cao nhận thức, đột phá về đổi mới tư duy, xác định quyết tâm chính trị mạnh mẽ, quyết liệt lãnh "
            "đạo, chỉ đạo, tạo xung lực mới, khí thế mới trong toàn xã hội về phát triển khoa học, công nghệ, đổi mới "
            "sáng tạo và chuyển đổi số quốc gia"),
      ("2", "Khẩn trương hoàn thiện thể chế"), ("3", "Tăng cường đầu tư")]),
    ("III. NHIỆM VỤ\n\n1. Các sở triển khai thực hiện kế hoạch này trong năm 2026, báo cáo kết quả. Ưu tiên bố trí "
     "nguồn lực cho các nhiệm vụ.\n\nNội dung.\n\n2. Tăng cường đầu tư\n\n- y",
     [("III", "NHIỆM VỤ"), ("2", "Tăng cường đầu tư")]),
    # a run-in item opening the list counts by its label, unless the label names a body it gives work to
    ("I. NHÓM NỘI DUNG\n1. Tại Hội nghị tháng 3, tháng 6, tháng 9 và tháng 11 hằng năm: Đánh giá tình hình "
     "thực hiện nhiệm vụ.\nVăn phòng Đảng uỷ phối hợp tham mưu\n2. Tại Hội nghị tháng 12 hằng năm: Tổng kết công tác\n"
     "Ban xây dựng Đảng phối hợp",
     [("I", "NHÓM NỘI DUNG"), ("1", "Tại Hội nghị tháng 3, tháng 6, tháng 9 và tháng 11 hằng năm"),
      ("2", "Tại Hội nghị tháng 12 hằng năm")]),
    ("I. NHIỆM VỤ\n1. Các đồng chí lãnh đạo Ban: Thường xuyên theo dõi, đôn đốc việc thực hiện.\nVăn phòng tham mưu\n"
     "2. Thời gian: Tuần cuối tháng 9\nBan xây dựng Đảng phối hợp",
     [("I", "NHIỆM VỤ"), ("2", "Thời gian")]),
    # "1." read "¡." before its sibling "2."; a compound dash spaced on one side only is spaced
    ("I. KẾT QUẢ\n¡. Việc sắp xếp tổ chức bộ máy\n- x\n2. Chuẩn bị đại hội\n- y",
     [("I", "KẾT QUẢ"), ("1", "Việc sắp xếp tổ chức bộ máy"), ("2", "Chuẩn bị đại hội")]),
    ("2.1. Nghị quyết về phát triển kinh tế- xã hội giai đoạn 2026 -2030\n- x",
     [("2.1", "Nghị quyết về phát triển kinh tế - xã hội giai đoạn 2026 -2030")]),
    # --- text layers: one word per line after a bare number; a heading glued to the paragraph before
    ("I. KẾT QUẢ\n1.1.\nVề\nthực\nhiện\nNghị\nquyết\nsố\n18\nThực hiện sắp xếp tổ chức bộ máy của hệ thống chính trị.",
     [("I", "KẾT QUẢ"), ("1.1", "Về thực hiện Nghị quyết số 18")]),
    ("3.3. Tập huấn\n- Hội nghị tập huấn cho báo cáo viên cấp huyện (tháng 5). 3.4. Tham gia các cuộc thi\n- Cuộc thi chính luận.",
     [("3.3", "Tập huấn"), ("3.4", "Tham gia các cuộc thi")]),
    # --- the recipients list after the last item is not a block the item heads
    ("III. TỔ CHỨC THỰC HIỆN\n3. Định kỳ, Thường trực Ủy ban chủ trì, phối hợp với các cơ quan giúp Đảng đoàn triển "
     "khai thực hiện Kế hoạch này; tổng hợp, báo cáo kết quả thực hiện khi có yêu cầu.\n\nNơi nhận:\n- Ban Bí thư,\n- Lưu.",
     [("III", "TỔ CHỨC THỰC HIỆN")]),
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


def test_articles_nest_under_chapters_and_hold_their_clauses():
    text = ("Chương I\nQUY ĐỊNH CHUNG\nMục 1. PHẠM VI\nĐiều 1. Phạm vi điều chỉnh\n1. Quy định này áp dụng cho\n"
            "- các cơ quan\nĐiều 2. Trách nhiệm của các cơ quan, tổ chức, cá nhân trong việc thực hiện Quy định này.\n"
            "1. Các cơ quan có trách nhiệm:\n- x\nChương II\nĐiều 3. Hiệu lực thi hành")
    t = normalize_text(text).text
    got = find_sections(t, split_lines(t))
    parent = {s.id: s.number for s in got}
    assert [(s.number, parent.get(s.parent)) for s in got] == [
        ("Chương I", None), ("Mục 1", "Chương I"), ("Điều 1", "Mục 1"), ("1", "Điều 1"),
        ("Điều 2", "Mục 1"), ("1", "Điều 2"), ("Chương II", None), ("Điều 3", "Chương II")]


def test_skip_spans_are_not_searched():
    t = "I. TIÊU ĐỀ GIẢ\n\nII. THẬT"
    got = find_sections(t, split_lines(t), skip=[(0, 10)])
    assert [s.number for s in got] == ["II"]


def _skip_footer(t: str):
    at = t.find("Nơi nhận")
    return [(at, len(t))] if at >= 0 else []


@pytest.mark.parametrize("text,expected", [c for c in CASES if "Nơi nhận" in c[0]])
def test_recipients_are_not_a_block(text, expected):
    t = normalize_text(text).text
    assert [(s.number, s.title) for s in find_sections(t, split_lines(t), skip=_skip_footer(t))] == expected


ANNEX_DOC = ("I. MỤC ĐÍCH\n\nNội dung.\n\nII. NHIỆM VỤ\n\n1. Tuyên truyền\n\n- x\n\n"
             "Phụ lục 2 kèm theo Chương trình này là một câu.\n\nPHỤ LỤC 2\nDANH MỤC NHIỆM VỤ\n"
             "TT\tNội dung nhiệm vụ\tCơ quan chủ trì\tThời gian hoàn thành\n"
             "I\tNhiệm vụ chung\t\t\n1\tTuyên truyền Nghị quyết\tBan Tuyên giáo\tQuý II/2026\n"
             "2\tSơ kết Nghị quyết\tVăn phòng\tQuý IV/2026\n"
             "II.1 Hoàn thiện thể chế\n\nPhụ lục 3: DANH MỤC CHỈ TIÊU\nx")


def test_annex_titles_end_the_body():
    t = normalize_text(ANNEX_DOC).text
    assert [(s.number, s.title) for s in find_sections(t, split_lines(t))] == [
        ("I", "MỤC ĐÍCH"), ("II", "NHIỆM VỤ"), ("1", "Tuyên truyền")]
    annexes = find_annexes(split_lines(t))
    assert [a for a, _ in annexes] == ["PHỤ LỤC 2", "Phụ lục 3"]
    assert t[annexes[0][1][0]:].startswith("PHỤ LỤC 2") and annexes[0][1][1] == annexes[1][1][0]
    assert annexes[1][1][1] == len(t)


@pytest.mark.parametrize("line,label", [
    ("PHỤ LỤC", "PHỤ LỤC"), ("PHỤ LỤC I", "PHỤ LỤC I"), ("Phụ lục số 01: Danh mục", "Phụ lục số 01"),
    ("PHỤ LỤC: DANH MỤC NHIỆM VỤ", "PHỤ LỤC"), ("PHỤ LỤC CÁC NHIỆM VỤ TRỌNG TÂM", "PHỤ LỤC"),
    ("Phụ lục 2 kèm theo Chương trình hành động; tổ chức thực hiện", None),
    ("Phụ lục kèm theo)", None),
])
def test_annex_title_lines(line, label):
    got = find_annexes(split_lines(line))
    assert ([a for a, _ in got] or [None])[0] == label


def test_tasks_in_an_annex_get_the_annex_and_no_section():
    from extractor.api import extract_text

    doc = extract_text("KẾ HOẠCH\nCông tác năm 2026\n\n" + ANNEX_DOC)
    assert doc.tasks, "the annex table gives tasks"
    for t in doc.tasks:
        assert t.annex == "PHỤ LỤC 2" and t.section is None
    assert [s.number for s in doc.sections] == ["I", "II", "1"]
