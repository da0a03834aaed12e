"""The lines the dashboard's Retainers tile adds for the clients near or over their included
hours: how many, then each by name with the share used (enter opens the client)."""

from __future__ import annotations

from collections.abc import Sequence

from desk.crm.retainers import Usage
from desk.screens.widgets.dashboard_tile import TileLine


def near_retainer_lines(near: Sequence[Usage]) -> list[TileLine]:
    """"near their hours: N", then "Name  117%" per client."""
    return [TileLine("near their hours", f"{len(near)}"),
            *(TileLine(usage.client, f"{usage.share:.0%}", client_id=usage.client_id)
              for usage in near)]
