"""Customer satisfaction: the score (1 to 5) and comment a requester gave a resolved query.

A score arrives as a reply to the survey e-mail (desk.support.intake finds it with
`score_in`) or by phone (`desk csat ID SCORE [COMMENT]`); either way `record` stores it on
the query's support data with its activity, in one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desk.dialect import locking
from desk.errors import InvalidInput, NotFound
from desk.kernel import audit
from desk.kernel.agents import AgentRef, require_writer
from desk.kernel.inputs import free_text
from desk.models import QueryData, Task, database

# A survey answer's first line: "5", "4/5", "Score: 3", "2 out of 5", "5!" and nothing else.
_SCORE_LINE = re.compile(
    r"\s*(?:score\s*[:=]?\s*)?([1-5])\s*(?:/\s*5|of\s+5|out\s+of\s+5)?\s*[.!]?\s*",
    re.IGNORECASE)


@dataclass(frozen=True)
class Csat:
    """The satisfaction recorded on a query."""

    task_id: int
    score: int
    comment: str


def score_in(text: str) -> tuple[int, str] | None:
    """The (score, comment) of a survey answer whose first non-empty line is a score from 1
    to 5 (the rest is the comment), or None when the text does not start with one."""
    lines = text.strip().splitlines()
    if not lines:
        return None
    found = _SCORE_LINE.fullmatch(lines[0])
    if found is None:
        return None
    return int(found.group(1)), "\n".join(lines[1:]).strip()


def record(agent: AgentRef, task_id: int, score: object, comment: str = "") -> Csat:
    """Record the requester's score (a whole number from 1 to 5) and comment on a query;
    a later score replaces an earlier one (the history keeps both)."""
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
                         {"score": value, "task_id": task_id})
    return Csat(task_id, value, comment)


def _score(score: object) -> int:
    """A score given as a number or digits, from 1 to 5."""
    text = str(score).strip()
    if isinstance(score, bool) or not re.fullmatch(r"[1-5]", text):
        raise InvalidInput(f"a CSAT score is a whole number from 1 to 5, not {score!r}")
    return int(text)
