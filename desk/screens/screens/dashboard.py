"""Mode 4, the dashboard: every relationship metric at a glance, each one a way into its rows.

Twelve tiles in a grid of four columns and three rows fill the screen (at 80x24 each tile has
five lines; a larger terminal gives each tile more room). The figures come from
desk.metrics.dashboard, one worker per section (support, SLA, clients, workload, attention,
NPS), so each tile fills in as soon as its section is counted (the CSAT tile shows NPS under
CSAT), and the screen counts again when the data changes. `p` cycles the period (30 days,
90 days, 12 months). h/l or tab move between tiles, j/k pick a line, and enter opens the rows
behind it (`DrillDownScreen`) or the client it names.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from desk.metrics import dashboard as metrics
from desk.screens.actions.calls import run_service
from desk.screens.grammar import nav
from desk.screens.hints import key_text
from desk.screens.renderers.dashboard_lines import TILES, lines_for
from desk.screens.screens.drill_down import DrillDownScreen
from desk.screens.widgets.dashboard_tile import Tile, TileLine
from desk.screens.widgets.key_bar import KeyBar
from desk.screens.widgets.line_list import LineList
from desk.screens.widgets.title_header import TitleHeader

PERIOD_WORDS = {"30d": "30 days", "90d": "90 days", "12m": "12 months"}
"""The periods in the order `p` cycles them, and how they read."""


class DashboardScreen(Screen[None]):
    """Tiles of the relationship metrics for a period; enter opens what a number counts."""

    TITLE = "Dashboard"
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("p", "period", "Period", id="dashboard.period"),
        nav("nav.right", "app.focus_next", "Next tile"),
        nav("nav.left", "app.focus_previous", "Previous tile"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.period = next(iter(PERIOD_WORDS))
        """The period shown, a key of PERIOD_WORDS."""
        self.counted_at = None
        """The moment the figures on show were counted for (the window's end)."""
        self.stale = True
        """The figures need counting again (the data changed while out of view)."""
        self.tile_parts: dict[str, dict[str, list]] = {}
        """Tile id -> section -> the lines that section last gave the tile."""

    def compose(self) -> ComposeResult:
        yield TitleHeader()
        yield Static(id="dashboard-period")
        with Grid(id="dashboard-tiles"):
            for tile_id, title, _section in TILES:
                yield Tile(title, id=f"tile-{tile_id}")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.app.title
        self.sub_title = self.TITLE
        self.query_one(Tile).focus()

    def on_screen_resume(self) -> None:
        """Shown (again): count, if anything changed meanwhile."""
        if self.stale:
            self.count()

    def data_changed(self) -> None:
        """Someone changed data: count again while in view, else when shown."""
        if self.app.screen is self:
            self.count()
        else:
            self.stale = True

    # --- counting -----------------------------------------------------------------------------

    def count(self) -> None:
        """Count every section for the period, each in its own worker."""
        self.stale = False
        span = metrics.window(self.period, self.app.now())
        self.counted_at = span.end
        self.show_period()
        for section, compute in metrics.SECTIONS.items():
            run_service(self, lambda compute=compute: compute(span),
                        done=lambda result, section=section: self.arrived(section, result),
                        group=f"dashboard-{section}", newest=True)

    def arrived(self, section: str, result: Any) -> None:
        """A section is counted: fill its tiles (a tile that several sections fill shows
        their lines in the order of metrics.SECTIONS)."""
        for tile_id, lines in lines_for(section, result,
                                          self.app.settings.money.currency).items():
            parts = self.tile_parts.setdefault(tile_id, {})
            parts[section] = lines
            self.query_one(f"#tile-{tile_id}", Tile).set_items(
                [line for name in metrics.SECTIONS for line in parts.get(name, ())])

    def show_period(self) -> None:
        """The period line: the periods, the chosen one highlighted, and the moment."""
        parts = [Content("Period ").stylize("dim")]
        for period, words in PERIOD_WORDS.items():
            chosen = period == self.period
            parts.append(Content(f" {words} ").stylize("reverse bold" if chosen else "dim"))
        when = self.counted_at.strftime("%Y-%m-%d %H:%M") if self.counted_at else ""
        changes = key_text(self, "{dashboard.period} changes")
        parts.append(Content(f"   {changes} · counted at {when}").stylize("dim"))
        self.query_one("#dashboard-period", Static).update(Content.assemble(*parts))

    def action_period(self) -> None:
        """Cycle the period and count again."""
        periods = list(PERIOD_WORDS)
        self.period = periods[(periods.index(self.period) + 1) % len(periods)]
        self.count()

    # --- opening ------------------------------------------------------------------------------

    def on_line_list_selected(self, event: LineList.Selected) -> None:
        """Enter on a line opens the rows behind its number, or the client it names."""
        event.stop()
        line: TileLine = event.item
        if line.client_id is not None:
            self.app.open_client(line.client_id)
        elif line.drill is not None and self.counted_at is not None:
            title = event.line_list.border_title or ""
            label = f"{title}: {line.label}" if line.label else str(title)
            self.app.push_screen(DrillDownScreen(label, line.drill, self.counted_at))
        else:
            self.notify(key_text(self, "This line is a ratio of the lines below it: {nav.open} "
                                       "on one of them opens its rows."), markup=False)
