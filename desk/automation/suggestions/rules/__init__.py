"""The next-best-action rules, one module each; desk.automation.suggestions.registry lists
them by name."""
