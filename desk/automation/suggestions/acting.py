"""What an agent does with a suggestion: create its task, snooze it until a day, or dismiss
it with a reason. Each checks the agent's role, finds the suggestion as it stands now, and
writes the decision (one row per client, rule and subject, versioned) with its audit row in
one transaction; creating the task goes through the task service, linked to the client."""

from __future__ import annotations

from datetime import date, datetime

from msgspec import Struct

from desk import dates
from desk.automation.suggestions.base import Suggestion
from desk.automation.suggestions.listing import one
from desk.clock import stored, to_local, utcnow
from desk.config.schema import Settings
from desk.dialect import serialize
from desk.errors import InvalidInput, NotFound
from desk.kernel import audit, versions
from desk.kernel.agents import AgentRef, require_writer
from desk.kernel.inputs import required_text
from desk.models import SuggestionState, database
from desk.work import tasks, workspace


class Decision(Struct, frozen=True):
    """What was decided about a suggestion: its key, the outcome, and the task created (for
    "acted") or the day it sleeps until (for "snoozed")."""

    key: str
    outcome: str
    task_id: int | None = None
    snoozed_until: date | None = None


def act(agent: AgentRef, settings: Settings, key: str, now: datetime | None = None) -> Decision:
    """Create the suggested task on `suggestions.list`, for the client, assigned to its
    account manager (or to the agent when it has none), due on the suggested day."""
    require_writer(agent)
    moment = _now(now)
    with database.atomic():
        suggestion = _current(settings, moment, key)
        task_list = _task_list(settings.suggestions.list)
        due = (dates.parse_due(suggestion.due.isoformat(), to_local(moment, settings.tz))
               if suggestion.due else None)
        task = tasks.create(agent, suggestion.title, task_list.id, client_id=suggestion.client_id,
                            description=_description(suggestion), due_at=due,
                            assignees=[suggestion.assignee or agent.username], now=moment)
        _decide(agent, suggestion, "acted", moment, task_id=task.row.id)
    return Decision(key, "acted", task_id=task.row.id)


def snooze(agent: AgentRef, settings: Settings, key: str, until: date,
           now: datetime | None = None) -> Decision:
    """Hide the suggestion until `until` (a day after today in the workspace's zone), unless
    its data changes first."""
    require_writer(agent)
    moment = _now(now)
    today = to_local(moment, settings.tz).date()
    if not isinstance(until, date) or isinstance(until, datetime) or until <= today:
        raise InvalidInput(f"snooze until must be a day after today ({today}), not {until}")
    with database.atomic():
        suggestion = _current(settings, moment, key)
        _decide(agent, suggestion, "snoozed", moment, snoozed_until=until)
    return Decision(key, "snoozed", snoozed_until=until)


def dismiss(agent: AgentRef, settings: Settings, key: str, reason: str,
            now: datetime | None = None) -> Decision:
    """Hide the suggestion for good, with the agent's reason, unless its data changes."""
    require_writer(agent)
    reason = required_text(reason, what="a reason for dismissing", limit=1000)
    moment = _now(now)
    with database.atomic():
        suggestion = _current(settings, moment, key)
        _decide(agent, suggestion, "dismissed", moment, reason=reason)
    return Decision(key, "dismissed")


def _task_list(name: str) -> workspace.ListRef:
    """The list suggested tasks go on, its setting named when it is missing."""
    try:
        return workspace.open_list(name)
    except NotFound as error:
        raise NotFound(f"{error} (suggestions.list in the config names the list a "
                       "suggestion's task goes on)") from None


def _now(now: datetime | None) -> datetime:
    """`now` as naive UTC, by default the current time."""
    return stored(now) or utcnow()


def _current(settings: Settings, moment: datetime, key: str) -> Suggestion:
    """The suggestion as it stands, read after taking turns with anyone deciding on it."""
    serialize(f"suggestion {key}")
    return one(settings, moment, key)


def _description(suggestion: Suggestion) -> str:
    """The task's description: the reason, the data and why now."""
    facts = "\n".join(f"- {label}: {value}" for label, value in suggestion.facts)
    return (f"Suggested ({suggestion.rule}): {suggestion.reason}.\n\n{facts}\n\n"
            f"Why now: {suggestion.why_now}")


def _decide(agent: AgentRef, suggestion: Suggestion, outcome: str, moment: datetime, *,
            task_id: int | None = None, snoozed_until: date | None = None,
            reason: str = "") -> None:
    """Write the decision over any earlier one about the same suggestion, with its audit."""
    columns = {"fingerprint": suggestion.fingerprint, "outcome": outcome, "task": task_id,
               "snoozed_until": snoozed_until, "reason": reason, "agent": agent.id,
               "at": moment}
    row = SuggestionState.get_or_none(
        (SuggestionState.client == suggestion.client_id)
        & (SuggestionState.rule == suggestion.rule)
        & (SuggestionState.subject == suggestion.subject))
    if row is None:
        row = SuggestionState.create(client=suggestion.client_id, rule=suggestion.rule,
                                     subject=suggestion.subject, **columns)
        old: dict[str, object] = {}
        version = 1
    else:
        old = {"outcome": row.outcome, "snoozed_until": row.snoozed_until,
               "reason": row.reason, "task_id": row.task_id}
        version = versions.bump(SuggestionState, row.id, row.version, "suggestion", columns)
    new = {"outcome": outcome, "snoozed_until": snoozed_until, "reason": reason,
           "task_id": task_id}
    changes = {field: (old.get(field), value) for field, value in new.items()
               if old.get(field) != value and value not in (None, "")}
    audit.record("suggestion", row.id, agent, changes, version, f"suggestion.{outcome}",
                 {"key": suggestion.key, "client_id": suggestion.client_id,
                  "rule": suggestion.rule, "reason": suggestion.reason}, at=moment)
