"""Tests for desk.work.comments: append-only replies and notes, and what a reply touches."""

from __future__ import annotations

import json

import pytest

from desk import sla
from desk.config import Settings
from desk.crm import clients
from desk.errors import InvalidInput, NotFound, PermissionDenied
from desk.kernel import agents, audit, search
from desk.models import Activity, Client, Comment, Event, Interaction, QueryData
from desk.work import comments, tasks, workspace

SLA_RULES = sla.book(Settings())  # the shipped SLA rules
HOSTILE = "\x1b]52;c;AAAA\x07 [/] [@click=app.quit]x[/]"


@pytest.fixture
def list_id(admin) -> int:
    """The id of a list to put tasks on."""
    workspace.create_space(admin, "Support")
    return workspace.create_list(admin, "Support", "Queries").id


@pytest.fixture
def acme(admin) -> clients.ClientRow:
    """A client that was never contacted."""
    return clients.create(admin, "Acme", kind="client").row


@pytest.fixture
def query(admin, list_id, acme) -> int:
    """The id of a support query of Acme with its query data."""
    task = tasks.create(admin, "Cannot log in", list_id, kind="query", client_id=acme.id,
                        sla_rules=SLA_RULES)
    (QueryData.update(requester_email="ops@acme.example")
     .where(QueryData.task == task.row.id).execute())
    return task.row.id


def task_activity(task_id: int) -> list[tuple[str, str | None]]:
    """(field, new) of the task's activity rows about comments, oldest first."""
    query = (Activity.select(Activity.field, Activity.new)
             .where((Activity.entity == "task") & (Activity.entity_id == task_id)
                    & Activity.field.in_(["reply", "note"]))
             .order_by(Activity.id))
    return list(query.tuples())


def test_replies_and_notes_are_listed_oldest_first(admin, query):
    comments.reply(admin, query, "We are looking into it.")
    comments.note(admin, query, "Probably the SSO change.")
    listed = comments.for_task(query)
    assert [(c.kind, c.author, c.body) for c in listed] == [
        ("reply", admin.username, "We are looking into it."),
        ("note", admin.username, "Probably the SSO change."),
    ]
    assert task_activity(query) == [("reply", "We are looking into it."),
                                     ("note", "Probably the SSO change.")]
    events = [json.loads(e.data) for e in Event.select().where(Event.kind == "comment.added")
              .order_by(Event.id)]
    assert [(e["kind"], e["task_id"]) for e in events] == [("reply", query), ("note", query)]


def test_activity_keeps_the_first_200_characters(admin, query):
    comments.note(admin, query, "x" * 250)
    assert task_activity(query) == [("note", "x" * 200)]
    assert Comment.get().body == "x" * 250


def test_a_reply_moves_the_client_clock_and_logs_an_interaction(admin, query, acme):
    row = comments.reply(admin, query, "Fixed, please try again.")
    assert Client.get_by_id(acme.id).last_contact_at == row.created_at
    interaction = Interaction.get()
    assert (interaction.kind, interaction.task_id, interaction.client_id) == (
        "reply", query, acme.id)


def test_a_note_does_not_touch_the_client(admin, query, acme):
    comments.note(admin, query, "Internal only.")
    assert Client.get_by_id(acme.id).last_contact_at is None
    assert Client.get_by_id(acme.id).version == acme.version
    assert Interaction.select().count() == 0
    data = QueryData.get_by_id(query)
    assert (data.first_response_at, data.waiting_on) == (None, "us")


def test_a_reply_sets_the_first_response_once(admin, query):
    first = comments.reply(admin, query, "First answer.")
    data = QueryData.get_by_id(query)
    assert (data.first_response_at, data.waiting_on) == (first.created_at, "them")
    QueryData.update(waiting_on="us").where(QueryData.task == query).execute()
    comments.reply(admin, query, "Second answer.")
    data = QueryData.get_by_id(query)
    assert (data.first_response_at, data.waiting_on) == (first.created_at, "them")


def test_a_reply_records_what_it_changes_in_the_query_data(admin, query):
    first = comments.reply(admin, query, "First answer.")
    assert query_activity(query) == [("first_response_at", None, audit.as_text(
        first.created_at)), ("waiting_on", "us", "them")]
    fields = json.loads(Event.select().where(Event.kind == "comment.added").get().data)["fields"]
    assert set(fields) == {"reply", "first_response_at", "waiting_on"}

    comments.reply(admin, query, "Second answer.")  # changes nothing in the query data
    assert len(query_activity(query)) == 2
    QueryData.update(waiting_on="us").where(QueryData.task == query).execute()
    comments.reply(admin, query, "Third answer.")
    assert query_activity(query)[2:] == [("waiting_on", "us", "them")]


