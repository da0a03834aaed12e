"""`desk forme`, `desk follow` and `desk unfollow`, run as a person would: the list (table and
JSON, hostile text made visible), read ones kept out unless --all, and the refusals."""

from __future__ import annotations

import json

import pytest

from desk.kernel import agents
from desk.work import comments, for_me, notices, tasks, workspace

HOSTILE = "\x1b]52;c;AAAA\x07 [bold]x[/] [@click=app.quit]y[/]"


@pytest.fixture
def desk(migrated_url, run_desk, monkeypatch):
    """Run `desk ARGS...` as the admin (this OS account) on a workspace where Ana mentioned
    them in a note on task 1 ("Printer") and assigned them task 2."""
    monkeypatch.setenv("DESK_DATABASE", migrated_url)
    run_desk("init")
    admin = agents.acting()
    workspace.create_space(admin, "Support")
    list_id = workspace.create_list(admin, "Support", "Inbox").id
    ana = agents.add(admin, "ana", name="Ana Lima")
    tasks.create(admin, "Printer", list_id)
    comments.note(ana, 1, f"@{admin.username} look {HOSTILE}")
    tasks.create(ana, "Toner", list_id, assignees=[admin.username])
    return run_desk


def test_forme_lists_unread_first_with_hostile_text_visible(desk):
    status, out, err = desk("forme")
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["NEW", "TASK", "KIND", "BY", "AT", "TITLE", "PREVIEW"]
    assert lines[1].split()[:5] == ["*", "2", "assigned", "Ana", "Lima"]
    assert lines[2].split()[:5] == ["*", "1", "mention", "Ana", "Lima"]
    assert "\x1b" not in out and "␛]52;c;AAAA␇ [bold]x[/]" in out
    status, out, _ = desk("forme", "--format", "json")
    listed = json.loads(out)
    assert [(row["task_id"], row["kind"], row["read"]) for row in listed] == [
        (2, "assigned", False), (1, "mention", False)]
    assert listed[1]["preview"].endswith("␛]52;c;AAAA␇ [bold]x[/] [@click=app.quit]y[/]")


def test_read_ones_stay_listed_after_the_unread_and_limit_cuts(desk):
    for_me.mark_read(agents.acting(), 1)
    for_me.mark_read(agents.acting(), 2)
    admin = agents.acting()
    comments.note(agents.acting("ana"), 1, f"@{admin.username} again")
    _, out, _ = desk("forme")
    assert [line.split()[:3] for line in out.splitlines()[1:]] == [
        ["*", "1", "mention"], ["2", "assigned", "Ana"], ["1", "mention", "Ana"]]
    _, out, _ = desk("forme", "--limit", "1")
    assert len(out.splitlines()) == 2


def test_follow_and_unfollow(desk):
    assert desk("follow", "1") == (0, "You already follow task 1.\n", "")  # mentioned there
    assert desk("unfollow", "1") == (0, "You no longer follow task 1.\n", "")
    assert not notices.is_following(agents.acting(), 1)
    assert desk("unfollow", "1") == (0, "You do not follow task 1.\n", "")
    assert desk("follow", "1") == (0, "You now follow task 1.\n", "")
    status, out, err = desk("follow", "99")
    assert (status, out) == (1, "") and "no task 99" in err and len(err.splitlines()) == 1
