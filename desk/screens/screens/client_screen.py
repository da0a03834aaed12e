"""The client screen: everything about one client, editable by keyboard.

At the top, the client's name and the relationship clock (last contact against the contact
cadence; overdue in the theme's error colour). Below, one keyboard list holds, from the top:
the next best actions when there are any (enter offers to create the task, snooze, dismiss
or say why), the profile fields (enter edits one), the contacts (enter edits one, makes it
primary or removes it), the retainer's hours this cycle (enter sends the cycle's time
report), the loyalty tier (enter redeems a reward), the client's orders, open queries and
open tasks (enter opens the task), the sequences it is in (enter pauses, resumes or stops
one) and the interaction log (enter shows one in full, and from there its task). Beside it
(under it, on a narrow terminal) the client's notes, a requirements document rendered as
Markdown.

Keys: `s` stage, `a` account manager, `t` tags, `l` logs a call, e-mail or meeting (which
moves the last contact date), `n` edits the notes (a client without notes starts from the
requirements template), `c` adds a contact, `e` opens every field in one form, `A` archives
the client after a yes (or restores it), `escape` goes back. Every read and write goes
through a service in `run_service`; a viewer's edit keys say why they are refused. What is
typed into the notes is kept as a draft until it is saved (desk.screens.actions.drafts);
`then` runs an action (such as "notes") once the client is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Markdown, OptionList, Static
from textual.widgets.option_list import Option

from desk.crm import clients, interactions
from desk.crm import notes as client_notes
from desk.errors import ConflictError
from desk.kernel import agents
from desk.pages import client as client_page
from desk.pages.client import ClientPage
from desk.screens.actions.calls import can_write, describe, run_service
from desk.screens.actions.client.archive import ask_to_archive
from desk.screens.actions.client.contacts import add_contact, open_contact
from desk.screens.actions.client.form import open_edit_client
from desk.screens.actions.client.loyalty import open_loyalty
from desk.screens.actions.client.retainer import open_retainer
from desk.screens.actions.client.sequences import open_sequence
from desk.screens.actions.drafts import Keepers
from desk.screens.actions.suggestions import choose_in
from desk.screens.dialogs.conflict import OVERWRITE, ConflictScreen
from desk.screens.dialogs.interaction_view import show_interaction
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.prompt import PromptScreen
from desk.screens.dialogs.write_text import WriteTextScreen
from desk.screens.grammar import half_screen, nav
from desk.screens.hints import key_text, markdown_key
from desk.screens.renderers.client.contacts import contact_items
from desk.screens.renderers.client.feedback import add_feedback
from desk.screens.renderers.client.fields import (
    BY_NAME,
    NONE,
    PROFILE,
    ProfileField,
    parser,
    shown,
    typed,
)
from desk.screens.renderers.client.loyalty import loyalty_items
from desk.screens.renderers.client.page import (
    clock_text,
    log_line,
    order_detail,
    section_heading,
    task_line,
)
from desk.screens.renderers.client.retainer import retainer_items
from desk.screens.renderers.client.rows import stage_text
from desk.screens.renderers.client.sequences import sequence_items
from desk.screens.renderers.date_preview import day_preview
from desk.screens.renderers.suggestion_lines import add_next_actions
from desk.screens.safe import safe_line
from desk.screens.widgets.key_bar import KeyBar
from desk.screens.widgets.title_header import TitleHeader
from desk.text import one_line, visible

LOG_KINDS = (("call", "call"), ("email", "email"), ("meeting", "meeting"))
"""What `l` logs: the interaction kinds a person records by hand."""
LABEL_WIDTH = 19
"""Cells for a profile field's label."""
NARROW = 110
"""Below this many columns the notes go under the list instead of beside it."""
DUE_SOON_DAYS = 3
"""The clock turns to the warning colour this many days before contact is due."""
LABELS = {field.name: field.label for field in PROFILE} | {"notes": "Notes"}
"""How the conflict dialog names each client field."""
NOTES_DRAFT = "client_notes"
"""The kind of draft the notes editor keeps (desk.kernel.drafts)."""


