"""The task screen: everything about one task, editable from the keyboard.

`TaskScreen(task_id)` (opened by `app.open_task(id)`) loads the whole page in one service
call (`desk.pages.task.load`) in a worker and shows it in one scrolling column: the
fields panel, the description (Markdown), checklists, subtasks, comments and the history.
Tab moves between the sections, j/k within one.

Editing: enter or e edits the field under the cursor, and single keys reach the common ones
(T title, s status, p priority, a assignees, S start, d due, c client, t adds tags, D
description, R how it repeats: `desk.screens.dialogs.recurrence_form`). The shared modals do the
asking (see `desk.screens.actions.task.edits`); each save names the version the screen loaded.
When someone else saved the same field first, the conflict dialog shows both values: keep
theirs, overwrite with yours, or cancel back to your draft. r replies to the client, n adds
an internal note (append-only; `@name` in it tells that agent: desk.work.notices), N adds a
subtask, f follows or unfollows the task (desk.screens.actions.following), F saves a copy of
an attachment into the downloads folder (desk.screens.actions.task.attachments); u undoes the last
change (a reply still in its undo window is taken back and its editor opens again:
desk.screens.actions.undo). What is typed into the reply, note and description editors is
kept as a draft until it is saved (desk.screens.actions.drafts); `then` opens one of them as
soon as the task is shown (the palette's "Drafts…" does).
A viewer's edit keys are refused with the reason.

Descriptions are user text: escape codes are made visible before the Markdown is drawn, and
links in it are never followed (a click only says where it points).
"""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Markdown, Static

from desk.errors import ConflictError, OpenChecklistItems
from desk.pages import task as task_page
from desk.pages.task import ConflictRow, TaskPage
from desk.screens.actions.calls import can_write, run_service
from desk.screens.actions.drafts import Keepers
from desk.screens.actions.following import FOLLOW, FollowActions
from desk.screens.actions.new_tags import ask_before_creating
from desk.screens.actions.presence.task import TaskPresence
from desk.screens.actions.reply.mail import canned_for, tell_mailed
from desk.screens.actions.reply.recipients import choose_recipients
from desk.screens.actions.task import edits as task_edits
from desk.screens.actions.task.attachments import save_an_attachment
from desk.screens.actions.task.copy import CopyTask
from desk.screens.actions.task.edits import Typed
from desk.screens.actions.undo import UndoActions
from desk.screens.actions.undoable import undoable
from desk.screens.dialogs.conflict import KEEP_THEIRS, OVERWRITE, ConflictScreen
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.prompt import PromptScreen
from desk.screens.dialogs.recurrence_form import RecurrenceScreen
from desk.screens.dialogs.write_text import WriteTextScreen
from desk.screens.grammar import nav
from desk.screens.hints import key_hint, key_text, markdown_key
from desk.screens.renderers.task_rows import TaskLine
from desk.screens.widgets.checklist_panel import ChecklistPanel
from desk.screens.widgets.comment_list import CommentList
from desk.screens.widgets.key_bar import KeyBar
from desk.screens.widgets.line_list import LineList
from desk.screens.widgets.subtask_list import SubtaskList
from desk.screens.widgets.task_fields import FieldsPanel, field_lines
from desk.screens.widgets.task_history import HistoryList
from desk.screens.widgets.title_header import TitleHeader
from desk.text import one_line, visible
from desk.work import comments, tasks

NO_DESCRIPTION = "*No description yet: {task.description} writes one (Markdown).*"
"""What the description section shows for a task without one (desk's own Markdown; binding
ids in braces name the keys bound now)."""

DESCRIPTION_SHOWN = 10_000
"""The most characters of a description the screen draws, cut at the end of a paragraph
when one is near: Textual's Markdown makes a widget of each paragraph, and opening a task
with an e-mail thread of 200 KB took 1.8-2.2 s of CPU (50 KB: 0.5 s). The whole text is in
the description's editor."""
LEFT_OUT = "… {count:,} more characters: {{task.description}} opens the whole description"
"""The line under a description cut short (binding ids in double braces)."""


