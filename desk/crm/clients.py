"""Clients and customers: create, read, change (with optimistic versions), find and list.

Confidential clients follow the rule of desk.kernel.confidential: a client with `confidential`
set is shown in full only to admins and to its account manager. Every other agent (and a
caller that names no agent) sees its name, kind and the rest of its row, but a blank contact
person, e-mail, phone and notes; only admins and the account manager may change it. The
relationship clock (last contact, cadence, overdue) is kept by desk.crm.interactions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

from msgspec import Struct
from msgspec.structs import replace
from peewee import JOIN, fn

from desk.clock import stored, utcnow
from desk.crm import interactions
from desk.dialect import among
from desk.errors import FieldError, InvalidInput, NotFound, PermissionDenied
from desk.kernel import audit, search, versions
from desk.kernel.agents import AgentRef, require_writer
from desk.kernel.confidential import can_see
from desk.kernel.inputs import checked_field, free_text, known_fields, storable_text, typed_id
from desk.kernel.tags import names as tag_names
from desk.kernel.tags import relink as relink_tags
from desk.models import Agent, Client, ClientTag, LoyaltyStanding, Tag, Task, database
from desk.money import CENTS, amount
from desk.text import one_line
from desk.vocabulary import CLIENT_KINDS, LIFECYCLE_STAGES, RETAINER_CYCLES

MAX_RETAINER = Decimal("9999999999.99")
MAX_RETAINER_HOURS = Decimal("999999.99")  # the hours a retainer cycle includes
NAME_LIMIT = 200
"""The most characters a client's name may have."""
HIDDEN_WHEN_CONFIDENTIAL = ("contact_person", "email", "phone")
# The fields a client's search document depends on (see `_index`): a change reindexes it.
INDEXED = frozenset({"name", "contact_person", "email", "confidential"})
_EMAIL = re.compile(r"[^@\s]+@(?:[^@\s.]+\.)+[^@\s.]+")
_PHONE = re.compile(r"\+?[0-9 ()./-]+")
_YES = ("yes", "true", "on", "1")
_NO = ("no", "false", "off", "0")


class ClientRow(Struct, frozen=True):
    """One client as lists, the CLI and JSON show it."""

    id: int
    kind: str
    name: str
    contact_person: str
    email: str
    phone: str
    stage: str
    lead_score: int
    account_manager: str | None
    last_contact_at: datetime | None
    retainer_amount: Decimal | None
    retainer_cycle: str | None
    open_queries: int
    loyalty_tier: str | None
    loyalty_points: int
    birthday: date | None
    acquisition_date: date | None
    referred_by: str | None
    referred_by_id: int | None
    contact_cadence_days: int | None
    confidential: bool
    archived_at: datetime | None
    tags: tuple[str, ...]
    version: int


class ClientDetail(Struct, frozen=True):
    """Everything about one client that its screen and `desk show` need."""

    row: ClientRow
    notes: str
    created_at: datetime
    updated_at: datetime
    clock: interactions.Clock


# --- validation ----------------------------------------------------------------------------


def _text(label: str, limit: int, *, required: bool = False) -> Callable[[object], str]:
    """A validator for a stripped line of text of at most `limit` characters."""
    def check(value: object) -> str:
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise InvalidInput(f"{label} must be text, not {value!r}")
        value = storable_text(value.strip(), label)
        if required and not value:
            raise InvalidInput(f"a client needs a {label}")
        if len(value) > limit:
            raise InvalidInput(f"{label} can have at most {limit} characters")
        return value
    return check


def _choice(label: str, allowed: Sequence[str], *, optional: bool = False
            ) -> Callable[[object], str | None]:
    """A validator for one of `allowed` words, case-insensitively ("at-risk" means at_risk)."""
    def check(value: object) -> str | None:
        if optional and value in (None, ""):
            return None
        word = str(value).strip().lower().replace("-", "_").replace(" ", "_")
        if word not in allowed:
            raise InvalidInput(f"{label} must be one of {', '.join(allowed)}, not {value!r}")
        return word
    return check


