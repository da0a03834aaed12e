"""The portal's Retainer section for a client on a retainer: this cycle's billable hours used
of those included and the overage (desk.crm.retainers), and the hours of each of the last 12
months (desk.metrics.time_report). Read only; None for a client without a retainer."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from msgspec import Struct

from desk.crm import retainers
from desk.durations import hours
from desk.metrics import time_report
from desk.models import Client

MONTHS = 12
"""How many months the section shows, this one included."""

CYCLE_WORDS = {"monthly": "month", "quarterly": "quarter", "yearly": "year"}
"""A retainer cycle as the section names it: "This quarter: ..."."""


class Month(Struct, frozen=True):
    """The hours of one month: all of them and the billable ones."""

    label: str
    hours: Decimal
    billable_hours: Decimal


class RetainerSection(Struct, frozen=True):
    """What the section shows."""

    cycle_start: date
    cycle_end: date
    cycle: str
    """month, quarter or year."""
    included_hours: Decimal
    used_hours: Decimal
    overage_hours: Decimal
    overage_amount: Decimal | None
    months: list[Month]
    """The last 12 months, oldest first, months without time at zero."""


def load(client_id: int, today: date) -> RetainerSection | None:
    """The client's retainer as of `today` (the workspace's local day), or None without one."""
    usage = retainers.usage(client_id, today)
    if usage is None:
        return None
    first = date(today.year, today.month, 1) - relativedelta(months=MONTHS - 1)
    found = {row.group: row for row in time_report.client_months(client_id, (first, today))}
    months = []
    for n in range(MONTHS):
        label = f"{first + relativedelta(months=n):%Y-%m}"
        row = found.get(label)
        months.append(Month(label, row.hours if row else hours(0),
                            row.billable_hours if row else hours(0)))
    kind = Client.select(Client.retainer_cycle).where(Client.id == client_id).scalar()
    return RetainerSection(usage.cycle.start, usage.cycle.end, CYCLE_WORDS[kind],
                           hours(usage.included_minutes), hours(usage.used_minutes),
                           hours(usage.overage_minutes), usage.overage_amount, months)
