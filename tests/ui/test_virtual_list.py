"""The virtual list: paging, keys, marks, errors, reload, hostile text and a real database."""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

from rich.segment import Segment
from textual import events
from textual.geometry import Region
from textual.strip import Strip

from desk import db as desk_db
from desk.kernel import agents
from desk.screens.safe import safe_line
from desk.screens.widgets.list_rows import Page
from desk.screens.widgets.virtual_list import VirtualList
from desk.work import filters, listing, tasks, workspace

from .conftest import FakeSource, Item, ListApp, press, settle, shown, wait_for_count

MILLION = 1_000_000


async def test_first_screen_of_a_million_rows_loads_only_a_few_pages():
    source = FakeSource(MILLION)
    app = ListApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        widget = app.query_one(VirtualList)
        assert widget.row_count == MILLION
        lines = shown(widget)
        assert len(lines) == 24
        assert [line.strip() for line in lines] == [f"row {i}" for i in range(24)]
        assert len(source.requested) < 5
        assert source.requested[0] == 0 and sorted(set(source.requested)) == source.requested


async def test_the_first_page_paints_before_the_count_is_known():
    source = FakeSource(MILLION, count_gate=threading.Event())
    app = ListApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        widget = app.query_one(VirtualList)
        await wait_for_count(pilot, widget)
        try:
            assert 100 <= widget.row_count < MILLION  # the rows the loaded pages showed
            assert [line.strip() for line in shown(widget)] == [f"row {i}" for i in range(24)]
            assert source.counts == 1
        finally:
            source.count_gate.set()
        await settle(pilot)
        assert widget.row_count == MILLION


async def test_the_count_waits_for_the_first_page():
    source = FakeSource(MILLION, page_gate=threading.Event())
    app = ListApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        widget = app.query_one(VirtualList)
        try:
            await pilot.pause(0.1)
            assert source.counts == 0 and widget.row_count == 0
            assert [number for number, _ in source.pages] == [0]
        finally:
            source.page_gate.set()
        await settle(pilot)
        assert source.counts == 1 and widget.row_count == MILLION


async def test_rows_not_loaded_show_placeholders_until_their_page_arrives():
    gate = threading.Event()
    gate.set()  # the first page comes, and with it the count; the later ones wait
    source = FakeSource(MILLION, page_gate=gate)
    app = ListApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        widget = app.query_one(VirtualList)
        await settle(pilot)
        gate.clear()
        try:
            assert widget.row_count == MILLION
            await pilot.press("G")
            assert set(shown(widget)) == {"  …"}
            moved = app.of(VirtualList.CursorMoved)[-1]
            assert (moved.index, moved.row) == (MILLION - 1, None)
            await pilot.press("enter", "x")
            assert app.of(VirtualList.Selected) == [] and app.of(VirtualList.MarksChanged) == []
        finally:
            source.page_gate.set()
        await settle(pilot)
        assert shown(widget)[-1].strip() == f"row {MILLION - 1}"
        moved = app.of(VirtualList.CursorMoved)[-1]
        assert (moved.index, moved.row) == (MILLION - 1, Item(MILLION - 1, f"row {MILLION - 1}"))


async def test_keys_move_the_cursor_and_the_view():
    source = FakeSource(MILLION)
    app = ListApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        widget = app.query_one(VirtualList)
        await press(pilot, "j", "j", "down")
        assert widget.cursor == 3
        await press(pilot, "k", "up")
        assert widget.cursor == 1
        await press(pilot, "pagedown")
        assert widget.cursor == 25
        assert widget.scroll_offset.y <= 25 < widget.scroll_offset.y + 24
        await press(pilot, "ctrl+u")
        assert widget.cursor == 13
        await press(pilot, "G")
        assert widget.cursor == MILLION - 1
        assert shown(widget)[-1].strip() == f"row {MILLION - 1}"
        assert widget.scroll_offset.y == MILLION - 24
        assert len(set(source.requested)) <= 6, source.requested
        assert app.of(VirtualList.CursorMoved)[-1].row == Item(MILLION - 1, f"row {MILLION - 1}")
        await press(pilot, "k")
        assert widget.cursor == MILLION - 2
        await press(pilot, "g")
        assert widget.cursor == 0 and widget.scroll_offset.y == 0
        assert shown(widget)[0].strip() == "row 0"
        await press(pilot, "k", "home")
        assert widget.cursor == 0


