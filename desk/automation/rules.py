"""The automation rules' grammar: reading and checking the config's `automations:` list.

A rule is a `name`, one trigger (`when`), conditions that must all hold (`if`) and actions done
in order (`do`); config.example.yaml documents every word. This module only reads rules, fills
their {placeholders} and works out their due dates: it imports nothing of the database,
because the config is checked with it while it loads, before the command line knows whether
to load the PostgreSQL driver. Matching and running rules is desk.automation.processor'.

A mistake is reported as a SettingProblem (for the config's loader) or a Problem (for
`desk automations check`), both naming the rule, the key inside it and, with the YAML at hand,
the line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from string import Formatter
from typing import Any

import yaml
from dateutil.rrule import DAILY, FR, MO, TH, TU, WE, rrule

from desk import dates
from desk.config import (
    ConfigError,
    KeyPath,
    SettingProblem,
    Settings,
    line_of,
    node_at,
    parse_settings,
    read_yaml,
    shown,
)
from desk.errors import InvalidInput

# desk.models' vocabularies, copied: importing the models would load peewee (see above).
# tests/unit/test_rules.py checks that the copies match.
PRIORITIES = ("urgent", "high", "normal", "low", "none")
TASK_KINDS = ("task", "order", "query")
CLIENT_KINDS = ("client", "customer")
LIFECYCLE_STAGES = ("lead", "prospect", "onboarding", "active", "at_risk", "churned")
INTERACTION_KINDS = ("call", "email", "meeting", "reply", "note", "order")
SLA_TARGETS = ("first_response", "resolution")  # desk.sla.TARGETS

# Trigger -> the options it takes. The last two are about a client, the others a task.
TRIGGERS: dict[str, tuple[str, ...]] = {
    "task_created": (),
    "status_changed": ("from", "to"),
    "field_changed": ("field", "from", "to"),
    "checklist_completed": (),
    "due": ("reached", "within"),
    "sla_near_breach": ("target",),
    "sla_breached": ("target",),
    "client_stage_changed": ("from", "to"),
    "birthday": ("in_days",),
}
CLIENT_TRIGGERS = ("client_stage_changed", "birthday")

# Condition -> the fact of the subject it tests; `field` tests any fact by name.
CONDITIONS = {"list": "list", "kind": "kind", "tag": "tags", "priority": "priority",
              "client_kind": "client_kind", "field": ""}
TASK_FACTS = ("status", "category", "title", "description", "priority", "kind", "list", "team",
              "client", "client_kind", "tags", "assignees")
CLIENT_FACTS = ("name", "kind", "client_kind", "stage", "tags", "account_manager", "lead_score",
                "email", "contact", "retainer_cycle")
FACT_ALIASES = {"tag": "tags", "assignee": "assignees", "lifecycle_stage": "stage",
                "contact_person": "contact"}
# The field names of task events (desk.work.tasks.EDITABLE and the order data), with the
# names people write for them; any other name is a custom field.
TASK_FIELDS = ("title", "description", "priority", "status", "due_at", "start_at", "client_id",
               "team_id", "estimate_minutes", "tags", "assignees", "snoozed_until", "product",
               "quantity", "unit_price", "total", "fulfilled_at", "invoiced_at")
FIELD_ALIASES = {"due": "due_at", "start": "start_at", "client": "client_id", "team": "team_id",
                 "estimate": "estimate_minutes", "tag": "tags", "assignee": "assignees",
                 "snoozed": "snoozed_until"}

ACTIONS: dict[str, tuple[str, ...]] = {
    "create_task": ("title", "list", "due", "same_client", "template", "priority", "assign",
                    "tags", "description", "status"),
    "set": (),  # any field name
    "assign": (),
    "tag": (),
    "note": (),
    "log_interaction": ("kind", "summary"),
    "email": ("to", "subject", "body"),
}
TASK_ACTIONS = ("set", "assign", "note")  # they change the subject, so it must be a task
EMAIL_RECIPIENTS = ("requester", "client", "account_manager")

CLIENT_PLACEHOLDERS = ("client.name", "client.contact", "client.email", "client.birthday")
COMMON_PLACEHOLDERS = ("agent.name", "agent.username", "rule.name", "today")
TASK_PLACEHOLDERS = ("task.id", "task.title", "task.status", "task.list", "task.priority",
                     "task.kind", "task.due", "requester.name", "requester.email")

_PROBE = datetime(2026, 1, 1, tzinfo=UTC)  # a moment to try due forms against
_BUSINESS_DAYS = re.compile(r"\+?\s*([0-9]+)\s*business\s+days?")
_WORKDAYS = (MO, TU, WE, TH, FR)
MAX_NAME = 100  # characters of a rule name ("rule:NAME" is the activity's actor)
BUILT_IN = "the built-in rules"  # where the default rules come from, in messages


@dataclass(frozen=True)
class Trigger:
    """What starts a rule: an event (or, for `due` and `birthday`, a moment) and its options.

    `changed_from`/`changed_to` hold the accepted old/new values, case-folded (empty: any);
    `field` is the event's field key for field_changed; `within` how long before the due
    moment a due rule fires; `in_days` how many days before a birthday; `targets` the SLA
    targets (first_response, resolution) an SLA trigger is for (empty: both).
    """

    kind: str
    changed_from: tuple[str, ...] = ()
    changed_to: tuple[str, ...] = ()
    field: str = ""
    within: timedelta = timedelta(0)
    in_days: int = 0
    targets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Condition:
    """One test of `if`: the subject's `fact` is one of `values` (case-folded), or contains
    `contains` when that is set. `path` is where the rule says so, e.g. ("if", "list")."""

    path: KeyPath
    fact: str
    values: tuple[str, ...] = ()
    contains: str = ""


@dataclass(frozen=True)
class Assignee:
    """Who an assignment goes to: kind "agent" (a user name), "account_manager" (the client's),
    or "round_robin" (the next available member of the team `name`)."""

    kind: str
    name: str = ""


@dataclass(frozen=True)
class Action:
    """One step of `do`: its kind, its checked options, and where the rule says so, e.g.
    ("do", 1, "set")."""

    kind: str
    options: Mapping[str, Any]
    path: KeyPath

    @property
    def key(self) -> str:
        """The action's place as people write it: do[1].set."""
        return dotted(self.path)


@dataclass(frozen=True)
class Rule:
    """A checked rule, the `index`-th of its list. `subject` is "task" or "client": what its
    trigger is about, what its conditions test and what its actions change."""

    name: str
    index: int
    trigger: Trigger
    conditions: tuple[Condition, ...]
    actions: tuple[Action, ...]
    node: yaml.Node | None = field(default=None, compare=False, repr=False)
    """The YAML node of the whole `automations:` list it came from, if any."""

    @property
    def subject(self) -> str:
        """What the rule is about: "client" for client triggers, else "task"."""
        return "client" if self.trigger.kind in CLIENT_TRIGGERS else "task"

    @property
    def actor(self) -> str:
        """Who the activity history names for this rule's changes."""
        return f"rule:{self.name}"

    def line(self, path: KeyPath = ()) -> int | None:
        """The YAML line of `path` inside this rule, when it was read from text."""
        return None if self.node is None else line_of(self.node, (self.index, *path))


@dataclass(frozen=True)
class Problem:
    """A mistake in the rules, for `desk automations check`: the rule's name (empty when not
    inside a rule), the key inside it, the line (None when unknown) and what is wrong."""

    name: str
    key: str
    line: int | None
    message: str
    source: str = "config.yaml"

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}, line {self.line}"
        what = ", ".join(part for part in (self.name and f'rule "{self.name}"', self.key)
                         if part)
        return ": ".join(part for part in (where, what, self.message) if part)


