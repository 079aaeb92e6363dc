"""Settings reach every stage they tune, and are part of the cache key."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from extractor.api import extract_text
from extractor.batch import settings_fingerprint
from extractor.settings import AssignmentSettings, Settings, TableSettings

PLAN = ("KẾ HOẠCH\nThực hiện nhiệm vụ năm 2024\n\nI. NHIỆM VỤ\n"
        "3. Giao Ban Tuyên giáo Huyện ủy chủ trì, phối hợp với Văn phòng Huyện ủy tổ chức hội nghị "
        "trước ngày 15/12/2024.\n")


def test_assignment_settings_reach_the_assignments_stage():
    on = extract_text(PLAN)
    off = extract_text(PLAN, settings=Settings(assignments=AssignmentSettings(enabled=False)))
    assert [t.origin for t in on.tasks] == ["list"]
    assert off.tasks == []


def test_stage_settings_are_part_of_the_cache_fingerprint():
    base = settings_fingerprint(Settings())
    assert settings_fingerprint(Settings(tables=TableSettings(layout_edge_window=8))) != base
    assert settings_fingerprint(Settings(assignments=AssignmentSettings(enabled=False))) != base
    assert settings_fingerprint(Settings(timeout=5)) == base   # how long a worker may take changes no record


def test_stage_settings_are_validated():
    with pytest.raises(ValidationError):
        TableSettings(max_blank_gap="many")
    with pytest.raises(ValidationError):
        TableSettings(no_such_setting=1)


def test_section_settings_reach_the_sections_stage():
    from extractor.settings import SectionSettings

    text = "KẾ HOẠCH\nCông tác năm 2024\n\nI. MỤC ĐÍCH\nNội dung.\n\n1. Công tác tuyên truyền giáo dục\nNội dung.\n"
    assert [s.number for s in extract_text(text).sections] == ["I", "1"]
    short = Settings(sections=SectionSettings(max_label_words=2, max_paragraph_heading_words=2))
    assert [s.number for s in extract_text(text, settings=short).sections] == ["I"]
    assert settings_fingerprint(short) != settings_fingerprint(Settings())


SIGNED = ("ĐẢNG BỘ TỈNH ĐỒNG NAI\nTỈNH ỦY\n*\nSố 12-KH/TU\t\tĐồng Nai, ngày 5 tháng 3 năm 2024\n\n"
          "KẾ HOẠCH\nThực hiện nhiệm vụ năm 2024\n\nI. NHIỆM VỤ\nNội dung.\n\n"
          "Nơi nhận:\t\t\tT/M BAN THƯỜNG VỤ\n- Như trên,\t\t\tPHÓ BÍ THƯ\n- Lưu VP.\n\n\n\n\t\t\tNguyễn Văn An\n")


def test_meta_settings_reach_the_meta_stage():
    from extractor.settings import MetaSettings

    doc = extract_text(SIGNED)
    assert doc.meta.signer is not None
    assert (doc.meta.signer.authority, doc.meta.signer.position, doc.meta.signer.name) == \
        ("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Nguyễn Văn An")
    assert doc.meta.title and doc.meta.title.startswith("Thực hiện")
    # the name is 5 lines below the position: a look-ahead of 2 lines does not reach it from the
    # signature block (only the fallback, a name after the recipients, still finds it)
    near = Settings(meta=MetaSettings(signer_lookahead=2))
    got = extract_text(SIGNED, settings=near).meta.signer
    assert got is None or got.position is None
    # a header read over its first 3 lines never reaches the type word and its title
    short = Settings(meta=MetaSettings(header_scan_lines=3))
    assert extract_text(SIGNED, settings=short).meta.title is None
    assert settings_fingerprint(near) != settings_fingerprint(Settings())
    with pytest.raises(ValidationError):
        MetaSettings(position_min_ratio=2)
