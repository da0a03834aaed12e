"""One-click answers from survey e-mails: the NPS survey's eleven links and the CSAT
survey's five open the portal's answer page, whose button records the score once, in the
contact's name; a reused or forged link gets a clear page and changes nothing. Through the
Flask test client, and once through `desk portal` running for real (waitress)."""

from __future__ import annotations

import os
import pwd
import re
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from http.cookiejar import CookieJar

import pytest
from msgspec.structs import replace
from portal_server import portal_server

from desk import db as desk_db
from desk.automation import processor
from desk.config import parse_settings, shipped_automations
from desk.kernel import agents
from desk.models import (
    Activity,
    Client,
    FeedbackLink,
    Interaction,
    NpsSurvey,
    Outbox,
    QueryData,
    Status,
)
from desk.support.feedback import surveys
from desk.work import tasks

from .conftest import CSRF, PORTAL_CONFIG

CLICK = re.compile(r"https?://[^/\s]+(/feedback/\S+)")
SURVEYS_ON = PORTAL_CONFIG + "nps:\n  enabled: true\n"


def links_in(address: str) -> list[str]:
    """The paths of the one-click links in the newest e-mail queued for `address`."""
    body = (Outbox.select(Outbox.body).where(Outbox.to_address == address)
            .order_by(Outbox.id.desc()).scalar())
    return CLICK.findall(body)


def answer(browser, path: str, score: str, comment: str = ""):
    """Open a link's page and press its button with `score` and `comment`."""
    page = browser.get(path)
    token = CSRF.search(page.get_data(True)).group(1)
    return browser.post(path.rsplit("/", 1)[0],
                        data={"csrf": token, "score": score, "comment": comment})


@pytest.fixture
def nps_links(admin, world) -> list[str]:
    """An NPS survey e-mailed to Acme (active): its eleven links, 0 to 10."""
    Outbox.delete().execute()
    Client.update(lifecycle_stage="active").where(Client.id == world.acme).execute()
    assert [due.client_name for due in surveys.send_due(admin, parse_settings(SURVEYS_ON))] \
        == ["Acme"]
    return links_in("ada@acme.example")


def test_a_click_opens_the_answer_page_and_its_button_records_the_answer(
        browser, nps_links, world) -> None:
    assert [path.rsplit("/", 1)[1] for path in nps_links] == [str(n) for n in range(11)]
    page = browser.get(nps_links[3])
    text = page.get_data(True)
    assert page.status_code == 200
    assert "How likely are you to recommend us to a friend or colleague?" in text
    assert 'id="score-3" value="3" checked' in text and 'id="score-4" value="4">' in text
    assert '<label for="comment">' in text
    for path in nps_links:  # a mail scanner fetching every link records nothing
        assert browser.get(path).status_code == 200
    assert NpsSurvey.get().answered_at is None
    done = answer(browser, nps_links[3], "4", "Nobody <b>called</b> back.")
    assert done.status_code == 200 and "Your answer is recorded" in done.get_data(True)
    survey = NpsSurvey.get()
    assert (survey.score, survey.comment, survey.channel) == (
        4, "Nobody <b>called</b> back.", "portal")
    assert Activity.get(Activity.field == "nps").actor == "portal: ada@acme.example"
    note = Interaction.get(Interaction.summary.startswith("NPS"))
    assert (note.client_id, note.summary) == (
        world.acme, "NPS 4 (detractor, by portal): Nobody <b>called</b> back.")


def test_a_used_link_says_so_and_changes_nothing(browser, nps_links) -> None:
    answer(browser, nps_links[9], "9")
    csrf = CSRF.search(browser.get("/sign-in").get_data(True)).group(1)
    again = browser.post(nps_links[0].rsplit("/", 1)[0], data={"csrf": csrf, "score": "0"})
    assert again.status_code == 400
    assert "Already answered" in again.get_data(True)
    assert "This survey was answered already; thank you." in again.get_data(True)
    reopened = browser.get(nps_links[0])
    assert reopened.status_code == 400 and "Already answered" in reopened.get_data(True)
    nps_notes = Interaction.select().where(Interaction.summary.startswith("NPS")).count()
    assert (NpsSurvey.get().score, nps_notes) == (9, 1)


def test_a_forged_link_gets_a_clear_page_and_changes_nothing(browser, nps_links) -> None:
    token = nps_links[0].split("/")[2]
    forged = f"/feedback/{token[:-2]}xy/0"
    page = browser.get(forged)
    assert page.status_code == 400
    assert "This link does not work" in page.get_data(True)
    csrf = CSRF.search(browser.get("/sign-in").get_data(True)).group(1)
    posted = browser.post(forged.rsplit("/", 1)[0], data={"csrf": csrf, "score": "0"})
    assert posted.status_code == 400 and "check that the whole link" in posted.get_data(True)
    without_csrf = browser.post(nps_links[0].rsplit("/", 1)[0], data={"score": "0"})
    assert without_csrf.status_code == 400
    assert NpsSurvey.get().answered_at is None
    assert FeedbackLink.get().used_at is None and FeedbackLink.get().token_hash != token


