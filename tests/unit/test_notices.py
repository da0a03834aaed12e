"""Tests for desk.work.notices and desk.work.for_me: @mentions, follows and the For me list,
on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desk import sla
from desk.clock import utcnow
from desk.config import IntakeSettings, Settings
from desk.crm import clients
from desk.errors import NotFound, PermissionDenied
from desk.kernel import agents
from desk.models import Activity, Comment, Follow, Notice, Task
from desk.support import intake
from desk.work import comments, for_me, notices, tasks, workspace

HOSTILE = "\x1b]52;c;AAAA\x07 [bold]x[/] [@click=app.quit]y[/]"


@pytest.fixture
def list_id(admin) -> int:
    """The id of a list to put tasks on."""
    workspace.create_space(admin, "Work")
    return workspace.create_list(admin, "Work", "Jobs").id


@pytest.fixture
def ana(admin) -> agents.AgentRef:
    """An agent with a display name of two words."""
    return agents.add(admin, "ana", name="Ana Lima")


@pytest.fixture
def bo(admin) -> agents.AgentRef:
    """Another agent."""
    return agents.add(admin, "bo", name="Bo Tran")


@pytest.fixture
def task_id(admin, list_id) -> int:
    """A task nobody is assigned."""
    return tasks.create(admin, "Fix the invoice run", list_id).row.id


def listed(agent, **options) -> list[tuple]:
    """(task, kind, by, read, preview) of each row of the agent's For me, in order."""
    return [(row.task_id, row.kind, row.by, row.read, row.preview)
            for row in for_me.rows(agent, **options)]


def test_a_note_mentions_by_username_display_name_or_unique_first_name(admin, ana, bo,
                                                                       task_id):
    cyra = agents.add(admin, "cy", name="Cyra Vale")
    comments.note(admin, task_id, "@ANA and @BoTran, look; @cyra? mail ana@example.com")
    assert listed(ana) == [(task_id, "mention", admin.name, False,
                            "@ANA and @BoTran, look; @cyra? mail ana@example.com")]
    assert [row.kind for row in for_me.rows(bo)] == ["mention"]
    assert [row.kind for row in for_me.rows(cyra)] == ["mention"]
    other = tasks.create(admin, "Another", Task.get_by_id(task_id).task_list_id)
    agents.add(admin, "cyd", name="Cyra Moss")  # "Cyra" names two agents now: nobody
    comments.note(admin, other.row.id, "@cyra @nobody @ here")
    assert for_me.unread_count(cyra) == 1
    assert Notice.select().where(Notice.task == other.row.id).count() == 0


def test_the_note_is_stored_as_typed_and_its_activity_names_who_was_mentioned(
        admin, ana, task_id):
    body = f"@ana {HOSTILE}"
    comments.note(admin, task_id, body)
    assert Comment.get(Comment.task == task_id).body == body
    assert (Activity.get((Activity.entity == "task") & (Activity.field == "mentioned")).new
            == "ana")
    assert for_me.rows(ana)[0].preview == body  # as typed; the faces make it visible


def test_a_mention_makes_a_follower_and_followers_hear_of_replies_and_notes(
        admin, ana, bo, task_id):
    comments.note(admin, task_id, "@ana fyi")
    assert notices.is_following(ana, task_id)
    comments.reply(bo, task_id, "Done on our side.", email=False)
    assert notices.is_following(bo, task_id)  # a replier follows
    comments.note(ana, task_id, "thanks")
    assert [row.kind for row in for_me.rows(ana)] == ["reply", "mention"]  # not her own note
    assert [row.kind for row in for_me.rows(bo)] == ["note"]
    assert [row.kind for row in for_me.rows(admin)] == []  # the admin follows nothing


def test_a_requester_message_reaches_followers_and_its_at_words_mention_nobody(
        admin, ana, list_id):
    query = tasks.create(admin, "Login", list_id, kind="query",
                         sla_rules=sla.book(Settings())).row.id
    notices.set_following(ana, query, True)
    task = Task.get_by_id(query)
    rules = sla.book(Settings())
    intake.requester_wrote(admin, task, "Eve <eve@example.com>", "@admin open up",
                           None, intake.IntakeOptions.from_settings(IntakeSettings(), rules),
                           utcnow())
    assert listed(ana) == [(query, "message", "Eve <eve@example.com>", False,
                            "@admin open up")]
    assert for_me.rows(admin) == []


