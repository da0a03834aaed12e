"""A detractor to call: the client's newest NPS answer (desk.support.feedback) is 0 to 6 and
came within `detractor_days`, so the account manager should call before the relationship
sours further."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from peewee import fn

from desk.automation.suggestions.base import (
    Rule,
    Scope,
    Suggestion,
    clients,
    days_text,
    digest,
    local_day,
)
from desk.models import Client, NpsSurvey
from desk.text import one_line

DETRACTORS = 6
"""The highest score of a detractor."""


def find(scope: Scope) -> Iterator[Suggestion]:
    """Clients whose newest NPS answer is a detractor's, in one query."""
    since = scope.now - timedelta(days=scope.settings.detractor_days)
    newest = (NpsSurvey.select(NpsSurvey.client, fn.MAX(NpsSurvey.answered_at).alias("at"))
              .where(NpsSurvey.answered_at.is_null(False)).group_by(NpsSurvey.client))
    query = clients(scope, NpsSurvey.id, NpsSurvey.score, NpsSurvey.comment,
                    NpsSurvey.answered_at).join(
        NpsSurvey, on=NpsSurvey.client == Client.id).join(
        newest, on=(newest.c.client_id == NpsSurvey.client)
        & (newest.c.at == NpsSurvey.answered_at)).where(
        NpsSurvey.score <= DETRACTORS, NpsSurvey.answered_at >= since)
    for client_id, name, manager, survey_id, score, comment, answered in query.tuples():
        day = local_day(answered, scope.zone)
        said = f": “{one_line(comment, 80)}”" if comment.strip() else ""
        facts = [("NPS answer", f"{score} of 10 on {day}")]
        if comment.strip():
            facts.append(("They wrote", one_line(comment, 200)))
        yield Suggestion(
            client_id=client_id, client=name, rule="detractor", subject=f"nps-{survey_id}",
            reason=f"Answered the NPS survey with {score} of 10 "
                   f"({days_text((day - scope.today).days)}){said}",
            facts=tuple(facts),
            why_now=f"A score of 0 to {DETRACTORS} is a detractor's, and it is the client's "
                    "newest answer.",
            when=day, title=f"Call {name} about their NPS answer ({score})", due=scope.today,
            assignee=manager, fingerprint=digest(survey_id))


RULE = Rule("detractor", "a client whose newest NPS answer is a detractor's", find)
