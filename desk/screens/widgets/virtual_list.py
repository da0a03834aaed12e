"""A virtual list: one line per row, for lists of any length (a million rows as fast as ten).

The widget holds what is on screen and small caches, nothing more. Rows come from a
`RowSource` (desk.screens.widgets.list_rows) in pages of 100, fetched in thread workers (never
on the UI thread) into an LRU of 64 pages; drawn lines are kept in an LRU of `Strip`s. A row
whose page has not arrived shows as a dim placeholder. Marks are row keys, and "mark all" is
a flag plus exceptions, so it works without loading a single row. `x` marks (or unmarks) and
moves down; `M` marks every row from the last one `x` marked to the cursor.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import partial
from math import ceil
from operator import attrgetter
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events, on
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip

from desk.screens.grammar import nav
from desk.screens.widgets.finished_lines import finished
from desk.screens.widgets.list_rows import Marks, Page, RenderRow, RowSource
from desk.screens.widgets.row_marking import RowMarking
from desk.text import one_line

PAGE_SIZE, PAGE_CACHE = 100, 64
STRIP_CACHE = 512
"""Drawn lines kept: the rows in view, under the cursor or not, on a terminal of up to 250
lines. A line of the inbox at 120 columns is a few KB of segments; 4,096 lines kept 10.6 MiB
more for an agent who paged through a long list, lines drawn again (0.15 ms) if it returns."""


def _thumb(bar: ScrollBar, position: float) -> list[Segment]:
    """The cells of a vertical scrollbar with its thumb at `position`, as Textual draws them."""
    window = bar.window_size if bar.window_size < bar.window_virtual_size else 0
    drawn = ScrollBarRender.render_bar(
        size=bar.size.height, virtual_size=ceil(bar.window_virtual_size),
        window_size=ceil(window), position=bar.validate_position(position),
        thickness=bar.thickness)
    return drawn.segments


class _Result(Message, bubble=False):
    """A worker's answer: the count (number -1) or a page, or the error it raised."""

    def __init__(self, generation: int, number: int, result: Any, error: Exception | None):
        """The answer for page `number` of reload `generation`."""
        super().__init__()
        self.generation, self.number, self.result, self.error = generation, number, result, error


class _RowMessage(Message):
    """A message about the row at `index` (`row` is None while it is not loaded)."""

    def __init__(self, index: int, row: Any) -> None:
        """About row `index`."""
        super().__init__()
        self.index, self.row = index, row


