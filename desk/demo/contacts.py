"""The demo's people: every demo client gets its contact person as the primary decision maker
(as migration 0017 moves a client's single contact), and each client of kind client one to
three more people with believable roles and titles at its own domain. Inserted in one bulk
insert, from a generator of their own seed, so the rest of the demo draws what it drew
before; the queries whose requester is one of them are then linked to that contact."""

from __future__ import annotations

import random
from datetime import date

from peewee import fn

from desk.demo.context import ClientInfo, Demo
from desk.models import Client, Contact, QueryData, Task

FIRST = ("Amira", "Ben", "Chloe", "Dev", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonas",
         "Kemi", "Lars", "Mei", "Nora", "Omar", "Priya", "Ruth", "Sami", "Tomas", "Yara")
LAST = ("Adler", "Brennan", "Costa", "Dubois", "Ekwueme", "Fischer", "Haddad", "Ivanova",
        "Jensen", "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrov", "Quinn",
        "Rossi", "Schmidt", "Tanaka", "Varga")
TITLES = {"billing": ("Finance Manager", "Bookkeeper", "Office Manager"),
          "technical": ("IT Lead", "Systems Administrator", "Head of Operations"),
          "user": ("Project Coordinator", "Receptionist", "Sales Assistant")}
"""What people in each role (beyond the decision maker) are called at a small business."""
DECIDER_TITLE = {"client": "Managing Director", "customer": ""}


def add_people(demo: Demo) -> None:
    """The contacts of every demo client, then the queries they asked linked to them."""
    rng = random.Random(f"{demo.seed}-contacts")
    birthdays = dict(Client.select(Client.id, Client.birthday).tuples())
    rows = []
    for info in demo.clients:
        rows.extend(_people(rng, info, birthdays[info.id]))
    for start in range(0, len(rows), 500):
        Contact.insert_many(rows[start:start + 500]).execute()
    _link_requesters()


def _people(rng: random.Random, info: ClientInfo, birthday: date | None) -> list[dict]:
    """The rows of one client's contacts: the primary decision maker, then for a client of
    kind client one to three others (roles drawn without repeats)."""
    spec, at = info.spec, info.created_at
    base = {"client": info.id, "created_at": at, "updated_at": at, "notes": "", "version": 1}
    rows = [{**base, "name": spec.contact or spec.name, "email": spec.email,
             "phone": spec.phone, "title": DECIDER_TITLE[spec.kind],
             "birthday": birthday, "role": "decision_maker", "is_primary": True}]
    if spec.kind != "client":
        return rows
    domain = spec.email.rpartition("@")[2]
    for role in rng.sample(tuple(TITLES), rng.randint(1, 3)):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        address = f"{first}.{last}@{domain}".lower() if domain else ""
        rows.append({**base, "name": f"{first} {last}", "email": address,
                     "phone": "", "title": rng.choice(TITLES[role]), "birthday": None,
                     "role": role, "is_primary": False})
    return rows


def _link_requesters() -> None:
    """Each query whose requester's address is a contact's of its client records it."""
    asked = (Contact.select(Contact.id).join(Task, on=Task.client == Contact.client)
             .where((Task.id == QueryData.task) & (Contact.email != "")
                    & (fn.LOWER(Contact.email)
                       == fn.LOWER(QueryData.requester_email)))
             .order_by(Contact.id).limit(1))
    QueryData.update(requester_contact=asked).where(QueryData.requester_email != "").execute()
