"""Building only the parser of the command a command line names.

desk has some 35 commands and 120 parsers; building them all costs about 20 ms, which every
`desk ls` paid before it read a row. A command line that names a known command needs only
that command's parser: `commands_needed` finds the word, and each group's `register` adds its
parsers through `OnlyCommand`, which builds the named command's and hands every other
command a `Skipped` parser that takes the same calls and builds nothing. A line that names
no command and asks for no help (`desk`, which starts the app) needs none of them. The help
(`desk --help`) and a line naming an unknown word get every parser, so the help and
argparse's "invalid choice" list every command.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import NoReturn


def commands_needed(argv: Sequence[str],
                    top_options: Callable[[argparse.ArgumentParser], None]) -> set[str] | None:
    """The commands whose parsers `argv` needs: the one it names (its first word that is
    neither an option nor the value of one of the options `top_options` adds before a
    command, such as --db URL); none when it names none and asks for no help; None, for
    every command, when it asks for the help of them all."""
    probe = _Probe(add_help=False)
    top_options(probe)
    probe.add_argument("words", nargs=argparse.REMAINDER)
    try:
        known, rest = probe.parse_known_args(argv)
    except _Unreadable:  # e.g. --db without its URL: desk's own parser says so
        return None
    words = [word for word in known.words if not word.startswith("-")]
    if words:
        return {words[0]}
    return None if {"-h", "--help"} & {*rest, *known.words} else set()


class _Unreadable(Exception):
    """The options before the command are not readable (the full parser reports why)."""


class _Probe(argparse.ArgumentParser):
    """A parser that reads only the options before the command, and says nothing itself."""

    def error(self, message: str) -> NoReturn:
        """Leave the mistake to desk's own parser."""
        raise _Unreadable(message)


class Skipped:
    """The parser of a command the command line does not name: every call a group's
    `register` makes on a parser (add_argument, set_defaults, add_subparsers, add_parser...)
    returns this same object and builds nothing."""

    def __getattr__(self, name: str) -> Callable[..., Skipped]:
        return self.absorb

    def absorb(self, *args: object, **kwargs: object) -> Skipped:
        """Take any call and build nothing."""
        return self


class OnlyCommand:
    """`desk`'s subcommands as the groups' `register` functions see them: `add_parser`
    builds the parsers of the commands `wanted` (every command's when `wanted` is None) and
    skips the others."""

    def __init__(self, commands: argparse._SubParsersAction, wanted: set[str] | None) -> None:
        self.commands = commands
        self.wanted = wanted

    def add_parser(self, name: str, **kwargs: object) -> argparse.ArgumentParser | Skipped:
        """The parser of command `name`, or a Skipped one if the command line needs another."""
        if self.wanted is None or name in self.wanted:
            return self.commands.add_parser(name, **kwargs)
        return Skipped()

    @property
    def built(self) -> bool:
        """Whether every command asked for was found (or every command was built)."""
        return self.wanted is None or self.wanted <= self.commands.choices.keys()
