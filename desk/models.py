"""The Peewee models: desk's whole domain as tables with foreign keys, indexes and checks.

Times are stored as naive UTC datetimes (`desk.clock.utcnow()`); calendar dates (birthday,
acquisition date) as dates. Mutable rows carry `version` for optimistic concurrency.
The schema itself is created by the migrations in desk/migrations, not by `create_tables`.
"""

from __future__ import annotations

from peewee import (
    SQL,
    BooleanField,
    CharField,
    Check,
    DatabaseProxy,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    Model,
    SmallIntegerField,
    TextField,
)
from playhouse.sqlite_ext import FTS5Model, SearchField

from desk.clock import utcnow

database = DatabaseProxy()

ROLES = ("admin", "agent", "viewer")
CATEGORIES = ("open", "active", "done", "closed")
DONE_CATEGORIES = ("done", "closed")
TASK_KINDS = ("task", "order", "query")
PRIORITIES = {"urgent": 1, "high": 2, "normal": 3, "low": 4, "none": 5}
PRIORITY_NAMES = {number: name for name, number in PRIORITIES.items()}
CLIENT_KINDS = ("client", "customer")
LIFECYCLE_STAGES = ("lead", "prospect", "onboarding", "active", "at_risk", "churned")
RETAINER_CYCLES = ("monthly", "quarterly", "yearly")
INTERACTION_KINDS = ("call", "email", "meeting", "reply", "note", "order")
COMMENT_KINDS = ("reply", "note", "message")
CHANNELS = ("form", "email", "phone", "walk-in")
FIELD_KINDS = ("dropdown", "number", "text", "date", "money", "checkbox")
PRODUCT_KINDS = ("product", "service")
SAVED_VIEW_SCOPES = ("tasks", "clients", "inbox")


def one_of(column: str, values) -> Check:
    """A CHECK constraint that keeps `column` within `values`."""
    quoted = ", ".join(f"'{value}'" for value in values)
    return Check(f"{column} IN ({quoted})")


class BaseModel(Model):
    """Every desk table: bound to the deferred database, snake_case table names."""

    class Meta:
        database = database
        legacy_table_names = False


class Meta(BaseModel):
    """Key/value facts about the workspace itself (e.g. that it was built as a demo)."""

    key = CharField(primary_key=True, max_length=64)
    value = TextField()


class Team(BaseModel):
    """A group of agents that work can be assigned to (e.g. Fulfilment, Support)."""

    name = CharField(unique=True, max_length=100)


class Agent(BaseModel):
    """A person who works the desk, identified by their operating-system account."""

    username = CharField(unique=True, max_length=64)
    name = CharField(max_length=200)
    email = CharField(max_length=254, default="")
    role = CharField(max_length=8, default="agent", constraints=[one_of("role", ROLES)])
    away = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)


class TeamMember(BaseModel):
    """Membership of an agent in a team."""

    team = ForeignKeyField(Team, backref="members", on_delete="CASCADE")
    agent = ForeignKeyField(Agent, backref="memberships", on_delete="CASCADE")

    class Meta:
        indexes = ((("team", "agent"), True), (("agent",), False))


class Tag(BaseModel):
    """A label shared by tasks and clients."""

    name = CharField(unique=True, max_length=100)


class Space(BaseModel):
    """The top of the workspace: a space holds lists."""

    name = CharField(unique=True, max_length=200)
    position = IntegerField(default=0)


class TaskList(BaseModel):
    """A list of tasks inside a space, with its own ordered statuses."""

    space = ForeignKeyField(Space, backref="lists", on_delete="RESTRICT")
    name = CharField(max_length=200)
    position = IntegerField(default=0)

    class Meta:
        indexes = ((("space", "name"), True),)


