"""The tasks mode (being built: see issue 3)."""

from desk.screens.placeholder import TasksScreen

__all__ = ["TasksScreen"]
