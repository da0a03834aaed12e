"""How a notice is drawn on the For me screen: the task (bold and marked while unread), then
who did what, when, and the first words of what they wrote."""

from __future__ import annotations

from datetime import tzinfo

from textual.content import Content

from desk.clock import to_local
from desk.screens.safe import safe_line
from desk.work.for_me import ForMeRow

DID = {"mention": "mentioned you", "assigned": "assigned you", "reply": "replied",
       "message": "wrote", "note": "added a note"}
"""What the person did, after their name, for each kind of notice."""
UNREAD, READ = "\u25cf ", "  "
"""The mark in front of an unread notice, and the room it takes in front of a read one."""


def for_me_lines(row: ForMeRow, width: int, zone: tzinfo) -> list[Content]:
    """Two lines: "● #12 Fix the invoice run", then "  Ana Lima mentioned you · 2026-12-06
    09:30 · @you please look…"."""
    room = max(width - len(UNREAD), 10)
    mark = READ if row.read else UNREAD
    task = Content(mark) + safe_line(f"#{row.task_id} {row.title}", room)
    said = f"{row.by or 'someone'} {DID[row.kind]} · {to_local(row.at, zone):%Y-%m-%d %H:%M}"
    if row.preview:
        said += f" · {row.preview}"
    what = Content(READ) + safe_line(said, room).stylize("dim")
    return [task if row.read else task.stylize("bold"), what]
