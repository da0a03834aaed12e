"""Checklist templates: named trees of items that orders, lists and people copy onto tasks.

`TemplatesScreen` (palette: "Checklist templates") lists the templates with the list they
apply to automatically and their number of items. `n` writes a new one, enter edits the items
of the one under the cursor, `r` renames it, `l` sets the list whose new tasks get it, and
delete removes it after a confirmation (checklists already copied onto tasks stay).
Each change names the version the screen read; when someone else changed the template since,
the conflict dialog shows their value and yours: overwrite saves yours over theirs, keep
theirs drops yours, and cancel reopens the editor with what was typed. What is typed into
a template's items is kept as a draft until it is saved (desk.screens.actions.drafts);
`TemplatesScreen(template_id, then="edit")` opens that template's items at once.

Items are edited as an outline in a text area, one item per line, nested by indenting two
spaces more than the parent (a `- ` or `* ` in front is allowed):

    Confirm the order with the client
    Prepare the device
      Install updates
      Install the client's software
    Hand over
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, ClassVar

from textual.binding import Binding
from textual.content import Content

from desk.errors import ConflictError, InvalidInput
from desk.pages import checklists as checklist_page
from desk.pages.task import ConflictRow
from desk.screens.actions.calls import can_write, run_service
from desk.screens.actions.drafts import DraftKeeper, Keepers
from desk.screens.dialogs.conflict import KEEP_THEIRS, OVERWRITE, ConflictScreen
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.prompt import PromptScreen
from desk.screens.dialogs.write_text import WriteTextScreen
from desk.screens.grammar import nav
from desk.screens.safe import safe
from desk.screens.screens.record_list import RecordListScreen
from desk.screens.widgets.line_list import LineList
from desk.text import one_line
from desk.work import checklists, workspace
from desk.work.checklists import ItemView, TemplateView

INDENT = 2
"""Spaces per level of nesting in the outline."""

OUTLINE_HINT = "One item per line; indent by two spaces to nest under the line above."


def outline_text(items: Sequence[ItemView], depth: int = 0) -> str:
    """A template's items as the outline the editor shows."""
    lines = []
    for item in items:
        lines.append(" " * INDENT * depth + item.text)
        if item.children:
            lines.append(outline_text(item.children, depth + 1))
    return "\n".join(lines)


def outline_items(text: str) -> list[Any]:
    """The nested items of an outline, in the shape `checklists.create_template` takes (a
    text, or {text: [children]}). Raises InvalidInput naming the line of a bad indent."""
    root: list[Any] = []
    stack: list[tuple[int, list[Any]]] = [(-1, root)]  # (indent, the children list)
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        entry = raw.strip().removeprefix("- ").removeprefix("* ").strip()
        while stack[-1][0] >= indent:
            stack.pop()
        parent_indent, children = stack[-1]
        if parent_indent >= 0 and indent > parent_indent + INDENT:
            raise InvalidInput(f"line {number}: indent by {INDENT} spaces more than the line "
                               f"above to nest, not {indent - parent_indent}")
        if children is root and indent and not root:
            raise InvalidInput(f"line {number}: the first item cannot be indented")
        node: dict[str, list[Any]] = {entry: []}
        children.append(node)
        stack.append((indent, node[entry]))
    return [_plain(node) for node in root]


def _plain(node: dict[str, list[Any]]) -> Any:
    """An outline node without children as its text alone."""
    (text, children), = node.items()
    return {text: [_plain(child) for child in children]} if children else text


