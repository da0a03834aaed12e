"""desk.kernel.drafts: what an agent typed and has not saved is kept per agent and editor,
given back only to them, refused when no database could store it, and never exported or
recorded as a change."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from desk.crm import clients
from desk.errors import InvalidInput, PermissionDenied
from desk.kernel import agents, drafts
from desk.models import Activity, Draft
from desk.work import checklists, tasks, workspace

MOMENT = datetime(2026, 11, 20, 14, 2, tzinfo=UTC)


@pytest.fixture
def task_id(admin) -> int:
    """A task to write about."""
    workspace.create_space(admin, "Support")
    list_id = workspace.create_list(admin, "Support", "Queries").id
    return tasks.create(admin, "Printer jams", list_id).row.id


@pytest.fixture
def bea(admin) -> agents.AgentRef:
    """A second agent."""
    return agents.add(admin, "bea", role="agent", name="Bea")


def stored_texts() -> list[str]:
    """Every draft text in the database."""
    return [text for (text,) in Draft.select(Draft.text).tuples()]


def test_a_draft_is_kept_replaced_and_given_back(admin, task_id):
    drafts.save(admin, "reply", task_id, "Dear Ana,", now=MOMENT)
    kept = drafts.save(admin, "reply", task_id, "Dear Ana, the printer", now=MOMENT)
    assert kept.updated_at == datetime(2026, 11, 20, 14, 2)  # stored as naive UTC
    loaded = drafts.load(admin, "reply", task_id)
    assert (loaded.text, loaded.updated_at) == ("Dear Ana, the printer", kept.updated_at)
    assert stored_texts() == ["Dear Ana, the printer"]  # one row per agent, kind and task
    assert drafts.load(admin, "note", task_id) is None  # the note editor has its own


def test_discarding_deletes_the_draft(admin, task_id):
    drafts.save(admin, "note", task_id, "call them back")
    assert drafts.discard(admin, "note", task_id) is True
    assert drafts.load(admin, "note", task_id) is None
    assert drafts.discard(admin, "note", task_id) is False
    assert stored_texts() == []


def test_two_agents_drafts_on_one_task_are_separate_and_private(admin, bea, task_id):
    drafts.save(admin, "reply", task_id, "mine")
    drafts.save(bea, "reply", task_id, "hers")
    assert drafts.load(admin, "reply", task_id).text == "mine"
    assert drafts.load(bea, "reply", task_id).text == "hers"
    drafts.discard(bea, "reply", task_id)
    assert drafts.load(admin, "reply", task_id).text == "mine"  # only her own went
    assert drafts.listing(bea) == []
    assert [row.text for row in drafts.listing(admin)] == ["mine"]


@pytest.mark.parametrize(("text", "says"), [
    ("before\x00after", "a draft reply cannot contain a NUL character"),
    ("lone \ud800 surrogate", "a draft reply contains a character that cannot be stored"),
])
def test_text_no_database_stores_is_refused_and_the_old_draft_stays(admin, task_id, text,
                                                                     says):
    drafts.save(admin, "reply", task_id, "kept")
    with pytest.raises(InvalidInput, match=says):
        drafts.save(admin, "reply", task_id, text)
    assert stored_texts() == ["kept"]


def test_hostile_text_is_kept_exactly(admin, task_id):
    text = "\x1b]52;c;AAAA\x07 [/] [@click=app.quit]x[/] \u202e"
    drafts.save(admin, "description", task_id, text)
    assert drafts.load(admin, "description", task_id).text == text


def test_a_viewer_keeps_no_drafts(admin, task_id):
    viewer = agents.add(admin, "vic", role="viewer")
    with pytest.raises(PermissionDenied, match="viewer"):
        drafts.save(viewer, "note", task_id, "hello")
    assert stored_texts() == []


def test_an_agent_disabled_meanwhile_can_neither_keep_nor_read_drafts(admin, bea, task_id):
    drafts.save(bea, "note", task_id, "before")
    agents.set_disabled(admin, "bea", True)
    with pytest.raises(PermissionDenied, match="disabled"):
        drafts.save(bea, "note", task_id, "after")
    with pytest.raises(PermissionDenied, match="disabled"):
        drafts.load(bea, "note", task_id)
    assert stored_texts() == ["before"]


def test_an_unknown_kind_is_refused(admin, task_id):
    with pytest.raises(InvalidInput, match="a draft is for one of reply, note"):
        drafts.save(admin, "title", task_id, "x")
    assert stored_texts() == []


def test_keeping_a_draft_is_not_a_change(admin, task_id):
    before = Activity.select().count()
    drafts.save(admin, "description", task_id, "new words")
    drafts.discard(admin, "description", task_id)
    assert Activity.select().count() == before
    assert tasks.get(task_id).description == ""


def test_the_listing_says_where_each_draft_belongs_newest_first(admin, task_id):
    acme = clients.create(admin, "Acme", kind="client").row
    setup = checklists.create_template(admin, "Set-up", ["Unpack"])
    drafts.save(admin, "reply", task_id, "older", now=MOMENT)
    drafts.save(admin, "client_notes", acme.id, "newer", now=MOMENT.replace(hour=15))
    drafts.save(admin, "template", setup, "Unpack\nPlug in", now=MOMENT.replace(hour=16))
    drafts.save(admin, "note", 999_999, "on a task that is gone")
    drafts.save(admin, "client_notes", 999_999, "on a client that does not exist")
    assert [(row.kind, row.where, row.text) for row in drafts.listing(admin)] == [
        ("template", "Set-up", "Unpack\nPlug in"), ("client_notes", "Acme", "newer"),
        ("reply", f"#{task_id} Printer jams", "older")]


def test_an_agent_with_only_drafts_can_be_removed_and_the_drafts_go(admin, bea, task_id):
    drafts.save(bea, "reply", task_id, "never sent")
    agents.remove(admin, "bea")
    assert stored_texts() == []


def test_an_export_leaves_drafts_out(tmp_path, run_desk, monkeypatch):
    monkeypatch.setenv("DESK_DATABASE", f"sqlite:///{tmp_path / 'desk.db'}")
    assert run_desk("init")[0] == 0
    admin = agents.acting()
    workspace.create_space(admin, "Support")
    list_id = workspace.create_list(admin, "Support", "Queries").id
    task = tasks.create(admin, "Printer jams", list_id).row.id
    drafts.save(admin, "description", task, "SECRET-DRAFT-TEXT")
    status, out, _ = run_desk("export", "tasks", "--format", "json")
    assert status == 0
    assert [row["title"] for row in json.loads(out)] == ["Printer jams"]
    assert "SECRET-DRAFT-TEXT" not in out
