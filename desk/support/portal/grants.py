"""What the portal's own PostgreSQL role may do: the one list of its grants, and the check
the portal makes of them when it starts.

The list is read off the portal's code paths (desk/portal and desk/support/portal, and the
services they call: intake, comments, tasks, CSAT, the outbox, the audit trail) and proved
by tests/portal/test_portal_role.py, which runs the whole portal as a role with exactly
these grants (dropping any one entry fails it). Everything else is refused to the role: no
DELETE but of the portal's own short-lived rows and of the search documents it replaces, no
UPDATE but of the columns named, nothing at all on agents' SSH keys, drafts, saved views,
the workspace's settings, imports or the migrations' table, and no DDL (the role owns
nothing). A later migration that adds a table the portal reads adds it here, and the admin
runs `desk portal role create` again; until then the portal's check names what is missing.
"""

from __future__ import annotations

from msgspec import Struct

from desk.dialect import is_sqlite
from desk.errors import DeskError
from desk.models import database

READ = ("SELECT",)
GRANTS: dict[str, tuple[str, ...]] = {
    # who the portal acts through: its agent's role, read before every write
    # (require_writer), and the author of each history row (migration 0013's trigger,
    # which keeps a contact's name for the roles listed in portal_role: 0028's)
    "agent": READ,
    "portal_role": READ,
    # the cookie's signing key (signin.secret_key; `desk portal role create` makes it)
    "meta": READ,
    # signing in: the rate-limit counts, the e-mailed links and the sessions; the portal
    # deletes the expired ones and a session on signing out
    "portal_attempt": ("SELECT", "INSERT", "DELETE"),
    "portal_link": ("SELECT", "INSERT", "UPDATE (used_at)", "DELETE"),
    "portal_session": ("SELECT", "INSERT", "DELETE"),
    # who a contact is and what they see
    "portal_client": READ,
    "client": ("SELECT", "UPDATE (last_contact_at, version)"),  # the relationship clock
    # the form intake finds the client by id as clients.find reads one: its tags and loyalty
    "client_tag": READ,
    "loyalty_standing": READ,
    "contact": READ,
    # the requests and orders a contact sees, and what they do with them (reply, solve,
    # reopen, rate, a new request through the form intake)
    # urgency_until: migration 0029's trigger on query_data makes a new or changed request's
    # stored urgency score due for rescoring (triggers act as the role)
    "task": ("SELECT", "INSERT", "UPDATE (status_id, category, closed_at, snoozed_until, "
             "updated_at, version, urgency_until)"),
    # waiting_since, waited_seconds, resolution_due: a contact's reply ends the wait on them,
    # and the resolution target moves later by the business time it waited (sla.resume)
    "query_data": ("SELECT", "INSERT", "UPDATE (requester_name, requester_email, "
                   "requester_contact_id, channel, waiting_on, resolved_at, csat_score, "
                   "csat_comment, waiting_since, waited_seconds, resolution_due)"),
    "order_data": READ,
    "status": READ,
    "task_list": READ,
    "space": READ,
    "comment": ("SELECT", "INSERT"),
    "tag": READ,  # a task's tags and assignees: what an update compares against
    "task_tag": READ,
    # UPDATE: migration 0023's trigger copies a task's openness and due time to its
    # assignments when the task is solved or reopened (triggers act as the role)
    "task_assignee": ("SELECT", "UPDATE (task_open, task_due_at)"),
    # the checklists of orders, and those a list's templates give a new request
    "checklist": ("SELECT", "INSERT"),
    "checklist_item": ("SELECT", "INSERT"),
    "checklist_template": READ,
    "checklist_template_item": READ,
    "product": READ,
    "attachment": ("SELECT", "INSERT"),
    # answering a survey with one click (desk.portal.feedback_pages): the link is used
    # once, the NPS survey or the query's CSAT takes the score, and the client's timeline
    # an interaction, which moves its relationship clock
    "feedback_link": ("SELECT", "UPDATE (used_at)"),
    "nps_survey": ("SELECT", "UPDATE (score, comment, answered_at, channel)"),
    "interaction": ("SELECT", "INSERT"),
    # what every write leaves behind: the history (which the agents' apps poll for
    # changes), the automations' events, the search index, and the mail the portal queues
    "activity": ("SELECT", "INSERT"),
    "event": ("SELECT", "INSERT"),  # SELECT: peewee reads the new id back (RETURNING)
    "search_doc": ("SELECT", "INSERT", "DELETE"),  # a document is replaced: deleted, inserted
    "outbox": ("SELECT", "INSERT"),
    # a contact's message tells the agents who follow the request (desk.work.notices)
    "follow": READ,
    "notice": ("SELECT", "INSERT"),
}
"""Each table the portal touches and what it may do there: a privilege on the whole table, or
UPDATE of the columns named. A table it INSERTs into also gets USAGE on the sequence of its
id (when it has one). SELECT FOR UPDATE needs the UPDATE of some column, as PostgreSQL
checks it."""


