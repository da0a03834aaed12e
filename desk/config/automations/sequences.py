"""Sequences: multi-step automations with delays, read from the config's `sequences:` list.

A sequence is a `name`, what starts it (`start`: manual, client_created, or
{client_stage_changed: {from, to}}), its `steps` in order, and what stops it (`stop_on`).
Each step happens on a day counted from the start (`day: 7`) or after the step before it
(`after: 7d`), in calendar days at the start's time of day in the configured zone, and is
an e-mail to the client's primary contact (`email: {subject, body}`) or a task (`task:
{title, list, assign, due, description, priority}`). config.example.yaml documents every
word. Running them is desk.automation.sequences'; nothing here touches the database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from msgspec import Struct

from desk.config.automations import values as read
from desk.config.automations.placeholders import CLIENT_PLACEHOLDERS, check_placeholders
from desk.config.automations.schema import MAX_NAME, Assignee, Problem, Trigger
from desk.config.defaults import shipped
from desk.config.validate import (
    Invalid,
    SettingProblem,
    dotted,
    entry_name,
    read_named,
    refuse_unknown,
    shown,
)
from desk.config.yaml_lines import KeyPath, line_of, node_at
from desk.vocabulary import LIFECYCLE_STAGES, PRIORITY_WORDS

SEQUENCE_KEYS = ("name", "start", "steps", "stop_on")
STARTS = ("manual", "client_created", "client_stage_changed")
STEP_KEYS = ("day", "after", "email", "task")
EMAIL_KEYS = ("subject", "body")
TASK_KEYS = ("title", "list", "assign", "due", "description", "priority")
STOP_KEYS = ("reply", "stage_change")
SEQUENCE_PLACEHOLDERS = (*CLIENT_PLACEHOLDERS, "contact.name", "contact.email",
                         "sequence.name", "agent.name", "today")
"""What a step's texts may use: the client's, its primary contact's, the sequence's name,
the agent who signs (the client's account manager, else whoever runs the automations) and
today's date."""
MAX_DAYS = 3660  # ten years: a step further away than that is a typing mistake
_AFTER = re.compile(r"\s*([0-9]+)\s*(d|days?|w|weeks?)\s*")


class Step(Struct, frozen=True):
    """One step: `day` is its distance in calendar days from the start; `kind` "email"
    (options subject, body) or "task" (title, list, assign, due, description, priority)."""

    day: int
    kind: str
    options: dict
    index: int


class Sequence(Struct, frozen=True):
    """A checked sequence. `start` is the trigger (kind "manual", "client_created" or
    "client_stage_changed" with its from/to); `stop_on_reply` and `stop_stages` say what
    stops it: a reply from the client, and a change of stage (to one of `stop_stages`; empty
    with `stop_on_stage_change`: to any stage)."""

    name: str
    start: Trigger
    steps: tuple[Step, ...]
    stop_on_reply: bool = True
    stop_on_stage_change: bool = True
    stop_stages: tuple[str, ...] = ()

    def stops_for_stage(self, stage: str) -> bool:
        """Whether a change of the client's stage to `stage` stops this sequence."""
        return self.stop_on_stage_change and (not self.stop_stages or stage in self.stop_stages)


def parse(raw: object) -> tuple[Sequence, ...]:
    """The sequences of the config's `sequences:` value; SettingProblem for the first
    mistake, its path leading from the list to the offending key."""
    if not isinstance(raw, list):
        raise SettingProblem((), f"expected a list of sequences, got {shown(raw)}")
    found = []
    for index, entry, sequence in read_sequences(raw):
        if isinstance(sequence, Invalid):
            problem = Problem(name_of(entry, index), dotted(sequence.path), None,
                              sequence.message, "", "sequence")
            raise SettingProblem((index, *sequence.path), str(problem))
        found.append(sequence)
    return tuple(found)


def read_sequences(raw: list) -> Iterator[tuple[int, object, Sequence | Invalid]]:
    """(index, entry, the sequence it reads as or its first mistake) for each entry."""
    return read_named(raw, lambda _index, entry: _sequence(entry), "sequence")


def name_of(entry: object, index: int) -> str:
    """How a sequence is named in messages: its name, or its place when it has none."""
    return entry_name(entry, index, "sequences")


def _sequence(entry: object) -> Sequence:
    """One sequence; raises Invalid."""
    if not isinstance(entry, dict):
        raise Invalid((), f"expected a sequence (a mapping with name, start, steps), got "
                          f"{shown(entry)}")
    refuse_unknown(entry, SEQUENCE_KEYS, ())
    for key in ("name", "start", "steps"):
        if key not in entry:
            raise Invalid((), f"a sequence needs '{key}'")
    name = read.text(entry["name"], ("name",), limit=MAX_NAME)
    reply, stage_change, stages = _stop_on(entry.get("stop_on"))
    return Sequence(name, _start(entry["start"]), _steps(entry["steps"]), reply, stage_change,
                    stages)


def _start(value: object) -> Trigger:
    """start: manual, client_created, or {client_stage_changed: {from: X, to: Y}}."""
    kind, raw = read.one_key(value, ("start",), "start", "{client_stage_changed: {to: active}}")
    if kind not in STARTS:
        raise Invalid(("start",), f"unknown start '{kind}' (expected {', '.join(STARTS)})")
    path = ("start", kind)
    if kind != "client_stage_changed":
        if raw is not None:
            raise Invalid(path, f"{kind} takes no options")
        return Trigger(kind)
    options = read.options(kind, raw, ("from", "to"), path)
    changes = {f"changed_{key}": read.words(options[key], (*path, key), LIFECYCLE_STAGES)
               for key in ("from", "to") if key in options}
    return Trigger(kind, **changes)


def _stop_on(value: object) -> tuple[bool, bool, tuple[str, ...]]:
    """stop_on: {reply: true, stage_change: true | [stages]} (default: both, any stage)."""
    if value is None:
        return True, True, ()
    if not isinstance(value, dict):
        raise Invalid(("stop_on",), f"expected {{reply: true, stage_change: true}}, got "
                                    f"{shown(value)}")
    refuse_unknown(value, STOP_KEYS, ("stop_on",))
    reply = value.get("reply", True)
    if not isinstance(reply, bool):
        raise Invalid(("stop_on", "reply"), f"expected true or false, got {shown(reply)}")
    stage = value.get("stage_change", True)
    if isinstance(stage, bool):
        return reply, stage, ()
    return reply, True, read.words(stage, ("stop_on", "stage_change"), LIFECYCLE_STAGES)


def _steps(value: object) -> tuple[Step, ...]:
    """The steps, in order, each on its day (never before the step above it)."""
    if not isinstance(value, list) or not value:
        raise Invalid(("steps",), f"expected a list of steps, got {shown(value)}")
    steps: list[Step] = []
    for index, entry in enumerate(value):
        path: KeyPath = ("steps", index)
        if not isinstance(entry, dict):
            raise Invalid(path, f"expected a step (day or after, and email or task), got "
                                f"{shown(entry)}")
        refuse_unknown(entry, STEP_KEYS, path)
        day = _day(entry, path, steps[-1].day if steps else 0)
        kinds = [kind for kind in ("email", "task") if kind in entry]
        if len(kinds) != 1:
            raise Invalid(path, "a step is either an email or a task")
        kind = kinds[0]
        reader = _email if kind == "email" else _task
        steps.append(Step(day, kind, reader(entry[kind], (*path, kind)), index))
    return tuple(steps)


def _day(entry: dict, path: KeyPath, previous: int) -> int:
    """The step's day from the start: `day: N`, or `after: 7d` (or 2w) past the step above."""
    if ("day" in entry) == ("after" in entry):
        raise Invalid(path, "a step needs either 'day' (e.g. day: 7) or 'after' (e.g. after: 7d)")
    if "day" in entry:
        day = entry["day"]
        if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= MAX_DAYS:
            raise Invalid((*path, "day"), f"expected a whole number of days from 0 to {MAX_DAYS},"
                                          f" got {shown(day)}")
        if day < previous:
            raise Invalid((*path, "day"), f"day {day} comes before the step above (day "
                                          f"{previous}); steps go in order")
        return day
    after = entry["after"]
    match = _AFTER.fullmatch(str(after)) if isinstance(after, str | int) else None
    if match is None or isinstance(after, bool):
        raise Invalid((*path, "after"), f"expected days or weeks such as 7d or 2w, got "
                                        f"{shown(after)}")
    days = int(match[1]) * (7 if match[2].startswith("w") else 1)
    if previous + days > MAX_DAYS:
        raise Invalid((*path, "after"), f"the step falls after day {MAX_DAYS}")
    return previous + days


def _template(value: object, path: KeyPath, *, blank: bool = False) -> str:
    """A text with the placeholders of SEQUENCE_PLACEHOLDERS ({{ and }} are braces)."""
    if blank and value in (None, ""):
        return ""
    read.text(value, path, limit=20_000)
    try:
        check_placeholders(str(value), SEQUENCE_PLACEHOLDERS)
    except ValueError as error:
        raise Invalid(path, str(error)) from None
    return str(value)


def _email(raw: object, path: KeyPath) -> dict:
    """email: {subject, body}, to the client's primary contact."""
    options = read.options("email", raw, EMAIL_KEYS, path)
    for key in EMAIL_KEYS:
        if key not in options:
            raise Invalid(path, f"email needs '{key}'")
    return {"subject": _template(options["subject"], (*path, "subject")),
            "body": _template(options["body"], (*path, "body"))}


def _task(raw: object, path: KeyPath) -> dict:
    """task: {title, list, assign, due, description, priority}; title and list required."""
    options = read.options("task", raw, TASK_KEYS, path)
    for key in ("title", "list"):
        if key not in options:
            raise Invalid(path, f"task needs '{key}'")
    assign: Assignee | None = (read.assignee(options["assign"], (*path, "assign"))
                               if "assign" in options else None)
    return {
        "title": _template(options["title"], (*path, "title")),
        "list": read.text(options["list"], (*path, "list")),
        "assign": assign,
        "due": (read.due(options["due"], (*path, "due"), Trigger("manual"))
                if "due" in options else None),
        "description": _template(options.get("description"), (*path, "description"),
                                 blank=True),
        "priority": (read.words(options["priority"], (*path, "priority"), PRIORITY_WORDS)[0]
                     if "priority" in options else "normal"),
    }


def check(data: object, root: object, source: str) -> tuple[tuple[Sequence, ...], list[Problem]]:
    """Check the `sequences:` of a config file read as `data` (its YAML node tree `root`):
    the sequences that are right, and each other one's first mistake with its line. A file
    without `sequences:` has the shipped ones."""
    if not isinstance(data, dict) or "sequences" not in data:
        return parse(shipped("sequences")), []
    node = node_at(root, ("sequences",))
    raw = data["sequences"]
    if not isinstance(raw, list):
        return (), [Problem("", "sequences", None if node is None else line_of(node, ()),
                            f"expected a list of sequences, got {shown(raw)}", source)]
    found: list[Sequence] = []
    problems: list[Problem] = []
    for index, entry, sequence in read_sequences(raw):
        if isinstance(sequence, Invalid):
            line = None if node is None else line_of(node, (index, *sequence.path))
            problems.append(Problem(name_of(entry, index), dotted(sequence.path), line,
                                    sequence.message, source, "sequence"))
        else:
            found.append(sequence)
    return tuple(found), problems
