"""How one client is drawn as a line of a list: name, kind, stage, account manager, lead score,
last contact, open queries, retainer, contact person, tags and loyalty tier and points,
fitted to the width.

Columns drop out from the least to the most important as the terminal narrows, so a row reads
well at 80 columns and at 200. Every piece of stored text goes through `safe_line`. A last
contact older than the client's contact cadence is drawn in the theme's error colour, a
client at risk in its warning colour.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from textual.content import Content

from desk.clock import stored, to_local
from desk.crm.clients import ClientRow
from desk.crm.interactions import clock
from desk.money import money_text
from desk.screens.renderers.columns import Column, ColumnLine, fit
from desk.screens.renderers.columns import heading as column_heading
from desk.screens.safe import safe_line

COLUMNS = (
    Column("name", "Name", 0, 11),
    Column("kind", "Kind", 8, 6),
    Column("stage", "Stage", 10, 10),
    Column("manager", "Manager", 7, 7),
    Column("score", "Score", 5, 5),
    Column("contact", "Contact", 7, 9),
    Column("queries", "Q", 2, 8),
    Column("retainer", "Retainer", 12, 4),
    Column("person", "Person", 18, 2),
    Column("tags", "Tags", 16, 3),
    Column("loyalty", "Loyalty", 13, 3),
)
NAME_MIN = 16
"""The name keeps at least this many cells; other columns drop out to make room."""
CYCLES = {"monthly": "/mo", "quarterly": "/qt", "yearly": "/yr"}
"""How a retainer cycle is written after its amount."""
STAGE_STYLES = {"at_risk": "warning", "churned": "text-muted", "active": "success"}
"""The theme variable that colours a lifecycle stage (others are plain)."""


def fitted(width: int) -> list[tuple[Column, int]]:
    """The client columns that fit in `width` cells, with their widths."""
    return fit(COLUMNS, width, NAME_MIN, at_least=2)


def days_since(last: datetime, now: datetime) -> int:
    """Calendar days from `last` (naive UTC or aware) to `now`, in now's time zone: a contact
    late yesterday was 1 day ago, whatever the hour. The list and the client's page both
    count so."""
    return (now.date() - _local(last, now).date()).days


def _local(moment: datetime, now: datetime) -> datetime:
    """`moment` (naive UTC or aware) in now's time zone."""
    return to_local(moment, now.tzinfo) if moment.tzinfo is None else moment.astimezone(now.tzinfo)


def contact_text(last: datetime | None, now: datetime) -> str:
    """When a client was last contacted, as a person scans it: "today", "12d ago", "May 27"
    (over two months), "2025-03" (another year), "never"."""
    if last is None:
        return "never"
    local = _local(last, now)
    days = days_since(last, now)
    if days <= 0:
        return "today"
    if days < 60:
        return f"{days}d ago"
    return local.strftime("%b %d") if local.year == now.year else local.strftime("%Y-%m")


def retainer_text(amount: Decimal | None, cycle: str | None, currency: str) -> str:
    """A retainer as "£2,400.00/mo" (12 cells up to 9,999.99), or "" for none."""
    if amount is None:
        return ""
    return money_text(amount, currency) + CYCLES.get(cycle or "", "")


def loyalty_cell(tier: str | None, points: int, size: int) -> Content:
    """A client's loyalty tier and points as "Silver 3,850" in `size` cells; the points
    alone without a tier, nothing without either."""
    amount = f"{points:,}" if points else ""
    if not tier:
        return Content(amount[:size])
    room = max(size - len(amount) - 1, 1) if amount else size
    return safe_line(tier, room) + Content(f" {amount}" if amount else "")


def stage_text(stage: str) -> str:
    """A lifecycle stage as people write it: at_risk -> "at risk"."""
    return stage.replace("_", " ")


class ClientLine(ColumnLine):
    """Draws ClientRows for a VirtualList; build it with the theme's variables, the time
    now (aware, in the person's zone) and the workspace's currency."""

    def __init__(self, variables: Mapping[str, str], now: datetime, currency: str) -> None:
        super().__init__(variables)
        self.now = now
        self.currency = currency

    def fitted(self, width: int) -> list[tuple[Column, int]]:
        """The client columns for `width` cells."""
        return fitted(width)

    def cell(self, row: ClientRow, name: str, size: int) -> Content:
        """One cell, at most `size` cells."""
        if name == "name":
            text = safe_line(row.name, size)
        elif name == "kind":
            text = Content(row.kind[:size])
        elif name == "stage":
            text = Content(stage_text(row.stage)[:size])
            if row.stage in STAGE_STYLES:
                text = text.stylize(self.style(STAGE_STYLES[row.stage]))
        elif name == "manager":
            text = safe_line(row.account_manager or "", size)
        elif name == "score":
            text = Content(str(row.lead_score).rjust(3)[:size])
        elif name == "contact":
            text = Content(contact_text(row.last_contact_at, self.now)[:size])
            if clock(row.last_contact_at, row.contact_cadence_days,
                     stored(self.now)).contact_overdue:
                text = text.stylize(self.style("error"))
        elif name == "queries":
            text = Content(str(row.open_queries).rjust(2) if row.open_queries else "")
        elif name == "retainer":
            text = Content(retainer_text(row.retainer_amount, row.retainer_cycle,
                                         self.currency)[:size])
        elif name == "person":
            text = safe_line(row.contact_person, size)
        elif name == "loyalty":
            text = loyalty_cell(row.loyalty_tier, row.loyalty_points, size)
        else:
            text = safe_line(" ".join(f"#{tag}" for tag in row.tags), size)
        return text


def heading(width: int) -> Content:
    """The column headings for a client list `width` cells wide."""
    return column_heading(fitted(width))