# --- reading -------------------------------------------------------------------------------


def parse(raw: object) -> tuple[Rule, ...]:
    """The rules of the config's `automations:` value (a list of mappings). Raises
    SettingProblem for the first mistake, its path leading from the list to the offending
    key."""
    if not isinstance(raw, list):
        raise SettingProblem((), f"expected a list of rules, got {shown(raw)}")
    rules = []
    for index, entry, read in _read(raw, None):
        if isinstance(read, _Bad):
            message = Problem(_name_of(entry, index), dotted(read.path), None, read.message, "")
            raise SettingProblem((index, *read.path), str(message))
        rules.append(read)
    return tuple(rules)


def check(text: str, source: str = "config.yaml") -> tuple[tuple[Rule, ...], list[Problem]]:
    """Check the rules of a config file's `text`: the rules that are right, and a Problem for
    each rule that is not (its first mistake), or else for the rest of the file.

    A file without `automations:` has the built-in rules, whose lines are unknown.
    """
    try:
        data, root = read_yaml(text)
    except yaml.YAMLError:
        return (), [problem for problem in [_file_problem(text, source)] if problem]
    node = node_at(root, ("automations",))
    if isinstance(data, dict) and "automations" in data:
        raw = data["automations"]
    else:
        raw, source = Settings().automations, BUILT_IN
    if not isinstance(raw, list):
        line = None if node is None else line_of(node, ())
        return (), [Problem("", "automations", line,
                            f"expected a list of rules, got {shown(raw)}", source)]
    rules: list[Rule] = []
    problems: list[Problem] = []
    for index, entry, read in _read(raw, node):
        if isinstance(read, _Bad):
            line = None if node is None else line_of(node, (index, *read.path))
            problems.append(Problem(_name_of(entry, index), dotted(read.path), line,
                                    read.message, source))
        else:
            rules.append(read)
    if not problems:
        problems = [problem for problem in [_file_problem(text, source)] if problem]
    return tuple(rules), problems


