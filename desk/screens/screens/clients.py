"""Mode 3, clients: every client and customer in one virtual list, filtered with the query
language and sorted by name, newest, lead score or last contact.

The list asks `ClientSource` for the rows in view, so it opens the same at forty clients as at
forty thousand. Confidential clients show what the viewer may see (the source passes the
viewer to the listing service). `enter` opens the client screen, `n` the new-client form.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets import Static

from desk.crm.clients import ClientRow
from desk.screens.actions.client.form import open_new_client
from desk.screens.actions.marks import MarkCount
from desk.screens.grammar import nav
from desk.screens.hints import key_text
from desk.screens.renderers.client.rows import ClientLine, heading
from desk.screens.safe import safe_line
from desk.screens.sources import ClientSource
from desk.screens.widgets.key_bar import KeyBar
from desk.screens.widgets.query_bar import QueryBar
from desk.screens.widgets.title_header import TitleHeader
from desk.screens.widgets.virtual_list import VirtualList

SORTS = ("name", "newest", "score", "contact")
"""The orders `o` cycles through (see desk.work.listing.CLIENT_SORTS)."""
SORT_WORDS = {"name": "name", "newest": "newest first", "score": "lead score",
              "contact": "last contact"}
"""How each sort is named on the status line."""


class ClientsScreen(MarkCount, Screen[None]):
    """Clients and customers: kind, stage, manager, lead score, last contact, open queries and
    retainer, one line each."""

    TITLE = "Clients"
    BINDINGS: ClassVar[list[Binding]] = [
        nav("nav.filter", "filter", show=True),
        Binding("o", "sort", "Sort", id="clients.sort"),
        Binding("n", "new_client", "New client", id="clients.new"),
        nav("nav.back", "clear_filter", "Clear filter"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.query_text = ""
        """The filter in the query language ("" shows every client)."""
        self.sort = SORTS[0]
        """The current order, one of SORTS."""
        self.line: ClientLine | None = None
        """Draws the rows; rebuilt when the theme or the time changes."""

    def compose(self) -> ComposeResult:
        yield TitleHeader()
        yield Static(id="clients-status")
        yield Static(id="clients-heading")
        yield VirtualList(None, self.render_row, id="clients-list")
        yield QueryBar("clients", id="clients-query")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.app.title
        self.sub_title = self.TITLE
        self.line = ClientLine(self.app.theme_variables, self.app.now(),
                               self.app.settings.money.currency)
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self.clients.set_source(self.source())
        self.clients.focus()
        self.show_status()

    @property
    def clients(self) -> VirtualList:
        """The list of clients."""
        return self.query_one("#clients-list", VirtualList)

    def source(self) -> ClientSource:
        """The rows for the current filter and sort, as the acting agent may see them."""
        app = self.app
        return ClientSource(app.database, self.query_text, app.query_context(), app.agent,
                            self.sort)

    def render_row(self, row: ClientRow, width: int, selected: bool, marked: bool) -> Strip:
        """One client line (see ClientLine)."""
        assert self.line is not None
        return self.line.render(row, width, selected, marked)

    def show_status(self) -> None:
        """The status line: what is filtered and how it is sorted."""
        shown = Content.assemble(("Sort ", "dim"), SORT_WORDS[self.sort], ("  Filter ", "dim"))
        if self.query_text:
            shown += safe_line(self.query_text, max(self.size.width - shown.cell_length, 10))
        else:
            shown += Content.styled(key_text(self, "none ({nav.filter} filters, e.g. kind:client "
                                                   "stage:active)"), "dim")
        self.query_one("#clients-status", Static).update(shown)

    def on_resize(self) -> None:
        """The headings and the status follow the width, once the list is laid out."""
        self.call_after_refresh(self.show_heading)

    def show_heading(self) -> None:
        """The column headings for the list's width (its scrollbar gutter is always kept)."""
        self.query_one("#clients-heading", Static).update(
            heading(self.clients.scrollable_content_region.width or self.size.width))
        self.show_status()

    def _theme_changed(self, _theme: object) -> None:
        """New colours: draw the rows again."""
        self.data_changed()

    def data_changed(self) -> None:
        """Rows changed (here or by another agent): reload, keeping the cursor's row."""
        self.line = ClientLine(self.app.theme_variables, self.app.now(),
                               self.app.settings.money.currency)
        self.clients.reload(keep_cursor=True)

    def on_virtual_list_selected(self, message: VirtualList.Selected) -> None:
        """`enter` opens the client screen."""
        message.stop()
        self.app.open_client(message.row.id)

    def action_sort(self) -> None:
        """Cycle the order: name, newest, lead score, last contact."""
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.clients.set_source(self.source())
        self.show_status()

    def action_new_client(self) -> None:
        """The new-client form; the new client opens once saved."""
        open_new_client(self.app)

    def action_filter(self) -> None:
        """Open the query bar on the current filter; its mistakes are shown in the bar."""
        self.query_one("#clients-query", QueryBar).open(self.query_text)

    def on_query_bar_submitted(self, message: QueryBar.Submitted) -> None:
        """A checked query: show the clients it matches."""
        message.stop()
        self.apply_filter(message.text)

    def apply_filter(self, text: str) -> None:
        """Show the clients matching `text` ("" shows all)."""
        if text == self.query_text:
            return
        self.query_text = text
        self.clients.set_source(self.source())
        self.show_status()

    def action_clear_filter(self) -> None:
        """Show every client again."""
        self.apply_filter("")
