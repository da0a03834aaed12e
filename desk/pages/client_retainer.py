"""The client screen's Retainer section: this cycle's hours used of those included, by day
(desk.crm.retainers), as of the viewer's local today."""

from __future__ import annotations

from datetime import UTC, datetime

from desk.crm import retainers


def load(client_id: int, now: datetime) -> retainers.Usage | None:
    """The client's retainer in the cycle containing `now`'s local day (naive `now`: UTC),
    or None without one."""
    today = (now if now.tzinfo is not None else now.replace(tzinfo=UTC)).date()
    return retainers.usage(client_id, today)
