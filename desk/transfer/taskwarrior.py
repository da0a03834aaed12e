"""taskwarrior's `task export`, read as task records.

Each task: description (the title), project (the list, in the space "Taskwarrior"; tasks
without one go to "Inbox"), tags, priority (H, M, L), due, scheduled (the start), wait
(snoozed until), until, entry (created), end (done at), status, annotations (comments),
depends, and every other attribute as a custom field (a UDA: numbers as number fields,
dates as date fields, the rest as text).

Statuses become the list's statuses Pending, Waiting (open), Completed (done) and Deleted
(closed). A recurring template (status "recurring", with recur) is a task with a recurring
series by its rule; its instances (with parent) are tasks taken as the series' occurrences.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from desk.transfer import jsonstream
from desk.transfer.reading import blank, clean, open_source
from desk.transfer.records import CommentRecord, Place, Problem, Recurrence, TaskRecord

SPACE, NO_PROJECT = "Taskwarrior", "Inbox"
STATUSES = {"pending": ("Pending", "open"), "waiting": ("Waiting", "open"),
            "recurring": ("Pending", "open"), "completed": ("Completed", "done"),
            "deleted": ("Deleted", "closed")}
PRIORITIES = {"H": "high", "M": "normal", "L": "low"}
KNOWN = frozenset({"uuid", "id", "description", "project", "tags", "priority", "due",
                   "scheduled", "wait", "until", "entry", "end", "modified", "status",
                   "annotations", "depends", "recur", "parent", "mask", "imask", "urgency",
                   "start", "rtype", "template", "last", "period"})
RECUR_WORDS = {"daily": "DAILY", "day": "DAILY", "weekly": "WEEKLY", "week": "WEEKLY",
               "monthly": "MONTHLY", "month": "MONTHLY", "yearly": "YEARLY",
               "year": "YEARLY", "annual": "YEARLY", "biweekly": "WEEKLY;INTERVAL=2",
               "fortnight": "WEEKLY;INTERVAL=2", "quarterly": "MONTHLY;INTERVAL=3",
               "semiannual": "MONTHLY;INTERVAL=6", "weekdays": "DAILY;BYDAY=MO,TU,WE,TH,FR"}
RECUR_UNITS = {"d": "DAILY", "w": "WEEKLY", "m": "MONTHLY", "mo": "MONTHLY", "q": "MONTHLY",
               "y": "YEARLY"}
_STAMP = re.compile(r"\d{8}T\d{6}Z")


def records(paths: list[Path], zone: tzinfo, problems: list[Problem],
            notes: list[Problem]) -> Iterator[TaskRecord]:
    """The task records of `task export` files, an object at a time."""
    for path in paths:
        source = open_source(path, notes)
        for line, value in jsonstream.objects(source, problems):
            place = Place(source.name, line)
            if not isinstance(value, dict):
                problems.append(Problem(place, "not a task (a JSON object); skipped",
                                        refused=True))
                continue
            record = _record(value, place, problems)
            if record is not None:
                yield record


def _record(task: dict, place: Place, problems: list[Problem]) -> TaskRecord | None:
    """One exported task as a record, or None (with a problem)."""
    title = _text(task.get("description"))
    uuid = _text(task.get("uuid"))
    if not title or not uuid:
        problems.append(Problem(place, "a task needs a uuid and a description; skipped",
                                refused=True))
        return None
    status, category = STATUSES.get(_text(task.get("status")).lower(), ("Pending", "open"))
    stamp = {name: _moment(task, name, place, problems)
             for name in ("due", "scheduled", "wait", "until", "entry", "end")}
    record = TaskRecord(
        source_id=uuid, place=place, title=title, space=SPACE,
        list=_text(task.get("project")) or NO_PROJECT, status=status, category=category,
        priority=PRIORITIES.get(_text(task.get("priority")).upper(), "none"),
        tags=tuple(_text(tag) for tag in task.get("tags") or () if _text(tag)),
        start_at=stamp["scheduled"], due_at=stamp["due"], snoozed_until=stamp["wait"],
        closed_at=stamp["end"], created_at=stamp["entry"],
        comments=tuple(_annotations(task.get("annotations"))),
        depends=_depends(task.get("depends")),
        occurrence_of=_text(task.get("parent")) or None)
    if _text(task.get("recur")) and _text(task.get("status")) == "recurring":
        rule = _rule(_text(task["recur"]))
        if rule is None:
            problems.append(Problem(Place(place.file, place.row, "recur"),
                                    f"recurrence {task['recur']!r} is not understood; "
                                    "imported as a task that does not recur"))
        else:
            record.recurrence = Recurrence(rule, starts_at=stamp["due"], until=stamp["until"])
    for name, value in task.items():
        if name not in KNOWN and not blank(value):
            record.fields[name] = _uda(value)
    return record


def _text(value: object) -> str:
    """A JSON value as stripped text ("" for none), NUL shown as its picture."""
    return "" if blank(value) else clean(str(value)).strip()


def _moment(task: dict, name: str, place: Place, problems: list[Problem]) -> datetime | None:
    """A taskwarrior time ("20240314T170000Z") as naive UTC."""
    value = _text(task.get(name))
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ")
    except ValueError:
        problems.append(Problem(Place(place.file, place.row, name),
                                f"not a taskwarrior time: {value[:40]!r}; left empty"))
        return None


def _annotations(annotations: object) -> Iterator[CommentRecord]:
    """Annotations as comments, with their times."""
    for note in annotations if isinstance(annotations, list) else ():
        if isinstance(note, dict) and _text(note.get("description")):
            entry = _text(note.get("entry"))
            at = (datetime.strptime(entry, "%Y%m%dT%H%M%SZ") if _STAMP.fullmatch(entry)
                  else None)
            yield CommentRecord(clean(str(note["description"])), "", at)


def _depends(value: object) -> tuple[str, ...]:
    """The uuids a task depends on: a list, or text separated by commas (taskwarrior 2)."""
    items = value if isinstance(value, list) else str(value or "").split(",")
    return tuple(_text(item) for item in items if _text(item))


def _rule(recur: str) -> str | None:
    """An RFC 5545 rule for taskwarrior's recur ("weekly", "2w", "P14D", "3 days")."""
    text = recur.strip().lower()
    if text in RECUR_WORDS:
        return f"FREQ={RECUR_WORDS[text]}"
    iso = re.fullmatch(r"p(?:(\d+)y)?(?:(\d+)m)?(?:(\d+)w)?(?:(\d+)d)?", text)
    if iso and any(iso.groups()):
        for number, freq in zip(iso.groups(), ("YEARLY", "MONTHLY", "WEEKLY", "DAILY"),
                                strict=True):
            if number:
                return f"FREQ={freq};INTERVAL={int(number)}"
    match = re.fullmatch(r"(\d+)\s*([a-z]+?)s?", text)
    if match:
        number, unit = int(match.group(1)), match.group(2)
        unit = {"day": "d", "week": "w", "month": "m", "year": "y", "quarter": "q",
                "wk": "w", "mth": "m", "yr": "y"}.get(unit, unit)
        if unit in RECUR_UNITS and number > 0:
            interval = number * 3 if unit == "q" else number
            return f"FREQ={RECUR_UNITS[unit]};INTERVAL={interval}"
    return None


def _uda(value: object) -> tuple[str, str]:
    """A user-defined attribute as (field kind, text): numbers, dates, or text."""
    if isinstance(value, bool):
        return "checkbox", "yes" if value else "no"
    if isinstance(value, int | float):
        return "number", str(value)
    text = _text(value)
    if _STAMP.fullmatch(text):
        return "date", datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(
            tzinfo=UTC).date().isoformat()
    return "text", text
