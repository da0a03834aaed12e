"""What an entry of the sidebar stands for: a list (or the whole workspace), or a space."""

from __future__ import annotations

from msgspec import Struct


class Place(Struct, frozen=True):
    """A list of the workspace (or the whole workspace when `list_id` is None), with the
    version the sidebar read of the list."""

    list_id: int | None
    name: str
    space: str = ""
    version: int = 0

    @property
    def label(self) -> str:
        """How the heading names it: "Space / List", or "All tasks"."""
        return f"{self.space} / {self.name}" if self.space else self.name


class SpaceEntry(Struct, frozen=True):
    """A space of the sidebar, with the version the sidebar read of it."""

    id: int
    name: str
    version: int
    position: int
