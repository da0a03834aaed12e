"""The portal's pages for a signed-in contact: what they see (never internal notes, never
another client's records, hostile text as text), and what they do (reply, solve, rate,
reopen, open a new request), each written in their name."""

from __future__ import annotations

from io import BytesIO

import pytest

from desk.config import parse_settings
from desk.crm import clients
from desk.mail.attachments import attachments_dir
from desk.models import Activity, Attachment, Comment, Outbox, QueryData, Task, TaskList
from desk.portal.app import create_app
from desk.support.portal import contacts

from .conftest import PORTAL_CONFIG, csrf_of, new_query, post, sign_in


@pytest.fixture
def ada(browser, world):
    """The test client, signed in as Acme's own address."""
    sign_in(browser, "ada@acme.example")
    return browser


def test_the_list_shows_requests_and_orders_with_progress_and_promise(ada, world) -> None:
    page = ada.get("/requests").get_data(True)
    assert "Printer on fire" in page and f"#{world.ada_query}" in page
    assert "priority normal" in page
    assert "We answered: your turn." in page  # our reply made it wait on them
    assert "We aim to resolve it by" in page  # the first answer was given
    assert "1 of 2 steps done" in page and "next: Build" in page
    for other in ("Globex", "Bob&#39;s badge"):
        assert other not in page
    order = ada.get(f"/orders/{world.acme_order}").get_data(True)
    assert "1 of 2 steps done" in order and "Next: Build" in order


def test_internal_notes_are_never_shown(ada, world) -> None:
    page = ada.get(f"/requests/{world.ada_query}").get_data(True)
    assert "We are on it." in page
    assert "SECRET-NOTE" not in page and "difficult" not in page


ROUTES = [("get", "/requests/{id}"), ("post", "/requests/{id}/reply"),
          ("post", "/requests/{id}/solve"), ("post", "/requests/{id}/reopen"),
          ("post", "/requests/{id}/rate")]


@pytest.mark.parametrize("target", ["gus_query", "bob_query", "globex_order", "missing"])
def test_another_clients_ids_are_not_found_on_every_route(ada, world, target) -> None:
    record = getattr(world, target, 999_999)
    changes = Activity.select().count()
    answers = [getattr(ada, verb)(path.format(id=record), data={
        "csrf": csrf_of(ada.get("/requests")), "body": "mine now", "score": "1"}).status_code
        for verb, path in ROUTES]
    answers.append(ada.get(f"/orders/{record}").status_code)
    assert answers == [404] * len(answers)
    assert Activity.select().count() == changes  # nothing written
    assert "mine now" not in {c.body for c in Comment.select()}


def test_a_shared_client_shows_every_contacts_requests(ada, world, admin) -> None:
    contacts.set_access(admin, world.acme, shared=True)
    page = ada.get("/requests").get_data(True)
    assert "Bob&#39;s badge" in page and "Globex" not in page
    assert ada.get(f"/requests/{world.bob_query}").status_code == 200


def test_a_confidential_client_is_never_shared(ada, world, admin) -> None:
    contacts.set_access(admin, world.acme, shared=True)
    client = clients.get(world.acme, admin)
    clients.update(admin, world.acme, client.row.version, confidential=True)
    assert ada.get(f"/requests/{world.bob_query}").status_code == 404


def test_a_client_with_the_portal_off_is_signed_out(ada, world, admin) -> None:
    contacts.set_access(admin, world.acme, enabled=False)
    assert ada.get("/requests").status_code == 302
    assert Activity.get(Activity.field == "portal_enabled").new == "no"


def test_reply_solve_rate_and_reopen_in_the_contacts_name(ada, world) -> None:
    query = world.ada_query
    before = Activity.select(Activity.id).order_by(Activity.id.desc()).scalar()
    assert post(ada, f"/requests/{query}/reply", body="Still smoking.").status_code == 302
    message = Comment.select().where(Comment.task == query).order_by(Comment.id.desc()).get()
    assert (message.kind, message.body, message.author_name) == (
        "message", "Still smoking.", "portal: ada@acme.example")
    assert QueryData.get_by_id(query).waiting_on == "us"
    assert "You · " in ada.get(f"/requests/{query}").get_data(True)  # their own message
    assert post(ada, f"/requests/{query}/solve").status_code == 302
    assert Task.get_by_id(query).category == "done"
    page = ada.get(f"/requests/{query}").get_data(True)
    assert "How did we do?" in page and 'value="5"' in page
    assert post(ada, f"/requests/{query}/rate", score="5").status_code == 302
    assert QueryData.get_by_id(query).csat_score == 5
    assert "You rated this 5 of 5" in ada.get(f"/requests/{query}").get_data(True)
    assert post(ada, f"/requests/{query}/reopen").status_code == 302
    assert Task.get_by_id(query).category != "done"
    actors = {a.actor for a in Activity.select().where(
        (Activity.entity == "task") & (Activity.entity_id == query)
        & (Activity.id > before) & Activity.field.in_(["message", "status", "csat_score"]))}
    assert actors == {"portal: ada@acme.example"}


