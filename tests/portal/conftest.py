"""The portal's fixtures: two clients with requests and orders, and a Flask test client of
the portal over the test database (SQLite and PostgreSQL, by tests/conftest.py's `db`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from built_once import rows_built_once

from desk.config import parse_settings
from desk.crm import clients
from desk.models import Outbox
from desk.portal.app import create_app
from desk.sla import book
from desk.support import intake
from desk.work import checklists, comments, orders, workspace

PORTAL_CONFIG = "portal:\n  enabled: true\n  public_url: http://portal.test\n"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
LINK = re.compile(r"http://portal\.test(/sign-in/\S+)")


@dataclass
class World:
    """The records the tests look at: Acme (ada is its own address, bob asked one query)
    and Globex (gus), with a query each and an order each."""

    ada_query: int
    bob_query: int
    gus_query: int
    acme_order: int
    globex_order: int
    acme: int
    globex: int


def new_query(agent, settings, title: str, client_id: int, address: str,
              description: str = "It broke.") -> int:
    """A query from `address` for the client, as intake makes one."""
    options = intake.IntakeOptions.from_settings(settings.intake, book(settings))
    return intake.create_query(agent, options, title, description, client_id, "normal",
                               {"requester_email": address, "channel": "email"})


@pytest.fixture
def settings():
    """Settings with the portal on."""
    return parse_settings(PORTAL_CONFIG)


def build_world(admin) -> dict[str, int]:
    """Two clients with their requests and orders: the ids World holds."""
    settings = parse_settings(PORTAL_CONFIG)
    acme = clients.create(admin, "Acme", "client", email="ada@acme.example").row.id
    globex = clients.create(admin, "Globex", "client", email="gus@globex.example").row.id
    ada = new_query(admin, settings, "Printer on fire", acme, "ada@acme.example")
    bob = new_query(admin, settings, "Bob's badge", acme, "bob@acme.example")
    gus = new_query(admin, settings, "Globex secret plans", globex, "gus@globex.example")
    comments.reply(admin, ada, "We are on it.")
    comments.note(admin, ada, "SECRET-NOTE: the client is difficult")
    workspace.create_list(admin, "Desk", "Orders")
    orders.create_product(admin, "Website")
    acme_order = orders.create_order(admin, acme, "Website", 1).task.row.id
    globex_order = orders.create_order(admin, globex, "Website", 2,
                                       title="Globex hidden order").task.row.id
    listed = checklists.add_checklist(admin, acme_order, "Steps")
    first = checklists.add_item(admin, listed, "Design")
    checklists.add_item(admin, listed, "Build")
    checklists.set_done(admin, first, 1, True)
    Outbox.delete().execute()  # the replies' mail: the tests read the sign-in mail
    return {"ada_query": ada, "bob_query": bob, "gus_query": gus, "acme_order": acme_order,
            "globex_order": globex_order, "acme": acme, "globex": globex}


@pytest.fixture
def world(request, db) -> World:
    """Two clients with their requests and orders (built once per run on SQLite)."""
    return World(**rows_built_once(request, db, "portal-world", build_world))


@pytest.fixture
def app(request, db, admin, settings):
    """The portal app over the test database (after the test's world, whose rows replace the
    database's whole content, so the app's signing key is not lost with them)."""
    if "world" in request.fixturenames:
        request.getfixturevalue("world")
    flask_app = create_app(settings, db, admin)
    flask_app.testing = True
    return flask_app


@pytest.fixture
def browser(app):
    """A Flask test client (keeps its cookies)."""
    return app.test_client()


def csrf_of(page) -> str:
    """The CSRF token in a page's forms."""
    return CSRF.search(page.get_data(as_text=True)).group(1)


def link_for(address: str) -> str:
    """The path of the newest sign-in link e-mailed to `address` (from the outbox)."""
    message = (Outbox.select().where(Outbox.to_address == address)
               .order_by(Outbox.id.desc()).first())
    return LINK.search(message.body).group(1)


def ask_link(client, address: str):
    """Ask for a sign-in link for `address`; returns the answer."""
    token = csrf_of(client.get("/sign-in"))
    return client.post("/sign-in", data={"address": address, "csrf": token})


def sign_in(client, address: str) -> None:
    """Sign in as `address`, through the e-mailed link."""
    ask_link(client, address)
    path = link_for(address)
    answer = client.post(path, data={"csrf": csrf_of(client.get(path))})
    assert answer.status_code == 302, answer.get_data(as_text=True)


def post(client, path: str, **data):
    """POST a form with the session's CSRF token."""
    return client.post(path, data={"csrf": csrf_of(client.get("/requests/new")), **data})
