"""Merging support queries: everything of the others moves to the kept query in one
transaction, the others are closed with a note, answers to their mail thread to the kept one,
and wrong requests change nothing. Also `desk merge`."""

from __future__ import annotations

import json
from datetime import datetime
from email.message import EmailMessage

import pytest

from desk import sla
from desk.config import Settings
from desk.crm import clients
from desk.errors import InvalidInput, NotFound, PermissionDenied
from desk.kernel import agents, search
from desk.models import (
    Activity,
    Attachment,
    Comment,
    Event,
    Interaction,
    MailMessage,
    Outbox,
    QueryData,
    Task,
)
from desk.support import intake, merge
from desk.support.intake import IntakeOptions
from desk.work import comments, tasks, workspace

SLA_RULES = sla.book(Settings())  # the shipped SLA rules
NOW = datetime(2026, 11, 19, 9, 0)  # naive UTC, as stored
HELPDESK = (("New", "open"), ("Open", "active"), ("Waiting on customer", "active"),
            ("Resolved", "done"), ("Closed", "closed"))


def mail(subject: str, message_id: str, body: str, *, in_reply_to: str | None = None,
         attachment: bytes | None = None) -> bytes:
    """An e-mail from Ada Lovelace of Lovelace Labs."""
    message = EmailMessage()
    message["From"] = "Ada Lovelace <ada@lovelace-labs.example>"
    message["To"] = "support@desk.example"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    message.set_content(body)
    if attachment is not None:
        message.add_attachment(attachment, maintype="text", subtype="plain",
                               filename="printer-log.txt")
    return message.as_bytes()


@pytest.fixture
def desk(db, admin, tmp_path):
    """Three queries about one printer from Lovelace Labs: #1 by e-mail, #2 by e-mail with an
    attachment, an internal note and a reply (mailed through the outbox), #3 by phone.
    Returns (admin, options, ids)."""
    workspace.create_space(admin, "Support")
    inbox = workspace.create_list(admin, "Support", "Support inbox", HELPDESK).id
    client = clients.create(admin, "Lovelace Labs", "client",
                            email="info@lovelace-labs.example").row.id
    options = IntakeOptions(attachments_root=tmp_path / "files", sla_rules=SLA_RULES)
    first = intake.take_mail(admin, mail("Printer prints blank pages", "<one@lovelace.example>",
                                         "The printer on floor 2 prints blank pages."),
                             "one.eml", options, now=NOW).task_id
    second = intake.take_mail(admin, mail("Printer still blank", "<two@lovelace.example>",
                                          "Still blank, log attached.", attachment=b"E42 toner"),
                              "two.eml", options, now=NOW).task_id
    comments.note(admin, second, "Toner looks empty.")
    comments.reply(admin, second, "We are sending a technician.")
    third = tasks.create(admin, "Phone: printer jam", inbox, kind="query", client_id=client,
                         description="Ada called: the printer jams as well.",
                         sla_rules=SLA_RULES).row.id
    return admin, options, {"first": first, "second": second, "third": third}


def bodies(task_id: int) -> list[tuple[str, str]]:
    """(kind, body) of a task's comments, oldest first."""
    return [(row.kind, row.body) for row in comments.for_task(task_id)]


def test_merge_moves_everything_to_the_kept_query_and_closes_the_others(desk):
    admin, _, ids = desk
    first, second, third = ids["first"], ids["second"], ids["third"]
    before = {name: column.model.select().where(column == second).count()
              for name, column in merge.MOVED}
    # #2's interactions: the e-mail taken in and the reply (a note touches nobody)
    assert before == {"attachments": 1, "interactions": 2, "mails": 1, "outbox": 1}

    merged = merge.merge(admin, first, [third, second])

    assert (merged.keep_id, merged.merged) == (first, (second, third))
    assert merged.moved == {"comments": 2, "attachments": 1, "interactions": 2, "mails": 1,
                            "outbox": 1}  # the phone query #3 had only its description
    assert merged.summary() == ("2 comments, 1 attachment, 2 interactions, 1 e-mail taken in, "
                                "1 outgoing e-mail")
    assert bodies(first) == [
        ("note", "Toner looks empty."),
        ("reply", "We are sending a technician."),
        ("message", f"[merged from #{second}: Printer still blank]\n\nStill blank, log "
                    "attached.\n\nAttachments:\n- printer-log.txt (9 B)"),
        ("message", f"[merged from #{third}: Phone: printer jam]\n\nAda called: the printer "
                    "jams as well."),
    ]
    for model in (Attachment, MailMessage, Outbox):
        assert {row.task_id for row in model.select()} == {first}
    assert Interaction.select().where(Interaction.task.in_([second, third])).count() == 0
    for other in (second, third):
        task = Task.get_by_id(other)
        assert (task.status.name, task.category, task.closed_at is not None) == (
            "Closed", "closed", True)
        assert bodies(other) == [("note", f"merged into #{first}")]
    # the reply on #2 had left it waiting on the requester; #3 (new) waits on us: so does #1
    assert QueryData.get(QueryData.task == first).waiting_on == "us"
    merged_row = Activity.get((Activity.entity_id == first) & (Activity.field == "merged"))
    assert (merged_row.new, merged_row.actor) == (f"#{second}, #{third}", admin.username)
    event = Event.get((Event.kind == "task.merged") & (Event.entity_id == first))
    assert json.loads(event.data)["merged"] == [second, third]
    assert [hit.id for hit in search.find("technician")] == [first]


