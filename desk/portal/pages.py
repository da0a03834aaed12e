"""The portal's routes. Every page but signing in needs a signed-in contact, and every record
a page names is looked up through what that contact may see (desk.support.portal.contacts):
another client's id is "not found", like an id that does not exist."""

from __future__ import annotations

import secrets

from flask import (
    Blueprint,
    abort,
    g,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)

from desk.clock import to_local, utcnow
from desk.errors import InvalidInput
from desk.mail.attachments import attachments_dir, size_text
from desk.mail.parse import MailAttachment
from desk.metrics import portal_retainer
from desk.portal.context import portal
from desk.portal.downloads import DEFAULT_TYPE, served_type
from desk.support.portal import actions, sharing, signin, views
from desk.vocabulary import PRIORITY_WORDS

blueprint = Blueprint("portal", __name__)


def _contact():
    """The signed-in contact; anyone else is sent to sign in."""
    if g.contact is None:
        abort(redirect(url_for("portal.sign_in")))
    return g.contact


@blueprint.get("/")
def home():
    """The requests of whoever is signed in, else the sign-in page."""
    return redirect(url_for("portal.requests" if g.contact else "portal.sign_in"))


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    """Ask for a sign-in link. The answer is the same whether the address is known."""
    if request.method == "GET":
        return render_template("sign_in.html", problem="")
    address = request.form.get("address", "")
    if not address.strip():
        return render_template("sign_in.html", problem="Enter your e-mail address."), 400
    settings = portal().settings.portal
    try:
        outcome = signin.request_link(portal().agent, address, request.remote_addr or "",
                                      settings)
    except InvalidInput as error:
        return render_template("sign_in.html", problem=str(error).capitalize() + "."), 400
    if outcome == "limited":
        return render_template("error.html", heading="Too many requests",
                               detail=f"Too many sign-in links were asked for. Try again in "
                                      f"{settings.limit_minutes} minutes."), 429
    return render_template("link_sent.html", minutes=settings.link_minutes)


@blueprint.route("/sign-in/<token>", methods=["GET", "POST"])
def confirm(token: str):
    """The page a sign-in link opens; only its button (a POST) uses the link."""
    if request.method == "GET":
        return render_template("confirm.html", token=token)
    try:
        signed = signin.use_link(portal().agent, token, portal().settings.portal)
    except InvalidInput as error:
        return render_template("error.html", heading="This link does not work",
                               detail=str(error).capitalize() + "."), 400
    session.clear()  # a new session: nothing from before signing in carries over
    session.permanent = True
    session["sid"] = signed.token
    session["csrf"] = secrets.token_urlsafe(32)
    return redirect(url_for("portal.requests"))


@blueprint.post("/sign-out")
def sign_out():
    """End the session."""
    signin.sign_out(session.get("sid", ""))
    session.clear()
    return redirect(url_for("portal.sign_in"))


@blueprint.get("/requests")
def requests():
    """The contact's requests and orders."""
    contact = _contact()
    zone = portal().settings.tz
    return render_template("requests.html", contact=contact,
                           rows=views.requests(contact, zone, utcnow()),
                           orders=views.orders(contact, zone),
                           retainer=_retainer(contact),
                           shared=len(sharing.documents(contact)))


def _retainer(contact):
    """The client's retainer section for a contact who sees the client's orders (its own
    address, or any contact of a shared client), else None; None without a retainer."""
    if not contact.sees_orders:
        return None
    return portal_retainer.load(contact.client_id, to_local(utcnow(), portal().settings.tz).date())


@blueprint.get("/requests/<int:task_id>")
def request_page(task_id: int, problem: str = "", status: int = 200):
    """One request with its conversation and what the contact can do with it."""
    contact = _contact()
    page = views.request(contact, task_id, portal().settings.tz, utcnow())
    return render_template("request.html", contact=contact, page=page, problem=problem,
                           scores=range(1, 6)), status


def _act(task_id: int, action, *args):
    """Do `action` on a request and go back to it; a refusal shows on the request."""
    try:
        action(portal().agent, _contact(), task_id, *args)
    except InvalidInput as error:
        return request_page(task_id, str(error), 400)
    return redirect(url_for("portal.request_page", task_id=task_id))


@blueprint.post("/requests/<int:task_id>/reply")
def reply(task_id: int):
    """The contact's reply."""
    return _act(task_id, actions.reply, request.form.get("body", ""), portal().options)


@blueprint.post("/requests/<int:task_id>/solve")
def solve(task_id: int):
    """Mark a request solved."""
    return _act(task_id, actions.solve)


@blueprint.post("/requests/<int:task_id>/reopen")
def reopen(task_id: int):
    """Reopen a solved request."""
    return _act(task_id, actions.reopen)


@blueprint.post("/requests/<int:task_id>/rate")
def rate(task_id: int):
    """The contact's rating of a solved request, one click."""
    return _act(task_id, actions.rate, request.form.get("score", ""))


@blueprint.route("/requests/new", methods=["GET", "POST"])
def new_request():
    """Open a new request."""
    contact = _contact()
    form = {name: request.form.get(name, "")
            for name in ("subject", "description", "priority", "product")}
    if request.method == "GET":
        return _new_request_page(contact, form, "")
    files = [MailAttachment(item.filename or "", item.mimetype or DEFAULT_TYPE, item.read())
             for item in request.files.getlist("files") if item.filename]
    try:
        task_id = actions.new_request(portal().agent, contact, form["subject"],
                                      form["description"], form["priority"],
                                      portal().options, portal().settings.portal, files,
                                      form["product"])
    except InvalidInput as error:
        return _new_request_page(contact, form, str(error)), 400
    return redirect(url_for("portal.request_page", task_id=task_id))


def _new_request_page(contact, form: dict[str, str], problem: str) -> str:
    """The new-request form, filled in with `form`, and what was wrong with it."""
    offered = portal().settings.portal.priorities
    return render_template("new_request.html", contact=contact, form=form, problem=problem,
                           priorities=[word for word in PRIORITY_WORDS if word in offered],
                           products=actions.products(), files=actions.FILES,
                           limit=size_text(portal().options.attachment_max_bytes))


@blueprint.get("/orders/<int:task_id>")
def order_page(task_id: int):
    """One order with its progress."""
    contact = _contact()
    return render_template("order.html", contact=contact,
                           order=views.order(contact, task_id, portal().settings.tz))


@blueprint.get("/shared")
def shared():
    """The documents shared with the contact, as text."""
    contact = _contact()
    zone = portal().settings.tz
    return render_template("shared.html", contact=contact, documents=[
        (document.title, views.moment(document.at, zone), document.body)
        for document in sharing.documents(contact)])


@blueprint.get("/requests/<int:task_id>/files/<int:file_id>")
def download(task_id: int, file_id: int):
    """A file of one of the contact's requests, always as a download."""
    contact = _contact()
    options = portal().options
    found = views.file(contact, task_id, file_id, options.attachments_root or attachments_dir())
    answer = send_file(found.path, mimetype=served_type(found.content_type), as_attachment=True,
                       download_name=found.filename, etag=False)
    answer.headers["Cache-Control"] = "no-store"  # a client's file stays out of caches
    return answer
