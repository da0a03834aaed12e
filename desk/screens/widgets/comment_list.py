"""The comments of a task, oldest first: messages from the client, our replies to them
and internal notes.

The three kinds never look alike, in colour or without it: a client's message opens with
"✉ FROM CLIENT" ("✉ FROM CLIENT VIA PORTAL" when written in the client portal) and a thin
bar "│" down its body, our reply with "↩ REPLY TO CLIENT" and a heavy bar "┃", a note with
"✎ INTERNAL NOTE" and a dotted bar "┆", each in its own theme colour, and each heading
names who wrote it (the sender's name or address as the mail gave it, an agent's display
name). Comments are append-only: the list only shows them (r and n on the task screen add
new ones). Bodies are stored text, drawn through `safe`; a body longer than BODY_LINES
lines shows its start and how much more there is (an e-mailed 1 MB body made the task
screen redraw for seconds on every key).
"""

from __future__ import annotations

from datetime import tzinfo
from typing import ClassVar

from msgspec import Struct
from textual.content import Content

from desk.clock import to_local
from desk.screens.safe import safe, safe_line
from desk.screens.widgets.line_list import LineList
from desk.work.comments import CommentRow


class Look(Struct, frozen=True):
    """How one kind of comment is told apart: its heading and the bar down its body."""

    heading: str
    bar: str
    component: str


BODY_LINES = 200
"""The most lines of one comment's body the list draws."""

LOOKS = {
    "message": Look("✉ FROM CLIENT", "│ ", "comment-list--message"),
    "reply": Look("↩ REPLY TO CLIENT", "┃ ", "comment-list--reply"),
    "note": Look("✎ INTERNAL NOTE", "┆ ", "comment-list--note"),
}
VIA_PORTAL = " VIA PORTAL"
"""Added to the heading of a message written in the client portal."""


class CommentList(LineList):
    """A task's messages, replies and internal notes, each as a heading and its body."""

    DEFAULT_CSS = """
    CommentList {
        & > .comment-list--message { color: $success; text-style: bold; }
        & > .comment-list--reply { color: $primary; text-style: bold; }
        & > .comment-list--note { color: $warning; text-style: bold; }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"comment-list--message", "comment-list--reply",
                                              "comment-list--note"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(self.draw, empty="No comments yet: {task.reply} replies to the "
                                          "client, {task.note} adds an internal note.", id=id)
        self.zone: tzinfo | None = None

    def show(self, rows: list[CommentRow], zone: tzinfo) -> None:
        """Show the comments, with times in `zone`; the cursor goes to the newest."""
        self.zone = zone
        self.set_items(rows, len(rows) - 1 if len(rows) != len(self.items) else None)

    def draw(self, row: CommentRow, width: int) -> list[Content]:
        """A heading line ("↩ REPLY TO CLIENT · Maria Keller · 2026-11-20 10:00": the look
        of its kind, then who wrote it) and the body. A kind desk does not know yet is drawn
        as a note, the look that promises the least."""
        look = LOOKS.get(row.kind, LOOKS["note"])
        style = self.get_visual_style(look.component)
        at = to_local(row.created_at, self.zone) if self.zone else row.created_at
        title = look.heading + (VIA_PORTAL if row.via_portal else "")
        heading = (Content(title).stylize(style)
                   + safe_line(f" · {row.by or row.author} · {at:%Y-%m-%d %H:%M}"))
        bar = Content(look.bar).stylize(style)
        body = [bar + line for line in body_lines(row.body, max(width - 2, 1))]
        return [heading, *body, Content("")]


def body_lines(body: str, width: int) -> list[Content]:
    """The body as lines of at most `width` cells: its first BODY_LINES lines, then, for a
    longer body, a line saying that it goes on."""
    drawn: list[Content] = []
    for line in body.split("\n"):
        shown = safe(line[:BODY_LINES * width])  # what is past this would not be drawn
        drawn.extend(shown.wrap(width) if shown.cell_length > width else [shown])
        if len(drawn) > BODY_LINES or len(line) > BODY_LINES * width:
            more = Content("… the comment goes on: desk show prints it whole").stylize("dim")
            return [*drawn[:BODY_LINES], more]
    return drawn
