"""iCalendar files, read with the `icalendar` library: each VTODO as a task record.

SUMMARY (the title), DESCRIPTION, DUE and DTSTART with their time zones (a date alone is
due at the end of that day and starts at its beginning, in the workspace's zone), STATUS
(NEEDS-ACTION, IN-PROCESS, COMPLETED, CANCELLED), PRIORITY 1-9 (1 urgent, 2-4 high, 5
normal, 6-9 low), CATEGORIES as tags, RELATED-TO as the parent (RELTYPE=CHILD the other
way round), RRULE with EXDATE as a recurring series, PERCENT-COMPLETE as the number field
"Percent complete", COMPLETED as the time it was done. To-dos go to the space "Calendar",
in a list named after the calendar (X-WR-CALNAME) or the file; desk's own exports name the
space, list and status of each to-do (X-DESK-SPACE, X-DESK-LIST, X-DESK-STATUS).

A file the library cannot read is one problem naming its first malformed line; the other
files still import.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path

import icalendar
from icalendar.parser import Contentline

from desk.transfer.reading import clean, open_source
from desk.transfer.records import Place, Problem, Recurrence, TaskRecord

SPACE = "Calendar"
STATUSES = {"NEEDS-ACTION": ("Needs action", "open"), "IN-PROCESS": ("In process", "active"),
            "COMPLETED": ("Completed", "done"), "CANCELLED": ("Cancelled", "closed")}
PERCENT_FIELD = "Percent complete"
_UNFOLD = re.compile(r"\r?\n[ \t]")


def records(paths: list[Path], zone: tzinfo, problems: list[Problem],
            notes: list[Problem]) -> Iterator[TaskRecord]:
    """The to-dos of iCalendar files, file by file (a calendar is read whole by the
    library; files are not)."""
    for path in paths:
        source = open_source(path, notes)
        with source.open() as stream:
            text = stream.read()
        try:
            calendar = icalendar.Calendar.from_ical(text)
        except Exception as error:  # the library raises ValueError, KeyError, IndexError...
            line, content = _first_bad_line(text)
            problems.append(Problem(Place(source.name, line),
                                    f"not a readable iCalendar file ({_reason(error)}"
                                    f"{', at: ' + content if content else ''}); "
                                    "nothing read from it", refused=True))
            continue
        yield from _todos(calendar, text, source.name, zone, problems)


def _todos(calendar, text: str, name: str, zone: tzinfo,
           problems: list[Problem]) -> Iterator[TaskRecord]:
    """The VTODOs of one calendar as records, each placed at its BEGIN:VTODO line."""
    lines = [number for number, line in enumerate(text.splitlines(), start=1)
             if line.strip().upper() == "BEGIN:VTODO"]
    todos = calendar.walk("VTODO")
    list_name = clean(str(calendar.get("X-WR-CALNAME") or Path(name).stem)).strip() or "To-dos"
    children: dict[str, str] = {}
    for todo in todos:
        for related in _all(todo, "RELATED-TO"):
            if str(getattr(related, "params", {}).get("RELTYPE", "PARENT")).upper() == "CHILD":
                children[str(related)] = str(todo.get("UID", ""))
    for index, todo in enumerate(todos):
        place = Place(name, lines[index] if index < len(lines) else 0)
        for error in getattr(todo, "errors", ()):
            problems.append(Problem(place, f"{error[0]}: {error[1]}"))
        record = _record(todo, place, list_name, zone, children, problems)
        if record is not None:
            yield record


def _record(todo, place: Place, list_name: str, zone: tzinfo, children: dict[str, str],
            problems: list[Problem]) -> TaskRecord | None:
    """One VTODO as a record."""
    uid = clean(str(todo.get("UID", ""))).strip() or f"{place.file}:{place.row}"
    title = clean(str(todo.get("SUMMARY", ""))).strip()
    if not title:
        problems.append(Problem(Place(place.file, place.row, "SUMMARY"),
                                "a to-do without a summary; skipped", refused=True))
        return None
    status, category = STATUSES.get(str(todo.get("STATUS", "NEEDS-ACTION")).upper(),
                                    STATUSES["NEEDS-ACTION"])
    status = clean(str(todo.get("X-DESK-STATUS", status))).strip() or status
    parent = None
    for related in _all(todo, "RELATED-TO"):
        if str(getattr(related, "params", {}).get("RELTYPE", "PARENT")).upper() == "PARENT":
            parent = str(related)
    due = _moment(todo.get("DUE"), zone, end_of_day=True)
    record = TaskRecord(
        source_id=uid, place=place, title=title,
        space=clean(str(todo.get("X-DESK-SPACE", SPACE))).strip() or SPACE,
        list=clean(str(todo.get("X-DESK-LIST", list_name))).strip() or list_name, status=status,
        category=category, parent=parent or children.get(uid),
        description=clean(str(todo.get("DESCRIPTION", ""))),
        priority=_priority(todo.get("PRIORITY")),
        tags=tuple(clean(str(tag)) for categories in _all(todo, "CATEGORIES")
                   for tag in getattr(categories, "cats", [categories]) if str(tag).strip()),
        start_at=_moment(todo.get("DTSTART"), zone, end_of_day=False), due_at=due,
        closed_at=_moment(todo.get("COMPLETED"), zone, end_of_day=False),
        created_at=_moment(todo.get("CREATED"), zone, end_of_day=False))
    if todo.get("PERCENT-COMPLETE") is not None:
        record.fields[PERCENT_FIELD] = ("number", str(todo.get("PERCENT-COMPLETE")))
    rule = todo.get("RRULE")
    if rule is not None:
        record.recurrence = Recurrence(
            rule.to_ical().decode(),
            starts_at=_moment(todo.get("DTSTART"), zone, end_of_day=False) or due,
            excluded=tuple(_moment(excluded, zone, end_of_day=False)
                           for dates in _all(todo, "EXDATE") for excluded in dates.dts))
    return record


def _all(todo, name: str) -> list:
    """Every value of a property that may be given more than once."""
    value = todo.get(name)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _moment(value, zone: tzinfo, *, end_of_day: bool) -> datetime | None:
    """A DATE or DATE-TIME property as an aware time (floating times in `zone`); a date
    alone is its last second (a due date) or its first (a start)."""
    if value is None:
        return None
    moment = getattr(value, "dt", value)
    if isinstance(moment, datetime):
        return moment if moment.tzinfo else moment.replace(tzinfo=zone)
    if isinstance(moment, date):
        if end_of_day:
            return datetime.combine(moment, time(), zone) + timedelta(days=1, seconds=-1)
        return datetime.combine(moment, time(), zone)
    return None


def _priority(value) -> str:
    """RFC 5545's 1-9 (0 undefined) as desk's priority."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return "none"
    if number == 1:
        return "urgent"
    if 2 <= number <= 4:
        return "high"
    if number == 5:
        return "normal"
    return "low" if 6 <= number <= 9 else "none"


def _first_bad_line(text: str) -> tuple[int, str]:
    """The first line (and its text, cut short) that is not a content line, or whose
    BEGIN/END does not match; (1, "") when none is found."""
    stack: list[str] = []
    number = 0
    for physical, line in _logical_lines(text):
        number = physical
        if not line.strip():
            continue
        try:
            name, _, value = Contentline(line).parts()
        except ValueError:
            return physical, line[:60]
        if name.upper() == "BEGIN":
            stack.append(str(value).upper())
        elif name.upper() == "END" and (not stack or stack.pop() != str(value).upper()):
            return physical, line[:60]
    return (number, "") if stack else (1, "")


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first physical line, unfolded line) of each content line."""
    physical = 1
    for line in _UNFOLD.sub(lambda match: "\0" * match.group(0).count("\n"),
                            text).splitlines():
        yield physical, line.replace("\0", "")
        physical += 1 + line.count("\0")


def _reason(error: Exception) -> str:
    """The library's message, on one line and short."""
    return " ".join(str(error).split())[:120] or type(error).__name__
