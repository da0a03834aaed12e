"""The `do` of automation rules: each action read into an Action with its checked options."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desk.config.automations import values as read
from desk.config.automations.schema import (
    ACTIONS,
    EMAIL_RECIPIENTS,
    TASK_ACTIONS,
    Action,
    Trigger,
    subject_of,
)
from desk.config.validate import Invalid, shown, suggestion
from desk.config.yaml_lines import KeyPath
from desk.vocabulary import INTERACTION_KINDS, PRIORITY_WORDS


def read_actions(value: object, trigger: Trigger) -> tuple[Action, ...]:
    """The actions of `do`, in order."""
    if not isinstance(value, list):
        raise Invalid(("do",), f"expected a list of actions, got {shown(value)}")
    if not value:
        raise Invalid(("do",), "a rule needs at least one action")
    subject = subject_of(trigger.kind)
    actions = []
    for index, entry in enumerate(value):
        kind, raw = read.one_key(entry, ("do", index), "action", "{tag: invoice}")
        path = ("do", index, kind)
        if kind not in ACTIONS:
            raise Invalid(("do", index), f"unknown action '{kind}' ({suggestion(kind, ACTIONS)})")
        if subject == "client" and kind in TASK_ACTIONS:
            raise Invalid(path, f"{kind} changes a task, and a {trigger.kind} rule is about a "
                                "client (create_task can assign its new task)")
        actions.append(Action(kind, _READERS[kind](raw, path, trigger), path))
    return tuple(actions)


def _create_task(raw: object, path: KeyPath, trigger: Trigger) -> dict:
    """create_task: {title, list, due, same_client, template, priority, assign, tags,
    description, status}."""
    options = read.options("create_task", raw, ACTIONS["create_task"], path)
    subject = subject_of(trigger.kind)
    if "title" not in options:
        raise Invalid(path, "create_task needs a 'title'")
    if subject == "client" and "list" not in options:
        raise Invalid(path, "create_task needs a 'list' in a rule about a client")
    same_client = options.get("same_client", True)
    if not isinstance(same_client, bool):
        raise Invalid((*path, "same_client"), f"expected true or false, got {shown(same_client)}")

    def optional(key: str, reader: Callable[[object, KeyPath], Any]) -> Any:
        """The option `key` read by `reader`, or None when it is not given."""
        value = options.get(key)
        return None if value is None else reader(value, (*path, key))

    return {
        "title": read.template(options["title"], (*path, "title"), subject),
        "description": read.template(options.get("description"), (*path, "description"),
                                     subject, blank=True),
        "list": optional("list", read.text),
        "status": optional("status", read.text),
        "template": optional("template", read.text),
        "due": optional("due", lambda value, at: read.due(value, at, trigger)),
        "priority": optional("priority",
                             lambda value, at: read.words(value, at, PRIORITY_WORDS)[0]),
        "assign": optional("assign", read.assignee),
        "tags": optional("tags", read.tags) or (),
        "same_client": same_client,
    }


def _set(raw: object, path: KeyPath, trigger: Trigger) -> dict:
    """set: {status: NAME, priority: NAME, due: WHEN, any custom field: VALUE}."""
    if not isinstance(raw, dict) or not raw:
        raise Invalid(path, f"expected a mapping of fields to values, got {shown(raw)}")
    values: dict[str, object] = {}
    for name, value in raw.items():
        key = str(name).strip().lower()
        if key == "priority":
            values["priority"] = read.words(value, (*path, name), PRIORITY_WORDS)[0]
        elif key == "due":
            values["due"] = read.due(value, (*path, name), trigger)
        elif key == "status":
            values["status"] = read.text(value, (*path, name))
        elif value is None or isinstance(value, str | int | float | bool):
            values[f"custom:{str(name).strip()}"] = value
        else:
            raise Invalid((*path, name), f"expected a value, got {shown(value)}")
    return values


def _assign(raw: object, path: KeyPath, trigger: Trigger) -> dict:
    """assign: a user name, account_manager, or {round_robin: TEAM}."""
    return {"to": read.assignee(raw, path)}


def _tag(raw: object, path: KeyPath, trigger: Trigger) -> dict:
    """tag: a tag or a list of tags, added to the task (or to the client)."""
    return {"tags": read.tags(raw, path)}


def _note(raw: object, path: KeyPath, trigger: Trigger) -> dict:
    """note: the text of an internal note on the task."""
    return {"text": read.template(raw, path, "task")}


def _log_interaction(raw: object, path: KeyPath, trigger: Trigger) -> dict:
    """log_interaction: {kind: note, summary: TEXT} against the client."""
    options = read.options("log_interaction", raw, ACTIONS["log_interaction"], path)
    subject = subject_of(trigger.kind)
    kind = read.words(options.get("kind", "note"), (*path, "kind"), INTERACTION_KINDS)[0]
    summary = read.template(options.get("summary", ""), (*path, "summary"), subject, blank=True)
    return {"kind": kind, "summary": summary}


def _email(raw: object, path: KeyPath, trigger: Trigger) -> dict:
    """email: {to, subject, body}, queued in the outbox."""
    options = read.options("email", raw, ACTIONS["email"], path)
    subject = subject_of(trigger.kind)
    for key in ("to", "subject", "body"):
        if key not in options:
            raise Invalid(path, f"email needs '{key}'")
    to = read.text(options["to"], (*path, "to"), limit=254)
    if to not in EMAIL_RECIPIENTS and "@" not in to:
        raise Invalid((*path, "to"), f"expected {', '.join(EMAIL_RECIPIENTS)} or an e-mail "
                                     f"address, got {shown(to)}")
    if to == "requester" and subject == "client":
        raise Invalid((*path, "to"), "a rule about a client has no requester (try client)")
    return {"to": to, "subject": read.template(options["subject"], (*path, "subject"), subject),
            "body": read.template(options["body"], (*path, "body"), subject)}


_READERS = {"create_task": _create_task, "set": _set, "assign": _assign, "tag": _tag,
            "note": _note, "log_interaction": _log_interaction, "email": _email}
