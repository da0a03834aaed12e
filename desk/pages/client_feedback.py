"""The client screen's feedback section: the client's newest NPS answer, as the viewer may
see it (the hidden values of a confidential client masked in its text)."""

from __future__ import annotations

from datetime import datetime

from msgspec import Struct

from desk.kernel import confidential
from desk.kernel.agents import AgentRef
from desk.models import NpsSurvey
from desk.support.feedback.answers import group


class LastNps(Struct, frozen=True):
    """A client's newest NPS answer (naive UTC time)."""

    survey_id: int
    score: int
    group: str
    comment: str
    channel: str
    answered_at: datetime


def last_nps(client_id: int, viewer: AgentRef | None) -> LastNps | None:
    """The client's newest NPS answer; None when it never answered one."""
    row = (NpsSurvey.select().where((NpsSurvey.client == client_id)
                                    & NpsSurvey.answered_at.is_null(False))
           .order_by(NpsSurvey.answered_at.desc(), NpsSurvey.id.desc()).first())
    if row is None:
        return None
    mask = confidential.masks(viewer, [client_id]).get(client_id)
    comment = mask.text(row.comment) if mask is not None else row.comment
    return LastNps(row.id, row.score, group(row.score), comment, row.channel,
                   row.answered_at)
