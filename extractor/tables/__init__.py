"""STUB — to be replaced by the task-table layer (issue 3)."""
from __future__ import annotations

from typing import Callable, Sequence

from ..layout import Line
from ..model import Deadline, Section, Task


def find_tasks(text: str, lines: Sequence[Line], *, sections: Sequence[Section] = (),
               parse_deadline: Callable[[str], Deadline] = lambda s: Deadline(text=s)) -> list[Task]:
    return []
