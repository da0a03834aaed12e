"""Replies to the client: who they go to, what the composer adds for e-mail, and taking a
reply back while it waits out its undo window."""
