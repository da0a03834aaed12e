"""The demo's support queries with their conversations, through the support services.

Each query comes in as intake takes it (desk.support.intake.create_query: requester, channel,
Message-ID, its SLA due times from its priority), at the moment it came in. A new one is
triaged at once (given to the Support team and someone in it, or to nobody yet; tagged, given
a due date); the others are triaged by the agent who picks them up. Then its conversation
happens in order: the agent opens it with a first reply (the first response time), notes,
the requester's messages (the query waits on us again), a question that leaves it waiting
on the customer, or a closing reply that resolves or closes it (the resolution time); a
resolved query may get a CSAT score a little later. Replies are stored without e-mailing
them: the demo's mail went out long ago.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from datetime import datetime, timedelta

from msgspec import Struct, field

from desk.demo.content import QuerySpec
from desk.demo.context import ClientInfo, Demo
from desk.kernel import audit
from desk.kernel.agents import AgentRef
from desk.support import csat, intake
from desk.work import comments

INBOX = "Support inbox"
DONE = ("Resolved", "Closed")


class _Said(Struct, frozen=True):
    """One comment of a conversation: a reply, an internal note or the requester's message."""

    kind: str
    body: str
    at: datetime


class _Query(Struct):
    """A query as drawn, before it is written."""

    created_at: datetime
    status: str
    spec: QuerySpec
    client: ClientInfo | None
    thread: list[_Said] = field(default_factory=list)


def take_queries(demo: Demo) -> None:
    """Sixty support queries, oldest first."""
    rng = demo.rng
    support = demo.content.support
    statuses = [status for status, count in support.statuses.items() for _ in range(count)]
    rng.shuffle(statuses)
    askers = [client for client in demo.clients if client.spec.stage != "churned"]
    drawn = []
    for spec, status in zip(support.queries, statuses, strict=True):
        created_at = demo.days_ago(*support.ages[status])
        if spec.client:
            client: ClientInfo | None = demo.by_name[spec.client]
        else:
            client = rng.choice(askers) if rng.random() < 0.75 else None
        drawn.append(_Query(created_at, status, spec, client))
    drawn.sort(key=lambda query: query.created_at)
    for query in drawn:
        _take(demo, query)


def _take(demo: Demo, query: _Query) -> None:
    """One query and its conversation: everything about it is drawn first (always in the
    same order, which keeps the seed's workspace what it is), then written."""
    rng = demo.rng
    support = demo.content.support
    team = demo.content.workspace.support_agents
    if query.client is not None:
        requester = query.client.spec.contact or query.client.spec.name
        email = query.client.spec.email
    else:
        requester, email = rng.choice(support.requesters)
    channel = demo.weighted(support.channels)
    priority = demo.weighted(support.priorities)
    hours = support.due_hours.get(priority)
    due_at = query.created_at + timedelta(hours=hours) if hours else None
    unassigned = query.status == "New" and rng.random() < 0.5
    agent = demo.agent(rng.choice(team))
    query.thread = _conversation(demo, query, requester, agent)
    message_id = (f"<{rng.getrandbits(64):016x}@{email.split('@')[1]}>"
                  if channel == "email" else None)
    creator = demo.agent(rng.choice(team))
    resolved = query.thread[-1].at if query.status in DONE else None
    score = None
    if resolved is not None and rng.random() < 0.65:
        score = demo.weighted(support.csat_scores)
        score = (score, rng.choice(support.csat_comments[score]))
    if query.status == "Open" and not any(said.kind == "message" for said in query.thread):
        _follow_up(demo, query)

    received = {"requester_name": requester, "requester_email": email, "channel": channel,
                "message_id": message_id}
    with _by_intake(channel != "phone"):
        task_id = intake.create_query(
            creator, intake.IntakeOptions(list_name=INBOX, sla_rules=demo.sla_rules),
            query.spec.subject, query.spec.message,
            query.client.id if query.client else None, priority, received,
            now=query.created_at)
    triage = {"due_at": due_at, "tags": query.spec.tags, "team_id": demo.lists[INBOX].team_id,
              "assignees": () if unassigned else (agent.username,)}
    if query.status == "New":
        demo.update_task(creator, task_id, query.created_at, **triage)
        triage = {}
    _converse(demo, task_id, query, requester, agent, triage)
    if score is not None:
        scored = demo.after(resolved, 60, 2 * 1440, office_hours=False, rng=demo.aside)
        csat.record(agent, task_id, *score, now=scored)


