"""App modes, and screens imported on first use.

A mode is one full screen switched with one key from anywhere (DeskApp lists them). Its
screen is named as "module:Class" and imported when first shown, not at start: importing all
of the screens made the first paint about 0.3 s later (tests/bench/bench_tui.py).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from importlib import import_module
from typing import Any

from msgspec import Struct
from textual.screen import Screen


def load_screen(where: type[Screen[Any]] | str) -> type[Screen[Any]]:
    """The screen class `where` names, imported on first use
    ("desk.screens.screens.tasks:TasksScreen")."""
    if not isinstance(where, str):
        return where
    return load_class(where)


def load_class(where: str) -> Any:
    """The class (or any attribute) that `where` ("module:Name") names, imported now."""
    module, _, name = where.partition(":")
    return getattr(import_module(module), name)


def preload(wheres: tuple[str, ...], between: Callable[[], object] | None = None) -> None:
    """Import the screens `wheres` names ("module:Class"), in a worker thread: what a first
    switch to them would otherwise wait for. `between()` is called before each import (the
    preload waits there while keys are arriving)."""
    for where in wheres:
        if between is not None:
            between()
        load_class(where)


def on_first_use(where: str) -> Callable[[], Any]:
    """A function that imports and returns the class `where` ("module:Name") names when it
    is first called: what Textual's COMMANDS accepts for a palette provider loaded late."""
    return partial(load_class, where)


class Mode(Struct, frozen=True):
    """One app mode: its name, its screen ("module:Class") and its default key."""

    name: str
    title: str
    key: str
    where: str

    @property
    def binding_id(self) -> str:
        """The binding id that the config's keymap uses for this mode's key."""
        return f"mode.{self.name}"

    @property
    def screen(self) -> type[Screen[Any]]:
        """The mode's screen class (imported now if it was not yet)."""
        return load_screen(self.where)

    def build(self) -> Screen[Any]:
        """A new screen for the mode: what Textual's MODES calls."""
        return self.screen()
