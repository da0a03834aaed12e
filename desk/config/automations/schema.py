"""The automation rules' schema: the words a rule may use and the shapes a checked rule takes.

A rule is a `name`, one trigger (`when`), conditions that must all hold (`if`) and actions done
in order (`do`); config.example.yaml documents every word. desk.config.automations.reading reads the
config's `automations:` list into the shapes below; matching and running rules is
desk.automation's. Nothing here touches the database: the config is checked with it while it
loads, before the command line knows whether to load the PostgreSQL driver.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import yaml
from msgspec import Struct

from desk.config.validate import dotted
from desk.config.yaml_lines import KeyPath, line_of

RULE_KEYS = ("name", "when", "if", "do")
REQUIRED_RULE_KEYS = ("name", "when", "do")

# Trigger -> the options it takes. CLIENT_TRIGGERS are about a client, the others a task.
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
    "loyalty_tier_changed": ("from", "to"),
    "retainer_threshold": ("share",),
    "retainer_cycle_end": (),
    "nps_answered": ("score",),
}
CLIENT_TRIGGERS = ("client_stage_changed", "birthday", "loyalty_tier_changed",
                   "retainer_threshold", "retainer_cycle_end", "nps_answered")

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

MAX_NAME = 100  # characters of a rule name ("rule:NAME" is the activity's actor)
BUILT_IN = "the built-in rules"  # where the default rules come from, in messages


def subject_of(trigger_kind: str) -> str:
    """What a rule with this trigger is about: "client" for client triggers, else "task"."""
    return "client" if trigger_kind in CLIENT_TRIGGERS else "task"


class Trigger(Struct, frozen=True):
    """What starts a rule: an event (or, for `due` and `birthday`, a moment) and its options.

    `changed_from`/`changed_to` hold the accepted old/new values, case-folded (empty: any);
    `field` is the event's field key for field_changed; `within` how long before the due
    moment a due rule fires; `in_days` how many days before a birthday; `targets` the SLA
    targets (first_response, resolution) an SLA trigger is for (empty: both); `scores` the
    NPS scores (0 to 10) an nps_answered rule is for (empty: any).
    """

    kind: str
    changed_from: tuple[str, ...] = ()
    changed_to: tuple[str, ...] = ()
    field: str = ""
    within: timedelta = timedelta(0)
    in_days: int = 0
    targets: tuple[str, ...] = ()
    share: float = 0.8
    """The share of a retainer's included hours a retainer_threshold rule fires at."""
    scores: tuple[int, ...] = ()


class Condition(Struct, frozen=True):
    """One test of `if`: the subject's `fact` is one of `values` (case-folded), or contains
    `contains` when that is set. `path` is where the rule says so, e.g. ("if", "list")."""

    path: KeyPath
    fact: str
    values: tuple[str, ...] = ()
    contains: str = ""


class Assignee(Struct, frozen=True):
    """Who an assignment goes to: kind "agent" (a user name), "account_manager" (the client's),
    or "round_robin" (the next available member of the team `name`)."""

    kind: str
    name: str = ""


class Action(Struct, frozen=True):
    """One step of `do`: its kind, its checked options, and where the rule says so, e.g.
    ("do", 1, "set")."""

    kind: str
    options: Mapping[str, Any]
    path: KeyPath

    @property
    def key(self) -> str:
        """The action's place as people write it: do[1].set."""
        return dotted(self.path)


@dataclass(frozen=True)  # not a Struct: its YAML node is left out of comparisons
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
        return subject_of(self.trigger.kind)

    @property
    def actor(self) -> str:
        """Who the activity history names for this rule's changes."""
        return f"rule:{self.name}"

    def line(self, path: KeyPath = ()) -> int | None:
        """The YAML line of `path` inside this rule, when it was read from text."""
        return None if self.node is None else line_of(self.node, (self.index, *path))


class Problem(Struct, frozen=True):
    """A mistake in the rules (or the sequences: `what`), for `desk automations check`: the
    rule's name (empty when not inside a rule), the key inside it, the line (None when
    unknown) and what is wrong."""

    name: str
    key: str
    line: int | None
    message: str
    source: str = "config.yaml"
    what: str = "rule"  # or "sequence"

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}, line {self.line}"
        what = ", ".join(part for part in (self.name and f'{self.what} "{self.name}"', self.key)
                         if part)
        return ": ".join(part for part in (where, what, self.message) if part)
