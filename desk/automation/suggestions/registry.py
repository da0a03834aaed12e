"""Every next-best-action rule by name. To add one: a module in rules/ with its RULE, its
name in desk.config.suggestions.SuggestionRule (so the config accepts it), and a line here.

Hooks left for rules whose data other parts of desk bring: a detractor to call (an NPS
answer of 0 to 6 not followed up) and a retainer about to be exceeded (the cycle's hours
used against those included) each fit one module of the same shape.
"""

from __future__ import annotations

from desk.automation.suggestions.base import Rule
from desk.automation.suggestions.rules import birthday, check_in, cross_sell, renewal, win_back

RULES: dict[str, Rule] = {rule.name: rule for rule in (
    renewal.RULE, check_in.RULE, win_back.RULE, cross_sell.RULE, birthday.RULE)}
"""The rules by name; `suggestions.rules` chooses which run and in what order."""
