"""Full-text search documents: what the services index, and what migration 0002 fills in."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime

from desk.crm import clients
from desk.db import MIGRATIONS_DIR
from desk.kernel import search
from desk.work import comments, filters, listing, tasks, workspace


def migration_0002():
    """The search migration module (its file name is no Python identifier)."""
    spec = importlib.util.spec_from_file_location("migration_0002",
                                                  MIGRATIONS_DIR / "0002_search.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def documents(db) -> list[tuple]:
    """Every search document as (rowid, task_id, client_id, title, body), by rowid."""
    rows = db.execute_sql("SELECT rowid, task_id, client_id, title, body FROM search_doc")
    return sorted(tuple(row) for row in rows.fetchall())


def test_the_migration_fills_the_index_as_rebuild_does(db, admin):
    workspace.create_space(admin, "Work")
    inbox = workspace.create_list(admin, "Work", "Inbox")
    open_client = clients.create(admin, "Open Ltd", contact_person="Olga Open",
                                 email="olga@open.example").row
    secret = clients.create(admin, "Secret Corp", contact_person="Jane Hidden",
                            email="jane@hidden.example", confidential=True).row
    task = tasks.create(admin, "Printer jam", inbox.id, description="Floor 3",
                        client_id=open_client.id).row
    comments.note(admin, task.id, "Toner is empty.")
    search.rebuild()
    rebuilt = documents(db)

    db.execute_sql("DELETE FROM search_doc")
    for statement in migration_0002().FILL:
        db.execute_sql(statement)

    assert documents(db) == rebuilt
    bodies = {client_id: body for _, _, client_id, _, body in rebuilt if client_id}
    assert bodies == {open_client.id: "Olga Open olga@open.example", secret.id: ""}


def test_rebuild_keeps_what_the_services_wrote(db, admin):
    workspace.create_space(admin, "Work")
    inbox = workspace.create_list(admin, "Work", "Inbox")
    clients.create(admin, "Secret Corp", contact_person="Jane Hidden", confidential=True)
    tasks.create(admin, "Printer jam", inbox.id, description="Floor 3")
    written = documents(db)

    search.rebuild()

    assert documents(db) == written
    assert search.find("hidden") == []


def test_prefix_search_finds_unfinished_words_clients_first(db, admin):
    workspace.create_space(admin, "Work")
    inbox = workspace.create_list(admin, "Work", "Inbox")
    client = clients.create(admin, "Bluefin Logistics").row
    task = tasks.create(admin, "Review for Bluefin Logistics", inbox.id).row

    assert search.find("blue log") == []
    hits = search.find("blue log", prefix=True)
    assert [(hit.kind, hit.id) for hit in hits] == [("client", client.id), ("task", task.id)]
    assert search.find("blue log", limit=1, prefix=True) == hits[:1]
    for typed in ('[/] "blue', "blue* OR -x", "'log':*"):  # query syntax is only text
        assert [hit.id for hit in search.find(typed, prefix=True)][:1] in ([client.id], [])


def test_a_word_in_a_list_filter_finds_tasks_by_their_own_words_and_their_comments(db, admin):
    workspace.create_space(admin, "Work")
    inbox = workspace.create_list(admin, "Work", "Inbox")
    client = clients.create(admin, "Toner Supplies Ltd").row
    titled = tasks.create(admin, "Toner order", inbox.id).row
    commented = tasks.create(admin, "Printer jam", inbox.id, client_id=client.id).row
    tasks.create(admin, "Unrelated", inbox.id)
    comments.note(admin, commented.id, "Toner is empty.")
    context = filters.Context(admin.username, datetime.now(UTC), admin=True)

    found = listing.task_page("toner", context, sort="newest").rows

    # The task's own document gives its id from the rowid, the comment's from its column;
    # the client's document (a client called Toner) is no task.
    assert [row.id for row in found] == [commented.id, titled.id]
    assert listing.task_count("toner", context) == 2


def test_a_common_word_filters_a_list_as_a_rare_one_does(db, admin, monkeypatch):
    workspace.create_space(admin, "Work")
    inbox = workspace.create_list(admin, "Work", "Inbox")
    made = [tasks.create(admin, f"Printer {n}", inbox.id, priority=priority).row
            for n, priority in enumerate(["low", "urgent", "normal", "high", "urgent"])]
    tasks.create(admin, "Scanner", inbox.id)
    comments.note(admin, made[2].id, "The printer again.")
    context = filters.Context(admin.username, datetime.now(UTC), admin=True)

    def listed(text: str, sort: str) -> list[int]:
        return [row.id for row in listing.task_page(text, context, sort=sort).rows]

    views = [(text, sort) for text in ("printer", "-printer", "printer again")
             for sort in ("priority", "newest")]
    as_rare = {view: listed(*view) for view in views}
    monkeypatch.setattr(search, "COMMON", 2)  # every word here is now a common one
    assert {view: listed(*view) for view in views} == as_rare
    assert as_rare[("printer", "priority")] == [made[1].id, made[4].id, made[3].id,
                                                made[2].id, made[0].id]
    assert as_rare[("printer again", "newest")] == [made[2].id]
    assert listing.task_count("-printer", context) == 1
