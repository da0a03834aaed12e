"""The inbox mode (being built: see issue 3)."""

from desk.screens.placeholder import InboxScreen

__all__ = ["InboxScreen"]
