"""The merge verb of the inbox (`m`): several queries about one thing become one.

`MergeFlow(screen, ids, done).start()` walks a person through it with the shared picker:
with one query it first asks for the other one (open queries found by title or number), then
it lists the queries, oldest first, as "keep #12 ... and close the others"; picking one
merges the rest into it (desk.support.merge.merge, in a worker) and "no, cancel" (or
escape) changes nothing. Picking is the confirmation: each choice says what will be kept and
what closed. `done(merged)` runs on the UI thread afterwards.
"""

from __future__ import annotations

from collections.abc import Callable

from msgspec import Struct
from textual.screen import Screen

from desk.screens.actions.calls import run_service
from desk.screens.dialogs.pick import PickScreen
from desk.screens.hints import key_text
from desk.support import merge
from desk.text import one_line

CANCEL = "cancel"
"""The value of the choice that merges nothing."""


def label(candidate: merge.Candidate, note: str = "") -> str:
    """A query as a choice: "#12 Printer prints blank pages (oldest) · Ada Lovelace"; the
    requester comes last, where a narrow picker cuts it."""
    parts = [f"#{candidate.id} {one_line(candidate.title, 50)}{note}"]
    if candidate.requester:
        parts.append(one_line(candidate.requester, 30))
    if candidate.done:
        parts.append("done")
    return " · ".join(parts)


class MergeFlow(Struct):
    """One merge, from the queries acted on (`ids`) to the summary; see the module."""

    screen: Screen
    ids: frozenset[int]
    done: Callable[[merge.Merged], None]
    found: tuple[merge.Candidate, ...] = ()
    """The queries the last question listed."""

    def start(self) -> None:
        """Ask for a second query when there is one; then which query stays."""
        if len(self.ids) > 1:
            self.choose(self.ids)
            return
        (only,) = self.ids
        agent = self.screen.app.agent

        def search(text: str) -> list[tuple[str, int]]:
            """In the picker's worker: open queries matching `text`, this one left out."""
            return [(label(found), found.id)
                    for found in merge.find(text, exclude=[only], viewer=agent)]

        def picked(other: int | None) -> None:
            """The second query, or None when cancelled."""
            if other is not None:
                self.choose(frozenset({only, other}))

        self.screen.app.push_screen(
            PickScreen(f"Merge #{only} with which query?", search=search,
                       hint=key_text(self.screen, "type words of its title or its number · "
                                                  "{nav.back} cancels")), picked)

    def choose(self, ids: frozenset[int]) -> None:
        """Read the queries (in a worker), then ask which one stays."""
        agent = self.screen.app.agent
        run_service(self.screen, lambda: merge.candidates(ids, agent), done=self.ask)

    def ask(self, found: list[merge.Candidate]) -> None:
        """Which query stays: the oldest first (enter keeps it), or cancel."""
        self.found = tuple(found)
        options: list[tuple[str, int | str]] = [
            (f"keep {label(candidate, ' (oldest)' if index == 0 else '')}", candidate.id)
            for index, candidate in enumerate(found)]
        options.append(("no, cancel: merge nothing", CANCEL))
        question = (f"Merge {len(found)} queries into one? Every message, comment and "
                    "attachment moves to the one kept; the others are closed.")
        self.screen.app.push_screen(
            PickScreen(question, options, hint=key_text(
                self.screen, "enter merges into the highlighted query · {nav.back} cancels")),
            self.merge_into)

    def merge_into(self, keep: int | str | None) -> None:
        """Merge the others into the query picked, in a worker (nothing for cancel)."""
        if keep is None or keep == CANCEL:
            return
        agent, rules = self.screen.app.agent, self.screen.app.sla_rules
        others = [candidate.id for candidate in self.found if candidate.id != keep]
        run_service(self.screen, lambda: merge.merge(agent, int(keep), others, sla_rules=rules),
                    done=self.done, group="merge")
