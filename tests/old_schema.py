"""Rows written into a database held at an old migration, for the tests of the migrations
that come after it: only the columns the first schema had, so a column a later migration adds
(with a default the live model would fill in) is never named."""

from __future__ import annotations

from peewee import Database, Table

from desk.models import Space, Status, TaskList


def list_with_statuses(database: Database, statuses: tuple[tuple[str, str], ...], *,
                       space: str = "Support", name: str = "Inbox") -> tuple[int, list[int]]:
    """A space holding one list with `statuses` ((name, category) in order), as schema 0001
    stores them; returns the list's id and the statuses' ids in the same order."""
    Table("space").bind(database).insert(name=space, position=0).execute()
    space_id = Space.select(Space.id).where(Space.name == space).scalar()
    Table("task_list").bind(database).insert(space_id=space_id, name=name,
                                             position=0).execute()
    list_id = TaskList.select(TaskList.id).where(TaskList.name == name).scalar()
    for position, (status, category) in enumerate(statuses):
        Table("status").bind(database).insert(task_list_id=list_id, name=status,
                                              category=category, position=position).execute()
    return list_id, [Status.select(Status.id).where((Status.task_list == list_id)
                                                    & (Status.name == status)).scalar()
                     for status, _ in statuses]
