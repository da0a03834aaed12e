"""Acting on a suggestion: the task it creates (through the task service, for the client, on
the configured list), snoozing and dismissing (kept in the database, audited, until the
snooze ends or the data changes), the refusals, and `desk suggestions` with JSON output."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from desk.automation.suggestions import acting
from desk.automation.suggestions.listing import suggestions
from desk.config.schema import Settings
from desk.crm import clients, interactions
from desk.errors import InvalidInput, NotFound, PermissionDenied
from desk.kernel import agents
from desk.models import Activity, Client, Event, SuggestionState, Task, TaskAssignee
from desk.work import workspace

NOW = datetime(2026, 12, 26, 10, 0, tzinfo=UTC)
SETTINGS = Settings(timezone="Europe/Berlin")


@pytest.fixture
def acme(admin) -> str:
    """Acme, managed by maria, last contacted 2026-11-20 on a 30-day cadence: the key of
    its check-in suggestion. The Accounts list exists."""
    agents.add(admin, "maria", role="agent")
    row = clients.create(admin, "Acme", kind="client", account_manager="maria",
                         contact_cadence_days=30).row
    Client.update(last_contact_at=datetime(2026, 11, 20, 9)).where(Client.id == row.id).execute()
    workspace.create_space(admin, "Clients")
    workspace.create_list(admin, "Clients", "Accounts")
    return f"{row.id}:check_in:cadence"


def keys(now: datetime = NOW) -> list[str]:
    """The keys of the suggestions shown as of `now`."""
    return [s.key for s in suggestions(SETTINGS, now)]


def test_acting_creates_the_task_for_the_client_and_hides_the_suggestion(admin, acme):
    decision = acting.act(admin, SETTINGS, acme, NOW)
    task = Task.get_by_id(decision.task_id)
    assert (task.title, task.client_id, task.task_list.name) == (
        "Check in with Acme", int(acme.split(":")[0]), "Accounts")
    assert "Last contact 2026-11-20" in task.description
    assert [link.agent.username for link in TaskAssignee.select().where(
        TaskAssignee.task == task.id)] == ["maria"]
    assert task.due_at == datetime(2026, 12, 26, 22, 59, 59)  # the day's end in Berlin
    state = SuggestionState.get()
    assert (state.outcome, state.task_id, state.agent_id) == ("acted", task.id, admin.id)
    assert Event.select().where(Event.kind == "suggestion.acted").count() == 1
    assert keys() == []
    with pytest.raises(NotFound, match="acted on, snoozed or dismissed"):
        acting.act(admin, SETTINGS, acme, NOW)


def test_a_snoozed_suggestion_comes_back_when_the_snooze_ends(admin, acme):
    acting.snooze(admin, SETTINGS, acme, date(2027, 1, 4), NOW)
    assert keys() == []
    assert keys(datetime(2027, 1, 3, 22, tzinfo=UTC)) == []
    assert keys(datetime(2027, 1, 3, 23, 30, tzinfo=UTC)) == [acme]  # the 4th in Berlin
    change = Activity.get(Activity.entity == "suggestion", Activity.field == "snoozed_until")
    assert change.new == "2027-01-04"


def test_a_dismissed_suggestion_stays_away_until_its_data_changes(admin, acme):
    acting.dismiss(admin, SETTINGS, acme, "They asked for quiet until spring", NOW)
    assert keys() == [] and keys(datetime(2027, 6, 1, tzinfo=UTC)) == []
    assert SuggestionState.get().reason == "They asked for quiet until spring"
    client_id = int(acme.split(":")[0])
    interactions.log(admin, client_id, "email", occurred_at=datetime(2026, 11, 22, 9))
    assert keys() == [acme]  # a newer contact, still overdue: the data changed
    acting.snooze(admin, SETTINGS, acme, date(2027, 1, 2), NOW)
    state = SuggestionState.get()
    assert (state.outcome, state.version, state.reason) == ("snoozed", 2, "")


def test_bad_decisions_are_refused_and_change_nothing(admin, acme):
    viewer = agents.add(admin, "vera", role="viewer")
    with pytest.raises(PermissionDenied):
        acting.act(viewer, SETTINGS, acme, NOW)
    with pytest.raises(InvalidInput, match="cannot be empty"):
        acting.dismiss(admin, SETTINGS, acme, "   ", NOW)
    with pytest.raises(InvalidInput, match="a day after today"):
        acting.snooze(admin, SETTINGS, acme, date(2026, 12, 26), NOW)
    with pytest.raises(NotFound, match="an id looks like"):
        acting.act(admin, SETTINGS, "acme", NOW)
    with pytest.raises(NotFound, match="no suggestion 99:check_in:cadence now"):
        acting.act(admin, SETTINGS, "99:check_in:cadence", NOW)
    elsewhere = Settings(timezone="Europe/Berlin",
                         suggestions=type(SETTINGS.suggestions)(list="Nowhere"))
    with pytest.raises(NotFound, match=r"no list named 'Nowhere' \(suggestions\.list"):
        acting.act(admin, elsewhere, acme, NOW)
    assert SuggestionState.select().count() == 0
    assert Task.select().count() == 0
    assert keys() == [acme]


def test_the_cli_lists_suggestions_as_json_and_acts_on_one(migrated_url, run_desk,
                                                          monkeypatch):
    monkeypatch.setenv("DESK_DATABASE", migrated_url)
    run_desk("init", "--template", "agency")
    admin = agents.acting()
    acme = clients.create(admin, "Acme", kind="client", contact_cadence_days=14).row
    clients.create(admin, "Quiet", kind="client")
    status, out, err = run_desk("suggestions", "--format", "json")
    assert (status, err) == (0, "")
    (found,) = json.loads(out)
    assert (found["id"], found["client"], found["reason"], found["facts"]["Last contact"]) == (
        f"{acme.id}:check_in:cadence", "Acme", "Never contacted; the cadence is every 14 days",
        "never")
    status, out, _ = run_desk("suggestions", "Quiet")
    assert status == 0 and out.splitlines()[1:] == []
    status, out, err = run_desk("suggestions", "dismiss", found["id"])
    assert (status, err) == (1, "desk: desk suggestions dismiss needs --reason TEXT\n")
    status, out, err = run_desk("suggestions", "act", found["id"], "--format", "json")
    assert status == 0, err
    task_id = json.loads(out)[0]["task_id"]
    assert Task.get_by_id(task_id).client_id == acme.id
    assert json.loads(run_desk("suggestions", "--format", "json")[1]) == []