def _whole_number(value: object) -> int | None:
    """An int given as an int or as digits, else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*-?[0-9]+\s*", value):
        return int(value)
    return None


def _lead_score(value: object) -> int:
    """A lead score: a whole number from 0 to 100."""
    number = _whole_number(value)
    if number is None or not 0 <= number <= 100:
        raise InvalidInput(f"lead score must be a whole number from 0 to 100, not {value!r}")
    return number


def _cadence(value: object) -> int | None:
    """A contact cadence in days above 0, or None for no cadence."""
    if value in (None, ""):
        return None
    number = _whole_number(value)
    if number is None or number < 1:
        raise InvalidInput(
            f"contact cadence must be a whole number of days above 0, not {value!r}")
    return number


def _email(value: object) -> str:
    """An e-mail address, or "" for none."""
    email = _text("email", 254)(value)
    if email and not _EMAIL.fullmatch(email):
        raise InvalidInput(f"email {email!r} is not an e-mail address")
    return email


def _phone(value: object) -> str:
    """A phone number (digits, spaces and + ( ) . / -), or "" for none."""
    phone = _text("phone", 50)(value)
    if phone and not (_PHONE.fullmatch(phone) and sum(ch.isdigit() for ch in phone) >= 3):
        raise InvalidInput(f"phone {phone!r} is not a phone number")
    return phone


def _date(label: str) -> Callable[[object], date | None]:
    """A validator for a calendar date, given as a date or as YYYY-MM-DD text."""
    def check(value: object) -> date | None:
        if value in (None, ""):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            raise InvalidInput(f"{label} must be a date like 2026-12-01, not {value!r}") from None
    return check


def _amount_field(label: str, limit: Decimal) -> Callable[[object], Decimal | None]:
    """A checker of an amount from 0 to `limit` with at most two decimals, or None (blank)."""
    def check(value: object) -> Decimal | None:
        if value in (None, ""):
            return None
        message = (f"{label} must be an amount from 0 to {limit} "
                   f"with at most 2 decimals, not {value!r}")
        try:
            figure = amount(value, label)
        except InvalidInput:
            raise InvalidInput(message) from None
        if not 0 <= figure <= limit:
            raise InvalidInput(message)
        return figure
    return check


def _confidential(value: object) -> bool:
    """A yes/no flag, given as a bool or as yes/no, true/false, on/off, 1/0."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word not in _YES + _NO:
        raise InvalidInput(f"confidential must be yes or no, not {value!r}")
    return word in _YES


def _manager(value: object) -> str | None:
    """The user name of an account manager, or None for none (checked against agents later)."""
    name = _text("account manager", 64)(value)
    return name or None


def _referrer(value: object) -> int | None:
    """The id of the referring client, or None (checked against clients later)."""
    if value in (None, ""):
        return None
    number = _whole_number(value)
    if number is None or number < 1:
        raise InvalidInput(f"referred by must be a client id, not {value!r}")
    return number


FIELDS: dict[str, Callable[[object], object]] = {
    "name": _text("name", NAME_LIMIT, required=True),
    "kind": _choice("kind", CLIENT_KINDS),
    "contact_person": _text("contact person", 200),
    "email": _email,
    "phone": _phone,
    "acquisition_date": _date("acquisition date"),
    "lifecycle_stage": _choice("lifecycle stage", LIFECYCLE_STAGES),
    "lead_score": _lead_score,
    "account_manager": _manager,
    "retainer_amount": _amount_field("retainer amount", MAX_RETAINER),
    "retainer_hours": _amount_field("retainer hours", MAX_RETAINER_HOURS),
    "retainer_overage_rate": _amount_field("overage rate", MAX_RETAINER),
    "retainer_cycle": _choice("retainer cycle", RETAINER_CYCLES, optional=True),
    "birthday": _date("birthday"),
    "referred_by_id": _referrer,
    "contact_cadence_days": _cadence,
    "confidential": _confidential,
    "notes": lambda value: free_text(value, "notes"),
    "tags": tag_names,
}


def _normalise(changes: Mapping[str, object]) -> dict[str, object]:
    """The changes validated and in the form `_snapshot` uses; unknown fields are refused."""
    known_fields(changes, tuple(FIELDS), "client")
    return {name: checked_field(FIELDS, name, value) for name, value in changes.items()}


# --- writes --------------------------------------------------------------------------------


def create(agent: AgentRef, name: str, kind: str = "customer", *, now: datetime | None = None,
           imported: bool = False, **fields: object) -> ClientDetail:
    """Create a client (kind client) or customer; returns it as `agent` may see it.

    Accepts the fields of FIELDS: contact_person, email, phone, acquisition_date,
    lifecycle_stage, lead_score, account_manager (user name), retainer_amount, retainer_cycle,
    birthday, referred_by_id, contact_cadence_days, confidential, notes, tags. `now` is when
    it is created (default: the current time; a caller recording history passes the moment).
    An `imported` client's history is one row holding the fields it was created with
    (desk.kernel.audit.record, `created`), shown field by field.
    """
    require_writer(agent)
    values = _normalise({"name": name, "kind": kind, **fields})
    with database.atomic():
        now = stored(now) or utcnow()
        client = Client.create(created_at=now, updated_at=now, **_columns(values, None))
        if values.get("tags"):
            relink_tags(ClientTag, "client", client.id, values["tags"])
        set_fields = {field: (None, value) for field, value in values.items()
                      if value not in (None, "", ())}
        audit.record("client", client.id, agent, set_fields, 1, "client.created",
                     {"kind": client.kind, "stage": client.lifecycle_stage}, at=now,
                     created=imported)
        _index(client)
    return get(client.id, agent)


