"""Archiving a client: kept with its history, out of the everyday lists, found with
`is:archived`, restored at a version; bad fields of a client are named."""

from __future__ import annotations

import pytest

from desk.crm import archive, clients
from desk.errors import ConflictError, FieldError, InvalidInput, PermissionDenied
from desk.kernel import agents
from desk.models import Activity, Client
from desk.work import listing


def names(text: str, context) -> list[str]:
    """The names of the clients a query lists."""
    return [row.name for row in listing.client_page(text, context).rows]


def test_an_archived_client_leaves_the_lists_and_comes_back(admin, context):
    acme = clients.create(admin, "Acme", "client")
    clients.create(admin, "Bolt", "customer")
    archived = archive.archive(admin, acme.row.id, acme.row.version)
    assert archived.row.archived_at is not None and archived.row.version == 2
    assert names("", context) == ["Bolt"] and names("kind:client", context) == []
    assert names("is:archived", context) == ["Acme"]
    assert clients.find("acme").id == acme.row.id  # still found by name, e.g. to restore
    restored = archive.restore(admin, acme.row.id, archived.row.version)
    assert restored.row.archived_at is None and names("", context) == ["Acme", "Bolt"]
    assert [(row.field, row.old, row.new) for row in Activity.select().where(
        (Activity.entity == "client") & (Activity.field == "archived")).order_by(Activity.id)] == [
        ("archived", "no", "yes"), ("archived", "yes", "no")]


def test_archiving_twice_or_at_a_stale_version_changes_nothing(admin):
    acme = clients.create(admin, "Acme", "client")
    archive.archive(admin, acme.row.id, 1)
    with pytest.raises(InvalidInput, match="'Acme' is archived already"):
        archive.archive(admin, acme.row.id, 2)
    archive.restore(admin, acme.row.id, 2)
    with pytest.raises(ConflictError):
        archive.archive(admin, acme.row.id, 2)  # read before the restore
    assert Client.get_by_id(acme.row.id).archived_at is None


def test_a_viewer_cannot_archive(admin):
    acme = clients.create(admin, "Acme", "client")
    viewer = agents.add(admin, "vera", role="viewer")
    with pytest.raises(PermissionDenied):
        archive.archive(viewer, acme.row.id, 1)
    assert Client.get_by_id(acme.row.id).archived_at is None


@pytest.mark.parametrize(("fields", "field"), [
    ({"email": "nope"}, "email"), ({"lead_score": "200"}, "lead_score"),
    ({"account_manager": "nobody"}, "account_manager"),
    ({"referred_by_id": "999"}, "referred_by_id"),
])
def test_a_bad_field_of_a_client_is_named(admin, fields, field):
    with pytest.raises(FieldError) as refused:
        clients.create(admin, "Acme", "client", **fields)
    assert refused.value.field == field and Client.select().count() == 0
