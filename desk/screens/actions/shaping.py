"""Shaping the workspace from the keyboard: the sidebar's keys and the palette's commands.

`Shaper(sidebar)` acts on the list or space under the sidebar's cursor: it asks what it needs
with the prompt and picker dialogs, asks yes or no (no highlighted) before a change that
hides or moves tasks, naming how many, and calls the services (desk.work.arranging,
status_edits, field_edits) in a worker. The services check that the agent is an admin, as
the database has it, before they write; a refusal or a mistake is one notice and changes
nothing. After a change the sidebar loads the tree again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from desk.errors import InvalidInput
from desk.kernel.agents import require_admin
from desk.screens.actions.calls import run_service
from desk.screens.dialogs.pick import Choice, PickScreen
from desk.screens.dialogs.prompt import PromptScreen
from desk.screens.hints import key_text
from desk.screens.widgets.places import Place, SpaceEntry
from desk.text import counted, one_line
from desk.vocabulary import CATEGORIES, FIELD_KINDS
from desk.work import arranging, custom_fields, field_edits, status_edits, workspace

if TYPE_CHECKING:
    from desk.screens.widgets.sidebar import Sidebar

COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("New space…", "Add a space to the workspace", "new_space"),
    ("New list…", "Add a list to the space under the sidebar's cursor", "new_list"),
    ("Rename list or space…", "The one under the sidebar's cursor", "rename"),
    ("Archive list or space…", "Hide it from the sidebar and the listings; its tasks are "
                               "kept", "archive"),
    ("Restore list or space…", "Bring back an archived list or space", "restore"),
    ("Move list to space…", "Move the list under the sidebar's cursor", "move_list"),
    ("Add status…", "A new status of the list under the sidebar's cursor", "add_status"),
    ("Rename status…", "A status of the list under the sidebar's cursor", "rename_status"),
    ("Move status…", "Reorder the statuses (the board's columns follow)", "move_status"),
    ("Colour status…", "Give a status a colour", "colour_status"),
    ("Status category…", "Put a status (and its tasks) in another category",
     "category_status"),
    ("Remove status…", "Move its tasks to another status, then remove it", "remove_status"),
    ("Add custom field…", "A new field of the list under the sidebar's cursor", "add_field"),
    ("Rename custom field…", "A field of the list under the sidebar's cursor",
     "rename_field"),
    ("Edit field options…", "The options of a dropdown field", "field_options"),
    ("Remove custom field…", "Remove a field and its values", "remove_field"),
)
"""The palette's shaping commands: (title, help, Shaper method)."""




def _quoted(name: str) -> str:
    """A stored name as one safe line inside a message."""
    return f"“{one_line(name, 60)}”"


def _position(text: str) -> int:
    """A typed place (1 = first)."""
    if not text.strip().isdigit():
        raise InvalidInput(f"a position is a whole number from 1, not {text.strip()!r}")
    return int(text)


def _options(name: str) -> Callable[[str], list[str]]:
    """How a dropdown's typed options are read: "a, b,c" as ["a", "b", "c"], checked in
    place (an empty or doubled option is named under the input)."""
    return lambda text: custom_fields.checked_options(name, "dropdown", text.split(","))