class VirtualList(RowMarking, ScrollView, can_focus=True):
    """A keyboard-driven list over a `RowSource`, one line per row, of any length."""

    DEFAULT_CSS = """
    VirtualList {
        height: 1fr; overflow-x: hidden; background: $surface; color: $foreground;
        & > .virtual-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        &:focus > .virtual-list--cursor {
            background: $block-cursor-background; color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .virtual-list--marked { background: $accent 25%; }
        & > .virtual-list--placeholder { color: $text-muted; }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-list--cursor", "virtual-list--marked", "virtual-list--placeholder"}
    BINDINGS: ClassVar[list[BindingType]] = [
        nav("nav.down", "move(1)"),
        nav("nav.up", "move(-1)"),
        nav("nav.top", "move_to(0)"),
        nav("nav.bottom", "move_to(-1)"),
        nav("nav.half_page_down", "page(0.5)"),
        nav("nav.half_page_up", "page(-0.5)"),
        nav("nav.page_down", "page(1)"),
        nav("nav.page_up", "page(-1)"),
        nav("nav.mark", "toggle_mark", show=True),
        nav("nav.mark_all", "toggle_mark_all", show=True),
        nav("nav.mark_range", "mark_range"),
        nav("nav.open", "select", show=True),
    ]

    class CursorMoved(_RowMessage):
        """The cursor is on row `index`; `row` is None until its page arrives (then this
        message is posted again with the row)."""

    class Selected(_RowMessage):
        """`enter` (or a double click) on `row` at `index`."""

    class MarksChanged(Message):
        """The marks changed: `count` rows are marked now, `marks` says which."""

        def __init__(self, marks: Marks) -> None:
            """The marks as they are now."""
            super().__init__()
            self.count, self.marks = marks.count, marks

    def __init__(self, source: RowSource | None, render_row: RenderRow, *,
                 row_key: Callable[[Any], Hashable] = attrgetter("id"),
                 page_size: int = PAGE_SIZE, name: str | None = None,
                 id: str | None = None, classes: str | None = None) -> None:
        """A list over `source` drawn by `render_row`; `row_key(row)` is a row's stable id."""
        super().__init__(name=name, id=id, classes=classes)
        self._source, self._render_row, self._row_key = source, render_row, row_key
        self._page_size = page_size
        self._strips: LRUCache[tuple, Strip] = LRUCache(STRIP_CACHE)
        self._bases: dict[str, Style] = {}  # the style under a line, by component ("": none)
        self._pages: LRUCache[int, Page] = LRUCache(PAGE_CACHE)
        self._generation, self._total, self._extent = 0, None, 0  # count; rows seen before it
        self._marked: set[Hashable] = set()
        self._all_marked = False
        self._anchor: int | None = None  # the row `x` marked last: where `M` starts
        self.cursor = 0
        self._reset(keep_rows=False)

    @property
    def row_count(self) -> int:
        """Rows in the list as far as known: the count, or the rows loaded before it."""
        return self._total if self._total is not None else self._extent

    def row_at(self, index: int) -> Any:
        """The loaded row at `index`, or None."""
        return self._lookup(index)[0]

    def rows_in_view(self) -> list[Any]:
        """The loaded rows on screen now, top to bottom."""
        top, height = self.scroll_offset.y, self.scrollable_content_region.height
        rows = (self.row_at(index) for index in range(top, min(top + height, self.row_count)))
        return [row for row in rows if row is not None]

    def redraw(self) -> None:
        """Draw every row again (what the row drawer shows besides the row changed)."""
        self._forget_drawn()
        self.refresh()

    def set_source(self, source: RowSource | None) -> None:
        """Show another list: caches, count, cursor and marks start afresh."""
        self._source = source
        self._reset(keep_rows=False)
        self._total, self._extent, self.cursor = None, 0, 0
        self._anchor = None
        if self._marked or self._all_marked:
            self._marked, self._all_marked = set(), False
            self.post_message(self.MarksChanged(self.marks))
        self.virtual_size = Size(0, 0)
        self.scroll_to(y=0, animate=False)
        self._start()

    def reload(self, keep_cursor: bool = True, follow: Hashable | None = None, *,
               stay: bool = False) -> None:
        """Count and fetch again because rows changed; old rows show until new ones arrive.

        With `keep_cursor` the cursor follows its row if it is still within a page of where
        it was (else it keeps its index); otherwise it goes to the top. With `stay` it keeps
        its index and the view its place: the row that comes there is under it (after a
        verb moved the row away). With `follow` it goes to the row of that key instead,
        found on the first page or near the cursor (a row that moved into this list). A
        reload before the last one's rows arrived goes on with what that one sought (the
        row under the cursor then is from before it). Marks are kept."""
        row, fresh = self._lookup(self.cursor)
        if follow is not None:
            key = follow
        elif not keep_cursor or stay:
            key = None
        elif fresh:
            key = self._row_key(row)
        else:
            key = self._seek[0] if self._seek else None
        self._reset(keep_rows=True)
        if not keep_cursor:
            self.move_cursor(0)
        elif key is not None:
            near = self.cursor // self._page_size
            first = [0] if follow is not None else []
            self._seek = (key, {*first, near - 1, near, near + 1} - {-1})
            for number in sorted(self._seek[1]):
                self._request(number)
        self._start()

    def replace_row(self, index: int, row: Any) -> None:
        """Show `row` at `index` instead of the loaded one (the same row read again), until
        the next reload."""
        number, offset = divmod(index, self._page_size)
        for pages in (self._pages, self._stale):
            page = pages.get(number)
            if page is not None and offset < len(page.rows):
                page.rows[offset] = row
        self._forget_drawn()
        self.refresh_row(index)
        if index == self.cursor:
            self._announce()

    def move_cursor(self, index: int) -> None:
        """Put the cursor on row `index` (clamped) and scroll so that it stays in view."""
        if not self.row_count:
            return
        index, old = max(0, min(index, self.row_count - 1)), self.cursor
        self.cursor, top = index, self.scroll_offset.y
        height = self.scrollable_content_region.height
        if index < top:
            self.scroll_to(y=index, animate=False)
        elif height and index >= top + height:
            self.scroll_to(y=index - height + 1, animate=False)
        self.refresh_row(old)
        self.refresh_row(index)
        if index != old or not self._announced:
            self._announce()

    def refresh_row(self, index: int) -> None:
        """Repaint row `index` if it is in view: its cells only, not the scrollbar's."""
        self.refresh(Region(0, index - self.scroll_offset.y,
                            self.scrollable_content_region.width, 1))

    def action_move(self, delta: int) -> None:
        """Move the cursor `delta` rows."""
        self.move_cursor(self.cursor + delta)

    def action_move_to(self, index: int) -> None:
        """Move the cursor to row `index`; -1 is the last row."""
        self.move_cursor(index if index >= 0 else self.row_count + index)

    def action_page(self, pages: float) -> None:
        """Scroll the view and the cursor by `pages` screens (0.5 is half a screen)."""
        delta = int(max(self.scrollable_content_region.height, 2) * pages)
        self.scroll_to(y=self.scroll_offset.y + delta, animate=False)
        self.move_cursor(self.cursor + delta)

    def action_select(self) -> None:
        """Post `Selected` for the row under the cursor, once it has loaded."""
        if (row := self.row_at(self.cursor)) is not None:
            self.post_message(self.Selected(self.cursor, row))

    def render_line(self, y: int) -> Strip:
        """Line `y` of the view: row `scroll_y + y`, a placeholder while it loads, or blank."""
        index, width = self.scroll_offset.y + y, self.scrollable_content_region.width
        if index >= self.row_count or width <= 0:
            return Strip.blank(max(width, 0), self.rich_style)
        row, fresh = self._lookup(index)
        if not fresh:
            self._request(index // self._page_size)
        if row is None:
            failed = index // self._page_size in self._failed
            style = self.get_component_rich_style("virtual-list--placeholder")
            text = "  ⚠ not loaded" if failed else "  …"
            return Strip([Segment(text, style)]).adjust_cell_length(width, self.rich_style)
        key = self._row_key(row)
        cache_key = (fresh, key, index == self.cursor, (key in self._marked) != self._all_marked,
                     width)
        if (strip := self._strips.get(cache_key)) is None:
            strip = self._strips[cache_key] = self._draw(row, *cache_key[2:])
        return strip

    def _draw(self, row: Any, selected: bool, marked: bool, width: int) -> Strip:
        """Draw one row over the cursor, mark or plain style, exactly `width` cells."""
        part = "virtual-list--cursor" if selected else "virtual-list--marked" if marked else ""
        if (base := self._bases.get(part)) is None:
            base = self._bases[part] = (self.get_component_rich_style(part) if part
                                        else self.rich_style)
        try:
            strip = self._render_row(row, width, selected, marked)
        except Exception as error:  # one bad row must not take the list down
            self._notice("could not draw a row", error)
            strip = Strip([Segment("  ⚠")])
        return finished(strip, base, width)

    def _forget_drawn(self) -> None:
        """Drop the drawn lines and the styles under them (theme, CSS, focus or rows changed)."""
        self._strips.clear()
        self._bases.clear()

    def notify_style_update(self) -> None:
        """Theme or CSS changed: drop the drawn lines."""
        super().notify_style_update()
        self._forget_drawn()

    def on_focus(self) -> None:
        """The cursor's style depends on focus: redraw."""
        self._forget_drawn()
        self.refresh()

    on_blur = on_focus

    def on_resize(self) -> None:
        """A taller view may need more pages."""
        self._prefetch()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Repaint the rows (and the scrollbar only if its thumb moved); prefetch around the
        new view."""
        bar = self.vertical_scrollbar
        if self.show_vertical_scrollbar:
            if _thumb(bar, old_value) == _thumb(bar, new_value):
                # Drawing Textual's scrollbar costs a third of a scrolling frame, and over a
                # long list its thumb stays put for thousands of rows: keep the position, skip
                # the paint.
                bar.set_reactive(ScrollBar.position, bar.validate_position(new_value))
            else:
                bar.position = new_value
        if round(old_value) != round(new_value):
            # the rows only: the scrollbar's cells (a tenth of the bytes) repaint if it moved
            width = self.scrollable_content_region.width
            self.refresh(Region(0, 0, width, self.size.height))
        self._prefetch()

    def on_click(self, event: events.Click) -> None:
        """A click moves the cursor; a double click selects."""
        if (offset := event.get_content_offset(self)) is not None:
            self.move_cursor(self.scroll_offset.y + offset.y)
            if event.chain == 2:
                self.action_select()

    def on_mount(self) -> None:
        """Start loading."""
        self._start()

    def _reset(self, keep_rows: bool) -> None:
        """Forget pages, lines and requests; results already on their way are ignored."""
        self._generation += 1
        self._stale = self._pages if keep_rows else LRUCache(PAGE_CACHE)  # drawn meanwhile
        self._pages = LRUCache(PAGE_CACHE)
        self._forget_drawn()
        self._pending, self._failed, self._notices = set(), set(), set()
        self._seek: tuple[Hashable, set[int]] | None = None  # reload: the cursor's row
        self._announced = False  # CursorMoved was posted with the cursor's row
        self._count_asked = False  # asked after the first page: see _start

    def _start(self) -> None:
        """Fetch the page under the cursor, then count the rows, each in a worker.

        The count waits for the first page: on a large list it is the longer query (seconds
        for a large inbox at 1M tasks), and run at once it would slow the first page down."""
        if self._source is not None and self.is_attached:
            self._request(self.cursor // self._page_size)
            if not self._pending:
                self._count()
            self.refresh()

    def _count(self) -> None:
        """Count the rows in a worker, once per reload."""
        if not self._count_asked:
            self._count_asked = True
            self._work(-1, None)

    def _work(self, number: int, after: tuple | None) -> None:
        """Fetch the count (number -1) or a page in a thread worker."""
        job = partial(self._fetch, self._source, self._generation, number, after)
        self.run_worker(job, group="virtual-list", thread=True, exit_on_error=False)

    def _fetch(self, source: RowSource, generation: int, number: int, after: tuple | None):
        """In a worker thread: call the source and post the answer (or error) back."""
        result, error = None, None
        try:
            if number < 0:
                result = int(source.count())
            else:
                page = source.page(number, self._page_size, after)
                result = Page(list(page.rows), page.next_key)
        except Exception as raised:
            error = raised
        self.post_message(_Result(generation, number, result, error))

    def _request(self, number: int) -> None:
        """Fetch page `number` unless it is loaded, on its way, failed or past the end."""
        start = number * self._page_size
        past_end = start >= self._total if self._total is not None else start > self._extent
        if (number < 0 or self._source is None or number in self._pages
                or number in self._pending or number in self._failed or (number and past_end)):
            return
        self._pending.add(number)
        previous = self._pages.get(number - 1)
        full = previous is not None and len(previous.rows) == self._page_size
        self._work(number, previous.next_key if full else None)

    def _prefetch(self) -> None:
        """Request the pages in view and the page either side of them."""
        height = self.scrollable_content_region.height
        if not self.row_count or height <= 0 or not self.is_attached:
            return
        top = self.scroll_offset.y
        first = top // self._page_size
        last = min(top + height, self.row_count) // self._page_size
        for number in range(first, last + 1):
            self._request(number)
        if last in self._pages:  # only once it is here, so the next page can use its key
            self._request(last + 1)
        self._request(first - 1)

    def _prefetch_end(self) -> None:
        """Once counted: fetch the pages of the last screenful when the source reads them as
        cheaply as the first (`reads_from_end`), so that `G` draws its rows in one frame."""
        if not getattr(self._source, "reads_from_end", False) or not self._total:
            return
        height = max(self.scrollable_content_region.height, 1)
        first = max(self._total - height, 0) // self._page_size
        for number in range(first, (self._total - 1) // self._page_size + 1):
            self._request(number)

    def _lookup(self, index: int) -> tuple[Any, bool]:
        """(the row at `index` or None, whether it is fresh rather than from before reload)."""
        number, offset = divmod(index, self._page_size)
        for pages, fresh in ((self._pages, True), (self._stale, False)):
            page = pages.get(number)
            if page is not None and offset < len(page.rows):
                return page.rows[offset], fresh
        return None, False

    @on(_Result)
    def _arrived(self, message: _Result) -> None:
        """Store a page or the count, or report the error, and repaint."""
        if message.generation != self._generation:
            return
        number = message.number
        self._pending.discard(number)
        if message.error is not None:
            self._failed.add(number)  # not asked again until reload: no retry storm
            if self._seek:
                self._seek[1].discard(number)
            self._notice("could not load the list", message.error)
        elif number < 0:
            self._set_rows(message.result, counted=True)
            self._prefetch_end()
        else:
            page = self._pages[number] = message.result
            end = number * self._page_size + len(page.rows)
            if len(page.rows) < self._page_size or end > self.row_count:  # more or fewer rows
                self._set_rows(end, counted=self._total is not None)
            self._find_cursor_row(number, page)
            if not self._announced and self.cursor // self._page_size == number:
                self._announce()
        self._count()
        self._prefetch()
        if number < 0 or self._in_view(number):  # a page fetched ahead draws nothing yet
            self.refresh()

    def _in_view(self, number: int) -> bool:
        """Whether page `number` has rows in view."""
        top = self.scroll_offset.y
        bottom = top + self.scrollable_content_region.height
        return number * self._page_size < bottom and (number + 1) * self._page_size > top
    def _set_rows(self, rows: int, counted: bool) -> None:
        """Set the number of rows (counted, or seen so far) and keep the cursor inside."""
        if counted:
            self._total = rows
        else:
            self._extent = rows
        self.virtual_size = Size(0, self.row_count)
        if self.cursor >= self.row_count:
            self.move_cursor(self.row_count - 1)

    def _find_cursor_row(self, number: int, page: Page) -> None:
        """After reload: when `page` holds the cursor's row, move the cursor (and view) to it."""
        if self._seek is None:
            return
        key, wanted = self._seek
        keys = [self._row_key(row) for row in page.rows]
        if key in keys:
            self._seek = None
            if delta := number * self._page_size + keys.index(key) - self.cursor:
                self.scroll_to(y=self.scroll_offset.y + delta, animate=False)
                self.move_cursor(self.cursor + delta)
        else:
            wanted.discard(number)
            self._seek = self._seek if wanted else None

    def _announce(self) -> None:
        """Post CursorMoved for the cursor (again once its row has loaded)."""
        if self.row_count:
            row = self.row_at(self.cursor)
            self._announced = row is not None
            self.post_message(self.CursorMoved(self.cursor, row))

    def _notice(self, what: str, error: Exception) -> None:
        """Tell the person once per reload, as plain text: errors may quote user data."""
        text = one_line(f"{what}: {str(error) or type(error).__name__}", 200)
        if text not in self._notices:
            self._notices.add(text)
            self.notify(text, severity="error", markup=False)
