"""The Tasks mode: the workspace's lists and their tasks, with the triage verbs.

On the left, the sidebar tree of spaces and lists (`\\` shows or hides it; `tab` moves between
it and the list). On the right, the chosen list's tasks as an outline (desk.work.outline):
subtasks indented under their parent (`space` folds and unfolds, `left`/`right` too), grouped
by status under headings (`O`) or not, in any of the outline's sorts (`o` cycles them). The
list is a VirtualList over `OutlineSource`: it asks for the lines in view, page by page, so a
list of a million tasks opens and scrolls like one of a hundred.

`n` creates a task in place (title first; `enter` on it then opens the task screen for the
details), `/` filters with the query language, `v`/`V` recall and save views, `b` shows the
list as a board. The triage verbs come from `TriageActions`; here `n` is "new task", so the
internal note is on `N`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Input, Static

from desk.screens.actions.calls import can_write, describe, run_service
from desk.screens.actions.marks import MarkCount
from desk.screens.actions.triage import TriageActions
from desk.screens.dialogs.pick_view import PickViewScreen
from desk.screens.dialogs.save_view import SaveViewScreen
from desk.screens.grammar import nav
from desk.screens.hints import key_text
from desk.screens.safe import safe_line
from desk.screens.screens.board import BoardScreen
from desk.screens.widgets.key_bar import KeyBar
from desk.screens.widgets.new_task_row import NewTaskRow
from desk.screens.widgets.outline_list import ColumnHeading, OutlineLine, OutlineList, OutlineSource
from desk.screens.widgets.query_bar import QueryBar
from desk.screens.widgets.sidebar import ALL_TASKS, Place, Sidebar, default_place, places
from desk.screens.widgets.title_header import TitleHeader
from desk.screens.widgets.virtual_list import VirtualList
from desk.support import triage
from desk.text import one_line
from desk.work import listing, outline, tasks
from desk.work.outline import Line

SIDEBAR_FROM = 100
"""Terminals at least this wide start with the sidebar shown; narrower ones give the list
the room (`\\` shows it)."""


class TasksScreen(MarkCount, TriageActions):
    """Mode 2: the workspace's spaces, lists and tasks."""

    TITLE = "Tasks"
    DEFAULT_CSS = """
    TasksScreen #tasks-main { width: 1fr; height: 1fr; }
    TasksScreen #tasks-title {
        height: 1; padding: 0 1; background: $panel; color: $text;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    TasksScreen #tasks-body { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_task", "New", id="tasks.new"),
        Binding("N", "triage_note", "Note", show=False, id="triage.note"),
        nav("nav.filter", "query", show=True),
        Binding("o", "cycle_sort", "Sort", id="tasks.sort"),
        Binding("O", "toggle_group", "Group", show=False, id="tasks.group"),
        Binding("space", "toggle_fold", "Fold", show=False, id="tasks.fold"),
        Binding("left", "fold(True)", "Fold subtasks", show=False, id="tasks.fold_close"),
        Binding("right", "fold(False)", "Unfold subtasks", show=False, id="tasks.fold_open"),
        Binding("b", "board", "Board", id="tasks.board"),
        Binding("T", "timer", "Start/stop timer", show=False, id="tasks.timer"),
        Binding("plus", "new_order", "New order", show=False, id="tasks.order"),
        Binding("v", "recall_view", "Views", show=False, id="tasks.views"),
        Binding("V", "save_view", "Save view", show=False, id="tasks.save_view"),
        Binding("backslash", "toggle_sidebar", "Lists", id="tasks.sidebar"),
        nav("nav.back", "clear_query", "Clear filter", show=True),
        # The triage verbs stay on their keys, but an 80-column footer has room only for
        # this mode's own keys; `?` lists them all.
        *(Binding(key, f"triage_{verb}", label, show=False, id=f"triage.{verb}")
          for key, verb, label in (("a", "assign", "Assign"), ("s", "status", "Status"),
                                   ("p", "priority", "Priority"), ("t", "tag", "Tag"),
                                   ("c", "client", "Client"), ("z", "snooze", "Snooze"),
                                   ("r", "reply", "Reply"), ("e", "open", "Open"))),
    ]

    class Counted(Message):
        """The source has counted its lines (posted from its worker)."""

    def __init__(self) -> None:
        """Nothing is shown until the sidebar has loaded the workspace."""
        super().__init__()
        self.place: Place | None = None
        self.default: Place | None = None
        self.query_text = ""
        self.sort = "position"
        self.grouped = False
        self.folds: dict[int | None, set[int]] = {}
        self.source: OutlineSource | None = None
        self._select: tuple[int, int] | None = None
        """(task id, line): a new task the cursor goes to once the list has that line."""

    def compose(self) -> ComposeResult:
        """Header, sidebar and list side by side, the query bar, the footer."""
        yield TitleHeader()
        with Horizontal():
            yield Sidebar(id="tasks-sidebar")
            with Vertical(id="tasks-main"):
                yield Static(Content("Loading the workspace…"), id="tasks-title")
                rows = OutlineList(None, self._render_line, id="tasks-list")
                yield ColumnHeading(rows, id="tasks-columns")
                with Container(id="tasks-body"):
                    yield rows
                    yield NewTaskRow(id="tasks-new")
                yield QueryBar("tasks", id="tasks-query")
        yield KeyBar()

    def on_mount(self) -> None:
        """Title, the line drawer, and the watches that keep the title and cursor right."""
        self.title = self.app.title
        self.sub_title = self.TITLE
        self._drawer = OutlineLine(self.app.theme_variables, self.app.now(), self.presence_mark)
        self.watch(self.rows, "virtual_size", self._resized, init=False)
        self.watch(self.app, "theme", self.data_changed, init=False)  # colours are drawn in
        if self.app.size.width < SIDEBAR_FROM:
            self.sidebar.add_class("-hidden")

    @property
    def rows(self) -> OutlineList:
        """The task list."""
        return self.query_one("#tasks-list", OutlineList)

    @property
    def sidebar(self) -> Sidebar:
        """The tree of spaces and lists."""
        return self.query_one("#tasks-sidebar", Sidebar)

    @property
    def new_row(self) -> NewTaskRow:
        """The in-place input for a new task."""
        return self.query_one("#tasks-new", NewTaskRow)

    def _render_line(self, line: Line, width: int, selected: bool, marked: bool) -> Strip:
        """Draw one line with the current drawer (rebuilt on every reload: theme, time)."""
        return self._drawer.render(line, width, selected, marked)

    # --- what is shown ---------------------------------------------------------------------

    def view(self) -> outline.View:
        """The outline the list shows now."""
        list_id = self.place.list_id if self.place else None
        return outline.View(self.query_text, list_id, self.sort, self.grouped,
                            frozenset(self.folds.get(list_id, ())))

    def show(self, place: Place) -> None:
        """Show another list (or the whole workspace): cursor and marks start afresh."""
        self.place = place
        self._reshow(fresh=True)

    def _reshow(self, fresh: bool = False) -> None:
        """Show the current view: from the top (`fresh`), or keeping the cursor's row."""
        if self.place is None:
            return
        context = self.app.query_context()
        if self.source is None:
            self.source = OutlineSource(self.app.database, self.view(), context,
                                        lambda: self.post_message(self.Counted()))
            fresh = True
        else:
            self.source.show(self.view(), context)
        if fresh:
            self.rows.set_source(self.source)
        else:
            self._reload()
        columns = self.query_one("#tasks-columns", ColumnHeading)
        columns.sort = self.sort
        columns.refresh()
        self._show_title()

    def _show_title(self) -> None:
        """The line over the columns: where, how many, in which order, which filter."""
        if self.place is None:
            return
        parts = [self.place.label]
        counted = self.source.tasks if self.source is not None else None
        if counted is not None:
            parts.append(f"{counted:,} task{'s' if counted != 1 else ''}")
        order = outline.SORTS[self.sort]
        parts.append(f"by status, {order}" if self.grouped and self.sort != "status"
                     else f"by {order}")
        if self.query_text:
            parts.append(f"/ {self.query_text}")
        self.query_one("#tasks-title", Static).update(safe_line("  ·  ".join(parts)))

    def _resized(self) -> None:
        """The list has more or fewer rows: fit the column headings (the scrollbar may have
        come or gone) and put the cursor on a line it was waiting for."""
        self.query_one("#tasks-columns", ColumnHeading).refresh()
        self._aim()

    def _reload(self) -> None:
        """Read the rows again, keeping the cursor on its row (or going to a new task's)."""
        self.rows.reload(keep_cursor=self._select is None)
        self._aim()

    def _aim(self) -> None:
        """Put the cursor on the new task's line, once the list has that many lines."""
        if self._select is not None and self._select[1] < self.rows.row_count:
            self.rows.move_cursor(self._select[1])

    @on(VirtualList.CursorMoved)
    def _arrived_at(self, message: VirtualList.CursorMoved) -> None:
        """The new task is under the cursor: it is selected."""
        if (self._select is not None and message.row is not None
                and (message.row.id, message.index) == self._select):
            self._select = None

    def on_key(self) -> None:
        """Any key: the person moves on, so the cursor no longer waits for a new task."""
        self._select = None

    @on(Counted)
    def _counted(self) -> None:
        """Show the count; pages drawn before it was known get their heading counts."""
        self._show_title()
        if self.source is not None and self.source.stale:
            self.source.stale = False
            self._reload()

    def data_changed(self) -> None:
        """Someone changed the data: reload, keeping the cursor's row and any draft."""
        # "late" moves with the clock; the presence marks are this screen's (ListPresence)
        self._drawer = OutlineLine(self.app.theme_variables, self.app.now(), self.presence_mark)
        if self.place is None:
            return
        self._reshow()
        self.sidebar.load()

    def on_screen_resume(self) -> None:
        """Back from the task screen (or another mode): show what changed meanwhile."""
        self.data_changed()

    # --- the sidebar ---------------------------------------------------------------------

    @on(Sidebar.Loaded)
    def _workspace_loaded(self, message: Sidebar.Loaded) -> None:
        """Pick the starting list; keep the current one while it still exists."""
        self.default = default_place(message.tree, self.app.settings.workspace.default_list)
        if self.place is None:
            self.show(self.default)
            self.sidebar.show_place(self.default)
            self.rows.focus()
        elif self.place.list_id is not None and all(
                place.list_id != self.place.list_id for place in places(message.tree)):
            self.show(self.default)

    @on(Sidebar.Chosen)
    def _chosen(self, message: Sidebar.Chosen) -> None:
        """A list was chosen in the sidebar: show it and go to it."""
        self.show(message.place)
        self.rows.focus()

    def action_toggle_sidebar(self) -> None:
        """Show the sidebar and go to it, or hide it and go back to the list."""
        sidebar = self.sidebar
        sidebar.toggle_class("-hidden")
        (self.rows if sidebar.has_class("-hidden") else sidebar).focus()
        self.call_after_refresh(self.query_one("#tasks-columns", ColumnHeading).refresh)

    # --- sort, group, fold ----------------------------------------------------------------

    def action_cycle_sort(self) -> None:
        """The next sort (list order, priority, status, due date, title, ...)."""
        names = list(outline.SORTS)
        self.sort = names[(names.index(self.sort) + 1) % len(names)]
        self._reshow(fresh=True)

    def action_toggle_group(self) -> None:
        """Group by status under headings, or not."""
        self.grouped = not self.grouped
        self._reshow(fresh=True)

    def current_line(self) -> Line | None:
        """The loaded line under the cursor."""
        return self.rows.row_at(self.rows.cursor)

    def action_toggle_fold(self) -> None:
        """Fold or unfold the subtasks of the task under the cursor (or of its parent)."""
        line = self.current_line()
        if line is None or line.task is None:
            return
        self.action_fold(not line.folded if line.subtasks else True)

    def action_fold(self, close: bool) -> None:
        """Fold (`close`) or unfold the subtasks under the cursor's task; folding on a
        subtask folds its parent and moves the cursor there."""
        line = self.current_line()
        if line is None or line.task is None or self.focused is not self.rows:
            return
        folded = self.folds.setdefault(self.view().list_id, set())
        if line.subtasks and (line.task.id in folded) != close:
            folded.symmetric_difference_update({line.task.id})
            self._reshow()
        elif close and line.depth:
            parent = self._parent_line(self.rows.cursor, line.depth)
            if parent is not None:
                self.rows.move_cursor(parent)
                folded.add(line.task.parent_id)
                self._reshow()

    def _parent_line(self, index: int, depth: int) -> int | None:
        """The index of the loaded line above `index` that is shallower than `depth`."""
        for above in range(index - 1, max(index - 500, -1), -1):
            line = self.rows.row_at(above)
            if line is None or line.task is None:
                return None
            if line.depth < depth:
                return above
        return None

    # --- new tasks ---------------------------------------------------------------------------

    def action_new_task(self) -> None:
        """`n`: an input row in place, under the cursor; enter creates the task."""
        if self.place is None or not can_write(self, "create tasks"):
            return
        rows = self.rows
        height = max(rows.scrollable_content_region.height, 1)
        line = rows.cursor - rows.scroll_offset.y + 1 if rows.row_count else 0
        self.new_row.open(min(max(line, 0), height - 1))

    @on(NewTaskRow.Submitted)
    def _create(self, message: NewTaskRow.Submitted) -> None:
        """Create the task in the list shown (in the status group of the cursor), then
        show it selected."""
        title = message.title.strip()
        if not title:
            self.new_row.refuse(key_text(self.new_row, "A task needs a title: type one, or "
                                                       "press {new_task.cancel} to cancel."))
            return
        if not can_write(self, "create tasks"):
            return
        list_id, status = self._new_task_home()
        if list_id is None:
            self.new_row.refuse("There is no list to add the task to: make a list first.")
            return
        agent, view, context = self.app.agent, self.view(), self.app.query_context()

        def call() -> tuple[tasks.TaskRow, int | None]:
            """In the worker: create, then find the line the task is on."""
            made = tasks.create(agent, title, list_id, status=status).row
            return made, outline.Outline(view, context).locate(made.id)

        run_service(self, call, done=self._created, failed=self._not_created,
                    group="new-task", exclusive=True)

    def _new_task_home(self) -> tuple[int | None, str | None]:
        """(list, status) for a new task: the list shown (for the whole workspace, the
        cursor task's list, else the default list) and, grouped, the cursor's status."""
        line = self.current_line()
        task = line.task if line is not None else None
        list_id = self.place.list_id if self.place else None
        if list_id is None:
            list_id = task.list_id if task else (self.default.list_id if self.default else None)
        status = None
        if self.grouped and self.place and self.place.list_id is not None and line:
            status = line.heading.name if line.heading else task.status
        return list_id, status

    def _created(self, result: tuple[tasks.TaskRow, int | None]) -> None:
        """The task exists: close the row, reload and select it (or say why it is hidden)."""
        made, line = result
        self.new_row.close()
        self.rows.focus()
        self._select = (made.id, line) if line is not None else None
        self._reshow()
        said = (key_text(self, "{nav.open} opens it for the details") if line is not None else
                f"“{one_line(made.title, 60)}” is hidden here by the filter")
        self.notify(f"Created task {made.id}: {said}.", title="New task", markup=False)

    def _not_created(self, error: Exception) -> bool:
        """Say in the row why the task was not created; the draft stays."""
        self.new_row.refuse(describe(error))
        return True

    @on(NewTaskRow.Cancelled)
    def _cancelled(self) -> None:
        """The draft was dropped: back to the list."""
        self.rows.focus()

    # --- query, views, board ---------------------------------------------------------------

    def action_query(self) -> None:
        """`/`: the query bar, holding the current filter."""
        self.query_one("#tasks-query", QueryBar).open(self.query_text)

    @on(QueryBar.Submitted)
    def _queried(self, message: QueryBar.Submitted) -> None:
        """Filter the list shown with the query."""
        message.stop()
        self.filter(message.text)
        self.rows.focus()

    def filter(self, text: str, sort: str | None = None) -> None:
        """Show the tasks of the list that match `text` (and sort them by `sort`)."""
        self.query_text = text.strip()
        if sort in outline.SORTS:
            self.sort = sort
        self._reshow(fresh=True)

    def action_clear_query(self) -> None:
        """`escape`: drop the filter."""
        if self.query_text:
            self.filter("")

    def action_recall_view(self) -> None:
        """`v`: pick a saved view; its query (and sort) apply to the list shown."""
        def picked(view: Any) -> None:
            """The chosen view, or None."""
            if view is not None:
                self.filter(view.query, view.sort or None)

        self.app.push_screen(PickViewScreen("tasks"), picked)

    def action_save_view(self) -> None:
        """`V`: save the current filter and sort as a named view."""
        if not can_write(self, "save views"):
            return
        sort = self.sort if self.sort in listing.TASK_SORTS else ""

        def saved(name: str | None) -> None:
            """Say that it worked."""
            if name:
                recalls = key_text(self, "{tasks.views} recalls it.")
                self.notify(f"Saved the view {one_line(name, 60)}: {recalls}", title="Views",
                            markup=False)

        self.app.push_screen(SaveViewScreen("tasks", self.query_text, sort), saved)

    def action_new_order(self) -> None:
        """The order form; the new order opens once created."""
        self.app.new_order()

    def action_board(self) -> None:
        """`b`: the list as a board, columns by status, with the same filter."""
        if self.place is None or self.place.list_id is None:
            self.notify(f"The board shows one list; pick a list in the sidebar ({ALL_TASKS} "
                        "has no columns of its own).", title="Board", markup=False)
            return
        self.app.push_screen(BoardScreen(self.place.list_id, self.query_text))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No screen key while text is typed; `escape` only while a filter is set."""
        if isinstance(self.focused, Input):
            return False  # typing a title or a query: the letters are text, not keys
        if action == "clear_query":
            return bool(self.query_text)
        return True

    # --- the triage host -------------------------------------------------------------------

    def triage_list(self) -> VirtualList:
        """The list the verbs act on."""
        return self.rows

    def triage_listed(self) -> triage.Listed:
        """Every task the list shows (after `X`)."""
        scope = f"list:{self.place.list_id} " if self.place and self.place.list_id else ""
        return triage.Listed(self.app.query_context(), f"{scope}{self.query_text}".strip())

    def triage_changed(self) -> None:
        """After a verb changed tasks: reload, keeping the cursor's row."""
        self._reshow()

    def triage_rows(self, what: str | None) -> Any:
        """The verbs' rows; a heading under the cursor is not a task."""
        line = self.current_line()
        if not self.rows.marks.count and line is not None and line.task is None:
            self.notify("This line is a status heading: move to a task to act on it.",
                        severity="warning", markup=False)
            return None
        return super().triage_rows(what)

    def action_timer(self) -> None:
        """`T`: start the agent's timer on the task under the cursor, or stop it there."""
        line = self.current_line()
        if line is not None and line.task is not None:
            self.app.timer.toggle(line.task.id)

    def action_triage_open(self) -> None:
        """`e`: open the task under the cursor (not a heading)."""
        line = self.current_line()
        if line is not None and line.task is not None:
            self.app.open_task(line.task.id)

