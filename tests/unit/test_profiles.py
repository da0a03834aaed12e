"""Agents' profiles: e-mail, signature and away from the agent or an admin, at a version, with
every change in the history; team membership is an admin's to change, in one transaction."""

from __future__ import annotations

import pytest

from desk.errors import ConflictError, FieldError, InvalidInput, PermissionDenied
from desk.kernel import agents, profiles
from desk.models import Activity, Agent, TeamMember


def history(username: str) -> list[tuple[str, str | None, str | None]]:
    """(field, old, new) of the agent's recorded changes, oldest first."""
    agent_id = Agent.get(Agent.username == username).id
    return [(row.field, row.old, row.new) for row in Activity.select()
            .where((Activity.entity == "agent") & (Activity.entity_id == agent_id))
            .order_by(Activity.id)]


def test_an_agent_fills_in_their_own_profile(admin):
    bob = agents.add(admin, "bob", teams=("Support",))
    read = profiles.profile("bob")
    saved = profiles.update(bob, "bob", read.version, email=" bob@example.com ",
                            signature="Bob\nAcme support\n", away="yes")
    assert (saved.email, saved.signature, saved.away, saved.teams) == (
        "bob@example.com", "Bob\nAcme support", True, ("Support",))
    assert saved.version == read.version + 1
    assert history("bob")[-3:] == [("email", "", "bob@example.com"),
                                   ("signature", "", "Bob\nAcme support"), ("away", "no", "yes")]


def test_only_an_admin_edits_someone_elses_profile(admin):
    bob = agents.add(admin, "bob")
    agents.add(admin, "carol")
    with pytest.raises(PermissionDenied):
        profiles.update(bob, "carol", 1, away=True)
    assert profiles.update(admin, "carol", 1, name="Carol King").name == "Carol King"


def test_a_viewer_changes_nothing_of_their_profile(admin):
    viewer = agents.add(admin, "vera", role="viewer")
    with pytest.raises(PermissionDenied):
        profiles.update(viewer, "vera", 1, email="vera@example.com")
    assert Agent.get(Agent.username == "vera").email == ""


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"email": "not an address"}, "email", "email 'not an address' is not an e-mail address"),
    ({"email": "a@b.test\nBcc: x@y.test"}, "email", "is not an e-mail address"),
    ({"name": "  "}, "name", "name cannot be empty"),
    ({"away": "maybe"}, "away", "away must be yes or no, not 'maybe'"),
    ({"signature": "x" * 2001}, "signature", "signature can have at most 2000 characters"),
])
def test_a_bad_field_is_named_and_nothing_is_written(admin, changes, field, message):
    before = (profiles.profile(admin.username), Activity.select().count())
    with pytest.raises(FieldError) as refused:
        profiles.update(admin, admin.username, before[0].version,
                        **{"email": "kept@example.com", **changes})
    assert refused.value.field == field and message in str(refused.value)
    assert (profiles.profile(admin.username), Activity.select().count()) == before


def test_a_field_changed_meanwhile_conflicts_and_others_merge(admin):
    read = profiles.profile(admin.username)
    profiles.update(admin, admin.username, read.version, email="first@example.com")
    with pytest.raises(ConflictError):
        profiles.update(admin, admin.username, read.version, email="second@example.com")
    merged = profiles.update(admin, admin.username, read.version, away=True)
    assert (merged.email, merged.away) == ("first@example.com", True)


def test_hostile_text_is_stored_as_typed(admin):
    signature = "\x1b[31mred\x1b[0m [bold]x[/bold] \u202eevil"
    saved = profiles.update(admin, admin.username, 1, signature=signature)
    assert saved.signature == signature


def test_an_admin_changes_teams_in_one_transaction(admin):
    agents.add(admin, "bob", teams=("Support", "Sales"))
    assert profiles.change_teams(admin, "bob", ("Billing",), ("Sales",)) == (
        ("Billing",), ("Sales",))
    assert profiles.profile("bob").teams == ("Billing", "Support")
    with pytest.raises(InvalidInput, match="bob is not in the team 'Nope'"):
        profiles.change_teams(admin, "bob", ("Orders",), ("Nope",))
    assert profiles.profile("bob").teams == ("Billing", "Support")
    assert ("team", "Sales", None) in history("bob")


def test_an_agent_cannot_change_teams(admin):
    bob = agents.add(admin, "bob", teams=("Support",))
    with pytest.raises(PermissionDenied):
        profiles.change_teams(bob, "bob", (), ("Support",))
    assert TeamMember.select().count() == 1


def test_a_profile_and_its_teams_are_saved_together_or_not_at_all(admin):
    agents.add(admin, "bob", teams=("Support",))
    read = profiles.profile("bob")
    saved = profiles.save(admin, "bob", read.version, {"away": True}, ("Sales", " Support "))
    assert (saved.away, saved.teams) == (True, ("Sales", "Support"))
    with pytest.raises(InvalidInput, match="a team name cannot be empty"):
        profiles.save(admin, "bob", saved.version, {"away": False}, ("Sales", " "))
    with pytest.raises(FieldError):
        profiles.save(admin, "bob", saved.version, {"email": "nope"}, ())
    assert profiles.profile("bob") == saved
    assert profiles.save(admin, "bob", saved.version, {}, ()).teams == ()