def _conversation(demo: Demo, query: _Query, requester: str, agent: AgentRef) -> list[_Said]:
    """What was said on a query after the requester's first message, in time order: the
    first reply (unless it is new), notes, messages, and the reply that asks or closes."""
    rng = demo.rng
    support = demo.content.support
    first = demo.first_name(requester)
    thread: list[_Said] = []
    moment = query.created_at

    def add(kind: str, body: str, low: int, high: int) -> None:
        nonlocal moment
        moment = demo.after(moment, low, high, office_hours=kind != "message")
        thread.append(_Said(kind, body, moment))

    def answer(body: str, low: int, high: int) -> None:
        add("reply", f"Hi {first},\n\n{body}\n\nBest regards,\n{agent.name}", low, high)

    if query.status == "New":
        if rng.random() < 0.25:
            add("message", rng.choice(support.chasers), 60, 600)
        return thread
    answer(query.spec.reply, 10, 360)
    if rng.random() < 0.4:
        add("note", rng.choice(support.notes), 5, 240)
    if query.status == "Open" and rng.random() < 0.5:
        add("message", rng.choice(support.follow_ups), 30, 1440)
    elif query.status == "Waiting on customer":
        answer(rng.choice(support.asks), 30, 720)
    elif query.status in DONE:
        if rng.random() < 0.6:
            add("message", rng.choice(support.thanks), 30, 1440)
        answer(support.closing, 10, 240)
    return thread


def _follow_up(demo: Demo, query: _Query) -> None:
    """An open query the requester has not written to since our reply gets their follow-up
    soon after it (before any note), so that it waits on us, as an open query does."""
    reply = query.thread[0]
    later = query.thread[1].at if len(query.thread) > 1 else demo.now
    at = reply.at + (later - reply.at) * demo.aside.uniform(0.2, 0.8)
    body = demo.aside.choice(demo.content.support.follow_ups)
    query.thread.insert(1, _Said("message", body, at.replace(second=0, microsecond=0)))


def _converse(demo: Demo, task_id: int, query: _Query, requester: str, agent: AgentRef,
              triage: dict[str, object]) -> None:
    """Write the conversation, moving the query's status as it goes: the agent opens it at
    the first reply (triaging it then, when nobody has), then it waits on the customer, or
    is resolved or closed at the last one."""
    replies = [said for said in query.thread if said.kind == "reply"]
    for said in query.thread:
        if said.kind == "message":
            with _by_intake(True):
                intake.add_message(demo.admin, task_id, "message", requester, said.body, None,
                                   said.at)
                intake.wait_on_us(demo.admin, task_id, now=said.at)
            continue
        if said.kind == "note":
            comments.note(agent, task_id, said.body, now=said.at)
            continue
        if said is replies[0]:
            demo.update_task(agent, task_id, said.at, status="Open", **triage)
        comments.reply(agent, task_id, said.body, email=False, now=said.at)
        if said is replies[-1] and query.status != "Open":
            demo.update_task(agent, task_id, said.at, status=query.status)


def _by_intake(intake_did_it: bool) -> AbstractContextManager:
    """A block whose changes are recorded as intake's (a message or form that came in), or a
    plain one (a query the agent took on the phone)."""
    return audit.acting_as(intake.ACTOR, 0) if intake_did_it else nullcontext()
