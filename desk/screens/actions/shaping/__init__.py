"""Shaping the workspace from the keyboard: spaces and lists from the sidebar, a list's
statuses and custom fields from the palette, and what they stand on."""
