"""Tunables of the table reconstruction, in one place (pdfplumber-style `table_settings`)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TableSettings:
    # --- detection of table regions -------------------------------------------------
    # blank lines allowed inside a table (page breaks leave one or two)
    max_blank_gap: int = 3
    # a table needs at least this many rows after the header to be worth reading
    min_data_rows: int = 1
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
    # --- prose lists ----------------------------------------------------------------------
    list_tasks: bool = True
    max_list_lead_len: int = 120


DEFAULT_SETTINGS = TableSettings()
