"""The triage verbs, shared by every screen that lists tasks: the inbox and the task lists.

A verb acts on the marked rows (`x`, `X`) or, with nothing marked, on the row under the
cursor: `a` assign (to me, a person, a team, or round-robin over a team's members who are
not away), `s` status, `p` priority, `t` tag, `c` link to a client, `z` snooze, `r` reply,
`n` internal note, and `e` (or enter) opens the task; `f` follows or unfollows the task under
the cursor (desk.screens.actions.following). A reply or note to one task is kept as a draft
while it is typed, the same draft its task screen keeps (desk.screens.actions.drafts).
Each one asks for its value in a shared modal, runs desk.support.triage.apply in a worker,
then reloads the list keeping the cursor, clears the marks and says in one line what
happened ("3 tasks assigned to you; 1 failed: ..."). `u` undoes the last change, all its
rows at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from msgspec import Struct
from textual import events, on
from textual.binding import Binding, BindingType

from desk.kernel import tags
from desk.screens.actions.calls import can_write, run_service
from desk.screens.actions.following import FOLLOW, FollowActions
from desk.screens.actions.new_tags import ask_before_creating
from desk.screens.actions.presence.lists import ListPresence
from desk.screens.actions.task.copy import CopyTask
from desk.screens.actions.undo import UndoActions
from desk.screens.actions.undoable import undoable
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.prompt import PromptScreen
from desk.screens.hints import key_text
from desk.screens.renderers.date_preview import date_preview
from desk.screens.widgets.virtual_list import VirtualList
from desk.support import triage
from desk.text import one_line
from desk.vocabulary import PRIORITY_NAMES

if TYPE_CHECKING:
    from desk.screens.actions.drafts import DraftKeeper

CONFIRM_ABOVE = 50
"""A change to more rows than this asks for confirmation first, naming the count."""
PRIORITY_CHOICES = [(f"{number} {name}", name) for number, name in PRIORITY_NAMES.items()]
"""The priority picker: the digit alone picks (`p 1 enter` makes a task urgent)."""


class Change(Struct, frozen=True):
    """A change chosen in a modal: the `triage.apply` arguments, and what it did, in words
    that follow "3 tasks ..." ("assigned to you")."""

    values: dict[str, Any]
    said: str
    keeper: DraftKeeper | None = None
    """The draft of the text written for the change, deleted once it is stored."""


class Rows(Struct, frozen=True):
    """The rows a verb acts on: the target, how many, and how to name them in a title."""

    target: triage.Target
    count: int
    label: str
    marked: bool


class TriageActions(ListPresence, FollowActions, CopyTask, UndoActions):
    """A screen of task rows that knows the triage verbs, `f` to follow a task, and `u` to undo
    a change (each change is undoable: desk.screens.actions.undo). Subclass it instead of
    `Screen`.

    The host screen shows a VirtualList of `TaskRow`s and provides:

    - `triage_list()` -> the VirtualList the verbs act on (its marks, or its cursor row);
    - `triage_listed()` -> a `triage.Listed` saying which rows the list shows (the inbox, or
      a task query with its context), so that "mark all" (`X`) means every row of it;
    - optionally `triage_changed()`, called after a change was applied; by default it
      reloads the list, keeping the cursor.

    Keys come from BINDINGS below, each with an id (`triage.assign` ... `triage.open`). A host
    that needs one of these keys for something else binds it in its own BINDINGS, which
    replace the inherited binding for that key. The tasks screen, where `n` means "new task",
    declares for example::

        BINDINGS = [Binding("n", "new_task", "New", id="tasks.new"),
                    Binding("N", "triage_note", "Note", id="triage.note")]

    Writes are refused for viewers, with the reason. Enter on a row opens the task, as `e`
    does.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "triage_assign", "Assign", id="triage.assign"),
        Binding("s", "triage_status", "Status", id="triage.status"),
        Binding("p", "triage_priority", "Priority", id="triage.priority"),
        Binding("t", "triage_tag", "Tag", id="triage.tag"),
        Binding("c", "triage_client", "Client", id="triage.client"),
        Binding("z", "triage_snooze", "Snooze", id="triage.snooze"),
        Binding("r", "triage_reply", "Reply", id="triage.reply"),
        Binding("n", "triage_note", "Note", id="triage.note"),
        Binding("e", "triage_open", "Open", id="triage.open"),
        FOLLOW,
    ]

    triage_tags: tuple[str, ...] = ()
    """The existing tags, offered as completions by `t`: loaded when the screen mounts and
    again after a change of tags, so that the prompt opens at once."""

    @on(events.Mount)
    def load_triage_tags(self) -> None:
        """Load the tag names for completion, in a worker."""

        def loaded(names: list[str]) -> None:
            """Keep them for the next `t`."""
            self.triage_tags = tuple(names)

        run_service(self, triage.tag_suggestions, done=loaded, group="triage-tags",
                    newest=True)

    # --- what the host provides ------------------------------------------------------------

    def triage_list(self) -> VirtualList:
        """The list of TaskRows the verbs act on."""
        raise NotImplementedError

    def triage_listed(self) -> triage.Listed:
        """Which rows the list shows, for "every row except ..." after mark all."""
        raise NotImplementedError

    def triage_changed(self) -> None:
        """After a change: reload the list, keeping the cursor on its row."""
        self.triage_list().reload(keep_cursor=True)

    def undo_changed(self) -> None:
        """After an undo, as after a change."""
        self.triage_changed()

    # --- the verbs ---------------------------------------------------------------------------

    def action_triage_assign(self) -> None:
        """`a`: assign to me (first, so `a enter` takes it), a person, a team, or round-robin
        over a team (each row to the next member not away)."""
        if (rows := self.triage_rows("assign tasks")) is None:
            return
        me = self.app.agent.username

        def search(text: str) -> list[tuple[str, Change]]:
            """In the picker's worker: me, then the agents and teams matching `text`."""
            people = triage.assignables()
            options = [(f"me ({me})", Change({"assignee": me}, "assigned to you"))]
            options += [(f"{username} · {name}", Change({"assignee": username},
                                                        f"assigned to {username}"))
                        for username, name in people.agents if username != me]
            options += [(f"team {name}", Change({"team_id": team_id}, f"given to team {name}"))
                        for team_id, name in people.teams]
            options += [(f"team {name}, round-robin", Change(
                {"round_robin": name}, f"given round-robin to team {name}"))
                for _, name in people.teams]
            return matching(options, text)

        self.ask(rows, PickScreen(f"Assign {rows.label} to", search=search,
                                  hint="enter assigns to you · type to find a person"))

    def action_triage_status(self) -> None:
        """`s`: a status of the rows' lists (type a few letters of it, then enter)."""
        if (rows := self.triage_rows("change a status")) is None:
            return

        def search(text: str) -> list[tuple[str, Change]]:
            """In the picker's worker: the statuses of the rows' lists matching `text`."""
            return matching([(name, Change({"status": name}, f"set to {name}"))
                             for name in triage.statuses_for(rows.target)], text)

        self.ask(rows, PickScreen(f"Status of {rows.label}", search=search,
                                  hint="type a few letters, enter picks"))

    def action_triage_priority(self) -> None:
        """`p`: a priority; its digit picks it (`p 1` is urgent)."""
        if (rows := self.triage_rows("change a priority")) is None:
            return
        options = [(label, Change({"priority": name}, f"set to {name} priority"))
                   for label, name in PRIORITY_CHOICES]
        self.ask(rows, PickScreen(f"Priority of {rows.label}", options, quick=True,
                                  hint="1 urgent · 2 high · 3 normal · 4 low · 5 none"))

    def action_triage_tag(self, draft: str = "") -> None:
        """`t`: tags to add, and `-tag` to remove; each word completes to an existing tag
        (tab takes it), and a tag that does not exist yet is created only once the agent
        said yes (`draft`: the text to reopen with after a no)."""
        if (rows := self.triage_rows("tag tasks")) is None:
            return

        def parse(text: str) -> Change:
            """Check the tags in place; the change adds and removes them."""
            add, remove = tags.changes(text)
            said = " ".join([*(f"#{name}" for name in add), *(f"-#{name}" for name in remove)])
            return Change({"tags": text}, f"tagged {said}")

        def chosen(change: Change | None) -> None:
            """Tags typed: apply them once any new one is confirmed."""
            if change is None:
                return
            text = change.values["tags"]
            ask_before_creating(self, triage.tag_changes(text)[0],
                                go=lambda: self.confirm(rows, change),
                                back=lambda: self.action_triage_tag(text))

        self.app.push_screen(
            PromptScreen(f"Tags for {rows.label}", parse=parse, value=draft,
                         placeholder="billing  -spam",
                         hint=key_text(self, "tags to add; -tag removes one; "
                                             "{prompt.complete} completes a word",
                                       among=(PromptScreen,)),
                         suggestions=list(self.triage_tags), each_word=True), chosen)

    def action_triage_client(self) -> None:
        """`c`: link to a client found by name (or id), or unlink."""
        if (rows := self.triage_rows("link a client")) is None:
            return

        def search(text: str) -> list[tuple[str, Change]]:
            """In the picker's worker: clients whose name contains `text`."""
            found = [(f"{name} · #{client_id}", Change({"client_id": client_id},
                                                      f"linked to {name}"))
                     for client_id, name in triage.client_choices(text)]
            unlink = ("no client (unlink)", Change({"client_id": None}, "unlinked"))
            return [*found, unlink] if not text.strip() else found

        self.ask(rows, PickScreen(f"Client of {rows.label}", search=search,
                                  hint="type a name or an id, enter links"))

    def action_triage_snooze(self) -> None:
        """`z`: hide from the inbox until a time (`tomorrow`, `mon 9:00`, `in 3 days`, `off`),
        with the time understood shown as it is typed."""
        if (rows := self.triage_rows("snooze tasks")) is None:
            return
        now = self.app.now()

        def parse(text: str) -> Change:
            """Check the time in place: readable and in the future."""
            until = triage.snooze_time(text, now)
            if until is None:
                return Change({"snooze": None}, "woken up")
            return Change({"snooze": until}, f"snoozed until {until:%a %d %b %H:%M}")

        preview = date_preview(lambda text: triage.snooze_time(text, now), now,
                               none="off: back in the inbox now")
        self.ask(rows, PromptScreen(f"Snooze {rows.label} until", parse=parse,
                                    placeholder="tomorrow", hint=triage.SNOOZE_HINT,
                                    preview=preview))

    def action_triage_reply(self) -> None:
        """`r`: a reply to the client, sent on every row acted on."""
        self.write("reply", "Reply to", "replied to", "reply to clients")

    def action_triage_note(self) -> None:
        """`n`: an internal note, never sent to the client."""
        self.write("note", "Internal note on", "noted", "add notes")

    def action_triage_open(self) -> None:
        """`e`: open the task under the cursor."""
        view = self.triage_list()
        if (row := view.row_at(view.cursor)) is not None:
            self.app.open_task(row.id)

    def copy_target(self) -> Any:
        """`y` copies the task under the cursor: a TaskRow, or None on no row or on a group
        heading (a line of an outline holds its task, a heading none)."""
        row = self.triage_list().row_at(self.triage_list().cursor)
        return getattr(row, "task", row)

    def follow_target(self) -> tuple[int, str] | None:
        """`f` follows the task under the cursor (desk.screens.actions.following), the same
        task `y` copies."""
        row = self.copy_target()
        return None if row is None else (row.id, row.title)

    @on(VirtualList.Selected)
    def triage_selected(self, message: VirtualList.Selected) -> None:
        """Enter on a row opens its task."""
        message.stop()
        self.app.open_task(message.row.id)

    # --- the flow every verb shares ------------------------------------------------------------

    def triage_rows(self, what: str | None) -> Rows | None:
        """The marked rows, else the cursor row; None (with a notice) when there are none or
        the agent may not `what` (None for a verb that only reads)."""
        if what is not None and not can_write(self, what):
            return None
        view = self.triage_list()
        marks = view.marks
        if marks.count:
            every = self.triage_listed() if marks.all_rows else None
            return Rows(triage.Target(frozenset(marks.ids), every), marks.count,
                        f"{marks.count} marked task{'s' if marks.count != 1 else ''}", True)
        row = view.row_at(view.cursor)
        if row is None:
            self.notify("There is no task here to act on.", severity="warning", markup=False)
            return None
        return Rows(triage.Target(frozenset({row.id})), 1, one_line(row.title, 50), False)

    def write(self, kind: str, title: str, said: str, what: str) -> None:
        """Reply or note: write the text, then add it to every row acted on."""
        if (rows := self.triage_rows(what)) is None:
            return
        # Imported on first use: with what they import (the outbox, the text area) they
        # would add some 50 ms to the app's first paint, and the inbox shows first.
        from desk.screens.actions.drafts import DraftKeeper
        from desk.screens.actions.reply.mail import canned_for
        from desk.screens.dialogs.write_text import WriteTextScreen

        single = rows.count == 1 and rows.target.every is None
        task_id = next(iter(rows.target.ids)) if single else None
        keeper = None if task_id is None else DraftKeeper(self.app.agent, kind, task_id)

        def written(text: str | None) -> None:
            """The text, once saved."""
            self.writing_reply(None)
            if text is not None:
                self.confirm(rows, Change({kind: text}, said, keeper))

        snippets = canned_for(self.app, task_id) if kind == "reply" and task_id else None
        if kind == "reply":
            self.writing_reply(task_id)  # others see it (one row only: not a bulk reply)
        self.app.push_screen(WriteTextScreen(f"{title} {rows.label}", snippets=snippets,
                                             keeper=keeper), written)

    def ask(self, rows: Rows, modal: PickScreen | PromptScreen) -> None:
        """Show the modal that chooses the change, then apply what it returns."""

        def chosen(change: Change | None) -> None:
            """The modal closed: a change, or None when cancelled."""
            if change is not None:
                self.confirm(rows, change)

        self.app.push_screen(modal, chosen)

    def confirm(self, rows: Rows, change: Change) -> None:
        """Apply the change; above CONFIRM_ABOVE rows, only once the person said yes."""
        if rows.count <= CONFIRM_ABOVE:
            self.run_change(rows, change)
            return
        options = [(f"yes, change all {rows.count} tasks", True), ("no, leave them", False)]
        question = PickScreen(f"{rows.count} tasks will be {change.said}. Go ahead?", options,
                              hint=key_text(self, "enter goes ahead · {nav.back} cancels"))
        self.app.push_screen(question, lambda yes: self.run_change(rows, change) if yes else None)

    def run_change(self, rows: Rows, change: Change) -> None:
        """Apply the change in a worker, then report, clear the marks and reload."""
        agent, now, rules = self.app.agent, self.app.now(), self.app.sla_rules
        hold = self.app.settings.smtp.undo_seconds

        def call() -> triage.Summary:
            """In the worker: the change on every row."""
            return triage.apply(agent, rows.target, now=now, sla_rules=rules,
                                hold_seconds=hold, **change.values)

        run_service(self, undoable(self, call),
                    done=lambda summary: self.changed(rows, change, summary),
                    failed=self.change_failed, group="triage-apply")

    def change_failed(self, error: Exception) -> bool:
        """The change could not be applied: False lets its error show as a notice."""
        return False

    def changed(self, rows: Rows, change: Change, summary: triage.Summary) -> None:
        """On the UI thread after `apply`: the summary, marks cleared, the list reloaded."""
        if rows.marked and len(summary.failed) < summary.total:
            self.triage_list().clear_marks()
        if change.keeper is not None and not summary.failed:
            from desk.screens.actions.drafts import drop_draft  # loaded by `write`

            drop_draft(self.app, change.keeper)
        text = summary_text(summary, change.said)
        if "reply" in change.values and summary.changed:
            from desk.screens.actions.reply.mail import window_note  # loaded by `write`

            text += window_note(self)
        self.notify(text, title="Triage", markup=False,
                    severity="warning" if summary.failed else "information")
        self.triage_changed()
        if "tags" in change.values:
            self.load_triage_tags()
        if "reply" in change.values and summary.changed:
            from desk.screens.actions.reply.mail import tell_replies_unsent  # loaded by `write`

            tell_replies_unsent(self)


def matching(options: list[tuple[str, Any]], text: str) -> list[tuple[str, Any]]:
    """The options whose label contains `text`, ignoring case (as PickScreen filters)."""
    wanted = text.strip().casefold()
    return [option for option in options if wanted in option[0].casefold()]


def summary_text(summary: triage.Summary, said: str) -> str:
    """One line about an applied change: "3 tasks assigned to you; 1 failed: task 12: ..."."""
    def tasks(count: int) -> str:
        """"1 task", "3 tasks"."""
        return f"{count} task{'s' if count != 1 else ''}"

    parts = []
    if summary.changed:
        parts.append(f"{tasks(len(summary.changed))} {said}")
    if summary.unchanged:
        were = "was" if len(summary.unchanged) == 1 else "were"
        parts.append(f"{len(summary.unchanged)} already {were}" if summary.changed
                     else f"{tasks(len(summary.unchanged))} already {said}")
    if summary.failed:
        task_id, reason = summary.failed[0]
        more = f" (and {len(summary.failed) - 1} more)" if len(summary.failed) > 1 else ""
        parts.append(f"{len(summary.failed)} failed: task {task_id}: {reason}{more}")
    return one_line("; ".join(parts) or "There were no tasks to change.", 300)
