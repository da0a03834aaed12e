"""The `presence:` settings: how often an open app says which task its agent has open
(desk.kernel.presence)."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

from desk.config.defaults import shipped
from desk.config.validate import Section

GONE_AFTER_BEATS = 3
"""A presence row not renewed for this many heartbeats belongs to an app that stopped."""


class PresenceSettings(Section):
    """Presence: "Ana is viewing", "Ana is replying" on the tasks other agents have open."""

    heartbeat_seconds: Annotated[int, Meta(ge=2, le=600)] = shipped(
        "presence", "heartbeat_seconds")
    """Seconds between two renewals of what an app has open (2 to 600). A task an app has not
    renewed for three heartbeats counts as closed (the app crashed or lost its connection)."""
