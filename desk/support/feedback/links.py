"""One-click answers from a survey e-mail: each e-mail carries one random token (stored as
its SHA-256, as the portal's sign-in links are: desk.support.portal.signin.digest) in links
that name a score, /feedback/TOKEN/SCORE.

Opening a link shows the portal's answer page with that score chosen and a box for free
text; only its button (a POST) uses the token, so a mail scanner that fetches every link
records nothing. A token works once: a used, unknown or forged one changes nothing.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from msgspec import Struct

from desk.clock import stored, utcnow
from desk.crm import interactions
from desk.dialect import locking
from desk.errors import InvalidInput
from desk.kernel import audit
from desk.kernel.agents import AgentRef, require_writer
from desk.models import FeedbackLink, NpsSurvey, Task, database
from desk.support import csat
from desk.support.feedback import answers
from desk.support.portal.signin import digest
from desk.vocabulary import PORTAL_PREFIX

UNKNOWN = "this answer link does not work: check that the whole link was opened"
USED = "this survey was answered already; thank you"
SCORES = {"nps": range(0, 11), "csat": range(1, 6)}
"""The scores each kind of survey takes."""


class Link(Struct, frozen=True):
    """What a token answers: an NPS survey or a query's CSAT survey (`kind`), for which
    address, and whether it was used."""

    kind: str
    survey_id: int | None
    task_id: int | None
    address: str
    used: bool

    @property
    def scores(self) -> range:
        """The scores this survey takes."""
        return SCORES[self.kind]


def new_token(kind: str, address: str, *, survey_id: int | None = None,
              task_id: int | None = None, now: datetime | None = None) -> str:
    """A fresh token for a survey e-mail's links, stored by its digest; call it inside the
    transaction that queues the e-mail."""
    token = secrets.token_urlsafe(32)
    FeedbackLink.create(token_hash=digest(token), kind=kind, survey=survey_id, task=task_id,
                        address=address.lower()[:254], created_at=stored(now) or utcnow())
    return token


def lines(public_url: str, token: str, kind: str, words: dict[int, str]) -> str:
    """One line per score, "  7: URL" ("  1 (poor): URL" when `words` names it)."""
    base = public_url.rstrip("/")
    return "\n".join(f"  {score}{f' ({words[score]})' if score in words else ''}: "
                     f"{base}/feedback/{token}/{score}" for score in SCORES[kind])


def csat_links(agent: AgentRef, public_url: str, task_id: int, address: str) -> str:
    """The text {csat.links} stands for in an e-mail about query `task_id` to `address`:
    five one-click links (1 to 5) under a line saying what they are; a new token each time."""
    require_writer(agent)
    token = new_token("csat", address, task_id=task_id)
    return ("Or answer with one click:\n"
            + lines(public_url, token, "csat", {1: "poor", 5: "excellent"}) + "\n")


def find(token: str) -> Link | None:
    """The link of a token, used or not; None for a token this desk never made."""
    row = FeedbackLink.get_or_none(FeedbackLink.token_hash == digest(token))
    if row is None:
        return None
    return Link(row.kind, row.survey_id, row.task_id, row.address,
                row.used_at is not None or _answered(row))


def answer(agent: AgentRef, token: str, score: object, comment: str, *,
           now: datetime | None = None) -> Link:
    """Use a token once: record its survey's score and free text in the name of the address
    it was sent to ("portal: ADDRESS"). An unknown token (UNKNOWN) or a used one (USED) is
    InvalidInput and changes nothing, as is a score the survey does not take."""
    require_writer(agent)
    moment = stored(now) or utcnow()
    with database.atomic():
        row = locking(FeedbackLink.select().where(
            FeedbackLink.token_hash == digest(token))).first()
        if row is None:
            raise InvalidInput(UNKNOWN)
        if row.used_at is not None or _answered(row):
            raise InvalidInput(USED)
        FeedbackLink.update(used_at=moment).where(FeedbackLink.id == row.id).execute()
        with audit.acting_as(f"{PORTAL_PREFIX}{row.address}", 0):
            if row.kind == "nps":
                answers.record(agent, row.survey_id, score, comment, "portal", now=moment)
            else:
                _csat(agent, row.task_id, score, comment, moment)
    return Link(row.kind, row.survey_id, row.task_id, row.address, True)


def _answered(row: FeedbackLink) -> bool:
    """Whether the NPS survey of a link was answered another way (by reply)."""
    return row.kind == "nps" and NpsSurvey.select().where(
        (NpsSurvey.id == row.survey_id) & NpsSurvey.answered_at.is_null(False)).exists()


def _csat(agent: AgentRef, task_id: int, score: object, comment: str,
          moment: datetime) -> None:
    """A query's CSAT from a link, its free text kept on the client's timeline."""
    recorded = csat.record(agent, task_id, score, comment, now=moment)
    client_id = Task.select(Task.client).where(Task.id == task_id).scalar()
    if client_id is not None:
        said = f"CSAT {recorded.score} on #{task_id}"
        if recorded.comment:
            said += f": {recorded.comment[:answers.SUMMARY]}"
        interactions.log(agent, client_id, "note", said, task_id=task_id,
                         occurred_at=moment, now=moment)
