"""The words desk's data is made of, in one place: priorities, task kinds, status categories,
lifecycle stages, channels, roles and the other closed sets of values.

Each set is a `Literal` type, for annotations and the config's schema, and a tuple of its
words in their order, for checks, pickers and help. The database stores these words as they
are, except priorities, which it stores as their numbers (`PRIORITIES`); the models' CHECK
constraints are built from the same tuples. Nothing here imports anything, so the config and
the automation rules can read it without loading the database.
"""

from __future__ import annotations

from typing import Literal, get_args

# --- people and work -----------------------------------------------------------------------

Role = Literal["admin", "agent", "viewer"]
"""What an agent may do: everything, work the desk, or only look."""
ROLES: tuple[Role, ...] = get_args(Role)

Category = Literal["open", "active", "done", "closed"]
"""The category of a list's status: what every status of that kind means to desk."""
CATEGORIES: tuple[Category, ...] = get_args(Category)
DONE_CATEGORIES: tuple[Category, ...] = ("done", "closed")
"""The categories of finished work: a task in one has `closed_at` set."""

TaskKind = Literal["task", "order", "query"]
"""A plain task, an order (with order data) or a support query (with query data)."""
TASK_KINDS: tuple[TaskKind, ...] = get_args(TaskKind)

PriorityName = Literal["urgent", "high", "normal", "low", "none"]
"""A priority by name, most urgent first."""
PRIORITY_WORDS: tuple[PriorityName, ...] = get_args(PriorityName)
PRIORITIES: dict[PriorityName, int] = {
    name: number for number, name in enumerate(PRIORITY_WORDS, start=1)}
"""Priority names and the numbers the database stores: urgent 1 ... none 5."""
PRIORITY_NAMES: dict[int, PriorityName] = {number: name for name, number in PRIORITIES.items()}
"""The stored priority numbers and their names."""

FieldKind = Literal["dropdown", "number", "text", "date", "money", "checkbox"]
"""The kinds of a list's custom fields."""
FIELD_KINDS: tuple[FieldKind, ...] = get_args(FieldKind)

SavedViewScope = Literal["tasks", "clients", "inbox"]
"""The screens a saved view can be for."""
SAVED_VIEW_SCOPES: tuple[SavedViewScope, ...] = get_args(SavedViewScope)

SeriesAnchor = Literal["schedule", "completion"]
"""What a recurring series counts from: its schedule, or when the last occurrence was done."""
SERIES_ANCHORS: tuple[SeriesAnchor, ...] = get_args(SeriesAnchor)

SeriesMode = Literal["new", "reopen"]
"""Whether an occurrence creates a new task or reopens the same one."""
SERIES_MODES: tuple[SeriesMode, ...] = get_args(SeriesMode)

CatchUp = Literal["latest", "all"]
"""Which missed occurrences a series creates: the latest only, or every one."""
CATCH_UPS: tuple[CatchUp, ...] = get_args(CatchUp)

# --- clients -------------------------------------------------------------------------------

ClientKind = Literal["client", "customer"]
"""A client (a long-term relationship) or a customer (transactional)."""
CLIENT_KINDS: tuple[ClientKind, ...] = get_args(ClientKind)

LifecycleStage = Literal["lead", "prospect", "onboarding", "active", "at_risk", "churned"]
"""Where a client stands in the relationship, in order."""
LIFECYCLE_STAGES: tuple[LifecycleStage, ...] = get_args(LifecycleStage)

RetainerCycle = Literal["monthly", "quarterly", "yearly"]
"""How often a retainer is billed."""
RETAINER_CYCLES: tuple[RetainerCycle, ...] = get_args(RetainerCycle)

ContactRole = Literal["decision_maker", "billing", "technical", "user"]
"""What a person at a client does for the relationship: decides, pays, runs the technical
side, or uses what the client bought. A seed's primary contact is the decision maker."""
CONTACT_ROLES: tuple[ContactRole, ...] = get_args(ContactRole)

InteractionKind = Literal["call", "email", "meeting", "reply", "note", "order"]
"""The kinds of touch with a client that move its last contact date."""
INTERACTION_KINDS: tuple[InteractionKind, ...] = get_args(InteractionKind)

# --- orders and support --------------------------------------------------------------------

ProductKind = Literal["product", "service"]
"""What a catalogue entry sells."""
PRODUCT_KINDS: tuple[ProductKind, ...] = get_args(ProductKind)

LoyaltyReason = Literal["earned", "redeemed", "expired", "adjusted"]
"""Why a client's loyalty points went up or down."""
LOYALTY_REASONS: tuple[LoyaltyReason, ...] = get_args(LoyaltyReason)

Channel = Literal["form", "email", "phone", "walk-in"]
"""How a support query reached the desk."""
CHANNELS: tuple[Channel, ...] = get_args(Channel)

WaitingOn = Literal["us", "them"]
"""Whose turn it is in a support query's conversation."""
WAITING_ON: tuple[WaitingOn, ...] = get_args(WaitingOn)

SlaTarget = Literal["first_response", "resolution"]
"""The two SLA targets of a query, in the order the clocks give them."""
SLA_TARGETS: tuple[SlaTarget, ...] = get_args(SlaTarget)

CommentKind = Literal["reply", "note", "message"]
"""A reply to the client, an internal note, or a message from the requester."""
COMMENT_KINDS: tuple[CommentKind, ...] = get_args(CommentKind)

NoticeKind = Literal["mention", "assigned", "reply", "message", "note"]
"""Why a task is in an agent's "For me": they were mentioned in a note on it or assigned it,
or, on a task they follow, an agent replied, the requester wrote, or a note was added."""
NOTICE_KINDS: tuple[NoticeKind, ...] = get_args(NoticeKind)

PORTAL_PREFIX = "portal: "
"""How the history, and a message's author, name a client's contact acting in the client
portal: "portal: ada@example.com"."""

# --- mail ----------------------------------------------------------------------------------

OutboxStatus = Literal["queued", "sent", "failed"]
"""Where an outgoing e-mail stands."""
OUTBOX_STATUSES: tuple[OutboxStatus, ...] = get_args(OutboxStatus)

MailOutcome = Literal["new", "comment", "automatic", "failed"]
"""What became of an e-mail taken in: a new query, a comment, ignored as automatic, or
unreadable."""
MAIL_OUTCOMES: tuple[MailOutcome, ...] = get_args(MailOutcome)

# --- imports -------------------------------------------------------------------------------

ImportEntity = Literal["task", "client", "comment"]
"""What a record of another tool became in desk."""
IMPORT_ENTITIES: tuple[ImportEntity, ...] = get_args(ImportEntity)

ImportKind = Literal["clickup", "taskwarrior", "ical", "contacts", "desk"]
"""The kinds of file `desk import` reads."""
IMPORT_KINDS: tuple[ImportKind, ...] = get_args(ImportKind)

# --- drafts --------------------------------------------------------------------------------

DraftKind = Literal["reply", "note", "description", "client_notes", "template"]
"""What an unsaved text is for: a reply or internal note on a task, a task's description, a
client's notes, or the items of a checklist template (desk.kernel.drafts)."""
DRAFT_KINDS: tuple[DraftKind, ...] = get_args(DraftKind)

# --- presence ------------------------------------------------------------------------------

PresenceState = Literal["viewing", "replying"]
"""What an agent is doing on a task they have open: looking at it, or writing a reply to the
client (desk.kernel.presence)."""
PRESENCE_STATES: tuple[PresenceState, ...] = get_args(PresenceState)
