"""A client's people: add, edit and remove its contacts, each with a role, one primary.

Every write checks the agent's role from the database, runs in one transaction, names the
version it read (a contact is edited at its version) and records each changed field in the
audit as the entity "contact" (events contact.added, contact.changed, contact.removed, with
the client's id). A client has at most one primary contact: making one primary makes the
one before it an ordinary contact in the same transaction, and a client's first contact is
its primary. The contacts of a confidential client follow desk.kernel.confidential: who
may not see the client in full sees each contact's role and title, and HIDDEN for the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime

from msgspec import Struct
from msgspec.structs import replace
from peewee import fn

from desk.clock import stored, utcnow
from desk.crm.clients import FIELDS as CLIENT_FIELDS
from desk.email_address import check_address
from desk.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from desk.kernel import audit, versions
from desk.kernel.agents import AgentRef, require_writer
from desk.kernel.confidential import HIDDEN, Asker, can_see, unseen_ids
from desk.kernel.inputs import checked_field, known_fields, required_text, storable_text, typed_id
from desk.models import Client, Contact, database
from desk.text import one_line
from desk.vocabulary import CONTACT_ROLES

NAME_LIMIT = 200
"""The most characters a contact's name or title may have."""
ROLE_LABELS = {"decision_maker": "decision maker", "billing": "billing",
               "technical": "technical", "user": "user"}
"""How each role is written for people."""
HIDDEN_WHEN_CONFIDENTIAL = ("name", "email", "phone", "notes")
"""What of a confidential client's contact only admins and its manager see."""


class ContactRow(Struct, frozen=True):
    """One contact as the client screen, the CLI and JSON show it."""

    id: int
    client_id: int
    name: str
    role: str
    title: str
    email: str
    phone: str
    birthday: date | None
    notes: str
    primary: bool
    version: int

    @property
    def first_name(self) -> str:
        """The first word of the name ("Ada" of "Ada Lovelace"), or the name itself."""
        return first_name(self.name)


# --- validation ----------------------------------------------------------------------------


def _name(value: object) -> str:
    """A contact's name: required, one line of at most NAME_LIMIT characters."""
    return required_text(value, what="a contact's name", limit=NAME_LIMIT)


def _title(value: object) -> str:
    """A job title, or "" for none."""
    title = storable_text(str(value or "").strip(), "title")
    if len(title) > NAME_LIMIT:
        raise InvalidInput(f"title can have at most {NAME_LIMIT} characters")
    return title


def _email(value: object) -> str:
    """One plain e-mail address (desk.email_address), or "" for none."""
    text = storable_text(str(value or "").strip(), "email")
    if not text:
        return ""
    if len(text) > 254:
        raise InvalidInput("email can have at most 254 characters")
    try:
        return check_address(text)
    except ValueError as error:
        raise InvalidInput(str(error)) from None


def _role(value: object) -> str:
    """One of the roles, as typed with spaces or dashes ("decision maker")."""
    word = str(value or "").strip().lower().replace("-", "_").replace(" ", "_")
    if word not in CONTACT_ROLES:
        raise InvalidInput(f"role must be one of {', '.join(CONTACT_ROLES)}, not {value!r}")
    return word


