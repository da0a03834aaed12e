"""How presence is drawn: a one-cell mark before a task's title in a list, and the words
"Ana is replying, Bo is viewing" in the inbox's detail strip and on the task screen.

Names are stored text: they go through `safe_line`, so a display name that looks like
markup or holds escape codes shows as typed and never styles or moves anything.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content

from desk.kernel.presence import Seen
from desk.screens.safe import safe_line

MARKS = {"replying": "✎", "viewing": "◉"}
"""The mark before a title: someone is replying (a pen), someone has it open (an eye)."""
NAME_CELLS = 24
"""A name is cut to this many cells, so that a long one leaves room for the others."""


def mark(seen: Sequence[Seen]) -> str:
    """The mark of the weightiest state among `seen` (replying first), or "" for nobody."""
    return MARKS[seen[0].state] if seen else ""


def words(seen: Sequence[Seen]) -> Content:
    """"✎ Ana is replying, Bo is viewing": the mark, then each agent (replying first, as
    `who_is_on` orders them)."""
    said = Content(", ").join(Content.assemble(safe_line(one.name, NAME_CELLS),
                                               f" is {one.state}") for one in seen)
    return Content.assemble(f"{mark(seen)} ", said)


def presence_facts(present: Content | None, facts: list[str], width: int) -> Content:
    """The inbox detail strip's line of facts ("query · from Ana Ruiz · Acme"), dim, after
    who else is on the task ("✎ Bo is replying", bold) when someone is; `width` cells."""
    line = safe_line(" · ".join(facts), width).stylize("dim")
    if present is None:
        return line
    return Content.assemble(present.stylize("bold"), " · ", line).truncate(width,
                                                                           ellipsis=True)
