"""Textual screens, modals and widgets of desk (installed as desk.screens)."""
