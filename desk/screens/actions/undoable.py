"""What `u` can take back: a service call wrapped so the change it makes is remembered.

A screen hands `undoable(node, call)` to `run_service` instead of the bare call. In the
worker, desk.work.undo.recorded measures the history the call wrote and pushes that step on
the app's `undo_steps`, where `u` (desk.screens.actions.undo) finds it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual.dom import DOMNode

from desk.work import undo

T = TypeVar("T")


def undoable(node: DOMNode, call: Callable[[], T]) -> Callable[[], T]:
    """`call` (a service call for a worker) so that the change it makes is remembered for `u`."""
    agent, steps = node.app.agent, node.app.undo_steps

    def run() -> T:
        """In the worker: the call, measured."""
        result, step = undo.recorded(agent, call)
        if step is not None:
            steps.push(step)
        return result
    return run
