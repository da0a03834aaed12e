"""Printing records as a table, JSON or CSV; every piece of text passes through `visible()`.

Records are dicts of plain values (stored times are naive UTC). JSON gets ISO 8601 times in
the person's time zone; tables and CSV get "2026-12-01 14:00". A table fits the terminal by
shortening its free-text column.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import asdict, is_dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal

from desk.clock import to_local
from desk.text import one_line, visible

FORMATS = ("table", "json", "csv")


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
    """Dataclasses (or mappings) as plain dicts."""
    return [asdict(item) if is_dataclass(item) else dict(item) for item in items]


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
           flexible: str | None = None, width: int | None = None) -> str:
    """Rows in the chosen format; JSON keeps every key of each row."""
    if fmt == "json":
        return json.dumps(present(list(rows), zone), ensure_ascii=False, indent=2)
    cells = [[cell(row.get(column), zone) for column in columns] for row in rows]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(cells)
        return buffer.getvalue().rstrip("\n")
    return table(cells, columns, flexible=flexible, width=width)


def table(cells: Sequence[Sequence[str]], columns: Sequence[str], *,
          flexible: str | None = None, width: int | None = None) -> str:
    """An aligned text table no wider than the terminal (the flexible column gives way)."""
    widths = [max([len(column)] + [len(line[i]) for line in cells]) for i, column in
              enumerate(columns)]
    total = width or shutil.get_terminal_size((120, 24)).columns
    if flexible in columns:
        index = list(columns).index(flexible)
        others = sum(widths) - widths[index] + 2 * (len(columns) - 1)
        widths[index] = max(12, min(widths[index], total - others))
        cells = [[one_line(value, widths[index]) if i == index else value
                  for i, value in enumerate(line)] for line in cells]
    lines = ["  ".join(column.upper().ljust(w) for column, w in zip(columns, widths, strict=True))]
    lines += ["  ".join(value.ljust(w) for value, w in zip(line, widths, strict=True))
              for line in cells]
    return "\n".join(line.rstrip() for line in lines)


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

    def update(self, stage: str, done: int, total: int) -> None:
        """Show `done` of `total` for a stage."""
        if not self.active:
            return
        share = done / total if total else 1.0
        filled = int(share * self.width)
        line = (f"\r{visible(stage)[:30]:<30} [{'#' * filled}{' ' * (self.width - filled)}] "
                f"{share:4.0%}")
        if line != self.last:
            self.stream.write(line)
            self.stream.flush()
            self.last = line

    def finish(self) -> None:
        """End the bar's line."""
        if self.active and self.last:
            self.stream.write("\n")
            self.stream.flush()
