"""The dashboard's retainer clients near or over their included hours this cycle
(desk.crm.retainers), as of the window's end, fullest first."""

from __future__ import annotations

from desk.crm import retainers
from desk.metrics.figures import Window

SHOWN = 6
"""The clients the dashboard names at most."""


def near_retainers(span: Window) -> tuple[retainers.Usage, ...]:
    """The retainer clients that used at least 80% of this cycle's hours by the window's
    end (its local day), fullest first."""
    return tuple(retainers.near_limit(span.end.date())[:SHOWN])
