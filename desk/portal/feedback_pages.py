"""The portal's answer pages for survey e-mails (desk.support.feedback.links): no sign-in,
the token in the link is the key. Opening a link shows the score it names, chosen, and a
box for free text; only the button (a POST) records the answer, once."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from desk.errors import InvalidInput
from desk.portal.context import portal
from desk.support.feedback import links

blueprint = Blueprint("feedback", __name__)


def _refusal(detail: str, heading: str = "This link does not work"):
    """The page of a link that cannot be used: what is wrong, and nothing changed."""
    return render_template("error.html", heading=heading, detail=_sentence(detail)), 400


@blueprint.get("/feedback/<token>/<int:score>")
def answer_page(token: str, score: int):
    """The answer page of a survey link, with its score chosen."""
    link = links.find(token)
    if link is None:
        return _refusal(links.UNKNOWN)
    if link.used:
        return _refusal(links.USED, "Already answered")
    return _page(token, link, score if score in link.scores else None, "")


@blueprint.post("/feedback/<token>")
def answer(token: str):
    """Record the answer of a survey link, once."""
    link = links.find(token)
    if link is None:
        return _refusal(links.UNKNOWN)
    if link.used:
        return _refusal(links.USED, "Already answered")
    score = request.form.get("score", "")
    if not score:
        return _page(token, link, None, f"Choose a score from {link.scores[0]} to "
                                         f"{link.scores[-1]}."), 400
    try:
        links.answer(portal().agent, token, score, request.form.get("comment", ""))
    except InvalidInput as error:
        again = links.find(token)
        if again is not None and again.used:  # answered meanwhile, in another tab
            return _refusal(links.USED, "Already answered")
        return _page(token, link, None, _sentence(str(error))), 400
    return render_template("feedback_done.html", kind=link.kind)


def _sentence(text: str) -> str:
    """A message as a sentence: capitalised, with a full stop."""
    return text[:1].upper() + text[1:].rstrip(".") + "."


def _page(token: str, link: links.Link, chosen: int | None, problem: str) -> str:
    """The answer form of a link: the question, the scores (`chosen` checked), the box."""
    question = (portal().settings.nps.question if link.kind == "nps"
                else f"How satisfied are you with how we handled request #{link.task_id}?")
    low, high = (("not at all likely", "extremely likely") if link.kind == "nps"
                 else ("poor", "excellent"))
    return render_template("feedback.html", token=token, question=question,
                           scores=link.scores, chosen=chosen, low=low, high=high,
                           problem=problem)
