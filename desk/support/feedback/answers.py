"""NPS answers: a score from 0 to 10 and free text, given by reply to the survey e-mail or
by a click in the portal.

`record` stores an answer on its survey once, with the client's history ("nps", the event
"nps.answered" that the automation trigger nps_answered listens to) and an interaction on
the client's timeline that keeps the free text. A reply is recognised by the survey e-mail
it answers (`survey_replied_to`) and read by `score_in`: its first line is the score.
"""

from __future__ import annotations

import re
from datetime import datetime

from msgspec import Struct

from desk.clock import stored, utcnow
from desk.crm import interactions
from desk.dialect import locking
from desk.errors import InvalidInput, NotFound
from desk.kernel import audit, confidential
from desk.kernel.agents import AgentRef, require_writer
from desk.kernel.inputs import free_text
from desk.mail.parse import ParsedMail
from desk.models import Client, NpsSurvey, Outbox, database
from desk.support.survey_scores import scored_reply

SUMMARY = 500
"""At most this many characters of the free text go into the timeline's summary line."""


class NpsAnswer(Struct, frozen=True):
    """An answer as recorded: its survey, client, score, free text and channel."""

    survey_id: int
    client_id: int
    score: int
    comment: str
    channel: str


def group(score: int) -> str:
    """Whose answer a score is: promoter (9, 10), passive (7, 8) or detractor (0 to 6)."""
    return "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"


def score_in(text: str) -> tuple[int, str] | None:
    """The (score, free text) of a reply whose first non-empty line is a score from 0 to 10
    (the rest is the free text), or None when it does not start with one."""
    return scored_reply(text, 0, 10)


def check_score(score: object) -> int:
    """A score given as a number or digits, from 0 to 10; InvalidInput otherwise."""
    text = str(score).strip()
    if isinstance(score, bool) or not re.fullmatch(r"10|[0-9]", text):
        raise InvalidInput(f"an NPS score is a whole number from 0 to 10, not {score!r}")
    return int(text)


def record(agent: AgentRef, survey_id: int, score: object, comment: str, channel: str, *,
           now: datetime | None = None) -> NpsAnswer:
    """Record the answer to a survey, once: a survey answered already is InvalidInput and
    keeps its first answer. The client's history gets "nps" (the event "nps.answered" with
    the score) and its timeline an interaction with the score and the free text."""
    require_writer(agent)
    value = check_score(score)
    comment = free_text(comment, "an NPS comment").strip()
    moment = stored(now) or utcnow()
    with database.atomic():
        survey = locking(NpsSurvey.select().where(NpsSurvey.id == survey_id)).first()
        if survey is None:
            raise NotFound(f"no NPS survey {survey_id}")
        if survey.answered_at is not None:
            raise InvalidInput(f"this survey was answered already, on "
                               f"{survey.answered_at:%Y-%m-%d}")
        NpsSurvey.update(score=value, comment=comment, answered_at=moment,
                         channel=channel).where(NpsSurvey.id == survey_id).execute()
        audit.record("client", survey.client_id, agent, {"nps": (None, value)}, None,
                     "nps.answered", {"score": value, "survey_id": survey_id,
                                      "channel": channel}, at=moment)
        said = f"NPS {value} ({group(value)}, by {channel})"
        if comment:
            said += f": {comment[:SUMMARY]}"
        interactions.log(agent, survey.client_id, "note", said, occurred_at=moment, now=moment)
    return NpsAnswer(survey_id, survey.client_id, value, comment, channel)


class AnswerRow(Struct, frozen=True):
    """An answer as `desk nps` lists it (naive UTC time), as the reader may see it."""

    answered_at: datetime
    client_id: int
    client: str
    address: str
    score: int
    group: str
    channel: str
    comment: str


def answered(start: datetime, end: datetime, viewer: AgentRef | None,
             limit: int = 200) -> list[AnswerRow]:
    """The newest `limit` answers given from `start` to `end` (naive UTC, both included),
    newest first; the address and the hidden values in the text of a confidential client
    are hidden from a `viewer` who may not see it in full."""
    rows = list(NpsSurvey.select(NpsSurvey, Client.name).join(Client)
                .where(NpsSurvey.answered_at.between(start, end))
                .order_by(NpsSurvey.answered_at.desc(), NpsSurvey.id.desc()).limit(limit))
    masks = confidential.masks(viewer, {row.client_id for row in rows})
    found = []
    for row in rows:
        mask = masks.get(row.client_id)
        address, comment = ((mask.value(row.address), mask.text(row.comment)) if mask
                            else (row.address, row.comment))
        found.append(AnswerRow(row.answered_at, row.client_id, row.client.name, address,
                               row.score, group(row.score), row.channel, comment))
    return found


def survey_replied_to(parsed: ParsedMail) -> int | None:
    """The unanswered survey whose e-mail this message replies to (by the Message-IDs it
    names), from the address it was sent to; None for any other message."""
    ids = list(parsed.thread_ids)
    if not ids:
        return None
    return (NpsSurvey.select(NpsSurvey.id).join(Outbox, on=NpsSurvey.outbox == Outbox.id)
            .where(Outbox.message_id.in_(ids) & NpsSurvey.answered_at.is_null()
                   & (NpsSurvey.address == parsed.sender_address.lower()))
            .order_by(NpsSurvey.id.desc()).limit(1).scalar())


def take_reply(agent: AgentRef, survey_id: int, text: str, now: datetime) -> NpsAnswer | None:
    """Record a reply's text as the survey's answer when it starts with a score; None (and
    nothing recorded) when it does not."""
    found = score_in(text)
    if found is None:
        return None
    return record(agent, survey_id, found[0], found[1], "email", now=now)