def test_a_refused_action_says_why_and_changes_nothing(ada, world) -> None:
    empty = post(ada, f"/requests/{world.ada_query}/reply", body="   ")
    assert empty.status_code == 400 and "message: write something" in empty.get_data(True)
    early = post(ada, f"/requests/{world.ada_query}/rate", score="5")
    assert early.status_code == 400 and "not resolved yet" in early.get_data(True)
    assert QueryData.get_by_id(world.ada_query).csat_score is None


def test_a_new_request_goes_through_intake_to_the_inbox(ada, world) -> None:
    form = ada.get("/requests/new").get_data(True)
    assert '<option value="Website">Website</option>' in form
    answer = post(ada, "/requests/new", subject="Need a new toner",
                  description="The toner is empty.\r\nPlease send one.", priority="high",
                  product="Website")
    assert answer.status_code == 302
    task = Task.select().order_by(Task.id.desc()).get()
    assert answer.headers["Location"].endswith(f"/requests/{task.id}")
    data = QueryData.get_by_id(task.id)
    assert (task.kind, task.title, task.client_id, task.priority) == (
        "query", "Need a new toner", world.acme, 2)
    assert TaskList.get_by_id(task.task_list_id).name == "Support inbox"
    assert (data.requester_email, data.channel) == ("ada@acme.example", "form")
    assert data.first_response_due is not None  # on the SLA clock
    # the product named; a browser's CR LF stored as a newline
    assert task.description == "Product: Website\n\nThe toner is empty.\nPlease send one."
    assert Activity.get((Activity.entity_id == task.id) & (Activity.field == "kind")
                        ).actor == "portal: ada@acme.example"
    acknowledgement = Outbox.get(Outbox.task == task.id)
    assert acknowledgement.to_address == "ada@acme.example"
    assert f"[#{task.id}]" in acknowledgement.subject
    assert "Need a new toner" in ada.get("/requests").get_data(True)


def test_a_new_request_refuses_a_priority_the_portal_does_not_offer(ada, world) -> None:
    count = Task.select().count()
    answer = post(ada, "/requests/new", subject="Now!", description="x", priority="urgent")
    assert answer.status_code == 400
    assert "priority: choose one of low, normal, high" in answer.get_data(True)
    unknown = post(ada, "/requests/new", subject="Hm", description="x", product="Spaceship")
    assert unknown.status_code == 400
    assert "product: no product &#39;Spaceship&#39; in the catalogue" in unknown.get_data(True)
    assert Task.select().count() == count


HOSTILE = "<script>alert(1)</script> \u202egnp.exe {{7*7}} <img src=x onerror=alert(2)>"


def test_hostile_text_is_shown_as_text(ada, world, admin, settings) -> None:
    query = new_query(admin, settings, HOSTILE, world.acme, "ada@acme.example", HOSTILE)
    for page in (ada.get("/requests").get_data(True),
                 ada.get(f"/requests/{query}").get_data(True)):
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "\u202e" not in page and "⟨U+202E⟩" in page
        # the template syntax stays as typed (a "49" elsewhere may be the clock's minute)
        assert "⟨U+202E⟩gnp.exe {{7*7}}" in page
    post(ada, f"/requests/{query}/reply", body=HOSTILE)
    assert "<img src=x" not in ada.get(f"/requests/{query}").get_data(True)


def test_pages_need_a_signed_in_contact(browser, world) -> None:
    for path in ("/requests", f"/requests/{world.ada_query}", "/requests/new",
                 f"/orders/{world.acme_order}"):
        answer = browser.get(path)
        assert answer.status_code == 302 and answer.headers["Location"].endswith("/sign-in")


def test_a_new_request_keeps_its_files_under_safe_names(ada, world) -> None:
    files = [(BytesIO(b"%PDF-1.4 report"), "../../etc/passwd\x1b[31m.pdf"),
             (BytesIO(b"hello"), "notes.txt")]
    answer = post(ada, "/requests/new", subject="See attached", description="Two files.",
                  files=files)
    assert answer.status_code == 302
    task = Task.select().order_by(Task.id.desc()).get()
    saved = {row.filename: row for row in Attachment.select().where(Attachment.task == task.id)}
    assert set(saved) == {"passwd[31m.pdf", "notes.txt"}
    stored = attachments_dir() / saved["notes.txt"].path
    assert stored.read_bytes() == b"hello"
    assert stored.resolve().is_relative_to(attachments_dir().resolve())
    assert "Attachments:\n- passwd[31m.pdf (15 B)\n- notes.txt (5 B)" in task.description
    page = ada.get(f"/requests/{task.id}").get_data(True)
    assert "notes.txt</a> (5 B)" in page and "\x1b" not in page


def test_a_file_over_the_limit_is_refused_and_nothing_is_written(db, admin, world) -> None:
    settings = parse_settings(PORTAL_CONFIG + "intake:\n  attachment_max_bytes: 10\n")
    client = create_app(settings, db, admin).test_client()
    sign_in(client, "ada@acme.example")
    count = Task.select().count()
    answer = post(client, "/requests/new", subject="Big", description="Too big.",
                  files=[(BytesIO(b"x" * 11), "big.bin")])
    assert answer.status_code == 400
    assert "files: big.bin is larger than the limit of 10 B" in answer.get_data(True)
    assert Task.select().count() == count and Attachment.select().count() == 0
    assert not list(attachments_dir().rglob("big.bin"))
