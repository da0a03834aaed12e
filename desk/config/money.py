"""The `money:` settings: the currency every amount in the workspace is in (desk.money)."""

from __future__ import annotations

from typing import Annotated

from desk.config.defaults import shipped
from desk.config.validate import Check, Section
from desk.money import check_currency

CurrencyCode = Annotated[str, Check(check_currency)]
"""An ISO 4217 currency code like EUR, GBP or USD."""


class MoneySettings(Section):
    """Money: the one currency of the workspace's prices, orders, retainers and rewards."""

    currency: CurrencyCode = shipped("money", "currency")
    """The ISO 4217 code of the workspace's currency (EUR, GBP, USD, CHF...): every amount is
    shown with it, and exports carry it beside the plain numbers."""
