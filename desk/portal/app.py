"""The portal's Flask application: settings, a database connection per request, the signed
session cookie (HttpOnly, SameSite=Lax, Secure when the public address is https), a CSRF
token checked on every POST, and the security headers of every answer."""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask, abort, g, render_template, request, session
from peewee import Database

from desk.config import Settings
from desk.errors import DeskError, NotFound, PermissionDenied
from desk.kernel.agents import AgentRef
from desk.money import money_text
from desk.portal import feedback_pages, pages
from desk.portal.context import EXTENSION, Portal, portal
from desk.sla import book
from desk.support import intake
from desk.support.portal import grants, signin
from desk.support.portal.actions import FILES
from desk.text import visible

HERE = Path(__file__).parent
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
"""No script at all, styles and images from the portal only, forms posting to it only, and
no page framed by another site."""
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # a sign-in link's token never leaves in a Referer
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
"""The headers every answer carries."""


def create_app(settings: Settings, database: Database, agent: AgentRef) -> Flask:
    """The portal's Flask app over `database` (bound to desk's models), acting through
    `agent`; the cookie's signing key is kept in the database (desk.support.portal.signin)."""
    app = Flask(__name__, template_folder=str(HERE / "templates"),
                static_folder=str(HERE / "static"))
    options = intake.IntakeOptions.from_settings(settings.intake, book(settings))
    app.extensions[EXTENSION] = Portal(settings, database, agent, options)
    with database.connection_context():
        grants.require()
        key = signin.secret_key(agent)
    app.config.update(
        SECRET_KEY=key, SESSION_COOKIE_NAME="desk_portal", SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.portal.public_url.startswith("https://"),
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.portal.session_hours),
        MAX_CONTENT_LENGTH=FILES * settings.intake.attachment_max_bytes + 1_000_000,
    )
    app.jinja_env.autoescape = True
    app.jinja_env.filters["shown"] = lambda text: visible(str(text))
    app.jinja_env.filters["money"] = lambda amount: money_text(amount, settings.money.currency)
    app.jinja_env.globals.update(portal_name=settings.portal.name, csrf_token=csrf_token)
    app.before_request(_open)
    app.teardown_request(_close)
    app.after_request(_headers)
    for code in (400, 403, 404, 405, 413, 429, 503):
        app.register_error_handler(code, _error_page)
    app.register_error_handler(DeskError, lambda error: _error_page(400, str(error)))
    app.register_error_handler(NotFound, lambda error: _error_page(404, str(error)))
    app.register_error_handler(PermissionDenied, lambda error: _error_page(503))
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(feedback_pages.blueprint)
    return app


def _open() -> None:
    """Open this request's connection, check the CSRF token of a POST, and find who is
    signed in (`g.contact`, None for nobody)."""
    portal().database.connect(reuse_if_open=True)
    if request.method == "POST":
        sent = request.form.get("csrf", "")
        if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
            abort(400, "The form had expired. Go back, reload the page and try again.")
    g.contact = signin.contact_of(session.get("sid", ""))


def _close(error: BaseException | None) -> None:
    """Close this request's connection."""
    database = portal().database
    if not database.is_closed():
        database.close()


def _headers(response):
    """Add the security headers to an answer."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def csrf_token() -> str:
    """The session's CSRF token, made when it has none: every form carries it."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


WORDS = {400: "That did not work", 403: "Not allowed", 404: "Not found",
         405: "Not allowed", 413: "Too large", 429: "Too many requests",
         503: "The portal is unavailable"}
"""The heading of each error page."""


def _error_page(error, detail: str = ""):
    """An error page: its heading and one line of what to do."""
    code = error if isinstance(error, int) else getattr(error, "code", 500)
    if not detail and not isinstance(error, int):
        detail = getattr(error, "description", "") or ""
    if code == 404:
        detail = "There is no such page, or it is not yours to see."
    return render_template("error.html", heading=WORDS.get(code, "Error"),
                           detail=detail), code

