"""What sequences name in the workspace: the lists their task steps go on, checked against
the database for `desk automations check` (a step on a missing list would pause its
sequence when it comes)."""

from __future__ import annotations

from collections.abc import Sequence as Many

from desk.config.automations.sequences import Sequence, parse
from desk.config.defaults import shipped
from desk.errors import DeskError
from desk.work import workspace


def unknown_lists(sequences: Many[Sequence]) -> list[tuple[Sequence, str, str, bool]]:
    """(sequence, key, what is wrong, built in) for each task step whose list this workspace
    lacks (or names ambiguously); `built in` when the sequence is as desk ships it."""
    built_in = parse(shipped("sequences"))
    found = []
    for sequence in sequences:
        for step in sequence.steps:
            if step.kind != "task":
                continue
            try:
                workspace.find_list(step.options["list"])
            except DeskError as error:
                found.append((sequence, f"steps[{step.index}].task.list", str(error),
                              sequence in built_in))
    return found
