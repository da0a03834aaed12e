"""Completion of the word being typed, for inputs that hold several words (tags)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from textual.suggester import Suggester

_SEPARATORS = re.compile(r"[\s,]+")
_MARKS = "+-#"
"""Marks a word may start with that are not part of the name (`-spam`, `#vip`)."""


class WordSuggester(Suggester):
    """Suggests the input as typed with its last word completed to the first known word it
    starts (case-insensitively), so `vip bil` offers `vip billing`; words already in the
    input are not offered again. The words typed before keep their own spelling."""

    def __init__(self, words: Iterable[str]) -> None:
        """`words`: the known words, in the order they are offered."""
        super().__init__(case_sensitive=True)
        self.words = tuple(words)

    async def get_suggestion(self, value: str) -> str | None:
        """The value with its last word completed, or None when nothing completes it."""
        typed = _SEPARATORS.split(value)
        stem = typed[-1].lstrip(_MARKS).casefold()
        if not stem:
            return None
        used = {word.lstrip(_MARKS).casefold() for word in typed[:-1]}
        for word in self.words:
            folded = word.casefold()
            if folded.startswith(stem) and folded != stem and folded not in used:
                return value + word[len(stem):]
        return None