def test_a_page_without_a_score_asks_for_one(browser, nps_links) -> None:
    page = browser.get(nps_links[0].rsplit("/", 1)[0] + "/11")  # no such score: none chosen
    assert page.status_code == 200 and "checked" not in page.get_data(True)
    posted = answer(browser, nps_links[0].rsplit("/", 1)[0] + "/11", "")
    assert posted.status_code == 400 and "Choose a score from 0 to 10." in posted.get_data(True)
    wrong = answer(browser, nps_links[0], "12")
    assert wrong.status_code == 400 and "from 0 to 10, not &#39;12&#39;" in wrong.get_data(True)
    assert NpsSurvey.get().answered_at is None and FeedbackLink.get().used_at is None


def resolve(admin, task_id: int, config: str) -> list[str]:
    """Move a query to its list's done status and run the shipped survey rule (its trigger
    set to that status: the test lists say Done, not Resolved); what fired."""
    query = tasks.get(task_id).row
    done = (Status.select(Status.name).where((Status.task_list == query.list_id)
                                             & (Status.category == "done")).scalar())
    survey = next(rule for rule in shipped_automations()
                  if rule["name"] == "survey a resolved query")
    settings = replace(parse_settings(config),
                       automations=[{**survey, "when": {"status_changed": {"to": done}}}])
    tasks.update(admin, query.id, query.version, status=done)
    report = processor.run_automations(settings, datetime.now(UTC), admin)
    assert report.errors == []
    return report.fired


def test_the_csat_survey_of_a_resolved_query_is_answered_with_one_click(
        admin, browser, world) -> None:
    query = tasks.get(world.ada_query).row
    fired = resolve(admin, query.id, PORTAL_CONFIG)
    assert any("survey a resolved query" in line for line in fired)
    body = Outbox.get(Outbox.to_address == "ada@acme.example").body
    assert "Or answer with one click:\n  1 (poor): http://portal.test/feedback/" in body
    paths = links_in("ada@acme.example")
    assert [path.rsplit("/", 1)[1] for path in paths] == ["1", "2", "3", "4", "5"]
    page = browser.get(paths[4]).get_data(True)
    assert f"request #{query.id}" in page and 'value="5" checked' in page
    assert answer(browser, paths[4], "5", "Quick fix, thanks").status_code == 200
    data = QueryData.get_by_id(query.id)
    assert (data.csat_score, data.csat_comment) == (5, "Quick fix, thanks")
    assert Activity.get(Activity.field == "csat_score").actor == "portal: ada@acme.example"
    assert Interaction.get(Interaction.summary.startswith("CSAT")).summary == (
        f"CSAT 5 on #{query.id}: Quick fix, thanks")
    used = browser.get(paths[0])
    assert used.status_code == 400 and "Already answered" in used.get_data(True)
    assert QueryData.get_by_id(query.id).csat_score == 5


def test_without_the_portal_the_csat_e_mail_has_no_links(admin, world) -> None:
    assert resolve(admin, world.ada_query, "")
    body = Outbox.get(Outbox.to_address == "ada@acme.example").body
    assert "/feedback/" not in body and "with a score from 1 (poor) to 5" in body
    assert FeedbackLink.select().count() == 0


def test_a_click_through_the_portal_running_for_real(admin, world, migrated_url,
                                                     tmp_path) -> None:
    Client.update(lifecycle_stage="active").where(Client.id == world.acme).execute()
    agents.add(admin, pwd.getpwuid(os.getuid()).pw_name)  # the account `desk portal` runs as
    with portal_server(migrated_url, tmp_path) as portal:
        config = SURVEYS_ON.replace("http://portal.test", portal.base)
        surveys.send_due(admin, parse_settings(config))
        path = links_in("ada@acme.example")[7]
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        with opener.open(portal.base + path, timeout=10) as page:
            text = page.read().decode()
        assert 'value="7" checked' in text
        form = urllib.parse.urlencode({"csrf": CSRF.search(text).group(1), "score": "7",
                                       "comment": "Fine."}).encode()
        with opener.open(portal.base + path.rsplit("/", 1)[0], form, timeout=10) as done:
            assert done.status == 200 and "Your answer is recorded" in done.read().decode()
    desk_db.connect(migrated_url, create=False)  # what the server wrote, read afresh
    survey = NpsSurvey.get()
    assert (survey.score, survey.comment, survey.channel) == (7, "Fine.", "portal")