def _read(raw: list, node: yaml.Node | None) -> Iterator[tuple[int, object, Rule | _Bad]]:
    """(index, entry, the rule it reads as or the first mistake in it) for each entry of the
    list whose YAML node (if any) is `node`. A name used before is a mistake."""
    names: set[str] = set()
    for index, entry in enumerate(raw):
        try:
            rule = _rule(entry, index, node)
            if rule.name.casefold() in names:
                raise _Bad(("name",), "another rule has this name")
        except _Bad as bad:
            yield index, entry, bad
            continue
        names.add(rule.name.casefold())
        yield index, entry, rule


def _file_problem(text: str, source: str) -> Problem | None:
    """The config loader's complaint about the whole file (a syntax error, another setting),
    or None when it loads."""
    try:
        parse_settings(text, source)
    except ConfigError as error:
        return Problem("", "", None, str(error), source)
    return None


def _name_of(entry: object, index: int) -> str:
    """How a rule is named in messages: its name, or its place when it has none."""
    name = entry.get("name") if isinstance(entry, dict) else None
    return name.strip() if isinstance(name, str) and name.strip() else f"automations[{index}]"


def dotted(path: KeyPath) -> str:
    """A key path inside a rule as people write it: do[0].create_task.due."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class _Bad(Exception):
    """A mistake at `path` inside the rule being read."""

    def __init__(self, path: KeyPath, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def _rule(entry: object, index: int, node: yaml.Node | None) -> Rule:
    """The `index`-th rule of the list whose YAML node is `node`; raises _Bad."""
    if not isinstance(entry, dict):
        raise _Bad((), f"expected a rule (a mapping with name, when, if, do), got "
                       f"{shown(entry)}")
    _known(entry, ("name", "when", "if", "do"), ())
    for key in ("name", "when", "do"):
        if key not in entry:
            raise _Bad((), f"a rule needs '{key}'")
    name = _text(entry["name"], ("name",), limit=MAX_NAME)
    trigger = _trigger(entry["when"])
    subject = "client" if trigger.kind in CLIENT_TRIGGERS else "task"
    conditions = _conditions(entry.get("if"), subject, trigger.kind)
    actions = _actions(entry["do"], trigger)
    return Rule(name, index, trigger, conditions, actions, node)


def _known(mapping: dict, allowed: tuple[str, ...], path: KeyPath) -> None:
    """Refuse a key of `mapping` that is not in `allowed`, suggesting the likeliest one."""
    for key in mapping:
        if key not in allowed:
            guess = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"did you mean '{guess[0]}'?" if guess else f"expected {', '.join(allowed)}"
            raise _Bad((*path, key), f"unknown key '{key}' ({hint})")


def _text(value: object, path: KeyPath, *, limit: int = 500) -> str:
    """A non-blank text of at most `limit` characters."""
    if not isinstance(value, str) or not value.strip():
        raise _Bad(path, f"expected a text, got {shown(value)}")
    if len(value) > limit or "\x00" in value:
        raise _Bad(path, f"expected at most {limit} characters without NUL")
    return value.strip()


def _one_key(value: object, path: KeyPath, what: str, example: str) -> tuple[str, object]:
    """A mapping with exactly one key (or a bare word, meaning no options) as (key, options)."""
    if isinstance(value, str):
        return value, None
    if isinstance(value, dict) and len(value) == 1:
        ((key, options),) = value.items()
        return str(key), options
    raise _Bad(path, f"expected one {what}, e.g. {example}; got {shown(value)}")


def _options(kind: str, options: object, allowed: tuple[str, ...], path: KeyPath) -> dict:
    """A mapping of options (none: empty), with only `allowed` keys."""
    if options is None:
        return {}
    if not isinstance(options, dict):
        raise _Bad(path, f"expected the options of {kind} as a mapping, got {shown(options)}")
    _known(options, allowed, path)
    return options


def _words(value: object, path: KeyPath, choices: tuple[str, ...] = ()) -> tuple[str, ...]:
    """One value or a list of values, as case-folded texts; each one of `choices` if given."""
    items = value if isinstance(value, list) else [value]
    if not items:
        raise _Bad(path, "expected a value or a list of values, got an empty list")
    words = []
    for item in items:
        if isinstance(item, bool) or item is None or isinstance(item, dict | list):
            raise _Bad(path, f"expected a name or a number, got {shown(item)}")
        word = str(item).strip().casefold()
        if choices and word not in choices:
            raise _Bad(path, f"expected one of {', '.join(choices)}; got {shown(item)}")
        words.append(word)
    return tuple(words)


# --- when ----------------------------------------------------------------------------------


def _trigger(value: object) -> Trigger:
    """The trigger of `when`."""
    kind, raw = _one_key(value, ("when",), "trigger", "{status_changed: {to: Done}}")
    if kind not in TRIGGERS:
        guess = difflib.get_close_matches(kind, TRIGGERS, n=1)
        hint = f"did you mean '{guess[0]}'?" if guess else f"expected {', '.join(TRIGGERS)}"
        raise _Bad(("when",), f"unknown trigger '{kind}' ({hint})")
    path = ("when", kind)
    options = _options(kind, raw, TRIGGERS[kind], path)
    stages = LIFECYCLE_STAGES if kind == "client_stage_changed" else ()
    changes = {f"changed_{key}": _words(options[key], (*path, key), stages)
               for key in ("from", "to") if key in options}
    if kind == "field_changed":
        if "field" not in options:
            raise _Bad(path, "field_changed needs 'field', e.g. {field: priority}")
        return Trigger(kind, field=event_field(_text(options["field"], (*path, "field"))),
                       **changes)
    if kind == "due":
        return Trigger(kind, within=_due_window(options, path))
    if kind == "birthday":
        days = options.get("in_days", 0)
        if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 366:
            raise _Bad((*path, "in_days"), f"expected a whole number of days from 0 to 366, "
                                           f"got {shown(days)}")
        return Trigger(kind, in_days=days)
    if kind in ("sla_near_breach", "sla_breached"):
        targets = (_words(options["target"], (*path, "target"), SLA_TARGETS)
                   if "target" in options else ())
        return Trigger(kind, targets=targets)
    return Trigger(kind, **changes)


def event_field(name: str) -> str:
    """The key a task event uses for the field people call `name`: a built-in field
    (priority, due, assignee...), else the custom field "custom:NAME"."""
    word = name.strip().lower()
    word = FIELD_ALIASES.get(word, word)
    return word if word in TASK_FIELDS else f"custom:{name.strip()}"


def _due_window(options: dict, path: KeyPath) -> timedelta:
    """How long before the due moment a due rule fires: {reached: true} or {within: 1d}."""
    if ("reached" in options) == ("within" in options):
        raise _Bad(path, "due needs either {reached: true} or {within: DURATION}, e.g. 1d")
    if "reached" in options:
        if options["reached"] is not True:
            raise _Bad((*path, "reached"), f"expected true, got {shown(options['reached'])}")
        return timedelta(0)
    try:
        return dates.parse_duration(str(options["within"]))
    except InvalidInput as error:
        raise _Bad((*path, "within"), str(error)) from None


# --- if ------------------------------------------------------------------------------------


def _conditions(value: object, subject: str, trigger: str) -> tuple[Condition, ...]:
    """The conditions of `if` (none: the rule fires on every matching trigger)."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise _Bad(("if",), f"expected a mapping of conditions, got {shown(value)}")
    _known(value, tuple(CONDITIONS), ("if",))
    conditions = []
    for key, wanted in value.items():
        path = ("if", key)
        if subject == "client" and key in ("list", "kind", "priority"):
            raise _Bad(path, f"{key} is about a task, and a {trigger} rule is about a client")
        if key == "field":
            conditions += _field_conditions(wanted, subject)
            continue
        choices = {"kind": TASK_KINDS, "priority": PRIORITIES, "client_kind": CLIENT_KINDS}
        conditions.append(Condition(path, CONDITIONS[key],
                                    _words(wanted, path, choices.get(key, ()))))
    return tuple(conditions)


