"""A stored rule (normalised RRULE text) read back in words, the way people type rules.

`rule_words("FREQ=WEEKLY;BYDAY=MO,FR")` is "weekly on mon,fri", which `rule_from_text` reads
back to the same rule, so the editor can offer it for editing. Every friendly form desk
reads comes back as that form: a candidate is kept only when it reads back to the very same
rule. Raw RRULE text no friendly form can say (week numbers, days of the year, positions in
a set) is still described part by part ("yearly, in week 20, on mon") instead of shown raw.
"""

from __future__ import annotations

import calendar

from desk.errors import InvalidInput
from desk.recurrence.rules import WORKING_DAYS, rule_from_text

_DAY_NAMES = {"MO": "mon", "TU": "tue", "WE": "wed", "TH": "thu", "FR": "fri", "SA": "sat",
              "SU": "sun"}
_UNITS = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}
_SIMPLE = {"DAILY": "daily", "WEEKLY": "weekly", "MONTHLY": "monthly", "YEARLY": "yearly"}
_POSITIONS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}


def rule_words(rule: str) -> str:
    """The rule in words: a friendly form desk reads back to the same rule when there is
    one, else a description of each part."""
    parts = dict(item.split("=", 1) for item in rule.upper().split(";") if "=" in item)
    friendly = _friendly(parts)
    if friendly is not None and _reads_back(friendly, rule):
        return friendly
    return _described(parts)


def _reads_back(text: str, rule: str) -> bool:
    """Whether `text` is read as exactly `rule`."""
    try:
        return rule_from_text(text) == rule_from_text(rule)
    except InvalidInput:
        return False


def _friendly(parts: dict[str, str]) -> str | None:
    """The friendly form the parts came from, or None when no friendly form says them."""
    frequency = parts.get("FREQ", "")
    if frequency not in _UNITS or {"WKST", "BYWEEKNO", "BYYEARDAY"} & parts.keys():
        return None
    interval = int(parts.get("INTERVAL", "1"))
    base = (_SIMPLE[frequency] if interval == 1
            else f"every {interval} {_UNITS[frequency]}s")
    when = _on(frequency, parts)
    if when is None:
        return None
    if frequency == "WEEKLY" and interval == 1 and when == f"on {_days(WORKING_DAYS)}":
        text = "every weekday"
    else:
        text = f"{base} {when}".strip()
    return text + _clock(parts)


def _on(frequency: str, parts: dict[str, str]) -> str | None:
    """The "on …" words of a rule ("" when it has none), or None when it has no friendly form."""
    day, month_day = parts.get("BYDAY"), parts.get("BYMONTHDAY")
    position, month = parts.get("BYSETPOS"), parts.get("BYMONTH")
    if frequency == "DAILY":
        return "" if not (day or month_day or position or month) else None
    if frequency == "WEEKLY":
        return f"on {_days(day)}" if day and not (month_day or position or month) else (
            "" if not (day or month_day or position or month) else None)
    if frequency == "MONTHLY" and not month:
        return _month_on(day, month_day, position)
    if frequency == "YEARLY" and month and month_day and not day and "," not in month:
        if month == "2" and month_day == "28,29" and position == "-1":
            return "on 02-29"
        return None if position or "," in month_day else f"on {int(month):02d}-{int(month_day):02d}"
    if frequency == "YEARLY" and not (day or month_day or position or month):
        return ""
    return None


def _month_on(day: str | None, month_day: str | None, position: str | None) -> str | None:
    """The "on …" words of a monthly rule."""
    if day == WORKING_DAYS and position in ("1", "-1") and not month_day:
        return f"on {_POSITIONS[int(position)]} working day"
    if day and not (month_day or position):
        count, code = day[:-2], day[-2:]
        if count.lstrip("-").isdigit() and int(count) in _POSITIONS and code in _DAY_NAMES:
            return f"on {_POSITIONS[int(count)]} {_DAY_NAMES[code]}"
        return None
    if month_day and not day:
        if position == "-1" and month_day in ("28,29", "28,29,30"):
            return f"on {month_day.rsplit(',', 1)[1]}"
        if position:
            return None
        if month_day == "-1":
            return "on last day"
        return "on " + ",".join("31" if item == "-1" else item for item in month_day.split(","))
    return "" if not (day or month_day or position) else None


def _days(codes: str) -> str:
    """Weekday codes as names: "MO,FR" is "mon,fri"; "-1FR" is "last fri"."""
    names = []
    for code in codes.split(","):
        count, name = code[:-2], _DAY_NAMES.get(code[-2:], code[-2:].lower())
        if count.lstrip("-").isdigit():
            number = int(count)
            names.append(f"{_POSITIONS.get(number, f'#{number}')} {name}")
        else:
            names.append(name)
    return ",".join(names)


def _clock(parts: dict[str, str]) -> str:
    """" at HH:MM" when the rule fixes one time of day, else ""."""
    hour, minute = parts.get("BYHOUR", ""), parts.get("BYMINUTE", "")
    if hour.isdigit() and minute.isdigit():
        return f" at {int(hour):02d}:{int(minute):02d}"
    return ""


def _described(parts: dict[str, str]) -> str:
    """Any rule described part by part, for raw RRULE text no friendly form says."""
    frequency = parts.get("FREQ", "")
    interval = int(parts.get("INTERVAL", "1") or 1)
    unit = _UNITS.get(frequency, frequency.lower() or "time")
    words = [_SIMPLE.get(frequency, f"every {unit}") if interval == 1
             else f"every {interval} {unit}s"]
    if "BYMONTH" in parts:
        words.append("in " + ", ".join(calendar.month_abbr[int(month)].lower()
                                       for month in parts["BYMONTH"].split(",")
                                       if month.isdigit() and 1 <= int(month) <= 12))
    if "BYWEEKNO" in parts:
        words.append(f"in week {parts['BYWEEKNO']}")
    if "BYYEARDAY" in parts:
        words.append(f"on day {parts['BYYEARDAY']} of the year")
    if "BYMONTHDAY" in parts:
        words.append(f"on day {parts['BYMONTHDAY']} of the month")
    if "BYDAY" in parts:
        words.append(f"on {_days(parts['BYDAY'])}")
    if "BYSETPOS" in parts:
        words.append(f"keeping date number {parts['BYSETPOS']} of each")
    if "WKST" in parts:
        words.append(f"weeks starting {_DAY_NAMES.get(parts['WKST'], parts['WKST'].lower())}")
    return ", ".join(words) + _clock(parts)
