"""Concurrent editors: several processes updating the same tasks lose no update, write exactly
one audit row per saved field, never see "database is locked", and a stale save of the same
field is refused with both values and writes nothing. Processes creating the same new tag or
team at once all succeed, and admins changing roles at once (or two accounts opening a fresh
database) always leave exactly the admins the rules allow."""

from __future__ import annotations

import sqlite3
import traceback
from collections import Counter

import peewee
import pytest
from conftest import CHILDREN, child_process, run_children

from desk import db as desk_db
from desk.errors import ConflictError, PermissionDenied
from desk.kernel import agents
from desk.models import (
    Activity,
    Agent,
    Event,
    SavedView,
    Tag,
    Task,
    TaskTag,
    Team,
    TeamMember,
)
from desk.work import tasks, views, workspace

CHILD_TIMEOUT = 180  # seconds a child process may take before the test gives up on it
PROCESSES = 4
UPDATES = 50
TASKS = 3
# Each process owns one field; two processes share "title", so the same field does conflict
# between them while the other fields merge.
FIELDS = ("title", "description", "estimate_minutes", "title")
MAX_ATTEMPTS = 1000  # per update: retries after conflicts, far more than ever needed
ROUNDS = 5  # rounds of a race test: each lets the processes start the same write at once


# --- helpers -------------------------------------------------------------------------------


def value_for(process: int, update: int) -> object:
    """The value process `process` writes in its `update`-th call: never written before."""
    if FIELDS[process] == "estimate_minutes":
        return 1000 * (process + 1) + update
    return f"p{process}-{update}"


def edit_in_child(url: str, process: int, task_ids: list[int], barrier, results) -> None:
    """Child process: open the database itself, then make UPDATES saves of this process's
    field, round-robin over the shared tasks; each save re-reads the task's version and is
    retried after a ConflictError. Reports per-task successes, conflicts and any other error
    (a "database is locked" included) to the parent."""
    saved: Counter[int] = Counter()
    conflicts = 0
    failures: list[str] = []
    try:
        desk_db.connect(url)
        agent = agents.acting()
        barrier.wait(CHILD_TIMEOUT)
        for update in range(UPDATES):
            task_id = task_ids[(process + update) % TASKS]
            change = {FIELDS[process]: value_for(process, update)}
            for _ in range(MAX_ATTEMPTS):
                version = tasks.get(task_id).row.version
                try:
                    tasks.update(agent, task_id, version, **change)
                except ConflictError:
                    conflicts += 1
                    continue
                except (peewee.OperationalError, sqlite3.OperationalError) as error:
                    failures.append(f"{type(error).__name__}: {error}")
                    continue
                saved[task_id] += 1
                break
            else:
                failures.append(f"update {update} of task {task_id} never got through")
    except Exception:  # reported to the parent, which fails the test with it
        failures.append(traceback.format_exc())
    results.put((process, dict(saved), conflicts, failures))


@pytest.fixture
def shared_tasks(db, admin) -> list[int]:
    """The tasks every process edits, each created once (version 1, one audit row)."""
    workspace.create_space(admin, "Shop")
    task_list = workspace.create_list(admin, "Shop", "Orders")
    return [tasks.create(admin, f"shared {n}", task_list.id).row.id for n in range(TASKS)]


def activity_versions(task_id: int) -> list[int]:
    """The versions recorded in the audit rows of one task, in order."""
    return [version for (version,) in Activity.select(Activity.version)
            .where((Activity.entity == "task") & (Activity.entity_id == task_id))
            .order_by(Activity.version, Activity.id).tuples()]


# --- tests ---------------------------------------------------------------------------------