def _flag(value: object) -> bool:
    """Yes or no, given as a bool or as yes/no, true/false, on/off, 1/0."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word not in ("yes", "true", "on", "1", "no", "false", "off", "0"):
        raise InvalidInput(f"primary must be yes or no, not {value!r}")
    return word in ("yes", "true", "on", "1")


FIELDS: dict[str, Callable[[object], object]] = {
    "name": _name,
    "email": _email,
    "phone": CLIENT_FIELDS["phone"],
    "title": _title,
    "birthday": CLIENT_FIELDS["birthday"],
    "notes": CLIENT_FIELDS["notes"],
    "role": _role,
    "primary": _flag,
}
"""The fields of a contact and the check of each: a bad value is a FieldError naming it."""
COLUMNS = {"primary": "is_primary"}
"""The fields whose column has another name."""


def _normalise(changes: Mapping[str, object]) -> dict[str, object]:
    """The changes checked; an unknown field or a bad value is refused, naming it."""
    known_fields(dict(changes), tuple(FIELDS), "contact")
    return {name: checked_field(FIELDS, name, value) for name, value in changes.items()}


# --- writes --------------------------------------------------------------------------------


def add(agent: AgentRef, client_id: int, name: str, *, role: str = "user",
        now: datetime | None = None, **fields: object) -> ContactRow:
    """Add a contact to a client; returns it. Accepts email, phone, title, birthday, notes
    and primary (a client's first contact is primary whatever it says)."""
    require_writer(agent)
    values = _normalise({"name": name, "role": role, **fields})
    with database.atomic():
        client = _writable_client(agent, client_id)
        moment = stored(now) or utcnow()
        first = not Contact.select().where(Contact.client == client.id).exists()
        values["primary"] = first or bool(values.get("primary"))
        if values["primary"]:
            _unset_primary(agent, client.id, moment)
        contact = Contact.create(client=client.id, created_at=moment, updated_at=moment,
                                 **_columns(values))
        audit.record("contact", contact.id, agent,
                     {field: (None, value) for field, value in values.items()
                      if value not in (None, "", False)},
                     1, "contact.added", {"client_id": client.id}, at=moment)
    return _row(contact.id)


def edit(agent: AgentRef, contact_id: int, version: int, *, now: datetime | None = None,
         **changes: object) -> ContactRow:
    """Change fields of a contact read at `version` (those of `add`, plus name and role).
    Fields someone else changed since conflict (ConflictError, nothing written); others
    merge. Making a contact primary makes the client's other primary an ordinary one."""
    require_writer(agent)
    wanted = _normalise(changes)
    with database.atomic():
        contact = versions.load_for_update(Contact, contact_id, "contact")
        _writable_client(agent, contact.client_id)
        effective = versions.effective_changes("contact", contact_id, version, contact.version,
                                               _snapshot(contact), wanted)
        if not effective:
            return _row(contact_id)
        moment = stored(now) or utcnow()
        if effective.get("primary", (None, False))[1]:
            _unset_primary(agent, contact.client_id, moment)
        columns = _columns({field: new for field, (_, new) in effective.items()})
        new_version = versions.bump(Contact, contact_id, contact.version, "contact",
                                    {**columns, "updated_at": moment})
        audit.record("contact", contact_id, agent, effective, new_version, "contact.changed",
                     {"client_id": contact.client_id}, at=moment)
    return _row(contact_id)


def remove(agent: AgentRef, contact_id: int, version: int, *,
           now: datetime | None = None) -> ContactRow:
    """Remove a contact read at `version` (a stale version is a ConflictError); returns it
    as it was. Its queries keep their requester's name and address."""
    require_writer(agent)
    with database.atomic():
        contact = versions.load_for_update(Contact, contact_id, "contact")
        _writable_client(agent, contact.client_id)
        if contact.version != version:
            raise ConflictError("contact", contact_id, {}, contact.version)
        gone = _row(contact_id)
        Contact.delete().where(Contact.id == contact_id).execute()
        audit.record("contact", contact_id, agent, {"name": (contact.name, None)}, None,
                     "contact.removed", {"client_id": contact.client_id},
                     at=stored(now) or utcnow())
    return gone


def _writable_client(agent: AgentRef, client_id: int) -> Client:
    """The client, if `agent` may change its people (a confidential one: admins and its
    account manager only)."""
    client = Client.get_or_none(Client.id == client_id)
    if client is None:
        raise NotFound(f"no client {client_id}")
    if not can_see(agent, client.account_manager_id, client.confidential):
        raise PermissionDenied(f"client {client_id} is confidential; only admins and its "
                               "account manager can change its contacts")
    return client


def _unset_primary(agent: AgentRef, client_id: int, moment: datetime) -> None:
    """Make the client's primary contact, if any, an ordinary one (recorded)."""
    for old in Contact.select().where((Contact.client == client_id) & Contact.is_primary):
        version = versions.bump(Contact, old.id, old.version, "contact",
                                {"is_primary": False, "updated_at": moment})
        audit.record("contact", old.id, agent, {"primary": (True, False)}, version,
                     "contact.changed", {"client_id": client_id}, at=moment)


def _columns(values: Mapping[str, object]) -> dict[str, object]:
    """The columns of checked field values."""
    return {COLUMNS.get(field, field): value for field, value in values.items()}


def _snapshot(contact: Contact) -> dict[str, object]:
    """The editable fields of a stored contact, as edits compare against."""
    return {field: getattr(contact, COLUMNS.get(field, field)) for field in FIELDS}


# --- reads ---------------------------------------------------------------------------------


def _row(contact_id: int) -> ContactRow:
    """One contact in full (for the writer, who may see it)."""
    found = _rows(Contact.id == contact_id)
    if not found:
        raise NotFound(f"no contact {contact_id}")
    return found[0]


def _rows(condition) -> list[ContactRow]:
    """The contacts matching `condition`: primary first, then by name."""
    query = (Contact.select().where(condition)
             .order_by(Contact.client, Contact.is_primary.desc(), Contact.name, Contact.id))
    return [ContactRow(id=c.id, client_id=c.client_id, name=c.name, role=c.role,
                       title=c.title, email=c.email, phone=c.phone, birthday=c.birthday,
                       notes=c.notes, primary=c.is_primary, version=c.version)
            for c in query]


def of_client(client_id: int, viewer: AgentRef | None) -> list[ContactRow]:
    """The client's contacts, primary first, as `viewer` may see them."""
    client = Client.get_or_none(Client.id == client_id)
    if client is None:
        raise NotFound(f"no client {client_id}")
    rows = _rows(Contact.client == client_id)
    if can_see(viewer, client.account_manager_id, client.confidential):
        return rows
    hidden = {field: HIDDEN for field in HIDDEN_WHEN_CONFIDENTIAL}
    return [replace(row, birthday=None, **hidden) for row in rows]


def get(contact_id: int, viewer: AgentRef | None) -> ContactRow:
    """One contact, as `viewer` may see it."""
    client_id = Contact.select(Contact.client).where(Contact.id == contact_id).scalar()
    if client_id is None:
        raise NotFound(f"no contact {contact_id}")
    return next(row for row in of_client(client_id, viewer) if row.id == contact_id)


def find(client_id: int, text: str, viewer: AgentRef | None) -> ContactRow:
    """A contact of the client by id, by e-mail address or name (any case), or by the one
    name that contains `text`; NotFound, or InvalidInput when several match."""
    text = storable_text(str(text).strip(), "a contact")
    if not text:
        raise InvalidInput("name a contact by its id, name or e-mail address")
    rows = of_client(client_id, viewer)
    wanted = text.casefold()
    if (contact_id := typed_id(text)) is not None:
        matches = [row for row in rows if row.id == contact_id]
    else:
        matches = ([row for row in rows if wanted in (row.name.casefold(), row.email.casefold())]
                   or [row for row in rows if wanted in row.name.casefold()])
    if not matches:
        raise NotFound(f"client {client_id} has no contact {one_line(text, 60)!r}")
    if len(matches) > 1:
        names = ", ".join(f"{row.name} ({row.id})" for row in matches[:5])
        raise InvalidInput(f"several contacts match {text!r}: {names}; use the id")
    return matches[0]


def by_address(address: str) -> ContactRow | None:
    """The contact with this e-mail address (any case): of a client before a customer's,
    a primary before others; None when no contact has it."""
    address = address.strip().lower()
    if not address:
        return None
    contact_id = (Contact.select(Contact.id).join(Client)
                  .where(fn.LOWER(Contact.email) == address)
                  .order_by(Client.kind != "client", Client.id, Contact.is_primary.desc(),
                            Contact.id).scalar())
    return None if contact_id is None else _row(contact_id)


def primary(client_id: int) -> ContactRow | None:
    """The client's primary contact, or None when it has none."""
    found = _rows((Contact.client == client_id) & Contact.is_primary)
    return found[0] if found else None


def addresses(client_id: int) -> dict[str, bool]:
    """The client's contacts' e-mail addresses in lower case, each with whether it is the
    primary's: for the services that check who someone is, never to show."""
    query = (Contact.select(fn.LOWER(Contact.email), Contact.is_primary)
             .where((Contact.client == client_id) & (Contact.email != "")))
    return {address: bool(primary) for address, primary in query.tuples()}


class Names(Struct, frozen=True):
    """Whom texts about some clients address: each contact's name by its id, and each
    client's primary contact's name by the client's id."""

    by_id: dict[int, str]
    primary: dict[int, str]


def names(client_ids: Sequence[int], viewer: AgentRef | None) -> Names:
    """The names of these clients' contacts, in one query; those of a confidential client
    `viewer` may not see in full are left out."""
    ids = sorted(set(client_ids))
    hidden = set(unseen_ids(Asker.of(viewer), ids)) if ids else set()
    found = Names({}, {})
    for contact_id, client_id, name, is_primary in (
            Contact.select(Contact.id, Contact.client, Contact.name, Contact.is_primary)
            .where(Contact.client.in_(ids)).tuples()) if ids else ():
        if client_id in hidden:
            continue
        found.by_id[contact_id] = name
        if is_primary:
            found.primary[client_id] = name
    return found


def first_name(name: str) -> str:
    """The first word of a name ("Ada" of "Ada Lovelace"), or the name itself."""
    return name.split()[0] if name.strip() else name
