"""Printing records as a table, JSON or CSV; every piece of text passes through `visible()`.

Records are dicts of plain values (stored times are naive UTC). JSON gets ISO 8601 times in
the person's time zone; tables and CSV get "2026-12-01 14:00". A table fits the terminal by
shortening its free-text column. Amounts of money (`Money`) are shown with their currency in a
table ("£1,200.00") and stay plain numbers in JSON and CSV, beside a "currency" field.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterable, Sequence
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Any

from msgspec import Struct

from desk.clock import to_local
from desk.money import money_text
from desk.text import display_width, one_line, visible

FORMATS = ("table", "json", "csv")
MIN_FLEXIBLE = 12  # a flexible table column never gets narrower than this


class Money(Struct, frozen=True):
    """Which columns of a listing are amounts of money, and the currency they are in."""

    columns: tuple[str, ...]
    currency: str


def present(value: object, zone: tzinfo) -> object:
    """A value as JSON can hold it: local ISO times, plain numbers, lists, safe text."""
    if isinstance(value, datetime):
        return to_local(value, zone).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [present(item, zone) for item in value]
    if isinstance(value, dict):
        return {key: present(item, zone) for key, item in value.items()}
    if isinstance(value, str):
        return visible(value)
    return value


def records(items: Iterable[object]) -> list[dict]:
    """Records (Structs) or mappings as plain dicts."""
    return [plain(item) if isinstance(item, Struct) else dict(item) for item in items]


def plain(value: Any) -> Any:
    """`value` with each record (Struct) in it, nested ones too, as a dict of its fields."""
    if isinstance(value, Struct):
        return {name: plain(getattr(value, name)) for name in value.__struct_fields__}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


def cell(value: object, zone: tzinfo) -> str:
    """One table or CSV cell: local times to the minute, lists joined, one line."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return to_local(value, zone).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(cell(item, zone) for item in value)
    return one_line(str(value))


def render(rows: Sequence[dict], columns: Sequence[str], fmt: str, zone: tzinfo, *,
           flexible: Sequence[str] = (), width: int | None = None,
           money: Money | None = None) -> str:
    """Rows in the chosen format; JSON keeps every key of each row. With `money`, a table
    shows its columns with their currency; JSON and CSV add the currency to each row."""
    if money is not None and fmt != "table":
        rows = [{**row, "currency": money.currency} for row in rows]
        columns = (*columns, "currency") if columns else ()
    if fmt == "json":
        return json.dumps(present(list(rows), zone), ensure_ascii=False, indent=2)
    priced = money.columns if money is not None and fmt == "table" else ()
    cells = [[money_text(row[column], money.currency)
              if column in priced and row.get(column) is not None
              else cell(row.get(column), zone) for column in columns] for row in rows]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[spreadsheet_safe(value) for value in line] for line in cells])
        return buffer.getvalue().rstrip("\n")
    return table(cells, columns, flexible=flexible, width=width)


def table(cells: Sequence[Sequence[str]], columns: Sequence[str], *,
          flexible: Sequence[str] = (), width: int | None = None) -> str:
    """An aligned text table. With a `width` (the terminal's), the `flexible` columns give
    way, the widest first, down to MIN_FLEXIBLE columns each; without one nothing is cut."""
    widths = [max([len(column)] + [display_width(line[i]) for line in cells])
              for i, column in enumerate(columns)]
    shrinkable = [i for i, column in enumerate(columns) if column in flexible]
    if width and shrinkable:
        _shrink(widths, shrinkable, sum(widths) + 2 * (len(columns) - 1) - width)
    lines = ["  ".join(_pad(column.upper(), w) for column, w in zip(columns, widths, strict=True))]
    lines += ["  ".join(_pad(_fit(value, w), w) for value, w in zip(line, widths, strict=True))
              for line in cells]
    return "\n".join(line.rstrip() for line in lines)


def terminal_width(stream) -> int | None:
    """The width to fit tables to: the terminal's, or None when output goes to a pipe."""
    return shutil.get_terminal_size().columns if stream.isatty() else None


def _shrink(widths: list[int], shrinkable: Sequence[int], excess: int) -> None:
    """Take `excess` columns off the `shrinkable` widths, the widest first, one column at a
    time (the first of equally wide ones first), never below MIN_FLEXIBLE. Works level by
    level, so a cell a million columns wide costs no more than a narrow one."""
    while excess > 0:
        top = max(widths[i] for i in shrinkable)
        if top <= MIN_FLEXIBLE:
            return
        widest = [i for i in shrinkable if widths[i] == top]
        below = max([widths[i] for i in shrinkable if widths[i] < top] + [MIN_FLEXIBLE])
        steps = min(top - below, excess // len(widest))
        if steps == 0:
            for i in widest[:excess]:
                widths[i] -= 1
            return
        for i in widest:
            widths[i] -= steps
        excess -= steps * len(widest)


def _fit(text: str, width: int) -> str:
    """Text cut to `width` terminal columns, ending in an ellipsis when cut (one pass over
    the text, however long)."""
    if display_width(text) <= width:
        return text
    if text.isascii():
        return text[:max(width - 1, 0)] + "…"
    used = 0
    for end, char in enumerate(text):
        used += display_width(char)
        if used > width - 1:
            return text[:end] + "…"
    return text + "…"


def _pad(text: str, width: int) -> str:
    """Text padded with spaces to `width` terminal columns."""
    return text + " " * (width - display_width(text))


def spreadsheet_safe(value: str) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (=, +, -, @ at the start)."""
    if value[:1] in ("=", "+", "-", "@") and not _is_number(value):
        return "'" + value
    return value


def _is_number(value: str) -> bool:
    """Whether the text is a plain number like -12.5."""
    try:
        float(value)
    except ValueError:
        return False
    return True


def fields(pairs: Sequence[tuple[str, object]]) -> str:
    """Label/value lines for one record (`desk show`); multi-line values are indented."""
    width = max(len(label) for label, _ in pairs)
    lines = []
    for label, value in pairs:
        text = visible(str(value)) if value not in (None, "") else "-"
        first, *rest = text.split("\n")
        lines.append(f"{label.ljust(width)}  {first}")
        lines.extend(f"{' ' * width}  {line}" for line in rest)
    return "\n".join(lines)


class ProgressBar:
    """A one-line progress bar on a terminal stream; silent when the stream is not a terminal."""

    def __init__(self, stream, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.active = stream.isatty()
        self.last = ""
        self.stage = ""

    def update(self, stage: str, done: int, total: int) -> None:
        """Show `done` of `total` for a stage."""
        if not self.active:
            return
        self.stage = stage
        share = done / total if total else 1.0
        filled = int(share * self.width)
        line = (f"\r{visible(stage)[:30]:<30} [{'#' * filled}{' ' * (self.width - filled)}] "
                f"{share:4.0%}")
        if line != self.last:
            self.stream.write(line)
            self.stream.flush()
            self.last = line

    def finish(self, *, complete: bool = False) -> None:
        """End the bar's line; with `complete` (the work is all done) full first, where the
        last step told fell short of the total (a file's last row starts before its last
        line)."""
        if complete and self.stage:
            self.update(self.stage, 1, 1)
        if self.active and self.last:
            self.stream.write("\n")
            self.stream.flush()