class Status(BaseModel):
    """One status of a list, in display order, belonging to a category."""

    task_list = ForeignKeyField(TaskList, backref="statuses", on_delete="CASCADE")
    name = CharField(max_length=100)
    category = CharField(max_length=8, constraints=[one_of("category", CATEGORIES)])
    position = IntegerField(default=0)

    class Meta:
        indexes = ((("task_list", "name"), True), (("task_list", "position"), False))


class Client(BaseModel):
    """A client (long-term relationship) or customer (transactional), by `kind`."""

    kind = CharField(max_length=8, default="customer", constraints=[one_of("kind", CLIENT_KINDS)])
    name = CharField(max_length=200)
    contact_person = CharField(max_length=200, default="")
    email = CharField(max_length=254, default="")
    phone = CharField(max_length=50, default="")
    acquisition_date = DateField(null=True)
    last_contact_at = DateTimeField(null=True)
    lifecycle_stage = CharField(
        max_length=12, default="lead", constraints=[one_of("lifecycle_stage", LIFECYCLE_STAGES)]
    )
    lead_score = SmallIntegerField(
        default=0, constraints=[Check("lead_score BETWEEN 0 AND 100")]
    )
    account_manager = ForeignKeyField(Agent, null=True, backref="accounts", on_delete="SET NULL")
    retainer_amount = DecimalField(max_digits=12, decimal_places=2, null=True)
    retainer_cycle = CharField(max_length=10, null=True)
    birthday = DateField(null=True)
    referred_by = ForeignKeyField("self", null=True, backref="referrals", on_delete="SET NULL")
    contact_cadence_days = IntegerField(null=True)
    confidential = BooleanField(default=False)
    notes = TextField(default="")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)

    class Meta:
        constraints = [
            SQL(
                "CHECK (retainer_cycle IS NULL OR retainer_cycle IN "
                "('monthly', 'quarterly', 'yearly'))"
            ),
            SQL("CHECK (contact_cadence_days IS NULL OR contact_cadence_days > 0)"),
        ]
        indexes = (
            (("name", "id"), False),
            (("kind", "name", "id"), False),
            (("lifecycle_stage", "name", "id"), False),
            (("account_manager", "name", "id"), False),
            (("lead_score", "id"), False),
            (("last_contact_at", "id"), False),
            (("email",), False),
            (("referred_by",), False),
        )


class ClientTag(BaseModel):
    """A tag on a client."""

    client = ForeignKeyField(Client, backref="tag_links", on_delete="CASCADE")
    tag = ForeignKeyField(Tag, on_delete="CASCADE")

    class Meta:
        indexes = ((("client", "tag"), True), (("tag", "client"), False))


