"""The sequences a client is in, as the client screen and `desk sequences` show them: the
sequence, step N of M, the next step and when it is due, and why one paused or stopped."""

from __future__ import annotations

from collections.abc import Sequence as Many
from datetime import datetime

from msgspec import Struct

from desk.config.automations.sequences import Sequence
from desk.models import Client, SequenceEnrolment

LIMIT = 500
"""At most this many enrolments in one listing (newest first)."""


class EnrolmentRow(Struct, frozen=True):
    """One enrolment: `step` is the next step (1-based; steps + 1 once finished), `steps`
    how many the sequence has (0 when it left the config), `next_step` what the next step
    is ("e-mail: SUBJECT" or "task: TITLE", as written, placeholders unfilled), and `reason`
    why it is paused or stopped."""

    id: int
    client_id: int
    client: str
    sequence: str
    state: str
    reason: str
    step: int
    steps: int
    next_step: str
    next_due_at: datetime | None
    started_at: datetime
    started_by: str
    version: int

    def as_record(self) -> dict[str, object]:
        """The row as desk.output prints it (times stored, shown in the person's zone)."""
        return {"id": self.id, "client_id": self.client_id, "client": self.client,
                "sequence": self.sequence, "state": self.state, "reason": self.reason,
                "step": self.step, "steps": self.steps, "next_step": self.next_step,
                "next_due_at": self.next_due_at, "started_at": self.started_at,
                "started_by": self.started_by, "version": self.version}


def rows(sequences: Many[Sequence], client_id: int | None = None, *,
         live_only: bool = False) -> list[EnrolmentRow]:
    """The enrolments of one client (or of every client), live ones first, newest first."""
    by_name = {sequence.name: sequence for sequence in sequences}
    query = (SequenceEnrolment.select(SequenceEnrolment, Client.name.alias("client_name"))
             .join(Client, on=SequenceEnrolment.client == Client.id))
    if client_id is not None:
        query = query.where(SequenceEnrolment.client == client_id)
    if live_only:
        query = query.where(SequenceEnrolment.state.in_(("running", "paused")))
    found = []
    for row in query.order_by(SequenceEnrolment.id.desc()).limit(LIMIT).objects():
        sequence = by_name.get(row.sequence)
        steps = sequence.steps if sequence else ()
        upcoming = steps[row.next_step] if row.next_step < len(steps) else None
        found.append(EnrolmentRow(
            row.id, row.client_id, row.client_name, row.sequence, row.state, row.reason,
            row.next_step + 1, len(steps), _what(upcoming.kind, upcoming.options)
            if upcoming and row.state in ("running", "paused") else "",
            row.next_due_at if row.state in ("running", "paused") else None, row.started_at,
            row.started_by, row.version))
    return sorted(found, key=lambda row: row.state not in ("running", "paused"))


def _what(kind: str, options: dict) -> str:
    """A step in a few words: "e-mail: SUBJECT" or "task: TITLE", as configured."""
    return f"e-mail: {options['subject']}" if kind == "email" else f"task: {options['title']}"
