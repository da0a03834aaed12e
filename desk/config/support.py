"""The settings of the support desk: the business calendar, SLA policies, the inbox's urgency
score, intake from e-mail and forms, the outgoing mail server and canned responses."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from msgspec import field

from desk.config.automations.placeholders import check_placeholders, placeholders_for
from desk.config.checks import (
    BusinessSpan,
    Count,
    Divisor,
    HeaderText,
    MailAddress,
    MailDomain,
    Name,
    Percent,
    Positive,
    PublicDomains,
    TimeZoneName,
    WallSpan,
    WorkingHours,
)
from desk.config.defaults import shipped
from desk.config.validate import Check, Section, SettingProblem, convert
from desk.vocabulary import ClientKind, PriorityName

# --- the business calendar and SLA policies ----------------------------------------------------

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
ClientKindName = Literal[ClientKind, "none"]  # none: a query linked to no client


def _check_days(days: list[str]) -> None:
    """Check that working days are named, each once."""
    if not days:
        raise ValueError("expected at least one working day, e.g. [mon, tue, wed, thu, fri]")
    for index, day in enumerate(days):
        if day in days[:index]:
            raise SettingProblem((index,), f"{day} is named twice")


class CalendarSettings(Section):
    """The business calendar SLA targets are counted in."""

    timezone: TimeZoneName | None = None
    """IANA zone of the working hours; None = the top-level `timezone`."""

    days: Annotated[list[Weekday], Check(_check_days)] = field(
        default_factory=lambda: ["mon", "tue", "wed", "thu", "fri"])
    """The working weekdays."""

    hours: WorkingHours = "09:00-17:30"
    """The working hours of each working day, HH:MM-HH:MM (24:00 = midnight)."""

    holidays: list[date] = field(default_factory=list)
    """Days off, as dates (2026-12-25)."""


class SlaPolicy(Section):
    """One SLA policy: which queries it is for, and their targets in business time."""

    name: Name
    """What the policy is called (required; unique)."""

    priority: list[PriorityName] = field(default_factory=list)
    """The priorities it is for; [] = any."""

    client_kind: list[ClientKindName] = field(default_factory=list)
    """The kinds of client it is for (none: no client linked); [] = any."""

    first_response: BusinessSpan | None = None
    """The first reply is due this long after the query arrives; None = no target."""

    resolution: BusinessSpan | None = None
    """The query is to be resolved this long after it arrives; None = no target."""


# The SLA policies desk ships: its default `sla.policies` (desk/config/defaults.yaml).
SHIPPED_SLA_POLICIES: tuple[SlaPolicy, ...] = tuple(
    convert(shipped("sla", "policies"), list[SlaPolicy], ("sla", "policies")))


def _check_policies(policies: list[SlaPolicy]) -> None:
    """Check that policy names are unique and that the last policy is a catch-all."""
    if not policies:
        raise ValueError("expected at least one policy (the last one for every query)")
    names: set[str] = set()
    for index, policy in enumerate(policies):
        if policy.name.casefold() in names:
            raise SettingProblem((index, "name"), f"another policy is called {policy.name!r}")
        names.add(policy.name.casefold())
    last = policies[-1]
    if last.priority or last.client_kind:
        raise SettingProblem((len(policies) - 1,),
                             f"the last policy ({last.name!r}) must be for every query: "
                             "give it no priority and no client_kind")


class SlaSettings(Section):
    """Service level targets of support queries, and when they count as nearly breached."""

    policies: Annotated[list[SlaPolicy], Check(_check_policies)] = field(
        default_factory=lambda: list(SHIPPED_SLA_POLICIES))
    """The policies in order: a query gets the first that fits; the last fits every query."""

    near_breach_percent: Percent | None = 80
    """A target is nearly breached once this share of it has passed; None = never."""

    near_breach_minutes: Positive | None = 30
    """...or once this few business minutes are left; None = never."""

    pause_while_waiting: bool = True
    """A query waiting on the customer pauses its resolution clock: no breach, no red, and
    its resolution deadline does not rank it in the "most urgent" order; when the customer
    answers, the resolution is due later by the business time waited (desk.sla.resume)."""


# --- the inbox's urgency score -----------------------------------------------------------------


class UrgencyWeights(Section):
    """The points each term of the urgency score is worth at its fullest."""

    sla: float = 40
    """The nearest deadline (SLA target, else due date) is now; twice this when overdue by
    the horizon or more, nothing when it is the horizon away."""

    priority: float = 30
    """Urgent priority (high 3/4 of it, normal 1/2, low 1/4, none nothing)."""

    client: float = 10
    """The query is from a client (a long-term relationship), not a customer."""

    retainer: float = 10
    """The client pays a retainer worth `retainer_full` a month or more (less: a share)."""

    lead_score: float = 5
    """The client's lead score is 100 (less: a share)."""

    age: float = 10
    """The task is `age_full` old or older (younger: a share)."""

    waiting_on_us: float = 15
    """The query waits on us, not on the requester."""