def description_preview(text: str) -> tuple[str, int]:
    """The part of a description the screen draws, and how many characters it leaves out."""
    if len(text) <= DESCRIPTION_SHOWN:
        return text, 0
    paragraph_end = text.rfind("\n\n", DESCRIPTION_SHOWN // 2, DESCRIPTION_SHOWN)
    shown = text[:paragraph_end if paragraph_end > 0 else DESCRIPTION_SHOWN]
    return shown, len(text) - len(shown)


SECTIONS = (
    ("Description", "{task.description} edits"),
    ("Checklists", "{checklist.toggle} toggle · {checklist.add_item} add · "
                   "{checklist.add_nested} nest · {checklist.move_down}/{checklist.move_up} "
                   "move · {checklist.delete} · {checklist.add_checklist} new list"),
    ("Subtasks", "{nav.open} opens · {task.subtask} adds"),
    ("Comments", "{task.reply} reply to client · {task.note} internal note · "
                 "{task.attachments} files"),
    ("History", "newest first"),
)
"""Each section's heading and the keys it offers (binding ids in braces, as bound now)."""


class TaskScreen(TaskPresence, FollowActions, CopyTask, UndoActions):
    """Everything about one task; every field editable by keyboard."""

    TITLE = "Task"
    BINDINGS: ClassVar[list[Binding]] = [
        nav("nav.back", "back", show=True),
        Binding("e", "edit", "Edit", id="task.edit"),
        Binding("s", "field('status')", "Status", id="task.status"),
        Binding("p", "field('priority')", "Priority", id="task.priority"),
        Binding("a", "field('assignees')", "Assign", id="task.assign"),
        Binding("d", "field('due')", "Due", id="task.due"),
        Binding("r", "comment('reply')", "Reply", id="task.reply"),
        Binding("C", "comment('copies')", "Reply with copies (CC)", show=False,
                id="task.reply_copies"),
        Binding("n", "comment('note')", "Note", id="task.note"),
        Binding("T", "field('title')", "Title", show=False, id="task.title"),
        Binding("S", "field('start')", "Start", show=False, id="task.start"),
        Binding("c", "field('client')", "Client", show=False, id="task.client"),
        Binding("t", "field('tags')", "Add tags (-tag removes)", show=False, id="task.tags"),
        Binding("D", "field('description')", "Description", show=False,
                id="task.description"),
        Binding("N", "subtask", "New subtask", show=False, id="task.subtask"),
        Binding("R", "repeat", "Repeat", show=False, id="task.repeat"),
        FOLLOW,
        Binding("F", "attachments", "Save an attachment", show=False,
                id="task.attachments"),
    ]

    def __init__(self, task_id: int, then: str | None = None) -> None:
        super().__init__()
        self.task_id = task_id
        self.then = then
        """An action to run once the task is shown (e.g. "comment('reply')")."""
        self.keepers = Keepers(self)
        """The drafts of the editors opened here, deleted once their text is saved."""
        self.page: TaskPage | None = None
        """What the screen shows, as last loaded; None until the first load lands."""
        self.stale = False
        """Data changed while a modal was open over this screen: reload when it closes."""
        self.follow_subtask: int | None = None
        """A subtask just created: the subtask list's cursor goes to it."""
        self.description_shown: str | None = None
        """The description as last drawn: a reload that leaves it as it was draws it again
        only when it changed."""

    def follow_target(self) -> tuple[int, str] | None:
        """`f` follows this task (desk.screens.actions.following)."""
        return self.task_id, self.page.detail.row.title if self.page else ""

    def compose(self) -> ComposeResult:
        yield TitleHeader()
        yield self.presence_line()
        with VerticalScroll(id="task-body"):
            yield FieldsPanel(id="task-fields")
            headings = iter(SECTIONS)
            yield self.heading(*next(headings))
            yield Markdown(self.no_description(), id="task-description", open_links=False)
            yield Static(id="task-description-more")
            yield self.heading(*next(headings))
            yield ChecklistPanel(id="task-checklists")
            yield self.heading(*next(headings))
            yield SubtaskList(id="task-subtasks")
            yield self.heading(*next(headings))
            yield CommentList(id="task-comments")
            yield self.heading(*next(headings))
            yield HistoryList(id="task-history")
        yield KeyBar()

    def heading(self, name: str, keys: str) -> Static:
        """A section heading with the keys that work in it (those of the checklists are the
        panel's own)."""
        shown = key_hint(self, f"  {keys}", among=(ChecklistPanel,))
        return Static(Content(name).stylize("bold") + shown.stylize("dim"),
                      classes="task-section")

    def no_description(self) -> str:
        """The Markdown shown for a task without a description."""
        return key_text(self, NO_DESCRIPTION, quote=markdown_key)

    def on_mount(self) -> None:
        self.title = self.app.title
        self.sub_title = f"Task #{self.task_id}"
        self.query_one(FieldsPanel).focus()
        self.reload()

    # --- loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        """Load the page again (in a worker) and show it."""
        task_id, now, rules = self.task_id, self.app.now(), self.app.sla_rules
        agent = self.app.agent
        run_service(self, lambda: task_page.load(task_id, now, rules, viewer=agent),
                    done=self.show, group="task-load", newest=True)

    async def show(self, page: TaskPage) -> None:
        """Show a freshly loaded page; cursors stay where they were."""
        self.page = page
        now = self.app.now()
        line = TaskLine(self.app.theme_variables, now)
        row = page.detail.row
        self.sub_title = one_line(f"#{row.id} {row.title}", 60)
        self.query_one(FieldsPanel).set_items(field_lines(
            page, line, key_text(self, "{nav.open}"), self.app.settings.money.currency))
        self.query_one(ChecklistPanel).show(page.task_id, page.checklists)
        subtasks = self.query_one(SubtaskList)
        subtasks.show(page.detail.subtasks, line)
        if self.follow_subtask is not None:
            index = subtasks.index_of(lambda subtask: subtask.id == self.follow_subtask)
            self.follow_subtask = None
            if index is not None:
                subtasks.cursor = index
                subtasks.focus()
        self.query_one(CommentList).show(list(page.comments), now.tzinfo)
        self.query_one(HistoryList).show(list(page.history), now.tzinfo,
                                         self.app.settings.money.currency)
        description = page.detail.description.strip()
        if description != self.description_shown:
            self.description_shown = description
            shown, left_out = description_preview(description)
            more = self.query_one("#task-description-more", Static)
            more.display = bool(left_out)
            more.update(key_hint(self, LEFT_OUT.format(count=left_out)).stylize("dim"))
            await self.query_one(Markdown).update(visible(shown) if shown
                                                  else self.no_description())
        if self.then is not None:
            action, self.then = self.then, None
            await self.run_action(action)

    def copy_target(self) -> tasks.TaskRow | None:
        """`y` copies this task (once it has loaded)."""
        return None if self.page is None else self.page.detail.row

    def data_changed(self) -> None:
        """Someone changed data: reload, unless a modal with a draft is open over this
        screen (then reload once it closes; a stale save is caught as a conflict)."""
        if self.app.screen is self:
            self.reload()
        else:
            self.stale = True

    def on_screen_resume(self) -> None:
        """Back in view after a modal: catch up with changes made meanwhile."""
        if self.stale:
            self.stale = False
            self.reload()

    # --- keys ---------------------------------------------------------------------------------

    def action_back(self) -> None:
        """Close the task screen."""
        self.app.pop_screen()

    def action_edit(self) -> None:
        """Edit what is under the cursor of the focused section."""
        focused = self.focused
        if isinstance(focused, CommentList):
            self.notify(key_text(self, "Comments are append-only: {task.reply} adds a reply, "
                                       "{task.note} an internal note."), markup=False)
        elif isinstance(focused, SubtaskList):
            self.open_subtask(focused.current)
        elif isinstance(focused, HistoryList):
            self.notify("The history is a record of changes: it is not edited.", markup=False)
        else:
            self.edit(self.query_one(FieldsPanel).current_key)

    def action_field(self, key: str) -> None:
        """Edit one field by its key."""
        self.edit(key)

    def on_line_list_selected(self, event: LineList.Selected) -> None:
        """Enter on a field edits it; on a subtask, opens it."""
        event.stop()
        if isinstance(event.line_list, FieldsPanel):
            self.edit(event.item.key)
        elif isinstance(event.line_list, SubtaskList):
            self.open_subtask(event.item)

    def on_checklist_panel_changed(self, event: ChecklistPanel.Changed) -> None:
        """A checklist changed: show it as stored."""
        event.stop()
        self.reload()

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        """Links in a description are never followed or run: say where it points."""
        event.stop()
        self.notify(f"desk does not open links from task text: {one_line(event.href, 120)}",
                    markup=False)

    def open_subtask(self, row: tasks.TaskRow | None) -> None:
        """Open a subtask over this screen (escape comes back)."""
        if row is not None:
            self.app.open_task(row.id)

    # --- editing fields -----------------------------------------------------------------------

    def edit(self, key: str | None, *, draft: str | None = None, version: int | None = None,
             note: str = "") -> None:
        """Open the editor of field `key`; `draft` and `note` when reopening after a conflict;
        `version` is the one the save will name (the loaded one by default)."""
        page = self.page
        if page is None:
            return
        if key is None:
            self.notify("That field is not edited here.", markup=False)
            return
        if key == "parent":
            self.app.open_task(page.detail.row.parent_id)
            return
        if key == "repeat":
            self.action_repeat()
            return
        label = task_edits.label(key)
        if not can_write(self, f"change the {label.lower()} of a task"):
            return
        keeper = (self.keepers.new(key, self.task_id, restore=draft is None)
                  if key == "description" else None)
        modal = task_edits.editor(key, page, self.app.now(), self.app.settings.money.currency,
                                  draft=draft, note=note,
                                  keeper=keeper)
        if modal is None:
            self.notify(f"{one_line(label, 40)} is not edited here.", markup=False)
            return
        version = page.version if version is None else version

        def edited(result: object) -> None:
            """Save the value; new tags only once the agent said yes (no reopens the
            editor with what was typed)."""
            typed = task_edits.typed(result)
            if key != "tags" or typed is None:
                self.save(key, typed, version)
                return
            ask_before_creating(self, typed.value, go=lambda: self.save(key, typed, version),
                                back=lambda: self.edit(key, draft=typed.text, version=version))

        self.app.push_screen(modal, edited)

    def save(self, key: str, typed: Typed | None, version: int, *,
             confirmed: bool = False) -> None:
        """Save an edited value at `version`; a conflict opens the conflict dialog.
        `confirmed`: the person confirmed closing an order with open checklist items."""
        if typed is None:
            return
        agent, task_id, rules = self.app.agent, self.task_id, self.app.sla_rules
        run_service(self, undoable(self, lambda: task_edits.save(
                        agent, task_id, version, key, typed.value, sla_rules=rules,
                        confirmed=confirmed)),
                    done=lambda _: self.saved(key),
                    failed=partial(self.save_failed, key, typed, version))

    def saved(self, key: str) -> None:
        """A field was saved: its draft goes, and the page shows the new value."""
        self.keepers.drop(key)
        self.reload()

    def save_failed(self, key: str, typed: Typed, version: int, error: Exception) -> bool:
        """A ConflictError opens the conflict dialog; closing an order with open checklist
        items asks first; other errors become a notice."""
        if isinstance(error, OpenChecklistItems):
            self.app.push_screen(
                PickScreen(one_line(str(error), 200),
                           [("Close it anyway (the history records it)", True),
                            ("Keep it open", False)]),
                lambda yes: yes and self.save(key, typed, version, confirmed=True))
            return True
        if not isinstance(error, ConflictError):
            return False
        task_id, zone = self.task_id, self.app.now().tzinfo
        currency = self.app.settings.money.currency
        run_service(self, lambda: task_page.conflict_rows(error.conflicts, task_id, version,
                                                          zone, currency),
                    done=lambda rows: self.app.push_screen(
                        ConflictScreen(rows), partial(self.resolved, key, typed, error, rows)))
        return True

    def resolved(self, key: str, typed: Typed, error: ConflictError, rows: list[ConflictRow],
                 choice: str | None) -> None:
        """Do what the conflict dialog chose: overwrite, keep theirs, or back to the draft."""
        label = one_line(task_edits.label(key), 40)
        if choice == OVERWRITE:
            self.save(key, typed, error.current_version)
            return
        self.reload()
        if choice == KEEP_THEIRS:
            self.keepers.drop(key)
            self.notify(f"Kept their {label}; yours was not saved.", markup=False)
            return
        theirs = "; ".join(f"theirs: {row.theirs} (saved by {row.changed_by})" for row in rows)
        self.edit(key, draft=typed.text, version=error.current_version,
                  note=one_line(theirs, 200))

    def action_repeat(self) -> None:
        """Open the recurrence editor: how this task repeats, with its next dates."""
        page = self.page
        if page is None or not can_write(self, "make tasks repeat"):
            return
        self.app.push_screen(RecurrenceScreen(page.task_id, page.detail.row.title, page.series),
                             lambda saved: saved and self.reload())

    def action_attachments(self) -> None:
        """Save a copy of one of the task's attachments where it can be opened."""
        save_an_attachment(self, self.task_id)

    # --- comments and subtasks ----------------------------------------------------------------

    def action_comment(self, kind: str, draft: str = "", cc: tuple[str, ...] | None = None,
                       to: str = "") -> None:
        """Write a reply to the client (kind "reply"; "copies": a reply whose copies are
        chosen first; `to` is the line that shows its recipients, `cc` the copies) or an
        internal note ("note")."""
        if self.page is None:
            return
        what = "add internal notes" if kind == "note" else "reply to the client"
        if not can_write(self, what):
            return
        if kind != "note" and cc is None:
            choose_recipients(self, self.task_id,
                              lambda line, chosen: self.action_comment("reply", draft, chosen,
                                                                       line),
                              copies=kind == "copies")
            return
        title = (f"Reply to the client · {to}" if kind == "reply"
                 else "Internal note (never sent to the client)")
        snippets = canned_for(self.app, self.task_id) if kind == "reply" else None
        keeper = self.keepers.new(kind, self.task_id, restore=not draft)
        self.writing_reply(kind != "note")
        self.app.push_screen(WriteTextScreen(title, draft, snippets=snippets, keeper=keeper),
                             partial(self.post_comment, kind, cc or (), to))

    def post_comment(self, kind: str, cc: tuple[str, ...], to: str, body: str | None) -> None:
        """Store a written comment (a reply copied to `cc`); if that fails, the draft opens
        again."""
        self.writing_reply(False)
        if body is None:
            return
        agent, task_id = self.app.agent, self.task_id
        hold = self.app.settings.smtp.undo_seconds

        def add() -> comments.CommentRow:
            if kind == "reply":
                return comments.reply(agent, task_id, body, cc=cc, hold_seconds=hold)
            return comments.note(agent, task_id, body)

        def failed(error: Exception) -> bool:
            self.action_comment(kind, body, cc, to)
            return False
        run_service(self, undoable(self, add), done=partial(self.commented, kind),
                    failed=failed)

    def undo_changed(self) -> None:
        """After `u`: show the task as it is now."""
        self.reload()

    def commented(self, kind: str, row: comments.CommentRow) -> None:
        """A comment was stored: its draft goes; show it, and where a reply's e-mail went."""
        self.keepers.drop(kind)
        self.reload()
        tell_mailed(self, row)

    def action_subtask(self) -> None:
        """Ask for a title and add a subtask in this task's list."""
        page = self.page
        if page is None or not can_write(self, "add subtasks"):
            return
        agent, task_id, list_id = self.app.agent, self.task_id, page.detail.row.list_id

        def create(title: str | None) -> None:
            if title is None:
                return
            run_service(self, lambda: tasks.create(agent, title, list_id, parent_id=task_id),
                        done=self.subtask_created)
        self.app.push_screen(PromptScreen(f"New subtask of #{task_id}", parse=tasks.title_text,
                                          placeholder="its title"), create)

    def subtask_created(self, detail: tasks.TaskDetail) -> None:
        """Show the new subtask under the cursor of the subtask list."""
        self.follow_subtask = detail.row.id
        self.reload()
