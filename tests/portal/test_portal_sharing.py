"""Sharing with the portal explicitly (desk.support.portal.sharing): the client's notes and
a task's comment show on the portal only once an agent shares them, as text (never HTML),
to whoever may see them, and stop showing when unshared; each change is audited."""

from __future__ import annotations

import pytest

from desk.crm import clients
from desk.errors import InvalidInput, PermissionDenied
from desk.kernel import agents
from desk.models import Activity, Comment
from desk.support.portal import contacts, sharing
from desk.work import comments, tasks, workspace

from .conftest import sign_in

NOTES = "# Scope\n<script>alert('owned')</script> **bold**\n\x1b[2J"


@pytest.fixture
def shared_world(admin, world):
    """Acme's notes hold hostile text; a note on ada's and on bob's request, not shared."""
    version = clients.get(world.acme, admin).row.version
    clients.update(admin, world.acme, version, notes=NOTES)
    ada_note = comments.note(admin, world.ada_query, "Report: the printer is fixed").id
    bob_note = comments.note(admin, world.bob_query, "Badge reprinted for Bob").id
    return ada_note, bob_note


def test_nothing_is_shared_until_an_agent_shares_it(browser, world, shared_world) -> None:
    sign_in(browser, "ada@acme.example")
    assert "Documents shared with you" not in browser.get("/requests").get_data(True)
    page = browser.get("/shared").get_data(True)
    assert "Nothing has been shared with you yet." in page
    for secret in ("Scope", "printer is fixed", "SECRET-NOTE", "Badge"):
        assert secret not in page


def test_shared_notes_and_comments_show_as_text(browser, world, shared_world, admin) -> None:
    ada_note, _ = shared_world
    contacts.set_access(admin, world.acme, notes_shared=True)
    assert sharing.share_comment(admin, world.ada_query, ada_note, True) is True
    sign_in(browser, "ada@acme.example")
    assert "Documents shared with you (2)" in browser.get("/requests").get_data(True)
    page = browser.get("/shared").get_data(True)
    assert "<h2 id=\"document-1\">Requirements</h2>" in page
    assert "&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt; **bold**" in page
    assert "<script>" not in page and "\x1b" not in page
    assert "Printer on fire" in page and "Report: the printer is fixed" in page
    assert "SECRET-NOTE" not in page  # the other internal note stays internal

    assert sharing.share_comment(admin, world.ada_query, ada_note, False) is True
    contacts.set_access(admin, world.acme, notes_shared=False)
    page = browser.get("/shared").get_data(True)
    assert "printer is fixed" not in page and "Scope" not in page
    changes = [(a.field, a.old, a.new) for a in Activity.select().where(
        (Activity.entity == "task") & (Activity.entity_id == world.ada_query)
        & (Activity.field == "portal_shared")).order_by(Activity.id)]
    assert changes == [("portal_shared", "no", "yes"), ("portal_shared", "yes", "no")]


def test_each_contact_reads_only_what_they_may_see(browser, app, world, shared_world,
                                                   admin) -> None:
    ada_note, bob_note = shared_world
    contacts.set_access(admin, world.acme, notes_shared=True)
    sharing.share_comment(admin, world.ada_query, ada_note, True)
    sharing.share_comment(admin, world.bob_query, bob_note, True)
    sign_in(browser, "bob@acme.example")  # not Acme's own address, Acme not shared
    page = browser.get("/shared").get_data(True)
    assert "Badge reprinted for Bob" in page
    assert "printer is fixed" not in page and "Scope" not in page
    gus = app.test_client()
    sign_in(gus, "gus@globex.example")
    page = gus.get("/shared").get_data(True)
    assert "Nothing has been shared with you yet." in page and "Badge" not in page


def test_sharing_is_refused_to_a_viewer_and_without_a_client(admin, world,
                                                             shared_world) -> None:
    ada_note, _ = shared_world
    viewer = agents.ref(agents.add(admin, "vera", role="viewer"))
    with pytest.raises(PermissionDenied):
        sharing.share_comment(viewer, world.ada_query, ada_note, True)
    list_id = workspace.create_list(admin, "Desk", "Inner").id
    inner = tasks.create(admin, "No client here", list_id).row.id
    note = comments.note(admin, inner, "internal").id
    with pytest.raises(InvalidInput, match=f"task {inner} has no client"):
        sharing.share_comment(admin, inner, note, True)
    assert not Comment.select().where(Comment.portal_shared).exists()


def shares() -> tuple[int, int]:
    """How many comments are shared, and how many sharing changes the history holds."""
    return (Comment.select().where(Comment.portal_shared).count(),
            Activity.select().where(Activity.field == "portal_shared").count())


def test_a_confidential_clients_note_is_shared_only_by_who_sees_it_in_full(
        admin, world, shared_world) -> None:
    ada_note, _ = shared_world
    alice = agents.ref(agents.add(admin, "alice"))
    clients.update(admin, world.acme, clients.get(world.acme, admin).row.version,
                   confidential=True)
    with pytest.raises(PermissionDenied, match=(
            f"task {world.ada_query} belongs to a confidential client: only an admin or its "
            "account manager may share its comments with the client's portal")):
        sharing.share_comment(alice, world.ada_query, ada_note, True)
    assert shares() == (0, 0)
    clients.update(admin, world.acme, clients.get(world.acme, admin).row.version,
                   account_manager="alice")
    assert sharing.share_comment(alice, world.ada_query, ada_note, True) is True
    assert sharing.share_comment(admin, world.ada_query, ada_note, False) is True
    assert shares() == (0, 2)


def test_a_comment_of_another_clients_task_is_refused(admin, world, shared_world) -> None:
    _, bob_note = shared_world
    gus_note = comments.note(admin, world.gus_query, "Globex internal plans").id
    with pytest.raises(InvalidInput, match=(
            f"comment {gus_note} is on task {world.gus_query} of another client, not on task "
            f"{world.ada_query}: it cannot be shared with this client's portal")):
        sharing.share_comment(admin, world.ada_query, gus_note, True)
    with pytest.raises(InvalidInput, match=(
            f"comment {bob_note} is on task {world.bob_query}, not on task {world.ada_query}$")):
        sharing.share_comment(admin, world.ada_query, bob_note, True)
    assert shares() == (0, 0)