async def test_lines_follow_a_new_theme_and_the_cursor_follows_the_focus():
    app = ListApp(FakeSource(100))
    async with app.run_test(size=(40, 6)) as pilot:
        await settle(pilot)
        widget = app.query_one(VirtualList)

        def backgrounds(y: int) -> set:
            """The background of every run of line `y` as drawn now."""
            return {segment.style.bgcolor for segment in widget.render_line(y) if segment.text}

        plain, cursor = widget.rich_style.bgcolor, backgrounds(0)
        assert backgrounds(1) == {plain}
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await settle(pilot)
        assert widget.rich_style.bgcolor != plain
        assert backgrounds(1) == {widget.rich_style.bgcolor}
        focused = widget.get_component_rich_style("virtual-list--cursor").bgcolor
        assert backgrounds(0) == {focused} != cursor
        app.set_focus(None)
        await settle(pilot)
        blurred = widget.get_component_rich_style("virtual-list--cursor").bgcolor
        assert blurred != focused and backgrounds(0) == {blurred}


class EndSource(FakeSource):
    """A FakeSource that says a page near its end is as cheap as one near its start."""

    reads_from_end = True


async def test_a_source_that_reads_from_the_end_has_its_last_rows_ready_for_G():
    """Once counted, the last screenful of a source that reads from the end is fetched ahead:
    `G` draws its rows in the same frame, with no query waited for. Another source is not
    read there until `G` asks (a far offset may be slow), and shows placeholders meanwhile."""
    for source, ready in ((EndSource(MILLION, page_gate=threading.Event()), True),
                          (FakeSource(MILLION, page_gate=threading.Event()), False)):
        source.page_gate.set()
        app = ListApp(source)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            widget = app.query_one(VirtualList)
            last = (MILLION - 1) // 100
            assert (last in source.requested) is ready, source.requested
            source.page_gate.clear()  # from now on no page arrives until the end of the test
            try:
                app.post_message(events.Key("G", "G").set_sender(app))
                await pilot.pause()
                assert widget.cursor == MILLION - 1
                expected = f"row {MILLION - 1}" if ready else "…"
                assert shown(widget)[-1].strip() == expected
                assert source.requested.count(last) == 1
            finally:
                source.page_gate.set()
            await settle(pilot)
            assert shown(widget)[-1].strip() == f"row {MILLION - 1}"


async def test_scrolling_with_j_pages_by_key_and_paints_rows():
    source = FakeSource(1000)
    app = ListApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        widget = app.query_one(VirtualList)
        await press(pilot, *["pagedown"] * 4)  # cursor 96: the next page is prefetched
        await press(pilot, *["j"] * 34)
        assert widget.cursor == 130
        assert shown(widget)[-1].strip() == "row 130"
        # pages after the first were fetched with the key of the page before them
        keyed = [after for number, after in source.pages if number == 1]
        assert keyed == [(99,)]


async def test_marks_and_select():
    source = FakeSource(MILLION)
    app = ListApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        widget = app.query_one(VirtualList)
        await press(pilot, "x", "x")  # each x marks and moves down
        assert app.of(VirtualList.MarksChanged)[-1].count == 2 and widget.cursor == 2
        assert shown(widget)[0].startswith("✓ row 0") and shown(widget)[1].startswith("✓ row 1")
        await press(pilot, "k", "x")
        assert app.of(VirtualList.MarksChanged)[-1].count == 1
        assert widget.marks.ids == {0} and widget.cursor == 2
        await press(pilot, "X")
        assert app.of(VirtualList.MarksChanged)[-1].count == MILLION
        await press(pilot, "x")
        marks = app.of(VirtualList.MarksChanged)[-1]
        assert marks.count == MILLION - 1
        assert 2 not in marks.marks and 0 in marks.marks and 999_999 in marks.marks
        assert shown(widget)[2].startswith("  row 2")
        await press(pilot, "X")
        assert app.of(VirtualList.MarksChanged)[-1].count == 0
        await press(pilot, "k", "enter")
        selected = app.of(VirtualList.Selected)
        assert [(m.index, m.row) for m in selected] == [(2, Item(2, "row 2"))]
        assert len(source.requested) < 5


async def test_range_mark_marks_from_the_last_marked_row_to_the_cursor():
    source = FakeSource(MILLION)
    app = ListApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        widget = app.query_one(VirtualList)
        await press(pilot, "j", "x", "j", "j", "M")  # x marks row 1 (cursor on 2), M 1 to 4
        assert widget.marks.ids == {1, 2, 3, 4}
        assert app.notices[-1] == ("4 marked", False)
        assert [line[:7] for line in shown(widget)[:6]] == [
            "  row 0", "✓ row 1", "✓ row 2", "✓ row 3", "✓ row 4", "  row 5"]
        await press(pilot, "k", "k", "k", "k", "M")  # upwards from the last end: row 0 too
        assert widget.marks.ids == {0, 1, 2, 3, 4}
        await press(pilot, "X", "G", "M")  # in "mark all", M keeps its rows marked
        assert widget.marks.count == MILLION
        await press(pilot, "X", "g", "M")  # nothing marked: M marks the cursor row alone
        assert widget.marks.ids == {0}