@pytest.mark.serial
def test_processes_editing_the_same_tasks_lose_nothing(db, db_url, shared_tasks):
    reports = run_children(edit_in_child, [(db_url, k, shared_tasks) for k in range(PROCESSES)],
                           CHILD_TIMEOUT)
    failures = [failure for *_, found in reports for failure in found]
    assert not failures, "\n".join(failures)

    saved: Counter[int] = Counter()
    for _, per_task, _, _ in reports:
        saved.update(per_task)
    assert sum(saved.values()) == PROCESSES * UPDATES
    for task_id in shared_tasks:
        task = Task.get_by_id(task_id)
        # created at version 1; every save bumped it by exactly one
        assert task.version == 1 + saved[task_id]
        # the creation's rows at version 1, then one audit row per save (each changes one
        # field): every version from 2 to the last appears exactly once
        recorded = activity_versions(task_id)
        assert recorded[0] == 1
        assert [v for v in recorded if v > 1] == list(range(2, task.version + 1))
        last_by_field = {}
        for field, new in (Activity.select(Activity.field, Activity.new)
                           .where((Activity.entity == "task") & (Activity.entity_id == task_id))
                           .order_by(Activity.version).tuples()):
            last_by_field[field] = new
        # and one automation event per save, written in the same transaction
        assert Event.select().where((Event.entity == "task")
                                    & (Event.entity_id == task_id)).count() == task.version
        # what is stored is what the last save of each field wrote
        assert last_by_field["title"] == task.title
        assert last_by_field.get("description", "") == task.description
        if task.estimate_minutes is not None:
            assert last_by_field["estimate_minutes"] == str(task.estimate_minutes)


def test_a_stale_save_of_the_same_field_conflicts_and_writes_nothing(admin, shared_tasks):
    task_id = shared_tasks[0]
    stale = tasks.get(task_id).row
    tasks.update(admin, task_id, stale.version, title="saved first")
    activities, events = Activity.select().count(), Event.select().count()

    with pytest.raises(ConflictError) as conflict:
        tasks.update(admin, task_id, stale.version, title="saved second")

    assert conflict.value.conflicts == {"title": ("saved first", "saved second")}
    assert conflict.value.current_version == stale.version + 1
    assert (conflict.value.entity, conflict.value.entity_id) == ("task", task_id)
    assert tasks.get(task_id).row.title == "saved first"
    assert Task.get_by_id(task_id).version == stale.version + 1
    assert (Activity.select().count(), Event.select().count()) == (activities, events)


def test_a_stale_save_of_another_field_merges(admin, shared_tasks):
    task_id = shared_tasks[1]
    stale = tasks.get(task_id).row
    tasks.update(admin, task_id, stale.version, title="renamed")
    merged = tasks.update(admin, task_id, stale.version, priority="urgent").row
    assert (merged.title, merged.priority, merged.version) == ("renamed", "urgent",
                                                              stale.version + 2)


# --- races on shared rows: all processes start the same write at once, ROUNDS times --------


def race_in_child(url: str, action: str, index: int, barrier, results) -> None:
    """Child process: open the database, then in each round wait until everyone (the parent
    included) is ready, do `action` as process `index`, report the outcome, and wait for the
    parent to check the round."""
    desk_db.connect(url)
    for round_ in range(ROUNDS):
        barrier.wait(CHILD_TIMEOUT)
        try:
            outcome = RACES[action](index, round_)
        except Exception as error:  # reported to the parent, which fails the test with it
            outcome = f"{type(error).__name__}: {error}"
        results.put((round_, index, outcome))
        barrier.wait(CHILD_TIMEOUT)


def tag_a_new_task(index: int, round_: int) -> str:
    """Create a task with this round's new tag."""
    inbox = workspace.find_list("Inbox")
    tasks.create(agents.acting(), f"race {round_}.{index}", inbox.id, tags=[f"race{round_}"])
    return "ok"


def add_to_a_new_team(index: int, round_: int) -> str:
    """Add an agent to this round's new team."""
    agents.add(agents.acting(), f"agent{round_}x{index}", teams=(f"team{round_}",))
    return "ok"


def open_a_fresh_database(index: int, round_: int) -> str:
    """Open the (empty) database as account alice or bob; returns the role it got."""
    return agents.acting(ACCOUNTS[index]).role


def demote_the_other_admin(index: int, round_: int) -> str:
    """As alice (bob), demote bob (alice)."""
    agents.set_role(agents.acting(ACCOUNTS[index]), ACCOUNTS[1 - index], "agent")
    return "ok"


def save_a_shared_view(index: int, round_: int) -> str:
    """Save this round's shared view (each process with its own query)."""
    views.save(agents.acting(), "tasks", f"view{round_}", f"#p{index}", shared=True)
    return "ok"


