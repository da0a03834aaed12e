"""Canned responses: the config's ready replies, filled in for the query being answered.

The placeholders are those of the automation rules' templates about a task ({task.id},
{task.title}, {requester.name}, {client.name}, {agent.name}, {today}...), read by the same
code (desk.automation.subjects) and filled by the same `render`, so a response and a rule
mean the same thing by the same word. The config's loader has checked every placeholder.

The text is filled as the agent writing may see the task: on a query of a confidential client
they may not see in full (desk.kernel.confidential), {requester.name} and {requester.email}
fall back to what they may see of the client, as they do for a task without a requester.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from desk.automation.rules import render
from desk.automation.subjects import task_subjects
from desk.config import CannedResponse
from desk.crm.contacts import first_name
from desk.errors import NotFound
from desk.kernel import confidential
from desk.kernel.agents import AgentRef


def filled(responses: Sequence[CannedResponse], agent: AgentRef, task_id: int,
           now: datetime) -> list[tuple[str, str]]:
    """Each response as (name, text) with its placeholders filled for task `task_id`, by
    `agent` (who writes the reply) at `now` (aware: {today} and {task.due} in its zone)."""
    subject = task_subjects([task_id], agent, now).get(task_id)
    if subject is None:
        raise NotFound(f"no task {task_id}")
    values = {**subject.values, "agent.name": agent.name or agent.username,
              "agent.username": agent.username, "today": now.date().isoformat()}
    if confidential.task_masks(agent, [task_id]):
        values.update({"requester.name": values["client.contact"],
                       "requester.email": values["client.email"],
                       "contact.name": values["client.contact"],
                       "contact.first_name": first_name(values["client.contact"])})
    return [(response.name, render(response.text, values)) for response in responses]
