"""STUB — to be replaced by the reference grammar (issue 4)."""
from __future__ import annotations

from typing import Optional, Sequence

from .model import Reference, Span


def find_references(text: str, *, own_number: Optional[str] = None, province: Optional[str] = None) -> list[Reference]:
    return []


def find_basis(text: str, references: Sequence[Reference], *, preamble: Optional[Span] = None,
               title: Optional[Span] = None) -> list[str]:
    return []
