"""Assignment lists in prose (placeholder)."""
from __future__ import annotations

from typing import Sequence

from ..layout import Line
from .model import LogicalRow
from .settings import TableSettings


def list_items(text: str, lines: Sequence[Line], settings: TableSettings) -> list[LogicalRow]:
    return []