def test_an_answer_to_a_merged_query_threads_to_the_kept_one(desk):
    admin, options, ids = desk
    merge.merge(admin, ids["first"], [ids["second"]])
    outcome = intake.take_mail(admin, mail("Re: Printer still blank", "<three@lovelace.example>",
                                           "Any news?", in_reply_to="<two@lovelace.example>"),
                               "three.eml", options, now=NOW)
    assert (outcome.outcome, outcome.task_id) == ("comment", ids["first"])
    assert bodies(ids["first"])[-1] == ("message", "Any news?")


@pytest.mark.parametrize(("keep", "others", "error", "message"), [
    ("first", ["first", "second"], InvalidInput, "query {first} cannot be merged into itself"),
    ("first", [], InvalidInput, "name at least one other query to merge"),
    ("first", [999], NotFound, "no task 999"),
    ("first", ["task"], InvalidInput, "task {task} is not a support query; only queries merge"),
    ("done", ["first"], InvalidInput,
     "query {done} is done: keep an open query, or reopen it first"),
])
def test_wrong_merges_are_refused_and_change_nothing(desk, keep, others, error, message):
    admin, _, ids = desk
    inbox = Task.get_by_id(ids["first"]).task_list_id
    ids["task"] = tasks.create(admin, "Not a query", inbox).row.id
    done = tasks.create(admin, "Old query", inbox, kind="query", sla_rules=SLA_RULES).row.id
    ids["done"] = tasks.update(admin, done, 1, status="Resolved").row.id
    comments_before = Comment.select().count()
    with pytest.raises(error) as raised:
        merge.merge(admin, ids[keep], [ids.get(other, other) for other in others])
    assert str(raised.value) == message.format(**ids)
    assert Comment.select().count() == comments_before
    assert Task.select().where(Task.category == "closed").count() == 0


def test_a_viewer_cannot_merge(desk):
    admin, _, ids = desk
    viewer = agents.add(admin, "vera", role="viewer")
    with pytest.raises(PermissionDenied):
        merge.merge(viewer, ids["first"], [ids["second"]])
    assert Task.get_by_id(ids["second"]).closed_at is None


def test_candidates_are_oldest_first_and_find_matches_open_queries(desk):
    admin, _, ids = desk
    Task.update(created_at=datetime(2026, 11, 1)).where(Task.id == ids["third"]).execute()
    assert [c.id for c in merge.candidates([ids["first"], ids["third"]])] == [
        ids["third"], ids["first"]]
    assert [c.title for c in merge.find("printer", exclude=[ids["first"]])] == [
        "Phone: printer jam", "Printer still blank"]
    assert [c.id for c in merge.find(f"#{ids['second']}")] == [ids["second"]]
    merge.merge(admin, ids["first"], [ids["second"]])
    assert [c.id for c in merge.find("printer")] == [ids["third"], ids["first"]]


def test_desk_merge_on_the_command_line(db_url, run_desk, monkeypatch):
    monkeypatch.setenv("DESK_DATABASE", db_url)
    run_desk("migrate")
    admin = agents.acting()
    workspace.create_space(admin, "Support")
    inbox = workspace.create_list(admin, "Support", "Support inbox", HELPDESK).id
    keep = tasks.create(admin, "Printer", inbox, kind="query", sla_rules=SLA_RULES).row.id
    other = tasks.create(admin, "Printer again", inbox, kind="query",
                         description="Same printer.", sla_rules=SLA_RULES).row.id
    comments.note(admin, other, "Checked the cable.")
    status, out, err = run_desk("merge", str(keep), str(other))
    assert (status, out, err) == (0, f"merged #{other} into #{keep} (moved 1 comment) and "
                                     "closed them\n", "")
    status, _, err = run_desk("merge", str(keep), str(keep))
    assert (status, err) == (1, f"desk: query {keep} cannot be merged into itself\n")
