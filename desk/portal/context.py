"""What the portal's requests share: the `Portal` the app was made with, kept in the Flask
app (never in a module global), and `portal()` to reach it while a request is handled."""

from __future__ import annotations

from flask import current_app
from msgspec import Struct
from peewee import Database

from desk.config import Settings
from desk.kernel.agents import AgentRef
from desk.support import intake

EXTENSION = "desk_portal"
"""The key of the Portal in the Flask app's extensions."""


class Portal(Struct, frozen=True):
    """What the pages need: the settings, the database, the agent the portal acts through
    (the account running it) and the intake options of new requests."""

    settings: Settings
    database: Database
    agent: AgentRef
    options: intake.IntakeOptions


def portal() -> Portal:
    """The Portal of the app handling the current request."""
    return current_app.extensions[EXTENSION]
