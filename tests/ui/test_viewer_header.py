"""A viewer is told in the header, on every screen, that nothing can be changed; others
are not."""

from __future__ import annotations

from desk.kernel import agents

from .conftest import press, settle

SIZE = (80, 24)


def header_text(app) -> str:
    """The header's title line as shown."""
    return str(app.screen.query_one("HeaderTitle").render())


async def test_a_viewer_sees_read_only_in_the_header_everywhere(desk_app, demo_db):
    with demo_db.connection_context():
        viewer = agents.acting("sam")
    app = desk_app(agent=viewer)
    async with app.run_test(size=SIZE) as pilot:
        for key in ("1", "2", "3"):
            await press(pilot, key)
            assert header_text(app).endswith("viewer: read only"), key
        app.open_task(53)
        await settle(pilot)
        assert header_text(app).endswith("viewer: read only")


async def test_an_agent_sees_no_viewer_note(desk_app):
    app = desk_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "desk" in header_text(app) and "viewer" not in header_text(app)
