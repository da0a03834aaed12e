"""desk agents profile and teams, and desk init --company --timezone --hours: what the first
start asks, from the command line; the saved zone and hours are the session's."""

from __future__ import annotations

import argparse
from datetime import time
from zoneinfo import ZoneInfo

import pytest

from desk.cli.session import find_workspace, open_session
from desk.models import Activity, Agent, WorkspaceSetting


@pytest.fixture
def url(new_workspace) -> str:
    """The URL, as $DESK_DATABASE, of a workspace nobody has set up yet (the schema alone)."""
    return new_workspace


def test_you_fill_in_your_profile_and_see_it(url, run_desk):
    run_desk("init", "--template", "support")
    status, out, _ = run_desk("agents", "profile", "--name", "Alex Doe", "--email",
                              "alex@example.com", "--signature", r"Alex\nAcme support",
                              "--away", "yes")
    assert status == 0
    assert out.splitlines() == ["username   alex", "name       Alex Doe",
                                "email      alex@example.com", "away       yes",
                                "teams      Support", "signature  Alex",
                                "           Acme support"]
    assert Agent.get(Agent.username == "alex").signature == "Alex\nAcme support"
    assert run_desk("agents", "profile", "--email", "nope") == (
        1, "", "desk: --email: email 'nope' is not an e-mail address like ada@example.com\n")
    assert Agent.get(Agent.username == "alex").email == "alex@example.com"


def test_an_admin_moves_an_agent_between_teams(url, run_desk):
    run_desk("init", "--template", "agency")
    run_desk("agents", "add", "bob", "--team", "Support")
    assert run_desk("agents", "teams", "bob", "--join", "Billing", "--leave", "Support")[:2] == (
        0, "bob joined Billing\nbob left Support\n")
    assert run_desk("agents", "teams", "bob", "--join", "Orders", "--leave", "Nope") == (
        1, "", "desk: bob is not in the team 'Nope'\n")
    assert run_desk("agents")[1].splitlines()[2].split()[:4] == ["bob", "bob", "agent",
                                                                  "Billing"]


def test_init_saves_the_company_zone_and_hours_for_every_session(url, run_desk):
    assert run_desk("init", "--company", "Acme & Co", "--timezone", "Asia/Tokyo",
                    "--hours", "Sun-Thu 08:00-16:00")[1].splitlines()[1:4] == [
        "workspace company: Acme & Co", "workspace timezone: Asia/Tokyo",
        "workspace hours: Sun-Thu 08:00-16:00"]
    session = open_session(find_workspace(argparse.Namespace(config=None, db=None)),
                           at_least="viewer")
    calendar = session.settings.business_calendar()
    assert session.settings.tz == ZoneInfo("Asia/Tokyo") == session.context.now.tzinfo
    assert (calendar.weekdays, calendar.opens, calendar.closes) == (
        frozenset({6, 0, 1, 2, 3}), time(8), time(16))
    assert {row.field for row in Activity.select().where(Activity.entity == "workspace")} == {
        "company", "timezone", "hours"}
    assert run_desk()[1].splitlines()[5:8] == [
        "company        Acme & Co", "time zone      Asia/Tokyo",
        "working hours  Sun-Thu 08:00-16:00"]


@pytest.mark.parametrize(("args", "message"), [
    (("--timezone", "Mars/Base"),
     "desk: --timezone: time zone 'Mars/Base' is unknown; use an IANA name like Europe/Berlin\n"),
    (("--hours", "Mon-Fri 9-5"), "desk: --hours: working hours: cannot read '9-5' as working "
                                 "hours; write them like 09:00-17:30\n"),
])
def test_a_bad_setting_is_named_before_anything_is_made(run_desk, tmp_path, monkeypatch, args,
                                                        message):
    monkeypatch.setenv("DESK_DATABASE", f"sqlite:///{tmp_path / 'new.db'}")
    assert run_desk("init", "--company", "Acme", *args) == (1, "", message)
    assert not (tmp_path / "new.db").exists()
    run_desk("init")
    assert run_desk("init", "--company", "Acme", *args) == (1, "", message)
    assert WorkspaceSetting.select().count() == 0
