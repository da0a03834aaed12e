"""The demo's time: retainer hours for the clients on a retainer, and a year of time entries
against them, so the retainer section, the dashboard tile and `desk time report` show
believable figures (some clients well inside their hours, a few near or over).

Each retainer client gets hours included per cycle (its retainer amount at the demo's
hourly rate) and an overage rate, through the client service, and one standing task for its
retainer work, open since it became a client (at most a year ago). The entries go on that
task and, once they exist, the client's other tasks, by its account manager or another
agent: inserted in bulk, without history (as `desk.demo.bulk` does), from their own dice so
the rest of the demo stays as it was.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from desk.crm import clients
from desk.demo.context import ClientInfo, Demo
from desk.models import Client, Task, TimeEntry
from desk.work import tasks

HOURLY = Decimal("75")
"""What an hour of a retainer costs in the demo: its amount buys amount / HOURLY hours."""
OVERAGE = Decimal("95.00")
LIST = "Accounts"
CHUNK = 500
PACE = (0.55, 1.2)
"""The least and most of its included hours a client's work uses in a cycle."""
RUSH = (0.5, 2.6)
RUSH_DAYS = 30
"""How much busier (or quieter) the last RUSH_DAYS days are: some clients near their limit."""


def track_time(demo: Demo) -> None:
    """Give the retainer clients their hours and a year of time entries."""
    dice = random.Random(f"{demo.seed}:time")
    rows: list[dict] = []
    for info in demo.clients:
        if info.spec.retainer is None or info.spec.stage == "churned":
            continue
        included = _hours(demo, info)
        work = _retainer_task(demo, info)
        rows += _entries(demo, info, work, included, dice)
    for start in range(0, len(rows), CHUNK):
        TimeEntry.insert_many(rows[start:start + CHUNK]).execute()


def _hours(demo: Demo, info: ClientInfo) -> Decimal:
    """Set the client's included hours and overage rate; returns the hours."""
    amount, _ = info.spec.retainer
    included = (Decimal(amount) / HOURLY * 2).to_integral_value() / 2  # in half hours
    version = Client.select(Client.version).where(Client.id == info.id).scalar()
    clients.update(_manager(demo, info), info.id, version, now=info.created_at,
                   retainer_hours=included, retainer_overage_rate=OVERAGE)
    return included


def _retainer_task(demo: Demo, info: ClientInfo) -> tuple[int, date]:
    """The client's standing retainer task and the day it was opened."""
    opened = max(info.acquired or demo.today, demo.today - timedelta(days=365))
    moment = demo.at(opened)
    manager = _manager(demo, info)
    task = tasks.create(manager, f"Retainer work for {info.spec.name}",
                        demo.lists[LIST].id, client_id=info.id, now=moment,
                        assignees=[manager.username],
                        description="Hours spent under the retainer, logged against it.")
    return task.row.id, moment.date()


def _entries(demo: Demo, info: ClientInfo, work: tuple[int, date], included: Decimal,
             dice: random.Random) -> list[dict]:
    """The client's entries from the day its retainer task opened until today."""
    task_id, opened = work
    others = list(Task.select(Task.id, Task.created_at).where(
        (Task.client == info.id) & (Task.id != task_id)).tuples())
    months = 3 if info.spec.retainer[1] == "quarterly" else 1
    per_day = float(included) * 60 / (21.7 * months) * dice.uniform(*PACE)
    names = [agent.username for agent in demo.agents.values()]
    manager = _manager(demo, info)
    rows = []
    day = opened
    rush = dice.uniform(*RUSH)
    size = min(180, max(15, round(per_day * 3 / 15) * 15))  # a typical sitting
    while day <= demo.today:
        busy = rush if (demo.today - day).days < RUSH_DAYS else 1.0
        if day.weekday() < 5 and dice.random() < per_day * busy / size:
            minutes = max(15, round(size * dice.uniform(0.5, 1.5) / 15) * 15)
            started = datetime.combine(day, time(dice.randint(8, 16), dice.randrange(0, 60, 5)))
            if started < demo.now:
                ready = [other for other, created in others if created <= started]
                who = manager if dice.random() < 0.7 else demo.agent(dice.choice(names))
                rows.append({
                    "task": dice.choice(ready) if ready and dice.random() < 0.4 else task_id,
                    "agent": who.id, "minutes": minutes, "day": day, "started_at": started,
                    "billable": dice.random() < 0.92, "note": "", "created_at": started,
                    "version": 1})
        day += timedelta(days=1)
    return rows


def _manager(demo: Demo, info: ClientInfo):
    """The client's account manager (the demo's admin when it has none)."""
    return demo.agent(info.spec.manager) if info.spec.manager else demo.admin
