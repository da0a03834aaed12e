"""desk clients add, edit, archive and restore: the app's checks from the command line, a
mistake is one line naming its option and changes nothing, hostile text prints visibly, and
`desk clients QUERY` still lists. (A viewer is refused by every one of them:
tests/unit/test_viewer_cli.py tries each command the parser has.)"""

from __future__ import annotations

import json

import pytest

from desk.models import Activity, Client


@pytest.fixture
def desk(new_workspace, run_desk):
    """`desk ARGS...` on a new workspace made with the agency template."""
    assert run_desk("init", "--template", "agency")[0] == 0
    return run_desk


def listed(desk, *query: str) -> list[str]:
    """The names `desk clients QUERY --format json` lists."""
    status, out, _ = desk("clients", *query, "--format", "json")
    assert status == 0
    return [row["name"] for row in json.loads(out)]


def test_a_client_is_added_edited_archived_and_restored(desk):
    assert desk("clients", "add", "Acme Ltd", "--kind", "client", "--email",
                "ops@acme.test", "--contact", "Wile E", "--stage", "active", "--manager",
                "alex", "--retainer", "1500", "--cycle", "monthly", "--tags", "vip") == (
        0, "added client 1: Acme Ltd\n", "")
    acme = Client.get_by_id(1)
    assert (acme.kind, acme.email, acme.contact_person, acme.lifecycle_stage,
            acme.account_manager.username, str(acme.retainer_amount)) == (
        "client", "ops@acme.test", "Wile E", "active", "alex", "1500")
    assert desk("clients", "edit", "acme", "--stage", "at-risk", "--name", "Acme Group")[:2] \
        == (0, "changed client 1: Acme Group (version 2)\n")
    assert listed(desk, "kind:client") == ["Acme Group"]
    assert desk("clients", "archive", "Acme Group")[:2] == (0, "archived client 1: Acme Group\n")
    assert listed(desk) == [] and listed(desk, "is:archived") == ["Acme Group"]
    assert desk("clients", "restore", "1")[:2] == (0, "restored client 1: Acme Group\n")
    assert listed(desk, "stage:at-risk") == ["Acme Group"]
    assert {row.field for row in Activity.select().where(Activity.entity == "client")} >= {
        "name", "lifecycle_stage", "archived", "email"}


def test_the_listing_keeps_its_query_and_options(desk):
    desk("clients", "add", "Acme", "--kind", "client")
    desk("clients", "add", "Bolt", "--kind", "customer")
    assert listed(desk, "-kind:client") == ["Bolt"]
    status, out, _ = desk("clients", "--format", "csv", "list", "--sort", "newest")
    assert status == 0 and out.splitlines()[1].startswith("2,customer,Bolt")


@pytest.mark.parametrize(("args", "message"), [
    (("add", "X", "--kind", "client", "--email", "nope"),
     "desk: --email: email 'nope' is not an e-mail address\n"),
    (("add", "X", "--kind", "client", "--manager", "nobody"),
     "desk: --manager: account manager 'nobody' is not an agent of this desk\n"),
    (("add", "X", "--kind", "client", "--score", "101"),
     "desk: --score: lead score must be a whole number from 0 to 100, not '101'\n"),
    (("add", " ", "--kind", "client"), "desk: NAME: a client needs a name\n"),
    (("edit", "Acme", "--name", ""), "desk: --name: a client needs a name\n"),
    (("add", "X", "--kind", "client", "--referred-by", "Nobody"),
     "desk: --referred-by: no client named 'Nobody'\n"),
    (("edit", "Acme", "--stage", "sleeping"),
     "desk: --stage: lifecycle stage must be one of lead, prospect, onboarding, active, "
     "at_risk, churned, not 'sleeping'\n"),
    (("edit", "Acme"), "desk: name at least one field to change, e.g. --email or --stage\n"),
    (("edit", "Nobody", "--stage", "active"), "desk: no client named 'Nobody'\n"),
    (("restore", "Acme"), "desk: client 'Acme' is not archived\n"),
])
def test_a_mistake_is_one_line_and_changes_nothing(desk, args, message):
    desk("clients", "add", "Acme", "--kind", "client")
    before = (list(Client.select().dicts()), Activity.select().count())
    assert desk("clients", *args) == (1, "", message)
    assert (list(Client.select().dicts()), Activity.select().count()) == before


def test_hostile_text_is_stored_as_typed_and_printed_visibly(desk):
    status, out, _ = desk("clients", "add", "\x1b[2J[red]Evil\u202e", "--kind", "customer")
    assert status == 0 and "\x1b" not in out and "\u202e" not in out
    assert Client.get_by_id(1).name == "\x1b[2J[red]Evil\u202e"
