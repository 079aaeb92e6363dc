"""STUB — to be replaced by the deadline grammar (issue 5)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from .model import Deadline, Span


@dataclass
class DeadlineContext:
    year: Optional[int] = None

    @classmethod
    def from_document(cls, title: Optional[str], issued_date: Optional[str], text: str = "") -> "DeadlineContext":
        return cls()


def parse_deadline(text: str, ctx: Optional[DeadlineContext] = None) -> Deadline:
    return Deadline(text=text or "", kind="none")


def find_deadlines(text: str, ctx: Optional[DeadlineContext] = None, exclude: Sequence[Span] = ()) -> list[Deadline]:
    return []
