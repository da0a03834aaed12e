"""The settings a workspace keeps for everyone in its database: the company name, its time
zone and its working days and hours. The first start (and `desk init --company --timezone
--hours`) saves them; admins change them.

Precedence: a setting saved here applies to everyone who opens the workspace and wins over
config.yaml (`timezone:`, `calendar: days/hours/timezone`), which in turn wins over the
shipped defaults; a setting never saved here leaves the config's value as it is. `apply`
makes the one Settings object the faces pass down, so the SLA calendar, due dates and the
times people see all follow what was saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
from msgspec import Struct, field

from desk.business_hours import WEEKDAYS, parse_week
from desk.clock import utcnow
from desk.config import Settings
from desk.errors import ConflictError, InvalidInput
from desk.kernel import audit
from desk.kernel.agents import AgentRef, require_admin
from desk.kernel.inputs import checked_field, known_fields, required_text
from desk.models import WorkspaceSetting, database

KEYS = ("company", "timezone", "hours")
"""What a workspace keeps: its company name, IANA time zone, and "Mon-Fri 09:00-17:30"."""


class WorkspaceProfile(Struct, frozen=True):
    """The saved settings (None where nothing was saved) and the version of each."""

    company: str | None = None
    timezone: str | None = None
    hours: str | None = None
    versions: Mapping[str, int] = field(default_factory=dict)


def _timezone(value: object) -> str:
    """An IANA zone name like Europe/Berlin."""
    name = required_text(value, what="time zone", limit=64)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"time zone {name!r} is unknown; use an IANA name like "
                           "Europe/Berlin") from None
    return name


def _hours(value: object) -> str:
    """Working days and hours, kept as "mon-fri 09:00-17:30"-style text that reads back."""
    text = required_text(value, what="working hours", limit=100)
    try:
        days, hours = parse_week(text)
    except ValueError as error:
        raise InvalidInput(f"working hours: {error}") from None
    return f"{','.join(days)} {hours}"


CHECKS = {
    "company": lambda value: required_text(value, what="company name", limit=200),
    "timezone": _timezone,
    "hours": _hours,
}


def check(changes: Mapping[str, object]) -> dict[str, str]:
    """The changes validated; FieldError naming the first bad one."""
    known_fields(dict(changes), KEYS, "workspace")
    return {key: checked_field(CHECKS, key, value) for key, value in changes.items()}


def current() -> WorkspaceProfile:
    """What the workspace has saved."""
    rows = {row.key: row for row in WorkspaceSetting.select()
            .where(WorkspaceSetting.key.in_(KEYS))}
    return WorkspaceProfile(**{key: rows[key].value for key in rows},
                            versions={key: row.version for key, row in rows.items()})


def save(actor: AgentRef, changes: Mapping[str, object],
         read: Mapping[str, int] | None = None) -> WorkspaceProfile:
    """Save settings (admins only), each checked first: nothing is written when one is bad.
    `read` names the version of each setting the caller read (a setting never saved is at
    0); one changed since is a ConflictError. Each change is recorded as activity of the
    workspace (entity "workspace", id 0)."""
    require_admin(actor)
    wanted = check(changes)
    with database.atomic():
        stored = {row.key: row for row in WorkspaceSetting.select()
                  .where(WorkspaceSetting.key.in_(list(wanted)))}
        for key, value in wanted.items():
            row = stored.get(key)
            version = row.version if row else 0
            if read is not None and read.get(key, 0) != version:
                raise ConflictError("workspace", 0, {key: (row.value if row else None, value)},
                                    version)
            if row is not None and row.value == value:
                continue
            _write(key, value, version + 1)
            audit.record("workspace", 0, actor, {key: (row.value if row else None, value)},
                         version + 1, "workspace.updated")
    return current()


def _write(key: str, value: str, version: int) -> None:
    """Insert or update one setting at its new version."""
    if version == 1:
        WorkspaceSetting.create(key=key, value=value, version=1, updated_at=utcnow())
    else:
        WorkspaceSetting.update(value=value, version=version, updated_at=utcnow()).where(
            WorkspaceSetting.key == key).execute()


def described(saved: WorkspaceProfile) -> list[tuple[str, str]]:
    """(key, text) of each saved setting as people write it: hours as "Mon-Fri 09:00-17:30"."""
    return [(key, shown_hours(value) if key == "hours" else value)
            for key in KEYS if (value := getattr(saved, key)) is not None]


def shown_hours(stored_hours: str) -> str:
    """Stored working hours ("mon,tue,wed,thu,fri 09:00-17:30") as "Mon-Fri 09:00-17:30":
    runs of three or more days become ranges, also round the week ("Sun-Thu")."""
    days, hours = stored_hours.split(" ")
    working = {WEEKDAYS.index(day) for day in days.split(",")}
    start = next((day for day in range(7) if day in working and (day - 1) % 7 not in working),
                 0)
    runs: list[list[int]] = []
    for day in ((start + step) % 7 for step in range(7)):
        if day in working and runs and runs[-1][-1] == (day - 1) % 7:
            runs[-1].append(day)
        elif day in working:
            runs.append([day])
    names = [day.capitalize() for day in WEEKDAYS]
    parts = [f"{names[run[0]]}-{names[run[-1]]}" if len(run) > 2
             else ",".join(names[day] for day in run) for run in runs]
    return f"{','.join(parts)} {hours}"


def calendar_hours(settings: Settings) -> str:
    """The working days and hours of `settings` as people write them ("Mon-Fri 09:00-17:30")."""
    days = settings.calendar.days
    return shown_hours(f"{','.join(day for day in WEEKDAYS if day in days)} "
                       f"{settings.calendar.hours}")


def apply(settings: Settings, saved: WorkspaceProfile) -> Settings:
    """`settings` with what the workspace saved put over the config's values."""
    changes: dict[str, object] = {}
    calendar: dict[str, object] = {}
    if saved.timezone:
        changes["timezone"] = saved.timezone
        calendar["timezone"] = saved.timezone
    if saved.hours:
        days, hours = saved.hours.split(" ")
        calendar.update(days=days.split(","), hours=hours)
    if calendar:
        changes["calendar"] = msgspec.structs.replace(settings.calendar, **calendar)
    return msgspec.structs.replace(settings, **changes) if changes else settings
