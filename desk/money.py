"""Amounts of money: Decimals in whole cents, read from what a person typed."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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


_CODE_LIST = """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP
BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP
GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR
KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK
MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR
SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS
UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
"""

CODES = frozenset(_CODE_LIST.split())
"""The ISO 4217 codes of the currencies in use."""

SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$", "JPY": "¥", "INR": "₹"}
"""Currencies written with their sign; every other currency is written with its code."""


def check_currency(code: str) -> None:
    """Check an ISO 4217 currency code like EUR, GBP or USD."""
    if code not in CODES:
        raise ValueError(f"expected an ISO 4217 currency code like EUR, GBP or USD, got {code!r}")


def money_text(value: Decimal | float | int | None, currency: str) -> str:
    """An amount as people read it, in desk's one format: its currency's sign (or code and a
    space) before the number, thousands separators and cents, a minus in front:
    "£1,234.50", "-€12.00", "CHF 80.00" (cents rounded half up); "–" when there is no
    amount."""
    if value is None:
        return "–"
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    cents = number.quantize(CENTS, rounding=ROUND_HALF_UP)
    sign = "-" if cents < 0 else ""
    return f"{sign}{SYMBOLS.get(currency, f'{currency} ')}{abs(cents):,.2f}"
