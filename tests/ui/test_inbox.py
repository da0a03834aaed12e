"""The inbox mode over the demo workspace: what it shows at 80x24, marking rows and acting on
them with the triage verbs (assign, status, priority, tag, client, snooze, reply, note,
open), "mark all" with its confirmation, viewers, hostile titles, and a whole triage of one
query by keys."""

from __future__ import annotations

from datetime import datetime

from msgspec.structs import asdict
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Header, Input, OptionList, Static

from desk import sla
from desk.config import Settings
from desk.kernel import agents
from desk.models import Tag
from desk.screens.actions import triage as triage_screen
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.prompt import PromptScreen
from desk.screens.dialogs.write_text import WriteTextScreen
from desk.screens.screens.inbox import InboxScreen
from desk.screens.screens.task_screen import TaskScreen
from desk.screens.widgets.virtual_list import VirtualList
from desk.support import triage
from desk.work import comments, filters, tasks

from .conftest import DEMO_NOW, Notices, press, settle, shown, type_text, wait_until

SIZE = (80, 24)
HOSTILE = "[/] [@click=app.quit]x[/] \x1b]52;c;aGk=\x07"




async def open_inbox(pilot) -> VirtualList:
    """The inbox (the mode the app starts in) once its rows are in."""
    await settle(pilot)
    assert isinstance(pilot.app.screen, InboxScreen)
    return pilot.app.screen.query_one("#inbox-list", VirtualList)


def text_of(app, selector: str) -> str:
    """What a Static of the current screen shows."""
    return str(app.screen.query_one(selector, Static).render())


def inbox_rows(app) -> list[tasks.TaskRow]:
    """The whole inbox as the service has it now, in the inbox's first order (by score)."""
    with app.database.connection_context():
        return triage.inbox_page(app.query_context(), order="score", limit=500,
                                 weights=app.settings.urgency).rows


def task(app, task_id: int) -> tasks.TaskDetail:
    """One task as stored now."""
    with app.database.connection_context():
        return tasks.get(task_id)


# --- what the inbox shows ----------------------------------------------------------------------