class UrgencySettings(Section):
    """How the inbox ranks its rows by urgency."""

    weights: UrgencyWeights = field(default_factory=UrgencyWeights)
    """The points of each term."""

    sla_horizon: WallSpan = "24h"
    """How far ahead (and overdue) a deadline counts, by the wall clock."""

    age_full: WallSpan = "7d"
    """The age that earns the whole age weight."""

    retainer_full: Divisor = 5000
    """The monthly retainer that earns the whole retainer weight (quarterly and yearly
    retainers count by their monthly share)."""


# --- intake: queries from e-mail and forms -----------------------------------------------------


def _check_imap(imap: ImapSettings) -> None:
    """The IMAP settings that only make sense together."""
    if imap.processed == "move" and not imap.move_to:
        raise SettingProblem(("processed",), "processed: move needs move_to: a folder name")
    if imap.password_env and imap.password_file:
        raise SettingProblem(("password_file",),
                             "set password_env or password_file, not both")


class ImapSettings(Section):
    """The IMAP mailbox `desk intake imap` reads (host None = none configured)."""

    host: str | None = None
    """The server's host name, e.g. imap.example.com."""

    port: Positive | None = None
    """The port; None = 993 for tls, 143 for starttls."""

    security: Literal["tls", "starttls"] = "tls"
    """tls = encrypted from the start (IMAPS); starttls = plain connection upgraded at once.
    Either way the server's certificate is checked."""

    ca_file: str | None = None
    """A PEM file of certificate authorities to trust instead of the system's (a private CA)."""

    user: str = ""
    """The login name."""

    password_env: str | None = None
    """The environment variable holding the password (e.g. DESK_IMAP_PASSWORD)."""

    password_file: str | None = None
    """A file whose first line is the password (keep it readable by you only)."""

    folder: Name = "INBOX"
    """The folder to read."""

    processed: Literal["flag", "move"] = "flag"
    """What happens to a message once taken: flag = mark it \\Seen and \\Flagged (flagged
    messages are not read again); move = move it to `move_to`."""

    move_to: str | None = None
    """The folder processed messages are moved to (with processed: move)."""


class IntakeSettings(Section):
    """Queries from e-mail and forms (`desk intake`)."""

    list: Name = "Support inbox"
    """The list new queries are created on (a name, or Space/List)."""

    attachment_max_bytes: Count = 10_000_000
    """Attachments larger than this many bytes are not saved (the query says so)."""

    attachments_folder: str | None = None
    """Where the files that come with mail are kept. None = beside a SQLite database file
    (FILE.attachments, shared with the file's group), or on PostgreSQL the data folder of
    the account that takes mail in: name a folder every agent reaches for a team."""

    reopen_resolved: bool = True
    """A reply to a resolved or closed query reopens it."""

    snooze_policy: Literal["wake", "stay"] = "wake"
    """A reply to a snoozed query: wake = wakes it (back in the inbox at once); stay = it
    stays snoozed until its time."""

    create_customers: bool = True
    """A sender desk does not know becomes a new customer; false = the query has no client."""

    public_domains: PublicDomains = field(
        default_factory=lambda: shipped("intake", "public_domains"))
    """Mail domains shared by the public: a sender there is never matched to a client by
    domain, only by full address."""

    imap: Annotated[ImapSettings, Check(_check_imap)] = field(default_factory=ImapSettings)
    """The mailbox `desk intake imap` reads."""


