"""Reading the values of other tools' files: moments, durations, priorities, lists of names,
and the guess of a status's category from its name.

Each reader takes the text of a cell (or a JSON value) and returns desk's value, or raises
ValueError with a message that the importer reports at the cell's place.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal, InvalidOperation

from dateutil import parser as date_parser

from desk.transfer.reading import blank

_WHOLE = re.compile(r"-?[0-9]+(?:\.0*)?")
_DONE_WORDS = ("done", "complete", "completed", "closed", "finished", "resolved", "shipped",
               "delivered", "fixed", "cancel", "canceled", "cancelled", "archived", "rejected",
               "won't do", "wontfix", "deleted", "lost")
_CLOSED_WORDS = ("closed", "cancel", "canceled", "cancelled", "archived", "rejected",
                 "won't do", "wontfix", "deleted", "lost")
_ACTIVE_WORDS = ("progress", "doing", "active", "review", "working", "started", "testing",
                 "waiting", "blocked", "hold", "qa", "pending approval")
_CATEGORY_WORDS = tuple((category, re.compile("|".join(map(re.escape, words))))
                        for category, words in (("closed", _CLOSED_WORDS), ("done", _DONE_WORDS),
                                                ("active", _ACTIVE_WORDS)))
"""The words of each category, in the order they are looked for (any of them within a name)."""
_JSON_LIST = re.compile(r'\[\s*(?:["\[{\]\-0-9]|true|false|null|NaN|Infinity)')
"""How a list that may be JSON starts; one that starts otherwise ([tag1, tag2]) is not tried."""
_1970 = datetime(1970, 1, 1)
_LAST_MILLIS = (datetime(9999, 12, 31, 23, 59, 59, 999000) - _1970) // timedelta(milliseconds=1)
"""The last millisecond timestamp a datetime holds."""
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(w|d|h|m|min|mins|s)\b", re.I)


def epoch_millis(value: str) -> datetime | None:
    """A millisecond Unix timestamp as naive UTC, or None when the text is not one exactly.

    A spreadsheet that saved the file back may have turned 1709830800000 into 1.70983E+12,
    which has lost its precision: such text is not taken (the importer falls back to the
    human-readable column). ValueError for a time past the year 9999."""
    if value.isascii() and value.isdigit():  # most cells: digits only
        millis = int(value)
    elif blank(value) or not _WHOLE.fullmatch(value.strip()):
        return None
    else:
        millis = _whole(value.strip())
    if millis <= 0:
        return None
    if millis > _LAST_MILLIS:
        raise ValueError(f"{str(millis)[:30]} milliseconds is past the year 9999")
    return _1970 + timedelta(milliseconds=millis)


def moment(value: str, zone: tzinfo) -> datetime | None:
    """A date and time written for people ("Thursday, March 7th 2024, 5:00 pm", "03/07/2024",
    "2024-03-07T17:00:00Z") as naive UTC; a time without a zone is wall time in `zone`. None
    for no value; ValueError when it is not a date."""
    if blank(value):
        return None
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", value.strip())
    try:
        parsed = date_parser.parse(text, ignoretz=False, tzinfos=_no_names)
    except (ValueError, OverflowError):
        raise ValueError(f"not a date: {value.strip()[:60]!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.astimezone(UTC).replace(tzinfo=None)


def _no_names(name: str, offset: int | None) -> tzinfo | None:
    """dateutil's time zone lookup: names like EST are ambiguous, so only offsets count."""
    return None


def day(value: str) -> date | None:
    """A calendar date (a birthday) in any common form; None for no value; ValueError."""
    if blank(value):
        return None
    text = value.strip()
    if re.fullmatch(r"--\d{2}-?\d{2}", text):  # vCard's birthday without a year
        return None
    try:
        return date_parser.parse(text, default=datetime(1900, 1, 1)).date()
    except (ValueError, OverflowError):
        raise ValueError(f"not a date: {text[:60]!r}") from None


def millis_minutes(value: str) -> int | None:
    """Whole minutes from milliseconds (ClickUp's estimates), None for no value or text that
    is not a whole number (a spreadsheet's 3.6E+06)."""
    if value.isascii() and value.isdigit():  # most cells: digits only
        return round(int(value) / 60000)
    if blank(value) or not _WHOLE.fullmatch(value.strip()):
        return None
    return round(_whole(value.strip()) / 60000)


def _whole(text: str) -> int:
    """The integer of text `_WHOLE` matches ("1709830800000", "3600000.0")."""
    return int(text) if "." not in text else int(Decimal(text))


def duration_minutes(value: str) -> int | None:
    """Whole minutes from text like "2h 30m", "1d", "45 min" or a bare number of minutes;
    None for no value; ValueError for anything else."""
    if blank(value):
        return None
    text = value.strip()
    try:
        return round(float(text))
    except ValueError:
        pass
    found = _DURATION.findall(text)
    if not found:
        raise ValueError(f"not a duration: {text[:60]!r}")
    per_unit = {"w": 2400, "d": 480, "h": 60, "m": 1, "min": 1, "mins": 1, "s": 1 / 60}
    return round(sum(float(number) * per_unit[unit.lower()] for number, unit in found))


def names_list(value: str) -> tuple[str, ...]:
    """Names from a cell: a JSON list, a bracket list like "[Ann Lee, bob@x.io]", or text
    separated by commas; blanks left out."""
    if blank(value):
        return ()
    text = value.strip()
    if text.startswith("["):
        items = _json_list(text) if _JSON_LIST.match(text) else None
        if items is None:
            items = text[1:-1].split(",") if text.endswith("]") else text[1:].split(",")
    else:
        items = text.split(",")
    found = []
    for item in items:
        name = str(item).strip()
        if name and not blank(name):
            found.append(name)
    return tuple(found)


def _json_list(text: str) -> list | None:
    """The JSON list `text` holds, or None when it is not JSON."""
    try:
        items = json.loads(text)
    except ValueError:
        return None
    return items if isinstance(items, list) else None


def number(value: str) -> Decimal | None:
    """A number, None for no value; ValueError for anything else."""
    if blank(value):
        return None
    try:
        result = Decimal(value.strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"not a number: {value.strip()[:40]!r}") from None
    if not result.is_finite():
        raise ValueError(f"not a number: {value.strip()[:40]!r}")
    return result


def category_of(status: str) -> str:
    """desk's category for a status named `status` in another tool: done words (done,
    complete, closed, resolved...) are done, or closed for the cancelled kind; progress words
    are active; everything else is open."""
    name = status.strip().lower()
    for category, words in _CATEGORY_WORDS:
        if words.search(name):
            return category
    return "open"
