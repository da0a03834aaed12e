"""The inbox keeps its place (issue 16, point 8): after a verb the row acted on stays under
the cursor, marked with where it ranks now, until the cursor moves on; a row that left the
inbox makes way for the next; no row vanishes or shows twice after a reload far down a long
inbox; new rows that arrive are announced, and `N` goes to the newest."""

from __future__ import annotations

from desk.kernel import agents
from desk.models import Task
from desk.screens.hints import key_text
from desk.screens.screens.inbox import InboxScreen
from desk.screens.widgets.virtual_list import VirtualList
from desk.support import triage
from desk.work import tasks

from .conftest import DEMO_NOW, Notices, press, settle, shown, type_text, wait_until
from .test_app import help_rows
from .test_inbox import SIZE, inbox_rows, open_inbox, task, text_of
from .test_live_refresh import another_agent


def listed(widget: VirtualList) -> list[int]:
    """The ids of every row the list holds (each page loaded first)."""
    ids = []
    for index in range(widget.row_count):
        row = widget.row_at(index)
        assert row is not None, f"row {index} is not loaded"
        ids.append(row.id)
    return ids


async def load_all(pilot, widget: VirtualList) -> None:
    """Scroll through the list so that every page is loaded."""
    for index in range(0, widget.row_count, 10):
        widget.move_cursor(index)
        await settle(pilot)


async def test_a_verb_holds_its_row_under_the_cursor_until_the_cursor_moves_on(desk_app):
    app, notices = desk_app(), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        widget = await open_inbox(pilot)
        before = inbox_rows(app)
        index = next(i for i, row in enumerate(before)
                     if i >= 3 and row.kind == "query" and row.priority == "normal"
                     and app.agent.username not in row.assignees)
        query, below = before[index], before[index + 1]
        widget.move_cursor(index)
        await press(pilot, "p", "1")
        ranks = [row.id for row in inbox_rows(app)].index(query.id)
        assert ranks < index, "an urgent query ranks higher"
        assert (widget.cursor, widget.row_at(index).id) == (index, query.id)
        line = shown(widget)[index]
        assert line.endswith(f"↑ row {ranks + 1}") and "‼" in line  # read again: urgent now
        assert (f"#{query.id} ranks at row {ranks + 1} now (it was row {index + 1}); it stays "
                "under the cursor until you move on.") in notices
        assert f"#{query.id} " in text_of(app, "#inbox-detail")
        # the next verb acts on the same query
        await press(pilot, "a", "enter")
        assert task(app, query.id).row.assignees == (app.agent.username,)
        assert widget.row_at(index).id == query.id
        # moving on: the list takes its order, the cursor on the row that was below
        await press(pilot, "j")
        await settle(pilot)
        after = [row.id for row in inbox_rows(app)]
        assert listed(widget) == after
        assert widget.row_at(widget.cursor).id == below.id
        assert not any("↑ row" in line for line in shown(widget))


async def test_a_live_refresh_while_a_verb_is_written_leaves_the_row_held(desk_app, monkeypatch):
    app, notices = desk_app(), Notices()
    apply = triage.apply

    def apply_then_refresh(*args, **kwargs) -> triage.Summary:
        """The verb is written, and a live refresh arrives before the verb is reported."""
        summary = apply(*args, **kwargs)
        app.call_from_thread(app.screen.data_changed)
        return summary

    monkeypatch.setattr(triage, "apply", apply_then_refresh)
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        widget = await open_inbox(pilot)
        before = inbox_rows(app)
        index = next(i for i, row in enumerate(before)
                     if i >= 3 and row.kind == "query" and row.priority == "normal")
        query = before[index]
        widget.move_cursor(index)
        await press(pilot, "p", "1")
        await settle(pilot)
        assert (widget.cursor, widget.row_at(index).id) == (index, query.id)
        assert "↑ row" in shown(widget)[index]
        assert any(f"#{query.id} ranks at row" in notice for notice in notices)


async def test_a_held_row_another_agent_resolves_makes_way(desk_app):
    app, notices = desk_app(watch_interval=0.5), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        widget = await open_inbox(pilot)
        before = inbox_rows(app)
        index = next(i for i, row in enumerate(before)
                     if i >= 3 and row.kind == "query" and row.priority == "normal")
        query, below = before[index], before[index + 1]
        widget.move_cursor(index)
        await press(pilot, "p", "1")
        await wait_until(pilot, lambda: "↑ row" in shown(widget)[index], "the held row")

        def resolve() -> None:
            """A colleague resolves the query."""
            tasks.update(app.agent, query.id, tasks.get(query.id).row.version,
                         status="Resolved")

        await another_agent(app, resolve)
        await wait_until(pilot, lambda: widget.row_at(index).id != query.id, "the way made")
        assert (widget.cursor, widget.row_at(index).id) == (index, below.id)
        assert f"#{query.id} left the inbox; the next row is under the cursor." in notices


