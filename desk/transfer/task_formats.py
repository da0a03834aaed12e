"""Writing exported tasks: CSV in ClickUp's export layout (so `desk import clickup` reads it
back), JSON (one task object per line inside an array; `desk import desk` reads it back)
and iCalendar VTODOs (with X-DESK-SPACE, X-DESK-LIST and X-DESK-STATUS, so `desk import
ical` puts each to-do back in its list and status). A task of an archived list is marked:
"Archived" yes in CSV, "archived": true in JSON, X-DESK-ARCHIVED:TRUE in iCalendar.

Text is written exactly as stored: these are files for programs. A CSV cell that a
spreadsheet would run as a formula (=, +, -, @ first) is written with a leading quote, as
`desk ls --format csv` does.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, tzinfo

import icalendar

from desk.clock import to_local
from desk.output import spreadsheet_safe
from desk.vocabulary import PRIORITIES

CSV_HEADER = ["Task ID", "Task Name", "Task Content", "Status", "Status Category",
              "Date Created", "Date Created Text", "Due Date", "Due Date Text", "Start Date",
              "Start Date Text", "Date Closed", "Parent ID", "Assignees", "Tags", "Priority",
              "List Name", "Folder Name", "Space Name", "Time Estimated",
              "Time Estimated Text", "Checklists", "Comments", "Client", "Archived"]
ICAL_STATUS = {"open": "NEEDS-ACTION", "active": "IN-PROCESS", "done": "COMPLETED",
               "closed": "CANCELLED"}
ICAL_PRIORITY = {"urgent": 1, "high": 3, "normal": 5, "low": 7}
DOMAIN = "desk"


def write(fmt: str, pages: Iterable[list[dict]], zone: tzinfo) -> Iterator[str]:
    """The tasks of `pages` in `fmt` (csv, json or ical), as chunks of text."""
    return {"csv": _csv, "json": _json, "ical": _ical}[fmt](pages, zone)


def _millis(moment: datetime | None) -> str:
    """A stored time as ClickUp's milliseconds since 1970."""
    return "" if moment is None else str(int(moment.replace(tzinfo=UTC).timestamp() * 1000))


def _csv(pages: Iterable[list[dict]], zone: tzinfo) -> Iterator[str]:
    """ClickUp's CSV layout, a page at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for page in pages:
        for task in page:
            text = {name: (to_local(task[name], zone).strftime("%Y-%m-%d %H:%M")
                           if task[name] else "") for name in ("created_at", "due_at",
                                                               "start_at")}
            priority = PRIORITIES[task["priority"]]
            writer.writerow([spreadsheet_safe(str(value)) for value in (
                task["id"], task["title"], task["description"], task["status"],
                task["category"], _millis(task["created_at"]), text["created_at"],
                _millis(task["due_at"]), text["due_at"], _millis(task["start_at"]),
                text["start_at"], _millis(task["closed_at"]), task["parent_id"] or "",
                f"[{','.join(task['assignees'])}]", f"[{','.join(task['tags'])}]",
                priority if priority < 5 else "", task["list"], "hidden", task["space"],
                (task["estimate_minutes"] or 0) * 60000 or "", "",
                json.dumps([{name: [{"name": text, "resolved": done} for text, done in items]}
                            for name, items in task["checklists"]], ensure_ascii=False),
                json.dumps([{"text": comment["body"], "by": comment["author"],
                             "date": _millis(comment["at"])} for comment in task["comments"]],
                           ensure_ascii=False),
                task["client"] or "", "yes" if task["archived"] else "")])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _plain(value: object) -> object:
    """A value as JSON holds it: times in ISO 8601 UTC with Z, dates ISO, lists as lists."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _json(pages: Iterable[list[dict]], zone: tzinfo) -> Iterator[str]:
    """A JSON array with one task object per line."""
    first = True
    yield "["
    for page in pages:
        lines = [json.dumps(_plain(task), ensure_ascii=False) for task in page]
        if lines:
            yield ("\n" if first else ",\n") + ",\n".join(lines)
            first = False
    yield "\n]\n"


def _ical(pages: Iterable[list[dict]], zone: tzinfo) -> Iterator[str]:
    """A calendar of VTODOs, a page at a time."""
    yield "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//desk//desk export//EN\r\n"
    for page in pages:
        yield "".join(_todo(task).to_ical().decode("utf-8") for task in page)
    yield "END:VCALENDAR\r\n"


def _todo(task: dict) -> icalendar.Todo:
    """One task as a VTODO."""
    todo = icalendar.Todo()
    todo.add("UID", f"task-{task['id']}@{DOMAIN}")
    todo.add("SUMMARY", task["title"])
    if task["description"]:
        todo.add("DESCRIPTION", task["description"])
    todo.add("STATUS", ICAL_STATUS[task["category"]])
    for name, field in (("CREATED", "created_at"), ("DTSTART", "start_at"),
                        ("DUE", "due_at"), ("COMPLETED", "closed_at")):
        if task[field]:
            todo.add(name, task[field].replace(tzinfo=UTC))
    if task["priority"] in ICAL_PRIORITY:
        todo.add("PRIORITY", ICAL_PRIORITY[task["priority"]])
    if task["tags"]:
        todo.add("CATEGORIES", list(task["tags"]))
    if task["parent_id"]:
        todo.add("RELATED-TO", f"task-{task['parent_id']}@{DOMAIN}")
    series = task["recurrence"]
    if series:
        todo.add("RRULE", icalendar.vRecur.from_ical(series["rule"]))
        for excluded in series["excluded"]:
            todo.add("EXDATE", excluded.replace(tzinfo=UTC))
    todo.add("X-DESK-SPACE", task["space"])
    todo.add("X-DESK-LIST", task["list"])
    todo.add("X-DESK-STATUS", task["status"])
    if task["archived"]:
        todo.add("X-DESK-ARCHIVED", "TRUE")
    return todo