def test_assignment_notifies_the_new_assignees_once_and_they_follow(admin, ana, bo, list_id):
    created = tasks.create(admin, "Ship it", list_id, assignees=["ana", admin.username])
    task_id = created.row.id
    assert [row.kind for row in for_me.rows(ana)] == ["assigned"]
    assert for_me.rows(admin) == []  # assigning oneself is no news
    assert notices.is_following(admin, task_id) and notices.is_following(ana, task_id)
    tasks.update(admin, task_id, created.row.version, assignees=["ana", "bo", admin.username])
    assert [row.kind for row in for_me.rows(ana)] == ["assigned"]  # not again
    assert [(row.kind, row.by) for row in for_me.rows(bo)] == [("assigned", admin.name)]


def test_following_by_hand_toggles_and_is_audited(admin, ana, task_id):
    assert notices.toggle_following(ana, task_id) is True
    assert notices.set_following(ana, task_id, True) is False  # already: nothing written
    assert notices.toggle_following(ana, task_id) is False
    history = list(Activity.select(Activity.field, Activity.old, Activity.new, Activity.actor)
                   .where(Activity.entity == "follow").order_by(Activity.id).tuples())
    assert history == [("follower", None, "ana", "ana"), ("follower", "ana", None, "ana")]
    assert Follow.select().count() == 0
    with pytest.raises(NotFound, match="no task 999"):
        notices.set_following(ana, 999, True)


def test_a_viewer_is_told_of_mentions_but_changes_nothing(admin, task_id):
    viewer = agents.add(admin, "vic", role="viewer", name="Vic")
    comments.note(admin, task_id, "@vic news")
    assert for_me.unread_count(viewer) == 1
    with pytest.raises(PermissionDenied, match="vic is a viewer"):
        notices.set_following(viewer, task_id, False)
    with pytest.raises(PermissionDenied, match="vic is a viewer"):
        for_me.mark_read(viewer, task_id)
    assert for_me.unread_count(viewer) == 1 and notices.is_following(viewer, task_id)


def test_unread_first_then_newest_and_opening_marks_the_task_read(admin, ana, list_id):
    first = tasks.create(admin, "First", list_id).row.id
    second = tasks.create(admin, "Second", list_id).row.id
    comments.note(admin, first, "@ana one")
    comments.note(admin, second, "@ana two")
    comments.note(admin, first, "@ana three")
    assert [row.preview for row in for_me.rows(ana)] == ["@ana three", "@ana two", "@ana one"]
    assert for_me.mark_read(ana, first) == 2
    assert for_me.mark_read(ana, first) == 0
    assert [(row.preview, row.read) for row in for_me.rows(ana)] == [
        ("@ana two", False), ("@ana three", True), ("@ana one", True)]
    assert for_me.unread_count(ana) == 1
    assert Activity.get(Activity.entity == "notice").new == "2"


def test_read_notices_leave_the_default_list_after_a_week(admin, ana, task_id):
    comments.note(admin, task_id, "@ana old news")
    for_me.mark_read(ana, task_id, now=utcnow() - timedelta(days=for_me.RECENT_DAYS + 1))
    assert for_me.rows(ana) == []
    assert [row.preview for row in for_me.rows(ana, everything=True)] == ["@ana old news"]


def test_a_deleted_task_takes_its_notices_and_follows(admin, ana, task_id):
    comments.note(admin, task_id, "@ana gone soon")
    Task.delete().where(Task.id == task_id).execute()
    assert Notice.select().count() == 0 and Follow.select().count() == 0


def test_an_agent_added_by_mistake_and_mentioned_can_still_be_removed(admin, ana, task_id):
    comments.note(admin, task_id, "@ana welcome")  # a notice and a follow, no history of hers
    agents.remove(admin, "ana")
    assert Notice.select().count() == 0 and Follow.select().count() == 0


def test_a_confidential_clients_people_are_masked_in_for_me(admin, ana, list_id):
    secret = clients.create(admin, "Secret Co", "client", contact_person="Jane Hidden",
                            confidential=True).row.id
    task_id = tasks.create(admin, "Printer", list_id, client_id=secret).row.id
    comments.note(admin, task_id, "@ana call Jane Hidden back")
    assert [row.preview for row in for_me.rows(ana)] == ["@ana call (hidden) back"]
    assert [row.preview for row in for_me.rows(admin)] == []  # the admin sees it all anyway
    comments.note(ana, task_id, f"@{admin.username} Jane Hidden called")
    assert [row.preview for row in for_me.rows(admin)] == [
        f"@{admin.username} Jane Hidden called"]
