"""Everything a person can set in config.yaml: `Settings` and its sections.

Every section is a `Section` (a frozen msgspec Struct that refuses unknown keys) and every
setting a field with a default; adding a section is adding a Section and a field of that
type to `Settings`. The support desk's sections are desk.config.support's; the defaults that
are lists come from desk/config/defaults.yaml.
"""

from __future__ import annotations

import contextlib
import functools
import os
from datetime import datetime, tzinfo
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from msgspec import field

from desk.business_hours import WEEKDAYS, Calendar, parse_hours
from desk.config.automations.reading import parse as parse_rules
from desk.config.automations.sequences import parse as parse_sequences
from desk.config.checks import Count, DatabaseUrl, Name, TimeZoneName
from desk.config.defaults import shipped, shipped_automations
from desk.config.feedback import NpsSettings
from desk.config.loyalty import LoyaltySettings
from desk.config.money import MoneySettings
from desk.config.portal import PortalSettings
from desk.config.presence import PresenceSettings
from desk.config.suggestions import SuggestionSettings
from desk.config.support import (
    SHIPPED_CANNED_RESPONSES,
    CalendarSettings,
    CannedResponses,
    CheckedSmtpSettings,
    IntakeSettings,
    SlaSettings,
    SmtpSettings,
    UrgencySettings,
)
from desk.config.validate import Check, Section, SettingProblem, shown
from desk.config.yaml_lines import KeyPath


class SqliteSettings(Section):
    """How desk uses a SQLite database file (ignored for PostgreSQL)."""

    synchronous: Literal["normal", "full"] = "full"
    """Durability: "full" = an acknowledged commit survives a power loss; "normal" = faster,
    survives an app crash, but the last commits may be lost on a power loss."""

    busy_timeout_ms: Count = 5000
    """How long to wait for another desk writing to the same file before giving up, in ms."""


class WorkspaceSettings(Section):
    """Defaults for everyday commands."""

    default_list: Name = "Support inbox"
    """The list `desk add` puts a task on when --list is not given."""

    new_agent_role: Literal["agent", "viewer"] = "agent"
    """The role `desk agents add` gives when --role is not given."""


def _check_ssh_command(command: str) -> None:
    """Check the command sshd runs for an agent: it goes inside command="..." of an
    authorized_keys line, so one line without double quotes."""
    if not command.strip() or any(ch in command for ch in '"\\\n\r'):
        raise ValueError("expected the desk command on one line, without \" or \\, e.g. "
                         "/usr/local/bin/desk")


class SshSettings(Section):
    """The ssh identity mode: one service account that owns the data and runs desk for every
    agent, who comes in with an SSH key (README: "One service account over SSH")."""

    account: str | None = None
    """The operating-system account that owns the data and that sshd runs desk as for every
    agent (required in ssh mode), e.g. desk."""

    command: Annotated[str, Check(_check_ssh_command)] = "/usr/local/bin/desk"
    """The desk command sshd runs for an agent, written into the forced command of each key
    (`desk ssh-keys authorized`); add --config PATH when the config is not the account's
    default."""


def _check_identity(identity: IdentitySettings) -> None:
    """The identity settings that only make sense together."""
    if identity.mode == "ssh" and not identity.ssh.account:
        raise SettingProblem(("mode",), "mode: ssh needs ssh.account: the operating-system "
                                        "account that owns the data")


class IdentitySettings(Section):
    """Who is acting: the identity mode (see desk.kernel.access.identity)."""

    mode: Literal["os", "ssh", "postgres"] = "os"
    """os = the operating-system account running desk (personal use, or a trusted small
    office sharing one SQLite file); ssh = agents come in over SSH with their key to one
    service account (`ssh`); postgres = the PostgreSQL role each agent logs in as
    (`SELECT session_user`), with database roles that hold each agent to their desk role."""

    ssh: SshSettings = field(default_factory=SshSettings)
    """The service account of the ssh mode."""


class OrderSettings(Section):
    """Where new orders go (`desk order` and the order form)."""

    list: Name = "Orders"
    """The list new orders are created on (a name, or Space/List)."""

    team: str | None = "Fulfilment"
    """The team that fulfils orders: new orders are assigned to it; None = no team."""


def _check_checklist_items(items: list[Any], path: KeyPath = (), place: str = "") -> None:
    """Check nested checklist items: each a text, or a one-key mapping {text: [children]}.
    `path` and `place` lead to the children being checked, for the line and the message."""
    if not items and not place:
        raise ValueError("expected at least one item")
    for index, entry in enumerate(items):
        where = f"{place}.{index + 1}" if place else f"item {index + 1}"
        if isinstance(entry, str) and entry.strip():
            continue
        if isinstance(entry, dict) and len(entry) == 1:
            ((text, children),) = entry.items()
            if isinstance(text, str) and text.strip() and isinstance(children, list | None):
                _check_checklist_items(children or [], (*path, index, text), where)
                continue
        raise SettingProblem((*path, index),
                             f"{where} must be a text or {{text: [children]}}; got {shown(entry)}")


ChecklistItems = Annotated[list[Any], Check(_check_checklist_items)]
"""Texts and {text: [children]} mappings, checked as a whole."""


class ChecklistTemplateSettings(Section):
    """A checklist template seeded into the database (once: people may then edit it)."""

    items: ChecklistItems
    """The items (required): texts, or {text: [children]} for nested ones."""

    list: str | None = None
    """A list whose new tasks get this checklist automatically; None = by hand or by
    product only."""


def _check_automations(rules: list[Any]) -> None:
    """Check the automation rules against their grammar (desk.config.automations.reading)."""
    parse_rules(rules)


