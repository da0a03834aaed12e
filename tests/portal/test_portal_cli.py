"""desk portal on the command line: it refuses to serve while the config leaves it off, and
`desk portal access` shows and sets a client's access (recorded on the client)."""

from __future__ import annotations

import pytest

from desk.models import Activity, PortalClient


def test_the_portal_does_not_start_while_it_is_off(run_desk, migrated_url) -> None:
    status, out, err = run_desk("--db", migrated_url, "portal", "--port", "8999")
    assert status == 1 and out == ""
    assert "the portal is off: set portal.enabled: true in the config" in err


def test_a_bad_port_is_refused(run_desk, migrated_url, capsys) -> None:
    with pytest.raises(SystemExit):
        run_desk("--db", migrated_url, "portal", "--port", "70000")
    assert "expected a port from 1 to 65535" in capsys.readouterr().err


def test_access_is_shown_and_set(run_desk, migrated_url, world) -> None:
    assert run_desk("--db", migrated_url, "portal", "access", "Acme")[1] == (
        "Acme: portal on, each contact sees their own requests, notes not shared\n")
    status, out, _ = run_desk("--db", migrated_url, "portal", "access", "Acme",
                              "--shared", "yes", "--enabled", "no", "--notes-shared", "yes")
    assert (status, out) == (0, "Acme: portal off, shared, notes shared\n")
    row = PortalClient.get(PortalClient.client == world.acme)
    assert (row.shared, row.enabled, row.notes_shared) == (True, False, True)
    fields = {a.field: a.new for a in Activity.select().where(
        (Activity.entity == "client") & (Activity.entity_id == world.acme))}
    assert fields["portal_shared"] == "yes" and fields["portal_enabled"] == "no"
    assert fields["portal_notes_shared"] == "yes"
