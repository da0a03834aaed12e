"""A status with its own colour is drawn in it: a chip of the colour with its name in black or
white, in the list rows (the selected one too), on the board's column heading and on the
task screen; a status without one keeps its category's theme colour."""

from __future__ import annotations

from textual.color import Color
from textual.widgets import Static

from desk.models import Task
from desk.pages.inbox import InboxRow
from desk.screens.renderers.columns import ThemeStyles
from desk.screens.renderers.task_rows import status_style
from desk.screens.screens.board import BoardScreen
from desk.screens.screens.task_screen import TaskScreen
from desk.screens.widgets.outline_list import OutlineLine
from desk.screens.widgets.task_fields import FieldsPanel
from desk.screens.widgets.virtual_list import VirtualList
from desk.work import filters, outline, tasks, workspace
from desk.work.shaping import statuses as status_edits

from .conftest import DEMO_NOW, settle

YELLOW, NAVY = "#ffd54f", "#1a237e"


def test_a_coloured_status_is_a_chip_with_readable_text_and_the_rest_keep_their_category():
    styles = ThemeStyles({"status-open": "#00ff00"})
    light, dark = status_style(styles, "open", YELLOW), status_style(styles, "open", NAVY)
    assert (light.background, light.foreground) == (Color.parse(YELLOW), Color(0, 0, 0))
    assert (dark.background, dark.foreground) == (Color.parse(NAVY), Color(255, 255, 255))
    plain = status_style(styles, "open", "")
    assert (plain.background, plain.foreground) == (None, Color.parse("#00ff00"))


def coloured(app, name: str, colour: str) -> list[int]:
    """Colour the status `name` of the demo's Support inbox; the ids of its open tasks."""
    with app.database.connection_context():
        inbox = workspace.find_list("Support inbox").id
        status_edits.recolour(app.agent, inbox, name, colour)
        return [task for (task,) in Task.select(Task.id).join_from(Task, Task.status.rel_model)
                .where((Task.task_list == inbox) & (Task.status.rel_model.name == name)
                       & Task.closed_at.is_null()).tuples()]


def chip(strip, name: str) -> tuple[Color | None, Color | None]:
    """The background and text colour of the segment of a drawn line that shows `name`."""
    for segment in strip:
        if segment.text.strip() == name:
            style = segment.style
            return (Color.from_rich_color(style.bgcolor), Color.from_rich_color(style.color))
    raise AssertionError(f"no {name!r} in {strip.text!r}")


async def test_list_rows_the_board_and_the_task_screen_draw_the_status_colour(desk_app):
    app = desk_app()
    async with app.run_test(size=(120, 30)) as pilot:
        ids = coloured(app, "Waiting on customer", YELLOW)
        assert ids
        with app.database.connection_context():
            row = tasks.rows_for(ids[:1])[0]
            inbox = workspace.find_list("Support inbox").id
        assert row.status_colour == YELLOW
        rows = app.screen.query_one(VirtualList)  # the inbox's list draws the row
        shown = InboxRow(**{name: getattr(row, name) for name in row.__struct_fields__})
        for selected in (True, False):  # under the cursor and not: the chip keeps its colours
            strip = rows._draw(shown, selected, False, 100)
            assert chip(strip, "Waiting on…") == (Color.parse(YELLOW), Color(0, 0, 0))

        board = BoardScreen(inbox)
        await app.push_screen(board)
        await settle(pilot)
        await settle(pilot)
        column = next(c for c in board.columns if c.status.name == "Waiting on customer")
        heading = column.query_one(".board--heading", Static)
        assert (heading.styles.background, heading.styles.color) == (Color.parse(YELLOW),
                                                                     Color(0, 0, 0))
        plain = next(c for c in board.columns if c.status.name == "Open")
        assert plain.query_one(".board--heading", Static).styles.background != \
            Color.parse(YELLOW)
        app.pop_screen()

        await app.push_screen(TaskScreen(ids[0]))
        await settle(pilot)
        panel = app.screen.query_one(FieldsPanel)
        drawn = [panel.render_line(y) for y in range(panel.size.height)]
        status_line = next(strip for strip in drawn if "Waiting on customer" in strip.text)
        assert chip(status_line, "Waiting on customer") == (Color.parse(YELLOW), Color(0, 0, 0))


async def test_the_status_headings_of_a_grouped_list_are_drawn_in_the_colour(desk_app):
    app = desk_app()
    async with app.run_test(size=(120, 30)):
        coloured(app, "Waiting on customer", YELLOW)
        with app.database.connection_context():
            inbox = workspace.find_list("Support inbox").id
            context = filters.Context(app.agent.username, DEMO_NOW)
            lines = outline.Outline(outline.View(list_id=inbox, grouped=True),
                                    context).page(0, 200).rows
        heading = next(line for line in lines if line.heading is not None
                       and line.heading.name == "Waiting on customer")
        other = next(line for line in lines if line.heading is not None
                     and line.heading.name == "Open")
        drawn = OutlineLine(app.theme_variables, DEMO_NOW)
        strip = drawn.render(heading, 80, False, False)
        name = next(segment for segment in strip if "Waiting" in segment.text)
        assert Color.from_rich_color(name.style.bgcolor) == Color.parse(YELLOW)
        plain = next(segment for segment in drawn.render(other, 80, False, False)
                     if "Open" in segment.text)
        assert plain.style.bgcolor is None
