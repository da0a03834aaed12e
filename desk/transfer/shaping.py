"""The workspace an import writes into: spaces, lists, statuses and custom fields found by
name or, in a real run, created through the workspace services as records need them. A dry
run creates nothing: it notes in the plan what would be created and hands out stand-in ids
(below zero). People are matched with agents by user name, name or e-mail address.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import count
from typing import Any

from peewee import fn

from desk.db import named_ids
from desk.kernel.agents import AgentRef
from desk.kernel.tags import names as checked_tags
from desk.models import Agent, Space, Status, Tag, TaskList
from desk.transfer.chunk_writes import at_once
from desk.transfer.plan import Plan
from desk.work import custom_fields, workspace

Status_ = tuple[int, str, str]
"""A status as (id, name, category)."""
Run = Callable[..., Any]
"""What runs the Shaper's reads and writes: `run(call, *args)` (desk.transfer.chunk_writes)."""


class Shaper:
    """Finds (or creates) the places records go to, once each per import. What it does not
    know yet it reads or creates through `run`, in the transaction of the chunk that needs
    it; what it knows it answers at once."""

    def __init__(self, agent: AgentRef, plan: Plan, run: Run = at_once) -> None:
        """Shape the workspace for `agent`; `plan.dry_run` says whether to create things."""
        self.agent, self.plan, self._run = agent, plan, run
        self._stand_ins = count(-1, -1)
        self._lists: dict[tuple[str, str], int] = {}
        self._list_names: dict[int, str] = {}
        self._statuses: dict[int, list[Status_]] = {}
        self._fields: dict[tuple[int, str], custom_fields.FieldRow] = {}
        self._spaces: dict[str, str] = {name.lower(): name for (name,) in
                                        Space.select(Space.name).tuples()}
        self._people: dict[str, str] = {}
        self.agent_ids: dict[str, int] = {}
        """The ids of the agents, by user name."""
        for agent_id, username, name, email in Agent.select(Agent.id, Agent.username,
                                                            Agent.name, Agent.email).tuples():
            self.agent_ids[username] = agent_id
            for key in (name, email, username):
                if key:
                    self._people[key.strip().lower()] = username
        self._tags: dict[str, int] = {}

    def list_id(self, space: str, name: str, first_status: tuple[str, str] | None) -> int:
        """The id of list `name` in `space` (both matched case-insensitively), created with
        `first_status` (or the default statuses) when it does not exist."""
        key = (space.lower(), name.lower())
        if key not in self._lists:
            self._run(self._find_list, key, space, name, first_status)
        return self._lists[key]

    def _find_list(self, key: tuple[str, str], space: str, name: str,
                   first_status: tuple[str, str] | None) -> None:
        """Find list `key` (lower-case space and name) with its statuses, or create it."""
        found = (TaskList.select(TaskList.id).join(Space)
                 .where((fn.LOWER(Space.name) == key[0]) & (fn.LOWER(TaskList.name) == key[1]))
                 .scalar())
        if found is None:
            found = self._new_list(space, name, first_status)
        else:
            self._statuses[found] = list(Status.select(Status.id, Status.name, Status.category)
                                         .where(Status.task_list == found)
                                         .order_by(Status.position, Status.id).tuples())
        self._lists[key] = found
        self._list_names[found] = f"{space} / {name}"

    def _new_list(self, space: str, name: str, first_status: tuple[str, str] | None) -> int:
        """Create (or, in a dry run, note) a list and, when needed, its space."""
        space_name = self._spaces.get(space.lower())
        if space_name is None:
            self.plan.new_spaces.append(space)
            if not self.plan.dry_run:
                workspace.create_space(self.agent, space)
            space_name = self._spaces[space.lower()] = space
        self.plan.new_lists.append(f"{space_name} / {name}")
        statuses = (first_status,) if first_status else workspace.DEFAULT_STATUSES
        if first_status:
            self.plan.new_statuses.append((f"{space_name} / {name}", *first_status))
        if self.plan.dry_run:
            list_id = next(self._stand_ins)
            self._statuses[list_id] = [(next(self._stand_ins), status, category)
                                       for status, category in statuses]
            return list_id
        created = workspace.create_list(self.agent, space_name, name, statuses)
        self._statuses[created.id] = [(ref.id, ref.name, ref.category)
                                      for ref in workspace.statuses(created.id)]
        return created.id

    def status(self, list_id: int, name: str | None, category: str | None) -> Status_:
        """The list's status `name` (case-insensitively), added in `category` when new; the
        list's first status when `name` is None."""
        statuses = self._statuses[list_id]
        if name is None:
            return statuses[0]
        for status in statuses:
            if status[1].lower() == name.lower():
                return status
        category = category or "open"
        self.plan.new_statuses.append((self._list_names[list_id], name, category))
        if self.plan.dry_run:
            status = (next(self._stand_ins), name, category)
        else:
            ref = self._run(workspace.add_status, self.agent, list_id, name, category)
            status = (ref.id, ref.name, ref.category)
        statuses.append(status)
        return status

    def field(self, list_id: int, name: str, kind: str) -> custom_fields.FieldRow:
        """The list's custom field `name`, defined with `kind` when new."""
        key = (list_id, name.lower())
        if key in self._fields:
            return self._fields[key]
        found = None if list_id < 0 else next(
            (row for row in self._run(custom_fields.fields_for_list, list_id)
             if row.name.lower() == name.lower()), None)
        if found is None:
            self.plan.new_fields.append((self._list_names[list_id], name, kind))
            found = (custom_fields.FieldRow(next(self._stand_ins), list_id, name, kind, ())
                     if self.plan.dry_run
                     else self._run(custom_fields.define, self.agent, list_id, name, kind))
        self._fields[key] = found
        return found

    def people(self, names: Iterable[str]) -> tuple[str, ...]:
        """The user names of the agents matching `names` (by user name, name or e-mail);
        the others are counted in the plan as unmatched."""
        found = set()
        for name in names:
            username = self._people.get(name.strip().lower())
            if username is None:
                self.plan.unmatched[name.strip()] += 1
            else:
                found.add(username)
        return tuple(sorted(found))

    def tag_ids(self, names: set[str]) -> dict[str, int]:
        """The ids of the tags `names`, created when new."""
        missing = names - self._tags.keys()
        if missing:
            self._tags.update(self._run(named_ids, Tag, checked_tags(missing))[0])
        return self._tags