def update(agent: AgentRef, client_id: int, version: int, *, now: datetime | None = None,
           **changes: object) -> ClientDetail:
    """Change fields of a client read at `version`.

    Fields another agent changed meanwhile conflict (ConflictError with (theirs, yours),
    nothing written); other fields merge. Accepts the fields of `create` plus name and kind.
    A change of lifecycle stage is the event "client.stage_changed" with its from and to.
    `now` is when the change is made (default: the current time), as for `create`.
    """
    require_writer(agent)
    wanted = _normalise(changes)
    with database.atomic():
        client = versions.load_for_update(Client, client_id, "client")
        if not can_see(agent, client.account_manager_id, client.confidential):
            raise PermissionDenied(f"client {client_id} is confidential; only admins and its "
                                   "account manager can change it")
        effective = versions.effective_changes("client", client_id, version, client.version,
                                               _snapshot(client), wanted)
        if not effective:
            return get(client_id, agent)
        columns = _columns({field: new for field, (_, new) in effective.items()}, client_id)
        columns["updated_at"] = stored(now) or utcnow()
        new_version = versions.bump(Client, client_id, client.version, "client", columns)
        if "tags" in effective:
            relink_tags(ClientTag, "client", client_id, effective["tags"][1])
        audit.record("client", client_id, agent, effective, new_version,
                     *_event(client, effective), at=columns["updated_at"])
        if effective.keys() & INDEXED:
            _index(Client.get_by_id(client_id))
    return get(client_id, agent)


def _event(client: Client, effective: Mapping[str, tuple]) -> tuple[str, dict]:
    """The event kind and data of an update: a stage change is its own event."""
    data: dict[str, object] = {"kind": effective.get("kind", (None, client.kind))[1]}
    if "lifecycle_stage" not in effective:
        return "client.updated", data
    old, new = effective["lifecycle_stage"]
    return "client.stage_changed", {**data, "from": old, "to": new}


def _columns(values: Mapping[str, object], client_id: int | None) -> dict[str, object]:
    """The client columns for validated values, with agents and referrers looked up."""
    columns = {field: value for field, value in values.items()
               if field not in ("tags", "account_manager", "referred_by_id")}
    if "account_manager" in values:
        columns["account_manager"] = _manager_id(values["account_manager"])
    if "referred_by_id" in values:
        columns["referred_by"] = _referrer_id(values["referred_by_id"], client_id)
    return columns


def _manager_id(username: object) -> int | None:
    """The agent id of an account manager's user name."""
    if username is None:
        return None
    agent_id = Agent.select(Agent.id).where(Agent.username == username).scalar()
    if agent_id is None:
        raise FieldError("account_manager",
                         f"account manager {username!r} is not an agent of this desk")
    return agent_id


def _referrer_id(referrer: int | None, client_id: int | None) -> int | None:
    """A referring client id that exists and is not the client itself."""
    if referrer is None:
        return None
    if referrer == client_id:
        raise FieldError("referred_by_id", "referred by: a client cannot be referred by itself")
    if not Client.select().where(Client.id == referrer).exists():
        raise FieldError("referred_by_id", f"referred by: there is no client {referrer}")
    return referrer


def _snapshot(client: Client) -> dict[str, object]:
    """The editable fields of a stored client, in the form updates compare against."""
    manager = (Agent.select(Agent.username).where(Agent.id == client.account_manager_id).scalar()
               if client.account_manager_id else None)
    snapshot = {field: getattr(client, field) for field in FIELDS
                if field not in ("account_manager", "referred_by_id", "tags")}
    return {**snapshot, "account_manager": manager, "referred_by_id": client.referred_by_id,
            "tags": _tags_of([client.id]).get(client.id, ())}


def _index(client: Client) -> None:
    """Write the client's search document (only the name of a confidential client)."""
    body = "" if client.confidential else f"{client.contact_person} {client.email}"
    search.index(search.CLIENT, client.id, None, client.id, client.name, body)


# --- reads ---------------------------------------------------------------------------------


def get(client_id: int, agent: AgentRef | None) -> ClientDetail:
    """One client with its notes and relationship clock, as `agent` may see it."""
    client = Client.get_or_none(Client.id == client_id)
    if client is None:
        raise NotFound(f"no client {client_id}")
    visible = can_see(agent, client.account_manager_id, client.confidential)
    return ClientDetail(
        row=rows_for([client_id], agent)[0], notes=client.notes if visible else "",
        created_at=client.created_at, updated_at=client.updated_at,
        clock=interactions.clock(client.last_contact_at, client.contact_cadence_days),
    )


