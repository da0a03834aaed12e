"""The `nps:` settings: the NPS survey e-mailed to each client's decision maker on a cadence
(desk.support.feedback)."""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta, field

from desk.config.checks import check_one_line, not_blank
from desk.config.defaults import shipped
from desk.config.validate import Check, Section

CADENCE_MONTHS = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12}
"""How many months each cadence waits between two surveys of one client."""


def check_question(text: str) -> None:
    """Check the survey's question: one line, not blank (it goes into the e-mail and the
    portal page)."""
    not_blank(text)
    check_one_line(text)


Question = Annotated[str, Check(check_question)]
"""A question on one line."""


class NpsSettings(Section):
    """The NPS survey: "how likely are you to recommend us", 0 to 10."""

    enabled: bool = False
    """Whether the background work e-mails surveys (answers are taken in either way)."""

    cadence: Literal["monthly", "quarterly", "half-yearly", "yearly"] = "quarterly"
    """How often each client's decision maker gets a survey."""

    minimum_days: Annotated[int, Meta(ge=1, le=366)] = 30
    """Never survey a client again sooner than this many days, whatever the cadence."""

    question: Question = field(default_factory=lambda: shipped("nps", "question"))
    """The question the e-mail and the portal page ask."""

    subject: Question = field(default_factory=lambda: shipped("nps", "subject"))
    """The subject of the survey e-mail."""

    @property
    def months(self) -> int:
        """The months between two surveys of one client."""
        return CADENCE_MONTHS[self.cadence]
