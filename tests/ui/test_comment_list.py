"""A comment's body in the task screen: drawn visibly, and in part when it is very long."""

from __future__ import annotations

from desk.screens.widgets.comment_list import BODY_LINES, body_lines


def test_a_short_body_is_drawn_whole_and_visibly():
    lines = body_lines("one \x1b]52;c;QQ==\x07\ntwo " + "x" * 30, 20)
    assert [line.plain.rstrip() for line in lines] == ["one ␛]52;c;QQ==␇", "two",
                                                       "x" * 20, "x" * 10]


def test_a_long_body_is_drawn_in_part_and_says_so():
    for body in ("\n".join(f"line {n}" for n in range(10_000)), "x" * 1_000_000):
        lines = body_lines(body, 76)
        assert len(lines) == BODY_LINES + 1
        assert lines[-1].plain == "… the comment goes on: desk show prints it whole"
    assert len(body_lines("\n".join(["x"] * BODY_LINES), 76)) == BODY_LINES



async def test_messages_from_the_client_are_told_apart_and_so_is_the_portal(desk_app, demo_db):
    from desk.clock import utcnow
    from desk.kernel import agents
    from desk.models import Task, database
    from desk.screens.screens.task_screen import TaskScreen
    from desk.screens.widgets.comment_list import CommentList
    from desk.support import intake

    from .conftest import settle

    with demo_db.connection_context(), database.atomic():
        task_id = Task.get(Task.kind == "query").id
        for author, body in (("Ada <ada@acme.example>", "By mail"),
                             ("portal: ada@acme.example", "From the portal")):
            intake.add_message(agents.acting(), task_id, "message", author, body, None,
                               utcnow())
    async with desk_app().run_test(size=(100, 60)) as pilot:
        pilot.app.open_task(task_id)
        await settle(pilot)
        assert isinstance(pilot.app.screen, TaskScreen)
        widget = pilot.app.screen.query_one(CommentList)
        shown = [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]
    headings = [line for line in shown if line.startswith("✉")]
    assert headings[-2].startswith("✉ FROM CLIENT · Ada <ada@acme.example> · ")
    assert headings[-1].startswith("✉ FROM CLIENT VIA PORTAL · portal: ada@acme.example · ")
    assert "│ From the portal" in shown
