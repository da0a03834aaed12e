"""Customer satisfaction: the score (1 to 5) and comment a requester gave a resolved query.

A score arrives as a reply to the survey e-mail (desk.support.intake finds it with
`score_in`) or by phone (`desk csat ID SCORE [COMMENT]`); either way `record` stores it on
the query's support data with its activity, in one transaction.
"""

from __future__ import annotations

import re
from datetime import datetime

from msgspec import Struct

from desk.clock import stored
from desk.dialect import locking
from desk.errors import InvalidInput, NotFound
from desk.kernel import audit
from desk.kernel.agents import AgentRef, require_writer
from desk.kernel.inputs import free_text
from desk.models import QueryData, Task, database
from desk.support.survey_scores import scored_reply


class Csat(Struct, frozen=True):
    """The satisfaction recorded on a query."""

    task_id: int
    score: int
    comment: str


def score_in(text: str) -> tuple[int, str] | None:
    """The (score, comment) of a survey answer whose first non-empty line is a score from 1
    to 5 (the rest is the comment), or None when the text does not start with one."""
    return scored_reply(text, 1, 5)


def record(agent: AgentRef, task_id: int, score: object, comment: str = "", *,
           now: datetime | None = None) -> Csat:
    """Record the requester's score (a whole number from 1 to 5) and comment on a query;
    a later score replaces an earlier one (the history keeps both). `now` is when it was
    given (default: the current time; a caller recording history passes the moment)."""
    require_writer(agent)
    value = _score(score)
    comment = free_text(comment, "a CSAT comment").strip()
    with database.atomic():
        task = Task.get_or_none(Task.id == task_id)
        if task is None:
            raise NotFound(f"no task {task_id}")
        data = locking(QueryData.select().where(QueryData.task == task_id)).first()
        if task.kind != "query" or data is None:
            raise InvalidInput(f"task {task_id} is not a support query; only queries get a "
                               "CSAT score")
        changes = {name: (old, new) for name, old, new in (
            ("csat_score", data.csat_score, value), ("csat_comment", data.csat_comment, comment))
            if old != new}
        if changes:
            QueryData.update(csat_score=value, csat_comment=comment).where(
                QueryData.task == task_id).execute()
            audit.record("task", task_id, agent, changes, None, "query.csat",
                         {"score": value, "task_id": task_id}, at=stored(now))
    return Csat(task_id, value, comment)


def _score(score: object) -> int:
    """A score given as a number or digits, from 1 to 5."""
    text = str(score).strip()
    if isinstance(score, bool) or not re.fullmatch(r"[1-5]", text):
        raise InvalidInput(f"a CSAT score is a whole number from 1 to 5, not {score!r}")
    return int(text)