class Task(BaseModel):
    """A task, order or support query on a list; subtasks point at their parent.

    `category` copies the status's category and `closed_at` is set while the task is done or
    closed, so that the "not done" views have a partial index (`closed_at IS NULL`).
    """

    task_list = ForeignKeyField(TaskList, backref="tasks", on_delete="RESTRICT")
    status = ForeignKeyField(Status, on_delete="RESTRICT")
    category = CharField(max_length=8, constraints=[one_of("category", CATEGORIES)])
    parent = ForeignKeyField("self", null=True, backref="subtasks", on_delete="CASCADE")
    kind = CharField(max_length=8, default="task", constraints=[one_of("kind", TASK_KINDS)])
    title = CharField(max_length=500)
    description = TextField(default="")
    priority = SmallIntegerField(default=3, constraints=[Check("priority BETWEEN 1 AND 5")])
    team = ForeignKeyField(Team, null=True, on_delete="SET NULL")
    client = ForeignKeyField(Client, null=True, backref="tasks", on_delete="SET NULL")
    start_at = DateTimeField(null=True)
    due_at = DateTimeField(null=True)
    estimate_minutes = IntegerField(null=True)
    position = IntegerField(default=0)
    created_by = ForeignKeyField(Agent, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    closed_at = DateTimeField(null=True)
    snoozed_until = DateTimeField(null=True)
    version = IntegerField(default=1)

    class Meta:
        indexes = (
            (("task_list", "position", "id"), False),
            (("category", "priority", "id"), False),
            (("client", "priority", "id"), False),
            (("parent", "position", "id"), False),
            (("status",), False),
        )


# Partial indexes for the default "not done" views; the migration creates them by name.
Task.add_index(
    Task.index(Task.priority, Task.id, name="task_open_by_priority").where(
        Task.closed_at.is_null()
    )
)
Task.add_index(
    Task.index(Task.task_list, Task.position, Task.id, name="task_open_by_list").where(
        Task.closed_at.is_null()
    )
)
Task.add_index(
    Task.index(Task.kind, Task.priority, Task.id, name="task_open_by_kind").where(
        Task.closed_at.is_null()
    )
)
Task.add_index(
    Task.index(Task.due_at, Task.id, name="task_open_by_due").where(Task.closed_at.is_null())
)
Task.add_index(
    Task.index(Task.updated_at, Task.id, name="task_open_by_updated").where(
        Task.closed_at.is_null()
    )
)
Task.add_index(
    Task.index(Task.priority, Task.id, name="task_done_by_priority").where(
        Task.closed_at.is_null(False)
    )
)
Task.add_index(
    Task.index(Task.team, Task.due_at, name="task_open_by_team").where(Task.closed_at.is_null())
)


class TaskAssignee(BaseModel):
    """An agent assigned to a task."""

    task = ForeignKeyField(Task, backref="assignee_links", on_delete="CASCADE")
    agent = ForeignKeyField(Agent, on_delete="CASCADE")

    class Meta:
        indexes = ((("task", "agent"), True), (("agent", "task"), False))


class TaskTag(BaseModel):
    """A tag on a task."""

    task = ForeignKeyField(Task, backref="tag_links", on_delete="CASCADE")
    tag = ForeignKeyField(Tag, on_delete="CASCADE")

    class Meta:
        indexes = ((("task", "tag"), True), (("tag", "task"), False))


class CustomField(BaseModel):
    """A field defined on a list (dropdown, number, text, date, money or checkbox)."""

    task_list = ForeignKeyField(TaskList, backref="custom_fields", on_delete="CASCADE")
    name = CharField(max_length=100)
    kind = CharField(max_length=10, constraints=[one_of("kind", FIELD_KINDS)])
    options = TextField(default="[]")  # JSON list of the dropdown's choices
    position = IntegerField(default=0)

    class Meta:
        indexes = ((("task_list", "name"), True),)


class CustomValue(BaseModel):
    """The value of a custom field on one task, stored as canonical text."""

    task = ForeignKeyField(Task, backref="custom_values", on_delete="CASCADE")
    field = ForeignKeyField(CustomField, on_delete="CASCADE")
    value = TextField()

    class Meta:
        indexes = ((("task", "field"), True), (("field", "value"), False))


class ChecklistTemplate(BaseModel):
    """A named, reusable checklist; applied to new tasks of a list or orders of a product."""

    name = CharField(unique=True, max_length=200)
    task_list = ForeignKeyField(TaskList, null=True, on_delete="SET NULL")


class ChecklistTemplateItem(BaseModel):
    """An item of a checklist template; items nest through `parent`."""

    template = ForeignKeyField(ChecklistTemplate, backref="items", on_delete="CASCADE")
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="CASCADE")
    text = CharField(max_length=500)
    position = IntegerField(default=0)

    class Meta:
        indexes = ((("template", "position"), False),)


class Product(BaseModel):
    """An entry of the product and service catalogue."""

    name = CharField(unique=True, max_length=200)
    kind = CharField(max_length=8, default="service", constraints=[one_of("kind", PRODUCT_KINDS)])
    unit_price = DecimalField(max_digits=12, decimal_places=2, default=0)
    active = BooleanField(default=True)
    checklist_template = ForeignKeyField(ChecklistTemplate, null=True, on_delete="SET NULL")
    version = IntegerField(default=1)


