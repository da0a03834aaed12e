"""Importing contacts as clients or customers, through the client services.

Each record is keyed by its first e-mail address (or its name without one). A key seen
before, in this file or an earlier import, or an e-mail address a client already has, is
merged into that client instead of making another: empty fields are filled, tags added, and
notes lines not there yet appended; the client's name, kind and filled fields are kept.
Further addresses and phone numbers, and the job title, go into the notes. An address or
number the client services refuse is kept in the notes too, with a problem.

A merge that changes nothing counts as unchanged. Updates name the version the last import
left the client at, so a field changed in desk since then is a conflict, reported and not
overwritten. Contacts files are small next to task exports; each record is one service call,
and each chunk one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from peewee import fn

from desk.crm import clients
from desk.errors import DeskError, InvalidInput
from desk.kernel.agents import AgentRef
from desk.models import Client, database
from desk.transfer import keys
from desk.transfer.chunk_writes import ChunkWrites
from desk.transfer.plan import Plan, Progress, in_chunks
from desk.transfer.records import ClientRecord, Problem, unchanged
from desk.transfer.task_rows import tags as tag_words

SOURCE = "contacts"
CHUNK = 500
MERGED = ("contact_person", "email", "phone", "birthday")
OTHERS = {"email": "E-mail", "phone": "Phone"}
"""Fields whose other values a merge keeps as notes lines."""


def import_clients(agent: AgentRef, records: Iterable[ClientRecord], plan: Plan, kind: str,
                   progress: Progress | None = None, problems: list[Problem] | None = None
                   ) -> Plan:
    """Count (dry run) or write (real run) every record into `plan`."""
    problems = problems if problems is not None else []
    state: dict[str, tuple[int | None, int | None, dict]] = {}

    def write(chunk: list[ClientRecord]) -> None:
        known = keys.lookup(SOURCE, [record.source_id for record in chunk])
        for record in chunk:
            writes.step(_one, agent, record, kind, plan, known, state)
        writes.commit(chunk[-1].place)

    with ChunkWrites(plan, progress) as writes:
        in_chunks(records, plan, CHUNK, write, problems)
    plan.take(problems)
    return plan


def _one(agent: AgentRef, record: ClientRecord, kind: str, plan: Plan,
         known: dict[str, keys.Key], state: dict) -> None:
    """Create, merge or skip one record; `state` holds (client id, version, values) of the
    keys this run has written (id None in a dry run)."""
    sid, digest = record.source_id, record.digest()
    key = known.get(sid)
    if sid not in state and key is not None and unchanged(record, key.digest):
        plan.unchanged += 1
        return
    wanted = _values(record, kind, plan)
    if sid in state:
        client_id, version, base = state[sid]
    elif key is not None:
        client_id, version, base = key.entity_id, key.version, _stored(key.entity_id, agent)
    else:
        client_id = _by_email(wanted["email"])
        version = Client.get_by_id(client_id).version if client_id else None
        base = _stored(client_id, agent) if client_id else None
    if base is None:
        _create(agent, record, digest, wanted, plan, state)
        return
    merged = _merge(base, wanted)
    changes = {name: value for name, value in merged.items() if base.get(name) != value}
    if not changes:
        plan.unchanged += 1
    elif plan.dry_run or client_id is None:
        plan.updated += 1
    else:
        try:
            with database.atomic():
                version = clients.update(agent, client_id, version, **changes).row.version
                _remember(record, digest, client_id, version, key is None and sid not in state)
        except DeskError as error:
            plan.problem(Problem(record.place, f"client {client_id} not updated: {error}"))
            plan.refused += 1
            return
        plan.updated += 1
    state[sid] = (client_id, version, merged)


def _create(agent: AgentRef, record: ClientRecord, digest: str, wanted: dict, plan: Plan,
            state: dict) -> None:
    """Create a client for a new record (in a dry run: count it)."""
    client_id = version = None
    if not plan.dry_run:
        try:
            with database.atomic():
                detail = clients.create(agent, imported=True, **wanted)
                client_id, version = detail.row.id, detail.row.version
                _remember(record, digest, client_id, version, True)
        except DeskError as error:
            plan.problem(Problem(record.place, f"not imported: {error}"))
            plan.refused += 1
            return
    plan.created += 1
    state[record.source_id] = (client_id, version, wanted)


def _remember(record: ClientRecord, digest: str, client_id: int, version: int,
              new: bool) -> None:
    """Store (or refresh) the record's source key."""
    if new:
        keys.remember(SOURCE, "client", [(record.source_id, client_id, digest, version,
                                          keys.fingerprints({}))])
    else:
        keys.refresh(SOURCE, record.source_id, digest, version, {})


def _values(record: ClientRecord, kind: str, plan: Plan) -> dict:
    """The record as `clients.create` takes it; what the services refuse goes to the notes."""
    lines = [record.notes] if record.notes else []
    email = phone = ""
    for address in record.emails:
        if not email and _valid("email", address, record, plan):
            email = address
        elif address.lower() != email.lower():
            lines.append(f"E-mail: {address}")
    for number in record.phones:
        if not phone and _valid("phone", number, record, plan):
            phone = number
        elif number != phone:
            lines.append(f"Phone: {number}")
    if record.title:
        lines.append(f"Title: {record.title}")
    return {"name": record.name[:200], "kind": record.kind or kind,
            "contact_person": record.contact_person[:200], "email": email, "phone": phone,
            "birthday": record.birthday,
            "notes": "\n".join(lines), "tags": tag_words(record.tags)}


def _valid(field: str, value: str, record: ClientRecord, plan: Plan) -> bool:
    """Whether the client services take `value` for `field`; a problem when not."""
    try:
        clients.FIELDS[field](value)
    except InvalidInput as error:
        plan.problem(Problem(record.place, f"{error}; kept in the notes"))
        return False
    return True


def _by_email(email: str) -> int | None:
    """The client that already has this e-mail address, if any."""
    if not email:
        return None
    return (Client.select(Client.id).where(fn.LOWER(Client.email) == email.lower())
            .order_by(Client.id).scalar())


def _stored(client_id: int, agent: AgentRef) -> dict:
    """A client's fields in the form `_values` gives."""
    detail = clients.get(client_id, agent)
    row = detail.row
    return {"name": row.name, "kind": row.kind, "contact_person": row.contact_person,
            "email": row.email, "phone": row.phone, "birthday": row.birthday,
            "notes": detail.notes, "tags": row.tags}


def _merge(base: dict, new: dict) -> dict:
    """`base` with its empty fields filled from `new`, tags added and new notes lines
    appended (another e-mail address or phone number among them)."""
    merged = dict(base)
    lines = (new.get("notes") or "").splitlines()
    for name in MERGED:
        if not merged.get(name) and new.get(name):
            merged[name] = new[name]
        elif new.get(name) and name in OTHERS and new[name].lower() != merged[name].lower():
            lines.append(f"{OTHERS[name]}: {new[name]}")
    merged["tags"] = tuple(sorted(set(base.get("tags") or ()) | set(new.get("tags") or ())))
    have = set((base.get("notes") or "").splitlines())
    extra = [line for line in dict.fromkeys(lines) if line not in have]
    if extra:
        merged["notes"] = "\n".join(filter(None, [base.get("notes") or "", *extra]))
    return merged
