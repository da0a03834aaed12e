"""SLA, urgency and triage in the inbox over the demo workspace at DEMO_NOW: the SLA clocks of
the rows (coloured when nearly or already breached), of the detail strip and of the task
screen; the inbox ranked by urgency and the breakdown of a row's score (`w`); round-robin
assignment over a team skipping an agent who is away; merging queries (`m`) after a
confirmation; and what a viewer may not do."""

from __future__ import annotations

from textual.strip import Strip
from textual.widgets import OptionList, Static

from desk.config import CalendarSettings, SlaSettings, UrgencySettings, UrgencyWeights
from desk.kernel import agents
from desk.models import Agent, Task
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.urgency_why import UrgencyScreen
from desk.screens.screens.inbox import InboxScreen
from desk.screens.screens.task_screen import TaskScreen
from desk.screens.widgets.task_fields import FieldsPanel
from desk.screens.widgets.virtual_list import VirtualList
from desk.work import comments, tasks

from .conftest import Notices, press, settle, type_text

SIZE = (100, 30)
INVOICE = "Invoice INV-2291 has the wrong VAT number"  # #58: the most urgent demo query
CALENDAR = "How do I share my calendar with the front desk?"  # #59
ECHO = "Echo on video calls in the board room"  # #57
GOOGLE = "Google shows our old opening hours"  # #61
SPAM = "Spam sent from our own address?"  # #54
TWO_USERS = "Two more users on our support hours plan"  # #66


async def open_inbox(pilot) -> VirtualList:
    """The inbox (the mode the app starts in) once its rows are in."""
    await settle(pilot)
    assert isinstance(pilot.app.screen, InboxScreen)
    return pilot.app.screen.query_one("#inbox-list", VirtualList)


def text_of(app, selector: str) -> str:
    """What a Static of the current screen shows."""
    return str(app.screen.query_one(selector, Static).render())


def index_of(widget: VirtualList, title: str) -> int:
    """The index of the row with this title."""
    return next(i for i in range(widget.row_count) if widget.row_at(i).title == title)


def line_of(widget: VirtualList, title: str) -> Strip:
    """The drawn line of the row with this title (it is in view)."""
    return widget.render_line(index_of(widget, title) - widget.scroll_offset.y)


def colour_of(strip: Strip, text: str) -> str | None:
    """The foreground colour (as #rrggbb) of the segment showing `text`."""
    segment = next(segment for segment in strip if text in segment.text)
    color = segment.style.color if segment.style else None
    return None if color is None else color.triplet.hex


def task_row(app, title: str) -> tasks.TaskRow:
    """The task with this title, as stored now."""
    with app.database.connection_context():
        task_id = Task.get(Task.title == title).id
        return tasks.get(task_id).row


def comment_bodies(app, task_id: int) -> list[tuple[str, str]]:
    """(kind, body) of a task's comments, oldest first."""
    with app.database.connection_context():
        return [(row.kind, row.body) for row in comments.for_task(task_id)]


def options_of(app) -> list[str]:
    """The labels of the open picker."""
    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


# --- SLA clocks ------------------------------------------------------------------------------


