"""The checklists of a task: nested items with [x]/[ ] and each checklist's progress.

`ChecklistPanel` draws every checklist as a heading line (name, done/total and a bar) with
its items indented under it, and changes them through desk.work.checklists in workers:
space or enter toggles, i adds an item, I adds one nested under the current item, e renames,
J/K move an item down/up among its siblings, delete removes it (after a confirmation; on a
checklist's heading, the whole checklist), L adds a checklist, U copies a template. After
each change it posts `Changed`, and the screen reloads; the cursor stays on the item that
changed.

An edit of an item names the version the panel read it at. When someone else changed the
item since, the conflict dialog shows it as it is now and as the edit would have left it:
overwrite makes the edit again, keep theirs shows the item as stored, and cancel reopens a
rename with what was typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any, ClassVar

from msgspec import Struct
from textual.binding import Binding
from textual.content import Content
from textual.message import Message

from desk.errors import ConflictError
from desk.pages import checklists as checklist_page
from desk.pages import task as task_page
from desk.screens.actions.calls import can_write, run_service
from desk.screens.dialogs.conflict import KEEP_THEIRS, OVERWRITE, ConflictScreen
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.prompt import PromptScreen
from desk.screens.hints import key_text
from desk.screens.safe import safe_line
from desk.screens.widgets.line_list import LineList
from desk.text import one_line
from desk.work import checklists
from desk.work.checklists import ChecklistView, ItemView

BAR = 10
"""Cells of a checklist's progress bar."""


class ChecklistLine(Struct, frozen=True):
    """A line of the panel: a checklist's heading (item None) or one of its items."""

    checklist_id: int
    name: str
    progress: tuple[int, int]
    item: ItemView | None = None
    parent_id: int | None = None
    depth: int = 0


def checklist_lines(views: Iterable[ChecklistView]) -> list[ChecklistLine]:
    """Each checklist's heading followed by its items, depth first."""
    lines: list[ChecklistLine] = []

    def add(view: ChecklistView, items: Sequence[ItemView], parent: int | None,
            depth: int) -> None:
        """The items under `parent`, each followed by its children."""
        for item in items:
            lines.append(ChecklistLine(view.id, view.name, view.progress, item, parent, depth))
            add(view, item.children, item.id, depth + 1)

    for view in views:
        lines.append(ChecklistLine(view.id, view.name, view.progress))
        add(view, view.items, None, 1)
    return lines


def draw_checklist_line(line: ChecklistLine, width: int) -> list[Content]:
    """A heading as "☰ Name  3/7 ███░░░░░░░", an item as an indented "[x] text"."""
    if line.item is None:
        done, total = line.progress
        filled = round(BAR * done / total) if total else 0
        bar = Content("█" * filled + "░" * (BAR - filled))
        return [Content("☰ ").stylize("bold") + safe_line(line.name).stylize("bold")
                + Content(f"  {done}/{total} ") + bar]
    mark = "[x] " if line.item.done else "[ ] "
    text = Content("  " * line.depth + mark) + safe_line(line.item.text)
    return [text.stylize("strike", len("  " * line.depth) + 4) if line.item.done else text]


