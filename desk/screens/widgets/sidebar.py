"""The sidebar of the Tasks mode: the workspace's spaces and their lists, as a tree.

Spaces and lists are few (people make them by hand), so a Textual `Tree` holding all of them
is right here; tasks never go in it. The tree loads itself through `workspace.tree()` in a
worker and says which list was chosen with `Sidebar.Chosen`. "All tasks" on top shows the
whole workspace. An admin shapes the workspace from here: keys for the list or space under
the cursor (new list, rename, archive, move to another space, move up and down), run by
desk.screens.actions.shaping.commands.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from desk.screens.actions.calls import run_service
from desk.screens.actions.shaping.commands import Shaper
from desk.screens.grammar import half_screen, nav
from desk.screens.safe import safe_line
from desk.screens.widgets.places import Place, SpaceEntry
from desk.work import workspace

ALL_TASKS = "All tasks"


def places(tree: list[dict[str, Any]]) -> list[Place]:
    """Every list of `workspace.tree()` output as a Place, in the sidebar's order."""
    return [Place(item["id"], item["name"], space["name"], item["version"])
            for space in tree for item in space["lists"]]


def default_place(tree: list[dict[str, Any]], wanted: str) -> Place:
    """The list named `wanted` ("List", "Space/List" or an id, ignoring case), else the first
    list, else the whole workspace."""
    found = places(tree)
    text = wanted.strip().lower()
    for place in found:
        names = {place.name.lower(), f"{place.space}/{place.name}".lower(), str(place.list_id)}
        if text in names:
            return place
    return found[0] if found else Place(None, ALL_TASKS)


class Sidebar(Tree[Place | SpaceEntry]):
    """Spaces and their lists; `enter` (or a click) on a list shows it."""

    DEFAULT_CSS = """
    Sidebar {
        width: 24; height: 1fr; background: $panel; border-right: vkey $primary 30%;
        padding: 0 0;
        &.-hidden { display: none; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        nav("nav.down", "cursor_down"),
        nav("nav.up", "cursor_up"),
        nav("nav.top", "scroll_home"),
        nav("nav.bottom", "scroll_end"),
        nav("nav.half_page_down", "half_page(1)"),
        nav("nav.half_page_up", "half_page(-1)"),
        nav("nav.open", "select_cursor", "Show list", show=True),
        Binding("n", "shape('new_list')", "New list", id="sidebar.new_list"),
        Binding("r", "shape('rename')", "Rename", id="sidebar.rename"),
        Binding("a", "shape('archive')", "Archive", id="sidebar.archive"),
        Binding("m", "shape('move_list')", "Move to space", id="sidebar.move"),
        Binding("K", "shape('reorder', -1)", "Move up", show=False, id="sidebar.move_up"),
        Binding("J", "shape('reorder', 1)", "Move down", show=False, id="sidebar.move_down"),
    ]

    class Loaded(Message):
        """The tree arrived: `tree` is `workspace.tree()`'s answer."""

        def __init__(self, tree: list[dict[str, Any]]) -> None:
            """The workspace's spaces and lists."""
            super().__init__()
            self.tree = tree

    class Chosen(Message):
        """A list (or the whole workspace) was chosen."""

        def __init__(self, place: Place) -> None:
            """The chosen place."""
            super().__init__()
            self.place = place

    def __init__(self, *, id: str | None = None) -> None:
        """An empty tree; `load()` fills it."""
        super().__init__(Text("Workspace"), id=id)
        self.show_root = False
        self.guide_depth = 2
        self._shape: list[dict[str, Any]] | None = None

    def on_mount(self) -> None:
        """Load the spaces and lists."""
        self.load()

    def load(self) -> None:
        """Read the workspace tree in a worker; it is drawn again only when it changed. Only
        the newest load's tree is drawn: when a dialog closes the screen resumes and loads,
        then the change the dialog confirmed is made and loads again, and the first tree,
        read before the change, may come back last."""
        run_service(self, workspace.tree, done=self._arrived, group="sidebar", newest=True)

    def _arrived(self, tree: list[dict[str, Any]]) -> None:
        """Fill the tree (keeping the cursor's place) and tell the screen."""
        if tree != self._shape:
            chosen = self.cursor_node.data if self.cursor_node is not None else None
            self._shape = tree
            self.clear()
            self.root.add_leaf(_label(ALL_TASKS, bold=True), data=Place(None, ALL_TASKS))
            for position, space in enumerate(tree, start=1):
                node = self.root.add(_label(space["name"], bold=True), expand=True,
                                     allow_expand=True, data=SpaceEntry(
                                         space["id"], space["name"], space["version"], position))
                for item in space["lists"]:
                    node.add_leaf(_label(item["name"]), data=Place(
                        item["id"], item["name"], space["name"], item["version"]))
            if chosen is not None:  # once the new entries have their lines
                self.call_after_refresh(self.show_place, chosen)
        self.post_message(self.Loaded(tree))

    def show_place(self, place: Place | SpaceEntry) -> None:
        """Put the cursor on `place`'s entry (when it is in the tree)."""
        node = self._find(self.root, place)
        if node is not None:
            self.move_cursor(node, animate=False)

    def _find(self, node: TreeNode[Place | SpaceEntry], place: Place | SpaceEntry
              ) -> TreeNode[Place | SpaceEntry] | None:
        """The entry of a list (or of "All tasks") or of a space under `node`."""
        for child in node.children:
            found = child.data
            if isinstance(place, Place) and isinstance(found, Place) and \
                    found.list_id == place.list_id:
                return child
            if isinstance(place, SpaceEntry) and isinstance(found, SpaceEntry) and \
                    found.id == place.id:
                return child
            if deeper := self._find(child, place):
                return deeper
        return None

    @property
    def shape(self) -> list[dict[str, Any]]:
        """The workspace tree as last loaded (empty before it arrived)."""
        return self._shape or []

    def current(self) -> Place | SpaceEntry | None:
        """The list or space under the cursor (None on "All tasks" or before loading)."""
        found = self.cursor_node.data if self.cursor_node is not None else None
        return None if isinstance(found, Place) and found.list_id is None else found

    def action_half_page(self, direction: int) -> None:
        """Move the cursor half the sidebar's height down (1) or up (-1)."""
        self.cursor_line = max(0, min(self.cursor_line + direction * half_screen(self),
                                      self.last_line))

    def action_shape(self, operation: str, *arguments: int) -> None:
        """Run a shaping operation on the list or space under the cursor."""
        getattr(Shaper(self), operation)(*arguments)

    def on_tree_node_selected(self, event: Tree.NodeSelected[Place]) -> None:
        """A list was picked: say so (a space only folds or unfolds)."""
        event.stop()
        if isinstance(event.node.data, Place):
            self.post_message(self.Chosen(event.node.data))


def _label(name: str, bold: bool = False) -> Text:
    """A tree label from stored text: never markup, control characters made visible."""
    return Text(safe_line(name).plain, style="bold" if bold else "")
