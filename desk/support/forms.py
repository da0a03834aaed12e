"""Intake from forms: submissions (a web form, a script, the TUI's new-query form) become
new queries on the intake list, their requester matched to a client as e-mail's is
(desk.support.intake). A submission with a mistake is refused with the field named, and
nothing is written; several submissions are taken all or none.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from peewee import fn

from desk.crm import clients
from desk.errors import DeskError, InvalidInput
from desk.kernel import audit
from desk.kernel.agents import AgentRef, require_writer
from desk.kernel.inputs import storable_text, typed_id
from desk.models import Product, database
from desk.support import intake
from desk.vocabulary import CHANNELS
from desk.work import tasks

FORM_FIELDS = ("name", "email", "client", "product", "problem", "title", "priority", "channel")


def take_forms(agent: AgentRef, submissions: Sequence[object], options: intake.IntakeOptions
               ) -> intake.IntakeReport:
    """New queries from several form submissions, all or none: a mistake in any of them is
    InvalidInput naming it ("submission 2: email: ...") and nothing is written."""
    report = intake.IntakeReport()
    with database.atomic():
        for number, submission in enumerate(submissions, start=1):
            source = f"submission {number}"
            try:
                report.outcomes.append(take_form(agent, submission, source, options))
            except DeskError as error:
                raise InvalidInput(f"{source}: {error}") from error
    return report


def take_form(agent: AgentRef, submission: object, source: str,
              options: intake.IntakeOptions, *, actor: str = intake.ACTOR) -> intake.Outcome:
    """A new query from a form submission: a mapping of requester name, email, client (id or
    name), product (of the catalogue), problem (required), title, priority and channel
    (form, email, phone or walk-in). A mistake is InvalidInput naming the field; nothing is
    written then. The history names `actor` ("intake"; the portal names the contact)."""
    require_writer(agent)
    values = _form_values(submission)
    with audit.acting_as(actor, 0), database.atomic():
        if values["client"]:
            client_id = clients.find(values["client"], agent).id
        else:
            client_id = intake.requester_client(agent, values["email"], values["name"], options)
        description = values["problem"]
        if values["product"]:
            description = f"Product: {_product(values['product'])}\n\n{description}"
        title = values["title"] or values["problem"].strip().splitlines()[0][:120]
        task_id = intake.create_query(agent, options, title, description, client_id,
                                      values["priority"] or "normal",
                                      {"requester_name": values["name"],
                                       "requester_email": values["email"],
                                       "requester_contact": intake.requester_contact(
                                           client_id, values["email"]),
                                       "channel": values["channel"] or "form"})
    return intake.Outcome(source, "new", task_id, title)


def _form_values(submission: object) -> dict[str, str]:
    """The fields of a submission as stripped text, checked."""
    if not isinstance(submission, Mapping):
        raise InvalidInput("a submission must be a mapping of fields (name, email, problem...)")
    unknown = sorted(str(key) for key in submission if key not in FORM_FIELDS)
    if unknown:
        raise InvalidInput(f"unknown field {unknown[0]!r} (expected {', '.join(FORM_FIELDS)})")
    values = {}
    for name in FORM_FIELDS:
        value = submission.get(name)
        if isinstance(value, bool) or not isinstance(value, str | int | None):
            raise InvalidInput(f"{name}: expected text, got {value!r}")
        values[name] = "" if value is None else storable_text(str(value), name).strip()
    if not values["problem"]:
        raise InvalidInput("problem: describe the problem (it cannot be empty)")
    if values["email"] and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", values["email"]):
        raise InvalidInput(f"email: {values['email']!r} is not an e-mail address")
    values["email"] = values["email"].lower()
    if values["channel"] and values["channel"] not in CHANNELS:
        raise InvalidInput(f"channel: expected one of {', '.join(CHANNELS)}, not "
                           f"{values['channel']!r}")
    if values["priority"]:
        tasks.priority_number(values["priority"])
    for name, limit in (("name", 200), ("title", 500)):
        if len(values[name]) > limit:
            raise InvalidInput(f"{name}: at most {limit} characters")
    return values


def _product(name: str) -> str:
    """The catalogue name of a product given by name (case-insensitive) or id."""
    product_id = typed_id(name)
    condition = (Product.id == product_id) if product_id is not None else (
        fn.LOWER(Product.name) == name.lower())
    found = Product.select(Product.name).where(condition).scalar()
    if found is None:
        raise InvalidInput(f"product: no product {name!r} in the catalogue")
    return found
