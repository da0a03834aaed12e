"""A palette command that works on the screen in front: `ScreenCommand` offers its TITLE
when the palette opens over a screen with every attribute in NEEDS (or what is typed
matches it) and runs `run(screen)`. `ClientCommand` works on a client's screen,
`TaskCommand` on a task's; each command is a subclass with a title, a help line and a run."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content


class ScreenCommand(Provider):
    """A command of one kind of screen in the palette; subclasses say what it does."""

    TITLE: ClassVar[str] = ""
    HELP: ClassVar[str] = ""
    NEEDS: ClassVar[tuple[str, ...]] = ()
    """The attributes that tell the screen it works on."""

    def run(self, screen: Any) -> None:
        """Do the command on the client screen `screen`."""
        raise NotImplementedError

    def available(self) -> bool:
        """Whether the palette was opened over the screen the command works on."""
        return all(hasattr(self.screen, name) for name in self.NEEDS)

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


class ClientCommand(ScreenCommand):
    """A command of the client screen."""

    NEEDS = ("client_id", "writable")


class TaskCommand(ScreenCommand):
    """A command of the task screen."""

    NEEDS = ("task_id", "post_comment")
