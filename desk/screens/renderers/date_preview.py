"""The live preview under a date prompt: the moment or day understood, as a person reads
it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

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


def day_preview(read: Callable[[str], date | None], today: date, *,
                none: str) -> Callable[[str], str]:
    """`date_preview` for a calendar day (a client's acquisition date): "→ Fri 11 Dec"."""

    def preview(text: str) -> str:
        """What `text` means, as of `today`."""
        day = read(text)
        return none if day is None else f"→ {dates.spoken_day(day, today)}"

    return preview