class Shaper:
    """The shaping operations on the sidebar's current list or space (see the module)."""

    def __init__(self, sidebar: Sidebar) -> None:
        """`sidebar` is the tasks screen's Sidebar: its cursor says what is current."""
        self.sidebar = sidebar
        self.app: Any = sidebar.app
        self.target: Place | SpaceEntry | None = sidebar.current()
        self.statuses: list[status_edits.StatusRow] = []
        """The current list's statuses, as last read for a picker."""

    # --- the plumbing ----------------------------------------------------------------------

    def _admin(self) -> bool:
        """Whether the agent is an admin; otherwise say who can do this."""
        if self.app.agent.role == "admin":
            return True
        self.app.notify("Only an admin can shape the workspace (lists, statuses, fields).",
                        title="desk", severity="warning", markup=False)
        return False

    def _current(self) -> Place | SpaceEntry | None:
        """The current list or space, if the agent is an admin (else None, said why)."""
        if not self._admin():
            return None
        if self.target is None:
            self.app.notify("Put the sidebar's cursor on a list or space first.",
                            title="Workspace", severity="warning", markup=False)
        return self.target

    def _call(self, call: Callable[[], Any], said: Callable[[Any], str]) -> None:
        """Run `call` in a worker; then say what happened and load the tree again."""
        def done(result: Any) -> None:
            """On the UI thread."""
            self.app.notify(said(result), title="Workspace", markup=False)
            self.sidebar.load()
            changed = getattr(self.sidebar.screen, "data_changed", None)
            if changed is not None:
                changed()

        run_service(self.sidebar, call, done=done, group="shaping")

    def _ask(self, title: str, then: Callable[[Any], None], *, value: str = "",
             parse: Callable[[str], Any] = str.strip, hint: str = "") -> None:
        """A prompt; `then(answer)` unless it was cancelled."""
        self.app.push_screen(PromptScreen(title, parse=parse, value=value, hint=hint),
                             lambda answer: None if answer in (None, "") else then(answer))

    def _pick(self, title: str, choices: Sequence[Choice], then: Callable[[Any], None],
              *, quick: bool = False) -> None:
        """A picker; `then(choice)` unless it was cancelled."""
        hint = key_text(self.sidebar, "type to filter · enter picks · {nav.back} cancels")
        self.app.push_screen(PickScreen(title, choices, hint=hint, quick=quick),
                             lambda choice: None if choice is None else then(choice))

    def _confirm(self, question: str, yes: str, then: Callable[[], None]) -> None:
        """Yes or no, with no highlighted; `then()` only on yes."""
        hint = key_text(self.sidebar, "y or n · enter takes the highlighted · {nav.back} "
                                      "cancels")
        choices = [("no, leave it as it is", False), (f"yes, {yes}", True)]
        self.app.push_screen(PickScreen(question, choices, hint=hint, quick=True),
                             lambda agreed: then() if agreed else None)

    def _load(self, call: Callable[[], Any], then: Callable[[Any], None]) -> None:
        """Read something (statuses, fields) in a worker, then `then(result)`."""
        run_service(self.sidebar, call, done=then, group="shaping-read")

    def _list(self) -> Place | None:
        """The current list, if the agent is an admin (else None, said why)."""
        if not self._admin():
            return None
        if isinstance(self.target, Place):
            return self.target
        self.app.notify("Put the sidebar's cursor on a list first.", title="Workspace",
                        severity="warning", markup=False)
        return None

    def _space_name(self) -> str | None:
        """The space of the current list or space (else the first space)."""
        if isinstance(self.target, SpaceEntry):
            return self.target.name
        if isinstance(self.target, Place):
            return self.target.space
        shape = self.sidebar.shape
        return shape[0]["name"] if shape else None

    # --- spaces and lists ------------------------------------------------------------------

    def new_space(self) -> None:
        """Ask for a name; add the space."""
        if not self._admin():
            return
        agent = self.app.agent

        def add(name: str) -> None:
            """Add it in a worker."""
            def call() -> int:
                require_admin(agent)
                return workspace.create_space(agent, name)
            self._call(call, lambda _: f"Added the space {_quoted(name)}.")

        self._ask("New space: its name", add)

    def new_list(self) -> None:
        """Ask for a name; add the list to the current space (its default statuses)."""
        if not self._admin():
            return
        space = self._space_name()
        if space is None:
            self.app.notify("Make a space first (the palette's “New space…”).",
                            title="Workspace", severity="warning", markup=False)
            return
        agent = self.app.agent

        def add(name: str) -> None:
            """Add it in a worker."""
            def call() -> workspace.ListRef:
                require_admin(agent)
                return workspace.create_list(agent, space, name)
            self._call(call, lambda made: f"Added the list {_quoted(made.name)} to "
                                          f"{_quoted(made.space)}.")

        self._ask(f"New list in {one_line(space, 40)}: its name", add,
                  hint="It starts with To do, In progress, Done and Closed.")

    def rename(self) -> None:
        """Ask for the new name of the current list or space."""
        target, agent = self._current(), self.app.agent
        if target is None:
            return

        def renamed(new: str) -> None:
            """Rename it in a worker."""
            if isinstance(target, SpaceEntry):
                self._call(lambda: workspace.rename_space(agent, str(target.id), new,
                                                           target.version),
                           lambda _: f"Renamed the space to {_quoted(new)}.")
            else:
                self._call(lambda: workspace.rename_list(agent, str(target.list_id), new,
                                                          target.version),
                           lambda _: f"Renamed the list to {_quoted(new)}.")

        kind = "space" if isinstance(target, SpaceEntry) else "list"
        self._ask(f"Rename the {kind} {one_line(target.name, 40)}", renamed, value=target.name)

    def archive(self) -> None:
        """Archive the current list or space, after yes (it names how many tasks it hides)."""
        target, agent = self._current(), self.app.agent
        if target is None:
            return
        def call() -> arranging.Archived:
            """In the worker."""
            if isinstance(target, SpaceEntry):
                return arranging.archive_space(agent, str(target.id), target.version)
            return arranging.archive_list(agent, str(target.list_id), target.version)

        kind = "space" if isinstance(target, SpaceEntry) else "list"
        extra = " with its lists" if kind == "space" else ""

        def said(done: arranging.Archived) -> str:
            """What the notice says."""
            return (f"Archived {_quoted(done.name)} and kept its {counted(done.tasks, 'task')}:"
                    " “Restore…” in the palette brings it back.")

        self._confirm(f"Archive the {kind} {one_line(target.name, 40)}{extra}?",
                      "archive it (its tasks are kept)", lambda: self._call(call, said))

    def restore(self) -> None:
        """Pick an archived list or space; restore it."""
        if not self._admin():
            return
        agent = self.app.agent

        def chosen(entry: tuple[str, int]) -> None:
            """Restore it in a worker."""
            kind, row = entry
            change = arranging.restore_space if kind == "space" else arranging.restore_list
            self._call(lambda: change(agent, str(row)),
                       lambda done: f"Restored {_quoted(done.name)} with its "
                                    f"{counted(done.tasks, 'task')}.")

        def listed(tree: list[dict]) -> None:
            """Offer what is archived."""
            choices: list[Choice] = []
            for space in tree:
                if space["archived"]:
                    choices.append((f"space {space['name']}", ("space", space["id"])))
                choices += [(f"list {space['name']} / {entry['name']}", ("list", entry["id"]))
                            for entry in space["lists"] if entry["archived"]]
            if not choices:
                self.app.notify("Nothing is archived.", title="Workspace", markup=False)
                return
            self._pick("Restore which?", choices, chosen)

        self._load(lambda: workspace.tree(archived=True), listed)

    def move_list(self) -> None:
        """Pick another space; move the current list there (at the end)."""
        place, agent = self._list(), self.app.agent
        if place is None:
            return
        spaces = [(space["name"], space["name"]) for space in self.sidebar.shape
                  if space["name"] != place.space]
        if not spaces:
            self.app.notify("There is no other space to move it to.", title="Workspace",
                            severity="warning", markup=False)
            return
        self._pick(f"Move the list {one_line(place.name, 40)} to which space?", spaces,
                   lambda space: self._call(
                       lambda: arranging.move_list(agent, str(place.list_id), space,
                                                   place.version),
                       lambda moved: f"Moved the list to {_quoted(moved.space)}."))

    def reorder(self, delta: int) -> None:
        """Move the current list (within its space) or space up (-1) or down (+1)."""
        target, agent = self._current(), self.app.agent
        if target is None:
            return
        shape = self.sidebar.shape
        if isinstance(target, SpaceEntry):
            position = target.position + delta
            if 1 <= position <= len(shape):
                self._call(lambda: arranging.move_space(agent, str(target.id), position,
                                                        target.version),
                           lambda _: f"Moved the space {_quoted(target.name)}.")
            return
        lists = next((space["lists"] for space in shape if space["name"] == target.space), [])
        places = [entry["id"] for entry in lists]
        position = places.index(target.list_id) + 1 + delta if target.list_id in places else 0
        if 1 <= position <= len(places):
            self._call(lambda: arranging.reorder_list(agent, str(target.list_id), position,
                                                      target.version),
                       lambda _: f"Moved the list {_quoted(target.name)}.")

    # --- statuses --------------------------------------------------------------------------

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
                           lambda added: f"Added the status {_quoted(added.name)} "
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
            self.statuses = rows
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
                lambda _: f"Renamed the status to {_quoted(new)}."), value=row.name))

    def move_status(self) -> None:
        """Pick a status; ask for its place."""
        agent = self.app.agent
        self._with_status("Move which status?", lambda place, row: self._ask(
            f"Place of {one_line(row.name, 40)} (1 is the first)", lambda position: self._call(
                lambda: status_edits.move(agent, place.list_id, row.name, position,
                                          row.version),
                lambda _: f"Moved the status {_quoted(row.name)}."),
            value=str(row.position), parse=_position))

    def colour_status(self) -> None:
        """Pick a status; ask for its colour."""
        agent = self.app.agent
        self._with_status("Colour which status?", lambda place, row: self._ask(
            f"Colour of {one_line(row.name, 40)}", lambda colour: self._call(
                lambda: status_edits.recolour(agent, place.list_id, row.name, colour,
                                              row.version),
                lambda stored: f"The status {_quoted(row.name)} is now {stored or 'plain'}."),
            value=row.colour, parse=lambda text: status_edits.colour_of(text) or "none",
            hint="#rgb or #rrggbb, or none"))

    def category_status(self) -> None:
        """Pick a status; pick its category (its tasks follow)."""
        agent = self.app.agent
        self._with_status("Recategorise which status?", lambda place, row: self._pick(
            f"Category of {one_line(row.name, 40)} ({counted(row.tasks, 'task')} follow)",
            [(c, c) for c in CATEGORIES], lambda category: self._call(
                lambda: status_edits.set_category(agent, place.list_id, row.name, category,
                                                  row.version),
                lambda moved: f"The status {_quoted(row.name)} is now {category}; "
                              f"{counted(moved, 'task')} followed."), quick=True))

    def remove_status(self) -> None:
        """Pick a status and where its tasks go; after yes (naming how many), remove it."""
        agent = self.app.agent

        def chosen(place: Place, row: status_edits.StatusRow) -> None:
            """Where do its tasks go? (Asked only when it holds any.)"""
            if not row.tasks:
                self._confirm(f"Remove the status {one_line(row.name, 40)}? It holds no tasks.",
                              "remove it", lambda: remove(place, row, None))
                return
            others = [(other, other) for other in self._other_statuses(row)]
            self._pick(f"Move the {counted(row.tasks, 'task')} of {one_line(row.name, 40)} to",
                       others, lambda to: self._confirm(
                           f"Remove the status {one_line(row.name, 40)}? Its "
                           f"{counted(row.tasks, 'task')} {'moves' if row.tasks == 1 else 'move'} "
                           f"to {one_line(to, 40)}.",
                           f"remove it and move the {counted(row.tasks, 'task')}",
                           lambda: remove(place, row, to)))

        def remove(place: Place, row: status_edits.StatusRow, to: str | None) -> None:
            """Remove it in a worker."""
            self._call(lambda: status_edits.remove(agent, place.list_id, row.name, to,
                                                   row.version),
                       lambda moved: f"Removed the status {_quoted(row.name)}; "
                                     f"{counted(moved, 'task')} moved.")

        self._with_status("Remove which status?", chosen)

    def _other_statuses(self, row: status_edits.StatusRow) -> list[str]:
        """The names of the list's other statuses (as last read), where tasks can go."""
        return [other.name for other in self.statuses if other.id != row.id]

    # --- custom fields ---------------------------------------------------------------------

    def add_field(self) -> None:
        """Ask for a name, then a type (then a dropdown's options); add the field."""
        place, agent = self._list(), self.app.agent
        if place is None:
            return

        def add(name: str, kind: str, options: list[str]) -> None:
            """Add it in a worker."""
            self._call(lambda: field_edits.add(agent, place.list_id, name, kind, options),
                       lambda made: f"Added the field {_quoted(made.name)} ({made.kind}).")

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
                lambda _: f"Renamed the field to {_quoted(new)}."), value=row.name))

    def field_options(self) -> None:
        """Pick a dropdown field; edit its options."""
        agent = self.app.agent
        self._with_field("Edit the options of which field?", lambda place, row: self._ask(
            f"Options of {one_line(row.name, 40)}", lambda options: self._call(
                lambda: field_edits.set_options(agent, place.list_id, row.name, options,
                                                row.version),
                lambda stored: f"{_quoted(row.name)} offers {', '.join(stored)}."),
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
                              lambda _: f"Removed the field {_quoted(row.name)}."))

        self._with_field("Remove which field?", lambda place, row: self._load(
            lambda: field_edits.usage(place.list_id, row.name),
            lambda held: ask(place, row, held)))
