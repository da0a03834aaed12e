"""The lines of the client screen: the relationship clock in words, section headings with
their counts, a task, order or query line, and a logged interaction. User text goes through
`safe_line`, so it never becomes markup or escape codes."""

from __future__ import annotations

from datetime import datetime

from textual.content import Content

from desk.clock import to_local
from desk.crm import interactions
from desk.money import money_text
from desk.pages import client as client_page
from desk.screens.renderers.client.rows import days_since
from desk.screens.renderers.task_rows import due_text
from desk.screens.safe import safe_line
from desk.text import one_line
from desk.vocabulary import DONE_CATEGORIES
from desk.work.tasks import TaskRow


def clock_text(clock: interactions.Clock, now: datetime) -> str:
    """The relationship clock in words: last contact, cadence, and when contact is due."""
    cadence = None if clock.cadence_days is None else f"every {_days(clock.cadence_days)}"
    if clock.last_contact_at is None:
        return "Never contacted · " + (f"{cadence} · OVERDUE" if cadence else "no contact cadence")
    day = to_local(clock.last_contact_at, now.tzinfo).strftime("%Y-%m-%d")
    ago = max(days_since(clock.last_contact_at, now), 0)  # as the client list counts
    seen = f"Last contact {day} ({'today' if ago == 0 else f'{_days(ago)} ago'})"
    if cadence is None:
        return f"{seen} · no contact cadence"
    left = clock.cadence_days - ago
    if clock.contact_overdue:
        return f"{seen} · {cadence} · OVERDUE by {_days(max(-left, 1))}"
    return f"{seen} · {cadence} · {'due today' if left <= 0 else f'due in {_days(left)}'}"


def _days(count: int) -> str:
    """A count of days in words: "1 day", "3 days"."""
    return f"{count} day{'' if count == 1 else 's'}"


def section_heading(title: str, shown_rows: int, total: int) -> Content:
    """A section's heading with its count ("Orders (3)", "Open tasks (50 of 72)")."""
    count = f"{total}" if shown_rows == total else f"{shown_rows} of {total}"
    return Content.assemble((title, "bold"), (f" ({count})", "dim"))


def task_line(task: TaskRow, detail: str, now: datetime) -> Content:
    """An order, query or task: number, status, title, then details and the due date."""
    due = due_text(task.due_at, now, closed=task.category in DONE_CATEGORIES)
    tail = "  ".join(part for part in (detail, f"due {due}" if due else "",
                                       ", ".join(task.assignees)) if part)
    return Content.assemble(
        (f"  #{task.id:<6}", "dim"), safe_line(task.status, 12).pad_right(1),
        " ", safe_line(task.title, 60), ("  " + tail if tail else "", "dim"))


def order_detail(line: client_page.OrderLine, currency: str) -> str:
    """What an order is for: "3 × Logo design = £1,200.00", and whether it is invoiced."""
    if line.product is None:
        return ""
    text = f"{line.quantity} × {one_line(line.product, 30)} = {money_text(line.total, currency)}"
    if line.invoiced_at is not None:
        text += " invoiced"
    elif line.fulfilled_at is not None:
        text += " fulfilled"
    return text


def log_line(interaction: interactions.InteractionRow, now: datetime) -> Content:
    """One logged interaction: when, what kind, who, and its summary."""
    when = to_local(interaction.occurred_at, now.tzinfo).strftime("%Y-%m-%d %H:%M")
    return Content.assemble(
        (f"  {when} ", "dim"), (f"{interaction.kind:<8}", "bold"),
        safe_line(interaction.agent or "", 12).pad_right(1), " ",
        safe_line(interaction.summary, 80))
