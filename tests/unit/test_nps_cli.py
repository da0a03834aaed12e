"""`desk nps`: the score, its trend and the answers as a table and as JSON, and `desk nps
send`: who would get a survey now (--dry-run), and sending them."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from desk.clock import utcnow
from desk.crm import clients
from desk.kernel import agents
from desk.models import NpsSurvey, Outbox


@pytest.fixture
def nps(migrated_url, run_desk, monkeypatch, tmp_path):
    """Run `desk nps ARGS...` (Berlin time) on a desk with Acme (two answers) and Globex
    (never asked); returns (status, stdout, stderr)."""
    monkeypatch.setenv("DESK_DATABASE", migrated_url)
    config = tmp_path / "config.yaml"
    config.write_text("timezone: Europe/Berlin\n")
    run_desk("init")
    admin = agents.acting()
    acme = clients.create(admin, "Acme", "client", email="ada@acme.example",
                          lifecycle_stage="active").row.id
    clients.create(admin, "Globex", "client", email="gus@globex.example",
                   lifecycle_stage="active")
    for score, days, comment in ((3, 40, "Slow \x1b[31mreplies"), (10, 2, "")):
        at = utcnow().replace(microsecond=0) - timedelta(days=days)
        NpsSurvey.create(client=acme, address="ada@acme.example", sent_at=at, score=score,
                         comment=comment, answered_at=at, channel="email")

    def run(*args: str) -> tuple[int, str, str]:
        return run_desk("--config", str(config), "nps", *args)

    run.config = config
    return run


def test_json_has_the_score_the_trend_and_the_answers(nps) -> None:
    status, out, err = nps("--format", "json", "--period", "90d")
    assert status == 0 and err == ""
    data = json.loads(out)
    assert list(data) == ["window", "nps", "answers"]
    assert (data["nps"]["score"]["value"], data["nps"]["score"]["count"]) == (0, 2)
    assert [f["value"] for f in (data["nps"]["promoters"], data["nps"]["detractors"])] == [1, 1]
    assert len(data["nps"]["by_month"]) == 12 and len(data["nps"]["by_quarter"]) == 8
    newest, oldest = data["answers"]
    assert (newest["client"], newest["score"], newest["group"]) == ("Acme", 10, "promoter")
    assert (oldest["score"], oldest["comment"]) == (3, "Slow \u241b[31mreplies")
    assert json.loads(nps("--format", "json", "--period", "30d")[1])["nps"]["score"][
        "value"] == 100


def test_the_table_shows_the_score_and_the_answers_safely(nps) -> None:
    status, out, _ = nps()
    assert status == 0
    assert out.startswith("NPS         0  (from 2 answers: 1 promoters, 0 passives, "
                          "1 detractors)\n")
    assert "Slow \u241b[31mreplies" in out and "\x1b" not in out
    assert nps("--period", "1y") == (
        1, "", "desk: --period must be one of 30d, 90d, 12m, not '1y'\n")


def test_send_dry_run_lists_who_would_get_a_survey_and_sends_nothing(nps) -> None:
    status, out, err = nps("send", "--dry-run", "--format", "json")
    assert status == 0 and err == ""
    # Acme's last survey went 2 days ago (quarterly): only Globex is due
    assert [(row["client"], row["address"], row["last_sent"]) for row in json.loads(out)] == [
        ("Globex", "gus@globex.example", None)]
    assert nps("send", "--dry-run")[1].endswith("1 client would get an NPS survey now\n")
    assert Outbox.select().count() == 0 and NpsSurvey.select().count() == 2


def test_send_needs_the_surveys_on_then_queues_them(nps) -> None:
    status, _, err = nps("send")
    assert status == 1 and err.startswith("desk: NPS surveys are off: set nps.enabled: true")
    assert Outbox.select().count() == 0
    nps.config.write_text("timezone: Europe/Berlin\nnps:\n  enabled: true\n")
    assert nps("send")[1].endswith("1 client queued for an NPS survey\n")
    assert [mail.to_address for mail in Outbox.select()] == ["gus@globex.example"]
    assert nps("send")[1] == "0 clients queued for an NPS survey\n"
