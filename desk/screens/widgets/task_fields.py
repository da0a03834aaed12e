"""The fields panel of the task screen: one "label  value" line per field.

`field_lines(page, line, open_key, currency)` lists what a task has (title, status, priority,
people, dates, a query's SLA clocks, client, tags, estimate, custom fields, order data in the
workspace's currency, list, times) as `FieldLine`s, each with the key its editor is known by
(`desk.screens.actions.task.edits`), or no key when it is read-only.
`FieldsPanel` draws them with j/k to move and enter to edit. Stored text goes through
`safe_line`; status and priority colours come from the theme.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from msgspec import Struct
from textual.content import Content

from desk.clock import to_local
from desk.money import money_text
from desk.pages.task import CUSTOM, TaskPage, value_text
from desk.recurrence.rule_words import rule_words
from desk.screens.renderers import sla_clock
from desk.screens.renderers.task_rows import PRIORITY_MARKS, TaskLine, status_style
from desk.screens.renderers.task_time_lines import time_lines
from desk.screens.safe import safe_line
from desk.screens.widgets.line_list import LineList

LABEL_WIDTH = 13
"""Cells for the label column, so that values line up."""

ORDER = "order:"
"""The key prefix of order fields (order:product, order:quantity, order:unit_price)."""


class FieldLine(Struct, frozen=True):
    """One line of the panel: `key` names its editor; None means it cannot be edited here."""

    key: str | None
    label: str
    value: Content


def when(moment: datetime | None, now: datetime) -> str:
    """A stored time in the person's zone as it can be typed back into a prompt:
    "2026-12-01 14:00", with seconds only when it has some ("" for none)."""
    if moment is None:
        return ""
    local = to_local(moment, now.tzinfo)
    return f"{local:%Y-%m-%d %H:%M:%S}" if local.second else f"{local:%Y-%m-%d %H:%M}"


def shown(moment: datetime | None, now: datetime) -> str:
    """A stored time in the person's zone as the screens show times, to the minute:
    "2026-12-01 14:00" ("" for none)."""
    return "" if moment is None else f"{to_local(moment, now.tzinfo):%Y-%m-%d %H:%M}"


def field_lines(page: TaskPage, line: TaskLine, open_key: str,
                currency: str) -> list[FieldLine]:
    """The fields of a task, in the order the panel shows them; `open_key` is the key that
    opens a line (the parent task), as bound now."""
    detail, row, zone = page.detail, page.detail.row, line.now.tzinfo
    status = safe_line(row.status).stylize(
        status_style(line.style, row.category, row.status_colour))
    priority = Content(f"{PRIORITY_MARKS.get(row.priority, '?')} {row.priority}").stylize(
        line.style(f"priority-{row.priority}"))
    lines = [
        FieldLine("title", "Title", safe_line(row.title)),
        FieldLine("status", "Status", status + Content(f"  ({row.category})")),
        FieldLine("priority", "Priority", priority),
        FieldLine("assignees", "Assignees", _text(", ".join(row.assignees))),
        FieldLine("start", "Start", _text(shown(detail.start_at, line.now))),
        FieldLine("due", "Due", _text(shown(row.due_at, line.now))),
        *_sla_lines(page, line),
        *([FieldLine(None, "From", safe_line(page.requester))] if page.requester else []),
        FieldLine("client", "Client", _text(row.client)),
        FieldLine("tags", "Tags", _text(" ".join(f"#{tag}" for tag in row.tags))),
        FieldLine("estimate", "Estimate",
                  _text(value_text("estimate_minutes", detail.estimate_minutes, zone)
                        if detail.estimate_minutes is not None else "")),
        *(FieldLine(None, label, value) for label, value in time_lines(page.time)),
    ]
    lines.append(FieldLine("repeat", "Repeats", _repeats(page, line)))
    if detail.team:
        lines.append(FieldLine(None, "Team", safe_line(detail.team)))
    for field in page.fields:
        value = page.values.get(field.name)
        if field.kind == "money" and value:
            value = money_text(Decimal(value), currency)
        lines.append(FieldLine(CUSTOM + field.name, field.name, _text(value)))
    if page.order is not None:
        order = page.order
        lines += [
            FieldLine(ORDER + "product", "Product", safe_line(order.product)),
            FieldLine(ORDER + "quantity", "Quantity", Content(str(order.quantity))),
            FieldLine(ORDER + "unit_price", "Unit price",
                      Content(money_text(order.unit_price, currency))),
            *([FieldLine(None, "Discount",
                         Content(f"{money_text(-order.discount, currency)} (loyalty reward)"))]
              if order.discount else []),
            FieldLine(None, "Total", Content(money_text(order.total, currency)).stylize("bold")),
        ]
        if order.fulfilled_at:
            lines.append(FieldLine(None, "Fulfilled", Content(shown(order.fulfilled_at,
                                                                    line.now))))
        if order.invoiced_at:
            lines.append(FieldLine(None, "Invoiced", Content(shown(order.invoiced_at, line.now))))
    lines.append(FieldLine(None, "List", safe_line(
        f"{page.task_list.space} / {page.task_list.name} · {row.kind} #{row.id}")))
    if row.parent_id is not None:
        lines.append(FieldLine("parent", "Parent", Content(f"task #{row.parent_id} "
                                                           f"({open_key} opens it)")))
    lines.append(FieldLine(None, "Created", Content(shown(detail.created_at, line.now))))
    lines.append(FieldLine(None, "Updated", Content(shown(detail.updated_at, line.now))))
    return lines


def _sla_lines(page: TaskPage, line: TaskLine) -> list[FieldLine]:
    """A query's SLA clocks, one line each (read-only: they follow the SLA policy)."""
    if page.sla is None:
        return []
    return [FieldLine(None, sla_clock.TARGETS[clock.target],
                      sla_clock.field_value(clock, line.now, line.style)) for clock in page.sla]


def _repeats(page: TaskPage, line: TaskLine) -> Content:
    """How the task repeats and when next, or a dim dash (R sets it)."""
    series = page.series
    if series is None:
        return _text(None)
    following = (f"next {shown(series.next_at, line.now)}" if series.next_at
                 else "next once the current one is done")
    return safe_line(f"{rule_words(series.rule)} · {following}")


def _text(value: str | None) -> Content:
    """A stored value, or a dim dash when there is none."""
    if not value:
        return Content("–").stylize("dim")
    return safe_line(value)


def draw_field(field: FieldLine, width: int) -> list[Content]:
    """One field as "Label        value"; read-only labels are dim."""
    label = safe_line(field.label, LABEL_WIDTH - 1)
    label = label.pad_right(LABEL_WIDTH - label.cell_length)
    label = label.stylize("dim" if field.key is None else "bold")
    return [label + field.value]


class FieldsPanel(LineList):
    """The task's fields; enter (or e) edits the one under the cursor."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(draw_field, empty="Loading…", id=id)

    @property
    def current_key(self) -> str | None:
        """The editor key of the field under the cursor (None when it is read-only)."""
        field = self.current
        return field.key if field is not None else None
