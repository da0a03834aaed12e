"""Shaping the workspace from the keyboard: the sidebar's keys and the palette's commands.

`Shaper(sidebar)` acts on the list or space under the sidebar's cursor: it asks what it needs
with the prompt and picker dialogs, asks yes or no (no highlighted) before a change that
hides or moves tasks, naming how many, and calls the services (desk.work.shaping.arranging,
status_edits, field_edits) in a worker. The services check that the agent is an admin, as
the database has it, before they write; a refusal or a mistake is one notice and changes
nothing. Spaces and lists are here; statuses and custom fields in their own modules
(status_shaping, field_shaping), on the dialogs of shaping_base.
"""

from __future__ import annotations

from desk.kernel.agents import require_admin
from desk.screens.actions.shaping.base import quoted
from desk.screens.actions.shaping.fields import FieldShaping
from desk.screens.actions.shaping.statuses import StatusShaping
from desk.screens.dialogs.pick import Choice
from desk.screens.widgets.places import SpaceEntry
from desk.text import counted, one_line
from desk.work import workspace
from desk.work.shaping import arranging

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


class Shaper(StatusShaping, FieldShaping):
    """The shaping operations on the sidebar's current list or space (see the module)."""

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
            self._call(call, lambda _: f"Added the space {quoted(name)}.")

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
            self._call(call, lambda made: f"Added the list {quoted(made.name)} to "
                                          f"{quoted(made.space)}.")

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
                           lambda _: f"Renamed the space to {quoted(new)}.")
            else:
                self._call(lambda: workspace.rename_list(agent, str(target.list_id), new,
                                                          target.version),
                           lambda _: f"Renamed the list to {quoted(new)}.")

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
            return (f"Archived {quoted(done.name)} and kept its {counted(done.tasks, 'task')}:"
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
                       lambda done: f"Restored {quoted(done.name)} with its "
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
                       lambda moved: f"Moved the list to {quoted(moved.space)}."))

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
                           lambda _: f"Moved the space {quoted(target.name)}.")
            return
        lists = next((space["lists"] for space in shape if space["name"] == target.space), [])
        places = [entry["id"] for entry in lists]
        position = places.index(target.list_id) + 1 + delta if target.list_id in places else 0
        if 1 <= position <= len(places):
            self._call(lambda: arranging.reorder_list(agent, str(target.list_id), position,
                                                      target.version),
                       lambda _: f"Moved the list {quoted(target.name)}.")
