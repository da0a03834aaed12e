"""Enrolling a client in a sequence, and an agent's pause, resume and stop.

A client is in a sequence at most once at a time: a partial unique index over (client,
sequence) for the running and paused enrolments makes a second start, by an agent or by a
trigger from two desks at once, insert nothing. Every change is role-checked from the
database, made at the version the caller read, and recorded on the client's history as the
field "sequence NAME" with an event.
"""

from __future__ import annotations

from collections.abc import Sequence as Many
from datetime import datetime, tzinfo

from peewee import fn

from desk.automation.sequences.timing import step_due
from desk.clock import stored
from desk.config.automations.sequences import Sequence
from desk.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from desk.kernel import audit, confidential
from desk.kernel.agents import AgentRef, require_writer
from desk.models import Client, SequenceEnrolment, database
from desk.models.sequences import LIVE_STATES

START_EVENTS = {"client_created": "client.created",
                "client_stage_changed": "client.stage_changed"}
"""The event that starts a sequence of each start kind (manual ones have none)."""


def named(sequences: Many[Sequence], name: str) -> Sequence:
    """The sequence called `name` (any case); InvalidInput naming the ones there are."""
    for sequence in sequences:
        if sequence.name.casefold() == name.strip().casefold():
            return sequence
    known = ", ".join(sequence.name for sequence in sequences) or "none are configured"
    raise InvalidInput(f'no sequence "{name.strip()}" (the sequences: {known})')


def start(agent: AgentRef, client_id: int, sequence: Sequence, now: datetime, zone: tzinfo,
          *, by: str | None = None) -> int | None:
    """Enrol the client in `sequence` at `now`, its first step due on its day; returns the
    enrolment's id, or None when the client is already in it. `by` names the trigger that
    started it (default: the agent, who must be able to change the client)."""
    require_writer(agent)
    with database.atomic():
        client = _client(client_id, agent if by is None else None)
        moment = stored(now)
        inserted = list(SequenceEnrolment.insert(
            client=client_id, sequence=sequence.name, stage=client.lifecycle_stage,
            started_at=moment, started_by=by or agent.username,
            next_due_at=step_due(moment, sequence.steps[0].day, zone), updated_at=moment)
            .on_conflict_ignore().returning(SequenceEnrolment.id).execute())
        if not inserted:
            return None
        enrolment_id = _id_of(inserted[0])
        audit.record("client", client_id, agent, {f"sequence {sequence.name}": (None, "running")},
                     client.version, "sequence.started",
                     {"sequence": sequence.name, "enrolment_id": enrolment_id}, actor=by)
    return enrolment_id


def on_event(sequences: Many[Sequence], kind: str, client_id: int, data: dict,
             agent: AgentRef, now: datetime, zone: tzinfo) -> list[str]:
    """Enrol the client of a "client.created" or "client.stage_changed" event in the
    sequences it starts; one line per enrolment. Call inside the event's transaction."""
    lines = []
    for sequence in sequences:
        if START_EVENTS.get(sequence.start.kind) != kind or not _matches(sequence, data):
            continue
        try:
            started = start(agent, client_id, sequence, now, zone,
                            by=f"sequence:{sequence.name}")
        except NotFound:  # the client is gone since
            continue
        if started:
            lines.append(f'sequence "{sequence.name}" started for client {client_id}')
    return lines


def _matches(sequence: Sequence, data: dict) -> bool:
    """Whether a stage change (its from and to in `data`) is the one the sequence starts on."""
    trigger = sequence.start
    return all(not accepted or str(data.get(key) or "").casefold() in accepted
               for key, accepted in (("from", trigger.changed_from), ("to", trigger.changed_to)))


def pause(agent: AgentRef, enrolment_id: int, version: int, now: datetime) -> None:
    """Pause a running enrolment: no step runs until it is resumed."""
    _change(agent, enrolment_id, version, now, ("running",), "paused", "paused by {agent}")


def resume(agent: AgentRef, enrolment_id: int, version: int, now: datetime) -> None:
    """Resume a paused enrolment: a step overdue meanwhile runs at the next tick, and the
    later ones keep their gap after it."""
    _change(agent, enrolment_id, version, now, ("paused",), "running", "")


def stop(agent: AgentRef, enrolment_id: int, version: int, now: datetime) -> None:
    """Stop a running or paused enrolment for good."""
    _change(agent, enrolment_id, version, now, LIVE_STATES, "stopped", "stopped by {agent}")


def _change(agent: AgentRef, enrolment_id: int, version: int, now: datetime,
            allowed: tuple[str, ...], state: str, reason: str) -> None:
    """Move an enrolment from one of `allowed` to `state` at the version the agent read."""
    require_writer(agent)
    with database.atomic():
        row = SequenceEnrolment.get_or_none(SequenceEnrolment.id == enrolment_id)
        if row is None:
            raise NotFound(f"no sequence enrolment {enrolment_id}")
        client = _client(row.client_id, agent)
        if row.version != version:
            raise ConflictError("sequence", enrolment_id, {"state": (row.state, state)},
                                row.version)
        if row.state not in allowed:
            raise InvalidInput(f'the sequence "{row.sequence}" is {row.state}; it cannot be '
                               f"{state} now")
        SequenceEnrolment.update(state=state, reason=reason.format(agent=agent.username),
                                 updated_at=stored(now), version=row.version + 1).where(
            SequenceEnrolment.id == enrolment_id).execute()
        audit.record("client", client.id, agent, {f"sequence {row.sequence}": (row.state, state)},
                     client.version, f"sequence.{state}",
                     {"sequence": row.sequence, "enrolment_id": enrolment_id})


def _client(client_id: int, agent: AgentRef | None) -> Client:
    """The client; with `agent`, one they may change (a confidential client only by an admin
    or its account manager)."""
    client = Client.get_or_none(Client.id == client_id)
    if client is None:
        raise NotFound(f"no client {client_id}")
    if agent is not None and not confidential.can_see(agent, client.account_manager_id,
                                                      client.confidential):
        raise PermissionDenied(f'client "{client.name}" is confidential: only admins and its '
                               "account manager can change its sequences")
    return client


def _id_of(returned: object) -> int:
    """The id in a RETURNING row (a tuple on some drivers, a model on others)."""
    if isinstance(returned, tuple | list):
        return int(returned[0])
    return int(getattr(returned, "id", returned))


def live(client_id: int, client_name: str, name: str) -> tuple[int, int]:
    """(id, version) of the client's running or paused enrolment in the sequence `name`;
    InvalidInput when it is in no such sequence now."""
    found = (SequenceEnrolment.select(SequenceEnrolment.id, SequenceEnrolment.version)
             .where((SequenceEnrolment.client == client_id)
                    & (fn.LOWER(SequenceEnrolment.sequence) == name.strip().casefold())
                    & SequenceEnrolment.state.in_(LIVE_STATES)).tuples().first())
    if found is None:
        raise InvalidInput(f'{client_name} is not in the sequence "{name.strip()}" now')
    return found
