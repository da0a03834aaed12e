"""What automation rules name in the workspace: the lists, statuses, checklist templates,
agents and teams a rule refers to, checked against the database (`desk automations check`),
and the rules desk ships that this workspace cannot serve, which are left out of every run.
"""

from __future__ import annotations

from collections.abc import Sequence

from peewee import fn

from desk.automation import rules
from desk.automation.rules import Problem, Rule
from desk.config import KeyPath, shipped_automations
from desk.errors import DeskError
from desk.models import Agent, ChecklistTemplate, Status, Team
from desk.work import workspace


def check(text: str, source: str = "config.yaml") -> list[Problem]:
    """The problems of the rules in a config file's `text`: their grammar (desk.automation.rules)
    and then, for the rules that read well, what they name in the workspace (lists, statuses,
    checklist templates, agents, teams). A built-in rule naming something the workspace lacks
    is not a problem: it is not in use here (`not_in_use`)."""
    rule_set, problems = rules.check(text, source)
    if problems:
        return problems
    shipped = _shipped()
    return [Problem(rule.name, rules.dotted(path), rule.line(path), message,
                    source if rule.node is not None else rules.BUILT_IN)
            for rule in rule_set if rule not in shipped
            for path, message in _unknown_names(rule)]


def not_in_use(rule_set: Sequence[Rule]) -> list[tuple[str, str]]:
    """(name, reason) of each rule as desk ships it that names a list, status, template,
    agent or team this workspace lacks: such a rule never runs here (a support desk without
    an Orders list has no order to invoice). Any other rule always runs, and what it lacks
    is a problem (`check`)."""
    shipped = _shipped()
    return [(rule.name, unknown[0][1]) for rule in rule_set
            if rule in shipped and (unknown := _unknown_names(rule))]


def _shipped() -> tuple[Rule, ...]:
    """The built-in rules, as desk ships them."""
    return rules.parse(shipped_automations())


# What a rule can name -> how a missing one is described, and the column that holds the names.
_NAMED = {
    "status": ("no list has a status named", Status.name),
    "template": ("no checklist template named", ChecklistTemplate.name),
    "agent": ("no agent named", Agent.username),
    "round_robin": ("no team named", Team.name),
}


def _unknown_names(rule: Rule) -> list[tuple[KeyPath, str]]:
    """(path, message) for each list, status, checklist template, agent or team the rule
    names that the workspace does not have."""
    named: list[tuple[KeyPath, str, str]] = [  # (path, what, name)
        (condition.path, "list", name) for condition in rule.conditions
        if condition.fact == "list" for name in condition.values]
    if rule.trigger.kind == "status_changed":
        named += [(("when", "status_changed", key), "status", name) for key in ("from", "to")
                  for name in getattr(rule.trigger, f"changed_{key}")]
    for action in rule.actions:
        options = action.options
        if action.kind == "create_task":
            named += [((*action.path, key), key, options[key])
                      for key in ("list", "template", "status") if options[key]]
            if options["assign"]:
                spec = options["assign"]
                named.append(((*action.path, "assign"), spec.kind, spec.name))
        elif action.kind == "set" and "status" in options:
            named.append(((*action.path, "status"), "status", options["status"]))
        elif action.kind == "assign":
            named.append((action.path, options["to"].kind, options["to"].name))
    problems = [(path, _missing(what, name)) for path, what, name in named]
    return [(path, message) for path, message in problems if message]


def _missing(what: str, name: str) -> str | None:
    """Why the workspace has no `what` (list, status, template, agent, round_robin team)
    called `name`, or None when it has one (an account manager is always fine)."""
    if what == "list":
        try:
            workspace.find_list(name)
        except DeskError as error:
            return str(error)
        return None
    if what not in _NAMED:
        return None
    message, column = _NAMED[what]
    matches = column == name if what == "agent" else fn.LOWER(column) == name.lower()
    return None if column.model.select().where(matches).exists() else f"{message} {name!r}"
