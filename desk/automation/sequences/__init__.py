"""Sequences: multi-step automations with delays, run on the workspace.

The config's grammar is desk.config.automations.sequences. Here: when each step is due
(`timing`), who a step writes to and what it does (`steps`), enrolling a client and an
agent's pause, resume and stop (`enrolments`), the background step that stops sequences
whose contact replied or whose client changed stage and runs the steps now due, exactly
once each (`engine`), and what the client screen and `desk sequences` show (`listing`).
"""
