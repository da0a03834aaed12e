"""Automation rules from the config: reading them, the subjects they look at, the actions they
take, the processor that runs them once per event, and the background steps shared by the app
and desk tick."""