def find(text: str, viewer: AgentRef | None = None) -> ClientRow:
    """A client by id (digits), by exact name (case-insensitive), or by the one name that
    contains `text`; NotFound, or InvalidInput when several match."""
    text = storable_text(str(text).strip(), "a client's name")
    if not text:
        raise InvalidInput("name a client by its id or name")
    if (client_id := typed_id(text)) is not None:
        found = rows_for([client_id], viewer)
        if not found:
            raise NotFound(f"no client {text}")
        return found[0]
    if len(text) > NAME_LIMIT:  # longer than any name: no client has it
        raise NotFound(f"no client named {one_line(text, 60)!r}")
    lowered = fn.LOWER(Client.name)
    ids = _matching_ids(lowered == text.lower()) or _matching_ids(lowered.contains(text.lower()))
    if not ids:
        raise NotFound(f"no client named {text!r}")
    if len(ids) > 1:
        names = ", ".join(row.name for row in rows_for(ids[:5], viewer))
        more = ", …" if len(ids) > 5 else ""
        raise InvalidInput(f"several clients match {text!r}: {names}{more}; use the id")
    return rows_for(ids, viewer)[0]


def _matching_ids(condition) -> list[int]:
    """Ids of up to six clients matching `condition`, by name."""
    query = (Client.select(Client.id).where(condition)
             .order_by(Client.name, Client.id).limit(6))
    return [client_id for (client_id,) in query.tuples()]


def rows_for(client_ids: Sequence[int], viewer: AgentRef | None = None) -> list[ClientRow]:
    """ClientRows for these ids, in the same order, with the account manager, referrer, tags and
    open query counts filled in by one query each. Confidential rows that `viewer` may not see
    in full have their contact person, e-mail and phone blanked."""
    if not client_ids:
        return []
    ids = list(client_ids)
    referrer = Client.alias("referrer")
    base = (Client.select(Client.id, Client.kind, Client.name, Client.contact_person,
                          Client.email, Client.phone, Client.lifecycle_stage.alias("stage"),
                          Client.lead_score, Client.account_manager.alias("manager_id"),
                          Agent.username.alias("account_manager"), Client.last_contact_at,
                          Client.retainer_amount, Client.retainer_cycle, Client.birthday,
                          Client.acquisition_date, referrer.name.alias("referred_by"),
                          Client.referred_by.alias("referred_by_id"),
                          Client.contact_cadence_days, Client.confidential,
                          Client.archived_at, Client.version,
                          LoyaltyStanding.tier.alias("loyalty_tier"),
                          fn.COALESCE(LoyaltyStanding.points, 0).alias("loyalty_points"))
            .join(Agent, JOIN.LEFT_OUTER, on=Client.account_manager == Agent.id)
            .switch(Client).join(LoyaltyStanding, JOIN.LEFT_OUTER,
                                 on=LoyaltyStanding.client == Client.id)
            .switch(Client).join(referrer, JOIN.LEFT_OUTER, on=Client.referred_by == referrer.id)
            .where(among(Client.id, ids)).dicts())
    tags = _tags_of(ids)
    queries = _open_queries(ids)
    found = {}
    for values in base:
        manager_id = values.pop("manager_id")
        if values["retainer_amount"] is not None:
            values["retainer_amount"] = values["retainer_amount"].quantize(CENTS)
        row = ClientRow(**values, open_queries=queries.get(values["id"], 0),
                        tags=tags.get(values["id"], ()))
        if not can_see(viewer, manager_id, row.confidential):
            row = replace(row, **dict.fromkeys(HIDDEN_WHEN_CONFIDENTIAL, ""))
        found[row.id] = row
    return [found[i] for i in ids if i in found]


def _tags_of(ids: list[int]) -> dict[int, tuple[str, ...]]:
    """The sorted tag names of each of these clients."""
    grouped: dict[int, list[str]] = {}
    for client_id, name in (ClientTag.select(ClientTag.client, Tag.name).join(Tag)
                            .where(among(ClientTag.client, ids)).tuples()):
        grouped.setdefault(client_id, []).append(name)
    return {client_id: tuple(sorted(names)) for client_id, names in grouped.items()}


def _open_queries(ids: list[int]) -> dict[int, int]:
    """How many support queries that are not done each of these clients has."""
    return dict(Task.select(Task.client, fn.COUNT(Task.id))
                .where(among(Task.client, ids) & (Task.kind == "query")
                       & Task.closed_at.is_null())
                .group_by(Task.client).tuples())
