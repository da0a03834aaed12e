"""The live preview under a date prompt: the moment understood, as a person reads it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from desk import dates


def date_preview(read: Callable[[str], datetime | None], now: datetime, *,
                 none: str) -> Callable[[str], str]:
    """A prompt's preview for dates read by `read` (the prompt's own reader, so the preview
    and the saved value agree): "→ Fri 11 Dec 15:00" in `now`'s zone, or `none` when the text
    means no date (empty clears it, `off` wakes a snoozed query). `read`'s refusal is the
    preview's error."""

    def preview(text: str) -> str:
        """What `text` means, as of `now`."""
        moment = read(text)
        return none if moment is None else f"→ {dates.spoken(moment, now)}"

    return preview
