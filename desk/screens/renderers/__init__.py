"""Renderers: how one row, cell or line of stored data is drawn."""