class OrderData(BaseModel):
    """The typed order data of a task of kind order."""

    task = ForeignKeyField(Task, primary_key=True, backref="order_data", on_delete="CASCADE")
    product = ForeignKeyField(Product, on_delete="RESTRICT")
    quantity = IntegerField(constraints=[Check("quantity > 0")])
    unit_price = DecimalField(max_digits=12, decimal_places=2)
    total = DecimalField(max_digits=14, decimal_places=2)
    fulfilled_at = DateTimeField(null=True)
    invoiced_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("product",), False),)


class QueryData(BaseModel):
    """The support data of a task of kind query: requester, channel, SLA times, CSAT."""

    task = ForeignKeyField(Task, primary_key=True, backref="query_data", on_delete="CASCADE")
    requester_name = CharField(max_length=200, default="")
    requester_email = CharField(max_length=254, default="")
    channel = CharField(max_length=8, default="form", constraints=[one_of("channel", CHANNELS)])
    message_id = CharField(max_length=500, null=True, index=True)
    waiting_on = CharField(max_length=4, default="us",
                           constraints=[one_of("waiting_on", ("us", "them"))])
    first_response_at = DateTimeField(null=True)
    resolved_at = DateTimeField(null=True)
    csat_score = SmallIntegerField(null=True)
    csat_comment = TextField(default="")
    first_response_due = DateTimeField(null=True)  # by the SLA policy (desk.sla)
    resolution_due = DateTimeField(null=True)

    class Meta:
        constraints = [SQL("CHECK (csat_score IS NULL OR csat_score BETWEEN 1 AND 5)")]


# What the SLA scan and the "overdue" counts read: the targets not yet met, by due time
# (desk/migrations/0004_sla.py creates them by name).
QueryData.add_index(
    QueryData.index(QueryData.first_response_due, name="query_data_first_response_open")
    .where(QueryData.first_response_at.is_null())
)
QueryData.add_index(
    QueryData.index(QueryData.resolution_due, name="query_data_resolution_open")
    .where(QueryData.resolved_at.is_null())
)


class Checklist(BaseModel):
    """A checklist on a task."""

    task = ForeignKeyField(Task, backref="checklists", on_delete="CASCADE")
    name = CharField(max_length=200)
    position = IntegerField(default=0)

    class Meta:
        indexes = ((("task", "position"), False),)


class ChecklistItem(BaseModel):
    """An item of a checklist; items nest through `parent`."""

    checklist = ForeignKeyField(Checklist, backref="items", on_delete="CASCADE")
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="CASCADE")
    text = CharField(max_length=500)
    done = BooleanField(default=False)
    position = IntegerField(default=0)
    done_at = DateTimeField(null=True)
    done_by = ForeignKeyField(Agent, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("checklist", "position"), False),)


class Comment(BaseModel):
    """A reply to the client, an internal note, or a message from the requester. Append-only."""

    task = ForeignKeyField(Task, backref="comments", on_delete="CASCADE")
    kind = CharField(max_length=8, constraints=[one_of("kind", COMMENT_KINDS)])
    author = ForeignKeyField(Agent, null=True, on_delete="SET NULL")
    author_name = CharField(max_length=200, default="")
    body = TextField()
    message_id = CharField(max_length=500, null=True, index=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("task", "id"), False),)


class Interaction(BaseModel):
    """A touch with a client (call, email, meeting, reply, note, order): moves the client clock."""

    client = ForeignKeyField(Client, backref="interactions", on_delete="CASCADE")
    agent = ForeignKeyField(Agent, null=True, on_delete="SET NULL")
    kind = CharField(max_length=8, constraints=[one_of("kind", INTERACTION_KINDS)])
    summary = TextField(default="")
    task = ForeignKeyField(Task, null=True, on_delete="SET NULL")
    occurred_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("client", "occurred_at"), False),)


