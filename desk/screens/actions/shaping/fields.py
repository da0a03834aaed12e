"""Shaping a list's custom fields from the palette: add (a dropdown with its options),
rename, edit a dropdown's options, remove (asking yes or no, naming how many tasks hold a
value)."""

from __future__ import annotations

from collections.abc import Callable

from desk.screens.actions.shaping.base import ShapingBase, quoted
from desk.screens.widgets.places import Place
from desk.text import counted, one_line
from desk.vocabulary import FIELD_KINDS
from desk.work import custom_fields
from desk.work.shaping import fields as field_edits


def _options(name: str) -> Callable[[str], list[str]]:
    """How a dropdown's typed options are read: "a, b,c" as ["a", "b", "c"], checked in
    place (an empty or doubled option is named under the input)."""
    return lambda text: custom_fields.checked_options(name, "dropdown", text.split(","))


class FieldShaping(ShapingBase):
    """The custom field operations on the sidebar's current list."""

    def add_field(self) -> None:
        """Ask for a name, then a type (then a dropdown's options); add the field."""
        place, agent = self._list(), self.app.agent
        if place is None:
            return

        def add(name: str, kind: str, options: list[str]) -> None:
            """Add it in a worker."""
            self._call(lambda: field_edits.add(agent, place.list_id, name, kind, options),
                       lambda made: f"Added the field {quoted(made.name)} ({made.kind}).")

        def typed(name: str, kind: str) -> None:
            """A dropdown asks for its options."""
            if kind != "dropdown":
                add(name, kind, [])
                return
            self._ask(f"Options of {one_line(name, 40)}", lambda text: add(name, kind, text),
                      parse=_options(name), hint="comma-separated, in order: S, M, L")

        self._ask(f"New field of {one_line(place.name, 40)}", lambda name: self._pick(
            f"Type of {one_line(name, 40)}", [(kind, kind) for kind in FIELD_KINDS],
            lambda kind: typed(name, kind), quick=True))

    def _with_field(self, title: str, then: Callable[[Place, custom_fields.FieldRow], None],
                    kinds: tuple[str, ...] = FIELD_KINDS) -> None:
        """Pick a field of the current list (of `kinds`), then `then(list, field)`."""
        place = self._list()
        if place is None:
            return

        def listed(rows: list[custom_fields.FieldRow]) -> None:
            """Offer the fields."""
            choices = [(f"{row.name} ({row.kind})", row) for row in rows if row.kind in kinds]
            if not choices:
                self.app.notify("This list has no such field.", title="Workspace",
                                markup=False)
                return
            self._pick(title, choices, lambda row: then(place, row))

        self._load(lambda: custom_fields.fields_for_list(place.list_id), listed)

    def rename_field(self) -> None:
        """Pick a field; ask for its new name."""
        agent = self.app.agent
        self._with_field("Rename which field?", lambda place, row: self._ask(
            f"Rename the field {one_line(row.name, 40)}", lambda new: self._call(
                lambda: field_edits.rename(agent, place.list_id, row.name, new, row.version),
                lambda _: f"Renamed the field to {quoted(new)}."), value=row.name))

    def field_options(self) -> None:
        """Pick a dropdown field; edit its options."""
        agent = self.app.agent
        self._with_field("Edit the options of which field?", lambda place, row: self._ask(
            f"Options of {one_line(row.name, 40)}", lambda options: self._call(
                lambda: field_edits.set_options(agent, place.list_id, row.name, options,
                                                row.version),
                lambda stored: f"{quoted(row.name)} offers {', '.join(stored)}."),
            value=", ".join(row.options), parse=_options(row.name)), kinds=("dropdown",))

    def remove_field(self) -> None:
        """Pick a field; after yes (naming how many tasks hold a value), remove it."""
        agent = self.app.agent

        def ask(place: Place, row: custom_fields.FieldRow, held: int) -> None:
            """Ask, naming the values it clears."""
            cleared = f"It clears the value of {counted(held, 'task')} (kept in their history)." \
                if held else "No task holds a value of it."
            self._confirm(f"Remove the field {one_line(row.name, 40)}? {cleared}",
                          "remove it", lambda: self._call(
                              lambda: field_edits.remove(agent, place.list_id, row.name,
                                                         row.version),
                              lambda _: f"Removed the field {quoted(row.name)}."))

        self._with_field("Remove which field?", lambda place, row: self._load(
            lambda: field_edits.usage(place.list_id, row.name),
            lambda held: ask(place, row, held)))
