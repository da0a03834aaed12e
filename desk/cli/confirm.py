"""Asking before a change that touches many tasks: yes from `--yes`, or typed at a terminal.

Without a terminal to ask at (a script, a pipe) and without `--yes`, the change is refused
with one line that names what it would touch, so nothing happens by accident.
"""

from __future__ import annotations

import sys

from desk.errors import InvalidInput


def agreed(question: str, yes: bool) -> bool:
    """Whether to go ahead with what `question` describes ("remove X: its 12 tasks move to
    Y"): True with `yes`; else asked at the terminal, where only y or yes agrees. Without a
    terminal, InvalidInput saying to add --yes."""
    if yes:
        return True
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InvalidInput(f"{question}; add --yes to go ahead")
    try:
        answer = input(f"{question}. Go ahead? [y/N] ")
    except EOFError:
        answer = ""
    return answer.strip().lower() in ("y", "yes")


def declined() -> int:
    """What a command says and returns when the person said no."""
    print("nothing changed", file=sys.stderr)
    return 1
