"""Amounts of money: Decimals in whole cents, read from what a person typed."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from desk.errors import InvalidInput

CENTS = Decimal("0.01")


def finite_decimal(text: str) -> Decimal | None:
    """A finite Decimal from text, or None when the text is not a number."""
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def amount(value: object, what: str) -> Decimal:
    """An amount with at most two decimals, as a Decimal in cents; the error names `what`
    (e.g. "unit price") and the value."""
    text = str(value).strip()
    number = None if isinstance(value, bool) else finite_decimal(text)
    try:
        cents = None if number is None else number.quantize(CENTS)
    except InvalidOperation:  # too many digits to hold cents
        cents = None
    if cents is None or cents != number:
        raise InvalidInput(f"{what} needs an amount like 1200.50, not {text!r}")
    return cents