class Grant(Struct, frozen=True):
    """One privilege on a table (on some of its `columns` only, when named), or USAGE on a
    sequence (`sequence` True)."""

    what: str
    on: str
    columns: tuple[str, ...] = ()
    sequence: bool = False

    def __str__(self) -> str:
        columns = f" ({', '.join(self.columns)})" if self.columns else ""
        return f"{self.what}{columns} on {'the sequence ' if self.sequence else ''}{self.on}"


def _grant(table: str, entry: str) -> Grant:
    """The Grant of one entry of GRANTS: "SELECT", or "UPDATE (a, b)"."""
    what, _, columns = entry.partition(" (")
    return Grant(what, table, tuple(column.strip() for column in
                                    columns.removesuffix(")").split(",") if column.strip()))


OWNED_SEQUENCES = (
    "SELECT s.oid::regclass::text FROM pg_class s "
    "JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid "
    "AND d.refclassid = 'pg_class'::regclass "
    "JOIN pg_class t ON t.oid = d.refobjid "
    "WHERE s.relkind = 'S' AND t.relname = ANY(%s) "
    "AND t.relnamespace = current_schema()::regnamespace ORDER BY 1")
"""The sequences of the ids of the tables named (serial columns own theirs)."""


def needed() -> list[Grant]:
    """Every grant the portal needs on the bound PostgreSQL database, in the order of
    GRANTS, then USAGE on the sequences of the tables it inserts into."""
    found = [_grant(table, entry) for table, entries in GRANTS.items() for entry in entries]
    inserted = [table for table, whats in GRANTS.items() if "INSERT" in whats]
    found += [Grant("USAGE", name, sequence=True)
              for (name,) in database.execute_sql(OWNED_SEQUENCES, (inserted,))]
    return found


def missing() -> list[Grant]:
    """The grants the current PostgreSQL role lacks on the bound database (none on SQLite,
    which has no roles)."""
    if is_sqlite():
        return []
    grants = needed()
    checks, params = [], []
    for grant in grants:
        if grant.sequence:
            checks.append("has_sequence_privilege(%s, %s)")
            params += [grant.on, grant.what]
        elif grant.columns:
            checks.append("(" + " AND ".join(["has_column_privilege(%s, %s, %s)"]
                                             * len(grant.columns)) + ")")
            params += [part for column in grant.columns for part in (grant.on, column, grant.what)]
        else:
            checks.append("has_table_privilege(%s, %s)")
            params += [grant.on, grant.what]
    held = database.execute_sql(f"SELECT {', '.join(checks)}", params).fetchone()
    return [grant for grant, has in zip(grants, held, strict=True) if not has]


def require() -> None:
    """Refuse to serve on a connection whose role lacks a grant the portal needs, naming
    each (DeskError), with how to give them."""
    lacking = missing()
    if lacking:
        (role,) = database.execute_sql("SELECT current_user").fetchone()
        raise DeskError(f"the portal's database role {role} lacks {', '.join(map(str, lacking))}"
                        f": an admin runs desk portal role create --name {role} with the "
                        "owner's --db")
