"""Signing in to the portal by e-mailed link, end to end through the outbox: the answer
that never tells whether an address is known, the confirm page, single use, expiry, the
rate limits, CSRF, the cookie and the security headers."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desk.clock import utcnow
from desk.config import parse_settings
from desk.errors import InvalidInput
from desk.models import Activity, Comment, Outbox, PortalAttempt, PortalLink, PortalSession
from desk.portal.app import create_app
from desk.support.portal import signin

from .conftest import ask_link, csrf_of, link_for, sign_in


def test_a_contact_signs_in_from_the_link_in_the_queued_email(browser, world) -> None:
    answer = ask_link(browser, "Ada@Acme.example ")
    assert "If we know this address, a sign-in link is on its way" in answer.get_data(True)
    mail = Outbox.get(Outbox.to_address == "ada@acme.example")
    assert mail.client_id == world.acme and mail.status == "queued"
    path = link_for("ada@acme.example")
    confirm = browser.get(path)
    assert confirm.status_code == 200 and "Press the button to sign in" in confirm.get_data(True)
    assert PortalSession.select().count() == 0  # opening the link (a mail scanner) uses nothing
    signed = browser.post(path, data={"csrf": csrf_of(confirm)})
    assert signed.status_code == 302 and signed.headers["Location"].endswith("/requests")
    page = browser.get("/requests").get_data(True)
    assert "Printer on fire" in page and "ada@acme.example" in page
    assert Activity.get(Activity.field == "portal_sign_in").actor == "portal: ada@acme.example"
    # only hashes are stored
    token = path.rsplit("/", 1)[1]
    assert PortalLink.get().token_hash == signin.digest(token) != token


def test_the_answer_does_not_tell_whether_an_address_is_known(browser, world) -> None:
    known = ask_link(browser, "ada@acme.example")
    unknown = ask_link(browser, "nobody@nowhere.example")
    assert known.status_code == unknown.status_code == 200
    strip = lambda page: page.get_data(True).replace(csrf_of(page), "") if "csrf" in \
        page.get_data(True) else page.get_data(True)  # noqa: E731
    assert strip(known) == strip(unknown)
    assert Outbox.select().where(Outbox.to_address == "nobody@nowhere.example").count() == 0


def test_a_requester_of_a_client_is_a_contact_too(browser, world) -> None:
    sign_in(browser, "bob@acme.example")
    page = browser.get("/requests").get_data(True)
    assert "Bob&#39;s badge" in page
    assert "Printer on fire" not in page  # Acme is not shared: ada's request is hers
    assert "Your orders" not in page  # orders are the client's own address's


def test_a_link_works_once(browser, world, app) -> None:
    sign_in(browser, "ada@acme.example")
    path = link_for("ada@acme.example")
    other = app.test_client()
    again = other.post(path, data={"csrf": csrf_of(other.get(path))})
    assert again.status_code == 400
    assert "expired or was used already" in again.get_data(True)
    assert other.get("/requests").status_code == 302  # not signed in


def test_a_link_expires(db, admin, settings, world) -> None:
    start = utcnow()
    assert signin.request_link(admin, "ada@acme.example", "10.0.0.1", settings.portal,
                               now=start) == "sent"
    token = link_for("ada@acme.example").rsplit("/", 1)[1]
    with pytest.raises(InvalidInput, match="expired"):
        signin.use_link(admin, token, settings.portal, now=start + timedelta(minutes=31))
    assert signin.use_link(admin, token, settings.portal,
                           now=start + timedelta(minutes=29)).contact.client_id == world.acme


def test_link_requests_are_limited_per_address(browser, world) -> None:
    for _ in range(3):
        assert ask_link(browser, "ada@acme.example").status_code == 200
    limited = ask_link(browser, "ada@acme.example")
    assert limited.status_code == 429 and "Too many" in limited.get_data(True)
    assert Outbox.select().count() == 3
    # an unknown address is counted the same way: the limit tells nothing either
    for _ in range(3):
        ask_link(browser, "eve@evil.example")
    assert ask_link(browser, "eve@evil.example").status_code == 429


def test_link_requests_are_limited_per_ip(db, admin, world) -> None:
    settings = parse_settings("portal:\n  enabled: true\n  links_per_ip: 2\n")
    client = create_app(settings, db, admin).test_client()
    assert ask_link(client, "ada@acme.example").status_code == 200
    assert ask_link(client, "gus@globex.example").status_code == 200
    assert ask_link(client, "bob@acme.example").status_code == 429
    assert Outbox.select().where(Outbox.to_address == "bob@acme.example").count() == 0


def test_a_form_without_its_csrf_token_is_refused(browser, world) -> None:
    refused = browser.post("/sign-in", data={"address": "ada@acme.example"})
    assert refused.status_code == 400 and Outbox.select().count() == 0
    sign_in(browser, "ada@acme.example")
    messages = Comment.select().where(Comment.task == world.ada_query).count()
    forged = browser.post(f"/requests/{world.ada_query}/reply",
                          data={"body": "hi", "csrf": "forged"})
    assert forged.status_code == 400 and "The form had expired" in forged.get_data(True)
    assert Comment.select().where(Comment.task == world.ada_query).count() == messages


def test_cookie_and_security_headers(browser, world, db, admin) -> None:
    answer = browser.get("/sign-in")
    csp = answer.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert "script-src" not in csp and "default-src 'none'" in csp  # no script at all
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    https = parse_settings("portal:\n  enabled: true\n  public_url: https://portal.example\n")
    secure = create_app(https, db, admin).test_client().get("/sign-in")
    assert "Secure" in secure.headers["Set-Cookie"]
    assert "<script" not in answer.get_data(True)


def test_signing_out_ends_the_session(browser, world) -> None:
    sign_in(browser, "ada@acme.example")
    page = browser.get("/requests")
    assert browser.post("/sign-out", data={"csrf": csrf_of(page)}).status_code == 302
    assert PortalSession.select().count() == 0
    assert browser.get("/requests").status_code == 302


@pytest.mark.parametrize("text", ["not an address", "ada@acme.example\x00", "a" * 300 + "@x.io"])
def test_text_that_is_no_address_is_refused_and_counts_for_nothing(browser, world, text) -> None:
    answer = ask_link(browser, text)
    assert answer.status_code == 400
    assert "Enter an e-mail address, like ada@example.com." in answer.get_data(True)
    assert PortalAttempt.select().count() == 0 and Outbox.select().count() == 0
