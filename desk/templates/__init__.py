"""Markdown templates shipped with desk (read with importlib.resources)."""
