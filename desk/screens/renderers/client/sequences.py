"""The lines of the client screen's "Sequences" section: each sequence the client is in (step
N of M, the next step and when; or paused, stopped or finished and why), and the item that
starts one. Configured and stored text goes through `safe_line`."""

from __future__ import annotations

from datetime import datetime

from textual.content import Content

from desk.automation.sequences.listing import EnrolmentRow
from desk.clock import to_local
from desk.pages.client_sequences import SequenceSection
from desk.screens.renderers.client.page import section_heading
from desk.screens.safe import safe_line

START_ITEM = ("sequence", None)
"""The item that starts a sequence for the client."""


def sequence_items(section: SequenceSection | None, now: datetime
                   ) -> list[tuple[tuple[str, int | None], Content]]:
    """The section's items (kind "sequence": an enrolment id, or None to start one) and
    their lines, under its heading; nothing without a section."""
    if section is None:
        return []
    live = sum(row.state in ("running", "paused") for row in section.rows)
    items: list[tuple[tuple[str, int | None], Content]] = [
        (("heading", None), section_heading("Sequences", live, live))]
    items += [(("sequence", row.id), sequence_line(row, now)) for row in section.rows]
    if section.offered:
        items.append((START_ITEM, Content("  + Start a sequence…").stylize("dim")))
    return items


def sequence_line(row: EnrolmentRow, now: datetime) -> Content:
    """One enrolment: its name, where it is, and what comes next or why it ended."""
    name = safe_line(row.sequence, 24).pad_right(1)
    if row.state == "finished":
        return Content.assemble("  ", name, (f" finished ({row.steps} steps)", "dim"))
    where = f" step {row.step} of {row.steps}" if row.steps else " (no longer configured)"
    if row.state == "running":
        when = (f" · {to_local(row.next_due_at, now.tzinfo):%Y-%m-%d %H:%M}"
                if row.next_due_at else "")
        return Content.assemble("  ", name, where, (when, "dim"), (" · next ", "dim"),
                                safe_line(row.next_step, 50))
    return Content.assemble("  ", name, (f" {row.state}", "bold"), f" at{where}",
                            (" · ", "dim"), safe_line(row.reason, 60))
