"""Time spent as a person types it: `1h30`, `1h 30m`, `45m`, `1.5h`, `1:30`, `90` (minutes).

The one reader of logged and corrected time (desk.dates reads the lengths of snoozes and
offsets, where `m` means months). A duration is a whole number of minutes, more than none
and at most a day (`MAX_MINUTES`): one entry is one sitting.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from desk.errors import InvalidInput

MAX_MINUTES = 24 * 60
"""The longest single entry a person may type."""
HINT = "try 1h30 or 45m"

_HOURS_MINUTES = re.compile(
    r"(?:(?P<hours>[0-9]+(?:[.,][0-9]+)?)\s*h(?:ours?|rs?)?)?\s*"
    r"(?:(?P<minutes>[0-9]+)\s*(?:m|min|mins|minutes?)?)?")
_CLOCK = re.compile(r"(?P<hours>[0-9]+):(?P<minutes>[0-5][0-9])")


def parse_minutes(text: str) -> int:
    """The minutes `text` names; InvalidInput naming the text and the forms otherwise.

    A bare number is minutes; hours may have a decimal part (`1.5h`, `1,5h`) and are rounded
    to the nearest minute; minutes after hours need no unit (`1h30`).
    """
    word = " ".join(text.lower().split())
    minutes = _clock(word) if ":" in word else _units(word)
    if minutes is None:
        raise InvalidInput(f"{text.strip()!r} is not a duration: {HINT}")
    if minutes <= 0:
        raise InvalidInput(f"{text.strip()!r} is no time at all: {HINT}")
    if minutes > MAX_MINUTES:
        raise InvalidInput(f"{text.strip()!r} is more than a day: log each day on its own")
    return minutes


def spoken(minutes: int) -> str:
    """Minutes as people read them: `45m`, `2h`, `1h30`, `-0h15` for a negative amount."""
    sign, minutes = ("-", -minutes) if minutes < 0 else ("", minutes)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{sign}{rest}m"
    return f"{sign}{hours}h{rest:02d}" if rest else f"{sign}{hours}h"


def hours(minutes: int) -> Decimal:
    """Minutes as hours with two decimals (what a retainer and a report count in)."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _clock(word: str) -> int | None:
    """`1:30` as 90 minutes."""
    found = _CLOCK.fullmatch(word)
    return int(found["hours"]) * 60 + int(found["minutes"]) if found else None


def _units(word: str) -> int | None:
    """`1h30`, `1h 30m`, `45m`, `1.5h` or `90` as minutes; None when it is none of them."""
    found = _HOURS_MINUTES.fullmatch(word)
    if not word or found is None or not (found["hours"] or found["minutes"]):
        return None
    if found["minutes"] and found["hours"] and not found["hours"].isdigit():
        return None  # 1.5h30: a fraction of an hour and minutes besides
    try:
        whole = Decimal(found["hours"].replace(",", ".")) if found["hours"] else Decimal(0)
    except InvalidOperation:
        return None
    from_hours = int((whole * 60).quantize(Decimal(1), ROUND_HALF_UP))
    return from_hours + int(found["minutes"] or 0)
