"""desk's own JSON exports (`desk export tasks|clients --format json`), read back as records:
a way to move tasks and clients from one desk to another. A file holds tasks (objects with
a title) or clients (objects with a name); which one is seen from its first object."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path

from desk.transfer import jsonstream
from desk.transfer.reading import open_source
from desk.transfer.records import (
    ClientRecord,
    CommentRecord,
    Place,
    Problem,
    Recurrence,
    TaskRecord,
)

SOURCE = "desk"


def holds_clients(paths: list[Path]) -> bool:
    """Whether the first object of the first file is a client."""
    for path in paths:
        for _, value in jsonstream.objects(open_source(path, []), []):
            return isinstance(value, dict) and "title" not in value and "name" in value
    return False


def records(paths: list[Path], zone: tzinfo, problems: list[Problem],
            notes: list[Problem]) -> Iterator[TaskRecord]:
    """The tasks of desk JSON exports."""
    for _path, place, value in _objects(paths, problems, notes, "title"):
        try:
            yield _task(value, place)
        except (KeyError, TypeError, ValueError) as error:
            problems.append(Problem(place, f"not a task of a desk export ({error}); skipped",
                                    refused=True))


def client_records(paths: list[Path], zone: tzinfo, problems: list[Problem],
                   notes: list[Problem]) -> Iterator[ClientRecord]:
    """The clients of desk JSON exports."""
    for _path, place, value in _objects(paths, problems, notes, "name"):
        try:
            yield _client(value, place)
        except (KeyError, TypeError, ValueError) as error:
            problems.append(Problem(place, f"not a client of a desk export ({error}); "
                                           "skipped", refused=True))


def _objects(paths: list[Path], problems: list[Problem], notes: list[Problem], needed: str):
    """(path, place, object) of every object that has the key `needed`."""
    for path in paths:
        source = open_source(path, notes)
        for line, value in jsonstream.objects(source, problems):
            place = Place(source.name, line)
            if isinstance(value, dict) and needed in value:
                yield path, place, value
            else:
                problems.append(Problem(place, f"an object without {needed!r}; skipped",
                                        refused=True))


def _moment(value: object) -> datetime | None:
    """An exported time ("2026-11-18T09:30:00Z") as naive UTC."""
    if not value:
        return None
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(
        UTC).replace(tzinfo=None)


def _task(task: dict, place: Place) -> TaskRecord:
    """One exported task as a record."""
    series = task.get("recurrence")
    return TaskRecord(
        source_id=str(task["id"]), place=place, title=str(task["title"]),
        space=str(task["space"]), list=str(task["list"]), status=task.get("status"),
        category=task.get("category"),
        parent=str(task["parent_id"]) if task.get("parent_id") else None,
        description=task.get("description") or "", priority=task.get("priority") or "none",
        tags=tuple(task.get("tags") or ()), people=tuple(task.get("assignees") or ()),
        start_at=_moment(task.get("start_at")), due_at=_moment(task.get("due_at")),
        snoozed_until=_moment(task.get("snoozed_until")),
        closed_at=_moment(task.get("closed_at")), created_at=_moment(task.get("created_at")),
        estimate_minutes=task.get("estimate_minutes"),
        fields={name: (kind, value) for name, (kind, value) in
                (task.get("fields") or {}).items()},
        checklists=tuple((name, tuple((text, bool(done)) for text, done in items))
                         for name, items in task.get("checklists") or ()),
        comments=tuple(CommentRecord(comment["body"], comment.get("author") or "",
                                     _moment(comment.get("at")))
                       for comment in task.get("comments") or ()),
        recurrence=Recurrence(series["rule"], _moment(series.get("starts_at")),
                              _moment(series.get("until")), series.get("count"),
                              tuple(_moment(at) for at in series.get("excluded") or ()))
        if series else None)


def _client(client: dict, place: Place) -> ClientRecord:
    """One exported client as a record."""
    email = client.get("email") or ""
    return ClientRecord(
        source_id=email.lower() or str(client["name"]).lower(), place=place,
        name=str(client["name"]), kind=client.get("kind") or "",
        contact_person=client.get("contact_person") or "",
        emails=(email,) if email else (),
        phones=(client["phone"],) if client.get("phone") else (),
        birthday=date.fromisoformat(client["birthday"]) if client.get("birthday") else None,
        notes=client.get("notes") or "", tags=tuple(client.get("tags") or ()))
