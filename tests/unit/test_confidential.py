"""Confidential clients, surface by surface (the rule: desk.kernel.confidential): what each
service gives an agent or viewer who may not see the client in full, and that admins and the
account manager still see everything. The CLI is in test_confidential_cli, the TUI's inbox
strip and task screen in tests/ui/test_confidential_ui."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage

import pytest

from desk import sla
from desk.automation import canned
from desk.config import CannedResponse, Settings
from desk.crm import clients
from desk.errors import PermissionDenied
from desk.kernel import agents, confidential, search
from desk.kernel.confidential import HIDDEN, Asker
from desk.mail import outbox
from desk.metrics import dashboard, report
from desk.models import Client, Outbox
from desk.pages import client as client_page
from desk.pages import inbox as inbox_page
from desk.pages import task as task_page
from desk.support import intake, merge, triage
from desk.support.intake import IntakeOptions
from desk.work import comments, filters, listing, tasks, workspace

NOW = datetime(2026, 11, 19, 9, 0, tzinfo=UTC)
SLA_RULES = sla.book(Settings())  # the shipped SLA rules
SECRETS = ("Jane Hidden", "jane@hidden.example", "555 0100")
"""Secret Co's hidden values, as they are written in what the desk holds."""


def leaks(found: object) -> list[str]:
    """The hidden values that show anywhere in `found` (a record, list, dict or text)."""
    text = repr(found).casefold()
    return [secret for secret in SECRETS if secret.casefold() in text]


def mail(subject: str, message_id: str, body: str, in_reply_to: str | None = None) -> bytes:
    """An e-mail from Jane Hidden of Secret Co."""
    message = EmailMessage()
    message["From"] = "Jane Hidden <jane@hidden.example>"
    message["To"] = "support@desk.example"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    message.set_content(body)
    return message.as_bytes()


class World:
    """Secret Co (confidential, managed by bob) with a query from Jane Hidden by e-mail, a
    reply mailed to her and her answer; Open Ltd, not confidential; and who looks at them:
    the admin, bob, tom (an agent) and vera (a viewer)."""

    def __init__(self, admin: agents.AgentRef, tmp_path) -> None:
        self.admin = admin
        self.bob = agents.add(admin, "bob", role="agent")
        self.tom = agents.add(admin, "tom", role="agent")
        self.vera = agents.add(admin, "vera", role="viewer")
        workspace.create_space(admin, "Support")
        workspace.create_list(admin, "Support", "Support inbox")
        self.secret = clients.create(
            admin, "Secret Co", "client", contact_person="Jane Hidden",
            email="jane@hidden.example", phone="555 0100", notes="Jane Hidden prefers calls",
            account_manager="bob", confidential=True).row.id
        self.open = clients.create(admin, "Open Ltd", contact_person="Olga Open",
                                   email="olga@open.example").row.id
        options = IntakeOptions(attachments_root=tmp_path / "files", sla_rules=SLA_RULES)
        self.query = intake.take_mail(
            admin, mail("Printer jam", "<one@hidden.example>",
                        "The printer jams.\n\nRegards, Jane Hidden\n555 0100"),
            "one.eml", options, now=NOW).task_id
        comments.reply(admin, self.query, "Dear Jane Hidden, a technician comes today.")
        intake.take_mail(admin, mail("Re: Printer jam", "<two@hidden.example>",
                                     "Thanks, it works now.", "<one@hidden.example>"),
                         "two.eml", options, now=NOW)
        inbox = workspace.find_list("Support inbox").id
        self.plain = tasks.create(admin, "Olga's laptop", inbox, kind="query",
                                  client_id=self.open, description="Olga Open, olga@open.example",
                                  sla_rules=SLA_RULES).row.id

    def context(self, agent: agents.AgentRef) -> filters.Context:
        """The query context of `agent`."""
        return filters.Context(agent.username, NOW, admin=agent.role == "admin")


@pytest.fixture
def world(admin, tmp_path) -> World:
    """See World."""
    return World(admin, tmp_path)


def test_the_rule_reads_the_same_in_python_and_in_sql(world):
    for agent in (world.admin, world.bob, world.tom, world.vera, None):
        unseen = confidential.unseen_ids(Asker.of(agent))
        for client_id in (world.secret, world.open):
            stored = Client.get_by_id(client_id)
            assert confidential.can_see(agent, stored.account_manager_id,
                                        stored.confidential) == (client_id not in unseen)
    assert confidential.unseen_ids(Asker.of(world.vera)) == [world.secret]
    assert confidential.unseen_ids(Asker.of(world.bob)) == []


