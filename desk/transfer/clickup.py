"""ClickUp's task CSV export, read as task records.

Columns are matched by name after trimming, and every one is optional but a name: Task ID,
Task Name, Task Content, Status, Space Name, Folder Name, List Name, Parent ID, Assignees,
Tags, Priority (1 urgent .. 4 low), Start Date / Due Date / Date Created / Date Closed (each a
millisecond timestamp, with a "... Text" column for people), Time Estimated and Time Spent
(milliseconds, with "... Text" columns), Checklists and Comments (JSON inside the cell).

A file saved back through a spreadsheet has its millisecond columns damaged (1.70983E+12):
they are then read from the human-readable columns. "null", "NaN" and empty cells are alike.
A folder becomes part of the list's name ("Folder / List"), since desk's lists sit directly
in spaces; a task without a space or list goes to the space "ClickUp", list "Imported".
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, tzinfo
from pathlib import Path

from desk.transfer import values
from desk.transfer.reading import Row, blank, csv_rows, open_source, pick
from desk.transfer.records import CommentRecord, Problem, TaskRecord
from desk.vocabulary import CATEGORIES

SOURCE = "clickup"
NAME_COLUMNS = ("task name", "name", "title")
PRIORITIES = {"1": "urgent", "2": "high", "3": "normal", "4": "low", "urgent": "urgent",
              "high": "high", "normal": "normal", "low": "low"}
DEFAULT_SPACE, DEFAULT_LIST = "ClickUp", "Imported"
SPENT_FIELD = "Time spent (minutes)"
MOMENT_COLUMNS = {column: (f"{column} text", column) for column in
                  ("start date", "due date", "date closed", "date done", "date created")}
"""Where each time is read from when its millisecond column has none: its "... Text"
column, then the column itself written as a date."""


def records(paths: list[Path], zone: tzinfo, problems: list[Problem],
            notes: list[Problem]) -> Iterator[TaskRecord]:
    """The task records of ClickUp CSV files, a row at a time."""
    for path in paths:
        source = open_source(path, notes)
        for row in csv_rows(source, problems, _is_header):
            record = _record(row, zone, problems)
            if record is not None:
                yield record


def _is_header(names: list[str]) -> bool:
    """A ClickUp header names the task's name column."""
    lowered = {name.lower() for name in names}
    return any(name in lowered for name in NAME_COLUMNS)


def _record(row: Row, zone: tzinfo, problems: list[Problem]) -> TaskRecord | None:
    """One row as a task record, or None (with a problem) when it has no name."""
    cells = row.cells
    title = pick(cells, *NAME_COLUMNS)
    if not title:
        problems.append(Problem(row.column("task name"), "no task name; row skipped",
                                refused=True))
        return None
    source_id = pick(cells, "task id", "task custom id") or f"{row.source}:{row.line}"
    folder, list_name = pick(cells, "folder name"), pick(cells, "list name")
    if folder and folder.lower() != "hidden" and list_name:
        list_name = f"{folder} / {list_name}"
    status = pick(cells, "status") or None
    record = TaskRecord(
        source_id=source_id, place=row.column(""), title=title,
        space=pick(cells, "space name") or DEFAULT_SPACE,
        list=list_name or DEFAULT_LIST, status=status,
        category=_category(cells, status),
        parent=pick(cells, "parent id") or None,
        description=pick(cells, "task content", "description", "content"),
        priority=_priority(row, problems),
        tags=values.names_list(cells.get("tags", "")),
        people=values.names_list(cells.get("assignees", "")),
        start_at=_moment(row, "start date", zone, problems),
        due_at=_moment(row, "due date", zone, problems),
        closed_at=(_moment(row, "date closed", zone, problems)
                   or _moment(row, "date done", zone, problems)),
        created_at=_moment(row, "date created", zone, problems),
        estimate_minutes=_minutes(row, "time estimated", problems),
        checklists=_checklists(row, problems),
        comments=_comments(row, zone, problems),
    )
    spent = _minutes(row, "time spent", problems)
    if spent:
        record.fields[SPENT_FIELD] = ("number", str(spent))
    return record


