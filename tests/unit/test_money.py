"""Money in one format: the formatter, the money.currency setting and its check, and the
listings that carry amounts (a table shows the currency, JSON and CSV a currency field)."""

from __future__ import annotations

from datetime import UTC
from decimal import Decimal

import pytest

from desk import output
from desk.config import ConfigError, Settings, parse_settings
from desk.money import money_text


@pytest.mark.parametrize(("amount", "currency", "shown"), [
    (Decimal("1234.5"), "GBP", "£1,234.50"),
    (Decimal("-12"), "EUR", "-€12.00"),
    (Decimal("1200000"), "USD", "$1,200,000.00"),
    (Decimal("80"), "CHF", "CHF 80.00"),
    (Decimal("0.005"), "EUR", "€0.01"),
    (Decimal("-0.001"), "EUR", "€0.00"),
    (7, "SEK", "SEK 7.00"),
    (0.1 + 0.2, "USD", "$0.30"),
    (None, "GBP", "–"),
])
def test_an_amount_is_shown_with_its_currency_in_one_format(amount, currency, shown):
    assert money_text(amount, currency) == shown


def test_the_currency_is_gbp_unless_set():
    assert Settings().money.currency == "GBP"
    assert parse_settings("money:\n  currency: EUR\n").money.currency == "EUR"


@pytest.mark.parametrize("code", ["EURO", "eur", "XYZ", ""])
def test_an_unknown_currency_is_refused_naming_the_key_and_line(code):
    with pytest.raises(ConfigError) as caught:
        parse_settings(f"timezone: UTC\nmoney:\n  currency: '{code}'\n")
    message = str(caught.value)
    assert "line 3" in message and "money.currency" in message and "ISO 4217" in message


ROWS = [{"id": 1, "name": "Website", "unit_price": Decimal("1200.50")},
        {"id": 2, "name": "Ads", "unit_price": None}]
PRICED = output.Money(("unit_price",), "EUR")


def test_a_table_shows_amounts_with_their_currency():
    table = output.render(ROWS, ("id", "name", "unit_price"), "table", UTC, money=PRICED)
    assert [line.split() for line in table.splitlines()] == [
        ["ID", "NAME", "UNIT_PRICE"], ["1", "Website", "€1,200.50"], ["2", "Ads"]]


def test_csv_and_json_keep_plain_numbers_beside_a_currency():
    csv = output.render(ROWS, ("id", "name", "unit_price"), "csv", UTC, money=PRICED)
    assert csv.splitlines() == ["id,name,unit_price,currency", "1,Website,1200.50,EUR",
                                "2,Ads,,EUR"]
    data = output.render(ROWS, ("id", "name", "unit_price"), "json", UTC, money=PRICED)
    assert '"unit_price": "1200.50",\n    "currency": "EUR"' in data
