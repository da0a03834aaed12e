"""The clients mode (being built: see issue 3)."""

from desk.screens.placeholder import ClientsScreen

__all__ = ["ClientsScreen"]