async def test_the_inbox_shows_the_demo_queries_with_a_detail_strip_at_80x24(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        widget = await open_inbox(pilot)
        expected = inbox_rows(app)
        assert any(row.kind == "query" for row in expected)
        assert widget.row_count == len(expected)
        assert text_of(app, "#inbox-status").startswith(f"{len(expected)} to triage")
        assert "most urgent first" in text_of(app, "#inbox-status")
        assert text_of(app, "#inbox-heading").split()[:3] == ["Status", "P", "Title"]
        lines = shown(widget)
        assert len([line for line in lines if line]) == widget.size.height  # the list is full
        for row, line in zip(expected, lines, strict=False):
            assert row.title[:20] in line
        first = expected[0]
        detail = text_of(app, "#inbox-detail")
        with app.database.connection_context():
            glance = triage.glance(first.id)
        assert f"#{first.id} {first.title}" in detail
        assert f"waiting on {glance.waiting_on} · from {glance.requester}" in detail

        await press(pilot, "j")
        assert f"#{expected[1].id} " in text_of(app, "#inbox-detail")


async def test_o_toggles_newest_first_and_slash_filters(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        widget = await open_inbox(pilot)
        await press(pilot, "o")
        newest = max(row.id for row in inbox_rows(app))
        assert widget.row_at(0).id == newest
        assert "newest first" in text_of(app, "#inbox-status")
        await press(pilot, "slash")
        await type_text(pilot, "kind:task")
        await press(pilot, "enter")
        assert {widget.row_at(i).kind for i in range(widget.row_count)} == {"task"}
        assert "kind:task" in text_of(app, "#inbox-status")
        await press(pilot, "escape")
        assert widget.row_count == len(inbox_rows(app))
        await press(pilot, "slash")
        await type_text(pilot, "is:done")
        await press(pilot, "enter")
        assert widget.row_count == 0
        assert text_of(app, "#inbox-status").startswith("0 to triage")
        assert "Nothing needs you" in text_of(app, "#inbox-detail")


async def test_a_hostile_title_shows_literally(desk_app, demo_db):
    with demo_db.connection_context():
        admin = agents.acting()
        row = triage.inbox_page(filters.Context(admin.username, DEMO_NOW), order="score",
                                limit=1).rows[0]
        tasks.update(admin, row.id, row.version, sla_rules=sla.book(Settings()), title=HOSTILE,
                     priority="urgent")
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        widget = await open_inbox(pilot)
        assert "[/] [@click=app.quit]x[/] ␛" in shown(widget)[0]
        assert "[@click=app.quit]x[/] ␛]52;c;aGk=␇" in text_of(app, "#inbox-detail")
        assert app.is_running



# --- verbs on marked rows ----------------------------------------------------------------------


async def test_two_marked_rows_are_assigned_to_me_then_unmarked(desk_app):
    app, notices = desk_app(), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        widget = await open_inbox(pilot)
        me = app.agent.username
        free = [i for i in range(widget.row_count) if me not in widget.row_at(i).assignees]
        first, second = widget.row_at(free[0]), widget.row_at(free[1])
        for index in free[:2]:
            widget.move_cursor(index)
            await press(pilot, "x")
        assert "2 marked" in text_of(app, "#inbox-status")
        await press(pilot, "a")
        assert isinstance(app.screen, PickScreen)
        options = app.screen.query_one(OptionList)
        assert str(options.get_option_at_index(0).prompt) == f"me ({app.agent.username})"
        await press(pilot, "enter")
        assert task(app, first.id).row.assignees == (me,)
        assert task(app, second.id).row.assignees == (me,)
        assert widget.marks.count == 0 and "marked" not in text_of(app, "#inbox-status")
        refreshed = {widget.row_at(i).id: widget.row_at(i) for i in range(widget.row_count)}
        assert refreshed[first.id].assignees == (me,) == refreshed[second.id].assignees
        assert "2 tasks assigned to you" in notices


async def test_priority_by_its_digit_and_status_by_a_few_letters(desk_app):
    app, notices = desk_app(), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        widget = await open_inbox(pilot)
        index = next(i for i in range(1, widget.row_count) if widget.row_at(i).kind == "query")
        row = widget.row_at(index)
        widget.move_cursor(index)
        await press(pilot, "p", "4")
        assert task(app, row.id).row.priority == "low"
        assert widget.row_at(widget.cursor).id == row.id, "the cursor followed its row"
        await press(pilot, "s")
        await type_text(pilot, "resol")
        await press(pilot, "enter")
        assert task(app, row.id).row.status == "Resolved"
        assert row.id not in {r.id for r in inbox_rows(app)}
        assert widget.row_count == len(inbox_rows(app))
        assert "1 task set to low priority" in notices and "1 task set to Resolved" in notices


async def test_a_status_the_list_lacks_fails_for_that_row_only(desk_app):
    app, notices = desk_app(), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        widget = await open_inbox(pilot)
        rows = [widget.row_at(i) for i in range(widget.row_count)]
        query = next(r for r in rows if r.kind == "query")
        other = next(r for r in rows if r.list != query.list)
        for index in (rows.index(query), rows.index(other)):
            widget.move_cursor(index)
            await press(pilot, "x")
        await press(pilot, "s")
        await type_text(pilot, "resolved")
        await press(pilot, "enter")
        assert task(app, query.id).row.status == "Resolved"
        kept = task(app, other.id).row
        assert (kept.status, kept.version) == (other.status, other.version)
        assert any(notice.startswith("1 task set to Resolved; 1 failed: task "
                                     f"{other.id}: status must be one of") for notice in notices)


async def test_tags_are_added_and_removed_with_completion(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        widget = await open_inbox(pilot)
        row = widget.row_at(0)
        await press(pilot, "t")
        assert isinstance(app.screen, PromptScreen)
        await type_text(pilot, "  ")
        await press(pilot, "enter")
        assert "name a tag" in text_of(app, "#prompt-error")
        await press(pilot, "ctrl+u")
        await type_text(pilot, "newtag")
        await press(pilot, "enter")
        assert isinstance(app.screen, PickScreen)  # asked first: newtag is a new tag
        await press(pilot, "down", "enter")
        assert set(task(app, row.id).row.tags) == {*row.tags, "newtag"}
        await press(pilot, "t")
        await type_text(pilot, "-newtag")
        await press(pilot, "enter")
        assert task(app, row.id).row.tags == row.tags


def input_value(app) -> str:
    """What the open prompt's input holds."""
    return app.screen.query_one("#prompt-input", Input).value


def tag_exists(app, name: str) -> bool:
    """Whether the database has a tag named `name`."""
    with app.database.connection_context():
        return Tag.select().where(Tag.name == name).exists()


async def test_tab_completes_each_word_and_a_new_tag_is_made_only_after_a_yes(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        widget = await open_inbox(pilot)
        row = widget.row_at(0)
        await press(pilot, "t")
        await type_text(pilot, "bil")
        await press(pilot, "tab")
        assert input_value(app) == "billing"
        await type_text(pilot, " -spam V")
        await press(pilot, "tab")
        assert input_value(app) == "billing -spam Vip"  # the word typed keeps its case
        await press(pilot, "ctrl+u")
        await type_text(pilot, "billing vi")
        await press(pilot, "tab")
        assert input_value(app) == "billing vip"
        await press(pilot, "enter")  # both exist: no question
        assert isinstance(app.screen, InboxScreen)
        assert {"billing", "vip"} <= set(task(app, row.id).row.tags)

        before = task(app, row.id).row.tags
        await press(pilot, "t")
        await type_text(pilot, "bil")
        await press(pilot, "enter")  # no tab: `bil` is not silently made a tag
        assert isinstance(app.screen, PickScreen)
        assert "Create the new tag #bil?" in text_of(app, ".dialog-title")
        options = app.screen.query_one(OptionList)
        assert options.highlighted == 0
        assert str(options.get_option_at_index(0).prompt).startswith("no")
        await press(pilot, "enter")  # the safe choice: back to the prompt as typed
        assert isinstance(app.screen, PromptScreen)
        assert input_value(app) == "bil"
        assert not tag_exists(app, "bil")
        assert task(app, row.id).row.tags == before
        await press(pilot, "escape")
        assert isinstance(app.screen, InboxScreen)
        assert not tag_exists(app, "bil")


async def test_c_links_a_client_found_by_name(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        widget = await open_inbox(pilot)
        row = next(widget.row_at(i) for i in range(widget.row_count)
                   if widget.row_at(i).client is None)
        widget.move_cursor(next(i for i in range(widget.row_count)
                                if widget.row_at(i).id == row.id))
        await press(pilot, "c")
        await type_text(pilot, "oakridge")
        assert isinstance(app.screen, PickScreen)
        await press(pilot, "enter")
        assert task(app, row.id).row.client == "Oakridge Florist"


async def test_z_refuses_a_past_time_in_place_and_a_good_one_hides_the_row(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        widget = await open_inbox(pilot)
        row, count = widget.row_at(0), widget.row_count
        await press(pilot, "z")
        await type_text(pilot, "yesterday")
        assert "already passed" in text_of(app, "#prompt-preview")  # said before enter
        await press(pilot, "enter")
        assert isinstance(app.screen, PromptScreen)
        assert "already passed" in text_of(app, "#prompt-error")
        assert task(app, row.id).snoozed_until is None
        await press(pilot, "ctrl+u")
        await type_text(pilot, "in 3 days")
        assert text_of(app, "#prompt-preview") == "→ Mon 23 Nov 09:00"
        await press(pilot, "ctrl+u")
        await type_text(pilot, "off")
        assert text_of(app, "#prompt-preview") == "off: back in the inbox now"
        await press(pilot, "ctrl+u")
        await type_text(pilot, "tomorrow 9:00")
        assert text_of(app, "#prompt-preview") == "→ Sat 21 Nov 09:00"
        await press(pilot, "enter")
        assert isinstance(app.screen, InboxScreen)
        assert task(app, row.id).snoozed_until == datetime(2026, 11, 21, 9, 0)
        assert widget.row_count == count - 1
        assert row.id not in {widget.row_at(i).id for i in range(widget.row_count)}


async def test_r_replies_and_n_notes_distinctly(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        widget = await open_inbox(pilot)
        row = widget.row_at(0)
        await press(pilot, "r")
        assert isinstance(app.screen, WriteTextScreen)
        await type_text(pilot, "We are on it")
        await press(pilot, "ctrl+j")
        await press(pilot, "n")
        await type_text(pilot, "call them friday")
        await press(pilot, "ctrl+j")
        with app.database.connection_context():
            written = [(c.kind, c.body) for c in comments.for_task(row.id)][-2:]
        assert written == [("reply", "We are on it"), ("note", "call them friday")]
        assert f"{app.agent.username} noted" in text_of(app, "#inbox-detail")
        assert "call them friday" in text_of(app, "#inbox-detail")


async def test_e_and_enter_open_the_task_screen(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        widget = await open_inbox(pilot)
        await press(pilot, "e")
        assert isinstance(app.screen, TaskScreen) and app.screen.task_id == widget.row_at(0).id
        await press(pilot, "escape", "j", "enter")
        assert isinstance(app.screen, TaskScreen) and app.screen.task_id == widget.row_at(1).id


async def test_the_app_stops_watching_a_closed_screens_header(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_inbox(pilot)
        closed = []
        for _ in range(3):
            await press(pilot, "enter")
            assert isinstance(app.screen, TaskScreen)
            closed.append(app.screen.query_one(Header))
            assert "Inbox › " in str(closed[-1].format_title())
            await press(pilot, "escape")
        assert isinstance(app.screen, InboxScreen)
        assert "Inbox" in str(app.screen.query_one(Header).format_title()), "the title stays"
        await wait_until(pilot, lambda: all(header._task is None for header in closed),
                         "the headers' removal")
        # Textual keeps what watches an object's attributes there (textual.reactive); a
        # watch would keep its header, and the lines it drew, for as long as the app runs
        watching = {node for watches in getattr(app, "__watchers").values()
                    for node, _ in watches}
        assert not watching & set(closed)


async def test_two_rows_repainted_draw_the_list_alone_and_the_same_cells_as_a_full_frame(
        desk_app, monkeypatch):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        widget = await open_inbox(pilot)
        compositor, screen = app.screen._compositor, app.screen.region
        x, y, width, _ = widget.region
        rows = (y + 1, y + 2)  # what a cursor move repaints (desk.screens.widgets.partial_renders)
        crop = Region.from_union([Region(x, row, width, 1) for row in rows])
        drawn, render_lines = [], Widget.render_lines
        monkeypatch.setattr(Widget, "render_lines",
                            lambda self, part: drawn.append(self) or render_lines(self, part))
        partial = compositor._render_chops(crop, rows.__contains__)  # as Textual repaints
        assert widget in drawn and all(crop.overlaps(node.region) for node in drawn)
        assert app.screen.query_one(Header) not in drawn
        full = compositor._render_chops(screen, lambda _: True)
        for row in rows:
            cells = [cut for cut in partial[row] if x <= cut < x + width]
            assert cells and all(partial[row][cut] is not None for cut in cells)
            assert [list(partial[row][cut]) for cut in cells] == \
                   [list(full[row][cut]) for cut in cells]


async def test_mark_all_asks_first_and_then_changes_every_row(desk_app, monkeypatch):
    monkeypatch.setattr(triage_screen, "CONFIRM_ABOVE", 10)
    app, notices = desk_app(), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        widget = await open_inbox(pilot)
        count = widget.row_count
        normal = sum(row.priority == "normal" for row in inbox_rows(app))
        await press(pilot, "X", "p", "3")
        assert isinstance(app.screen, PickScreen)
        assert f"{count} tasks will be set to normal priority" in str(
            app.screen.query_one(".dialog-title", Static).render())
        await press(pilot, "escape")
        assert any(row.priority != "normal" for row in inbox_rows(app)), "nothing changed"
        assert widget.marks.count == count
        await press(pilot, "p", "3", "enter", "enter")
        assert {row.priority for row in inbox_rows(app)} == {"normal"}
        assert widget.marks.count == 0
        assert f"{count - normal} tasks set to normal priority; {normal} already were" \
            in notices


async def test_a_viewer_is_told_why_and_nothing_changes(desk_app, demo_db):
    with demo_db.connection_context():
        viewer = agents.acting("sam")
    app, notices = desk_app(agent=viewer), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        widget = await open_inbox(pilot)
        row = widget.row_at(0)
        await press(pilot, "a")
        assert isinstance(app.screen, InboxScreen), "no picker for a viewer"
        await press(pilot, "r")
        assert isinstance(app.screen, InboxScreen)
        assert any("viewer, so you cannot assign tasks" in notice for notice in notices)
        assert any("cannot reply to clients" in notice for notice in notices)
        stored = task(app, row.id).row  # the row shown also carries its SLA clocks
        assert {name: getattr(row, name) for name in stored.__struct_fields__} == asdict(stored)


# --- a whole triage ----------------------------------------------------------------------------


async def test_one_query_is_triaged_in_twelve_keys_plus_its_words(desk_app):
    """Priority, assign to me, tag, reply, resolve: 12 keys besides the words typed."""
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        widget = await open_inbox(pilot)
        index = next(i for i in range(widget.row_count)
                     if widget.row_at(i).kind == "query" and widget.row_at(i).priority != "urgent"
                     and app.agent.username not in widget.row_at(i).assignees)
        query = widget.row_at(index)
        widget.move_cursor(index)
        await settle(pilot)
        assert f"#{query.id} " in text_of(app, "#inbox-detail"), "read it without opening it"
        verbs = [("p", "1"), ("a", "enter"), ("t", "enter"), ("r", "ctrl+j"),
                 ("s", "r", "e", "enter")]
        words = {"t": "billing", "r": "Thanks, fixed on our side."}
        for verb in verbs:
            await press(pilot, verb[0])
            if verb[0] in words:
                await type_text(pilot, words[verb[0]])
            await press(pilot, *verb[1:])
        assert sum(len(verb) for verb in verbs) == 12
        stored = task(app, query.id).row
        assert stored.priority == "urgent" and stored.assignees == (app.agent.username,)
        assert "billing" in stored.tags and stored.status == "Resolved"
        with app.database.connection_context():
            assert comments.for_task(query.id)[-1].body == "Thanks, fixed on our side."
            assert comments.for_task(query.id)[-1].kind == "reply"
        assert query.id not in {row.id for row in inbox_rows(app)}
