"""An open app follows the workspace's settings saved later by someone else (an admin's
`desk init --timezone --hours --company`, a wizard in another app): without a restart, the
header names the company, the times show in the new zone and the SLA clocks count the new
working hours."""

from __future__ import annotations

from desk.app import DeskApp
from desk.kernel import agents, workspace_settings
from desk.screens.widgets.task_fields import FieldsPanel

from .conftest import DEMO_NOW, Notices, settle, wait_until
from .test_live_refresh import another_agent
from .test_task_screen import text

SIZE = (100, 30)
QUERY = 53
"""A support query of the demo workspace, with SLA clocks."""
SAVED = {"company": "Acme [b]Ltd[/b]\x1b[31m", "timezone": "Asia/Tokyo",
         "hours": "Mon-Sun 06:00-22:00"}
"""What "another admin" saves: hostile text in the company name, too."""


def sla_lines(app: DeskApp) -> list[str]:
    """The task screen's SLA lines ("First reply …", "Resolution …")."""
    shown = text(app.screen.query_one(FieldsPanel)).splitlines()
    return [line.strip() for line in shown if line.strip().startswith(("First reply",
                                                                        "Resolution"))]


def header(app: DeskApp) -> str:
    """What the header's title says."""
    return str(app.format_title(app.screen.title or app.title, app.screen.sub_title or ""))


async def test_settings_saved_by_another_admin_apply_without_a_restart(desk_app):
    app = desk_app(watch_interval=0.2)
    # The real clock reads the time in the context's zone; the fixed one does the same.
    app.clock = lambda: DEMO_NOW.astimezone(app.context.now.tzinfo)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        app.open_task(QUERY)
        await wait_until(pilot, lambda: app.workspace is not None, "the first read")
        before = sla_lines(app)
        assert before and "Acme" not in header(app)

        def save() -> None:
            workspace_settings.save(agents.acting(), SAVED)

        await another_agent(app, save)
        await wait_until(pilot, lambda: sla_lines(app) != before, "the SLA lines to change")

        assert header(app).startswith("desk · Acme [b]Ltd[/b]␛[31m")
        assert app.now().utcoffset().total_seconds() == 9 * 3600
        calendar = app.sla_rules.calendar
        assert str(calendar.zone) == "Asia/Tokyo" and calendar.weekdays == frozenset(range(7))
        # The times are shown in Tokyo: nine hours on from the UTC ones shown before.
        assert [line.replace("17:25", "08:25").replace("23:27", "14:27")
                for line in sla_lines(app)] == before
        assert "answered 2026-11-13 17:25" in sla_lines(app)[0]
        assert ("The workspace's settings changed: company Acme [b]Ltd[/b]␛[31m; "
                "time zone Asia/Tokyo; working hours Mon-Sun 06:00-22:00.") in notices
        await settle(pilot)