async def test_a_failing_source_shows_a_notice_and_keeps_going():
    source = FakeSource(MILLION, fail=True)
    app = ListApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "j", "G", "x", "X", "enter", "pagedown", "g")
        notices = [text for text, markup in app.notices if not markup]
        assert len(notices) == len(app.notices)  # all plain text, never markup
        assert notices and all("database is locked [/] ␛[2J" in n for n in notices)
        assert len(notices) == 1  # once, not once per frame
        assert app.of(VirtualList.Selected) == []
        # it recovers when the source does
        source.fail = False
        app.query_one(VirtualList).reload()
        await settle(pilot)
        assert shown(app.query_one(VirtualList))[0].strip() == "row 0"


async def test_an_empty_source_shows_nothing_and_keys_do_nothing():
    source = FakeSource(0)
    app = ListApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        widget = app.query_one(VirtualList)
        await press(pilot, "j", "k", "G", "g", "pagedown", "ctrl+d", "x", "X", "enter")
        assert widget.row_count == 0
        assert all(line == "" for line in shown(widget))
        assert app.of(VirtualList.Selected) == [] and app.of(VirtualList.MarksChanged) == []
        assert app.notices == []


async def test_resize_to_a_tiny_terminal_and_back():
    source = FakeSource(MILLION)
    app = ListApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        widget = app.query_one(VirtualList)
        await press(pilot, "j", "j")
        await pilot.resize_terminal(10, 3)
        await settle(pilot)
        await press(pilot, "j", "j", "G", "k", "pageup", "g")
        assert widget.cursor == 0
        assert shown(widget)[0].strip().startswith("row 0")
        await press(pilot, "j", "j", "j", "j")
        assert widget.scroll_offset.y <= widget.cursor < widget.scroll_offset.y + widget.size.height
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        top = widget.scroll_offset.y
        assert [line.strip() for line in shown(widget)] == [f"row {top + i}" for i in range(24)]
        assert top <= widget.cursor < top + 24


async def test_reload_keeps_the_cursor_on_the_same_row():
    source = FakeSource(items=[Item(i, f"task {i}") for i in range(500)])
    app = ListApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        widget = app.query_one(VirtualList)
        await press(pilot, *["pagedown"] * 6, *["j"] * 6)
        assert widget.row_at(widget.cursor).title == "task 150"
        # three rows appear above the cursor
        source.items = [Item(1000 + i, f"new {i}") for i in range(3)] + source.items
        widget.reload(keep_cursor=True)
        await settle(pilot)
        assert widget.row_count == 503
        assert widget.cursor == 153
        assert widget.row_at(widget.cursor).title == "task 150"
        assert "task 150" in "".join(shown(widget))
        widget.reload(keep_cursor=False)
        await settle(pilot)
        assert widget.cursor == 0


async def test_a_reload_that_stays_keeps_the_cursors_place_and_a_second_one_its_word():
    source = FakeSource(items=[Item(i, f"task {i}") for i in range(500)])
    app = ListApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        widget = app.query_one(VirtualList)
        await press(pilot, *["j"] * 5)
        top = widget.scroll_offset.y
        # task 5 moves down to row 50: with `stay` the row that comes to its place is under
        # the cursor, and the view does not move
        rest = [item for item in source.items if item.id != 5]
        source.items = [*rest[:50], source.items[5], *rest[50:]]
        source.page_gate = threading.Event()
        widget.reload(stay=True)
        # a second reload (a live refresh) before the rows arrive: the cursor's row is from
        # before, so it is not followed either
        widget.reload(keep_cursor=True)
        source.page_gate.set()
        await settle(pilot)
        assert (widget.cursor, widget.row_at(widget.cursor).title) == (5, "task 6")
        assert widget.scroll_offset.y == top


async def test_set_source_switches_lists():
    app = ListApp(FakeSource(MILLION))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        widget = app.query_one(VirtualList)
        await press(pilot, "G", "x")
        other = FakeSource(items=[Item(7, "only one")])
        widget.set_source(other)
        await settle(pilot)
        assert widget.row_count == 1 and widget.cursor == 0
        assert widget.marks.count == 0
        assert shown(widget)[0].strip() == "only one"


