"""The `suggestions:` settings: which next-best-action rules run, in which order, and the
few numbers each rule reads (desk.automation.suggestions)."""

from __future__ import annotations

import builtins
from typing import Literal, get_args

from msgspec import field

from desk.config.checks import Name, Percent, Positive
from desk.config.defaults import shipped
from desk.config.validate import Section
from desk.vocabulary import RetainerCycle

SuggestionRule = Literal["renewal", "retainer", "detractor", "check_in", "win_back", "cross_sell",
                         "birthday"]
"""The rules that suggest a next best action (one module each in
desk/automation/suggestions/rules/)."""
SUGGESTION_RULES: tuple[SuggestionRule, ...] = get_args(SuggestionRule)


class SuggestionSettings(Section):
    """The next best action: the rules in the order their suggestions are listed, and what
    each rule reads. There is no score: the order of `rules` is the whole ranking. (The
    `list` setting hides the builtin in the class body, hence `builtins.list`.)"""

    rules: builtins.list[SuggestionRule] = field(
        default_factory=lambda: shipped("suggestions", "rules"))
    """The rules that run, in the order their suggestions are listed; [] = none."""

    list: Name = "Accounts"
    """The list a suggestion's task is created on (a name, or Space/List)."""

    renewal_days: Positive = 30
    """How many days before a retainer cycle or a recurring order ends to suggest renewing."""

    renewal_cycles: builtins.list[RetainerCycle] = field(
        default_factory=lambda: shipped("suggestions", "renewal_cycles"))
    """The retainer cycles whose end is a renewal (a monthly retainer renews itself)."""

    win_back_after_days: Positive = 30
    """A churned client is suggested for a win-back once its last contact is this old."""

    cross_sell_min_clients: Positive = 3
    """A cross-sell needs at least this many clients of the same kind who bought both."""

    cross_sell_min_share: Percent = 50
    """...and at least this share (%) of the clients who bought the first product."""

    birthday_days: Positive = 14
    """How many days ahead a birthday is suggested."""

    retainer_share: Percent = 80
    """A retainer client is suggested once it used this share (%) of the cycle's hours."""

    detractor_days: Positive = 60
    """A detractor's NPS answer (0 to 6) is suggested for a call for this many days."""