def query_activity(task_id: int) -> list[tuple[str, str | None, str | None]]:
    """(field, old, new) of the task's activity rows about its query data, oldest first."""
    return list(Activity.select(Activity.field, Activity.old, Activity.new)
                .where((Activity.entity == "task") & (Activity.entity_id == task_id)
                       & Activity.field.in_(["first_response_at", "waiting_on"]))
                .order_by(Activity.id).tuples())


def test_a_query_created_by_the_service_gets_its_query_data(admin, list_id):
    query = tasks.create(admin, "Printer jam", list_id, kind="query", sla_rules=SLA_RULES).row.id
    data = QueryData.get_by_id(query)
    assert (data.first_response_at, data.waiting_on) == (None, "us")
    first = comments.reply(admin, query, "On my way.")
    assert QueryData.get_by_id(query).first_response_at == first.created_at


def test_a_reply_on_a_task_without_client_or_query_data(admin, list_id):
    task = tasks.create(admin, "Internal chore", list_id).row
    comments.reply(admin, task.id, "Done.")
    assert Interaction.select().count() == 0
    assert QueryData.select().count() == 0
    assert [c.kind for c in comments.for_task(task.id)] == ["reply"]


def test_comments_are_append_only():
    for name in ("update", "edit", "delete", "remove", "change", "set_body"):
        assert not hasattr(comments, name)


def test_the_body_is_stored_exactly_as_typed(admin, query):
    comments.reply(admin, query, HOSTILE)
    assert Comment.get().body == HOSTILE
    assert comments.for_task(query)[0].body == HOSTILE


def test_search_finds_a_task_by_a_word_of_its_comment(admin, query):
    assert search.find("xylophone") == []
    comments.note(admin, query, "The customer plays the xylophone at night.")
    assert [(hit.kind, hit.id) for hit in search.find("xylophone")] == [("task", query)]


@pytest.mark.parametrize(("body", "message"), [
    ("  \n\t ", "a comment cannot be empty"),
    ("a\x00b", "a comment cannot contain a NUL character"),
    (None, "a comment must be text, not None"),
])
def test_bad_bodies_are_refused_and_write_nothing(admin, query, body, message):
    with pytest.raises(InvalidInput) as caught:
        comments.reply(admin, query, body)
    assert str(caught.value) == message
    assert Comment.select().count() == 0
    assert QueryData.get_by_id(query).first_response_at is None


def test_unknown_tasks_and_viewers_are_refused(admin, query):
    vera = agents.add(admin, "vera", role="viewer")
    with pytest.raises(NotFound, match="no task 999"):
        comments.note(admin, 999, "hello")
    with pytest.raises(PermissionDenied):
        comments.reply(vera, query, "hello")
    assert Comment.select().count() == 0


def test_a_reply_moves_a_new_query_to_open_once_and_nothing_else(admin):
    workspace.create_space(admin, "Helpdesk")
    helpdesk = workspace.create_list(admin, "Helpdesk", "Support inbox", (
        ("New", "open"), ("Open", "active"), ("Waiting on customer", "active"),
        ("Resolved", "done")))
    query = tasks.create(admin, "Printer jam", helpdesk.id, kind="query",
                         sla_rules=SLA_RULES).row.id
    plain = tasks.create(admin, "Order toner", helpdesk.id).row.id
    assert tasks.get(query).row.status == "New"

    comments.reply(admin, query, "On my way.", email=False)
    comments.note(admin, plain, "Internal only.")
    comments.reply(admin, plain, "Ordered.", email=False)

    assert (tasks.get(query).row.status, tasks.get(plain).row.status) == ("Open", "New")
    moved = (Activity.select(Activity.old, Activity.new, Activity.actor)
             .where((Activity.entity_id == query) & (Activity.field == "status"))
             .order_by(Activity.id).tuples())
    assert list(moved)[1:] == [("New", "Open", admin.username)]  # after its creation
    tasks.update(admin, query, tasks.get(query).row.version, status="Waiting on customer")
    comments.reply(admin, query, "Any news?", email=False)  # started already: it stays
    assert tasks.get(query).row.status == "Waiting on customer"
