"""Time tracking in the app: the timer in the key bar and "Log time…"."""
