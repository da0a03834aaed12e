"""Notices and follows: what puts a task in an agent's "For me" (read by desk.work.for_me).

- An internal note that names an agent with `@` (`@ana`: their username, their display name
  written without spaces, `@AnaLima`, or their first name when no other agent has it) is a
  "mention" notice for them, and they follow the task from then on. The note is stored as
  typed; its activity row names who was mentioned.
- Being assigned a task (by someone else) is an "assigned" notice; an assignee follows it.
- An agent follows what they reply to.
- On a task an agent follows, a reply by someone else, a message from the requester and a
  note are notices ("reply", "message", "note") for them.

`on_comment` and `on_assigned` run inside the transaction of the comment or assignment that
causes them (desk.work.comments, desk.work.tasks, desk.support.intake), so a notice exists
exactly when its cause does; the follows they add are recorded by that cause's own activity
row. Following or unfollowing by hand (`set_following`) is audited on its own; like every
write, it is refused for a viewer (a viewer is still told of mentions).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from desk.clock import stored, utcnow
from desk.db import insert_tuples
from desk.errors import NotFound
from desk.kernel import audit
from desk.kernel.agents import AgentRef, require_writer
from desk.models import Agent, Follow, Notice, Task, database

MENTION = re.compile(r"(?<![\w@.])@(\w[\w.\-]*)")
"""`@name` at the start of a word (an e-mail address such as ana@example.com is not one)."""

NOTICE_OF_COMMENT = {"reply": "reply", "message": "message", "note": "note"}
"""The notice a follower gets for each kind of comment."""


def mentioned(body: str) -> dict[int, str]:
    """The agents that `body` mentions (id -> username), by username, display name without
    spaces, or a first name that only one agent has; case does not matter. Disabled agents
    and names that match nobody are left out (the text stays as typed)."""
    words = {match.group(1).rstrip(".-").casefold() for match in MENTION.finditer(body)}
    words.discard("")
    if not words:
        return {}
    agents = list(Agent.select(Agent.id, Agent.username, Agent.name)
                  .where(~Agent.disabled).tuples())
    firsts: dict[str, list[int]] = {}
    for agent_id, _, name in agents:
        if name.split():
            firsts.setdefault(name.split()[0].casefold(), []).append(agent_id)
    found: dict[int, str] = {}
    for agent_id, username, name in agents:
        names = {username.casefold(), "".join(name.split()).casefold()}
        first = name.split()[0].casefold() if name.split() else ""
        if names & words or (first in words and firsts.get(first) == [agent_id]):
            found[agent_id] = username
    return found


def on_comment(task_id: int, comment_id: int, kind: str, body: str, by: str,
               author_id: int | None, at: datetime) -> list[str]:
    """A comment was added (call inside its transaction): the notices it causes, and the
    follows. Only an agent's note mentions (`author_id` None: a sender's text, whose `@`
    words stay words). Returns the usernames it mentions, for its activity row."""
    mentions = {agent_id: name for agent_id, name in mentioned(body).items()
                if agent_id != author_id} if kind == "note" and author_id else {}
    followers = {agent_id for (agent_id,) in
                 Follow.select(Follow.agent).where(Follow.task == task_id).tuples()}
    rows = [(agent_id, task_id, "mention", comment_id, by[:200], at) for agent_id in mentions]
    rows += [(agent_id, task_id, NOTICE_OF_COMMENT[kind], comment_id, by[:200], at)
             for agent_id in sorted(followers - set(mentions) - {author_id})]
    insert_tuples(Notice, ("agent", "task", "kind", "comment", "by", "at"), rows)
    joining = set(mentions) | ({author_id} if kind == "reply" and author_id else set())
    _add_follows(task_id, joining - followers, at)
    return sorted(mentions.values())


def on_assigned(agent: AgentRef, task_id: int, agent_ids: Iterable[int], at: datetime) -> None:
    """`agent` made `agent_ids` assignees of the task (call inside its transaction): each
    follows it, and each but `agent` gets an "assigned" notice."""
    new = set(agent_ids)
    if not new:
        return
    insert_tuples(Notice, ("agent", "task", "kind", "by", "at"),
                  [(agent_id, task_id, "assigned", agent.name[:200], at)
                   for agent_id in sorted(new - {agent.id})])
    _add_follows(task_id, new, at)


def _add_follows(task_id: int, agent_ids: set[int], at: datetime) -> None:
    """Make `agent_ids` followers of the task; one who already follows it stays as is (also
    when another transaction made them one meanwhile)."""
    if agent_ids:
        (Follow.insert_many([{"agent": agent_id, "task": task_id, "at": at}
                             for agent_id in sorted(agent_ids)])
         .on_conflict_ignore().execute())


def is_following(agent: AgentRef, task_id: int) -> bool:
    """Whether `agent` follows the task."""
    return Follow.select().where((Follow.agent == agent.id) & (Follow.task == task_id)).exists()


def set_following(agent: AgentRef, task_id: int, follow: bool, *,
                  now: datetime | None = None) -> bool:
    """Follow the task (or stop); returns whether that changed anything. Recorded as
    activity of the follow ("follower": the agent's username, added or removed)."""
    require_writer(agent)
    moment = stored(now) or utcnow()
    with database.atomic():
        if not Task.select().where(Task.id == task_id).exists():
            raise NotFound(f"no task {task_id}")
        if is_following(agent, task_id) == follow:
            return False
        if follow:
            _add_follows(task_id, {agent.id}, moment)
        else:
            Follow.delete().where((Follow.agent == agent.id)
                                  & (Follow.task == task_id)).execute()
        change = (None, agent.username) if follow else (agent.username, None)
        audit.record("follow", task_id, agent, {"follower": change}, None,
                     "task.followed" if follow else "task.unfollowed",
                     {"task_id": task_id}, at=moment)
    return True


def toggle_following(agent: AgentRef, task_id: int) -> bool:
    """Follow the task if `agent` does not, else stop; returns whether they follow it now."""
    following = not is_following(agent, task_id)
    set_following(agent, task_id, following)
    return following
