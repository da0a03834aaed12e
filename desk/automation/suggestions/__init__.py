"""The next best action: for each client, what to do next and why, from the data desk holds.

Each rule (rules/, listed by name in registry.py) reads its data for all clients in one or
two queries and yields suggestions that name the rule, the data and why now, and propose a
task (base.py). listing.py runs the configured rules in their configured order (the only
ranking) and leaves out what agents acted on, dismissed or snoozed (SuggestionState) while
its data is unchanged; acting.py creates the task, snoozes or dismisses.
"""
