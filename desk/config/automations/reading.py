"""Reading the config's `automations:` list: each rule's name, `when` and `if` (its `do` is
desk.config.automations.actions'), into the shapes of desk.config.automations.schema.

A mistake is an Invalid naming the key inside the rule; `parse` reports the first one as a
SettingProblem for the config's loader, `read_rules` every rule's first one for
`desk automations check`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import yaml

from desk import dates
from desk.config.automations import values as read
from desk.config.automations.actions import read_actions
from desk.config.automations.schema import (
    CLIENT_FACTS,
    CONDITIONS,
    FACT_ALIASES,
    FIELD_ALIASES,
    MAX_NAME,
    REQUIRED_RULE_KEYS,
    RULE_KEYS,
    TASK_FACTS,
    TASK_FIELDS,
    TRIGGERS,
    Condition,
    Problem,
    Rule,
    Trigger,
    subject_of,
)
from desk.config.validate import (
    Invalid,
    SettingProblem,
    dotted,
    entry_name,
    read_named,
    refuse_unknown,
    shown,
    suggestion,
)
from desk.config.yaml_lines import KeyPath
from desk.errors import InvalidInput
from desk.vocabulary import (
    CLIENT_KINDS,
    LIFECYCLE_STAGES,
    PRIORITY_WORDS,
    SLA_TARGETS,
    TASK_KINDS,
)


def parse(raw: object) -> tuple[Rule, ...]:
    """The rules of the config's `automations:` value (a list of mappings). Raises
    SettingProblem for the first mistake, its path leading from the list to the offending
    key."""
    if not isinstance(raw, list):
        raise SettingProblem((), f"expected a list of rules, got {shown(raw)}")
    rules = []
    for index, entry, read_rule in read_rules(raw, None):
        if isinstance(read_rule, Invalid):
            problem = Problem(name_of(entry, index), dotted(read_rule.path), None,
                              read_rule.message, "")
            raise SettingProblem((index, *read_rule.path), str(problem))
        rules.append(read_rule)
    return tuple(rules)


def read_rules(raw: list, node: yaml.Node | None) -> Iterator[tuple[int, object, Rule | Invalid]]:
    """(index, entry, the rule it reads as or the first mistake in it) for each entry of the
    list whose YAML node (if any) is `node`. A name used before is a mistake."""
    return read_named(raw, lambda index, entry: _rule(entry, index, node), "rule")


def name_of(entry: object, index: int) -> str:
    """How a rule is named in messages: its name, or its place when it has none."""
    return entry_name(entry, index, "automations")


def _rule(entry: object, index: int, node: yaml.Node | None) -> Rule:
    """The `index`-th rule of the list whose YAML node is `node`; raises Invalid."""
    if not isinstance(entry, dict):
        raise Invalid((), f"expected a rule (a mapping with name, when, if, do), got "
                          f"{shown(entry)}")
    refuse_unknown(entry, RULE_KEYS, ())
    for key in REQUIRED_RULE_KEYS:
        if key not in entry:
            raise Invalid((), f"a rule needs '{key}'")
    name = read.text(entry["name"], ("name",), limit=MAX_NAME)
    trigger = _trigger(entry["when"])
    conditions = _conditions(entry.get("if"), subject_of(trigger.kind), trigger.kind)
    return Rule(name, index, trigger, conditions, read_actions(entry["do"], trigger), node)


# --- when ----------------------------------------------------------------------------------


def _trigger(value: object) -> Trigger:
    """The trigger of `when`."""
    kind, raw = read.one_key(value, ("when",), "trigger", "{status_changed: {to: Done}}")
    if kind not in TRIGGERS:
        raise Invalid(("when",), f"unknown trigger '{kind}' ({suggestion(kind, TRIGGERS)})")
    path = ("when", kind)
    options = read.options(kind, raw, TRIGGERS[kind], path)
    stages = LIFECYCLE_STAGES if kind == "client_stage_changed" else ()
    changes = {f"changed_{key}": read.words(options[key], (*path, key), stages)
               for key in ("from", "to") if key in options}
    if kind == "field_changed":
        if "field" not in options:
            raise Invalid(path, "field_changed needs 'field', e.g. {field: priority}")
        return Trigger(kind, field=event_field(read.text(options["field"], (*path, "field"))),
                       **changes)
    if kind == "due":
        return Trigger(kind, within=_due_window(options, path))
    if kind == "birthday":
        days = options.get("in_days", 0)
        if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 366:
            raise Invalid((*path, "in_days"), f"expected a whole number of days from 0 to 366, "
                                              f"got {shown(days)}")
        return Trigger(kind, in_days=days)
    if kind == "retainer_threshold":
        return Trigger(kind, share=_share(options.get("share", 0.8), (*path, "share")))
    if kind in ("sla_near_breach", "sla_breached"):
        targets = (read.words(options["target"], (*path, "target"), SLA_TARGETS)
                   if "target" in options else ())
        return Trigger(kind, targets=targets)
    if kind == "nps_answered":
        return Trigger(kind, scores=_scores(options.get("score"), (*path, "score")))
    return Trigger(kind, **changes)


def _share(value: object, path: KeyPath) -> float:
    """A retainer rule's share of the included hours: more than 0, at most 10 (1000%)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 10:
        raise Invalid(path, f"expected a share of the included hours such as 0.8, "
                            f"got {shown(value)}")
    return float(value)


