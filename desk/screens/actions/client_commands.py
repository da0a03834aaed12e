"""A palette command that works on the client screen in front: `ClientCommand` offers its
TITLE when the palette opens over a client's screen (or what is typed matches it) and runs
`run(screen)`. Each client command is a subclass with a title, a help line and a run."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content


class ClientCommand(Provider):
    """A command of the client screen in the palette; subclasses say what it does."""

    TITLE: ClassVar[str] = ""
    HELP: ClassVar[str] = ""

    def run(self, screen: Any) -> None:
        """Do the command on the client screen `screen`."""
        raise NotImplementedError

    def available(self) -> bool:
        """Whether the palette was opened over a client's screen."""
        return callable(getattr(self.screen, "writable", None)) and hasattr(
            self.screen, "client_id")

    async def discover(self) -> Hits:
        """The command, listed when the palette opens over a client."""
        if self.available():
            yield DiscoveryHit(Content(self.TITLE), lambda: self.run(self.screen),
                               text=self.TITLE, help=Content(self.HELP))

    async def search(self, query: str) -> Hits:
        """The command, when what is typed fuzzy-matches it."""
        matcher = self.matcher(query)
        if self.available() and (score := matcher.match(self.TITLE)):
            yield Hit(score, matcher.highlight(self.TITLE), lambda: self.run(self.screen),
                      text=self.TITLE, help=Content(self.HELP))