def test_the_inbox_strip_hides_the_requester_and_the_sender(world):
    seen = triage.glance(world.query, world.vera)
    assert (seen.requester, seen.latest_kind, seen.latest_author) == (HIDDEN, "message", HIDDEN)
    assert (seen.client, seen.title, seen.excerpt) == ("Secret Co", "Printer jam",
                                                       "Thanks, it works now.")
    assert leaks(triage.glance(world.query, world.tom)) == leaks(seen) == []
    assert leaks(triage.glance(world.query)) == []  # nobody's
    for agent in (world.admin, world.bob):
        full = triage.glance(world.query, agent)
        assert full.requester == "Jane Hidden <jane@hidden.example>"
        assert full.latest_author == "Jane Hidden <jane@hidden.example>"
    assert triage.glance(world.plain, world.vera).excerpt == "Olga Open, olga@open.example"


def test_the_inbox_rows_name_the_client_and_nothing_hidden(world):
    rows = inbox_page.page(world.context(world.vera), sla_rules=SLA_RULES).rows
    mine = next(row for row in rows if row.id == world.query)
    assert (mine.client, mine.client_id) == ("Secret Co", world.secret)
    assert leaks(rows) == []


def test_the_task_lists_and_board_name_the_client_and_nothing_hidden(world):
    context = world.context(world.vera)
    for query in ("client:secret", "kind:query", "is:open"):  # answered: Open, no longer New
        page = listing.task_page(query, context)
        assert world.query in [row.id for row in page.rows]
        assert leaks(page.rows) == []
    assert tasks.rows_for([world.query])[0].client == "Secret Co"


def test_the_task_screen_hides_the_people_of_a_confidential_client(world):
    page = task_page.load(world.query, NOW, SLA_RULES, viewer=world.vera)
    assert page.detail.row.client == "Secret Co"
    assert page.detail.description == f"The printer jams.\n\nRegards, {HIDDEN}\n{HIDDEN}"
    assert [(row.kind, row.author, row.body) for row in page.comments] == [
        ("reply", world.admin.username, f"Dear {HIDDEN}, a technician comes today."),
        ("message", HIDDEN, "Thanks, it works now.")]
    history = {entry["field"]: (entry["old"], entry["new"]) for entry in page.history}
    assert history["requester_name"] == history["requester_email"] == (None, HIDDEN)
    assert history["email"] == (None, f"{HIDDEN}: Re: Printer jam [#{world.query}]")
    assert leaks(page) == []
    for agent in (world.admin, world.bob):
        full = task_page.load(world.query, viewer=agent)
        assert leaks(full) == list(SECRETS)
        assert full.comments[1].author == "Jane Hidden <jane@hidden.example>"
    assert leaks(task_page.load(world.query)) == []  # nobody's
    assert task_page.load(world.plain, viewer=world.vera).detail.description == (
        "Olga Open, olga@open.example")


def test_a_masked_description_is_changed_only_by_who_sees_it(world):
    version = tasks.get(world.query).row.version
    with pytest.raises(PermissionDenied, match="confidential client"):
        tasks.update(world.tom, world.query, version, description=f"Regards, {HIDDEN}")
    assert "Jane Hidden" in tasks.get(world.query).description
    assert tasks.update(world.tom, world.query, version, tags=["printer"]).row.tags == (
        "printer",)
    changed = tasks.update(world.bob, world.query, version + 1, description="Jane Hidden again")
    assert changed.description == "Jane Hidden again"


def test_the_client_screen_masks_what_its_log_quotes(world):
    page = client_page.load(world.secret, world.vera, NOW)
    assert not page.full and page.detail.notes == ""
    assert (page.detail.row.contact_person, page.detail.row.email) == ("", "")
    assert f"Dear {HIDDEN}, a technician comes today." in [
        row.summary for row in page.interactions]
    assert leaks(page) == []
    assert leaks(client_page.load(world.secret, world.bob, NOW)) == list(SECRETS)
    rows = listing.client_page("", world.context(world.vera), viewer=world.vera).rows
    assert leaks(rows) == [] and "Secret Co" in [row.name for row in rows]


def test_the_history_of_a_confidential_client_hides_its_hidden_fields(world):
    entries = {entry["field"]: entry["new"]
               for entry in confidential.history("client", world.secret, world.vera)}
    assert [entries[field] for field in ("contact_person", "email", "phone", "notes")] == [
        HIDDEN] * 4
    assert entries["name"] == "Secret Co"
    full = {entry["field"]: entry["new"]
            for entry in confidential.history("client", world.secret, world.admin)}
    assert full["email"] == "jane@hidden.example"


