"""The Peewee models: desk's whole domain as tables with foreign keys, indexes and checks.

Times are stored as naive UTC datetimes (`desk.clock.utcnow()`); calendar dates (birthday,
acquisition date) as dates. Mutable rows carry `version` for optimistic concurrency.
The schema itself is created by the migrations in desk/migrations, not by `create_tables`.
A foreign key declared `index=False` is served by a wider index that starts with it (0031).
The models live in one module per area; import them from here (`from desk.models import
Task`). The words their columns hold are in desk.vocabulary.
"""

from __future__ import annotations

from desk.models.base import BaseModel, Meta, WorkspaceSetting, database, one_of
from desk.models.checklists import (
    Checklist,
    ChecklistItem,
    ChecklistTemplate,
    ChecklistTemplateItem,
)
from desk.models.clients import Client, ClientTag, Tag
from desk.models.contacts import Contact
from desk.models.drafts import Draft
from desk.models.feedback import FeedbackLink, NpsSurvey
from desk.models.history import Activity, Event, Interaction, RuleFiring
from desk.models.loyalty import LoyaltyEntry, LoyaltyStanding
from desk.models.mail import Attachment, MailMessage, Outbox
from desk.models.notices import Follow, Notice
from desk.models.orders import OrderData, Product
from desk.models.people import Agent, RoundRobin, SavedView, SshKey, Team, TeamMember
from desk.models.portal import PortalAttempt, PortalClient, PortalLink, PortalSession
from desk.models.presence import Presence
from desk.models.recurrence import Occurrence, RecurringSeries
from desk.models.search import SearchDoc
from desk.models.sequences import SequenceEnrolment, SequenceStep
from desk.models.suggestions import SuggestionState
from desk.models.support import Comment, QueryData
from desk.models.tasks import (
    CustomField,
    CustomValue,
    Space,
    Status,
    Task,
    TaskAssignee,
    TaskList,
    TaskTag,
)
from desk.models.time import TimeEntry
from desk.models.transfer import SourceKey

MODELS = [
    Meta, Team, Agent, TeamMember, Tag, Space, TaskList, Status, Client, ClientTag, Contact, Task,
    TaskAssignee, TaskTag, CustomField, CustomValue, ChecklistTemplate, ChecklistTemplateItem,
    Product, OrderData, QueryData, Checklist, ChecklistItem, Comment, Interaction,
    RecurringSeries, Occurrence, Activity, Event, SavedView, Outbox, RuleFiring, RoundRobin,
    MailMessage, Attachment, SourceKey, SshKey, PortalLink, PortalSession, PortalAttempt,
    PortalClient, Draft, WorkspaceSetting, SequenceEnrolment, SequenceStep, LoyaltyEntry,
    LoyaltyStanding, TimeEntry, NpsSurvey, FeedbackLink,
]
MODELS += [SuggestionState]  # 0021_suggestions
MODELS += [Presence]  # 0025_presence
MODELS += [Notice, Follow]  # 0026_notices
"""Every table of the domain but the search index, parents before children."""

__all__ = [
    "MODELS", "Activity", "Agent", "Attachment", "BaseModel", "Checklist", "ChecklistItem",
    "ChecklistTemplate", "ChecklistTemplateItem", "Client", "ClientTag", "Comment", "Contact",
    "CustomField", "CustomValue", "Draft", "Event", "FeedbackLink", "Interaction",
    "LoyaltyEntry", "LoyaltyStanding", "MailMessage", "Meta", "NpsSurvey",
    "Occurrence", "OrderData", "Outbox", "PortalAttempt", "PortalClient", "PortalLink",
    "PortalSession", "Product", "QueryData", "RecurringSeries", "RoundRobin", "RuleFiring",
    "SavedView", "SearchDoc", "SequenceEnrolment", "SequenceStep", "SourceKey", "Space",
    "SshKey", "Status", "Tag", "Task",
    "TaskAssignee", "TaskList", "TaskTag", "Team", "TeamMember", "TimeEntry",
    "WorkspaceSetting",
    "database", "one_of",
]
__all__ += ["SuggestionState"]
__all__ += ["Presence"]
__all__ += ["Follow", "Notice"]
