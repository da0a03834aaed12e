"""Team workload: the open and overdue tasks of each agent and of each team.

Open means not done (closed_at unset); overdue, open and due before the dashboard's moment.
An agent's tasks are those assigned to them (a task with two assignees counts for both); a
team's are those whose team field names it, and "no team" takes the others. The tasks of
archived lists and spaces are left out, as the task lists leave them out.
"""

from __future__ import annotations

from datetime import datetime

from msgspec import Struct
from peewee import SQL, Expression, Select, fn

from desk.clock import to_utc
from desk.metrics.figures import (
    TASKS,
    Figure,
    by_query,
    moment_text,
)
from desk.metrics.sql import on_lists_in_use
from desk.models import Agent, Task, TaskAssignee, Team
from desk.query import format_value

NO_TEAM = "no team"


class Load(Struct, frozen=True):
    """The open and overdue tasks of one agent or team."""

    name: str
    open: Figure
    overdue: Figure


class Workload(Struct, frozen=True):
    """Every agent's and every team's load (zeros included), the busiest first."""

    agents: tuple[Load, ...]
    teams: tuple[Load, ...]


def workload(now: datetime) -> Workload:
    """The workload at `now`: `agent_loads` and `team_loads` (which a screen may also run
    side by side)."""
    return Workload(agent_loads(now), team_loads(now))


def team_loads(now: datetime) -> tuple[Load, ...]:
    """Every team's open and overdue tasks, and those of "no team" when it has open tasks:
    a range count on the open tasks of each team (an index on the open tasks' team and due
    time makes each one short)."""
    due, in_use = Task.due_at < to_utc(now), on_lists_in_use()
    teams = [(name, f"team:{format_value(name)}", opened, late) for name, opened, late in
             Team.select(Team.name, _open_count(Task.team == Team.id, *in_use),
                         _open_count(Task.team == Team.id, due, *in_use)).tuples()]
    nameless = (_open_count(Task.team.is_null(), *in_use).scalar(),
                _open_count(Task.team.is_null(), due, *in_use).scalar())
    if nameless[0]:
        teams.append((NO_TEAM, "team:none", *nameless))
    return _loads(teams, now)


def agent_loads(now: datetime) -> tuple[Load, ...]:
    """Every agent's open and overdue tasks: two range counts per agent on the index of the
    assignments by agent, openness and due time (the assignment's copies of its task's,
    which migration 0023's triggers keep), read without touching a task unless a list is
    archived (then the tasks of the archived lists are left out)."""
    due, in_use = TaskAssignee.task_due_at < to_utc(now), on_lists_in_use(TaskAssignee.task)
    rows = Agent.select(Agent.username, _open_assignments(*in_use),
                        _open_assignments(due, *in_use)).tuples()
    return _loads([(username, f"@{format_value(username)}", opened, late)
                   for username, opened, late in rows], now)


def _open_assignments(*conditions: Expression) -> Select:
    """SELECT COUNT of an agent's assignments of open tasks meeting `conditions` (a
    subquery correlated with Agent)."""
    return TaskAssignee.select(fn.COUNT(SQL("*"))).where(
        TaskAssignee.agent == Agent.id, TaskAssignee.task_open == True,  # noqa: E712
        *conditions)


def _open_count(*conditions: Expression) -> Select:
    """SELECT COUNT of the open tasks meeting `conditions` (a scalar or correlated
    subquery)."""
    return Task.select(fn.COUNT(SQL("*"))).where(Task.closed_at.is_null(), *conditions)


def _loads(entries: list[tuple[str, str, int, int]], now: datetime) -> tuple[Load, ...]:
    """Loads from (name, query term, open, overdue), the most open first, then by name."""
    due = f"due<{moment_text(now)}"
    return tuple(
        Load(name, Figure("open", opened, by_query(TASKS, term, "is:open")),
             Figure("overdue", late, by_query(TASKS, term, "is:open", due)))
        for name, term, opened, late in sorted(entries, key=lambda entry: (-entry[2], entry[0])))
