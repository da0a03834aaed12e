"""The task history shows times in the person's zone to the minute, not the stored UTC
moment with seconds; other values stay as they were typed (issue 16)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from desk.kernel import audit
from desk.screens.widgets.task_history import history_line

BERLIN = ZoneInfo("Europe/Berlin")


def drawn(field: str, old: str | None, new: str | None) -> str:
    """The history line of one change, as text."""
    entry = {"at": datetime(2026, 11, 20, 9, 0), "actor": "maria", "field": field,
             "old": old, "new": new}
    return history_line(entry, BERLIN, 120, "GBP")[0].plain


def test_times_show_in_the_zone_to_the_minute_and_other_values_as_typed() -> None:
    due = audit.as_text(datetime(2026, 11, 21, 22, 59, 59))  # stored: UTC, with seconds
    assert due == "2026-11-21 22:59:59"
    assert drawn("due_at", None, due).endswith("Due: 2026-11-21 23:59")
    assert drawn("resolution_due", due, "2026-11-22 08:00:00").endswith(
        "2026-11-21 23:59 → 2026-11-22 09:00")
    assert drawn("snoozed_until", "2026-11-21 07:30:00.250000", None).endswith(
        "2026-11-21 08:30 (removed)")
    assert drawn("title", None, "2026-11-21 22:59:59").endswith("2026-11-21 22:59:59")
    assert drawn("due_at", None, "soon").endswith("soon")  # not a time: as stored


def test_an_order_amount_shows_with_the_currency() -> None:
    assert drawn("unit_price", "1200.00", "1300.50").endswith(
        "Unit price: £1,200.00 → £1,300.50")
    assert drawn("total", None, "2601.00").endswith("Total: £2,601.00")
