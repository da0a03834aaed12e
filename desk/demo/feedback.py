"""The demo's NPS history: a year of quarterly surveys to each client's decision maker, most
answered (some by detractors). The answers are not logged as interactions: the demo's
relationship clocks (who is past their contact cadence) stay as the interactions stage set
them.

Drawn from a generator of its own (seeded from the demo's seed), so the other stages' draws
stay as they were; written with bulk inserts, a few hundred rows at most.
"""

from __future__ import annotations

import random
from datetime import timedelta

from desk.db import bulk_insert
from desk.demo.context import Demo
from desk.models import NpsSurvey
from desk.support.feedback.answers import group
from desk.support.feedback.surveys import SURVEYED_STAGES

QUARTERS = 4
"""How many quarterly surveys the year holds."""
ANSWERED = 0.7
"""The share of surveys answered."""
SCORES = {10: 14, 9: 18, 8: 16, 7: 11, 6: 7, 5: 5, 4: 3, 3: 2, 2: 1, 1: 1, 0: 1}
"""How often each score is given (weights)."""
COMMENTS = {
    "promoter": ("", "Always quick to answer, and the work is spot on.",
                 "We recommended you to our sister company already."),
    "passive": ("", "Good work, but the invoices are hard to read.",
                "Fine overall; the last delivery was a week late."),
    "detractor": ("The last two requests took far too long.",
                  "Nobody called back after the outage.",
                  "We are paying for hours we never see reported."),
}
"""The free text of an answer, by group ("" for none)."""


def nps_answers(demo: Demo) -> None:
    """A year of quarterly surveys to the clients we work for, answered or not."""
    rng = random.Random(f"{demo.seed}-nps")
    scores, weights = list(SCORES), list(SCORES.values())
    surveys = []
    for client in demo.clients:
        spec = client.spec
        if spec.kind != "client" or spec.stage not in SURVEYED_STAGES or not spec.email:
            continue
        for quarter in range(QUARTERS, 0, -1):
            sent = (demo.now - timedelta(days=91 * (quarter - 1) + rng.randint(5, 40))
                    ).replace(second=0)
            if sent < client.created_at:
                continue
            row = {"client": client.id, "address": spec.email.lower(), "sent_at": sent,
                   "score": None, "comment": "", "answered_at": None, "channel": None}
            if rng.random() < ANSWERED:
                score = rng.choices(scores, weights)[0]
                answered = min(sent + timedelta(hours=rng.randint(2, 120)), demo.now)
                comment = rng.choice(COMMENTS[group(score)])
                channel = rng.choice(("email", "portal"))
                row.update(score=score, comment=comment, answered_at=answered, channel=channel)
            surveys.append(row)
    bulk_insert(NpsSurvey, surveys)
