"""Every tunable of a run in one validated object (dateparser/pdfplumber style)."""
from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, ConfigDict, Field


class TableSettings(BaseModel):
    """Tunables of the table reconstruction (pdfplumber-style `table_settings`)."""
    model_config = ConfigDict(extra="forbid", frozen=True)

    # --- detection of table regions -------------------------------------------------
    # blank lines allowed inside a table (page breaks leave one or two)
    max_blank_gap: int = 3
    # a table needs at least this many rows after the header to be worth reading
    min_data_rows: int = 1
    # a headerless table continues the task table before it across a page break when only page
    # furniture stands between them: at most this many non-blank lines, none longer than this
    continuation_max_gap_lines: int = 80
    continuation_max_line_len: int = 50
    # --- header / column roles -----------------------------------------------------
    # header cells are labels, not sentences
    max_header_cell_len: int = 80
    # a header row names at least this many known roles
    min_header_roles: int = 2
    # share of non-empty cells that must fit a content test to confirm / override a role
    number_share: float = 0.6
    deadline_share: float = 0.5
    status_share: float = 0.6
    # --- logical rows ----------------------------------------------------------------
    # a time expression longer than this is not taken for a shifted deadline cell
    max_time_cell_len: int = 90
    # --- pdftotext -layout --------------------------------------------------------------
    # runs of at least this many spaces separate two cells on one physical line
    layout_min_gap: int = 2
    # a header block spans at most this many physical lines
    layout_max_header_lines: int = 7
    # a line this long without a column gap is prose: the table has ended
    layout_prose_len: int = 70
    # how far (characters) a row's column may sit from where its page puts it once fitted,
    # and how far left of the content's wrap width a joined run may be cut: pdftotext places
    # every row anew, so columns drift a few characters from row to row
    layout_edge_window: int = 12
    # fitting the page's columns to a row: stretch factors and shifts (characters) tried for
    # all columns together, and the furthest one run counts when misplaced
    layout_stretch: tuple[float, float] = (0.6, 1.4)
    layout_shift: int = 10
    layout_misfit_cap: float = 10.0
    # costs of giving a piece of a row's line to a column (split_block): a piece that is not
    # a numeral in the Stt column, the cap on a piece's distance from its column, per character
    # running past the wrap width, the cap for a time expression in the deadline column, a
    # piece cut off into the deadline column that is no time, a time left at the end of another
    # column, a cut piece opening a cell in lowercase, each cut, two runs in one column
    layout_cost_stt: float = 20.0
    layout_cost_distance_cap: float = 15.0
    layout_cost_overrun: float = 0.5
    layout_cost_deadline_time_cap: float = 5.0
    layout_cost_deadline_cut: float = 6.0
    layout_cost_time_tail: float = 4.0
    layout_cost_lower_start: float = 2.0
    layout_cost_cut: float = 0.5
    layout_cost_shared_column: float = 2.0


class SectionSettings(BaseModel):
    """Tunables of the section tree (sections.py)."""
    model_config = ConfigDict(extra="forbid", frozen=True)

    # a numbered line longer than this (in words) that heads nothing is content, not a label
    max_label_words: int = Field(22, ge=1)
    # a Roman / dotted / Phần heading is at most this long (characters)
    max_heading_chars: int = Field(400, ge=1)
    # a line longer than this is never a heading candidate
    max_candidate_chars: int = Field(2000, ge=1)
    # a heading the converter hard-wrapped goes on over at most this many lower-case lines
    max_continuation_lines: int = Field(3, ge=0)
    # "3. Đề xuất, kiến nghị: với …": a label of at most this many words before a lower-case clause
    max_run_in_label_words: int = Field(8, ge=1)
    # "1. Thời gian: Tuần cuối tháng 9": a topic label of at most this many words before its value
    max_topic_label_words: int = Field(8, ge=1)
    # "4. Hoàn thành di dời …." over a paragraph of its own: a one-sentence item of at most this
    # many words heads that paragraph
    max_paragraph_heading_words: int = Field(30, ge=1)


class MetaSettings(BaseModel):
    """Tunables of the header and signature reading (meta.py)."""
    model_config = ConfigDict(extra="forbid", frozen=True)

    # the header (issuer, number, place and date, type word, title) never runs longer than this
    header_scan_lines: int = Field(60, ge=1)
    # a line longer than this (characters) after the title's first one is body text
    title_line_max: int = Field(160, ge=1)
    # lines between the signing authority and the signer's name (stamp, signature strokes)
    signer_lookahead: int = Field(14, ge=1)
    # characters a signature block's lines may drift sideways and still be one column
    signer_column_slack: int = Field(25, ge=0)
    # a garbled position line is read as the known position (header.yaml `positions`) it is
    # closest to when the similarity (SequenceMatcher ratio, spaces left out) is at least this ...
    position_min_ratio: float = Field(0.8, ge=0, le=1)
    # ... and at least this far ahead of the next closest one
    position_margin: float = Field(0.1, ge=0, le=1)
    # an upper-case tail a text layer joined to a recipient's line is a position when it is at
    # least this close to a known one
    joined_position_similarity: float = Field(0.75, ge=0, le=1)


class AssignmentSettings(BaseModel):
    """Tunables of the assignments in prose (assignments.py)."""
    model_config = ConfigDict(extra="forbid", frozen=True)

    # read prose assignments at all (tasks with origin "list")
    enabled: bool = True
    # a body named at the head of an item is at most this long (characters)
    max_lead_chars: int = Field(400, ge=1)


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    max_input_bytes: int = Field(20_000_000, ge=1, description="larger files get an error record, not a run")
    max_text_chars: int = Field(5_000_000, ge=1, description="decoded text longer than this is refused")
    timeout: float = Field(300.0, gt=0, description="seconds one document may take in a batch")
    max_memory_mb: int = Field(2048, ge=64, description="a worker above this RSS is replaced")
    workers: Optional[int] = Field(None, ge=1, description="None = all cores")
    password: Optional[str] = Field(None, description="for encrypted PDFs")
    ocr_lang: str = "vie"
    ocr_dpi: int = Field(300, ge=72, le=600)
    ocr: str = Field("auto", pattern="^(auto|always|never)$")
    max_pages: int = Field(500, ge=1)
    max_image_pixels: int = Field(120_000_000, ge=1, description="decompression-bomb guard")
    # the stages' tunables: part of the cache fingerprint like every field here
    tables: TableSettings = Field(default_factory=TableSettings)
    sections: SectionSettings = Field(default_factory=SectionSettings)
    meta: MetaSettings = Field(default_factory=MetaSettings)
    assignments: AssignmentSettings = Field(default_factory=AssignmentSettings)
