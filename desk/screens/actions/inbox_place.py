"""The inbox keeps its place: after a verb, and when new rows arrive.

After a verb (status, priority, assign, tag...) the row acted on stays where it was, under
the cursor, read again and marked with where it ranks now ("↓ row 14"), and a notice says
so; the list takes its new order when the cursor moves on (`j` goes to the row that was
below it, wherever both rank now). So several verbs in a row act on the same query (`p 1`,
`a enter`, `t billing`...), which is how a query is triaged, and nothing moves under the
cursor unasked. A live refresh meanwhile reads the held row alone again, and the rest of the
list waits for the cursor to move on. A row that left the inbox (resolved or snoozed, here or
by another agent) makes way: the next row comes under the cursor, and a notice says
"#129 left the inbox". Why not follow the row to its new rank (as the inbox did): the agent
loses their place in the queue at every verb. Why not let the next row slide under the
cursor at once: the next verb of the same triage would hit another query.

New rows (a task id grows with its creation) are counted against the newest row the agent
has seen: at each reload (the live refresh's too) the status line says "2 new (N)" and a
notice announces each new batch once. `N` (`inbox.newest`) puts the cursor on the newest
row, wherever the order ranks it; reaching it any other way counts as seeing them too.

The host is the InboxScreen: it provides `inbox`, `moment`, `order`, `query_text`,
`show_status` and `data_changed`; it calls `after_verb` from its
`triage_changed`, `holding` before it reloads, `check_arrivals` when it loads, `seen` and
`let_go` when the cursor moves, and `mark_held` and `arrivals_part` when it draws.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from msgspec import Struct
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.strip import Strip

from desk.pages import inbox as inbox_page
from desk.pages.inbox import InboxRow
from desk.screens.actions.calls import run_service
from desk.screens.actions.triage import Change, Rows, TriageActions
from desk.screens.hints import key_text
from desk.support import triage

if TYPE_CHECKING:
    from desk.screens.widgets.virtual_list import VirtualList
    from desk.work.filters import Context


class Held(Struct, frozen=True):
    """The row of task `task_id` acted on at row `index`, held there under the cursor;
    `place` is where it ranks now (None while that is being read)."""

    task_id: int
    index: int
    place: int | None


class InboxPlace(TriageActions):
    """Triage verbs that keep the inbox's place, and the arrivals of new rows."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("N", "newest", "Newest", show=False, id="inbox.newest"),
    ]

    # what the host provides (see the module's docstring)
    inbox: VirtualList
    moment: Context | None
    order: str
    query_text: str

    def __init__(self) -> None:
        """Nothing seen yet: the first load sets what counts as new."""
        super().__init__()
        self.newest_seen: int | None = None
        """The newest task id the agent has seen in the inbox (None: not read yet)."""
        self.arrived = 0
        """Rows newer than that, at the last reload."""
        self.newest: int | None = None
        """The newest task id in the inbox at the last reload."""
        self.held: Held | None = None
        """The row acted on, held under the cursor."""
        self.acting: tuple[int, int] | None = None
        """The one row (task id, row) the verb being reported acted on."""
        self.applying = False
        """A verb is being written: a live refresh meanwhile waits for its reload."""

    def show_status(self) -> None:
        """The host's status line (which shows `arrivals_part`)."""
        raise NotImplementedError

    def data_changed(self, stay: bool = False) -> None:
        """The host's reload (`stay`: the cursor keeps its place)."""
        raise NotImplementedError

    # --- after a verb --------------------------------------------------------------------------

    def run_change(self, rows: Rows, change: Change) -> None:
        """Write the verb; until it is reported, a live refresh waits (reloading between
        the write and `after_verb` would move the cursor with the row to its new rank)."""
        self.applying = True
        super().run_change(rows, change)

    def change_failed(self, error: Exception) -> bool:
        """The verb failed: the list is read again as it is (a live refresh may have waited
        for it), and the error shows as a notice."""
        self.applying = False
        self.data_changed()
        return False

    def changed(self, rows: Rows, change: Change, summary: triage.Summary) -> None:
        """After a verb: note the one row acted on and where it was, for `after_verb`
        (which the host's `triage_changed` calls)."""
        single = not rows.marked and rows.target.every is None
        self.acting = (next(iter(rows.target.ids)), self.inbox.cursor) if single else None
        super().changed(rows, change, summary)

    def after_verb(self) -> None:
        """Reload after a verb: the row acted on is held under the cursor (read again) when
        it ranks elsewhere now, or makes way for the next row when it left the inbox."""
        acting, self.acting, self.applying = self.acting, None, False
        if acting is None:
            self.held = None
            self.data_changed(stay=True)
            return
        task_id, was = acting
        if self.held is None or (self.held.task_id, self.held.index) != acting:
            self.held = Held(task_id, was, None)  # a live refresh meanwhile waits
        self.restand(tell=True)

    def restand(self, tell: bool) -> None:
        """Read the held row again, and where it ranks now, in a worker (`tell`: say it)."""
        assert self.held is not None
        task_id, was = self.held.task_id, self.held.index
        context, text, order = self.app.query_context(), self.query_text, self.order
        rules, weights = self.app.sla_rules, self.app.settings.urgency
        run_service(self, lambda: inbox_page.standing(context, task_id, text, sla_rules=rules,
                                                      order=order, weights=weights),
                    done=lambda found: self.stood(task_id, was, found, tell),
                    failed=lambda _error: self.let_go(None) or False, group="inbox-where")

    def stood(self, task_id: int, was: int, found: inbox_page.Standing, tell: bool) -> None:
        """Hold the row, or let the list take its new order, and say where it went."""
        if self.held is None or (self.held.task_id, self.held.index) != (task_id, was):
            return  # the cursor moved on meanwhile
        shown = self.inbox.row_at(was)
        if found.place is None or found.row is None or found.place == was or (
                shown is None or shown.id != task_id or self.inbox.cursor != was):
            self.held = None
            self.data_changed(stay=True)
            if found.place is None:
                where = " under this filter" if self.query_text else ""
                self.notify(f"#{task_id} left the inbox{where}; the next row is under the "
                            "cursor.", title="Inbox", markup=False)
            return
        self.held = Held(task_id, was, found.place)
        self.inbox.replace_row(was, found.row)
        if tell:
            self.notify(f"#{task_id} ranks at row {found.place + 1:,} now (it was row "
                        f"{was + 1:,}); it stays under the cursor until you move on.",
                        title="Inbox", markup=False)

    def holding(self) -> bool:
        """Whether a row acted on is held: a reload then waits until the cursor moves on,
        and the held row alone is read again (another agent may have changed or closed
        it). While a verb is being written, its own reload is still to come."""
        if self.applying:
            return True
        if self.held is None:
            return False
        if self.held.place is not None:
            self.restand(tell=False)
        return True

    def let_go(self, row_id: int | None) -> None:
        """The cursor is on the row `row_id` (None: the hold failed): off the held row, the
        list takes its new order, the cursor staying on the row it is on."""
        if self.held is not None and row_id != self.held.task_id:
            self.held = None
            self.data_changed()

    def mark_held(self, row: InboxRow, strip: Strip, width: int) -> Strip:
        """The held row's line ends with where it ranks now: "↓ row 14"."""
        held = self.held
        if held is None or held.place is None or row.id != held.task_id:
            return strip
        tag = f" {'↓' if held.place > held.index else '↑'} row {held.place + 1:,} "
        if width <= len(tag) + 10:
            return strip
        return Strip.join([strip.crop(0, width - len(tag)),
                           Strip([Segment(tag, Style(bold=True, italic=True))])])

    # --- arrivals --------------------------------------------------------------------------------

    def check_arrivals(self, afresh: bool) -> None:
        """Count the rows newer than the newest seen (`afresh`: a new load, whose newest
        row is the one seen from now on), in a worker."""
        context, text = self.moment, self.query_text
        since = None if afresh else self.newest_seen
        assert context is not None
        run_service(self, lambda: triage.arrivals(context, since, text),
                    done=lambda found: self.arrivals_counted(found, since),
                    group="inbox-arrivals", newest=True)

    def arrivals_counted(self, found: triage.Arrivals, since: int | None) -> None:
        """Keep the count; announce a new batch once."""
        self.newest = found.newest
        if since is None or self.newest_seen is None:
            self.newest_seen, self.arrived = found.newest, 0
        elif since == self.newest_seen:
            if found.count > self.arrived:
                rows = "row" if found.count == 1 else "rows"
                self.notify(key_text(self, f"{found.count:,} new {rows} in the inbox: "
                                           "{inbox.newest} shows the newest."),
                            title="Inbox", markup=False)
            self.arrived = found.count
        self.show_status()

    def seen(self, row_id: int) -> None:
        """The cursor is on the row `row_id`: the newest row reached, nothing is new."""
        if self.arrived and self.newest is not None and row_id >= self.newest:
            self.newest_seen, self.arrived = self.newest, 0
            self.show_status()

    def arrivals_part(self) -> Content | None:
        """"2 new (N)" for the status line, while rows are new."""
        if not self.arrived:
            return None
        return Content.assemble(("  ·  ", "dim"), (f"{self.arrived:,} new", "bold"),
                                (key_text(self, " ({inbox.newest})"), "dim"))

    def action_newest(self) -> None:
        """`N`: the cursor on the newest row, wherever the order ranks it."""
        task_id = self.newest
        if task_id is None:
            self.notify("The inbox is empty.", severity="warning", markup=False)
            return
        if self.order == "newest":
            self.went_to(task_id, 0)
        else:
            self.locate(task_id, lambda at: self.went_to(task_id, at))

    def locate(self, task_id: int, then: Callable[[int | None], object]) -> None:
        """Find the row the task `task_id` stands at now, under the inbox's filter and in
        the order its rows came in, in a worker; `then(row)` (None: not in the inbox)."""
        context, text, order = self.moment, self.query_text, self.order
        weights = self.app.settings.urgency
        pause = self.app.sla_rules.pause_while_waiting
        assert context is not None

        def call() -> int | None:
            """In the worker: its row now."""
            return triage.inbox_position(context, task_id, text, order=order,
                                         weights=weights, pause_while_waiting=pause)

        run_service(self, call, done=then, group="inbox-where")

    def went_to(self, task_id: int, at: int | None) -> None:
        """Move the cursor to row `at`, where the newest row stands (None: it left)."""
        if at is None:
            self.notify(f"#{task_id} has left the inbox meanwhile.", severity="warning",
                        markup=False)
            return
        self.newest_seen, self.arrived = task_id, 0
        self.inbox.move_cursor(at)
        self.show_status()
