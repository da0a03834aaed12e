"""A short list drawn as lines with a cursor: one section of the task screen.

`LineList(render_item)` shows a few items (the fields of a task, its checklist items, its
subtasks, its comments); each item is drawn by `render_item(item, width)` as one or more
lines of `Content`, wrapped to the width. j/k move the cursor, g/G jump to the ends,
ctrl+d/ctrl+u move half a screen, enter posts `Selected`. A focused empty list draws its
text in the cursor's colours, so that the focus is always seen. The list is as tall as its
lines and scrolls its screen's scroll container so that the cursor stays in view. It is for
short, bounded lists; unbounded ones use VirtualList.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from textual.binding import Binding
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from desk.screens.grammar import nav
from desk.screens.hints import key_hint

RenderItem = Callable[[Any, int], list[Content]]
"""Draws an item for a width: its lines, which the list wraps when longer."""


class LineList(Widget, can_focus=True):
    """Items drawn as lines, with a cursor item; enter posts `Selected`."""

    DEFAULT_CSS = """
    LineList {
        height: auto;
        & > .line-list--cursor {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .line-list--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
        & > .line-list--empty { color: $text-muted; text-style: italic; }
        &:focus > .line-list--empty {
            color: $block-cursor-foreground; background: $block-cursor-background;
        }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"line-list--cursor", "line-list--empty"}
    BINDINGS: ClassVar[list[Binding]] = [
        nav("nav.down", "move(1)"),
        nav("nav.up", "move(-1)"),
        nav("nav.top", "jump(0)"),
        nav("nav.bottom", "jump(-1)"),
        nav("nav.half_page_down", "half_page(1)"),
        nav("nav.half_page_up", "half_page(-1)"),
        nav("nav.open", "select"),
    ]

    cursor: reactive[int] = reactive(0, layout=False)

    class Selected(Message):
        """Enter was pressed on an item."""

        def __init__(self, line_list: LineList, item: Any) -> None:
            super().__init__()
            self.line_list = line_list
            self.item = item

        @property
        def control(self) -> LineList:
            """The list the item is in."""
            return self.line_list

    def __init__(self, render_item: RenderItem, *, empty: str = "",
                 id: str | None = None, classes: str | None = None) -> None:
        """`empty` is shown when there are no items. It is desk's own text, never data:
        binding ids in braces name the keys bound now ("{task.subtask} adds one")."""
        super().__init__(id=id, classes=classes)
        self.render_item = render_item
        self.empty = empty
        self.items: list[Any] = []
        self._layout: tuple[int, list[list[Content]]] | None = None

    def set_items(self, items: Sequence[Any], cursor: int | None = None) -> None:
        """Show `items`; the cursor stays where it was (or moves to `cursor`) within them."""
        self.items = list(items)
        self._layout = None
        wanted = self.cursor if cursor is None else cursor
        self.set_reactive(LineList.cursor, max(0, min(wanted, len(self.items) - 1)))
        self.refresh(layout=True)
        if self.has_focus:
            self.call_after_refresh(self.scroll_to_cursor)

    @property
    def current(self) -> Any | None:
        """The item under the cursor, or None when the list is empty."""
        return self.items[self.cursor] if self.items else None

    def index_of(self, predicate: Callable[[Any], bool]) -> int | None:
        """The index of the first item for which `predicate` is true, or None."""
        return next((index for index, item in enumerate(self.items) if predicate(item)), None)

    # --- keys --------------------------------------------------------------------------------

    def action_move(self, delta: int) -> None:
        """Move the cursor by `delta` items, within the ends."""
        if self.items:
            self.cursor = max(0, min(self.cursor + delta, len(self.items) - 1))

    def action_jump(self, index: int) -> None:
        """Put the cursor on the first (0) or the last (-1) item."""
        if self.items:
            self.cursor = index % len(self.items)

    def action_half_page(self, direction: int) -> None:
        """Move the cursor down (1) or up (-1) by the items of about half a screen of lines."""
        if not self.items:
            return
        blocks, lines, index = self.blocks(self.content_region.width), 0, self.cursor
        while 0 <= index + direction < len(blocks) and lines < self.screen.size.height // 2:
            index += direction
            lines += len(blocks[index])
        self.cursor = index

    def action_select(self) -> None:
        """Post `Selected` for the item under the cursor."""
        if self.items:
            self.post_message(self.Selected(self, self.current))

    def watch_cursor(self) -> None:
        """Redraw, and keep the cursor in view."""
        self.refresh()
        self.call_after_refresh(self.scroll_to_cursor)

    def on_focus(self) -> None:
        """Show the focused cursor and bring it into view."""
        self.refresh()
        self.call_after_refresh(self.scroll_to_cursor)

    def on_blur(self) -> None:
        """Show the cursor as blurred."""
        self.refresh()

    def notify_style_update(self) -> None:
        """The theme or styles changed: draw the items again with the new colours."""
        super().notify_style_update()
        self._layout = None

    def scroll_to_cursor(self) -> None:
        """Scroll the screen so that the cursor item is in view."""
        if not self.items or not self.region:
            return
        blocks = self.blocks(self.content_region.width)
        top = sum(len(block) for block in blocks[:self.cursor])
        height = len(blocks[self.cursor]) if self.cursor < len(blocks) else 1
        region = Region(0, self.virtual_region.y + self.styles.gutter.top + top,
                        self.size.width, min(height, 3))
        parent = self.parent
        if isinstance(parent, Widget):
            parent.scroll_to_region(region, animate=False, immediate=True)

    # --- drawing -----------------------------------------------------------------------------

    def blocks(self, width: int) -> list[list[Content]]:
        """The lines of each item for `width`, wrapped (cached per width)."""
        width = max(width, 1)
        if self._layout is None or self._layout[0] != width:
            drawn = []
            for item in self.items:
                lines = []
                for line in self.render_item(item, width) or [Content("")]:
                    lines.extend(line.wrap(width) if line.cell_length > width else [line])
                drawn.append(lines)
            self._layout = (width, drawn)
        return self._layout[1]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if not self.items:
            return 1
        return sum(len(block) for block in self.blocks(width))

    def render(self) -> Content:
        if not self.items:
            return key_hint(self, self.empty).stylize(self.get_visual_style("line-list--empty"))
        cursor_style = self.get_visual_style("line-list--cursor")
        lines: list[Content] = []
        for index, block in enumerate(self.blocks(self.content_region.width)):
            if index == self.cursor:
                width = self.content_region.width
                block = [line.pad_right(max(width - line.cell_length, 0)).stylize(cursor_style)
                         for line in block]
            lines.extend(block)
        return Content("\n").join(lines)
