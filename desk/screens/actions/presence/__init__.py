"""Presence in the app: what this app tells other agents and shows of theirs (`app`), and the
parts the list screens (`lists`) and the task screen (`task`) play in it."""
