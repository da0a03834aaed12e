"""The catalogue: products and services, their prices and the checklist their orders get.

`ProductsScreen` (palette: "Products and services") lists the whole catalogue, retired
entries too, one line each. `n` adds an entry (name, kind, unit price), enter edits a field
of the one under the cursor (the shared modals ask; each save names the version shown, so a
change someone else saved first is refused with a notice and the list reloads), `a` retires
or restores it. Orders already placed keep their price. Escape goes back.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding
from textual.content import Content

from desk.money import money_text
from desk.screens.actions.calls import can_write, run_service
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.prompt import PromptScreen
from desk.screens.grammar import nav
from desk.screens.safe import safe
from desk.screens.screens.record_list import RecordListScreen
from desk.vocabulary import PRODUCT_KINDS
from desk.work import checklists, orders
from desk.work.orders import ProductRow

FIELDS = (("name", "Name"), ("kind", "Kind"), ("unit_price", "Unit price"),
          ("checklist_template", "Checklist for its orders"))
"""The fields enter can edit, with their labels."""


def product_line(product: ProductRow, currency: str) -> list[Content]:
    """One catalogue entry: name, kind, price in `currency`, checklist, retired."""
    checklist = f" · checklist: {product.checklist_template}" if product.checklist_template \
        else ""
    price = money_text(product.unit_price, currency)
    line = safe(f"{product.name} · {product.kind} · {price}{checklist}")
    if not product.active:
        line = (line + Content(" · retired")).stylize("dim")
    return [line]


class ProductsScreen(RecordListScreen):
    """The product and service catalogue, editable from the keyboard."""

    TITLE = "Products and services"
    BINDINGS: ClassVar[list[Binding]] = [
        nav("nav.back", "app.pop_screen", show=True),
        Binding("n", "new", "New", id="products.new"),
        nav("nav.open", "edit", "Edit", show=True),
        Binding("a", "toggle_active", "Retire/restore", id="products.active"),
    ]

    HINT = ("{products.new} adds · {nav.open} edits a field · {products.active} retires or "
            "restores · {nav.back} back")
    EMPTY = "The catalogue is empty: {products.new} adds a product."
    LIST_ID = "products-list"

    def load(self) -> list[ProductRow]:
        """In a worker: the whole catalogue, retired entries too."""
        return orders.products(include_inactive=True)

    def render_item(self, item: ProductRow, width: int) -> list[Content]:
        """One catalogue entry (see product_line)."""
        return product_line(item, self.app.settings.money.currency)

    # --- keys -------------------------------------------------------------------------------

    def action_new(self) -> None:
        """Ask name, kind and price, then add the entry."""
        if not can_write(self, "change the catalogue"):
            return
        agent = self.app.agent

        def priced(name: str, kind: str, price: Any) -> None:
            if price is not None:
                self.write(lambda: orders.create_product(agent, name, kind, price))

        def kinded(name: str, kind: str | None) -> None:
            if kind is not None:
                self.app.push_screen(PromptScreen("Unit price", parse=orders.parse_price,
                                                  hint="An amount like 90 or 1200.50"),
                                     lambda price: priced(name, kind, price))

        def named(name: str | None) -> None:
            if name:
                self.app.push_screen(PickScreen("Kind", [(kind, kind) for kind in PRODUCT_KINDS],
                                                quick=True), lambda kind: kinded(name, kind))

        self.app.push_screen(PromptScreen("New product or service: its name"), named)

    def action_edit(self) -> None:
        """Pick a field of the current entry and edit it."""
        product = self.current
        if product is None or not can_write(self, "change the catalogue"):
            return
        choices = [(f"{label}: {getattr(product, name) or '(none)'}", name)
                   for name, label in FIELDS]
        self.app.push_screen(PickScreen(f"Edit {product.name}", choices),
                             lambda name: name is None or self.edit_field(product, name))

    def edit_field(self, product: ProductRow, name: str) -> None:
        """The editor of one field; the save names the version shown."""
        agent, label = self.app.agent, dict(FIELDS)[name]

        def store(value: Any) -> None:
            self.write(lambda: orders.update_product(agent, product.id, product.version,
                                                     **{name: value}))

        if name == "checklist_template":
            def chosen(template: str | None) -> None:
                if template is not None:
                    store(template or None)  # "" is "no checklist"

            run_service(self, checklists.templates, done=lambda templates: self.app.push_screen(
                PickScreen(label, [("(no checklist)", ""), *((t.name, t.name) for t in templates)]),
                chosen))
            return
        if name == "kind":
            editor: Any = PickScreen(label, [(kind, kind) for kind in PRODUCT_KINDS], quick=True)
        elif name == "unit_price":
            editor = PromptScreen(label, parse=orders.parse_price,
                                  value=f"{product.unit_price:.2f}")
        else:
            editor = PromptScreen(label, value=product.name)
        self.app.push_screen(editor, lambda value: value is None or store(value))

    def action_toggle_active(self) -> None:
        """Retire the current entry (no new orders) or restore it."""
        product = self.current
        if product is None or not can_write(self, "change the catalogue"):
            return
        agent = self.app.agent
        self.write(lambda: orders.update_product(agent, product.id, product.version,
                                                 active=not product.active))
