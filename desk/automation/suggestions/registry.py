"""Every next-best-action rule by name. To add one: a module in rules/ with its RULE, its
name in desk.config.suggestions.SuggestionRule (so the config accepts it), and a line here.
"""

from __future__ import annotations

from desk.automation.suggestions.base import Rule
from desk.automation.suggestions.rules import (
    birthday,
    check_in,
    cross_sell,
    detractor,
    renewal,
    retainer,
    win_back,
)

RULES: dict[str, Rule] = {rule.name: rule for rule in (
    renewal.RULE, retainer.RULE, detractor.RULE, check_in.RULE, win_back.RULE, cross_sell.RULE,
    birthday.RULE)}
"""The rules by name; `suggestions.rules` chooses which run and in what order."""