class RecurringSeries(BaseModel):
    """Work that comes back: an RFC 5545 rule (python-dateutil) applied to a template task."""

    task = ForeignKeyField(Task, backref="series", on_delete="CASCADE")
    rule = TextField()  # RFC 5545 RRULE text, e.g. FREQ=MONTHLY;BYMONTHDAY=1
    anchor = CharField(max_length=10, default="schedule",
                       constraints=[one_of("anchor", ("schedule", "completion"))])
    mode = CharField(max_length=6, default="new", constraints=[one_of("mode", ("new", "reopen"))])
    skip_weekends = BooleanField(default=False)
    skip_if_open = BooleanField(default=False)
    catch_up = CharField(max_length=6, default="latest",
                         constraints=[one_of("catch_up", ("latest", "all"))])
    starts_at = DateTimeField()
    until = DateTimeField(null=True)
    count = IntegerField(null=True)
    next_at = DateTimeField(null=True)
    active = BooleanField(default=True)
    created_by = ForeignKeyField(Agent, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("active", "next_at"), False),)


class Occurrence(BaseModel):
    """One occurrence of a series; the unique (series, occurs_at) key forbids duplicates."""

    series = ForeignKeyField(RecurringSeries, backref="occurrences", on_delete="CASCADE")
    occurs_at = DateTimeField()
    task = ForeignKeyField(Task, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("series", "occurs_at"), True),)


class Activity(BaseModel):
    """The audit trail: one row per changed field (who, when, what, old, new)."""

    at = DateTimeField(default=utcnow)
    agent = ForeignKeyField(Agent, null=True, on_delete="SET NULL")
    actor = CharField(max_length=200)  # agent username, or "rule:NAME" for automations
    entity = CharField(max_length=20)
    entity_id = IntegerField()
    field = CharField(max_length=100)
    old = TextField(null=True)
    new = TextField(null=True)
    version = IntegerField(null=True)  # the entity version this change produced

    class Meta:
        indexes = ((("entity", "entity_id", "id"), False),)


class Event(BaseModel):
    """A change for the automation processor to consume, written with the change itself."""

    at = DateTimeField(default=utcnow)
    kind = CharField(max_length=40)
    entity = CharField(max_length=20)
    entity_id = IntegerField()
    agent = ForeignKeyField(Agent, null=True, on_delete="SET NULL")
    data = TextField(default="{}")  # JSON
    depth = SmallIntegerField(default=0)
    processed_at = DateTimeField(null=True)


Event.add_index(Event.index(Event.id, name="event_pending").where(Event.processed_at.is_null()))


class SavedView(BaseModel):
    """A named query for a screen, personal (owner) or shared (no owner)."""

    scope = CharField(max_length=8, constraints=[one_of("scope", SAVED_VIEW_SCOPES)])
    name = CharField(max_length=100)
    query = TextField()
    sort = CharField(max_length=40, default="")
    owner = ForeignKeyField(Agent, null=True, on_delete="CASCADE")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("scope", "owner", "name"), True),)


SavedView.add_index(
    SavedView.index(SavedView.scope, SavedView.name, unique=True,
                    name="saved_view_shared_name").where(SavedView.owner.is_null())
)


OUTBOX_STATUSES = ("queued", "sent", "failed")


class Outbox(BaseModel):
    """An outgoing e-mail: queued by an automation or a reply, delivered by a sender that
    marks it sent or failed (with the attempts and the last error)."""

    task = ForeignKeyField(Task, null=True, on_delete="SET NULL")
    client = ForeignKeyField(Client, null=True, on_delete="SET NULL")
    to_address = CharField(max_length=254)
    subject = CharField(max_length=500)
    body = TextField()
    message_id = CharField(max_length=500, null=True, index=True)  # given when first sent
    in_reply_to = CharField(max_length=500, null=True)
    status = CharField(max_length=8, default="queued",
                       constraints=[one_of("status", OUTBOX_STATUSES)])
    attempts = IntegerField(default=0)
    last_error = TextField(default="")
    created_at = DateTimeField(default=utcnow)
    sent_at = DateTimeField(null=True)
    next_attempt_at = DateTimeField(null=True)  # after a failed attempt: not before then
    sending_since = DateTimeField(null=True)  # a sender has claimed it and is sending it
    reference_ids = TextField(default="")  # the References header: message ids, spaced

    class Meta:
        indexes = ((("status", "id"), False), (("task",), False))