class ChecklistPanel(LineList):
    """A task's checklists, changed from the keyboard; posts `Changed` after each change."""

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("space", "toggle", "Toggle", id="checklist.toggle"),
        Binding("enter", "toggle", "Toggle", show=False, id="checklist.toggle_enter"),
        Binding("i", "add_item", "Add item", id="checklist.add_item"),
        Binding("I", "add_nested", "Add nested", id="checklist.add_nested"),
        Binding("e", "rename", "Rename", id="checklist.rename"),
        Binding("J", "move_item(1)", "Move down", id="checklist.move_down"),
        Binding("K", "move_item(-1)", "Move up", id="checklist.move_up"),
        Binding("delete,backspace", "delete", "Delete", id="checklist.delete"),
        Binding("L", "add_checklist", "New checklist", id="checklist.add_checklist"),
        Binding("U", "apply_template", "From template", id="checklist.apply_template"),
    ]

    class Changed(Message):
        """A checklist or item was changed: the screen reloads."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(draw_checklist_line,
                         empty="No checklists yet: {checklist.add_checklist} adds one, "
                               "{checklist.apply_template} copies a template.", id=id)
        self.task_id: int | None = None
        self.follow: int | None = None
        """The item the cursor goes to at the next reload (one just added or moved)."""

    def show(self, task_id: int, views: Sequence[ChecklistView]) -> None:
        """Show the task's checklists, keeping the cursor on the item that changed."""
        self.task_id = task_id
        lines = checklist_lines(views)
        wanted = None
        if self.follow is not None:
            wanted = next((index for index, line in enumerate(lines)
                           if line.item is not None and line.item.id == self.follow), None)
            self.follow = None
        self.set_items(lines, wanted)

    # --- actions -------------------------------------------------------------------------------

    def action_toggle(self) -> None:
        """Tick or untick the item under the cursor."""
        line = self.current
        if line is None or line.item is None or not can_write(self, "tick checklist items"):
            return
        item = line.item
        self.change(item, lambda agent, version: checklists.set_done(agent, item.id, version,
                                                                     not item.done))

    def action_add_item(self) -> None:
        """Add an item next to the one under the cursor (at the top level on a heading)."""
        line = self.current
        if line is None:
            self.action_add_checklist()
            return
        if can_write(self, "add checklist items"):
            self.ask_item(f"New item in {line.name}", line.checklist_id, line.parent_id)

    def action_add_nested(self) -> None:
        """Add an item nested under the one under the cursor."""
        line = self.current
        if line is None or line.item is None:
            self.notify("Put the cursor on an item to nest a new one under it.",
                        severity="warning", markup=False)
            return
        if can_write(self, "add checklist items"):
            self.ask_item(f"New item under {line.item.text}", line.checklist_id, line.item.id)

    def ask_item(self, title: str, checklist_id: int, parent_id: int | None) -> None:
        """Ask for an item's text, then add it."""
        def added(text: str | None) -> None:
            if text:
                self.write(lambda agent: checklists.add_item(agent, checklist_id, text,
                                                             parent_id=parent_id), follow=True)
        self.app.push_screen(PromptScreen(title, parse=self.item_text), added)

    def action_rename(self) -> None:
        """Change the text of the item under the cursor."""
        line = self.current
        if line is None or line.item is None or not can_write(self, "rename checklist items"):
            return
        self.rename(line.item, line.item.text, line.item.version)

    def rename(self, item: ItemView, text: str, version: int | None, note: str = "") -> None:
        """Ask for the item's new text (starting from `text`), then save it at `version`."""
        def renamed(typed: str | None) -> None:
            if typed:
                self.change(item, lambda agent, read: checklists.rename_item(agent, item.id,
                                                                             read, typed),
                            version=version,
                            draft=lambda current, theirs: self.rename(item, typed, current,
                                                                      theirs))
        self.app.push_screen(PromptScreen("Rename item", parse=self.item_text, value=text,
                                          hint=note), renamed)

    def action_move_item(self, offset: int) -> None:
        """Move the item under the cursor among its siblings (-1 up, +1 down)."""
        line = self.current
        if line is None or line.item is None or not can_write(self, "reorder checklist items"):
            return
        item = line.item
        self.follow = item.id
        self.change(item, lambda agent, version: checklists.move_item(agent, item.id, version,
                                                                      offset))

    def action_delete(self) -> None:
        """Delete the item under the cursor and what is nested under it, or, on a
        checklist's heading, the whole checklist; once confirmed."""
        line = self.current
        if line is None or not can_write(self, "delete checklist items"):
            return
        if line.item is None:
            self.delete_checklist(line)
            return
        item = line.item
        nested = _count(item.children)
        what = f"Delete “{item.text}”" + (f" and the {nested} items under it" if nested else "")

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.change(item, lambda agent, version: checklists.delete_item(agent, item.id,
                                                                                version))
        self.app.push_screen(PickScreen("Delete this checklist item?",
                                        [(what, True), ("Keep it", False)]), confirmed)

    def delete_checklist(self, heading: ChecklistLine) -> None:
        """Delete the checklist of `heading` with all its items, once confirmed, at the items
        shown (someone's change since refuses it and shows the checklist as stored)."""
        seen = [(line.item.id, line.item.version) for line in self.items
                if line.checklist_id == heading.checklist_id and line.item is not None]
        count = f"{len(seen)} item{'' if len(seen) == 1 else 's'}"
        checklist_id = heading.checklist_id

        def refused(error: Exception) -> bool:
            if not isinstance(error, ConflictError):
                return False
            self.notify("Someone changed this checklist since it was shown; nothing was "
                        "deleted. Here it is as stored.", severity="warning", markup=False)
            self.post_message(self.Changed())
            return True

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.write(lambda agent: checklists.delete_checklist(agent, checklist_id, seen),
                           failed=refused)
        self.app.push_screen(PickScreen("Delete this whole checklist?",
                                        [(f"Delete “{one_line(heading.name, 60)}” and its "
                                          f"{count}", True), ("Keep it", False)]), confirmed)

    def action_add_checklist(self) -> None:
        """Add an empty checklist to the task."""
        task_id = self.task_id
        if task_id is None or not can_write(self, "add checklists"):
            return

        def named(name: str | None) -> None:
            if name:
                self.write(lambda agent: checklists.add_checklist(agent, task_id, name))
        self.app.push_screen(PromptScreen("New checklist", parse=self.item_text,
                                          placeholder="its name"), named)

    def action_apply_template(self) -> None:
        """Copy a checklist template into a new checklist of the task."""
        task_id = self.task_id
        if task_id is None or not can_write(self, "add checklists"):
            return

        def chosen(name: str | None) -> None:
            if name:
                self.write(lambda agent: checklists.apply_template(agent, task_id, name))

        def pick(names: list[str]) -> None:
            if not names:
                self.notify("There are no checklist templates yet.", markup=False)
                return
            self.app.push_screen(PickScreen("Copy a checklist template",
                                            [(name, name) for name in names]), chosen)
        run_service(self, task_page.template_names, done=pick)

    def item_text(self, text: str) -> str:
        """The prompts' check of a typed name or item text: not empty."""
        if not text.strip():
            raise ValueError(key_text(self, "Type the text first ({prompt.cancel} cancels).",
                                      among=(PromptScreen,)))
        return text.strip()

    def write(self, change: Callable[[Any], Any], *, follow: bool = False,
              failed: Callable[[Exception], bool] | None = None) -> None:
        """Run `change(agent)` in a worker, then post Changed (`follow`: the cursor goes to
        the id it returns); `failed` may handle an error (else it is a notice)."""
        agent = self.app.agent

        def done(result: Any) -> None:
            if follow and isinstance(result, int):
                self.follow = result
            self.post_message(self.Changed())
        run_service(self, lambda: change(agent), done=done, failed=failed)

    def change(self, item: ItemView, edit: Callable[[Any, int], Any], *,
               version: int | None = None,
               draft: Callable[[int, str], None] | None = None) -> None:
        """Run `edit(agent, version)` on `item` at the version it was read at (or `version`);
        someone else's change since opens the conflict dialog (see `conflicted`)."""
        read = item.version if version is None else version
        self.write(lambda agent: edit(agent, read),
                   failed=partial(self.conflicted, item, edit, draft))

    def conflicted(self, item: ItemView, edit: Callable[[Any, int], Any],
                   draft: Callable[[int, str], None] | None, error: Exception) -> bool:
        """A refused stale edit: show the item as it is now and as the edit wanted it. Then
        overwrite (the edit again, at the version now stored), keep theirs, or cancel: back to
        `draft(version now stored, their state)` when the edit had one (a typed text). Other
        errors are left to the usual notice."""
        if not isinstance(error, ConflictError) or self.task_id is None:
            return False
        task_id, zone, current = self.task_id, self.app.settings.tz, error.current_version

        def decided(rows: list[task_page.ConflictRow], choice: str | None) -> None:
            if choice == OVERWRITE:
                self.change(item, edit, version=current, draft=draft)
                return
            self.post_message(self.Changed())
            if choice == KEEP_THEIRS:
                self.notify("Kept theirs; your change was not saved.", markup=False)
            elif draft is not None:
                draft(current, one_line(f"theirs: {rows[0].theirs} "
                                        f"(saved by {rows[0].changed_by})", 200))

        run_service(self, lambda: checklist_page.item_conflict_rows(error, task_id, zone),
                    done=lambda rows: self.app.push_screen(ConflictScreen(rows),
                                                           partial(decided, rows)))
        return True


def _count(items: Sequence[ItemView]) -> int:
    """How many items a subtree holds."""
    return sum(1 + _count(item.children) for item in items)
