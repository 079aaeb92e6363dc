"""Imported by the workers' forkserver (local.py `_PRELOAD`): runs one small document
through the pipeline so that grammars, YAML vocabularies and lazy imports are loaded once
in the server, and every worker forked from it starts warm (the first document of a cold
worker costs ~0.5 s more than the next ones)."""
from __future__ import annotations

SAMPLE = """ĐẢNG CỘNG SẢN VIỆT NAM
TỈNH ỦY ĐỒNG NAI
*
Số 1-KH/TU
Đồng Nai, ngày 11 tháng 01 năm 2024

KẾ HOẠCH
thực hiện Kết luận số 100-KL/TW, ngày 18/8/2014 của Ban Bí thư

Thực hiện Nghị quyết số 35-NQ/TW, Tỉnh ủy ban hành kế hoạch như sau:
I. MỤC ĐÍCH, YÊU CẦU
1. Hoàn thành trước ngày 30/6/2024.
II. NHIỆM VỤ
Stt\tNội dung\tChủ trì\tPhối hợp\tThời gian
1\tTuyên truyền Chỉ thị 05\tBan Tuyên giáo\tCác huyện ủy\tQuý II
2\tSơ kết\tVăn phòng\t\tThường xuyên

Nơi nhận:
- Lưu VP.
T/M BAN THƯỜNG VỤ
BÍ THƯ
Nguyễn Văn A
"""


def warm_up() -> None:
    from ..core import extract_text

    extract_text(SAMPLE)


try:
    warm_up()
except Exception:  # warming is an optimization: a cold worker still works
    pass