class ClientItems(OptionList):
    """The client screen's keyboard list: profile fields, orders, queries, tasks and the log."""

    BINDINGS: ClassVar[list[Binding]] = [
        nav("nav.down", "cursor_down"),
        nav("nav.up", "cursor_up"),
        nav("nav.top", "first"),
        nav("nav.bottom", "last"),
        nav("nav.half_page_down", "half_page(1)"),
        nav("nav.half_page_up", "half_page(-1)"),
    ]

    def action_half_page(self, direction: int) -> None:
        """Move the highlight half the list's height down (1) or up (-1)."""
        if self.option_count:
            moved = (self.highlighted or 0) + direction * half_screen(self)
            self.highlighted = max(0, min(moved, self.option_count - 1))


class ClientScreen(Screen[None]):
    """Everything about one client: profile, relationship clock, orders, open queries, tasks,
    the interaction log and the notes."""

    TITLE = "Client"
    BINDINGS: ClassVar[list[Binding]] = [
        nav("nav.back", "app.pop_screen", show=True),
        nav("nav.open", "open", "Edit/open", show=True),
        Binding("s", "edit('lifecycle_stage')", "Stage", id="client.stage"),
        Binding("a", "edit('account_manager')", "Manager", id="client.manager"),
        Binding("t", "edit('tags')", "Tags", id="client.tags"),
        Binding("l", "log", "Log contact", id="client.log"),
        Binding("n", "notes", "Notes", id="client.notes"),
        Binding("plus", "order", "New order", id="client.order"),
        Binding("e", "whole('edit')", "Edit all", id="client.edit_all"),
        Binding("A", "whole('archive')", "Archive", id="client.archive"),
        Binding("c", "contact", "Add contact", id="client.contact"),
    ]

    def __init__(self, client_id: int, then: str | None = None) -> None:
        super().__init__()
        self.client_id = client_id
        self.then = then
        """An action to run once the client is shown (e.g. "notes")."""
        self.keepers = Keepers(self)
        """The draft of the notes editor opened here, deleted once the notes are saved."""
        self.page: ClientPage | None = None
        """What the screen shows; None until the first load arrives."""
        self.items: list[tuple[str, Any]] = []
        """What each option of the list stands for: ("field", field name), ("task", task id),
        ("log", interaction id), ("suggestion", key), or ("heading", None)."""
        self.shown_notes: str | None = None
        """The notes text on screen, so an unchanged reload does not redraw them."""

    def compose(self) -> ComposeResult:
        yield TitleHeader()
        yield Static(Content("Loading the client…"), id="client-summary")
        yield Static(id="client-clock")
        with Container(id="client-body"):
            yield ClientItems(id="client-items")
            with VerticalScroll(id="client-notes-pane"):
                yield Markdown(id="client-notes", open_links=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.app.title
        self.sub_title = self.TITLE
        self.query_one(ClientItems).focus()
        self.load()

    def on_resize(self) -> None:
        """Notes beside the list on a wide terminal, under it on a narrow one."""
        self.query_one("#client-body").set_class(self.size.width < NARROW, "-narrow")

    # --- loading -------------------------------------------------------------------------

    def load(self) -> None:
        """Fetch the client's page in a worker and show it."""
        app, client_id, now = self.app, self.client_id, self.app.now()
        run_service(self, lambda: client_page.load(client_id, app.agent, now, app.settings),
                    done=self.show, failed=self.load_failed, group="client-load", newest=True)

    def load_failed(self, error: Exception) -> bool:
        """Say in place why the client could not be shown (gone, database busy...); once it
        is shown, a failed reload is a notice and the page stays."""
        if self.page is not None:
            return False
        self.query_one("#client-summary", Static).update(
            safe_line(f"Client {self.client_id} could not be loaded: {describe(error)}"))
        return True

    def data_changed(self) -> None:
        """Something changed (here or by another agent): reload, keeping the cursor. Open
        dialogs keep their drafts: they are separate screens."""
        self.load()

    def show(self, page: ClientPage) -> None:
        """Show a freshly loaded page, keeping the cursor on the same item."""
        self.page = page
        row = page.detail.row
        flags = [row.kind, stage_text(row.stage), *(["confidential"] * row.confidential),
                 *(["archived"] * (row.archived_at is not None))]
        self.query_one("#client-summary", Static).update(Content.assemble(
            safe_line(row.name, max(self.size.width - 40, 10)).stylize("bold"),
            ("  " + " · ".join(flags), "dim")))
        self.show_clock(page.clock)
        self.show_items(page)
        self.show_notes(page)
        if self.then is not None:
            action, self.then = self.then, None
            self.call_later(self.run_action, action)

    def show_clock(self, clock: interactions.Clock) -> None:
        """The relationship clock line, in the error colour when contact is overdue."""
        widget = self.query_one("#client-clock", Static)
        widget.update(Content(clock_text(clock, self.app.now())))
        soon = (not clock.contact_overdue and clock.cadence_days is not None
                and clock.days_since_contact is not None
                and clock.cadence_days - clock.days_since_contact <= DUE_SOON_DAYS)
        widget.set_class(clock.contact_overdue, "-overdue")
        widget.set_class(soon, "-due-soon")

    def show_items(self, page: ClientPage) -> None:
        """Rebuild the list, keeping the cursor on the item it was on."""
        widget = self.query_one(ClientItems)
        old = widget.highlighted
        current = self.items[old] if old is not None and old < len(self.items) else None
        items, options = self.build_items(page)
        self.items = items
        widget.clear_options()
        widget.add_options(options)
        keep = next((index for index, item in enumerate(items) if item == current), None)
        if keep is None:
            keep = min(old or 1, len(items) - 1)
        widget.highlighted = keep if not widget.get_option_at_index(keep).disabled else 1

    def build_items(self, page: ClientPage) -> tuple[list[tuple[str, Any]], list[Option]]:
        """The items and options of the list for `page`."""
        items: list[tuple[str, Any]] = []
        options: list[Option] = []

        def add(item: tuple[str, Any], prompt: Content) -> None:
            items.append(item)
            options.append(Option(prompt, disabled=item[0] == "heading"))

        now, currency = self.app.now(), self.app.settings.money.currency
        row = page.detail.row
        add_next_actions(add, page.next_actions)
        add(("heading", None), Content.styled("Profile", "bold"))
        for field in PROFILE:
            value = shown(field, row, page.full, currency)
            label = Content(f"  {field.label}".ljust(LABEL_WIDTH)).stylize("dim")
            add(("field", field.name), label + (safe_line(value) if value else Content("—")))
        for item, prompt in (*contact_items(page.contacts),
                             *retainer_items(page.retainer, currency),
                             *loyalty_items(page.loyalty, currency)):
            add(item, prompt)
        sections = (("Orders", page.orders), ("Open queries", page.queries),
                    ("Open tasks", page.tasks))
        for title, section in sections:
            add(("heading", None), section_heading(title, len(section.rows), section.total))
            for line in section.rows:
                task = line.task if title == "Orders" else line
                detail = order_detail(line, currency) if title == "Orders" else ""
                add(("task", task.id), task_line(task, detail, now))
        for item, prompt in sequence_items(page.sequences, now):
            add(item, prompt)
        add_feedback(add, page.nps, now)
        log = page.interactions
        add(("heading", None), section_heading("Interactions", len(log), len(log)))
        for interaction in log:
            add(("log", interaction.id), log_line(interaction, now))
        return items, options

    def show_notes(self, page: ClientPage) -> None:
        """The notes as Markdown (control characters made visible; links do not open)."""
        if not page.full:
            text = "*The notes are hidden: this client is confidential.*"
        elif not page.detail.notes.strip():
            text = key_text(self, "*No notes yet.* Press **{client.notes}** to start the "
                                  "requirements document from the template.",
                            quote=markdown_key)
        else:
            text = visible(page.detail.notes)
        if text != self.shown_notes:
            self.shown_notes = text
            self.query_one("#client-notes", Markdown).update(text)

    def on_markdown_link_clicked(self, message: Markdown.LinkClicked) -> None:
        """A link in the notes is shown, never opened and never run as an action."""
        message.stop()
        self.app.notify(one_line(f"Link: {message.href}", 300), title="desk", markup=False)

    # --- keys --------------------------------------------------------------------------

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        """`enter` on an item: edit a field, open a task."""
        message.stop()
        self.activate(message.option_index)

    def action_open(self) -> None:
        """Edit the field, or open the order, query or task, under the cursor."""
        self.activate(self.query_one(ClientItems).highlighted)

    def activate(self, index: int | None) -> None:
        """Act on item `index` of the list."""
        if index is None or index >= len(self.items):
            return
        kind, value = self.items[index]
        if kind == "field":
            self.action_edit(value)
        elif kind == "task":
            self.app.open_task(value)
        elif kind == "suggestion" and self.page is not None:
            choose_in(self, self.page.next_actions, value, self.load)
        elif kind == "sequence":
            open_sequence(self, value)
        elif kind == "loyalty" and self.page is not None:
            open_loyalty(self, self.page.loyalty)
        elif kind == "contact":
            open_contact(self, value)
        elif kind == "retainer":
            open_retainer(self)
        elif kind == "log" and self.page is not None:
            show_interaction(self, self.page.interactions, value, self.app.settings.tz)

    def writable(self) -> ClientPage | None:
        """The page when the acting agent may change this client; else None, and why."""
        if self.page is None or not can_write(self, "change clients"):
            return None
        if not self.page.full:
            self.app.notify("This client is confidential: only admins and its account manager "
                            "can change it.", title="desk", severity="warning", markup=False)
            return None
        return self.page

    def action_edit(self, name: str) -> None:
        """Change one profile field through the modal that fits it."""
        page = self.writable()
        if page is None:
            return
        field, row = BY_NAME[name], page.detail.row
        self.ask(field, row.version, typed(field, row))

    def ask(self, field: ProfileField, version: int, text: str) -> None:
        """Open the modal for `field` (a prompt starts from `text`) and save what it gives
        to the client read at `version`."""
        if self.page is None:
            return
        row = self.page.detail.row
        title = f"{field.label} of {one_line(row.name, 40)}"

        def chosen(value: Any) -> None:
            if value is None:
                return
            parsed, typed_text = value if isinstance(value, tuple) else (value, text)
            self.save({field.name: parsed}, version,
                      retry=lambda current: self.ask(field, current, typed_text))

        if field.editor in ("prompt", "date"):
            now = self.app.now()
            read = parser(field, row, now)
            preview = (day_preview(lambda typed: read(typed)[0], now.date(),
                                   none="empty: clears it")
                       if field.editor == "date" else None)
            self.app.push_screen(PromptScreen(title, parse=read, value=text, hint=field.hint,
                                              preview=preview), chosen)
        elif field.editor == "choice":
            self.app.push_screen(PickScreen(title, field.choices, hint=field.hint), chosen)
        elif field.editor == "manager":
            run_service(self, agents.listing,
                        done=lambda found: self.app.push_screen(
                            PickScreen(title, manager_choices(found)), chosen))
        else:
            self.app.push_screen(PickScreen(title, search=referrer_search(self.client_id),
                                            hint="Type part of the client's name"), chosen)

    def save(self, changes: dict[str, object], version: int,
             retry: Callable[[int], None]) -> None:
        """Write `changes` to the client read at `version`, then show the result. On a
        conflict the person chooses; `retry(current_version)` reopens their draft."""
        app, client_id = self.app, self.client_id

        def saved(_detail: clients.ClientDetail) -> None:
            if "notes" in changes:
                self.keepers.drop(NOTES_DRAFT)
            app.notify("Saved.", title="desk", markup=False, timeout=3)
            self.load()

        run_service(self, lambda: clients.update(app.agent, client_id, version, **changes),
                    done=saved,
                    failed=lambda error: self.conflicted(error, changes, version, retry))

    def conflicted(self, error: Exception, changes: dict[str, object], version: int,
                   retry: Callable[[int], None]) -> bool:
        """A stale save: show their value and yours in the conflict dialog, then keep theirs,
        overwrite, or go back to the draft. Other errors are left to the usual notice."""
        if not isinstance(error, ConflictError):
            return False
        client_id, zone, current = self.client_id, self.app.settings.tz, error.current_version

        def decided(choice: str | None) -> None:
            if choice == OVERWRITE:
                self.save(changes, current, retry)
                return
            self.load()
            if choice is None:
                retry(current)
            elif "notes" in changes:  # theirs kept: the draft is given up
                self.keepers.drop(NOTES_DRAFT)

        run_service(self, lambda: client_page.conflict_rows(
            error.conflicts, client_id, version, zone, LABELS, self.app.settings.money.currency),
                    done=lambda rows: self.app.push_screen(ConflictScreen(rows), decided))
        return True

    def action_whole(self, what: str) -> None:
        """The whole client: "edit" every field in one form, "archive" it after a yes."""
        (open_edit_client if what == "edit" else ask_to_archive)(self)

    def action_contact(self) -> None:
        """Add a contact to the client in a form."""
        add_contact(self)

    def action_log(self) -> None:
        """Log a call, e-mail or meeting with a summary; it moves the last contact date."""
        page = self.page
        if page is None or not can_write(self, "log interactions"):
            return
        name = one_line(page.detail.row.name, 40)

        def summary(kind: str | None) -> None:
            if kind is not None:
                self.app.push_screen(
                    PromptScreen(f"Summary of the {kind} with {name}",
                                 placeholder="What was said or agreed (optional)"),
                    lambda text: self.record_interaction(kind, text))

        self.app.push_screen(PickScreen(f"Log an interaction with {name}", LOG_KINDS), summary)

    def record_interaction(self, kind: str, text: str | None) -> None:
        """Record the interaction now (None: cancelled) and show the moved clock."""
        if text is None:
            return
        app, client_id, now = self.app, self.client_id, self.app.now()

        def logged(_row: interactions.InteractionRow) -> None:
            app.notify(f"{kind.capitalize()} logged; last contact is now.", title="desk",
                       markup=False, timeout=4)
            self.load()

        run_service(self, lambda: interactions.log(app.agent, client_id, kind, text,
                                                   occurred_at=now), done=logged)

    def action_order(self) -> None:
        """The order form for this client; the new order opens once created."""
        if self.page is not None:
            self.app.new_order((self.client_id, self.page.detail.row.name))

    def action_notes(self) -> None:
        """Edit the notes in Markdown; empty notes start from the requirements template."""
        page = self.writable()
        if page is None:
            return
        row, stored = page.detail.row, page.detail.notes
        if stored.strip():
            self.write_notes(stored, row.version, stored)
            return
        run_service(self, lambda: client_notes.starting_notes(row.name, row.contact_person),
                    done=lambda text: self.write_notes(text, row.version, stored))

    def write_notes(self, text: str, version: int, stored: str | None) -> None:
        """Open the notes editor on `text`; save what differs from `stored` (None: always
        save, for a draft reopened after a conflict) to the client read at `version`."""
        title = f"Notes on {one_line(self.page.detail.row.name if self.page else '', 40)}"

        def written(new: str | None) -> None:
            if new is not None and new != stored:
                self.save({"notes": new}, version,
                          retry=lambda current: self.write_notes(new, current, None))
            elif new is not None:  # saved unchanged: nothing to keep
                self.keepers.drop(NOTES_DRAFT)

        keeper = self.keepers.new(NOTES_DRAFT, self.client_id, restore=stored is not None)
        self.app.push_screen(WriteTextScreen(f"{title} (Markdown)", text, allow_empty=True,
                                             keeper=keeper), written)


def manager_choices(found: list[dict]) -> list[tuple[str, str]]:
    """Picker choices for the account manager: every agent but viewers, then none."""
    return [(f"{agent['username']} ({agent['name']})", agent["username"]) for agent in found
            if agent["role"] != "viewer"] + [("none", NONE)]


def referrer_search(client_id: int) -> Callable[[str], list[tuple[str, object]]]:
    """The referrer picker's search: clients by name (never the client itself), or none."""
    def search(text: str) -> list[tuple[str, object]]:
        rows = client_page.clients_named(text, exclude=client_id)
        return [(row.name, row.id) for row in rows] + [("none", NONE)]
    return search

