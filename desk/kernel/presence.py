"""Presence: which tasks other agents have open right now, and whether they are replying.

Every running app has an instance id of its own (`new_instance`). While its agent has a task
open, the app `announce`s it ("viewing", or "replying" while a reply is being written) and
renews it on a heartbeat (`presence.heartbeat_seconds`); when the task closes it announces
what is open then, and when the app stops it `clear`s its rows. An app that dies without
clearing (a crash, a dropped SSH session) stops renewing: a row older than `gone_after`
(three heartbeats) counts as gone, and the next announce by anyone deletes it.

`who_is_on(agent, task_ids)` answers, in one query, who else is on the tasks a screen shows:
never the asking agent (not even from another terminal of theirs), never a disabled agent.

Presence is not a change of anything: announcing and clearing write no audit row, name no
version and send no change notice (the screens read presence on their refresh tick instead),
so heartbeats neither fill the history nor make every screen reload. Announcing still checks
the agent's role from the database first (`require_writer`): a viewer answers no client, and
on PostgreSQL a viewer's login may not write at all. Clearing only takes back the instance's
own rows, so it needs no role.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from msgspec import Struct

from desk.clock import stored, utcnow
from desk.dialect import among
from desk.errors import InvalidInput
from desk.kernel.agents import AgentRef, require_writer
from desk.models import Agent, Presence, Task, database
from desk.vocabulary import PRESENCE_STATES

STATE_ORDER = {"replying": 0, "viewing": 1}
"""Replying weighs more than viewing: it comes first, and wins for an agent in both."""


class Seen(Struct, frozen=True):
    """Another agent on a task: their display name (stored text, not yet made safe to show)
    and what they are doing ("viewing" or "replying")."""

    agent_id: int
    name: str
    state: str


def new_instance() -> str:
    """A fresh id for one running app (32 hex digits)."""
    return uuid.uuid4().hex


def _instance(instance: str) -> str:
    """`instance`, or InvalidInput when it is not an app's id."""
    if not (isinstance(instance, str) and 0 < len(instance) <= 32 and instance.isalnum()
            and instance.isascii()):
        raise InvalidInput(f"an app's presence id is up to 32 letters and digits, not "
                           f"{instance!r}")
    return instance


def announce(agent: AgentRef, instance: str, open_tasks: Mapping[int, str], *,
             gone_after: timedelta, now: datetime | None = None) -> None:
    """Make `open_tasks` (task id -> "viewing" or "replying") what app `instance` of `agent`
    shows to others, with a fresh heartbeat; the instance's other rows go, and so does any
    row older than `gone_after` (an app that stopped without clearing). A task deleted
    meanwhile is left out. Refused for a viewer; writes no audit row (see the module)."""
    _instance(instance)
    for state in open_tasks.values():
        if state not in PRESENCE_STATES:
            raise InvalidInput(f"presence is one of {', '.join(PRESENCE_STATES)}, "
                               f"not {state!r}")
    moment = stored(now) or utcnow()
    with database.atomic():
        require_writer(agent)
        (Presence.delete()
         .where(((Presence.instance == instance) & (Presence.agent == agent.id)
                 & Presence.task.not_in(list(open_tasks)))
                | (Presence.heartbeat_at < moment - gone_after))
         .execute())
        existing = [task_id for (task_id,) in Task.select(Task.id)
                    .where(Task.id.in_(list(open_tasks))).tuples()]
        for task_id in existing:
            state = open_tasks[task_id]
            (Presence.insert(agent=agent.id, task=task_id, state=state, instance=instance,
                             heartbeat_at=moment)
             .on_conflict(conflict_target=[Presence.instance, Presence.task],
                          update={Presence.state: state, Presence.heartbeat_at: moment})
             .execute())


def clear(agent: AgentRef, instance: str) -> int:
    """Take back everything app `instance` of `agent` showed (the app is stopping); how many
    rows went. Writes no audit row (see the module)."""
    with database.atomic():
        return (Presence.delete()
                .where((Presence.instance == _instance(instance))
                       & (Presence.agent == agent.id))
                .execute())


def who_is_on(agent: AgentRef, task_ids: Iterable[int], *, gone_after: timedelta,
              now: datetime | None = None) -> dict[int, tuple[Seen, ...]]:
    """Who else has each of `task_ids` open, in one query: task id -> the agents on it,
    replying before viewing, then by name. Leaves out `agent` themselves, disabled agents
    and rows older than `gone_after`; tasks nobody else has open are not in the answer."""
    ids = sorted(set(task_ids))
    if not ids:
        return {}
    cutoff = (stored(now) or utcnow()) - gone_after
    rows = (Presence.select(Presence.task, Presence.state, Agent.id, Agent.name)
            .join(Agent, on=Presence.agent == Agent.id)
            .where(among(Presence.task, ids) & (Presence.agent != agent.id)
                   & (Presence.heartbeat_at >= cutoff) & ~Agent.disabled)
            .tuples())
    best: dict[int, dict[int, Seen]] = {}
    for task_id, state, agent_id, name in rows:
        on_task = best.setdefault(task_id, {})
        known = on_task.get(agent_id)
        if known is None or STATE_ORDER[state] < STATE_ORDER[known.state]:
            on_task[agent_id] = Seen(agent_id, name, state)
    return {task_id: tuple(sorted(seen.values(),
                                  key=lambda one: (STATE_ORDER[one.state], one.name,
                                                   one.agent_id)))
            for task_id, seen in best.items()}
