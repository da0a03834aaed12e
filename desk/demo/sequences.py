"""The demo's sequences: the shipped ones under way on the demo's clients, written in bulk.

Each client at the onboarding stage is part-way through onboarding (the welcome sent some
days ago, the check-in ahead or sent), each churned client has win-back running, and the
first active client with a manager has its renewal paused by that manager, so the client
screen and `desk sequences` show every state. The steps already taken are recorded as
history without outbox rows (the demo sends nothing).
"""

from __future__ import annotations

from datetime import UTC, timedelta

from desk.automation.sequences.timing import step_due
from desk.config.automations.sequences import parse
from desk.config.defaults import shipped
from desk.demo.context import ClientInfo, Demo
from desk.models import SequenceEnrolment, SequenceStep

STARTED_DAYS_AGO = (3, 9, 12)
"""How long ago onboarding started for the onboarding clients, in turn."""
WIN_BACK_DAYS_AGO = 10
"""How long ago win-back started for the churned clients."""


def enrol_clients(demo: Demo) -> None:
    """Write the demo's enrolments and the steps they have taken."""
    sequences = {sequence.name: sequence for sequence in parse(shipped("sequences"))}
    plans: list[tuple[ClientInfo, str, int, str]] = []
    onboarding = [info for info in demo.clients if info.spec.stage == "onboarding"]
    for index, info in enumerate(onboarding):
        plans.append((info, "onboarding", STARTED_DAYS_AGO[index % len(STARTED_DAYS_AGO)],
                      "running"))
    plans += [(info, "win-back", WIN_BACK_DAYS_AGO, "running")
              for info in demo.clients if info.spec.stage == "churned"]
    renewing = next((info for info in demo.clients
                     if info.spec.stage == "active" and info.spec.manager), None)
    if renewing is not None:
        plans.append((renewing, "renewal", 16, "paused"))
    steps: list[dict] = []
    for info, name, days_ago, state in plans:
        sequence = sequences[name]
        started = demo.now - timedelta(days=days_ago)
        done = [step for step in sequence.steps if step_due(started, step.day, UTC) <= demo.now]
        upcoming = sequence.steps[len(done)] if len(done) < len(sequence.steps) else None
        enrolment_id = SequenceEnrolment.insert(
            client=info.id, sequence=name, stage=info.spec.stage, started_at=started,
            started_by=f"sequence:{name}" if name != "renewal" else info.spec.manager,
            next_step=len(done), state=state if upcoming else "finished",
            next_due_at=step_due(started, upcoming.day, UTC) if upcoming else None,
            reason=f"paused by {info.spec.manager}" if state == "paused" else "",
            updated_at=demo.now).execute()
        steps += [{"enrolment": enrolment_id, "step": step.index, "kind": step.kind,
                   "done_at": step_due(started, step.day, UTC),
                   "summary": f"{step.kind} step {step.index + 1} (demo history)"}
                  for step in done]
    if steps:
        SequenceStep.insert_many(steps).execute()
