"""The outbox: the e-mail desk sends (replies, automation e-mails) and how it fared.

`OutboxScreen` (palette: "Outbox") lists the newest messages, newest first, each with its
recipient, subject, status, attempts, last error and times; the line above says how many are
queued, sent and failed, and whether an SMTP server is configured (without one, mail waits
here). enter shows a message, `r` retries a failed one (or makes a waiting one due now),
`s` sends what is queued now, `c` cancels a queued one (after a yes/no), `e` edits a queued
one's subject and text (desk.mail.outbox_edits), `f` shows only one status in turn. Escape
goes back.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from desk.clock import to_local
from desk.mail import delivery, outbox, outbox_edits
from desk.mail.delivery import Delivery
from desk.mail.outbox import OutboxMessage, OutboxRow
from desk.mail.outbox_edits import Read
from desk.screens.actions.calls import can_write, run_service
from desk.screens.dialogs.outbox_message import OutboxMessageScreen
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.prompt import PromptScreen
from desk.screens.dialogs.write_text import WriteTextScreen
from desk.screens.grammar import nav
from desk.screens.hints import key_hint
from desk.screens.safe import safe_line
from desk.screens.screens.record_list import RecordListScreen
from desk.text import one_line

SHOWN = 200
"""How many of the newest messages the screen lists."""
FILTERS = (None, "queued", "failed", "sent")
"""What `f` steps through: every message, then one status at a time."""


class OutboxScreen(RecordListScreen):
    """The outbox, newest first: retry, send now, show a message."""

    TITLE = "Outbox"
    BINDINGS: ClassVar[list[Binding]] = [
        nav("nav.back", "app.pop_screen", show=True),
        nav("nav.open", "edit", "Show", show=True),
        Binding("r", "retry", "Retry", id="outbox.retry"),
        Binding("s", "send", "Send now", id="outbox.send"),
        Binding("c", "cancel", "Cancel e-mail", id="outbox.cancel"),
        Binding("e", "change", "Edit e-mail", id="outbox.edit"),
        Binding("f", "filter", "Status filter", id="outbox.filter"),
    ]

    HINT = ("{nav.open} shows · {outbox.retry} retries · {outbox.send} sends now · "
            "{outbox.cancel} cancels · {outbox.edit} edits · {outbox.filter} filters by status "
            "· {nav.back} back")
    EMPTY = "No e-mail here."
    LIST_ID = "outbox-list"

    def __init__(self) -> None:
        super().__init__()
        self.status: str | None = None

    def load(self) -> tuple[list[OutboxRow], dict[str, int]]:
        """In a worker: the newest messages (of the chosen status) and the counts."""
        return outbox.rows(self.status, SHOWN, self.app.agent), outbox.counts()

    def show(self, loaded: tuple[list[OutboxRow], dict[str, int]]) -> None:
        """The messages, and the counts with the server's state above them."""
        rows, counts = loaded
        smtp = self.app.settings.smtp
        server = (f"sending through {smtp.host}" if smtp.host
                  else f"nothing is sent: {outbox.NOT_CONFIGURED}")
        shown = f"showing {self.status} · " if self.status else ""
        state = safe_line(f"{counts['queued']} queued · {counts['failed']} failed · "
                          f"{counts['sent']} sent · {shown}{server}")
        self.query_one(".dialog-hint", Static).update(Content("\n").join(
            [state, key_hint(self, self.HINT)]))
        super().show(rows)

    def render_item(self, item: OutboxRow, width: int) -> list[Content]:
        """A message: number, status and attempts, recipient, subject; its times; its last
        error."""
        zone, colours = self.app.settings.tz, self.app.theme_variables
        status = "sending" if item.sending else item.status
        style = {"failed": f"bold {colours.get('error', '')}", "sent": "dim"}.get(status, "bold")
        head = (Content(f"#{item.id} ") + Content(status).stylize(style)
                + Content(f" · {item.attempts} attempt{'s' if item.attempts != 1 else ''} · ")
                + safe_line(item.to_address, 40) + Content(" · ")
                + safe_line(item.subject, max(width - 40, 10)))
        times = [f"created {to_local(item.created_at, zone):%Y-%m-%d %H:%M}"]
        if item.sent_at:
            times.append(f"sent {to_local(item.sent_at, zone):%Y-%m-%d %H:%M}")
        if item.next_attempt_at and item.status == "queued":
            said = "held for undo until" if item.attempts == 0 else "next attempt"
            times.append(f"{said} {to_local(item.next_attempt_at, zone):%Y-%m-%d %H:%M}")
        if item.task_id:
            times.append(f"task #{item.task_id}")
        lines = [head, Content("   " + " · ".join(times)).stylize("dim")]
        if item.last_error:
            lines.append(Content("   last error: ") + safe_line(item.last_error, width))
        return lines

    # --- keys -------------------------------------------------------------------------------

    def action_edit(self) -> None:
        """Show the current message with its headers and text."""
        row = self.current
        if row is not None:
            zone, agent = self.app.settings.tz, self.app.agent
            run_service(self, lambda: outbox.get(row.id, agent),
                        done=lambda message: self.app.push_screen(
                            OutboxMessageScreen(message, zone)))

    def action_retry(self) -> None:
        """Queue the current message again (a failed one), or make it due now."""
        row = self.current
        if row is None or not can_write(self, "retry e-mail"):
            return
        agent = self.app.agent
        self.write(lambda: outbox.retry(agent, row.id))

    def action_cancel(self) -> None:
        """Cancel the current queued message, once the agent said yes."""
        row = self.current
        if row is None or not can_write(self, "cancel e-mail") or not self.waiting(row):
            return
        agent = self.app.agent
        question = PickScreen(one_line(f"Cancel e-mail {row.id} to {row.to_address} "
                                       f"({row.subject})? It will not be sent.", 200),
                              [("No, keep it", False), ("Yes, cancel it", True)])
        self.app.push_screen(question, lambda yes: yes and self.write(
            lambda: outbox_edits.cancel(agent, row.id)))

    def action_change(self) -> None:
        """Edit the current queued message: its subject, then its text."""
        row = self.current
        if row is None or not can_write(self, "edit e-mail") or not self.waiting(row):
            return
        agent = self.app.agent
        run_service(self, lambda: outbox.get(row.id, agent), done=self.edit_message)

    def edit_message(self, message: OutboxMessage) -> None:
        """Ask for the subject, then the text, then save both at what was read."""
        read, agent = Read(message.row.subject, message.body), self.app.agent

        def subject_given(subject: str | None) -> None:
            """The subject typed: now the text."""
            if subject is not None:
                self.app.push_screen(
                    WriteTextScreen(f"E-mail {message.row.id} to {message.row.to_address}",
                                    message.body),
                    lambda body: body is not None and self.write(
                        lambda: outbox_edits.edit(agent, message.row.id, read, subject, body)))
        self.app.push_screen(PromptScreen(f"Subject of e-mail {message.row.id}",
                                          value=message.row.subject), subject_given)

    def waiting(self, row: OutboxRow) -> bool:
        """Whether a message can still be changed; if not, the agent is told why."""
        if row.status == "queued" and not row.sending:
            return True
        why = ("is being sent" if row.sending
               else "was sent" if row.status == "sent" else "failed")
        self.notify(f"E-mail {row.id} {why}: only a queued message can be changed.",
                    title="Outbox", severity="warning", markup=False)
        return False

    def action_send(self) -> None:
        """Send every queued message now, even those waiting to be tried again."""
        if not can_write(self, "send e-mail"):
            return
        settings, now = self.app.settings, self.app.now()
        if not settings.smtp.host:
            self.notify(f"Nothing can be sent: {outbox.NOT_CONFIGURED}.", title="Outbox",
                        severity="warning", markup=False)
            return
        self.notify(f"Sending through {one_line(settings.smtp.host, 80)}…", title="Outbox",
                    markup=False)
        run_service(self, lambda: delivery.deliver(settings, now, waiting_too=True),
                    done=self.delivered, group="outbox-send", exclusive=True)

    def delivered(self, report: Delivery) -> None:
        """Tell what the sending did, then show the outbox as it is now."""
        problems = report.problems()
        text = report.summary() + (f"; {problems[0]}" if problems else "")
        self.notify(one_line(text, 300), title="Outbox", markup=False,
                    severity="warning" if problems else "information")
        self.reload()

    def action_filter(self) -> None:
        """Show the next status only (all, queued, failed, sent)."""
        self.status = FILTERS[(FILTERS.index(self.status) + 1) % len(FILTERS)]
        self.reload()
