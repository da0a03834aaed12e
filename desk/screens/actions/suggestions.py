"""Acting on a suggested next best action from any screen: the pick menu that `enter` opens
(create the task, snooze, dismiss, why), each action's prompt, and the service call in a
worker. Shared by the Suggestions screen and the client screen's "Next best action"."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from textual.screen import Screen

from desk import dates
from desk.automation.suggestions import acting
from desk.automation.suggestions.base import Suggestion
from desk.automation.suggestions.registry import RULES
from desk.screens.actions.calls import can_write, run_service
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.prompt import PromptScreen
from desk.screens.dialogs.suggestion_why import SuggestionWhyScreen
from desk.screens.renderers.date_preview import day_preview
from desk.text import one_line

CHOICES = (("Create the task", "act"), ("Snooze until…", "snooze"),
           ("Dismiss with a reason…", "dismiss"), ("Why? The rule and its data", "why"))
"""What `enter` on a suggestion offers."""


def choose_in(screen: Screen[Any], found: Sequence[Suggestion], key: str,
              done: Callable[..., Any]) -> None:
    """The pick menu for the suggestion `key` among `found`; `done()` after a change."""
    suggestion = next((s for s in found if s.key == key), None)
    if suggestion is None:
        return

    def chosen(what: str | None) -> None:
        if what is not None:
            run(screen, what, suggestion, done)

    screen.app.push_screen(PickScreen(one_line(suggestion.title, 60), CHOICES), chosen)


def run(screen: Screen[Any], what: str, suggestion: Suggestion,
        done: Callable[..., Any]) -> None:
    """Do `what` (act, snooze, dismiss or why) with `suggestion`; `done()` after a change."""
    if what == "why":
        screen.app.push_screen(SuggestionWhyScreen(suggestion, RULES[suggestion.rule].looks_for))
    elif what == "act":
        act(screen, suggestion, done)
    elif what == "snooze":
        snooze(screen, suggestion, done)
    else:
        dismiss(screen, suggestion, done)


def act(screen: Screen[Any], suggestion: Suggestion, done: Callable[..., Any]) -> None:
    """Create the suggested task; say its number."""
    if not can_write(screen, "act on suggestions"):
        return
    app, settings, now = screen.app, screen.app.settings, screen.app.now()

    def created(decision: acting.Decision) -> None:
        app.notify(f"Task #{decision.task_id} created: {one_line(suggestion.title, 80)}",
                   title="Suggestions", markup=False, timeout=4)
        done()

    run_service(screen, lambda: acting.act(app.agent, settings, suggestion.key, now),
                done=created)


def snooze(screen: Screen[Any], suggestion: Suggestion, done: Callable[..., Any]) -> None:
    """Ask until when, then snooze the suggestion."""
    if not can_write(screen, "snooze suggestions"):
        return
    app, settings, now = screen.app, screen.app.settings, screen.app.now()

    def read(text: str) -> date:
        return dates.parse_when(text, now).date()

    def chosen(until: date | None) -> None:
        if until is not None:
            run_service(screen, lambda: acting.snooze(app.agent, settings, suggestion.key,
                                                      until, now), done=lambda _: done())

    app.push_screen(PromptScreen(f"Snooze until ({one_line(suggestion.client, 40)})",
                                 parse=read, placeholder="mon, +2w, jan 15",
                                 preview=day_preview(read, now.date(), none="")), chosen)


def dismiss(screen: Screen[Any], suggestion: Suggestion, done: Callable[..., Any]) -> None:
    """Ask why, then dismiss the suggestion."""
    if not can_write(screen, "dismiss suggestions"):
        return
    app, settings, now = screen.app, screen.app.settings, screen.app.now()

    def chosen(reason: str | None) -> None:
        if reason is not None:
            run_service(screen, lambda: acting.dismiss(app.agent, settings, suggestion.key,
                                                       reason, now), done=lambda _: done())

    app.push_screen(PromptScreen(f"Why dismiss: {one_line(suggestion.title, 50)}",
                                 parse=reason_text, placeholder="e.g. they renewed by phone"),
                    chosen)


def reason_text(text: str) -> str:
    """A dismissal reason as typed: refused in place when empty."""
    if not text.strip():
        raise ValueError("Write why it is dismissed: the history keeps the reason.")
    return text.strip()
