"""Widgets that screens compose: the virtual list, panels, bars and sidebars."""
