"""The dashboard metrics: one service behind the dashboard screen and `desk report`.

`dashboard(period, now)` computes every figure for a period (30d, 90d, 12m) at a moment;
`SECTIONS` gives each part on its own, for a screen that shows the figures as they are ready.
Every figure carries its drill-down (desk.metrics.figures): the query that lists
the rows it counts. All of it is counted by the database (GROUP BY, COUNT, filtered sums);
no list of tasks is ever read into Python. The exact definitions are in the section modules
and in the README ("Dashboard metrics: definitions").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from msgspec import Struct

from desk.metrics.attention import AtRisk, Attention, Birthday, ClientClock, attention
from desk.metrics.clients import (
    ClientMetrics,
    Retention,
    ReturnOnRelationship,
    client_metrics,
)
from desk.metrics.figures import (
    MAX_IDS,
    PERIODS,
    DrillDown,
    Figure,
    Rate,
    Window,
    window,
)
from desk.metrics.nps import NpsMetrics, nps_metrics
from desk.metrics.sla import SlaMetrics, sla_metrics
from desk.metrics.support import SupportMetrics, support
from desk.metrics.team import Load, Workload, workload

__all__ = [
    "MAX_IDS", "PERIODS", "SECTIONS", "AtRisk", "Attention", "Birthday", "ClientClock",
    "ClientMetrics", "Dashboard", "DrillDown", "Figure", "Load", "NpsMetrics", "Rate", "Retention",
    "ReturnOnRelationship", "SlaMetrics", "SupportMetrics", "Window", "Workload", "dashboard",
    "window",
]


class Dashboard(Struct, frozen=True):
    """Every figure of the dashboard for one window."""

    window: Window
    support: SupportMetrics
    sla: SlaMetrics
    clients: ClientMetrics
    workload: Workload
    attention: Attention
    nps: NpsMetrics


SECTIONS: dict[str, Callable[[Window], object]] = {
    "support": support,
    "sla": sla_metrics,
    "clients": client_metrics,
    "workload": lambda span: workload(span.end),
    "attention": lambda span: attention(span.end),
    "nps": nps_metrics,
}
"""Each part of the dashboard by its Dashboard field name, computed from the window alone."""


def dashboard(period: str, now: datetime) -> Dashboard:
    """Every figure for `period` (30d, 90d or 12m) at `now` (aware, in the workspace's time
    zone); InvalidInput for an unknown period."""
    span = window(period, now)
    return Dashboard(span, **{name: compute(span) for name, compute in SECTIONS.items()})