async def test_rows_detail_and_task_screen_show_the_sla_clocks(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        widget = await open_inbox(pilot)
        assert "Due/SLA" in text_of(app, "#inbox-heading")
        alarms = {name: app.theme_variables[name].lower() for name in ("error", "warning")}
        for title, cell, alarm in ((INVOICE, "overdue 31bh", "error"),  # resolution overdue
                                   (ECHO, "20bm left", "warning"),  # under 30 business minutes
                                   (SPAM, "41bh left", None)):
            line = line_of(widget, title)
            assert cell in line.text, title
            if alarm is None:
                assert colour_of(line, cell) not in alarms.values(), title
            else:
                assert colour_of(line, cell) == alarms[alarm], title
        # a task that is not a query shows its due date in the same column
        assert "3d late" in line_of(widget, "Chase overdue invoice for Harbourview Hotel").text

        assert widget.row_at(widget.cursor).title == INVOICE
        detail = text_of(app, "#inbox-detail")
        assert ("First reply late 1h 45m business time · Resolution overdue 31h business "
                "time") in detail.splitlines()[1]

        await press(pilot, "enter")
        screen = app.screen
        assert isinstance(screen, TaskScreen)
        panel = screen.query_one(FieldsPanel)
        fields = [panel.render_line(y).text.rstrip() for y in range(panel.size.height)]
        assert ("First reply  late 1h 45m business time · answered 2026-11-13 16:05"
                in fields)
        assert "Resolution   overdue 31h business time · due 2026-11-16 12:20" in fields


async def test_apps_with_their_own_calendars_in_one_process_each_count_their_own_clocks(
        desk_app, demo_db, run_desk, tmp_path):
    around_the_clock = CalendarSettings(days=["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                                        hours="00:00-24:00")
    # a command run in this process first, with a config of its own, leaves nothing behind
    config = tmp_path / "config.yaml"
    config.write_text("timezone: Pacific/Auckland\ncalendar:\n  hours: '00:00-24:00'\n")
    assert run_desk("--config", str(config), "--db", f"sqlite:///{demo_db.database}", "ls",
                    "kind:query")[0] == 0
    # the invoice query's resolution was due on Monday 12:20; now is Friday 10:00: 31 hours
    # of office time, 93 hours around the clock
    for settings, overdue in (({}, "overdue 31bh"),
                              ({"calendar": around_the_clock}, "overdue 93bh"),
                              ({}, "overdue 31bh")):
        app = desk_app(**settings)
        async with app.run_test(size=SIZE) as pilot:
            widget = await open_inbox(pilot)
            assert overdue in line_of(widget, INVOICE).text


# --- urgency ---------------------------------------------------------------------------------


async def test_the_inbox_ranks_by_urgency_and_w_shows_the_breakdown(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        widget = await open_inbox(pilot)
        assert "most urgent first (o)" in text_of(app, "#inbox-status")
        assert [widget.row_at(i).id for i in range(4)] == [58, 59, 72, 106]

        await press(pilot, "w")
        assert isinstance(app.screen, UrgencyScreen)
        title = str(app.screen.query_one(".dialog-title", Static).render())
        assert title.startswith("Why #58 ranks here: Invoice INV-2291")
        table = str(app.screen.query_one("#urgency-terms", Static).render())
        assert [line.split() for line in table.splitlines()] == [
            ["Term", "Value", "Weight", "Points"],
            ["SLA", "deadline", "overdue", "141h", "wall", "clock", "40", "80.0"],
            ["Priority", "high", "30", "22.5"],
            ["Client", "kind", "client", "10", "10.0"],
            ["Retainer", "£83.33", "a", "month", "10", "0.2"],
            ["Lead", "score", "lead", "score", "85", "5", "4.2"],
            ["Age", "165h", "old", "10", "9.9"],
            ["Waiting", "on", "us", "waiting", "on", "us", "15", "15.0"],
            ["Total", "141.8"],
        ]
        await press(pilot, "escape")
        assert isinstance(app.screen, InboxScreen)

        for order in ("newest first", "by priority", "most urgent first"):
            await press(pilot, "o")
            assert f"{order} (o)" in text_of(app, "#inbox-status")


async def test_the_weights_come_from_the_config(desk_app):
    weights = UrgencyWeights(sla=0, priority=100, client=0, retainer=0, lead_score=0, age=0,
                             waiting_on_us=0)
    app = desk_app(urgency=UrgencySettings(weights=weights))
    async with app.run_test(size=SIZE) as pilot:
        widget = await open_inbox(pilot)
        first = widget.row_at(0)
        assert first.priority == "urgent"  # by priority alone, an urgent task leads
        await press(pilot, "w")
        table = str(app.screen.query_one("#urgency-terms", Static).render()).splitlines()
        assert table[2].split()[-2:] == ["100", "100.0"]
        assert table[-1].split() == ["Total", "100.0"]


# --- round-robin -----------------------------------------------------------------------------


async def test_round_robin_over_a_team_skips_the_agent_who_is_away(desk_app, demo_db):
    with demo_db.connection_context():
        Agent.update(away=True).where(Agent.username == "tom").execute()
    app, notices = desk_app(), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        widget = await open_inbox(pilot)
        titles = (INVOICE, CALENDAR, GOOGLE)  # #58 and #59 are tom's, #61 maria's
        assert [task_row(app, title).assignees for title in titles] == [
            ("tom",), ("tom",), ("maria",)]
        for title in titles:
            widget.move_cursor(index_of(widget, title))
            await press(pilot, "x")
        await press(pilot, "a")
        await type_text(pilot, "support, round")
        await press(pilot, "enter")
        assert "3 tasks given round-robin to team Support" in notices[-1]
        # Support's members in the order they became agents: the admin, maria, tom, li; tom is
        # away, so the turns go to the admin, maria and li (the tasks taken in id order).
        rows = [task_row(app, title) for title in titles]
        assert [row.assignees for row in rows] == [(app.agent.username,), ("maria",), ("li",)]
        with app.database.connection_context():
            assert {tasks.get(row.id).team for row in rows} == {"Support"}

        widget.move_cursor(index_of(widget, TWO_USERS))  # li's: the turn comes round again
        await press(pilot, "a")
        await type_text(pilot, "support, round")
        await press(pilot, "enter")
        assert task_row(app, TWO_USERS).assignees == (app.agent.username,)


# --- merge -----------------------------------------------------------------------------------


async def test_merging_marked_queries_asks_first_then_keeps_the_oldest(desk_app):
    app, notices = desk_app(), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        widget = await open_inbox(pilot)
        echo, google = task_row(app, ECHO), task_row(app, GOOGLE)  # #57 is older than #61
        kept_before, moved = comment_bodies(app, echo.id), comment_bodies(app, google.id)
        for title in (ECHO, GOOGLE):
            widget.move_cursor(index_of(widget, title))
            await press(pilot, "x")

        await press(pilot, "m")
        assert isinstance(app.screen, PickScreen)
        assert options_of(app)[0].startswith(f"keep #{echo.id} {ECHO} (oldest) · ")
        assert options_of(app)[-1] == "no, cancel: merge nothing"
        await press(pilot, "escape")  # cancelled: nothing changes
        assert task_row(app, GOOGLE).category == google.category
        assert comment_bodies(app, echo.id) == kept_before

        await press(pilot, "m", "enter")
        assert f"Merged #{google.id} into #{echo.id}" in notices[-1]
        assert task_row(app, GOOGLE).status == "Closed"
        assert comment_bodies(app, google.id) == [("note", f"merged into #{echo.id}")]
        merged = comment_bodies(app, echo.id)
        assert merged[:len(kept_before) + len(moved)] == kept_before + moved
        assert merged[-1][1].startswith(f"[merged from #{google.id}: {GOOGLE}]")
        assert GOOGLE not in [widget.row_at(i).title for i in range(widget.row_count)]
        assert widget.marks.count == 0


async def test_merging_the_current_query_with_one_picked_keeps_the_one_chosen(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        widget = await open_inbox(pilot)
        invoice, calendar = task_row(app, INVOICE), task_row(app, CALENDAR)  # #58, #59
        widget.move_cursor(index_of(widget, INVOICE))
        await press(pilot, "m")
        assert isinstance(app.screen, PickScreen)
        await type_text(pilot, "share my calendar")
        assert options_of(app)[0].startswith(f"#{calendar.id} {CALENDAR}")
        await press(pilot, "enter")
        first, second = options_of(app)[:2]
        assert first.startswith(f"keep #{invoice.id} {INVOICE} (oldest)")
        assert second.startswith(f"keep #{calendar.id} {CALENDAR}")
        await press(pilot, "down", "enter")  # keep the newer one
        assert task_row(app, INVOICE).status == "Closed"
        assert task_row(app, CALENDAR).category != "closed"
        assert comment_bodies(app, invoice.id) == [("note", f"merged into #{calendar.id}")]


# --- viewers ---------------------------------------------------------------------------------


async def test_a_viewer_may_see_why_but_not_merge_or_assign(desk_app, demo_db):
    with demo_db.connection_context():
        viewer = agents.acting("sam")
    app, notices = desk_app(agent=viewer), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        widget = await open_inbox(pilot)
        first = task_row(app, widget.row_at(0).title)
        await press(pilot, "m")
        assert isinstance(app.screen, InboxScreen), "no merge for a viewer"
        assert "viewer, so you cannot merge queries" in notices[-1]
        await press(pilot, "a")
        assert isinstance(app.screen, InboxScreen)
        assert "viewer, so you cannot assign tasks" in notices[-1]
        assert task_row(app, first.title) == first
        await press(pilot, "w")
        assert isinstance(app.screen, UrgencyScreen)


async def test_a_query_waiting_on_the_customer_shows_its_clock_paused_and_ranks_lower(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        widget = await open_inbox(pilot)
        waiting = [widget.row_at(i) for i in range(widget.row_count)
                   if widget.row_at(i).clocks and widget.row_at(i).clocks[1].status == "paused"]
        assert TWO_USERS in {row.title for row in waiting}
        alarms = {app.theme_variables[name].lower() for name in ("error", "warning")}
        line = line_of(widget, TWO_USERS)
        assert "paused" in line.text and "overdue" not in line.text
        assert colour_of(line, "paused") not in alarms
        # none of them is among the five most urgent rows any more
        assert not {row.id for row in waiting} & {widget.row_at(i).id for i in range(5)}

        widget.move_cursor(index_of(widget, TWO_USERS))
        await settle(pilot)
        assert "Resolution paused: waiting on the customer" in text_of(app, "#inbox-detail")
        await press(pilot, "w")
        table = str(app.screen.query_one("#urgency-terms", Static).render())
        assert "SLA deadline   no deadline" in table


async def test_with_the_pause_off_a_waiting_query_runs_late_again(desk_app):
    app = desk_app(sla=SlaSettings(pause_while_waiting=False))
    async with app.run_test(size=SIZE) as pilot:
        widget = await open_inbox(pilot)
        assert "paused" not in line_of(widget, TWO_USERS).text
        assert "overdue" in line_of(widget, TWO_USERS).text
