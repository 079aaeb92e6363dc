"""Fixed-width tables from `pdftotext -layout` (placeholder, filled in below)."""
from __future__ import annotations

from typing import Sequence

from ..layout import Line
from .model import RawTable
from .settings import TableSettings


def layout_tables(lines: Sequence[Line], settings: TableSettings) -> list[RawTable]:
    return []
