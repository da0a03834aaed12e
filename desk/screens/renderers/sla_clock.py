"""SLA clocks as people see them: a compact cell for list rows ("2bh left", "overdue 35bm"),
a line for the inbox's detail strip, and the value of the task screen's SLA fields.

A clock that is breached (overdue, or met late) is drawn in the theme's `error` colour, one
nearly breached in its `warning` colour (desk.sla decides which is which).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.content import Content
from textual.style import Style

from desk.clock import to_local
from desk.sla import Clock

TARGETS = {"first_response": "First reply", "resolution": "Resolution"}
"""How each SLA target is named on screen."""
DONE_WORDS = {"first_response": "answered", "resolution": "resolved"}
"""What meeting each target is called: "answered 2026-11-20 10:05"."""
CELL_WIDTH = 13
"""The widest compact text: "overdue 99bh+"."""


def severity(clock: Clock) -> str | None:
    """The theme variable a clock is drawn in: "error" when breached, "warning" when nearly
    breached, None otherwise."""
    if clock.status == "breached":
        return "error"
    return "warning" if clock.near else None


def pressing(clocks: tuple[Clock, Clock] | None) -> Clock | None:
    """The clock a list row shows for a query: the first target still open (an overdue first
    response before a running resolution), else the resolution once both are done; None
    without targets."""
    if clocks is None:
        return None
    for clock in clocks:
        if clock.done_at is None and clock.status in ("running", "breached"):
            return clock
    first, resolution = clocks
    return next((clock for clock in (resolution, first) if clock.status != "none"), None)


def compact(clock: Clock) -> str:
    """A clock in at most CELL_WIDTH cells: "2bh left", "overdue 35bm", "met", "late 3bh"
    (b: business time, as SLA targets are counted)."""
    return clock.words(compact=True, none="")


def cell(clocks: tuple[Clock, Clock] | None, size: int,
         style: Callable[[str], Style]) -> Content:
    """The SLA cell of a list row, coloured by `style(variable)` when near or breached."""
    clock = pressing(clocks)
    if clock is None:
        return Content("")
    return _coloured(Content(compact(clock)[:size]), clock, style)


def summary(clocks: tuple[Clock, Clock], style: Callable[[str], Style]) -> Content:
    """Both clocks on one line: "First reply met · Resolution 5h 10m business time left"."""
    parts = [_coloured(Content(f"{TARGETS[clock.target]} {clock.text}"), clock, style)
             for clock in clocks]
    return Content(" · ").join(parts)


def field_value(clock: Clock, now: datetime, style: Callable[[str], Style]) -> Content:
    """A clock as the task screen shows it: "2h 15m business time left · due 2026-11-20
    14:00",
    "met · answered 2026-11-20 10:05", "no target"."""
    if clock.status == "none" or clock.due is None:
        return Content("no target").stylize("dim")
    if clock.done_at is not None:
        detail = f"{DONE_WORDS[clock.target]} {_local(clock.done_at, now)}"
    else:
        detail = f"due {_local(clock.due, now)}"
    return _coloured(Content(clock.text), clock, style) + Content(f" · {detail}").stylize("dim")


def _coloured(text: Content, clock: Clock, style: Callable[[str], Style]) -> Content:
    """`text` in the colour of the clock's severity (plain when it has none)."""
    variable = severity(clock)
    return text if variable is None else text.stylize(style(variable))


def _local(moment: datetime, now: datetime) -> str:
    """A stored time in the person's zone: "2026-11-20 14:00"."""
    return f"{to_local(moment, now.tzinfo):%Y-%m-%d %H:%M}"