def _field_conditions(value: object, subject: str) -> list[Condition]:
    """The conditions of `if.field`: {name: value, name: [values], name: {contains: text}}."""
    if not isinstance(value, dict) or not value:
        raise _Bad(("if", "field"), f"expected a mapping of field names to values, got "
                                    f"{shown(value)}")
    conditions = []
    for name, wanted in value.items():
        path = ("if", "field", name)
        fact = fact_name(str(name), subject)
        if fact is None:
            raise _Bad(path, f"a client has no field '{name}' (expected "
                             f"{', '.join(CLIENT_FACTS)})")
        if isinstance(wanted, dict):
            _known(wanted, ("contains",), path)
            conditions.append(Condition(path, fact, contains=_text(
                wanted.get("contains"), (*path, "contains")).casefold()))
        else:
            choices = LIFECYCLE_STAGES if fact == "stage" else ()
            conditions.append(Condition(path, fact, _words(wanted, path, choices)))
    return conditions


def fact_name(name: str, subject: str) -> str | None:
    """The fact a condition on field `name` tests: a built-in one, for a task else a custom
    field ("custom:name"); None for an unknown client field."""
    word = name.strip().lower()
    word = FACT_ALIASES.get(word, word)
    if subject == "client":
        return word if word in CLIENT_FACTS else None
    return word if word in TASK_FACTS else f"custom:{word}"