def _scores(value: object, path: KeyPath) -> tuple[int, ...]:
    """The NPS scores of {score: 0-6}: a range LOW-HIGH or one score, from 0 to 10 (none:
    any score)."""
    if value is None:
        return ()
    low, _, high = str(value).partition("-")
    try:
        first, last = int(low), int(high or low)
    except ValueError:
        first, last = -1, -1
    if isinstance(value, bool) or not 0 <= first <= last <= 10:
        raise Invalid(path, f"expected a score or a range of scores from 0 to 10, like 0-6, "
                            f"got {shown(value)}")
    return tuple(range(first, last + 1))


def event_field(name: str) -> str:
    """The key a task event uses for the field people call `name`: a built-in field
    (priority, due, assignee...), else the custom field "custom:NAME"."""
    word = name.strip().lower()
    word = FIELD_ALIASES.get(word, word)
    return word if word in TASK_FIELDS else f"custom:{name.strip()}"


def _due_window(options: dict, path: KeyPath) -> timedelta:
    """How long before the due moment a due rule fires: {reached: true} or {within: 1d}."""
    if ("reached" in options) == ("within" in options):
        raise Invalid(path, "due needs either {reached: true} or {within: DURATION}, e.g. 1d")
    if "reached" in options:
        if options["reached"] is not True:
            raise Invalid((*path, "reached"), f"expected true, got {shown(options['reached'])}")
        return timedelta(0)
    try:
        return dates.parse_duration(str(options["within"]))
    except InvalidInput as error:
        raise Invalid((*path, "within"), str(error)) from None


# --- if ------------------------------------------------------------------------------------


def _conditions(value: object, subject: str, trigger: str) -> tuple[Condition, ...]:
    """The conditions of `if` (none: the rule fires on every matching trigger)."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise Invalid(("if",), f"expected a mapping of conditions, got {shown(value)}")
    refuse_unknown(value, CONDITIONS, ("if",))
    conditions = []
    for key, wanted in value.items():
        path = ("if", key)
        if subject == "client" and key in ("list", "kind", "priority"):
            raise Invalid(path, f"{key} is about a task, and a {trigger} rule is about a client")
        if key == "field":
            conditions += _field_conditions(wanted, subject)
            continue
        choices = {"kind": TASK_KINDS, "priority": PRIORITY_WORDS, "client_kind": CLIENT_KINDS}
        conditions.append(Condition(path, CONDITIONS[key],
                                    read.words(wanted, path, choices.get(key, ()))))
    return tuple(conditions)


def _field_conditions(value: object, subject: str) -> list[Condition]:
    """The conditions of `if.field`: {name: value, name: [values], name: {contains: text}}."""
    if not isinstance(value, dict) or not value:
        raise Invalid(("if", "field"), f"expected a mapping of field names to values, got "
                                       f"{shown(value)}")
    conditions = []
    for name, wanted in value.items():
        path = ("if", "field", name)
        fact = fact_name(str(name), subject)
        if fact is None:
            raise Invalid(path, f"a client has no field '{name}' (expected "
                                f"{', '.join(CLIENT_FACTS)})")
        if isinstance(wanted, dict):
            refuse_unknown(wanted, ("contains",), path)
            conditions.append(Condition(path, fact, contains=read.text(
                wanted.get("contains"), (*path, "contains")).casefold()))
        else:
            choices = LIFECYCLE_STAGES if fact == "stage" else ()
            conditions.append(Condition(path, fact, read.words(wanted, path, choices)))
    return conditions


def fact_name(name: str, subject: str) -> str | None:
    """The fact a condition on field `name` tests: a built-in one, for a task else a custom
    field ("custom:name"); None for an unknown client field."""
    word = name.strip().lower()
    word = FACT_ALIASES.get(word, word)
    if subject == "client":
        return word if word in CLIENT_FACTS else None
    return word if word in TASK_FACTS else f"custom:{word}"