Automations = Annotated[list[Any], Check(_check_automations)]
"""Automation rules as YAML data, checked by their grammar."""

Sequences = Annotated[list[Any], Check(parse_sequences)]
"""Sequences (multi-step automations with delays) as YAML data, checked by
desk.config.automations.sequences."""


class EditorSettings(Section):
    """Writing long text in the agent's own editor ($VISUAL or $EDITOR, ctrl+e)."""

    external: bool = True
    """Whether ctrl+e may run an external editor; false for an account that must not run
    programs of its own choosing (the SSH service account)."""


class Settings(Section):
    """Everything a person can set in config.yaml."""

    database: DatabaseUrl | None = None
    """sqlite:///path/to/desk.db or postgresql://user@host:5432/dbname; None = the default
    SQLite file in the user data folder. DESK_DATABASE and --db override it (see desk.db)."""

    timezone: TimeZoneName | None = None
    """IANA name like Europe/Berlin for showing and reading times; None = the system zone."""

    sqlite: SqliteSettings = field(default_factory=SqliteSettings)
    """SQLite durability and locking."""

    identity: Annotated[IdentitySettings, Check(_check_identity)] = field(
        default_factory=IdentitySettings)
    """Who is acting, and so what they may do: the identity mode."""

    workspace: WorkspaceSettings = field(default_factory=WorkspaceSettings)
    """Defaults for everyday commands."""

    orders: OrderSettings = field(default_factory=OrderSettings)
    """Where new orders go and who fulfils them."""

    checklist_templates: dict[str, ChecklistTemplateSettings] = field(default_factory=dict)
    """Template name -> template, created in the database when missing."""

    theme: Name = "desk-dark"
    """The name of the TUI theme."""

    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id -> keys, overriding the TUI's built-in keys."""

    editor: EditorSettings = field(default_factory=EditorSettings)
    """ctrl+e in the text editors: $VISUAL or $EDITOR, or off."""

    automations: Automations = field(default_factory=shipped_automations)
    """The automation rules (when, if, do), checked by desk.config.automations.reading; the default
    is the shipped rules, and [] turns them off."""

    sequences: Sequences = field(default_factory=lambda: shipped("sequences"))
    """Multi-step automations with delays (start, steps, stop_on), checked by
    desk.config.automations.sequences; the default is the shipped three, and [] turns them off."""

    calendar: CalendarSettings = field(default_factory=CalendarSettings)
    """The business calendar: zone, working days and hours, holidays."""

    sla: SlaSettings = field(default_factory=SlaSettings)
    """SLA policies of support queries and the near-breach threshold."""

    urgency: UrgencySettings = field(default_factory=UrgencySettings)
    """The weights of the inbox's urgency score."""

    intake: IntakeSettings = field(default_factory=IntakeSettings)
    """Where queries from e-mail and forms land, and the mailbox to read."""

    smtp: CheckedSmtpSettings = field(default_factory=SmtpSettings)
    """The SMTP server the outbox sends through; without one, mail waits in the outbox."""

    canned_responses: CannedResponses = field(
        default_factory=lambda: list(SHIPPED_CANNED_RESPONSES))
    """Replies kept ready for the composer (ctrl+t); [] = none."""

    portal: PortalSettings = field(default_factory=PortalSettings)
    """The client portal (`desk portal`): its address, name and limits."""

    suggestions: SuggestionSettings = field(default_factory=SuggestionSettings)
    """The next best action: its rules, their order and what they read."""
    loyalty: LoyaltySettings = field(default_factory=LoyaltySettings)
    """The loyalty programme: points for fulfilled orders, tiers, rewards, expiry."""

    nps: NpsSettings = field(default_factory=NpsSettings)
    """The NPS survey e-mailed to each client's decision maker on a cadence."""

    presence: PresenceSettings = field(default_factory=PresenceSettings)
    """Presence: how often an open app renews which task its agent has open."""

    money: MoneySettings = field(default_factory=MoneySettings)
    """The workspace's currency, shown with every amount."""

    @property
    def tz(self) -> tzinfo:
        """The zone people see times in: `timezone`, or the system's local zone when None."""
        return ZoneInfo(self.timezone) if self.timezone else _system_zone()

    def business_calendar(self) -> Calendar:
        """The working days and hours of the `calendar:` section; its zone defaults to
        `timezone`."""
        section = self.calendar
        opens, closes = parse_hours(section.hours)
        return Calendar(
            zone=ZoneInfo(section.timezone) if section.timezone else self.tz,
            weekdays=frozenset(WEEKDAYS.index(day) for day in section.days),
            opens=opens, closes=closes, holidays=frozenset(section.holidays),
        )


@functools.cache
def _system_zone() -> tzinfo:
    """The system's local zone, with its daylight-saving rules where they can be found.

    $TZ when it names an IANA zone, else the zone /etc/localtime links to (by its name, so it
    can be handed to another process), else /etc/localtime read as a zone file; failing all
    (a POSIX TZ rule, or no zone file as on Windows), the current fixed UTC offset.
    """
    name = os.environ.get("TZ", "").removeprefix(":")
    try:
        if name:
            return ZoneInfo(name)
        linked = os.path.realpath("/etc/localtime").partition("/zoneinfo/")[2]
        if linked:
            with contextlib.suppress(ValueError, ZoneInfoNotFoundError):
                return ZoneInfo(linked)
        with open("/etc/localtime", "rb") as zone_file:
            return ZoneInfo.from_file(zone_file, key="localtime")
    except (OSError, ValueError, ZoneInfoNotFoundError):
        return datetime.now().astimezone().tzinfo