# --- do ------------------------------------------------------------------------------------


def _actions(value: object, trigger: Trigger) -> tuple[Action, ...]:
    """The actions of `do`, in order."""
    if not isinstance(value, list):
        raise _Bad(("do",), f"expected a list of actions, got {shown(value)}")
    if not value:
        raise _Bad(("do",), "a rule needs at least one action")
    subject = "client" if trigger.kind in CLIENT_TRIGGERS else "task"
    actions = []
    for index, entry in enumerate(value):
        kind, raw = _one_key(entry, ("do", index), "action", "{tag: invoice}")
        path = ("do", index, kind)
        if kind not in ACTIONS:
            guess = difflib.get_close_matches(kind, ACTIONS, n=1)
            hint = f"did you mean '{guess[0]}'?" if guess else f"expected {', '.join(ACTIONS)}"
            raise _Bad(("do", index), f"unknown action '{kind}' ({hint})")
        if subject == "client" and kind in TASK_ACTIONS:
            raise _Bad(path, f"{kind} changes a task, and a {trigger.kind} rule is about a "
                             "client (create_task can assign its new task)")
        options = _ACTION_READERS[kind](raw, path, trigger)
        actions.append(Action(kind, options, path))
    return tuple(actions)


def _create_task(raw: object, path: KeyPath, trigger: Trigger) -> dict:
    """create_task: {title, list, due, same_client, template, priority, assign, tags,
    description, status}."""
    options = _options("create_task", raw, ACTIONS["create_task"], path)
    subject = "client" if trigger.kind in CLIENT_TRIGGERS else "task"
    if "title" not in options:
        raise _Bad(path, "create_task needs a 'title'")
    if subject == "client" and "list" not in options:
        raise _Bad(path, "create_task needs a 'list' in a rule about a client")
    same_client = options.get("same_client", True)
    if not isinstance(same_client, bool):
        raise _Bad((*path, "same_client"), f"expected true or false, got {shown(same_client)}")

    def optional(key: str, reader: Callable[[object, KeyPath], Any]) -> Any:
        """The option `key` read by `reader`, or None when it is not given."""
        value = options.get(key)
        return None if value is None else reader(value, (*path, key))

    return {
        "title": _template(options["title"], (*path, "title"), subject),
        "description": _template(options.get("description"), (*path, "description"), subject,
                                 blank=True),
        "list": optional("list", _text),
        "status": optional("status", _text),
        "template": optional("template", _text),
        "due": optional("due", lambda value, at: _due(value, at, trigger)),
        "priority": optional("priority", lambda value, at: _words(value, at, PRIORITIES)[0]),
        "assign": optional("assign", _assignee),
        "tags": optional("tags", _tags) or (),
        "same_client": same_client,
    }


