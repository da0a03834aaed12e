"""The options and argument types that several commands share: the workspace options, the
options of a listing, whole numbers of at least 1, and dates read for an option."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from desk import output
from desk.errors import DeskError


def workspace_options(parser: argparse.ArgumentParser, default: object) -> None:
    """--db and --config, accepted before the command and after it."""
    parser.add_argument("--db", metavar="URL", default=default,
                        help="database URL: sqlite:///PATH or postgresql://USER@HOST/NAME "
                             "(default: $DESK_DATABASE, the config's database:, or the file "
                             "in the user data directory)")
    parser.add_argument("--config", metavar="PATH", type=Path, default=default,
                        help="config file (default: $DESK_CONFIG or the user config directory)")


def parser_with(shared: argparse.ArgumentParser) -> type[argparse.ArgumentParser]:
    """An ArgumentParser class whose instances (the commands) include `shared`'s options."""

    class CommandParser(argparse.ArgumentParser):
        """A command's parser, with the workspace options."""

        def __init__(self, *args, **kwargs) -> None:
            kwargs.setdefault("parents", [shared])
            super().__init__(*args, **kwargs)

    return CommandParser


def listing_options(parser: argparse.ArgumentParser, sorts: Sequence[str]) -> None:
    """--format, --limit and --sort for a listing command."""
    parser.add_argument("--format", choices=output.FORMATS, default="table")
    parser.add_argument("--limit", type=positive, default=100, metavar="N")
    parser.add_argument("--sort", choices=sorts, default=sorts[0])


def positive(text: str) -> int:
    """A whole number of at least 1 (argparse type)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value


def option_moment(option: str, read: Callable[..., datetime], *values: object) -> datetime:
    """`read(*values)`, with a mistake reported as the option's (e.g. "--now: cannot read...").
    Dates are read once the workspace is open, against its time zone and clock."""
    try:
        return read(*values)
    except DeskError as error:
        raise DeskError(f"{option}: {error}") from error
