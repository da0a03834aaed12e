"""desk.kernel.presence: which tasks other agents have open, on SQLite and PostgreSQL. An app
announces what it has open and renews it; a row not renewed counts as gone; the asker never
sees themselves; nothing of it is recorded as a change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from desk.config import ConfigError, parse_settings
from desk.errors import InvalidInput, PermissionDenied
from desk.kernel import agents, presence
from desk.models import Activity, Presence
from desk.work import tasks, workspace

MOMENT = datetime(2026, 11, 20, 14, 2, tzinfo=UTC)
GONE = timedelta(seconds=30)
ANA_APP, ANA_OTHER_APP, BO_APP = "a" * 32, "b" * 32, "c" * 32


@pytest.fixture
def task_ids(admin) -> list[int]:
    """Three tasks to have open."""
    workspace.create_space(admin, "Support")
    list_id = workspace.create_list(admin, "Support", "Queries").id
    return [tasks.create(admin, title, list_id).row.id
            for title in ("Printer jams", "Invoice wrong", "Login fails")]


@pytest.fixture
def ana(admin) -> agents.AgentRef:
    """An agent."""
    return agents.add(admin, "ana", role="agent", name="Ana")


@pytest.fixture
def bo(admin) -> agents.AgentRef:
    """Another agent."""
    return agents.add(admin, "bo", role="agent", name="Bo")


def seen(asker, ids, at=MOMENT) -> dict[int, list[tuple[str, str]]]:
    """Who `asker` sees on `ids` at `at`, as (name, state) pairs."""
    return {task_id: [(one.name, one.state) for one in found]
            for task_id, found in presence.who_is_on(asker, ids, gone_after=GONE,
                                                     now=at).items()}


def test_others_see_who_views_and_who_replies_but_never_themselves(admin, ana, bo, task_ids):
    first, second, third = task_ids
    presence.announce(ana, ANA_APP, {first: "viewing"}, gone_after=GONE, now=MOMENT)
    presence.announce(bo, BO_APP, {first: "replying", second: "viewing"}, gone_after=GONE,
                      now=MOMENT)
    assert seen(admin, task_ids) == {first: [("Bo", "replying"), ("Ana", "viewing")],
                                     second: [("Bo", "viewing")]}
    assert seen(ana, task_ids) == {first: [("Bo", "replying")], second: [("Bo", "viewing")]}
    assert seen(bo, [first, third]) == {first: [("Ana", "viewing")]}
    assert seen(bo, []) == {}


def test_announcing_again_replaces_what_the_app_had_open(admin, ana, task_ids):
    first, second, _ = task_ids
    presence.announce(ana, ANA_APP, {first: "viewing"}, gone_after=GONE, now=MOMENT)
    presence.announce(ana, ANA_APP, {first: "replying"}, gone_after=GONE, now=MOMENT)
    assert seen(admin, task_ids) == {first: [("Ana", "replying")]}
    presence.announce(ana, ANA_APP, {second: "viewing"}, gone_after=GONE, now=MOMENT)
    assert seen(admin, task_ids) == {second: [("Ana", "viewing")]}
    presence.announce(ana, ANA_APP, {}, gone_after=GONE, now=MOMENT)
    assert seen(admin, task_ids) == {}
    assert Presence.select().count() == 0


def test_an_agent_in_two_terminals_shows_once_replying_wins(admin, ana, task_ids):
    first = task_ids[0]
    presence.announce(ana, ANA_APP, {first: "viewing"}, gone_after=GONE, now=MOMENT)
    presence.announce(ana, ANA_OTHER_APP, {first: "replying"}, gone_after=GONE, now=MOMENT)
    assert seen(admin, task_ids) == {first: [("Ana", "replying")]}
    assert presence.clear(ana, ANA_OTHER_APP) == 1  # closing one terminal keeps the other
    assert seen(admin, task_ids) == {first: [("Ana", "viewing")]}


def test_a_row_not_renewed_counts_as_gone_and_is_deleted_by_the_next_announce(
        admin, ana, bo, task_ids):
    first, second, _ = task_ids
    presence.announce(ana, ANA_APP, {first: "viewing"}, gone_after=GONE, now=MOMENT)
    assert seen(admin, task_ids, MOMENT + GONE) == {first: [("Ana", "viewing")]}
    assert seen(admin, task_ids, MOMENT + GONE + timedelta(seconds=1)) == {}  # Ana's app died
    presence.announce(bo, BO_APP, {second: "viewing"}, gone_after=GONE,
                      now=MOMENT + GONE + timedelta(seconds=1))
    assert [row.agent_id for row in Presence.select()] == [bo.id]


def test_clear_takes_back_only_the_apps_own_rows(admin, ana, bo, task_ids):
    first = task_ids[0]
    presence.announce(ana, ANA_APP, {first: "viewing"}, gone_after=GONE, now=MOMENT)
    presence.announce(bo, BO_APP, {first: "viewing"}, gone_after=GONE, now=MOMENT)
    assert presence.clear(bo, ANA_APP) == 0  # not Bo's app
    assert presence.clear(ana, ANA_APP) == 1
    assert seen(admin, task_ids) == {first: [("Bo", "viewing")]}


def test_presence_writes_no_history_and_names_no_version(admin, ana, task_ids):
    before = Activity.select().count()
    presence.announce(ana, ANA_APP, {task_ids[0]: "replying"}, gone_after=GONE, now=MOMENT)
    presence.clear(ana, ANA_APP)
    assert Activity.select().count() == before


def test_a_viewer_announces_nothing_and_a_disabled_agent_is_not_shown(admin, ana, task_ids):
    first = task_ids[0]
    vera = agents.add(admin, "vera", role="viewer", name="Vera")
    with pytest.raises(PermissionDenied):
        presence.announce(vera, "d" * 32, {first: "viewing"}, gone_after=GONE, now=MOMENT)
    presence.announce(ana, ANA_APP, {first: "viewing"}, gone_after=GONE, now=MOMENT)
    agents.set_disabled(admin, "ana", True)
    assert seen(admin, task_ids) == {}
    with pytest.raises(PermissionDenied):
        presence.announce(ana, ANA_APP, {first: "viewing"}, gone_after=GONE, now=MOMENT)


def test_a_task_that_is_not_there_is_left_out(admin, ana, task_ids):
    first = task_ids[0]
    presence.announce(ana, ANA_APP, {first: "viewing", 999_999: "viewing"}, gone_after=GONE,
                      now=MOMENT)
    assert seen(admin, [*task_ids, 999_999]) == {first: [("Ana", "viewing")]}
    assert [row.task_id for row in Presence.select()] == [first]


@pytest.mark.parametrize(("instance", "opened", "problem"), [
    ("", {1: "viewing"}, "presence id"),
    ("x" * 33, {1: "viewing"}, "presence id"),
    ("a-b", {1: "viewing"}, "presence id"),
    ("a" * 32, {1: "typing"}, "presence is one of viewing, replying, not 'typing'"),
])
def test_bad_input_is_refused_with_one_line_and_changes_nothing(ana, instance, opened,
                                                                problem):
    with pytest.raises(InvalidInput, match=problem):
        presence.announce(ana, instance, opened, gone_after=GONE, now=MOMENT)
    assert Presence.select().count() == 0


def test_hostile_display_names_come_back_as_stored_text(admin, task_ids):
    name = "[red]Eve[/red]\x1b[2J"
    eve = agents.add(admin, "eve", role="agent", name=name)
    presence.announce(eve, ANA_APP, {task_ids[0]: "viewing"}, gone_after=GONE, now=MOMENT)
    assert seen(admin, task_ids) == {task_ids[0]: [(name, "viewing")]}


def test_the_heartbeat_setting_is_read_and_checked_with_its_line():
    assert parse_settings("", source="config.yaml").presence.heartbeat_seconds == 10
    assert parse_settings("presence:\n  heartbeat_seconds: 5\n",
                          source="config.yaml").presence.heartbeat_seconds == 5
    with pytest.raises(ConfigError, match=r"config.yaml, line 2: .*heartbeat_seconds"):
        parse_settings("presence:\n  heartbeat_seconds: 1\n", source="config.yaml")


def test_an_agent_who_only_had_tasks_open_can_be_removed_and_their_rows_go(admin, ana,
                                                                           task_ids):
    presence.announce(ana, ANA_APP, {task_ids[0]: "viewing"}, gone_after=GONE, now=MOMENT)
    agents.remove(admin, "ana")
    assert Presence.select().count() == 0
