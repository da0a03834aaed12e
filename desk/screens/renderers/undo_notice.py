"""The words of an undo's notice: "Undid: #129 status Open → New" for one task, "Undid:
status on 12 tasks (#3, #4, #5, #6, #7 …)" for many (`u`: desk.screens.actions.undo)."""

from __future__ import annotations

from datetime import datetime, tzinfo

from desk.clock import to_local
from desk.text import one_line
from desk.work import undo

VALUE_LIMIT = 30
"""At most this many characters of a value in the notice."""
SHOWN_TASKS = 5
"""How many task numbers the notice names for a change to many tasks."""


def undone_text(reverted: tuple[undo.Reverted, ...], zone: tzinfo | None) -> str:
    """The notice of an undo: "Undid: #129 status Open → New" for one task, "Undid: status
    on 12 tasks (#3, #4, #5, #6, #7 …)" for many."""
    if len(reverted) == 1:
        [one] = reverted
        changes = ", ".join(f"{label(field)} {value(field, new, zone)} → "
                            f"{value(field, old, zone)}" for field, new, old in one.fields)
        return one_line(f"Undid: #{one.task_id} {changes}", 300)
    fields = dict.fromkeys(label(field) for one in reverted for field, _, _ in one.fields)
    numbers = ", ".join(f"#{one.task_id}" for one in reverted[:SHOWN_TASKS])
    more = " …" if len(reverted) > SHOWN_TASKS else ""
    return one_line(f"Undid: {', '.join(fields)} on {len(reverted)} tasks ({numbers}{more})",
                    300)


def label(field: str) -> str:
    """A field as the notice names it: "status", "due", "Budget"."""
    from desk.pages.task import FIELD_LABELS  # with the task page, only once something is undone

    if field.startswith(undo.CUSTOM):
        return field.removeprefix(undo.CUSTOM)
    return FIELD_LABELS.get(field, field.replace("_", " ")).lower()


def value(field: str, text: str | None, zone: tzinfo | None) -> str:
    """A history value as the notice shows it: "none" for nothing, a time in `zone` without
    seconds, a client by its number."""
    if not text:
        return "none"
    if field in undo.MOMENTS and zone is not None:
        return f"{to_local(datetime.fromisoformat(text), zone):%Y-%m-%d %H:%M}"
    if field in ("client_id", "team_id"):
        return f"#{text}"
    return one_line(text, VALUE_LIMIT)
