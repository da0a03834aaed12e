"""The order form: a client, a product from the catalogue, a quantity, a price and a due date.

`OrderFormScreen(client=(id, name))` opens from the tasks list (`O`), the client screen (`O`,
with that client chosen) and the palette ("New order"). Client and product are chosen with
the shared picker (enter on their line); quantity, unit price and due date are typed and
checked as they are typed, with the total shown live. ctrl+j (or enter in the last field)
creates the order through `desk.work.orders.place_order`, which puts it on the Orders
list for the fulfilling team with the product's checklist; the modal closes with the new
task's id and the caller opens it. Escape closes without creating anything.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from msgspec import Struct
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from desk import dates
from desk.errors import DeskError
from desk.money import money_text
from desk.pages import task as task_page
from desk.screens.actions.calls import run_service
from desk.screens.dialogs.closing import dismiss_if_in_front
from desk.screens.dialogs.pick import PickScreen
from desk.screens.hints import key_hint
from desk.screens.safe import safe_line
from desk.screens.widgets.key_button import KeyButton
from desk.screens.widgets.safe_input import SafeInput
from desk.text import one_line
from desk.work import orders
from desk.work.orders import ProductRow

KEYS = "enter chooses · tab next field · {order.create} creates · {order.cancel} cancels"
"""The line of keys under the form (binding ids in braces: the keys bound now)."""


class OrderDraft(Struct, frozen=True):
    """What the form holds, checked: ready for `orders.place_order`."""

    client_id: int
    product_id: int
    quantity: int
    unit_price: Decimal | None
    due_text: str


class OrderFormScreen(ModalScreen[int | None]):
    """A new order in one form; dismisses with the new order's task id, or None."""

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("escape", "cancel", "Cancel", id="order.cancel"),
        Binding("ctrl+j", "create", "Create order", id="order.create", priority=True),
    ]

    def __init__(self, client: tuple[int, str] | None = None) -> None:
        """`client` (id, name) is chosen already when the form opens from a client."""
        super().__init__()
        self.client = client
        self.product: ProductRow | None = None
        self.products: list[ProductRow] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-order"):
            yield Static("New order", classes="dialog-title")
            yield KeyButton("", id="order-client", compact=True)
            yield KeyButton("", id="order-product", compact=True)
            yield SafeInput("1", placeholder="quantity", id="order-quantity")
            yield SafeInput(placeholder="unit price (the catalogue's)", id="order-price")
            yield SafeInput(placeholder="due (optional): fri 15:00, in 3 days, dec 24",
                            id="order-due")
            yield Static("", id="order-total")
            yield Static("", id="order-error", classes="dialog-error")
            yield Static(key_hint(self, KEYS), classes="dialog-hint")

    def on_mount(self) -> None:
        """Show the choices so far and load the catalogue."""
        self.show_choices()
        run_service(self, orders.products, done=self.catalogue_arrived)
        self.query_one("#order-product" if self.client else "#order-client").focus()

    def catalogue_arrived(self, products: list[ProductRow]) -> None:
        """The active products, for the product picker."""
        self.products = products

    # --- choosing -------------------------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Enter on the client or product line opens its picker."""
        event.stop()
        if event.button.id == "order-client":
            self.app.push_screen(PickScreen("Client", search=client_choices,
                                            hint="Type part of a client's name."),
                                 self.client_chosen)
        else:
            choices = [(f"{product.name} · {product.kind} · {self.money(product.unit_price)}",
                        product)
                       for product in self.products]
            self.app.push_screen(PickScreen("Product or service", choices), self.product_chosen)

    def client_chosen(self, client: tuple[int, str] | None) -> None:
        """A client was picked."""
        if client is not None:
            self.client = client
            self.show_choices()
            self.query_one("#order-product").focus()

    def product_chosen(self, product: ProductRow | None) -> None:
        """A product was picked: its price is the default."""
        if product is not None:
            self.product = product
            self.show_choices()
            self.query_one("#order-quantity").focus()

    def show_choices(self) -> None:
        """The client and product lines, the price placeholder and the total."""
        client = self.client[1] if self.client else "(enter to choose)"
        self.query_one("#order-client", Button).label = safe_line(f"Client   {client}", 70)
        product = (f"{self.product.name} · {self.money(self.product.unit_price)}" if self.product
                   else "(enter to choose)")
        self.query_one("#order-product", Button).label = safe_line(f"Product  {product}", 70)
        if self.product:
            self.query_one("#order-price", Input).placeholder = (
                f"unit price (catalogue: {self.money(self.product.unit_price)})")
        self.show_total()

    def money(self, amount: Decimal) -> str:
        """An amount in the workspace's currency."""
        return money_text(amount, self.app.settings.money.currency)

    # --- typing -------------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        """Check as the person types; the total follows."""
        event.stop()
        self.show_total()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter moves on; in the last field it creates the order."""
        event.stop()
        if event.input.id == "order-due":
            self.action_create()
        else:
            self.focus_next()

    def show_total(self) -> None:
        """The total and the due date understood, or what is wrong with a typed value
        (nothing is created meanwhile)."""
        error, line = "", Content("")
        try:
            quantity, price, due_text = self.typed()
        except (ValueError, DeskError) as problem:
            error = str(problem)
        else:
            lines = []
            if self.product is not None:
                price = self.product.unit_price if price is None else price
                lines.append(f"Total    {quantity} × {self.money(price)} = "
                             f"{self.money(quantity * price)}")
            if due_text:
                now = self.app.now()
                lines.append(f"Due      {dates.spoken(dates.parse_due(due_text, now), now)}")
            line = Content("\n".join(lines)).stylize("bold")
        self.query_one("#order-error", Static).update(safe_line(one_line(error, 200)))
        self.query_one("#order-total", Static).update(line)

    def typed(self) -> tuple[int, Decimal | None, str]:
        """Quantity, unit price (None: the catalogue's) and due text, checked. Raises
        ValueError/DeskError naming the field."""
        quantity = orders.parse_quantity(self.query_one("#order-quantity", Input).value)
        price_text = self.query_one("#order-price", Input).value.strip()
        price = orders.parse_price(price_text) if price_text else None
        due_text = self.query_one("#order-due", Input).value.strip()
        if due_text:
            dates.parse_due(due_text, self.app.now())
        return quantity, price, due_text

    def draft(self) -> OrderDraft:
        """The whole form, checked. Raises ValueError/DeskError naming the field."""
        quantity, price, due_text = self.typed()
        if self.client is None or self.product is None:
            raise ValueError("choose a client and a product first (enter on their line)")
        return OrderDraft(self.client[0], self.product.id, quantity, price, due_text)

    # --- creating -----------------------------------------------------------------------------

    def action_create(self) -> None:
        """Create the order (in a worker) and close with its task id."""
        try:
            draft = self.draft()
        except (ValueError, DeskError) as problem:
            self.query_one("#order-error", Static).update(safe_line(one_line(str(problem), 200)))
            return
        agent, settings, now = self.app.agent, self.app.settings, self.app.now()
        run_service(self, lambda: orders.place_order(
            agent, settings.orders, draft.client_id, draft.product_id, draft.quantity,
            unit_price=draft.unit_price,
            due_at=dates.parse_due(draft.due_text, now) if draft.due_text else None),
            done=lambda placed: dismiss_if_in_front(self, placed.task.row.id))

    def action_cancel(self) -> None:
        """Close without an order."""
        self.dismiss(None)


def client_choices(text: str) -> list[tuple[str, tuple[int, str]]]:
    """Clients whose name contains `text` (in the picker's worker), as (label, (id, name))."""
    return [(label, (client_id, label.rsplit(" · ", 1)[0]))
            for label, client_id in task_page.client_choices(text) if client_id is not None]