HOSTILE = [
    "[/] x",
    "[@click=app.quit]x[/]",
    "[TODO] Q3",
    "\x1b]52;c;AAAA\x07",
    "\u202eevil",
    '[link="file:///etc/passwd"]y[/]',
    "a\nb\tc\r\x9b2J",
]


async def test_hostile_titles_are_shown_literally_and_never_reach_the_terminal():
    source = FakeSource(items=[Item(i, title) for i, title in enumerate(HOSTILE)])
    app = ListApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        widget = app.query_one(VirtualList)
        lines = [widget.render_line(y) for y in range(len(HOSTILE))]
        for strip, title in zip(lines, HOSTILE, strict=True):
            text = strip.text
            assert text.strip() == safe_line(title).plain
            assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
            for segment in strip:
                assert not (segment.style and (segment.style.link or segment.style.meta))
        assert lines[0].text.strip() == "[/] x"
        assert lines[2].text.strip() == "[TODO] Q3"
        await press(pilot, "j", "j", "j", "enter", "X")
        assert app.is_running


async def test_a_render_row_that_raises_does_not_take_the_list_down():
    def broken(row, width, selected, marked):
        if row.id == 1:
            raise ValueError("bad row")
        return Strip([Segment(row.title)])

    app = ListApp(FakeSource(10), render_row=broken)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = shown(app.query_one(VirtualList))
        assert lines[0] == "row 0" and "⚠" in lines[1] and lines[2] == "row 2"
        assert [text for text, _ in app.notices] == ["could not draw a row: bad row"]


class TaskSource:
    """A RowSource over listing.task_page (the test's own adapter)."""

    def __init__(self, query: str, context: filters.Context) -> None:
        self.query, self.context = query, context
        self.calls: list[tuple[int, bool]] = []

    def count(self) -> int:
        """listing.task_count."""
        return listing.task_count(self.query, self.context)

    def page(self, number: int, size: int, after: tuple | None) -> Page:
        """listing.task_page by key or offset."""
        self.calls.append((number, after is not None))
        found = listing.task_page(self.query, self.context, sort="oldest", after=after,
                                  offset=number * size, limit=size)
        return Page(found.rows, found.next_key)


async def test_with_the_real_listing_service(tmp_path):
    connected = desk_db.connect(f"sqlite:///{tmp_path / 'desk.db'}")
    desk_db.migrate(connected)
    try:
        admin = agents.acting()
        workspace.create_space(admin, "Support")
        inbox = workspace.create_list(admin, "Support", "Inbox")
        titles = [f"task {i:03d}" for i in range(300)]
        titles[5] = "[/] \x1b]52;c;AAAA\x07 [@click=app.quit]x[/]"
        for title in titles:
            tasks.create(admin, title, inbox.id)
        context = filters.Context(admin.username, datetime(2026, 11, 18, 10, 30,
                                                           tzinfo=ZoneInfo("Europe/Berlin")))
        source = TaskSource("", context)
        app = ListApp(source)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            widget = app.query_one(VirtualList)
            assert widget.row_count == 300
            assert shown(widget)[0].strip() == "task 000"
            assert shown(widget)[5].strip() == safe_line(titles[5]).plain
            await press(pilot, "G")
            assert widget.cursor == 299
            assert shown(widget)[-1].strip() == "task 299"
            await press(pilot, "g", *["pagedown"] * 4, *["j"] * 24)
            assert widget.cursor == 120
            assert shown(widget)[-1].strip() == "task 120"
            assert (1, True) in source.calls  # page 1 came by key, after page 0
    finally:
        connected.close()


def thumb(widget: VirtualList) -> list[int]:
    """The lines of the list's scrollbar that show the thumb, as painted."""
    bar = widget.vertical_scrollbar
    lines = bar.render_lines(Region(0, 0, 1, bar.size.height))
    return [y for y, line in enumerate(lines)
            if line.text.strip() or any(segment.style and segment.style.reverse
                                        for segment in line)]


async def test_the_scrollbar_thumb_follows_the_view_short_list_and_long():
    for rows, moved_by_a_line in ((40, True), (MILLION, False)):
        source = FakeSource(rows)
        app = ListApp(source)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            widget = app.query_one(VirtualList)
            at_top = thumb(widget)
            assert at_top and at_top[0] == 0
            await press(pilot, *["j"] * 30)  # past the view: it scrolls by single lines
            assert widget.scroll_offset.y > 0
            assert (thumb(widget) != at_top) is moved_by_a_line, rows
            await press(pilot, "G")
            assert thumb(widget)[-1] == widget.vertical_scrollbar.size.height - 1, rows
            await press(pilot, "g")
            assert thumb(widget) == at_top
