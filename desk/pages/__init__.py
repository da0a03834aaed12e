"""What one screen shows, gathered in one call from several domain packages: the inbox rows,
the task page and the client page."""
