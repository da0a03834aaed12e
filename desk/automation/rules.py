"""The automation rules as the automations use them, and `desk automations check`.

The rules' grammar is configuration: desk.config.automations checks it while the config
loads (its schema, reading and actions modules, the {placeholders} and the due forms). Its
names are re-exported here, so the automations and the command line import one module. `check`
reports every rule's first mistake in a config file, by rule name, key and line.

Nothing here touches the database: `desk automations check` runs without one.
"""

from __future__ import annotations

import yaml

from desk.config import ConfigError, node_at, parse_settings, read_yaml, shipped_automations
from desk.config.automations.due import due_moment
from desk.config.automations.placeholders import CLIENT_PLACEHOLDERS, render
from desk.config.automations.reading import event_field, fact_name, name_of, parse, read_rules
from desk.config.automations.schema import (
    BUILT_IN,
    TASK_FIELDS,
    Action,
    Assignee,
    Problem,
    Rule,
    Trigger,
)
from desk.config.validate import Invalid, dotted, shown
from desk.config.yaml_lines import line_of

__all__ = [  # the grammar's names the automations, the command line and the tests use
    "BUILT_IN", "CLIENT_PLACEHOLDERS", "TASK_FIELDS", "Action", "Assignee", "Problem", "Rule",
    "Trigger", "check", "dotted", "due_moment", "event_field", "fact_name", "parse",
    "render",
]


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
        raw, source = shipped_automations(), BUILT_IN
    if not isinstance(raw, list):
        line = None if node is None else line_of(node, ())
        return (), [Problem("", "automations", line,
                            f"expected a list of rules, got {shown(raw)}", source)]
    rules: list[Rule] = []
    problems: list[Problem] = []
    for index, entry, read in read_rules(raw, node):
        if isinstance(read, Invalid):
            line = None if node is None else line_of(node, (index, *read.path))
            problems.append(Problem(name_of(entry, index), dotted(read.path), line,
                                    read.message, source))
        else:
            rules.append(read)
    if not problems:
        problems = [problem for problem in [_file_problem(text, source)] if problem]
    return tuple(rules), problems


def _file_problem(text: str, source: str) -> Problem | None:
    """The config loader's complaint about the whole file (a syntax error, another setting),
    or None when it loads."""
    try:
        parse_settings(text, source)
    except ConfigError as error:
        return Problem("", "", None, str(error), source)
    return None