def _category(cells: dict[str, str], status: str | None) -> str | None:
    """The status's category: a "Status Category" column (desk's own exports) or a guess
    from the status's name."""
    given = pick(cells, "status category", "status type").lower()
    if given in CATEGORIES:
        return given
    return values.category_of(status) if status else None


def _priority(row: Row, problems: list[Problem]) -> str:
    """The priority: 1 urgent .. 4 low (also as "2.0" or by name); none without one."""
    text = pick(row.cells, "priority").lower()
    if not text:
        return "none"
    if text.endswith(".0"):
        text = text[:-2]
    priority = PRIORITIES.get(text)
    if priority is None:
        problems.append(Problem(row.column("priority"),
                                f"priority {text[:20]!r} is not 1-4 or a name; left at none"))
        return "none"
    return priority


def _moment(row: Row, column: str, zone: tzinfo, problems: list[Problem]) -> datetime | None:
    """A time from its millisecond column, else from its "... Text" column."""
    cells = row.cells
    millis = cells.get(column)
    if millis:
        try:
            exact = values.epoch_millis(millis)
        except ValueError as error:
            problems.append(Problem(row.column(column), f"{error}; left empty"))
            return None
        if exact is not None:
            return exact
    for name in MOMENT_COLUMNS[column]:
        written = cells.get(name)
        if blank(written) or (name == column and _damaged_number(written)):
            continue
        try:
            return values.moment(written, zone)
        except ValueError as error:
            problems.append(Problem(row.column(name), f"{error}; left empty"))
            return None
    return None


def _damaged_number(text: str) -> bool:
    """Whether a cell holds a number a spreadsheet rewrote (1.70983E+12, 1709830800000.5)."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def _minutes(row: Row, column: str, problems: list[Problem]) -> int | None:
    """Minutes from a millisecond column, else from its "... Text" column ("2h 30m")."""
    exact = values.millis_minutes(row.cells.get(column, ""))
    if exact is not None:
        return exact
    written = row.cells.get(f"{column} text", "")
    try:
        return values.duration_minutes(written)
    except ValueError as error:
        problems.append(Problem(row.column(f"{column} text"), f"{error}; left empty"))
        return None


def _json(row: Row, column: str, problems: list[Problem]) -> list:
    """The JSON list inside a cell; [] (with a problem) when it is not one."""
    text = row.cells.get(column, "")
    if blank(text) or text.strip() == "[]":
        return []
    try:
        value = json.loads(text)
    except ValueError as error:
        problems.append(Problem(row.column(column), f"not JSON ({error.args[0][:60]}); "
                                                    "left out"))
        return []
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        problems.append(Problem(row.column(column), "not a JSON list; left out"))
        return []
    return value


def _checklists(row: Row, problems: list[Problem]) -> tuple:
    """Checklists from a cell like [{"Launch": ["Write copy", "Send"]}]; an item may also be
    {"name": ..., "resolved": true}."""
    found = []
    for entry in _json(row, "checklists", problems):
        if not isinstance(entry, dict):
            continue
        for name, items in entry.items():
            listed = items if isinstance(items, list) else [items]
            found.append((str(name).strip() or "Checklist",
                          tuple(_item(item) for item in listed if not blank(_item(item)[0]))))
    return tuple(found)


def _item(item: object) -> tuple[str, bool]:
    """One checklist item as (text, done)."""
    if isinstance(item, dict):
        return (str(item.get("name") or item.get("text") or "").strip(),
                bool(item.get("resolved") or item.get("done")))
    return str(item).strip(), False


def _comments(row: Row, zone: tzinfo, problems: list[Problem]) -> tuple[CommentRecord, ...]:
    """Comments from a cell like [{"text": ..., "by": "ann@x.io", "date": "..."}]."""
    found = []
    for entry in _json(row, "comments", problems):
        if isinstance(entry, str):
            entry = {"text": entry}
        if not isinstance(entry, dict) or blank(str(entry.get("text", ""))):
            continue
        at = None
        when = entry.get("date")
        if not blank(when):
            try:
                at = values.epoch_millis(str(when)) or values.moment(str(when), zone)
            except ValueError:
                at = None
        found.append(CommentRecord(str(entry["text"]), str(entry.get("by") or ""), at))
    return tuple(found)