def _set(raw: object, path: KeyPath, trigger: Trigger) -> dict:
    """set: {status: NAME, priority: NAME, due: WHEN, any custom field: VALUE}."""
    if not isinstance(raw, dict) or not raw:
        raise _Bad(path, f"expected a mapping of fields to values, got {shown(raw)}")
    values: dict[str, object] = {}
    for name, value in raw.items():
        key = str(name).strip().lower()
        if key == "priority":
            values["priority"] = _words(value, (*path, name), PRIORITIES)[0]
        elif key == "due":
            values["due"] = _due(value, (*path, name), trigger)
        elif key == "status":
            values["status"] = _text(value, (*path, name))
        elif value is None or isinstance(value, str | int | float | bool):
            values[f"custom:{str(name).strip()}"] = value
        else:
            raise _Bad((*path, name), f"expected a value, got {shown(value)}")
    return values


def _assign(raw: object, path: KeyPath, trigger: Trigger) -> dict:
    """assign: a user name, account_manager, or {round_robin: TEAM}."""
    return {"to": _assignee(raw, path)}


def _tag(raw: object, path: KeyPath, trigger: Trigger) -> dict:
    """tag: a tag or a list of tags, added to the task (or to the client)."""
    return {"tags": _tags(raw, path)}


def _note(raw: object, path: KeyPath, trigger: Trigger) -> dict:
    """note: the text of an internal note on the task."""
    return {"text": _template(raw, path, "task")}


def _log_interaction(raw: object, path: KeyPath, trigger: Trigger) -> dict:
    """log_interaction: {kind: note, summary: TEXT} against the client."""
    options = _options("log_interaction", raw, ACTIONS["log_interaction"], path)
    subject = "client" if trigger.kind in CLIENT_TRIGGERS else "task"
    kind = _words(options.get("kind", "note"), (*path, "kind"), INTERACTION_KINDS)[0]
    summary = _template(options.get("summary", ""), (*path, "summary"), subject, blank=True)
    return {"kind": kind, "summary": summary}


def _email(raw: object, path: KeyPath, trigger: Trigger) -> dict:
    """email: {to, subject, body}, queued in the outbox."""
    options = _options("email", raw, ACTIONS["email"], path)
    subject = "client" if trigger.kind in CLIENT_TRIGGERS else "task"
    for key in ("to", "subject", "body"):
        if key not in options:
            raise _Bad(path, f"email needs '{key}'")
    to = _text(options["to"], (*path, "to"), limit=254)
    if to not in EMAIL_RECIPIENTS and "@" not in to:
        raise _Bad((*path, "to"), f"expected {', '.join(EMAIL_RECIPIENTS)} or an e-mail "
                                  f"address, got {shown(to)}")
    if to == "requester" and subject == "client":
        raise _Bad((*path, "to"), "a rule about a client has no requester (try client)")
    return {"to": to, "subject": _template(options["subject"], (*path, "subject"), subject),
            "body": _template(options["body"], (*path, "body"), subject)}


