"""The running app's background worker: it does what `desk tick` does (recurring series,
automation rules) by itself, only for agents who may write, and shows a problem once."""

from __future__ import annotations

from datetime import UTC, timedelta

from desk.config import Settings
from desk.kernel import agents
from desk.models import Task
from desk.recurrence import series as recurrence
from desk.recurrence.series import SeriesSpec
from desk.work import tasks, workspace

from .conftest import DEMO_NOW, Notices, settle, wait_until

SIZE = (80, 24)
SERIES_TITLE = "Water the office plants"


def daily_series_due(database) -> int:
    """A task on Internal that recurs daily since three days before DEMO_NOW, set up back
    then, so that occurrences are due; returns its id."""
    then = DEMO_NOW - timedelta(days=3)
    with database.connection_context():
        admin = agents.acting()
        task = tasks.create(admin, SERIES_TITLE, workspace.find_list("Internal").id).row
        recurrence.set_series(admin, task.id, SeriesSpec("daily", starts_at=then), UTC,
                              calendar=Settings().business_calendar(), now=then)
    return task.id


def titled(database, title: str) -> int:
    """How many tasks have this title."""
    with database.connection_context():
        return Task.select().where(Task.title == title).count()


async def run_again(pilot, times: int = 2) -> None:
    """Run the background work by hand `times` more, as the timer would, each to its end."""
    for _ in range(times):
        pilot.app.background.run()
        await settle(pilot)


async def test_the_app_creates_due_occurrences_by_itself(desk_app, demo_db):
    daily_series_due(demo_db)
    app = desk_app(tick_interval=0.2)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: titled(demo_db, SERIES_TITLE) == 2,
                         "the occurrence due to be created")
        await run_again(pilot)  # later runs find nothing more due at the moment: no duplicate
        assert titled(demo_db, SERIES_TITLE) == 2


async def test_nothing_runs_for_a_viewer(desk_app, demo_db):
    daily_series_due(demo_db)
    with demo_db.connection_context():
        viewer = agents.add(agents.acting(), "vera", role="viewer", name="Vera Viewer")
    app, notices = desk_app(agent=viewer, tick_interval=0.1), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.pause(0.5)
        await settle(pilot)
        assert titled(demo_db, SERIES_TITLE) == 1 and notices == []


async def test_a_failing_rule_is_shown_once_as_a_notice(desk_app, demo_db):
    rule = {"name": "broken", "when": "task_created",
            "do": [{"create_task": {"title": "Copy", "list": "Nowhere"}}]}
    app, notices = desk_app(tick_interval=0.1, automations=[rule]), Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        with demo_db.connection_context():
            tasks.create(agents.acting(), "[b]Hello[/b]", workspace.find_list("Internal").id)
        await wait_until(pilot, lambda: bool(notices), "the rule's problem to be shown")
        await run_again(pilot)  # the same problem again: not shown again
        problem = [text for text in notices if 'rule "broken"' in text]
        assert len(problem) == 1 and "no list named 'Nowhere'" in problem[0]
        assert "[b]Hello[/b]" in problem[0] and notices.markup == [False]
        assert notices.severity == ["warning"]
