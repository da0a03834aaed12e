"""The time report: hours spent in a period, by client, agent, list, week or month, over the
tasks a query finds (`desk time report`, and the figures a retainer's cycle-end rule sends).

A period is `30d` (the last 30 days, today included), `12m` (the last 12 months), a month
`2026-11`, a year `2026`, or two ISO days `2026-11-01..2026-11-30`. Entries count by their
local day; running timers do not count until they stop.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from msgspec import Struct
from peewee import JOIN, Case, fn

from desk.durations import hours
from desk.errors import InvalidInput
from desk.models import Agent, Client, Space, Task, TaskList, TimeEntry
from desk.work import filters

GROUPS = ("client", "agent", "list", "week", "month")
PERIOD_HINT = "try 30d, 12m, 2026-11, 2026 or 2026-11-01..2026-11-30"
NOBODY = "(none)"
"""The group of entries without a client (or whose agent was removed)."""
_LAST = re.compile(r"([1-9][0-9]{0,3})([dm])")
_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")
_YEAR = re.compile(r"[0-9]{4}")


class ReportRow(Struct, frozen=True):
    """The time of one group: minutes, billable minutes, entries, and the hours of each."""

    group: str
    minutes: int
    billable_minutes: int
    entries: int

    @property
    def hours(self) -> Decimal:
        """All the minutes as hours."""
        return hours(self.minutes)

    @property
    def billable_hours(self) -> Decimal:
        """The billable minutes as hours."""
        return hours(self.billable_minutes)

    def record(self) -> dict:
        """The row as the CLI prints it."""
        return {"group": self.group, "hours": self.hours, "billable_hours": self.billable_hours,
                "minutes": self.minutes, "billable_minutes": self.billable_minutes,
                "entries": self.entries}


def period(text: str, today: date) -> tuple[date, date]:
    """The first and last day of the period `text` names, counted back from `today`."""
    word = text.strip().lower()
    try:
        if found := _LAST.fullmatch(word):
            amount = int(found[1])
            back = (timedelta(days=amount) if found[2] == "d"
                    else relativedelta(months=amount))
            return today - back + timedelta(days=1), today
        if _MONTH.fullmatch(word):
            first = date.fromisoformat(f"{word}-01")
            return first, first + relativedelta(months=1) - timedelta(days=1)
        if _YEAR.fullmatch(word):
            return date(int(word), 1, 1), date(int(word), 12, 31)
        if word.count("..") == 1:
            start, end = (date.fromisoformat(part.strip()) for part in word.split(".."))
            if start <= end:
                return start, end
    except ValueError:
        pass
    raise InvalidInput(f"cannot read {text.strip()!r} as a period; {PERIOD_HINT}")


def report(query_text: str, by: str, span: tuple[date, date],
           context: filters.Context) -> list[ReportRow]:
    """The stopped time entries of `span` on the tasks `query_text` finds (every task when
    empty: closed ones count), grouped `by` client, agent, list, week or month; the most
    time first for the named groups, in calendar order for weeks and months."""
    if by not in GROUPS:
        raise InvalidInput(f"--by must be one of {', '.join(GROUPS)}, not {by!r}")
    conditions = [TimeEntry.minutes.is_null(False), TimeEntry.day.between(*span)]
    if query_text.strip():
        conditions += filters.task_conditions(filters.parse_tasks(query_text), context)
    # the tasks are read only when the query or the grouping needs them: at a million tasks
    # looking each entry's task up costs seconds
    with_tasks = bool(query_text.strip()) or by in ("client", "list")
    if by in ("week", "month"):
        return _by_calendar(conditions, _week_label if by == "week" else _month_label,
                            with_tasks)
    key, grouping, joined = _GROUP_KEYS[by]
    billable = fn.SUM(Case(None, [(TimeEntry.billable, TimeEntry.minutes)], 0))
    query = TimeEntry.select(key, fn.SUM(TimeEntry.minutes), billable, fn.COUNT(TimeEntry.id))
    if with_tasks:
        query = query.join(Task, on=TimeEntry.task == Task.id)
    query = joined(query)
    grouped = query.where(*conditions).group_by(*grouping)
    rows = [ReportRow(name or NOBODY, int(minutes), int(paid), int(count))
            for name, minutes, paid, count in grouped.tuples()]
    return sorted(rows, key=lambda row: (-row.minutes, row.group.casefold()))


def total(records: list[dict]) -> dict:
    """The "total" line under a report's records (`ReportRow.record`)."""
    minutes = sum(record["minutes"] for record in records)
    billable = sum(record["billable_minutes"] for record in records)
    return ReportRow("total", minutes, billable,
                     sum(record["entries"] for record in records)).record()


def client_months(client_id: int, span: tuple[date, date]) -> list[ReportRow]:
    """One client's stopped time entries of `span` by month (2026-12), in calendar order;
    months without time are absent."""
    return _by_calendar([TimeEntry.minutes.is_null(False), TimeEntry.day.between(*span),
                         Task.client == client_id], _month_label, with_tasks=True)


def _by_calendar(conditions: list, label: Callable[[date], str],
                 with_tasks: bool) -> list[ReportRow]:
    """The rows by week or month: the SQL groups by day, the weeks are counted here."""
    billable = fn.SUM(Case(None, [(TimeEntry.billable, TimeEntry.minutes)], 0))
    query = TimeEntry.select(TimeEntry.day, fn.SUM(TimeEntry.minutes), billable,
                             fn.COUNT(TimeEntry.id))
    if with_tasks:
        query = query.join(Task, on=TimeEntry.task == Task.id)
    query = query.where(*conditions).group_by(TimeEntry.day)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for day, minutes, paid, count in query.tuples():
        total = totals[label(day if isinstance(day, date) else date.fromisoformat(str(day)))]
        total[0] += int(minutes)
        total[1] += int(paid)
        total[2] += int(count)
    return [ReportRow(name, *figures) for name, figures in sorted(totals.items())]


def _week_label(day: date) -> str:
    """The ISO week of a day: 2026-W49."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _month_label(day: date) -> str:
    """The month of a day: 2026-12."""
    return f"{day.year}-{day.month:02d}"


_GROUP_KEYS = {
    "client": (Client.name, (Client.name, Client.id), lambda query: query.join(
        Client, JOIN.LEFT_OUTER, on=Task.client == Client.id)),
    "agent": (Agent.username, (Agent.username, Agent.id), lambda query: query.switch(
        TimeEntry).join(Agent, JOIN.LEFT_OUTER, on=TimeEntry.agent == Agent.id)),
    "list": (Space.name.concat("/").concat(TaskList.name),
             (Space.name, TaskList.name, TaskList.id), lambda query: query.join(
        TaskList, on=Task.task_list == TaskList.id).join(Space, on=TaskList.space == Space.id)),
}
"""Per named group: the name it shows, the columns it is grouped by (with the id: two clients
may share a name), and the joins it needs after the task."""
