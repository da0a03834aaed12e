"""Tests for saved views: personal and shared, replace on the same name, query checks."""

from __future__ import annotations

import pytest

from desk.errors import InvalidInput, NotFound, PermissionDenied, QueryError
from desk.kernel import agents
from desk.models import Activity, SavedView
from desk.work import views


@pytest.fixture
def vic(admin) -> agents.AgentRef:
    """A second agent (not an admin)."""
    return agents.add(admin, "vic")


def listed(agent: agents.AgentRef, scope: str = "tasks") -> list[tuple[str, str, bool]]:
    """(name, query, shared) of the views the agent sees on a screen."""
    return [(view.name, view.query, view.shared) for view in views.for_agent(agent, scope)]


def test_save_personal_view(admin):
    row = views.save(admin, "tasks", "My urgent", "@me priority:urgent", sort="due")

    assert (row.scope, row.name, row.query, row.sort, row.owner, row.shared) == (
        "tasks", "My urgent", "@me priority:urgent", "due", admin.username, False)
    assert views.get(admin, "tasks", "my urgent") == row


def test_saving_the_same_name_replaces_the_query(admin):
    first = views.save(admin, "tasks", "Mine", "@me")

    second = views.save(admin, "tasks", "mine", "@me status:open", sort="newest")

    assert second.id == first.id
    assert SavedView.select().count() == 1
    assert listed(admin) == [("mine", "@me status:open", False)]
    history = list(Activity.select(Activity.field, Activity.old, Activity.new)
                   .where((Activity.entity == "view") & (Activity.entity_id == first.id))
                   .order_by(Activity.id).tuples())
    assert history[-3:] == [("name", "Mine", "mine"), ("query", "@me", "@me status:open"),
                            ("sort", "", "newest")]


def test_personal_views_are_private_and_shared_ones_seen_by_all(admin, vic):
    views.save(admin, "tasks", "Urgent", "priority:urgent", shared=True)
    views.save(admin, "tasks", "Mine", "@me")
    views.save(vic, "tasks", "Mine", "@vic")
    views.save(vic, "tasks", "Urgent", "priority:urgent @vic")
    views.save(vic, "clients", "Leads", "stage:lead")

    assert listed(admin) == [("Mine", "@me", False), ("Urgent", "priority:urgent", True)]
    assert listed(vic) == [("Mine", "@vic", False), ("Urgent", "priority:urgent @vic", False),
                           ("Urgent", "priority:urgent", True)]
    assert listed(vic, "clients") == [("Leads", "stage:lead", False)]
    assert views.get(vic, "tasks", "urgent").query == "priority:urgent @vic"  # own first
    assert views.get(admin, "tasks", "Urgent").owner is None


def test_only_admins_replace_or_delete_shared_views(admin, vic):
    views.save(vic, "inbox", "Team", "status:open", shared=True)

    with pytest.raises(PermissionDenied):
        views.save(vic, "inbox", "Team", "status:done", shared=True)
    with pytest.raises(PermissionDenied):
        views.delete(vic, "inbox", "Team")
    assert views.get(vic, "inbox", "Team").query == "status:open"

    views.save(admin, "inbox", "Team", "status:active", shared=True)
    assert listed(vic, "inbox") == [("Team", "status:active", True)]
    views.delete(admin, "inbox", "team")
    assert SavedView.select().count() == 0


def test_delete_own_view(admin, vic):
    views.save(vic, "tasks", "Mine", "@me")
    views.save(admin, "tasks", "Mine", "@me")

    views.delete(vic, "tasks", "Mine")

    assert listed(vic) == []
    assert listed(admin) == [("Mine", "@me", False)]
    with pytest.raises(NotFound, match="no saved tasks view named 'Mine'"):
        views.delete(vic, "tasks", "Mine")


@pytest.mark.parametrize(
    ("scope", "query", "position", "message"),
    [
        ("tasks", "status:open colour:red", 12, "unknown field 'colour'"),
        ("inbox", '  @me "printer', 6, "unterminated quote"),
        ("clients", "stage:lead status:open", 11, "unknown field 'status'"),
    ],
)
def test_a_bad_query_is_refused_with_its_position(admin, scope, query, position, message):
    with pytest.raises(QueryError, match=message) as caught:
        views.save(admin, scope, "Broken", query)

    assert caught.value.position == position
    assert caught.value.query == query
    assert SavedView.select().count() == 0


@pytest.mark.parametrize(
    ("scope", "name", "sort", "message"),
    [
        ("projects", "X", "", "scope must be one of tasks, clients, inbox"),
        ("tasks", "  ", "", "needs a name"),
        ("tasks", "X", "score", "sort must be one of priority"),
        ("clients", "X", "priority", "sort must be one of name"),
    ],
)
def test_bad_scope_name_or_sort(admin, scope, name, sort, message):
    with pytest.raises(InvalidInput, match=message):
        views.save(admin, scope, name, "", sort=sort)
    assert SavedView.select().count() == 0


def test_viewers_read_views_but_cannot_save_or_delete(admin):
    vera = agents.add(admin, "vera", role="viewer")
    views.save(admin, "tasks", "Everyone", "status:open", shared=True)

    with pytest.raises(PermissionDenied):
        views.save(vera, "tasks", "Mine", "@me")
    with pytest.raises(PermissionDenied):
        views.delete(vera, "tasks", "Everyone")

    assert listed(vera) == [("Everyone", "status:open", True)]
