"""Reading JSON objects one at a time from a file: a JSON array or one object per line (as
`task export` writes), without loading the file whole.

Objects are decoded from a buffer a block at a time. A malformed object is a problem at its
line, and reading goes on at the next line that starts an object; a file that is not JSON at
all is one problem. An object with a lone surrogate escape in a string ("\\ud800", which JSON
allows and no Unicode text holds, so no database stores it) is a problem at its line too,
and skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from desk.transfer.reading import BLOCK, MAX_CELL, Source
from desk.transfer.records import Place, Problem

_DECODER = json.JSONDecoder()
_BETWEEN = " \t\r\n,[]"


def objects(source: Source, problems: list[Problem]) -> Iterator[tuple[int, object]]:
    """(line, value) of each top-level value of the file (each item of its array)."""
    with source.open() as stream:
        buffer, position, line, ended = "", 0, 1, False
        while True:
            while position < len(buffer) and buffer[position] in _BETWEEN:
                line += buffer[position] == "\n"
                position += 1
            if position >= len(buffer):
                if ended:
                    return
                buffer, position = stream.read(BLOCK), 0
                ended = not buffer
                continue
            try:
                value, end = _DECODER.raw_decode(buffer, position)
            except json.JSONDecodeError as error:
                if not ended and len(buffer) - position < MAX_CELL:
                    more = stream.read(BLOCK)
                    ended = not more
                    buffer = buffer[position:] + more
                    position = 0
                    continue
                where = line + buffer.count("\n", position, error.pos)
                problems.append(Problem(Place(source.name, where),
                                        f"not valid JSON: {error.msg}", refused=True))
                skip = buffer.find("\n", error.pos)
                if skip < 0:
                    return
                line = where + 1
                position = skip + 1
                while True:  # on to the next line that starts an object
                    start = buffer[position:].lstrip(" \t")
                    if start.startswith("{") or position >= len(buffer):
                        break
                    newline = buffer.find("\n", position)
                    if newline < 0:
                        position = len(buffer)
                        break
                    position, line = newline + 1, line + 1
                continue
            if (bad := _lone_surrogate(value)) is not None:
                problems.append(Problem(Place(source.name, line),
                                        f"text with a lone surrogate ({bad!r}), which is not "
                                        "Unicode text; skipped", refused=True))
            else:
                yield line, value
            line += buffer.count("\n", position, end)
            position = end


def _lone_surrogate(value: object) -> str | None:
    """The first string (key or value) anywhere in a decoded JSON `value` that holds a lone
    surrogate, shortened; None when every string is Unicode text."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            return value[max(error.start - 10, 0):error.end + 10]
        return None
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list):
        return next((bad for item in value if (bad := _lone_surrogate(item)) is not None), None)
    return None
