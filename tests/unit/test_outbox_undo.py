"""A reply held in the outbox for its undo window, taken back within it, and queued mail
cancelled or edited before it is sent, on both backends with a real SMTP server on loopback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from smtp_server import smtp_server
from test_outbox import NOW, STAMP, new_query, queued, settings_for

from desk.clock import to_utc
from desk.config import Settings
from desk.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from desk.kernel import agents
from desk.mail import delivery, outbox_edits
from desk.mail.outbox_edits import Read
from desk.models import Activity, Comment, Event, Outbox, QueryData
from desk.support import triage
from desk.work import comments, take_back, workspace


@pytest.fixture
def desk(admin):
    """A support list; its id."""
    workspace.create_space(admin, "Support")
    return workspace.create_list(admin, "Support", "Support inbox").id


def events() -> list[str]:
    """The kinds of the e-mail and comment events, oldest first."""
    return [kind for (kind,) in Event.select(Event.kind)
            .where(Event.kind.startswith("email.") | Event.kind.startswith("comment."))
            .order_by(Event.id).tuples()]


def test_the_undo_setting_defaults_to_thirty_seconds():
    assert Settings().smtp.undo_seconds == 30


def test_a_reply_waits_out_its_window_even_for_send_now_then_goes(admin, desk):
    task_id = new_query(admin, desk)
    comments.reply(admin, task_id, "We are on it.", now=NOW, hold_seconds=30)
    [mail] = Outbox.select()
    assert mail.next_attempt_at == STAMP + timedelta(seconds=30)
    with smtp_server() as server:
        settings = settings_for(server.port)
        assert delivery.deliver(settings, NOW + timedelta(seconds=29)).sent == []
        assert delivery.deliver(settings, NOW + timedelta(seconds=29), waiting_too=True).sent == []
        assert server.received == []
        assert delivery.deliver(settings, NOW + timedelta(seconds=30)).sent == [mail.id]
    assert len(server.received) == 1
    assert Outbox.get_by_id(mail.id).status == "sent"


def test_no_window_when_the_setting_is_zero(admin, desk):
    task_id = new_query(admin, desk)
    comments.reply(admin, task_id, "We are on it.", now=NOW, hold_seconds=0)
    [mail] = Outbox.select()
    assert mail.next_attempt_at is None
    assert take_back.held(admin, NOW) is None


def test_taking_back_a_reply_cancels_its_mail_and_returns_its_text(admin, desk):
    task_id = new_query(admin, desk)
    written = comments.reply(admin, task_id, "We are on it.", now=NOW, hold_seconds=30)
    reply = take_back.take_back(admin, NOW + timedelta(seconds=10))
    assert (reply.task_id, reply.comment_id, reply.body) == (task_id, written.id,
                                                            "We are on it.")
    assert Outbox.select().count() == 0
    assert Comment.select().where(Comment.kind == "reply").count() == 0
    assert [(a.field, a.old, a.new) for a in Activity.select().where(
        (Activity.entity == "task") & (Activity.entity_id == task_id)
        & Activity.field.in_(["email", "reply"])).order_by(Activity.id)][-2:] == [
        ("email", "queued", f"cancelled: ada@lovelace-labs.example: "
                            f"Re: Printer is jammed [#{task_id}]"),
        ("reply", "We are on it.", None)]
    assert events()[-2:] == ["email.cancelled", "comment.taken_back"]
    with pytest.raises(InvalidInput, match="no reply of yours is waiting to go out"):
        take_back.take_back(admin, NOW + timedelta(seconds=11))


def test_taking_back_a_first_reply_puts_the_query_back_as_it_was(admin, desk):
    task_id = new_query(admin, desk)
    comments.reply(admin, task_id, "We are on it.", now=NOW, hold_seconds=30)
    data = QueryData.get_by_id(task_id)
    assert (data.first_response_at, data.waiting_on) == (STAMP, "them")
    take_back.take_back(admin, NOW)
    data = QueryData.get_by_id(task_id)
    assert (data.first_response_at, data.waiting_on) == (None, "us")


def test_a_reply_taken_back_keeps_its_copies(admin, desk):
    task_id = new_query(admin, desk)
    comments.reply(admin, task_id, "We are on it.", now=NOW, hold_seconds=30,
                   cc=("ops@lovelace-labs.example",))
    assert take_back.take_back(admin, NOW).cc == ("ops@lovelace-labs.example",)


def test_a_reply_cannot_be_taken_back_after_its_window_or_by_someone_else(admin, desk):
    task_id = new_query(admin, desk)
    comments.reply(admin, task_id, "We are on it.", now=NOW, hold_seconds=30)
    other = agents.add(admin, "bob")
    assert take_back.held(other, NOW) is None
    with pytest.raises(InvalidInput, match="the undo window has passed"):
        take_back.take_back(admin, NOW + timedelta(seconds=30))
    assert Outbox.select().count() == 1
    assert Comment.select().where(Comment.kind == "reply").count() == 1


def test_queued_mail_is_cancelled_and_recorded(admin, desk):
    first, second = queued(admin, desk, 2)
    outbox_edits.cancel(admin, first, Read("Message 1", "Body 1"))
    assert [row.id for row in Outbox.select()] == [second]
    assert events()[-1] == "email.cancelled"
    with pytest.raises(NotFound, match=f"no e-mail {first} in the outbox"):
        outbox_edits.cancel(admin, first)
    viewer = agents.add(admin, "vera", role="viewer")
    with pytest.raises(PermissionDenied):
        outbox_edits.cancel(viewer, second)
    assert Outbox.select().count() == 1


def test_queued_mail_is_edited_at_what_was_read(admin, desk):
    [mail] = queued(admin, desk)
    outbox_edits.edit(admin, mail, Read("Message 1", "Body 1"), "Fixed subject", "Fixed body")
    row = Outbox.get_by_id(mail)
    assert (row.subject, row.body) == ("Fixed subject", "Fixed body")
    assert Activity.select().order_by(Activity.id.desc()).first().new == (
        "edited: ada@lovelace-labs.example: Fixed subject")
    with pytest.raises(ConflictError, match="was changed by someone else") as raised:
        outbox_edits.edit(admin, mail, Read("Message 1", "Body 1"), "Mine", "Mine")
    assert raised.value.conflicts == {"subject": ("Fixed subject", "Message 1"),
                                      "body": ("Fixed body", "Body 1")}
    with pytest.raises(InvalidInput, match="the subject must be one line"):
        outbox_edits.edit(admin, mail, Read("Fixed subject", "Fixed body"), "a\nBcc: x", "b")
    with pytest.raises(InvalidInput, match="subject and text cannot be empty"):
        outbox_edits.edit(admin, mail, Read("Fixed subject", "Fixed body"), "ok", "  ")
    row = Outbox.get_by_id(mail)
    assert (row.subject, row.body) == ("Fixed subject", "Fixed body")


def test_mail_the_sender_took_or_sent_cannot_be_changed(admin, desk):
    claimed, sent = queued(admin, desk, 2)
    Outbox.update(sending_since=STAMP).where(Outbox.id == claimed).execute()
    read = Read("Message 1", "Body 1")
    with pytest.raises(InvalidInput, match=f"e-mail {claimed} is being sent right now; "
                                           "nothing changed"):
        outbox_edits.edit(admin, claimed, read, "New", "New")
    with pytest.raises(InvalidInput, match="being sent right now"):
        outbox_edits.cancel(admin, claimed, read)
    with smtp_server() as server:
        delivery.deliver(settings_for(server.port), NOW)
    with pytest.raises(InvalidInput, match=f"e-mail {sent} was sent at 2026-11-20 09:00 UTC"):
        outbox_edits.cancel(admin, sent, Read("Message 2", "Body 2"))
    assert [(row.id, row.subject, row.status) for row in Outbox.select().order_by(Outbox.id)] == [
        (claimed, "Message 1", "queued"), (sent, "Message 2", "sent")]


def test_a_reply_to_several_queries_is_held_and_taken_back_one_by_one(admin, desk):
    first, second = new_query(admin, desk, "First"), new_query(admin, desk, "Second")
    before = datetime.now(UTC)  # a reply made in triage is written now
    summary = triage.apply(admin, triage.Target(frozenset({first, second})),
                           hold_seconds=30, reply="Thanks, looking.")
    assert summary.changed == (first, second)
    for mail in Outbox.select():
        assert timedelta(seconds=30) <= mail.next_attempt_at - to_utc(before) < timedelta(
            seconds=40)
    later = before + timedelta(seconds=5)
    assert take_back.take_back(admin, later).task_id == second
    assert take_back.take_back(admin, later).task_id == first
    assert Outbox.select().count() == Comment.select().where(Comment.kind == "reply").count() == 0
