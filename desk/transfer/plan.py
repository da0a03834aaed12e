"""What an import would do, or did: counts, the workspace it shapes, the people it could not
match, and every problem with its place. The preview and the report of a real run are the
same object, so what a dry run shows is what the real run does."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Protocol, TypeVar

from msgspec import Struct, field

from desk.transfer.records import Place, Problem

Progress = Callable[[str, int], None]
"""Told (file, row) as an import goes."""


class Placed(Protocol):
    """A record read from a file, which knows where it was read."""

    place: Place


Record = TypeVar("Record", bound=Placed)

MAX_PROBLEMS = 1000
"""Problems kept in full; beyond that only counted (a file broken on every row)."""


class Plan(Struct):
    """The outcome of an import, dry or real.

    `created`/`updated`/`unchanged` count records; `refused` counts rows skipped because of a
    problem. `new_statuses` are (list, status, category) with the category guessed from the
    name; `unmatched` counts the people no agent matched, by name as written.
    """

    kind: str
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0
    new_spaces: list[str] = field(default_factory=list)
    new_lists: list[str] = field(default_factory=list)
    new_statuses: list[tuple[str, str, str]] = field(default_factory=list)
    new_fields: list[tuple[str, str, str]] = field(default_factory=list)
    unmatched: Counter = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    more_problems: int = 0

    @property
    def skipped(self) -> int:
        """Records not written: unchanged since the last import, or refused."""
        return self.unchanged + self.refused

    @property
    def records(self) -> int:
        """Every record read."""
        return self.created + self.updated + self.skipped

    def problem(self, problem: Problem) -> None:
        """Keep a problem (only count it past MAX_PROBLEMS)."""
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.more_problems += 1

    def take(self, problems: list[Problem]) -> None:
        """Move problems collected by a reader into the plan (counting the refused records)."""
        for problem in problems:
            self.problem(problem)
            self.refused += problem.refused
        problems.clear()

    def summary(self) -> str:
        """One line: "would create 3, update 1, skip 2 (1 unchanged, 1 with problems)"."""
        verbs = ("would create", "update", "skip") if self.dry_run else ("created", "updated",
                                                                         "skipped")
        return (f"{verbs[0]} {self.created}, {verbs[1]} {self.updated}, {verbs[2]} "
                f"{self.skipped} ({self.unchanged} unchanged, {self.refused} with problems)")

    def lines(self) -> list[str]:
        """The whole preview or report as lines of text (not yet made visible)."""
        lines = [f"{self.kind}: {self.summary()}"]
        lines += [f"new space: {name}" for name in self.new_spaces]
        lines += [f"new list: {name}" for name in self.new_lists]
        lines += [f"new status: {where}: {name} ({category})"
                  for where, name, category in self.new_statuses]
        lines += [f"new field: {where}: {name} ({kind})" for where, name, kind in self.new_fields]
        lines += [f"unmatched person: {name} ({count} task{'s' if count != 1 else ''})"
                  for name, count in sorted(self.unmatched.items())]
        lines += [f"note: {note}" for note in self.notes]
        lines += [str(problem) for problem in self.problems]
        if self.more_problems:
            lines.append(f"... and {self.more_problems} more problems")
        return lines


def in_chunks(records: Iterable[Record], plan: Plan, size: int,
              write: Callable[[list[Record]], None], problems: list[Problem],
              first: int | None = None) -> None:
    """Hand the records to `write` `size` at a time (the first chunk `first`, when given),
    which writes them as one chunk (desk.transfer.chunk_writes); after each, move the
    reader's `problems` into the plan."""
    iterator = iter(records)
    wanted = size if first is None else first
    while True:
        with collector_paused():
            chunk = list(islice(iterator, wanted))
            wanted = size
            if not chunk:
                return
            write(chunk)
            del chunk  # freed now, so the collector does not walk it when it runs again
        plan.take(problems)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused for a block that makes many objects that live until it
    ends (a chunk of records, rows and parameters): it would walk them again and again, an
    eighth of an import's time. It runs again after the block, which collects what the block
    left behind; already paused (a caller's own pause), it stays so."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