class RuleFiring(BaseModel):
    """That an automation rule fired on a row for a moment (a due date, a birthday): the
    unique key lets each time trigger fire once, whoever runs the automations."""

    rule = CharField(max_length=100)
    entity = CharField(max_length=20)
    entity_id = IntegerField()
    key = CharField(max_length=100)
    fired_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("rule", "entity", "entity_id", "key"), True),)


class RoundRobin(BaseModel):
    """Whose turn it is in a team: the agent the team's last round-robin assignment went to."""

    team = ForeignKeyField(Team, unique=True, on_delete="CASCADE")
    agent = ForeignKeyField(Agent, null=True, on_delete="SET NULL")


MAIL_OUTCOMES = ("new", "comment", "automatic", "failed")


class MailMessage(BaseModel):
    """An e-mail desk has taken in, once: by its Message-ID (or a hash of its bytes when it
    has none), with what became of it. A message that could not be read keeps its raw copy
    (`raw_path`, under the data directory) and the reason in `error`."""

    key = CharField(max_length=500, unique=True)
    source = CharField(max_length=500, default="")
    sender = CharField(max_length=254, default="")
    subject = CharField(max_length=500, default="")
    task = ForeignKeyField(Task, null=True, backref="mail", on_delete="SET NULL")
    outcome = CharField(max_length=9, constraints=[one_of("outcome", MAIL_OUTCOMES)])
    error = TextField(default="")
    raw_path = CharField(max_length=1000, default="")
    received_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("task",), False), (("outcome", "id"), False))


class Attachment(BaseModel):
    """A file that came with a query or a reply, saved under the data directory: `path` is
    relative to the attachments folder, `filename` the safe name it was saved as and
    `original_name` the name as sent."""

    task = ForeignKeyField(Task, backref="attachments", on_delete="CASCADE")
    comment = ForeignKeyField(Comment, null=True, on_delete="SET NULL")
    mail = ForeignKeyField(MailMessage, null=True, on_delete="SET NULL")
    filename = CharField(max_length=255)
    original_name = CharField(max_length=1000, default="")
    content_type = CharField(max_length=255, default="application/octet-stream")
    size = IntegerField()
    path = CharField(max_length=1000)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("task", "id"), False),)


MODELS = [
    Meta, Team, Agent, TeamMember, Tag, Space, TaskList, Status, Client, ClientTag, Task,
    TaskAssignee, TaskTag, CustomField, CustomValue, ChecklistTemplate, ChecklistTemplateItem,
    Product, OrderData, QueryData, Checklist, ChecklistItem, Comment, Interaction,
    RecurringSeries, Occurrence, Activity, Event, SavedView, Outbox, RuleFiring, RoundRobin,
    MailMessage, Attachment,
]


class SearchDoc(FTS5Model):
    """SQLite's full-text index: one document per task, comment and client.

    The rowid encodes the source row (`desk.kernel.search.doc_rowid`) so a document is
    replaced or deleted by key; `task_id`/`client_id` say what a hit leads to. PostgreSQL keeps
    a plain table of the same name with a generated tsvector column instead
    (see desk/migrations/0002_search.py).
    """

    task_id = SearchField(unindexed=True)
    client_id = SearchField(unindexed=True)
    title = SearchField()
    body = SearchField()

    class Meta:
        database = database
        table_name = "search_doc"
        options = {"tokenize": "unicode61 remove_diacritics 2", "prefix": "2 3"}
