"""Recurrence rules as people type them: RFC 5545 RRULE text or a friendly form.

`rule_from_text` accepts RRULE text ("FREQ=WEEKLY;BYDAY=MO,WE") or a friendly form and
returns the normalised RRULE, which python-dateutil evaluates (desk.recurrence.schedule):

    daily | every 2 days | every weekday
    weekly on mon,wed | every 2 weeks on fri | every mon
    monthly on 1 | monthly on 1,15 | monthly on 31 | monthly on last day
    monthly on last working day | monthly on first working day | monthly on last fri
    yearly | yearly on 03-15
    ... at 16:00 (after any of them)

Month ends: in the friendly forms a day that a month lacks falls on that month's last day
("monthly on 31" is BYMONTHDAY=-1, "monthly on 30" is BYMONTHDAY=28,29,30;BYSETPOS=-1, and
"yearly on 02-29" gives 28 February in common years). Raw RRULE text keeps RFC 5545's meaning,
as dateutil evaluates it: a month or year without that day is skipped. COUNT, UNTIL and
DTSTART are the series' own settings, not part of its rule.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from dateutil.rrule import rrulestr

from desk.errors import InvalidInput
from desk.kernel.inputs import storable_text

HINT = ("try daily, every 2 days, weekly on mon,wed, every 2 weeks on fri, monthly on 1, "
        "monthly on last working day, yearly on 03-15, or RRULE text such as "
        "FREQ=WEEKLY;BYDAY=MO")

# RRULE parts in the order the normalised text lists them.
PARTS = ("FREQ", "INTERVAL", "WKST", "BYMONTH", "BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY",
         "BYHOUR", "BYMINUTE", "BYSETPOS")
_MOVED_PARTS = {"COUNT": "the series' count (desk recur --count)",
                "UNTIL": "the series' end date (desk recur --until)",
                "DTSTART": "the series' start (desk recur --start)"}
_FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_RANGES = {"INTERVAL": (1, 1000), "BYMONTH": (1, 12), "BYMONTHDAY": (1, 31),
           "BYYEARDAY": (1, 366), "BYWEEKNO": (1, 53), "BYSETPOS": (1, 366),
           "BYHOUR": (0, 23), "BYMINUTE": (0, 59)}
_SIGNED = ("BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYSETPOS")

_DAYS = {name: code for code, names in (
    ("MO", ("mon", "monday")), ("TU", ("tue", "tues", "tuesday")),
    ("WE", ("wed", "wednesday")), ("TH", ("thu", "thur", "thurs", "thursday")),
    ("FR", ("fri", "friday")), ("SA", ("sat", "saturday")), ("SU", ("sun", "sunday")),
) for name in names}
WORKING_DAYS = "MO,TU,WE,TH,FR"
_SIMPLE = {"daily": "DAILY", "weekly": "WEEKLY", "monthly": "MONTHLY", "yearly": "YEARLY",
           "annually": "YEARLY"}
_UNITS = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY", "year": "YEARLY"}
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
             "4th": 4, "last": -1}
_WORKING = ("working", "business", "work")
_DAY_NUMBER = re.compile(r"([0-9]{1,2})(?:st|nd|rd|th)?")
_MONTH_DAY = re.compile(r"([0-9]{2})-([0-9]{2})")
_CLOCK = re.compile(r"([0-9]{1,2}):([0-9]{2})")


def rule_from_text(text: str) -> str:
    """The normalised RRULE text of a rule typed as RRULE text or in a friendly form.

    Raises InvalidInput naming the word or part it cannot read, or when the rule would never
    give a date.
    """
    words = storable_text(str(text or "").strip(), "a recurrence rule")
    if not words:
        raise InvalidInput(f"a recurrence rule cannot be empty; {HINT}")
    parts = _raw_parts(words) if "=" in words else _Friendly(words).parse()
    rule = ";".join(f"{name}={parts[name]}" for name in PARTS if name in parts)
    _check_dates(rule, words)
    return rule


def _raw_parts(text: str) -> dict[str, str]:
    """The parts of RRULE text ("RRULE:" prefix allowed), upper-cased and checked."""
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    parts: dict[str, str] = {}
    for piece in filter(None, (p.strip() for p in body.split(";"))):
        name, equals, value = piece.partition("=")
        name, value = name.strip().upper(), re.sub(r"\s+", "", value).upper()
        if name in _MOVED_PARTS:
            raise InvalidInput(f"{name} belongs in {_MOVED_PARTS[name]}, not in the rule")
        if name not in PARTS or not equals:
            raise InvalidInput(f"unknown rule part {piece!r}; {HINT}")
        if name in parts:
            raise InvalidInput(f"the rule names {name} twice")
        if not value:
            raise InvalidInput(f"{name} needs a value")
        parts[name] = value
    if "FREQ" not in parts:
        raise InvalidInput(f"the rule needs a FREQ (DAILY, WEEKLY, MONTHLY or YEARLY); {HINT}")
    if parts["FREQ"] not in _FREQUENCIES:
        raise InvalidInput(f"FREQ={parts['FREQ']} is not supported: work repeats DAILY, "
                           "WEEKLY, MONTHLY or YEARLY")
    for name in _RANGES.keys() & parts.keys():
        for item in parts[name].split(","):
            _check_number(name, item)
    return parts


def _check_number(name: str, item: str) -> None:
    """InvalidInput unless `item` is a whole number within the part's range (negative too,
    for the parts that count from the end)."""
    low, high = _RANGES[name]
    digits = item[1:] if name in _SIGNED and item[:1] in ("-", "+") else item
    if not digits.isdigit():
        raise InvalidInput(f"{name} needs whole numbers, not {item!r}")
    if not low <= int(digits) <= high:
        allowed = f"{low} to {high}" + (f", or -{low} to -{high}" if name in _SIGNED else "")
        raise InvalidInput(f"{name}={item} is out of range ({allowed})")


def _check_dates(rule: str, text: str) -> None:
    """InvalidInput when dateutil refuses the rule or it gives no date in 30 years."""
    probe = datetime(2024, 1, 1, 9)
    try:
        first = rrulestr(rule, dtstart=probe).after(probe, inc=True)
    except (ValueError, KeyError, TypeError) as error:
        raise InvalidInput(f"cannot use the rule {text!r}: {error}") from error
    if first is None or first.year > probe.year + 30:
        raise InvalidInput(f"the rule {text!r} never gives a date")


class _Friendly:
    """A friendly rule read word by word ("every 2 weeks on fri at 16:00")."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.words = [word for word in re.split(r"[\s,]+", text.strip().lower()) if word]
        self.parts: dict[str, str] = {}

    def parse(self) -> dict[str, str]:
        """The RRULE parts the words describe."""
        self._frequency()
        if self._take("on"):
            self._when()
        if self._take("at"):
            self._clock()
        if self.words:
            self._fail(self.words[0])
        return self.parts

    def _peek(self) -> str | None:
        """The next word, or None at the end."""
        return self.words[0] if self.words else None

    def _take(self, *choices: str) -> str | None:
        """Consume and return the next word if it is one of `choices`."""
        if self.words and self.words[0] in choices:
            return self.words.pop(0)
        return None

    def _next(self, what: str) -> str:
        """Consume the next word, which must exist."""
        if not self.words:
            raise InvalidInput(f"the rule {self.text!r} ends where {what} was expected; {HINT}")
        return self.words.pop(0)

    def _fail(self, word: str) -> None:
        """InvalidInput naming the word that cannot be read."""
        raise InvalidInput(f"cannot read {word!r} in the rule {self.text!r}; {HINT}")

    def _frequency(self) -> None:
        """daily / weekly / ... / weekdays / every [N|other] UNIT / every DAY[,DAY]."""
        word = self._next("a frequency")
        if word in _SIMPLE:
            self.parts["FREQ"] = _SIMPLE[word]
            return
        if word == "weekdays":
            self.parts.update(FREQ="WEEKLY", BYDAY=WORKING_DAYS)
            return
        if word != "every":
            self._fail(word)
        amount = self._next("a number or a unit")
        interval = 2 if amount == "other" else int(amount) if amount.isdigit() else None
        unit = self._next("a unit such as days or weeks") if interval else amount
        if interval is not None and not 1 <= interval <= 1000:
            raise InvalidInput(f"every {amount}: the number must be between 1 and 1000")
        if interval in (None, 1) and unit in ("weekday", "workday"):
            self.parts.update(FREQ="WEEKLY", BYDAY=WORKING_DAYS)
        elif interval is None and unit in _DAYS:
            self.parts.update(FREQ="WEEKLY")
            self.words.insert(0, unit)
            self._weekdays()
        elif unit.removesuffix("s") in _UNITS:
            self.parts["FREQ"] = _UNITS[unit.removesuffix("s")]
            if interval and interval > 1:
                self.parts["INTERVAL"] = str(interval)
        else:
            self._fail(unit)

    def _when(self) -> None:
        """What follows "on", by frequency."""
        self._take("the")
        frequency = self.parts["FREQ"]
        if frequency == "WEEKLY" and "BYDAY" not in self.parts:
            self._weekdays()
        elif frequency == "MONTHLY":
            self._month_days()
        elif frequency == "YEARLY":
            self._year_day()
        else:
            self._fail("on")

    def _weekdays(self) -> None:
        """One or more day names: mon, tue wed, thursday and friday."""
        codes: list[str] = []
        while self._peek() in _DAYS or (codes and self._peek() == "and"):
            word = self._next("a day")
            if word in _DAYS and _DAYS[word] not in codes:
                codes.append(_DAYS[word])
        if not codes:
            self._fail(self._peek() or "on")
        order = list(dict.fromkeys(_DAYS.values()))
        self.parts["BYDAY"] = ",".join(sorted(codes, key=order.index))

    def _month_days(self) -> None:
        """A day of the month, a list of them, last day, last working day, last fri..."""
        word = self._next("a day of the month")
        if word in _ORDINALS and (word == "last" or self._peek() in (*_DAYS, *_WORKING)):
            position = _ORDINALS[word]
            following = self._next("a day")
            if following in _WORKING:
                self._take("day", "days")
                self.parts.update(BYDAY=WORKING_DAYS, BYSETPOS=str(position))
            elif following in _DAYS:
                self.parts["BYDAY"] = f"{position}{_DAYS[following]}"
            elif following == "day" and position == -1:
                self.parts["BYMONTHDAY"] = "-1"
            else:
                self._fail(following)
            return
        self.words.insert(0, word)
        days: list[int] = []
        while (match := _DAY_NUMBER.fullmatch(self._peek() or "")) or (
                days and self._peek() == "and"):
            self.words.pop(0)
            if match:
                days.append(self._day_of_month(match))
        if not days:
            self._fail(word)
        if len(days) == 1 and days[0] in (29, 30):
            self.parts.update(BYMONTHDAY=",".join(str(d) for d in range(28, days[0] + 1)),
                              BYSETPOS="-1")
            return
        if {29, 30} & set(days):
            raise InvalidInput(f"in the rule {self.text!r}, day 29 or 30 can only stand alone "
                               "(in a shorter month it moves to the last day)")
        ordered = sorted(set(days))
        self.parts["BYMONTHDAY"] = ",".join("-1" if d == 31 else str(d) for d in ordered)

    def _day_of_month(self, match: re.Match[str]) -> int:
        """A day number 1..31."""
        day = int(match[1])
        if not 1 <= day <= 31:
            raise InvalidInput(f"{match[0]!r} is not a day of the month (1 to 31)")
        return day

    def _year_day(self) -> None:
        """MM-DD, e.g. 03-15; 02-29 falls on 28 February in common years."""
        word = self._next("a date such as 03-15")
        match = _MONTH_DAY.fullmatch(word)
        if match is None:
            self._fail(word)
        month, day = int(match[1]), int(match[2])
        try:
            date(2024, month, day)  # a leap year: 02-29 exists
        except ValueError:
            raise InvalidInput(f"{word!r} is not a day of the year (MM-DD)") from None
        self.parts["BYMONTH"] = str(month)
        self.parts.update({"BYMONTHDAY": "28,29", "BYSETPOS": "-1"} if (month, day) == (2, 29)
                          else {"BYMONTHDAY": str(day)})

    def _clock(self) -> None:
        """HH:MM: the time of day."""
        word = self._next("a time such as 09:00")
        match = _CLOCK.fullmatch(word)
        if match is None or int(match[1]) > 23 or int(match[2]) > 59:
            self._fail(word)
        self.parts.update(BYHOUR=str(int(match[1])), BYMINUTE=str(int(match[2])))
