"""Shaping a list's statuses from the palette: add, rename, move, colour, recategorise and
remove (picking where its tasks go, then asking yes or no, naming how many)."""

from __future__ import annotations

from collections.abc import Callable

from desk.screens.actions.shaping.base import ShapingBase, position_of, quoted
from desk.screens.widgets.places import Place
from desk.text import counted, one_line
from desk.vocabulary import CATEGORIES
from desk.work.shaping import statuses as status_edits


class StatusShaping(ShapingBase):
    """The status operations on the sidebar's current list."""

    statuses: tuple[status_edits.StatusRow, ...] = ()
    """The current list's statuses, as last read for a picker."""

    def add_status(self) -> None:
        """Ask for a name, then a category; add the status to the current list."""
        place, agent = self._list(), self.app.agent
        if place is None:
            return

        def named(name: str) -> None:
            """Then the category."""
            self._pick(f"Category of {one_line(name, 40)}", [(c, c) for c in CATEGORIES],
                       lambda category: self._call(
                           lambda: status_edits.add(agent, place.list_id, name, category),
                           lambda added: f"Added the status {quoted(added.name)} "
                                         f"({added.category})."), quick=True)

        self._ask(f"New status of {one_line(place.name, 40)}", named)

    def _with_status(self, title: str, then: Callable[[Place, status_edits.StatusRow], None]
                     ) -> None:
        """Pick a status of the current list, then `then(list, status)`."""
        place = self._list()
        if place is None:
            return

        def listed(rows: list[status_edits.StatusRow]) -> None:
            """Offer the statuses."""
            self.statuses = tuple(rows)
            choices = [(f"{row.name} ({row.category}, {counted(row.tasks, 'task')})", row)
                       for row in rows]
            self._pick(title, choices, lambda row: then(place, row))

        self._load(lambda: status_edits.rows(place.list_id), listed)

    def rename_status(self) -> None:
        """Pick a status; ask for its new name."""
        agent = self.app.agent
        self._with_status("Rename which status?", lambda place, row: self._ask(
            f"Rename the status {one_line(row.name, 40)}", lambda new: self._call(
                lambda: status_edits.rename(agent, place.list_id, row.name, new, row.version),
                lambda _: f"Renamed the status to {quoted(new)}."), value=row.name))

    def move_status(self) -> None:
        """Pick a status; ask for its place."""
        agent = self.app.agent
        self._with_status("Move which status?", lambda place, row: self._ask(
            f"Place of {one_line(row.name, 40)} (1 is the first)", lambda position: self._call(
                lambda: status_edits.move(agent, place.list_id, row.name, position,
                                          row.version),
                lambda _: f"Moved the status {quoted(row.name)}."),
            value=str(row.position), parse=position_of))

    def colour_status(self) -> None:
        """Pick a status; ask for its colour."""
        agent = self.app.agent
        self._with_status("Colour which status?", lambda place, row: self._ask(
            f"Colour of {one_line(row.name, 40)}", lambda colour: self._call(
                lambda: status_edits.recolour(agent, place.list_id, row.name, colour,
                                              row.version),
                lambda stored: f"The status {quoted(row.name)} is now {stored or 'plain'}."),
            value=row.colour, parse=lambda text: status_edits.colour_of(text) or "none",
            hint="#rgb or #rrggbb, or none"))

    def category_status(self) -> None:
        """Pick a status; pick its category (its tasks follow; closing orders with open
        checklist items is asked about first)."""
        agent = self.app.agent

        def change(place: Place, row: status_edits.StatusRow, category: str) -> None:
            """Ask about open orders, then recategorise in a worker."""
            self._unless_open_orders(
                lambda: status_edits.open_orders(place.list_id, row.name, category=category),
                lambda force: self._call(
                    lambda: status_edits.set_category(agent, place.list_id, row.name,
                                                      category, row.version, force=force),
                    lambda moved: f"The status {quoted(row.name)} is now {category}; "
                                  f"{counted(moved, 'task')} followed."))

        self._with_status("Recategorise which status?", lambda place, row: self._pick(
            f"Category of {one_line(row.name, 40)} ({counted(row.tasks, 'task')} follow)",
            [(c, c) for c in CATEGORIES], lambda category: change(place, row, category),
            quick=True))

    def _unless_open_orders(self, count: Callable[[], int],
                            then: Callable[[bool], None]) -> None:
        """`then(False)` when `count()` (read in a worker) finds no order that would close
        with open checklist items; else ask, and `then(True)` on yes."""
        def asked(orders: int) -> None:
            """On the UI thread."""
            if not orders:
                then(False)
                return
            verb = "has" if orders == 1 else "have"
            self._confirm(f"{counted(orders, 'order')} {verb} open checklist items. "
                          "Close them anyway?", "close them with open items",
                          lambda: then(True))

        self._load(count, asked)

    def remove_status(self) -> None:
        """Pick a status and, when it holds tasks, where they go; then, unless the removal
        would be refused, ask yes or no (naming how many tasks move) and remove it."""
        agent = self.app.agent

        def chosen(place: Place, row: status_edits.StatusRow) -> None:
            """Where do its tasks go? (Asked only when it holds any.)"""
            if not row.tasks:
                check(place, row, None)
                return
            others = [(other, other) for other in self._other_statuses(row)]
            self._pick(f"Move the {counted(row.tasks, 'task')} of {one_line(row.name, 40)} to",
                       others, lambda to: check(place, row, to))

        def check(place: Place, row: status_edits.StatusRow, to: str | None) -> None:
            """Ask only about a removal the service would make."""
            self._load(lambda: status_edits.removal(place.list_id, row.name, to),
                       lambda held: ask(place, row, to, held))

        def ask(place: Place, row: status_edits.StatusRow, to: str | None, held: int) -> None:
            """Yes or no, naming how many tasks move."""
            moving = (f"Its {counted(held, 'task')} {'moves' if held == 1 else 'move'} to "
                      f"{one_line(to, 40)}." if held and to else "It holds no tasks.")
            self._confirm(f"Remove the status {one_line(row.name, 40)}? {moving}",
                          f"remove it and move the {counted(held, 'task')}" if held
                          else "remove it", lambda: orders(place, row, to))

        def orders(place: Place, row: status_edits.StatusRow, to: str | None) -> None:
            """Ask about orders that would close with open checklist items."""
            if to is None:
                remove(place, row, to, False)
                return
            self._unless_open_orders(
                lambda: status_edits.open_orders(place.list_id, row.name, to=to),
                lambda force: remove(place, row, to, force))

        def remove(place: Place, row: status_edits.StatusRow, to: str | None,
                   force: bool) -> None:
            """Remove it in a worker."""
            self._call(lambda: status_edits.remove(agent, place.list_id, row.name, to,
                                                   row.version, force=force),
                       lambda moved: f"Removed the status {quoted(row.name)}; "
                                     f"{counted(moved, 'task')} moved.")

        self._with_status("Remove which status?", chosen)

    def _other_statuses(self, row: status_edits.StatusRow) -> list[str]:
        """The names of the list's other statuses (as last read), where tasks can go."""
        return [other.name for other in self.statuses if other.id != row.id]
