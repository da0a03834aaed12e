"""What an outline answers: its lines (tasks at a depth, and status headings), pages of
them, and the positions pages start at.

A position is (section, root key, lines of that root's subtree shown). Without a key, 0 lines
means the section's start (its heading is next) and 1 that its heading is shown; with a key,
0 means the root itself is next. A page's `next_key` is its position flattened into a tuple.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from msgspec import Struct

from desk.work import tasks

Position = tuple[int, tuple | None, int]
"""Where in the outline a page starts: (section, root key or None, subtree lines shown)."""


class Heading(Struct, frozen=True):
    """The heading line of a status group: its name, category and how many tasks it holds
    (None when the page was read before the counts were: paging never waits for them)."""

    key: str
    name: str
    category: str
    count: int | None
    colour: str = ""  # the status's own colour ("" for none)


class Line(Struct, frozen=True):
    """One line of the outline: a task at a depth (0 for roots), or a group heading.

    `subtasks` counts the matching subtasks under the task (all levels); `folded` says they
    are hidden.
    """

    task: tasks.TaskRow | None = None
    depth: int = 0
    subtasks: int = 0
    folded: bool = False
    heading: Heading | None = None

    @property
    def id(self) -> int | str:
        """A stable key: the task id, or the heading's key."""
        return self.task.id if self.task is not None else self.heading.key

    @property
    def title(self) -> str:
        """What the line names: the task's title, or the heading's status."""
        return self.task.title if self.task is not None else self.heading.name


class Page(Struct, frozen=True):
    """Lines of one page and the outline position the next page starts at (None at the end)."""

    rows: list[Line]
    next_key: tuple | None


def next_key(position: Position) -> tuple:
    """A position as a page's next_key: (section, shown, *root key)."""
    section, key, shown = position
    return (section, shown, *(key or ()))


def decode(after: Sequence[Any]) -> Position:
    """An outline position from a page's next_key: (section, root key or None, shown)."""
    section, shown, *key = after
    return int(section), (tuple(key) if key else None), int(shown)
