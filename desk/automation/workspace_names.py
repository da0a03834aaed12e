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
from desk.errors import DeskError, InvalidInput
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
            for rule in rule_set if rule not in shipped and not _archived_lists(rule)
            for path, message in _unknown_names(rule)]


def not_in_use(rule_set: Sequence[Rule]) -> list[tuple[str, str, bool]]:
    """(name, reason, built in) of each rule that never runs here: a rule naming an archived
    list (its work is put away), and a rule as desk ships it that names a list, status,
    template, agent or team this workspace lacks (a support desk without an Orders list has
    no order to invoice). Any other rule always runs, and what it lacks is a problem
    (`check`)."""
    shipped = _shipped()
    idle = []
    for rule in rule_set:
        built_in = rule in shipped
        if archived := _archived_lists(rule):
            idle.append((rule.name, archived[0], built_in))
        elif built_in and (unknown := _unknown_names(rule)):
            idle.append((rule.name, unknown[0][1], built_in))
    return idle


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


def _archived_lists(rule: Rule) -> list[str]:
    """Why the rule is not in use, for each archived list (or list of an archived space) it
    names: the list and how to restore it."""
    reasons = []
    for _, what, name in _named(rule):
        if what != "list":
            continue
        try:
            workspace.open_list(name)
        except InvalidInput as error:
            reasons.append(str(error))
        except DeskError:
            continue  # a missing list: `_unknown_names` tells
    return reasons


def _unknown_names(rule: Rule) -> list[tuple[KeyPath, str]]:
    """(path, message) for each list, status, checklist template, agent or team the rule
    names that the workspace does not have."""
    problems = [(path, _missing(what, name)) for path, what, name in _named(rule)]
    return [(path, message) for path, message in problems if message]


def _named(rule: Rule) -> list[tuple[KeyPath, str, str]]:
    """(path, what, name) for each list, status, checklist template, agent or team the rule
    names."""
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
    return named


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
