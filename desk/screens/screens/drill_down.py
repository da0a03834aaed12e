"""The rows behind a dashboard figure: `enter` on a tile or a bar opens them here.

`DrillDownScreen(label, drill, now)` lists exactly the tasks or clients a figure counts,
through the query language (`DrillDown.query`, read with the dashboard's moment as "now"),
in a VirtualList like every other list, so it opens the same at a million rows. `enter` opens
a task or client, `escape` goes back to the dashboard. The figure's query is shown above the
list, so the person can see (and reuse in `/`) what the number means. When a figure names its
rows by id and there were more than the dashboard lists, the screen says so.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from msgspec.structs import replace
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets import Static

from desk.metrics.dashboard import MAX_IDS, DrillDown
from desk.metrics.figures import TASKS
from desk.screens.grammar import nav
from desk.screens.renderers import task_rows
from desk.screens.renderers.client import rows as client_rows
from desk.screens.renderers.client.rows import ClientLine
from desk.screens.renderers.task_rows import TaskLine
from desk.screens.safe import safe_line
from desk.screens.sources import ClientSource, TaskSource
from desk.screens.widgets.key_bar import KeyBar
from desk.screens.widgets.title_header import TitleHeader
from desk.screens.widgets.virtual_list import VirtualList


class DrillDownScreen(Screen[None]):
    """The tasks or clients one dashboard figure counts."""

    TITLE = "Dashboard"
    BINDINGS: ClassVar[list[Binding]] = [
        nav("nav.back", "back", show=True),
    ]

    def __init__(self, label: str, drill: DrillDown, now: datetime) -> None:
        """`label` names the figure; `now` is the moment the dashboard counted at."""
        super().__init__()
        self.label = label
        self.drill = drill
        self.now = now
        self.line: TaskLine | ClientLine | None = None

    def compose(self) -> ComposeResult:
        yield TitleHeader()
        yield Static(id="drill-what")
        yield Static(id="drill-heading")
        yield VirtualList(None, self.render_row, id="drill-list")
        yield KeyBar()

    @property
    def rows(self) -> VirtualList:
        """The list of rows."""
        return self.query_one("#drill-list", VirtualList)

    @property
    def of_tasks(self) -> bool:
        """Whether the figure counts tasks (else clients)."""
        return self.drill.scope == TASKS

    def on_mount(self) -> None:
        self.title = self.app.title
        self.sub_title = f"Dashboard › {self.label}"
        self.line = self.new_line()
        self.rows.set_source(self.source())
        self.rows.focus()
        self.show_what()

    def new_line(self) -> TaskLine | ClientLine:
        """The row drawer for the scope, at the current theme and time."""
        if self.of_tasks:
            return TaskLine(self.app.theme_variables, self.app.now())
        return ClientLine(self.app.theme_variables, self.app.now(),
                          self.app.settings.money.currency)

    def source(self) -> TaskSource | ClientSource:
        """The rows of the figure: its query, read with the dashboard's moment as now."""
        app = self.app
        context = replace(app.query_context(), now=self.now)
        if self.of_tasks:
            return TaskSource(app.database, self.drill.query, context)
        return ClientSource(app.database, self.drill.query, context, app.agent)

    def show_what(self) -> None:
        """The figure's name and query, and a note when its id list was cut short."""
        what = Content.assemble((self.label, "bold"), ("  query ", "dim"))
        what += safe_line(self.drill.query, max(self.size.width - what.cell_length, 20))
        if not self.drill.complete:
            what += Content(f"  (the first {MAX_IDS:,} rows)").stylize("dim")
        self.query_one("#drill-what", Static).update(what)

    def on_resize(self) -> None:
        """The headings follow the width, once the list is laid out."""
        self.call_after_refresh(self.show_heading)

    def show_heading(self) -> None:
        """The column headings for the list's width."""
        heading = task_rows.heading if self.of_tasks else client_rows.heading
        self.query_one("#drill-heading", Static).update(
            heading(self.rows.scrollable_content_region.width or self.size.width))
        self.show_what()

    def render_row(self, row: Any, width: int, selected: bool, marked: bool) -> Strip:
        """One task or client line."""
        assert self.line is not None
        return self.line.render(row, width, selected, marked)

    def data_changed(self) -> None:
        """Rows changed: reload, keeping the cursor's row."""
        self.line = self.new_line()
        self.rows.reload(keep_cursor=True)

    def on_virtual_list_selected(self, message: VirtualList.Selected) -> None:
        """`enter` opens the task or the client."""
        message.stop()
        if self.of_tasks:
            self.app.open_task(message.row.id)
        else:
            self.app.open_client(message.row.id)

    def action_back(self) -> None:
        """Back to the dashboard."""
        self.app.pop_screen()