# --- outgoing mail (the outbox) and canned responses -------------------------------------------


def _check_smtp(smtp: SmtpSettings) -> None:
    """The SMTP settings that only make sense together."""
    if smtp.host and not smtp.from_address:
        raise SettingProblem(("host",), "a server needs from_address: the address mail is "
                                        "sent from")
    if smtp.password_env and smtp.password_file:
        raise SettingProblem(("password_file",), "set password_env or password_file, not both")
    if smtp.user and not (smtp.password_env or smtp.password_file):
        raise SettingProblem(("user",), "logging in needs password_env or password_file")
    if smtp.user and smtp.security == "none":
        raise SettingProblem(("security",), "logging in over security: none would send the "
                                            "password unencrypted; use starttls or tls")


class SmtpSettings(Section):
    """The SMTP server the outbox sends through (host None = none: mail waits in the outbox)."""

    host: str | None = None
    """The server's host name, e.g. smtp.example.com."""

    port: Positive | None = None
    """The port; None = 587 for starttls, 465 for tls, 25 for none."""

    security: Literal["starttls", "tls", "none"] = "starttls"
    """starttls = plain connection upgraded at once; tls = encrypted from the start (SMTPS);
    none = unencrypted (a relay on this machine only). The certificate is always checked."""

    ca_file: str | None = None
    """A PEM file of certificate authorities to trust instead of the system's (a private CA)."""

    user: str = ""
    """The login name; "" = send without logging in."""

    password_env: str | None = None
    """The environment variable holding the password (e.g. DESK_SMTP_PASSWORD)."""

    password_file: str | None = None
    """A file whose first line is the password (keep it readable by you only)."""

    from_address: MailAddress | None = None
    """The address mail is sent from (required with a host), e.g. support@example.com."""

    from_name: HeaderText = ""
    """The name shown with it, e.g. Brightline Support."""

    message_id_domain: MailDomain | None = None
    """The domain of the Message-IDs desk writes; None = the domain of from_address."""

    timeout_seconds: Positive = 30
    """How long to wait for the server at each step before trying again later."""

    max_attempts: Positive = 8
    """Attempts at a message (the server down or busy) before it is marked failed."""

    retry_after: WallSpan = "5min"
    """The wait before the second attempt; it doubles after each failed attempt..."""

    retry_max: WallSpan = "6h"
    """...up to this wait."""

    undo_seconds: Count = 30
    """How long an agent's reply waits in the outbox before it may go out, so `u` can take
    it back; 0 = no wait."""


CheckedSmtpSettings = Annotated[SmtpSettings, Check(_check_smtp)]
"""The SMTP settings, checked as a whole."""


def _check_canned_text(text: str) -> None:
    """Check a canned response: text with the {placeholders} of a task, as automation rules
    write them (all but {rule.name}, and {csat.links}, which only an e-mail rule fills)."""
    if not text.strip():
        raise ValueError("expected the text of the response, got an empty text")
    if len(text) > 20_000 or "\x00" in text:
        raise ValueError("expected at most 20000 characters without NUL")
    check_placeholders(text, (name for name in placeholders_for("task")
                              if name not in ("rule.name", "csat.links")))


class CannedResponse(Section):
    """A reply kept ready: the composer inserts it (ctrl+t) with its placeholders filled in
    for the query being answered."""

    name: Name
    """What the picker shows (required; unique)."""

    text: Annotated[str, Check(_check_canned_text)]
    """The text (required), with placeholders such as {requester.name} or {task.id}."""


# The canned responses desk ships: its default `canned_responses` (desk/config/defaults.yaml).
SHIPPED_CANNED_RESPONSES: tuple[CannedResponse, ...] = tuple(
    convert(shipped("canned_responses"), list[CannedResponse], ("canned_responses",)))


def _check_canned(responses: list[CannedResponse]) -> None:
    """Check that the canned responses have different names."""
    names: set[str] = set()
    for index, response in enumerate(responses):
        if response.name.casefold() in names:
            raise SettingProblem((index, "name"),
                                 f"another canned response is called {response.name!r}")
        names.add(response.name.casefold())


CannedResponses = Annotated[list[CannedResponse], Check(_check_canned)]
"""Canned responses with different names."""