ACCOUNTS = ("alice", "bob")
RACES = {"tag": tag_a_new_task, "team": add_to_a_new_team, "first use": open_a_fresh_database,
         "demote": demote_the_other_admin, "view": save_a_shared_view}


def race(url: str, action: str, processes: int, prepare, check) -> None:
    """Run `action` in `processes` children at once, ROUNDS times: before each round the
    parent calls prepare(round), after it check(round, outcomes by process)."""
    barrier = CHILDREN.Barrier(processes + 1)
    results = CHILDREN.Queue()
    children = [child_process(race_in_child, (url, action, k, barrier, results))
                for k in range(processes)]
    for child in children:
        child.start()
    try:
        for round_ in range(ROUNDS):
            prepare(round_)
            barrier.wait(CHILD_TIMEOUT)
            barrier.wait(CHILD_TIMEOUT)
            reports = [results.get(timeout=CHILD_TIMEOUT) for _ in children]
            check(round_, {index: outcome for _, index, outcome in sorted(reports)})
    finally:
        barrier.abort()
        for child in children:
            child.join(CHILD_TIMEOUT)


@pytest.mark.serial
def test_processes_creating_the_same_new_tag_all_succeed(db, db_url, admin):
    workspace.create_space(admin, "Work")
    workspace.create_list(admin, "Work", "Inbox")

    def check(round_: int, outcomes: dict[int, str]) -> None:
        """What must hold after every round."""
        assert set(outcomes.values()) == {"ok"}, outcomes
        (tag,) = Tag.select().where(Tag.name == f"race{round_}")
        assert TaskTag.select().where(TaskTag.tag == tag).count() == PROCESSES

    race(db_url, "tag", PROCESSES, lambda round_: None, check)


@pytest.mark.serial
def test_processes_adding_agents_to_the_same_new_team_all_succeed(db, db_url, admin):
    def check(round_: int, outcomes: dict[int, str]) -> None:
        """What must hold after every round."""
        assert set(outcomes.values()) == {"ok"}, outcomes
        (team,) = Team.select().where(Team.name == f"team{round_}")
        assert TeamMember.select().where(TeamMember.team == team).count() == PROCESSES
        created = Activity.select().where((Activity.entity == "team")
                                          & (Activity.entity_id == team.id))
        assert [(a.field, a.new) for a in created] == [("name", team.name)]

    race(db_url, "team", PROCESSES, lambda round_: None, check)


@pytest.mark.serial
def test_two_accounts_opening_a_fresh_database_make_one_admin(db, db_url):
    def prepare(round_: int) -> None:
        """What every round starts from."""
        for model in (Event, Activity, Agent):
            model.delete().execute()

    def check(round_: int, outcomes: dict[int, str]) -> None:
        """What must hold after every round."""
        (admin,) = Agent.select()
        assert admin.role == "admin"
        first = ACCOUNTS.index(admin.username)
        assert outcomes[first] == "admin"
        assert outcomes[1 - first].startswith(PermissionDenied.__name__), outcomes

    race(db_url, "first use", 2, prepare, check)


@pytest.mark.serial
def test_two_admins_demoting_each_other_leave_one_admin(db, db_url):
    alice = agents.acting("alice")
    agents.add(alice, "bob", role="admin")

    def prepare(round_: int) -> None:
        """What every round starts from."""
        Agent.update(role="admin").execute()

    def check(round_: int, outcomes: dict[int, str]) -> None:
        """What must hold after every round."""
        assert Agent.select().where(Agent.role == "admin").count() == 1
        assert sorted(outcome.split(":")[0] for outcome in outcomes.values()) == [
            PermissionDenied.__name__, "ok"], outcomes

    race(db_url, "demote", 2, prepare, check)


@pytest.mark.serial
def test_processes_saving_the_same_shared_view_make_one(db, db_url, admin):
    def check(round_: int, outcomes: dict[int, str]) -> None:
        """What must hold after every round."""
        assert set(outcomes.values()) == {"ok"}, outcomes
        (view,) = SavedView.select().where(SavedView.name == f"view{round_}")
        assert view.owner_id is None

    race(db_url, "view", PROCESSES, lambda round_: None, check)
