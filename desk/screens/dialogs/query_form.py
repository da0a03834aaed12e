"""The new-query form: a query taken by phone or at the desk, typed in by the agent.

`QueryFormScreen()` opens from the inbox (`+`) and the palette ("New query"). It asks for the
requester's name and e-mail, the client (optional: by default the requester is matched to a
client by e-mail address, as mail is), the product (optional, from the catalogue), the
priority, the channel (phone, walk-in, form or e-mail), the subject (optional: the problem's
first line by default) and the problem. ctrl+j creates the query through
`desk.support.forms.take_form`, the same path a web form's submission takes, so it lands on
the intake list with its SLA due times, and its history names the agent who took it; a
mistake is named in place ("email: ... is not an e-mail address") and nothing is created. The
modal closes with the new query's task id, and the caller opens it.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static, TextArea

from desk.screens.actions.calls import describe, run_service
from desk.screens.dialogs.closing import dismiss_if_in_front
from desk.screens.dialogs.order_form import client_choices
from desk.screens.dialogs.pick import PickScreen
from desk.screens.hints import key_hint, key_text
from desk.screens.safe import safe_line
from desk.screens.widgets.key_button import KeyButton
from desk.screens.widgets.safe_input import SafeInput
from desk.screens.widgets.safe_text_area import SafeTextArea
from desk.support import forms as intake_forms
from desk.support import intake
from desk.vocabulary import CHANNELS, PRIORITIES
from desk.work import orders
from desk.work.orders import ProductRow

IN_PERSON = ("phone", "walk-in")
CHANNEL_CHOICES = (*IN_PERSON, *(channel for channel in CHANNELS if channel not in IN_PERSON))
"""The channels in the order the picker offers them (a typed-in query is mostly a call)."""

KEYS = "enter chooses · tab next field · {query.create} creates · {query.cancel} cancels"
"""The line of keys under the form (binding ids in braces: the keys bound now)."""


class QueryFormScreen(ModalScreen[int | None]):
    """A new support query in one form; dismisses with its task id, or None."""

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("escape", "cancel", "Cancel", id="query.cancel"),
        Binding("ctrl+j", "create", "Create query", id="query.create", priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.client: tuple[int, str] | None = None
        self.product: ProductRow | None = None
        self.products: list[ProductRow] = []
        self.priority = "normal"
        self.channel = CHANNEL_CHOICES[0]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-query"):
            yield Static("New query", classes="dialog-title")
            with Horizontal(classes="query-requester"):  # side by side: it fits 80x24
                yield SafeInput(placeholder="requester's name", id="query-name")
                yield SafeInput(placeholder="requester's e-mail (optional)", id="query-email")
            for name in ("client", "product", "priority", "channel"):
                yield KeyButton("", id=f"query-{name}", compact=True)
            yield SafeInput(placeholder="subject (optional: the problem's first line)",
                            id="query-subject")
            yield SafeTextArea(id="query-problem", soft_wrap=True, tab_behavior="focus",
                               placeholder="the problem, in the requester's words")
            yield Static("", id="query-error", classes="dialog-error")
            yield Static(key_hint(self, KEYS), classes="dialog-hint")

    def on_mount(self) -> None:
        """Show the choices and load the catalogue."""
        self.show_choices()
        run_service(self, orders.products, done=self.catalogue_arrived)
        self.query_one("#query-name").focus()

    def catalogue_arrived(self, products: list[ProductRow]) -> None:
        """The active products, for the product picker."""
        self.products = products

    def show_choices(self) -> None:
        """The client, product, priority and channel lines."""
        client = self.client[1] if self.client else "(matched by e-mail; enter to choose)"
        product = self.product.name if self.product else "(none; enter to choose)"
        for name, value in (("client", client), ("product", product),
                            ("priority", self.priority), ("channel", self.channel)):
            self.query_one(f"#query-{name}", Button).label = safe_line(
                f"{name.capitalize():<9}{value}", 70)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter moves on."""
        event.stop()
        self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Enter on a choice opens its picker."""
        event.stop()
        name = (event.button.id or "").removeprefix("query-")
        if name == "client":
            picker = PickScreen(key_text(self, "Client ({nav.back} keeps the e-mail match)"),
                                search=client_choices, hint="Type part of a client's name.")
        elif name == "product":
            picker = PickScreen("Product or service", [("(none)", None)] + [
                (f"{product.name} · {product.kind}", product) for product in self.products])
        elif name == "priority":
            picker = PickScreen("Priority", [(word, word) for word in PRIORITIES])
        else:
            picker = PickScreen("Channel", [(word, word) for word in CHANNEL_CHOICES])
        self.app.push_screen(picker, lambda value: self.chosen(name, value))

    def chosen(self, name: str, value: object) -> None:
        """A picker closed: keep its choice (escape changes nothing, except that the
        product picker's "(none)" clears the product)."""
        if name == "product" and (value is not None or self.product is not None):
            self.product = value  # type: ignore[assignment]
        elif value is not None:
            setattr(self, name, value)
        self.show_choices()

    def submission(self) -> dict[str, str]:
        """The form as a submission, the mapping intake_forms takes."""
        return {
            "name": self.query_one("#query-name", Input).value,
            "email": self.query_one("#query-email", Input).value,
            "client": str(self.client[0]) if self.client else "",
            "product": self.product.name if self.product else "",
            "title": self.query_one("#query-subject", Input).value,
            "problem": self.query_one("#query-problem", TextArea).text,
            "priority": self.priority,
            "channel": self.channel,
        }

    def action_create(self) -> None:
        """Create the query (in a worker) and close with its id; a mistake stays on screen."""
        agent, submission = self.app.agent, self.submission()
        options = intake.IntakeOptions.from_settings(self.app.settings.intake,
                                                     self.app.sla_rules)
        run_service(self, lambda: intake_forms.take_form(agent, submission, "form", options,
                                                         actor=agent.username),
                    done=lambda outcome: dismiss_if_in_front(self, outcome.task_id),
                    failed=self.refused)

    def refused(self, error: Exception) -> bool:
        """Say in place what is wrong; nothing was created."""
        self.query_one("#query-error", Static).update(safe_line(describe(error), 200))
        return True

    def action_cancel(self) -> None:
        """Close without a query."""
        self.dismiss(None)
