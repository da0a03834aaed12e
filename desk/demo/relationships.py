"""The demo's clients and customers with a year of calls, e-mails and meetings, through the
client and interaction services: each client created at the moment it came in, each touch
logged at the moment it happened (moving the relationship clock as in real use), and the
churned ones moved from active to churned when they left (the stage history that retention
is counted from)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from desk.crm import clients, interactions
from desk.demo.content import CURRENCY, ClientSpec
from desk.demo.context import ClientInfo, Demo, Touch
from desk.money import money_text

CHURN_AFTER = timedelta(days=14)  # a churned client left this long after its last contact
LEAP_YEARS = (1968, 1972, 1976, 1980, 1984, 1988, 1992)  # birth years: 29 February fits


def create_clients(demo: Demo) -> None:
    """About forty clients and customers, created by their account manager (else the admin),
    with the touches of their past year collected for `log_touches`."""
    rng = demo.rng
    people = demo.content.clientele
    for spec in people.clients:
        if spec.stage in ("lead", "prospect"):
            acquired = None
            created_at = demo.days_ago(5, 120)
        else:
            low, high = {"onboarding": (10, 45), "churned": (400, 1095)}.get(
                spec.stage, (60, 1095))
            acquired = demo.today - timedelta(days=rng.randint(low, high))
            created_at = demo.at(acquired - timedelta(days=rng.randint(7, 60)))
        lead_score = rng.randint(*people.lead_scores[spec.stage])
        birthday = _birthday(demo, spec)
        creator = demo.agent(spec.manager) if spec.manager else demo.admin
        referrer = demo.by_name[spec.referrer].id if spec.referrer else None
        amount, cycle = spec.retainer or (None, None)
        created = clients.create(
            creator, spec.name, spec.kind, now=created_at, contact_person=spec.contact,
            email=spec.email, phone=spec.phone, acquisition_date=acquired,
            lifecycle_stage="active" if spec.stage == "churned" else spec.stage,
            lead_score=lead_score, account_manager=creator.username if spec.manager else None,
            retainer_amount=Decimal(amount) if amount else None, retainer_cycle=cycle,
            birthday=birthday, referred_by_id=referrer, contact_cadence_days=spec.cadence,
            confidential=spec.confidential, notes=_notes(spec), tags=spec.tags)
        info = ClientInfo(created.row.id, spec, created_at, acquired)
        demo.add_client(info)
        last = _collect_touches(demo, info)
        if spec.stage == "churned":
            left = datetime.combine((last or created_at).date() + CHURN_AFTER, time(10))
            demo.churns.append((min(left, demo.now - timedelta(days=1)), info))


def log_touches(demo: Demo) -> None:
    """Log the collected touches, oldest first, then move the churned clients to churned."""
    for touch in sorted(demo.touches, key=lambda touch: (touch.at, touch.client_id)):
        interactions.log(demo.agent(touch.agent), touch.client_id, touch.kind, touch.summary,
                         occurred_at=touch.at, now=touch.at)
    for left, info in sorted(demo.churns, key=lambda churn: churn[0]):
        agent = demo.agent(info.spec.manager) if info.spec.manager else demo.admin
        version = clients.get(info.id, agent).row.version
        clients.update(agent, info.id, version, now=left, lifecycle_stage="churned")


def _birthday(demo: Demo, spec: ClientSpec) -> date | None:
    """The contact's birthday: a few within the next two weeks, most some time in the year."""
    rng = demo.rng
    year = rng.choice(LEAP_YEARS)
    if spec.birthday_in_days is not None:
        soon = demo.today + timedelta(days=spec.birthday_in_days)
        return date(year, soon.month, soon.day)
    if rng.random() < 0.3:
        return None
    return date(year, rng.randint(1, 12), rng.randint(1, 28))


def _collect_touches(demo: Demo, info: ClientInfo) -> datetime | None:
    """Collect a year of calls, e-mails and meetings with a client; returns the latest.

    A client is touched on its cadence (a churned one until it left, a lapsed one until a
    little over a cadence ago); a customer a few times at random, a lead or prospect
    recently. Nothing is collected for the last `quiet_days` of a quiet client.
    """
    rng, spec, today = demo.rng, info.spec, demo.today
    people = demo.content.clientele
    start = max(info.created_at.date() + timedelta(days=1), today - timedelta(days=365))
    days: list[date] = []
    if spec.kind == "client":
        cadence = spec.cadence or 30
        if spec.stage == "churned":
            end = today - timedelta(days=rng.randint(100, 200))
        elif spec.lapsed:
            end = today - timedelta(days=cadence + rng.randint(4, 15))
        else:
            end = today - timedelta(days=rng.randint(0, max(1, cadence - 4)))
        day = max(end, start)
        while day >= start:
            days.append(day)
            day -= timedelta(days=max(3, round(cadence * rng.uniform(0.5, 1.0))))
    else:
        # every stage's draw is made, so that the sequence does not depend on the stage
        draws = {"lead": (rng.randint(1, 2), 45), "prospect": (rng.randint(2, 3), 90),
                 "churned": (rng.randint(1, 3), 365)}
        count, window = draws.get(spec.stage, (rng.randint(2, 6), 365))
        first = max(start, today - timedelta(days=window))
        last = today - timedelta(days=150) if spec.stage == "churned" else today
        span = max(0, (last - first).days)
        days = [first + timedelta(days=rng.randint(0, span)) for _ in range(count)]
    contact = demo.first_name(spec.contact or spec.name)
    support = demo.content.workspace.support_agents
    quiet = demo.now - timedelta(days=spec.quiet_days or 0)
    latest = None
    for moment in sorted(demo.at(day) for day in days):
        kind = demo.weighted(people.interaction_kinds)
        summary = rng.choice(people.summaries[kind]).format(
            contact=contact, topic=rng.choice(people.topics))
        agent = spec.manager or rng.choice(support)
        if spec.quiet_days is None or moment < quiet:
            demo.touches.append(Touch(moment, info.id, agent, kind, summary))
            latest = moment
    return latest


def _notes(spec: ClientSpec) -> str:
    """A client's notes: a short Markdown requirements document (a line for customers)."""
    if spec.kind != "client":
        return spec.note
    lines = [f"# {spec.name}: requirements", "",
             f"**Decision maker:** {spec.contact}  "]
    if spec.retainer:
        amount, cycle = spec.retainer
        lines.append(f"**Retainer:** {money_text(Decimal(amount), CURRENCY)} {cycle}, "
                     "reviewed every January  ")
    if spec.cadence:
        lines.append(f"**Contact:** at least every {spec.cadence} days")
    lines += ["", "## What they need", *(f"- {need}" for need in spec.needs), "",
              "## Working with them", spec.note, ""]
    return "\n".join(lines)