class TemplatesScreen(RecordListScreen):
    """The checklist templates, editable from the keyboard."""

    TITLE = "Checklist templates"
    BINDINGS: ClassVar[list[Binding]] = [
        nav("nav.back", "app.pop_screen", show=True),
        Binding("n", "new", "New", id="templates.new"),
        nav("nav.open", "edit", "Edit items", show=True),
        Binding("r", "rename", "Rename", id="templates.rename"),
        Binding("l", "set_list", "List", id="templates.list"),
        Binding("delete", "delete", "Delete", id="templates.delete"),
    ]

    def __init__(self, template_id: int | None = None, then: str | None = None) -> None:
        """`then`: an action to run on template `template_id` once the templates are shown."""
        super().__init__()
        self.list_names: list[str] = []
        """The names of the lists, for `l`."""
        self.template_id, self.then = template_id, then
        self.keepers = Keepers(self)
        """The drafts of the items editors opened here."""

    HINT = ("{templates.new} new · {nav.open} edits the items · {templates.rename} rename · "
            "{templates.list} the list it applies to · {templates.delete} removes")
    EMPTY = "No templates yet: {templates.new} writes one."
    LIST_ID = "templates-list"

    def load(self) -> tuple[list[TemplateView], list[str]]:
        """In a worker: the templates, and the names of the lists (for `l`)."""
        names = [found["name"] for space in workspace.tree() for found in space["lists"]]
        return checklists.templates(), names

    def show(self, loaded: tuple[list[TemplateView], list[str]]) -> None:
        """Show the templates as loaded."""
        templates, self.list_names = loaded
        shown = self.query_one(LineList)
        shown.set_items(templates)
        if self.then is not None:
            action, self.then = self.then, None
            index = shown.index_of(lambda template: template.id == self.template_id)
            if index is not None:
                shown.cursor = index
                self.call_later(self.run_action, action)

    def render_item(self, template: TemplateView, width: int) -> list[Content]:
        """One template: name, number of items, the list it applies to."""
        count = template.item_count
        applies = f" · new tasks of {template.list_name}" if template.list_name else ""
        return [safe(f"{template.name} · {count} item{'s' if count != 1 else ''}{applies}")]

    def writable(self) -> bool:
        """Whether the agent may change templates (a viewer is told why not)."""
        return can_write(self, "change checklist templates")

    # --- keys -------------------------------------------------------------------------------

    def action_new(self) -> None:
        """Ask a name, then the items."""
        if not self.writable():
            return
        agent = self.app.agent

        def named(name: str | None) -> None:
            if name:
                self.edit_items(name, "", lambda items, _outline: self.write(
                    lambda: checklists.create_template(agent, name, items)))

        self.app.push_screen(PromptScreen("New checklist template: its name"), named)

    def action_edit(self) -> None:
        """Edit the items of the current template."""
        template = self.current
        if template is not None and self.writable():
            self.edit_template_items(template, outline_text(template.items), template.version)

    def edit_template_items(self, template: TemplateView, text: str, version: int,
                            note: str = "") -> None:
        """The outline editor on `text` (a draft kept before is offered back, unless `note`
        says why the editor reopens); what is written replaces the items of the template
        read at `version`, and its draft goes."""
        agent = self.app.agent
        keeper = self.keepers.new("template", template.id, restore=not note)

        def save(items: list[Any], outline: str) -> None:
            def write(read: int) -> object:
                written = checklists.update_template(agent, template.id, read, items=items)
                keeper.drop()
                return written

            self.save(template, write, version=version,
                      draft=lambda current, theirs: self.edit_template_items(
                          template, outline, current, theirs))

        self.edit_items(template.name, text, save, note, keeper)

    def edit_items(self, name: str, text: str, save: Callable[[list[Any], str], Any],
                   note: str = "", keeper: DraftKeeper | None = None) -> None:
        """The outline editor (its text kept by `keeper`); `save(items, outline)` gets what
        was written. A bad indent reopens it with the draft and the reason."""
        def written(outline: str | None) -> None:
            if outline is None:
                return
            try:
                items = outline_items(outline)
            except InvalidInput as error:
                self.notify(str(error), severity="error", markup=False)
                if keeper is not None:
                    keeper.restore = False  # reopens on what was just typed
                self.edit_items(name, outline, save, note, keeper)
                return
            save(items, outline)

        self.app.push_screen(WriteTextScreen(f"Items of {name}", text, lead=OUTLINE_HINT,
                                             note=note, keeper=keeper), written)

    def action_rename(self) -> None:
        """Rename the current template."""
        template = self.current
        if template is not None and self.writable():
            self.rename(template, template.name, template.version)

    def rename(self, template: TemplateView, value: str, version: int, note: str = "") -> None:
        """Ask the template's new name (starting from `value`), then save it at `version`."""
        agent = self.app.agent

        def named(name: str | None) -> None:
            if name is not None:
                self.save(template, lambda read: checklists.update_template(
                    agent, template.id, read, name=name), version=version,
                    draft=lambda current, theirs: self.rename(template, name, current, theirs))

        self.app.push_screen(PromptScreen("Rename the template", value=value, hint=note), named)

    def action_set_list(self) -> None:
        """Choose the list whose new tasks get the current template, or none."""
        template = self.current
        if template is None or not self.writable():
            return
        agent = self.app.agent

        def chosen(name: str | None) -> None:
            if name is not None:
                self.save(template, lambda read: checklists.update_template(
                    agent, template.id, read, list_name=name or None))

        self.app.push_screen(
            PickScreen("New tasks of which list get it?",
                       [("(no list: applied by hand or by product)", ""),
                        *((name, name) for name in self.list_names)]), chosen)

    def action_delete(self) -> None:
        """Delete the current template once confirmed."""
        template = self.current
        if template is None or not self.writable():
            return
        agent = self.app.agent
        self.app.push_screen(
            PickScreen(f"Delete the template {template.name}? Checklists copied from it stay.",
                       [("Delete it", True), ("Keep it", False)]),
            lambda yes: not yes or self.save(
                template, lambda read: checklists.delete_template(agent, template.id, read),
                deleting=True))

    # --- saving -----------------------------------------------------------------------------

    def save(self, template: TemplateView, edit: Callable[[int], Any], *,
             version: int | None = None, draft: Callable[[int, str], None] | None = None,
             deleting: bool = False) -> None:
        """Run `edit(version)` on `template` at the version it was read at (or `version`), then
        read the templates again; someone else's change since opens the conflict dialog (see
        `conflicted`), other refusals are a notice."""
        read = template.version if version is None else version
        run_service(self, lambda: edit(read), done=self.reload,
                    failed=partial(self.conflicted, template, edit, read, draft, deleting))

    def conflicted(self, template: TemplateView, edit: Callable[[int], Any], read: int,
                   draft: Callable[[int, str], None] | None, deleting: bool,
                   error: Exception) -> bool:
        """A refused stale change: their values and yours in the conflict dialog. Then
        overwrite (the change again, at the version now stored), keep theirs, or cancel: back
        to `draft(version now stored, their values)` when the change had one (a typed name or
        outline). Other errors are left to the usual notice."""
        self.reload()
        if not isinstance(error, ConflictError):
            return False
        zone, current = self.app.settings.tz, error.current_version

        def decided(rows: list[ConflictRow], choice: str | None) -> None:
            if choice == OVERWRITE:
                self.save(template, edit, version=current, draft=draft, deleting=deleting)
            elif choice == KEEP_THEIRS:
                self.notify("Kept theirs; your change was not saved.", markup=False)
            elif draft is not None:
                theirs = "; ".join(f"theirs: {row.theirs} (saved by {row.changed_by})"
                                   for row in rows)
                draft(current, one_line(theirs, 200))

        run_service(self, lambda: checklist_page.template_conflict_rows(
            error, read, zone, deleting=deleting),
            done=lambda rows: self.app.push_screen(ConflictScreen(rows), partial(decided, rows)))
        return True