async def test_a_row_that_leaves_the_inbox_makes_way_for_the_next(desk_app):
    app, notices = desk_app(), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        widget = await open_inbox(pilot)
        before = inbox_rows(app)
        index = next(i for i, row in enumerate(before) if i >= 2 and row.kind == "query")
        query, below = before[index], before[index + 1]
        widget.move_cursor(index)
        await press(pilot, "s")
        await type_text(pilot, "resol")
        await press(pilot, "enter")
        assert task(app, query.id).row.status == "Resolved"
        assert (widget.cursor, widget.row_at(index).id) == (index, below.id)
        assert query.id not in listed(widget)
        assert f"#{query.id} left the inbox; the next row is under the cursor." in notices


async def test_no_row_vanishes_when_a_row_far_down_a_long_inbox_leaves(desk_app, demo_db):
    with demo_db.connection_context(), demo_db.atomic():
        admin = agents.acting()
        list_id = Task.select(Task.task_list).where(Task.kind == "query").scalar()
        for number in range(140):  # nobody's new tasks: the inbox holds 180 rows
            tasks.create(admin, f"Backlog item {number}", list_id, now=DEMO_NOW)
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        widget = await open_inbox(pilot)
        await load_all(pilot, widget)
        # far down: its page (the second) is read from the end of the inbox
        index = widget.row_count - 30
        assert index > 100 and index > widget.row_count // 2
        widget.move_cursor(index)
        await settle(pilot)
        gone = widget.row_at(index)
        await press(pilot, "z")
        await type_text(pilot, "tomorrow 9:00")
        await press(pilot, "enter")
        await load_all(pilot, widget)
        expected = [row.id for row in inbox_rows(app)]
        assert gone.id not in expected
        assert listed(widget) == expected, "every row once, in order"


async def test_new_queries_are_announced_and_n_goes_to_the_newest(desk_app):
    app, notices = desk_app(watch_interval=0.5), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        widget = await open_inbox(pilot)
        await press(pilot, "o")  # newest first
        assert "newest first" in text_of(app, "#inbox-status")
        await press(pilot, "j", "j", "j")
        current = widget.row_at(widget.cursor)
        list_id = current.list_id

        def arrive() -> list[int]:
            """Two queries from customers, as intake would create them."""
            return [tasks.create(app.agent, title, list_id, kind="query",
                                 sla_rules=app.sla_rules).row.id
                    for title in ("Card terminal declines", "Door badge stopped working")]

        new = await another_agent(app, arrive)
        await wait_until(pilot, lambda: "2 new (N)" in text_of(app, "#inbox-status"),
                         "the arrivals on the status line")
        assert "2 new rows in the inbox: N shows the newest." in notices
        assert widget.row_at(widget.cursor).id == current.id, "the cursor kept its row"
        assert not any("Door badge" in line for line in shown(widget)), "above the view"
        await press(pilot, "N")
        assert (widget.cursor, widget.row_at(0).id) == (0, new[-1])
        assert "Door badge stopped working" in shown(widget)[0]
        assert " new " not in text_of(app, "#inbox-status")


async def test_n_finds_the_newest_row_where_the_urgency_order_ranks_it(desk_app):
    app, notices = desk_app(watch_interval=0.5), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        widget = await open_inbox(pilot)
        assert isinstance(app.screen, InboxScreen) and app.screen.order == "score"
        list_id = widget.row_at(0).list_id

        def arrive() -> int:
            """A query from a customer."""
            return tasks.create(app.agent, "Card terminal declines", list_id, kind="query",
                                sla_rules=app.sla_rules).row.id

        new = await another_agent(app, arrive)
        await wait_until(pilot, lambda: "1 new (N)" in text_of(app, "#inbox-status"),
                         "the arrival on the status line")
        assert "1 new row in the inbox: N shows the newest." in notices
        await press(pilot, "N")
        ranks = [row.id for row in inbox_rows(app)].index(new)
        assert (widget.cursor, widget.row_at(widget.cursor).id) == (ranks, new)
        assert " new " not in text_of(app, "#inbox-status")


async def test_help_shows_the_key_that_goes_to_the_newest(desk_app):
    app = desk_app(keymap={"inbox.newest": "f7"})
    async with app.run_test(size=SIZE) as pilot:
        await open_inbox(pilot)
        assert "f7 shows the newest" in key_text(app.screen, "{inbox.newest} shows the newest")
        await press(pilot, "question_mark")
        assert ("f7", "Newest", "inbox.newest") in [row[:3] for row in help_rows(app)]
