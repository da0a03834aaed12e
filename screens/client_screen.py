"""The client screen (being built: see issue 3). `ClientScreen(client_id)` opens one client."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class ClientScreen(Screen[None]):
    """Everything about one client (stand-in until the real screen lands)."""

    TITLE = "Client"
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="client.back")]

    def __init__(self, client_id: int) -> None:
        super().__init__()
        self.client_id = client_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Client {self.client_id}")
        yield Footer()
