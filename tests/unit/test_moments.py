"""Recording history: the services write a change at the moment given (`now=`), its activity
and event included, as the demo workspace builds its past year; a reply can be stored without
e-mailing it; an order's fulfilled and invoiced times are order data; an agent who exists
can join teams."""

from __future__ import annotations

from datetime import datetime

import pytest

from desk import sla
from desk.config import Settings
from desk.crm import clients, interactions
from desk.errors import InvalidInput, PermissionDenied
from desk.kernel import agents
from desk.models import Activity, Event, Interaction, Outbox, QueryData, Task
from desk.support import csat, intake
from desk.work import checklists, comments, orders, tasks, workspace

MONDAY = datetime(2025, 3, 3, 9, 15)
TUESDAY = datetime(2025, 3, 4, 14, 40)


@pytest.fixture
def list_id(admin) -> int:
    """The id of a helpdesk list."""
    workspace.create_space(admin, "Support")
    return workspace.create_list(admin, "Support", "Support inbox", (
        ("New", "open"), ("Open", "active"), ("Resolved", "done"))).id


def moments(entity: str, entity_id: int, *fields: str) -> set[datetime]:
    """When the activity of a row says its `fields` changed."""
    return {at for (at,) in Activity.select(Activity.at).where(
        (Activity.entity == entity) & (Activity.entity_id == entity_id)
        & Activity.field.in_(fields)).tuples()}


def test_a_task_is_created_and_changed_at_the_moments_given(admin, list_id):
    created = tasks.create(admin, "Printer jam", list_id, priority="high", now=MONDAY)
    task_id = created.row.id

    done = tasks.update(admin, task_id, created.row.version, status="Resolved", now=TUESDAY)

    stored = Task.get_by_id(task_id)
    assert (stored.created_at, stored.updated_at, stored.closed_at) == (MONDAY, TUESDAY, TUESDAY)
    assert done.row.version == 2
    assert moments("task", task_id, "title", "priority") == {MONDAY}
    assert moments("task", task_id, "status") == {MONDAY, TUESDAY}  # set, then changed
    events = dict(Event.select(Event.kind, Event.at).where(
        (Event.entity == "task") & (Event.entity_id == task_id)).tuples())
    assert events == {"task.created": MONDAY, "task.status_changed": TUESDAY}


def test_a_query_and_its_conversation_are_recorded_when_they_happened(admin, list_id):
    acme = clients.create(admin, "Acme", kind="client", email="ops@acme.example",
                          now=MONDAY).row
    options = intake.IntakeOptions(sla_rules=sla.book(Settings()))
    task_id = intake.create_query(admin, options, "Cannot log in", "Help", acme.id, "normal",
                                  {"requester_email": "ops@acme.example", "channel": "email"},
                                  now=MONDAY)

    reply = comments.reply(admin, task_id, "Reset it for you.", email=False, now=TUESDAY)
    intake.add_message(admin, task_id, "message", "Ops", "Thanks!", None, TUESDAY)
    intake.wait_on_us(admin, task_id, now=TUESDAY)
    csat.record(admin, task_id, 5, "Quick", now=TUESDAY)

    assert Outbox.select().count() == 0
    assert (reply.mailed_to, reply.not_mailed) == ("", comments.NOT_EMAILED)
    data = QueryData.get_by_id(task_id)
    assert (data.first_response_at, data.waiting_on, data.csat_score) == (TUESDAY, "us", 5)
    assert moments("task", task_id, "channel") == {MONDAY}
    assert moments("task", task_id, "reply", "message", "waiting_on", "csat_score") == {TUESDAY}
    [touch] = Interaction.select().where(Interaction.client == acme.id)
    assert (touch.kind, touch.occurred_at) == ("reply", TUESDAY)
    assert clients.get(acme.id, admin).row.last_contact_at == TUESDAY
    assert moments("client", acme.id, "name") == {MONDAY}
    assert moments("client", acme.id, "last_contact_at") == {TUESDAY}


def test_an_interaction_cannot_have_happened_after_it_was_logged(admin):
    acme = clients.create(admin, "Acme", kind="client", now=MONDAY).row

    with pytest.raises(InvalidInput, match="in the future"):
        interactions.log(admin, acme.id, "call", occurred_at=TUESDAY, now=MONDAY)

    logged = interactions.log(admin, acme.id, "call", occurred_at=MONDAY, now=TUESDAY)
    assert logged.occurred_at == MONDAY
    assert moments("client", acme.id, "last_contact_at") == {TUESDAY}


def test_a_client_changes_stage_at_the_moment_given(admin):
    acme = clients.create(admin, "Acme", kind="client", lifecycle_stage="active", now=MONDAY)

    clients.update(admin, acme.row.id, acme.row.version, lifecycle_stage="churned",
                   now=TUESDAY)

    changes = list(Activity.select(Activity.old, Activity.new, Activity.at).where(
        (Activity.entity == "client") & (Activity.field == "lifecycle_stage"))
        .order_by(Activity.id).tuples())
    assert changes == [(None, "active", MONDAY), ("active", "churned", TUESDAY)]


def test_an_order_records_when_it_was_fulfilled_and_invoiced(admin):
    workspace.create_space(admin, "Sales")
    workspace.create_list(admin, "Sales", "Orders", (("Received", "open"), ("Done", "done")))
    checklists.create_template(admin, "Setup", ["Unpack", "Install"])
    orders.create_product(admin, "Laptop", unit_price="1000.00", checklist_template="Setup")
    acme = clients.create(admin, "Acme", kind="client").row
    order = orders.create_order(admin, acme.id, "Laptop", 1, now=MONDAY)
    task_id = order.task.row.id
    [checklist] = checklists.for_task(task_id)

    checklists.set_done(admin, checklist.items[0].id, checklist.items[0].version, True,
                        now=TUESDAY)
    info = orders.update_order(admin, task_id, order.task.row.version, now=TUESDAY,
                               fulfilled_at=TUESDAY, invoiced_at=TUESDAY)

    assert (info.fulfilled_at, info.invoiced_at) == (TUESDAY, TUESDAY)
    assert checklists.for_task(task_id)[0].progress == (1, 2)
    assert Task.get_by_id(task_id).version == order.task.row.version + 1
    assert moments("task", task_id, "product") == {MONDAY}
    assert moments("task", task_id, "fulfilled_at", "invoiced_at") == {TUESDAY}
    assert moments("task", task_id, "checklist") == {MONDAY, TUESDAY}  # applied, ticked
    assert Interaction.get(Interaction.task == task_id).occurred_at == MONDAY
    with pytest.raises(InvalidInput, match="fulfilled at must be a date and time"):
        orders.update_order(admin, task_id, Task.get_by_id(task_id).version,
                            fulfilled_at="yesterday")


def test_an_agent_who_exists_joins_teams(admin):
    maria = agents.add(admin, "maria", teams=("Support",), now=MONDAY)

    joined = agents.join_teams(admin, admin.username, ("Support", "Accounts", "Support"))

    assert joined == ("Accounts", "Support")
    assert agents.join_teams(admin, admin.username, ("Support",)) == ()
    teams = {row["username"]: sorted(row["teams"]) for row in agents.listing()}
    assert teams == {admin.username: ["Accounts", "Support"], "maria": ["Support"]}
    assert agents.find("maria").created_at == MONDAY
    with pytest.raises(PermissionDenied):
        agents.join_teams(maria, "maria", ("Accounts",))
