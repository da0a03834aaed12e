"""Archiving a client: the way to remove one without losing anything. An archived client keeps
its tasks, notes and history, leaves the everyday lists (a client query finds it with
`is:archived`) and can be restored. Both are changes at a version, checked and recorded like
any other edit of a client (desk.crm.clients).
"""

from __future__ import annotations

from datetime import datetime

from desk.clock import stored, utcnow
from desk.crm.clients import ClientDetail, get
from desk.errors import InvalidInput, PermissionDenied
from desk.kernel import audit, versions
from desk.kernel.agents import AgentRef, require_writer
from desk.kernel.confidential import can_see
from desk.models import Client, database


def archive(agent: AgentRef, client_id: int, version: int, *,
            now: datetime | None = None) -> ClientDetail:
    """Archive the client read at `version`; InvalidInput when it is archived already."""
    return _set_archived(agent, client_id, version, True, now)


def restore(agent: AgentRef, client_id: int, version: int, *,
            now: datetime | None = None) -> ClientDetail:
    """Bring an archived client back into the lists; InvalidInput when it is not archived."""
    return _set_archived(agent, client_id, version, False, now)


def _set_archived(agent: AgentRef, client_id: int, version: int, archived: bool,
                  now: datetime | None) -> ClientDetail:
    """Archive or restore, at `version` (a stale version is a ConflictError), recorded as the
    field "archived" of the client and the event client.archived or client.restored."""
    require_writer(agent)
    with database.atomic():
        client = versions.load_for_update(Client, client_id, "client")
        if not can_see(agent, client.account_manager_id, client.confidential):
            raise PermissionDenied(f"client {client_id} is confidential; only admins and its "
                                   "account manager can change it")
        if (client.archived_at is not None) == archived:
            state = "archived already" if archived else "not archived"
            raise InvalidInput(f"client {client.name!r} is {state}")
        effective = versions.effective_changes(
            "client", client_id, version, client.version,
            {"archived": not archived}, {"archived": archived})
        moment = stored(now) or utcnow()
        columns = {"archived_at": moment if archived else None, "updated_at": moment}
        new_version = versions.bump(Client, client_id, client.version, "client", columns)
        audit.record("client", client_id, agent, effective, new_version,
                     "client.archived" if archived else "client.restored",
                     {"kind": client.kind}, at=moment)
    return get(client_id, agent)
