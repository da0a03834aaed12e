"""Retainers: the billing cycle containing a day, the hours used of those included, the
burn-down over the cycle, and the clients about to exceed theirs.

A cycle is monthly, quarterly or yearly (the client's `retainer_cycle`), counted from the
client's acquisition date when it has one (else from the first of a month, quarter or year).
The n-th cycle starts at the anchor plus n cycles by `relativedelta`, always from the anchor,
so a retainer that started on the 31st starts on the 30th in April and on the 31st again in
May, and one that started on a leap day starts on February 28th in other years. Days are the
workspace's local calendar days (a time entry's `day`); only billable minutes count.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from msgspec import Struct
from peewee import fn

from desk.durations import hours
from desk.models import Client, Task, TimeEntry

CYCLE_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}
"""How long each retainer cycle the client table allows is, in months."""
NEAR = Decimal("0.8")
"""The share of the included hours at which a client is about to exceed (by default)."""


class Cycle(Struct, frozen=True):
    """One billing cycle: `start` to `end`, both days included."""

    start: date
    end: date

    @property
    def days(self) -> list[date]:
        """Every day of the cycle, in order."""
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


class Usage(Struct, frozen=True):
    """A client's retainer in the cycle containing a day."""

    client_id: int
    client: str
    cycle: Cycle
    included_minutes: int
    used_minutes: int
    overage_rate: Decimal | None
    burn: tuple[int, ...]
    """Billable minutes used on each day of the cycle so far (today included)."""

    @property
    def share(self) -> float:
        """The share of the included hours used (0 with none included)."""
        return self.used_minutes / self.included_minutes if self.included_minutes else 0.0

    @property
    def overage_minutes(self) -> int:
        """Minutes used beyond those included."""
        return max(0, self.used_minutes - self.included_minutes)

    @property
    def overage_amount(self) -> Decimal | None:
        """What the overage costs at the client's hourly rate (None without a rate)."""
        if self.overage_rate is None:
            return None
        return (hours(self.overage_minutes) * self.overage_rate).quantize(Decimal("0.01"))


def cycle_containing(kind: str, day: date, anchor: date | None = None) -> Cycle:
    """The `kind` cycle (monthly, quarterly, yearly) containing `day`, counted from `anchor`
    (default: the first of January of `day`'s year, so cycles are calendar months, quarters
    and years)."""
    step = CYCLE_MONTHS[kind]
    anchor = anchor or date(day.year, 1, 1)
    months = (day.year - anchor.year) * 12 + day.month - anchor.month
    n = months // step
    while anchor + relativedelta(months=n * step) > day:
        n -= 1
    while anchor + relativedelta(months=(n + 1) * step) <= day:
        n += 1
    start = anchor + relativedelta(months=n * step)
    return Cycle(start, anchor + relativedelta(months=(n + 1) * step) - timedelta(days=1))


def usage(client_id: int, today: date) -> Usage | None:
    """The client's retainer in the cycle containing `today`, or None without one (no cycle
    or no hours included)."""
    found = usages(today, [client_id])
    return found[0] if found else None


def usages(today: date, client_ids: list[int] | None = None) -> list[Usage]:
    """Every retainer client's usage (or those of `client_ids`) in the cycle containing
    `today`, the fullest first; one query for the clients and one for their minutes."""
    query = (Client.select(Client.id, Client.name, Client.retainer_cycle,
                           Client.retainer_hours, Client.retainer_overage_rate,
                           Client.acquisition_date)
             .where(Client.retainer_cycle.is_null(False) & (Client.retainer_hours > 0)
                    & Client.archived_at.is_null()))
    if client_ids is not None:
        query = query.where(Client.id.in_(client_ids))
    clients = list(query.tuples())
    if not clients:
        return []
    cycles = {row[0]: cycle_containing(row[2], today, row[5]) for row in clients}
    daily = _billable_by_day([row[0] for row in clients],
                             min(cycle.start for cycle in cycles.values()), today)
    found = []
    for client_id, name, _, included, rate, _ in clients:
        cycle = cycles[client_id]
        burn = tuple(daily[client_id].get(day, 0) for day in cycle.days if day <= today)
        found.append(Usage(client_id, name, cycle, int(Decimal(included) * 60), sum(burn),
                           rate, burn))
    return sorted(found, key=lambda item: (-item.share, item.client.casefold(), item.client_id))


def near_limit(today: date, share: Decimal | float = NEAR) -> list[Usage]:
    """The retainer clients that used at least `share` of their included hours this cycle
    (over it included), the fullest first."""
    return [item for item in usages(today) if item.share >= float(share)]


def _billable_by_day(client_ids: list[int], since: date, until: date
                     ) -> dict[int, dict[date, int]]:
    """client id -> day -> billable minutes logged on the clients' tasks from `since` to
    `until`."""
    query = (TimeEntry.select(Task.client, TimeEntry.day, fn.SUM(TimeEntry.minutes))
             .join(Task, on=TimeEntry.task == Task.id)
             .where(Task.client.in_(client_ids) & TimeEntry.billable
                    & TimeEntry.minutes.is_null(False)
                    & TimeEntry.day.between(since, until))
             .group_by(Task.client, TimeEntry.day))
    daily: dict[int, dict[date, int]] = defaultdict(dict)
    for client_id, day, minutes in query.tuples():
        daily[client_id][_as_date(day)] = int(minutes)
    return daily


def _as_date(value: date | str) -> date:
    """A grouped day as a date (SQLite hands grouped dates back as text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))