def test_search_finds_nothing_through_a_hidden_value(world):
    def found(text: str, agent, prefix: bool = True) -> set[tuple[str, int]]:
        return {(hit.kind, hit.id)
                for hit in search.find(text, prefix=prefix, viewer=agent)}

    for text in ("jane", "jan", "hidden", "555 0100"):
        assert found(text, world.vera) == set(), text
        assert found(text, world.tom) == set(), text
        assert ("task", world.query) in found(text, world.bob), text
    assert found("jane", world.vera, prefix=False) == set()
    assert found("jan*", world.vera, prefix=False) == set()
    # What is no hidden value is found as before: the client by its name, tasks by their words.
    assert found("secret", world.vera) == {("client", world.secret)}
    assert ("task", world.query) in found("printer", world.vera)
    assert found("olga", world.vera) == {("client", world.open), ("task", world.plain)}


def test_list_queries_find_nothing_through_a_hidden_value(world):
    def tasks_found(text: str, agent) -> set[int]:
        return {row.id for row in listing.task_page(text, world.context(agent)).rows}

    def clients_found(text: str, agent) -> set[int]:
        return {row.id for row in listing.client_page(text, world.context(agent)).rows}

    assert tasks_found("jane", world.vera) == tasks_found("jane", world.tom) == set()
    assert tasks_found("jane", world.admin) == tasks_found("jane", world.bob) == {world.query}
    assert tasks_found("-jane kind:query", world.vera) == {world.query, world.plain}
    assert tasks_found("printer", world.vera) == {world.query}
    assert clients_found("jane", world.vera) == set()
    assert clients_found("jane", world.bob) == {world.secret}
    assert clients_found("secret", world.vera) == {world.secret}
    assert clients_found("email:hidden", world.vera) == set()


def test_the_outbox_hides_the_recipient_of_a_confidential_client(world):
    [row] = outbox.rows(viewer=world.vera)
    assert (row.to_address, row.subject) == (HIDDEN, f"Re: Printer jam [#{world.query}]")
    message = outbox.get(row.id, world.vera)
    assert message.body == f"Dear {HIDDEN}, a technician comes today."
    assert dict(outbox.headers(message, UTC))["To"] == HIDDEN
    assert leaks(message) == [] and leaks(outbox.rows()) == []
    assert outbox.get(row.id, world.bob).row.to_address == "jane@hidden.example"
    assert outbox.rows(viewer=world.admin)[0].to_address == "jane@hidden.example"
    Outbox.update(status="failed", last_error="550 jane@hidden.example: no such user").execute()
    retried = outbox.retry(world.tom, row.id)
    assert (retried.to_address, retried.last_error) == (HIDDEN, f"550 {HIDDEN}: no such user")


def test_a_reply_says_it_was_mailed_without_naming_the_requester(world):
    written = comments.reply(world.tom, world.query, "Any news?")
    assert written.mailed_to == HIDDEN
    assert comments.reply(world.bob, world.query, "News?").mailed_to == "jane@hidden.example"


def test_merging_names_no_hidden_requester(world):
    other = tasks.create(world.admin, "Printer again", workspace.find_list("Support inbox").id,
                         kind="query", client_id=world.secret, sla_rules=SLA_RULES).row.id
    candidates = merge.candidates([world.query, other], world.vera)
    assert [candidate.requester for candidate in candidates] == [HIDDEN, ""]
    assert [c.requester for c in merge.find("printer", viewer=world.tom)] == ["", HIDDEN]
    assert merge.candidates([world.query], world.bob)[0].requester == "Jane Hidden"


def test_canned_responses_name_no_hidden_requester(world):
    responses = [CannedResponse(name="hello", text="Dear {requester.name} ({requester.email})")]
    assert canned.filled(responses, world.tom, world.query, NOW) == [
        ("hello", "Dear Secret Co ()")]
    assert canned.filled(responses, world.bob, world.query, NOW) == [
        ("hello", "Dear Jane Hidden (jane@hidden.example)")]


def test_the_report_names_the_client_and_nothing_hidden(world):
    clients.update(world.admin, world.secret, clients.get(world.secret, world.admin).row.version,
                   lifecycle_stage="at_risk", contact_cadence_days=7)
    figures = dashboard.dashboard("30d", NOW)
    assert "Secret Co" in [client.name for client in figures.attention.at_risk_clients]
    for form in ("table", "json"):
        text = report.render(figures, form, UTC, "GBP")
        assert "Secret Co" in text and leaks(text) == []


def test_every_hidden_value_shows_as_hidden_in_text(world):
    [mask] = confidential.masks(world.vera, [world.secret]).values()
    assert mask.text("Call JANE  hidden on 555 0100 or jane@hidden.example, Janet.") == (
        f"Call {HIDDEN} on {HIDDEN} or {HIDDEN}, Janet.")
    assert confidential.masks(world.bob, [world.secret, world.open]) == {}
    assert list(confidential.masks(None, [world.secret, world.open])) == [world.secret]