_ACTION_READERS = {"create_task": _create_task, "set": _set, "assign": _assign, "tag": _tag,
                   "note": _note, "log_interaction": _log_interaction, "email": _email}


def _assignee(value: object, path: KeyPath) -> Assignee:
    """A user name, account_manager, or {round_robin: TEAM}."""
    if isinstance(value, dict):
        _known(value, ("round_robin",), path)
        return Assignee("round_robin", _text(value.get("round_robin"), (*path, "round_robin")))
    name = _text(value, path, limit=64)
    return Assignee("account_manager") if name == "account_manager" else Assignee("agent", name)


def _tags(value: object, path: KeyPath) -> tuple[str, ...]:
    """Tag names: one word each, without a leading #."""
    tags = []
    for word in value if isinstance(value, list) else [value]:
        name = _text(word, path, limit=100).lstrip("#")
        if not name or any(ch.isspace() for ch in name):
            raise _Bad(path, f"a tag is one word, not {shown(word)}")
        tags.append(name)
    return tuple(tags)


# --- placeholders and due dates ------------------------------------------------------------


def placeholders_for(subject: str) -> tuple[str, ...]:
    """The placeholders a rule about a task or a client can use."""
    if subject == "client":
        return CLIENT_PLACEHOLDERS + COMMON_PLACEHOLDERS
    return TASK_PLACEHOLDERS + CLIENT_PLACEHOLDERS + COMMON_PLACEHOLDERS


def _template(value: object, path: KeyPath, subject: str, *, blank: bool = False) -> str:
    """A text with {placeholders}, each one the subject offers ({{ and }} are braces)."""
    if blank and value in (None, ""):
        return ""
    _text(value, path, limit=20_000)
    text = str(value)  # as written: a body keeps its last line break
    allowed = placeholders_for(subject)
    try:
        parts = list(Formatter().parse(text))
    except ValueError as error:
        raise _Bad(path, f"{error} (write {{{{ and }}}} for braces)") from None
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in allowed or spec or conversion:
            raise _Bad(path, f"unknown placeholder {{{name}}}; expected one of "
                             + ", ".join(f"{{{known}}}" for known in allowed))
    return text


def render(text: str, values: Mapping[str, str]) -> str:
    """`text` with each {placeholder} replaced by its value (checked ones only: nothing is
    looked up as an attribute, so a template cannot reach into Python objects)."""
    out = []
    for literal, name, _, _ in Formatter().parse(text):
        out.append(literal)
        if name is not None:
            out.append(values.get(name, ""))
    return "".join(out)


def _due(value: object, path: KeyPath, trigger: Trigger) -> str:
    """A due form: +2d, +3 business days, tomorrow, fri, 2026-12-01 (the forms of `desk add
    --due`), or `birthday` in a birthday rule."""
    text = _text(value.isoformat() if isinstance(value, date) else value, path, limit=100)
    birthday = trigger.kind == "birthday"
    try:
        due_moment(text, _PROBE, _PROBE.date() if birthday else None)
    except InvalidInput:
        raise _Bad(path, f"cannot read {text!r} as a due date; try +2d, +3 business days, "
                         f"tomorrow, fri or 2026-12-01{' or birthday' if birthday else ''}"
                   ) from None
    return text


def due_moment(text: str, now: datetime, birthday: date | None = None) -> datetime:
    """The moment a due form names at `now` (aware; its zone counts the days). Day forms end
    at 23:59:59 that day, as `desk add --due` has them. `birthday` is the occasion of a
    birthday rule ("birthday" names that day). Raises InvalidInput."""
    word = text.strip().lower()
    day = None
    if word == "birthday" and birthday is not None:
        day = birthday
    elif (match := _BUSINESS_DAYS.fullmatch(word)) is not None:
        day = business_days_after(now.date(), int(match[1]))
    return dates.parse_due(day.isoformat() if day else text, now)


def business_days_after(start: date, count: int) -> date:
    """The `count`-th working day (Monday to Friday) after `start`; `start` itself if 0."""
    if count == 0:
        return start
    first = datetime.combine(start + timedelta(days=1), datetime.min.time())
    return rrule(DAILY, dtstart=first, byweekday=_WORKDAYS, count=count)[-1].date()
