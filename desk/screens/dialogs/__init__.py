"""Modal dialogs, one per module: prompts, pickers, forms and confirmations."""
