"""The task screen's time: the estimate against the time spent (alone and with the
subtasks, desk.work.time.estimates) and the newest entries."""

from __future__ import annotations

from msgspec import Struct

from desk.work.time import entries, estimates

SHOWN = 5
"""The entries the task screen lists (the newest); `desk time report` has them all."""


class TaskTime(Struct, frozen=True):
    """The figures and the newest entries of a task, with how many entries it has."""

    figures: estimates.EstimateFigures
    entries: tuple[entries.EntryRow, ...]
    total_entries: int


def load(task_id: int) -> TaskTime:
    """The task's time as its screen shows it."""
    found = entries.for_task(task_id)
    return TaskTime(estimates.figures(task_id), tuple(found[:SHOWN]), len(found))
