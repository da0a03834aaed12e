"""Mode 1, the inbox: support queries and whatever needs a person now, triaged in place.

What the inbox holds is defined by desk.support.triage (not done, not snoozed, and a
query, overdue, or new and nobody's). The rows are a virtual list over `InboxSource`, most
ranked by urgency score (the score each task has stored: see desk.pages.inbox), newest
first or by priority (`o`), narrowed with `/` in the query
language; each query shows its SLA clock. Under the list a detail strip shows the current
row's SLA clocks, requester, client and newest comment, so a query can be triaged without
opening it; the triage verbs (`a s p t c z r n e`) come from TriageActions, and the inbox adds
`w` (why this row ranks here: its urgency score term by term) and `m` (merge queries). After a
verb the row acted on is held under the cursor until it moves on, and new rows are announced
(`N` goes to the newest): see desk.screens.actions.inbox_place.

The rows of one load are paged at one moment (`moment`): a key of the score order holds only
for the moment it was computed at. A reload takes a new moment.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from msgspec import Struct
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widgets import Static
from textual.worker import Worker, get_current_worker

from desk.clock import to_local
from desk.config import UrgencySettings
from desk.errors import NotFound
from desk.kernel.connections import on_own_connection
from desk.pages import inbox as inbox_page
from desk.pages.inbox import InboxRow
from desk.screens.actions.calls import can_write, run_service
from desk.screens.actions.inbox_place import InboxPlace
from desk.screens.dialogs.urgency_why import UrgencyScreen
from desk.screens.grammar import nav
from desk.screens.hints import key_text
from desk.screens.renderers import sla_clock
from desk.screens.renderers.inbox_rows import InboxLine, heading
from desk.screens.renderers.presence import presence_facts
from desk.screens.safe import safe, safe_line
from desk.screens.widgets.key_bar import KeyBar
from desk.screens.widgets.query_bar import QueryBar
from desk.screens.widgets.title_header import TitleHeader
from desk.screens.widgets.virtual_list import VirtualList
from desk.support import triage
from desk.work.filters import Context

if TYPE_CHECKING:
    from peewee import Database

    from desk.sla import Book
    from desk.support.merge import Merged

ORDER_WORDS = {"score": "most urgent first", "newest": "newest first", "urgent": "by priority"}
"""How each inbox order is named on the status line, in the order `o` goes round them."""
SETTLE_SECONDS = 0.08
"""The detail strip loads once the cursor has rested this long (not on every `j`)."""
LATEST_WORDS = {"reply": "replied", "note": "noted", "message": "wrote"}
"""How the newest comment is introduced in the detail strip."""


class InboxSource(Struct, frozen=True):
    """The inbox rows for a VirtualList (see desk.pages.inbox): narrowed by `query`,
    in `order` (urgency `weights` for the score), as of the moment `context()` gives when each
    page is asked for, with the SLA clocks by `sla_rules`. `counted(n)` hears every count.
    `total()` is the count of the moment paged at, once known:
    a page in the second half of the inbox is then read backwards from the end (`G` at a
    million tasks is one short query, not an offset past a hundred thousand rows)."""

    database: Database
    context: Callable[[], Context]
    sla_rules: Book
    query: str = ""
    order: str = "score"
    counted: Callable[[InboxSource, int, Context], None] | None = None
    weights: UrgencySettings | None = None
    total: Callable[[], int | None] | None = None
    reads_from_end: ClassVar[bool] = True  # the last pages are cheap: see RowSource

    def count(self) -> int:
        """How many tasks need someone now."""
        context = self.context()
        number = on_own_connection(self.database, triage.inbox_count, context, self.query)
        if self.counted is not None:
            self.counted(self, number, context)
        return number

    def page(self, number: int, size: int, after: tuple | None) -> Any:
        """One page: after a key when the list has it, else at an offset, or counted from
        the end when that is nearer."""
        offset, from_end = number * size, None
        total = self.total() if self.total is not None and after is None else None
        if total is not None and total // 2 < offset < total:
            size = min(size, total - offset)
            from_end = total - offset - size
        found = on_own_connection(self.database, inbox_page.page, self.context(), self.query,
                                  sla_rules=self.sla_rules, order=self.order,
                                  weights=self.weights, after=after,
                                  offset=0 if after else offset, limit=size,
                                  from_end=from_end)
        return found


class InboxScreen(InboxPlace):
    """The triage inbox: a status line, the rows, the current row's detail, the verbs."""

    TITLE = "Inbox"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "toggle_order", "Order", id="inbox.order"),
        Binding("w", "why", "Why", show=False, id="inbox.why"),
        Binding("m", "merge", "Merge", show=False, id="inbox.merge"),
        Binding("plus", "new_query", "New query", show=False, id="inbox.new_query"),
        nav("nav.filter", "filter", show=True),
        nav("nav.back", "clear_filter", "Clear filter"),
    ]

    class Counted(Message):
        """The inbox of `source` holds `count` tasks at `moment` (posted from the list's
        worker)."""

        def __init__(self, source: InboxSource, count: int, moment: Context) -> None:
            """`count` rows in the inbox of `source` at `moment`."""
            super().__init__()
            self.source, self.count, self.moment = source, count, moment

    def __init__(self) -> None:
        """The whole inbox, most urgent first, until `o` or `/` say otherwise."""
        super().__init__()
        self.query_text = ""
        """The filter in the query language ("" shows the whole inbox)."""
        self.order = "score"
        """One of triage.ORDERS."""
        self.moment: Context | None = None
        """The query context (with its moment) the list pages with until it reloads."""
        self.count: int | None = None
        """Tasks in the inbox, once counted."""
        self.counted_at: Context | None = None
        """The moment `count` was counted at: pages of another moment cannot use it."""
        self.marked = 0
        """Rows marked now."""
        self.line: InboxLine | None = None
        """Draws the rows; rebuilt when the theme or the time changes."""
        self.current: InboxSource | None = None
        """The source the list shows."""
        self.reload_on_resume = False
        """Whether coming back to this screen reloads it (not after a modal on top)."""
        self.glance: triage.Glance | None = None
        """What the detail strip shows (None: nothing)."""
        self.resting: tuple[int, float] = (0, 0.0)
        """The row the cursor is on, and when (time.monotonic) it will have rested there."""
        self.rest: Worker | None = None
        """The wait for the cursor to rest, while it runs."""

    def compose(self) -> ComposeResult:
        """Status line, headings, rows, detail strip, the query bar (hidden) and the keys."""
        yield TitleHeader()
        yield Static(id="inbox-status")
        yield Static(id="inbox-heading")
        yield VirtualList(None, self.render_row, id="inbox-list")
        yield Static(id="inbox-detail")
        yield QueryBar("tasks", id="inbox-query")
        yield KeyBar()

    def on_mount(self) -> None:
        """Start loading the rows; keys go to the list."""
        self.title = self.app.title
        self.sub_title = self.TITLE
        self.line = InboxLine(self.app.theme_variables, self.app.now(), mark=self.presence_mark)
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.data_changed())
        self.show_source()
        self.inbox.focus()

    @property
    def inbox(self) -> VirtualList:
        """The list of rows."""
        return self.query_one("#inbox-list", VirtualList)

    # --- TriageActions ---------------------------------------------------------------------

    def triage_list(self) -> VirtualList:
        """The verbs act on the inbox's rows."""
        return self.inbox

    def triage_listed(self) -> triage.Listed:
        """"Mark all" means every row of the inbox under the current filter."""
        return triage.Listed(self.app.query_context(), self.query_text, inbox=True)

    def triage_changed(self) -> None:
        """After a change: rows and detail again, the row acted on held in place (see
        InboxPlace)."""
        self.after_verb()

    # --- rows --------------------------------------------------------------------------------

    def show_source(self) -> None:
        """Show the inbox for the current filter and order, from the top."""
        self.count, self.held = None, None
        self.moment = self.app.query_context()
        self.current = InboxSource(self.app.database, self.paging_context,
                                   self.app.sla_rules, self.query_text, self.order,
                                   counted=self.post_count,
                                   weights=self.app.settings.urgency,
                                   total=self.known_count)
        self.inbox.set_source(self.current)
        self.show_status()
        self.check_arrivals(afresh=True)

    def known_count(self) -> int | None:
        """From the list's worker: the count of the current source at the moment paged at,
        once it has arrived (a count from before a reload would misplace a page read from
        the end: a row would vanish or show twice)."""
        return self.count if self.counted_at is self.moment else None

    def post_count(self, source: InboxSource, count: int, moment: Context) -> None:
        """From the list's worker: tell the screen the count."""
        self.post_message(self.Counted(source, count, moment))

    def paging_context(self) -> Context:
        """The context the rows of this load are paged with (one moment until a reload)."""
        assert self.moment is not None
        return self.moment

    def on_inbox_screen_counted(self, message: Counted) -> None:
        """The count arrived: show it; an empty inbox says so."""
        if message.source is not self.current:
            return
        self.count, self.counted_at = message.count, message.moment
        self.show_status()
        if not message.count:
            self.show_detail(None)

    def render_row(self, row: InboxRow, width: int, selected: bool, marked: bool) -> Strip:
        """One task line with its SLA clock (see InboxLine)."""
        assert self.line is not None
        return self.mark_held(row, self.line.render(row, width, selected, marked), width)

    def data_changed(self, stay: bool = False) -> None:
        """Rows changed (here or by another agent): reload, keeping the cursor's row (with
        `stay`, after a verb here: its place); count what arrived. While a row acted on is
        held under the cursor, the reload waits until the cursor moves on."""
        self.reload_on_resume = False
        if not stay and self.holding():
            self.check_arrivals(afresh=False)
            return
        self.moment = self.app.query_context()
        self.line = InboxLine(self.app.theme_variables, self.moment.now, mark=self.presence_mark)
        self.inbox.reload(keep_cursor=True, stay=stay)
        self.check_arrivals(afresh=False)
        row = self.inbox.row_at(self.inbox.cursor)
        if row is not None:
            self.load_detail(row.id)

    def on_screen_suspend(self) -> None:
        """Leaving for another screen (not a modal over this one) reloads on return."""
        self.reload_on_resume = not isinstance(self.app.screen, ModalScreen)

    def on_screen_resume(self) -> None:
        """Back from the task screen or another mode: the rows may have changed, and time
        has passed (snoozes end, tasks fall due). Once, if the app's live refresh has not
        reloaded the screen already."""
        self.call_after_refresh(self.resumed)

    def resumed(self) -> None:
        """After the screen is back: reload unless that happened meanwhile."""
        if self.reload_on_resume:
            self.data_changed()

    # --- status line and headings ------------------------------------------------------------

    def show_status(self) -> None:
        """How many, in which order, what is marked and filtered."""
        count = "counting…" if self.count is None else f"{self.count:,} to triage"
        order = ORDER_WORDS[self.order]
        parts = [Content.assemble((count, "bold"), ("  ·  ", "dim"), order,
                                  (key_text(self, " ({inbox.order})"), "dim"))]
        if self.marked:
            parts.append(Content.assemble(("  ·  ", "dim"), (f"{self.marked:,} marked", "bold")))
        if (arrived := self.arrivals_part()) is not None:
            parts.append(arrived)
        parts.append(Content.assemble(("  ·  filter ", "dim")))
        shown = Content.assemble(*parts)
        if self.query_text:
            shown += safe_line(self.query_text, max(self.size.width - shown.cell_length, 10))
        else:
            shown += Content.styled(key_text(self, "none ({nav.filter})"), "dim")
        self.query_one("#inbox-status", Static).update(shown)

    def on_resize(self) -> None:
        """The headings follow the width, once the list is laid out."""
        self.call_after_refresh(self.show_heading)

    def show_heading(self) -> None:
        """The column headings for the list's width."""
        self.query_one("#inbox-heading", Static).update(
            heading(self.inbox.scrollable_content_region.width or self.size.width))
        self.show_status()

    @on(VirtualList.MarksChanged)
    def marks_changed(self, message: VirtualList.MarksChanged) -> None:
        """Show how many rows the verbs will act on."""
        self.marked = message.count
        self.show_status()

    # --- the detail strip --------------------------------------------------------------------

    @on(VirtualList.CursorMoved)
    def cursor_moved(self, message: VirtualList.CursorMoved) -> None:
        """Show the detail of the row under the cursor once it has loaded and the cursor
        rests on it. One wait (a task on the UI thread's loop) runs until the cursor has
        rested; a move meanwhile only sets it a new row and moment, so a held key starts no
        thread, opens no connection and starts or cancels no task per row."""
        if message.row is not None:
            self.seen(message.row.id)
            self.let_go(message.row.id)
            self.resting = (message.row.id, time.monotonic() + SETTLE_SECONDS)
            if self.rest is None or self.rest.is_finished:
                self.rest = self.run_worker(self.rest_then_load, group="inbox-rest",
                                            exit_on_error=False)

    async def rest_then_load(self) -> None:
        """Wait until the cursor has rested SETTLE_SECONDS on its row, then load its detail."""
        while (wait := self.resting[1] - time.monotonic()) > 0:
            await asyncio.sleep(wait)
        self.load_detail(self.resting[0])

    def load_detail(self, task_id: int) -> None:
        """Load the glance at a task now (an earlier load is dropped)."""
        agent = self.app.agent

        def call() -> triage.Glance | None:
            """In the worker: read, unless the cursor has moved on meanwhile."""
            if get_current_worker().is_cancelled:
                return None
            return triage.glance(task_id, agent)

        run_service(self, call, done=self.detail_loaded, failed=self.detail_failed,
                    group="inbox-detail", newest=True)

    def detail_loaded(self, glance: triage.Glance | None) -> None:
        """Show the glance, if the cursor is still on its row."""
        row = self.inbox.row_at(self.inbox.cursor)
        if glance is not None and row is not None and row.id == glance.id:
            self.show_detail(glance)

    def detail_failed(self, error: Exception) -> bool:
        """A task deleted meanwhile simply shows no detail; other errors become notices."""
        self.show_detail(None)
        return isinstance(error, NotFound)

    def show_detail(self, glance: triage.Glance | None) -> None:
        """Title, who asked and for which client, and the newest word on it."""
        detail, self.glance = self.query_one("#inbox-detail", Static), glance
        if glance is None:
            detail.update(Content.styled("Nothing needs you here right now." if not self.count
                                         else "", "dim"), layout=False)
            return
        facts = [glance.kind]
        if glance.waiting_on:
            facts.append(f"waiting on {'us' if glance.waiting_on == 'us' else 'them'}")
        if glance.requester:
            facts.append(f"from {glance.requester}")
        if glance.client:
            facts.append(glance.client)
        if glance.channel:
            facts.append(f"via {glance.channel}")
        if glance.latest_at is not None:
            when = to_local(glance.latest_at, self.app.now().tzinfo)
            who = f"{glance.latest_author} {LATEST_WORDS.get(glance.latest_kind, 'wrote')}"
            intro = f"{who} {when:%b %d %H:%M}: "
        else:
            intro = "" if not glance.excerpt.strip() else "description: "
        excerpt = " ".join(glance.excerpt.split()) or "no description"
        width = max(detail.content_region.width, 20)
        lines = [safe_line(f"#{glance.id} {glance.title}", width).stylize("bold"),
                 presence_facts(self.presence_words(glance.id), facts, width),
                 Content.assemble(safe_line(intro).stylize("italic"), safe(excerpt))]
        row = self.inbox.row_at(self.inbox.cursor)
        if row is not None and row.id == glance.id and row.clocks is not None:
            assert self.line is not None
            lines.insert(1, sla_clock.summary(row.clocks, self.line.style))
        # a fixed height (desk.tcss): no layout, which would repaint the list's scrollbar
        detail.update(Content("\n").join(lines), layout=False)

    def presence_changed(self) -> None:
        """Who else is on the tasks changed: the detail strip says it too."""
        if self.glance is not None:
            self.show_detail(self.glance)

    def action_new_query(self) -> None:
        """`+`: the new-query form, for a query by phone or at the desk."""
        self.app.new_query()

    # --- order and filter ---------------------------------------------------------------------

    def action_toggle_order(self) -> None:
        """`o`: most urgent first (by score), newest first, by priority, and round again."""
        orders = list(ORDER_WORDS)
        self.order = orders[(orders.index(self.order) + 1) % len(orders)]
        self.show_source()

    # --- why here, and merge --------------------------------------------------------------------

    def action_why(self) -> None:
        """`w`: the current row's urgency score, term by term, at the moment it was ranked."""
        row = self.inbox.row_at(self.inbox.cursor)
        if row is None or self.moment is None:
            self.notify("There is no row here to explain.", severity="warning", markup=False)
            return
        note = ""
        if self.order != "score":
            note = key_text(self, f"The inbox is {ORDER_WORDS[self.order]} now; "
                                  "{inbox.order} ranks it by this score.")
        self.app.push_screen(UrgencyScreen(row.id, row.title, self.moment.now,
                                           self.app.settings.urgency, note))

    def action_merge(self) -> None:
        """`m`: merge the marked queries (or the current one and one picked) into one."""
        if not can_write(self, "merge queries"):
            return
        marks = self.inbox.marks
        if marks.all_rows:
            self.notify(key_text(self, "Mark the queries to merge with {nav.mark}; merging "
                                       "every row is not offered."),
                        severity="warning", markup=False)
            return
        row = self.inbox.row_at(self.inbox.cursor)
        ids = frozenset(marks.ids) or (frozenset({row.id}) if row is not None else frozenset())
        if not ids:
            self.notify("There is no query here to merge.", severity="warning", markup=False)
            return
        # imported here, on first use: the merge service brings the mail parser (some 50 ms
        # that the first paint does not need)
        from desk.screens.actions.merge_queries import MergeFlow

        MergeFlow(self, ids, self.merged).start()

    def merged(self, merged: Merged) -> None:
        """After a merge: say what happened, clear the marks, reload."""
        self.inbox.clear_marks()
        others = ", ".join(f"#{other}" for other in merged.merged)
        self.notify(f"Merged {others} into #{merged.keep_id} (moved {merged.summary()}); "
                    "closed them.", title="Merge", markup=False)
        self.data_changed()

    def action_filter(self) -> None:
        """`/`: narrow the inbox with a task query (checked in the bar)."""
        self.query_one("#inbox-query", QueryBar).open(self.query_text)

    def on_query_bar_submitted(self, message: QueryBar.Submitted) -> None:
        """A checked query: show the inbox rows it matches."""
        message.stop()
        self.apply_filter(message.text)

    def apply_filter(self, text: str) -> None:
        """Narrow the inbox to `text` ("" shows all of it)."""
        if text != self.query_text:
            self.query_text = text
            self.show_source()

    def action_clear_filter(self) -> None:
        """`escape`: the whole inbox again."""
        self.apply_filter("")

