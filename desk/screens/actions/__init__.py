"""Behaviour shared by screens: service calls in workers, the triage verbs, field edits,
merging, replies and the background work."""
