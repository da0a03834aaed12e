"""desk: a keyboard-driven terminal desk for client work."""

__version__ = "0.1.0"
