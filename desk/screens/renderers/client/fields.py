"""The profile fields of the client screen: how each is shown and how a typed value is read.

Each field names the desk.crm.clients field it changes. Typed values are checked in
place by the PromptScreen with the service's own validators (so the screen and the service
never disagree), and dates are read the way people type them (`today`, `-3m`, `2026-12-01`)
with desk.dates. Fields chosen from a short list (kind, stage, retainer cycle, confidential)
carry their choices; the account manager and the referrer are picked from the database.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from msgspec import Struct

from desk.crm import clients
from desk.crm.clients import ClientRow
from desk.dates import parse_when
from desk.errors import InvalidInput
from desk.kernel import tags
from desk.money import money_text
from desk.screens.renderers.client.rows import stage_text
from desk.vocabulary import CLIENT_KINDS, LIFECYCLE_STAGES, RETAINER_CYCLES

NONE = ""
"""The value a picker returns for "none" (PickScreen's None means cancelled)."""


class ProfileField(Struct, frozen=True):
    """One editable field of a client's profile.

    `editor` is how it is changed: "prompt" (typed, checked in place), "date" (typed, read
    with desk.dates), "choice" (picked from `choices`), "manager" or "referrer" (picked from
    the desk's agents or clients). `private` fields are hidden from viewers who may not see a
    confidential client in full.
    """

    name: str
    label: str
    editor: str
    choices: tuple[tuple[str, str], ...] = ()
    private: bool = False
    hint: str = ""


def _choices(words: tuple[str, ...], *, none: bool = False) -> tuple[tuple[str, str], ...]:
    """Picker choices for these words (with a "none" choice when the field may be empty)."""
    choices = tuple((stage_text(word), word) for word in words)
    return (*choices, ("none", NONE)) if none else choices


PROFILE = (
    ProfileField("name", "Name", "prompt"),
    ProfileField("kind", "Kind", "choice", _choices(CLIENT_KINDS)),
    ProfileField("contact_person", "Contact person", "prompt", private=True,
                 hint="The decision maker"),
    ProfileField("email", "Email", "prompt", private=True, hint="name@example.com"),
    ProfileField("phone", "Phone", "prompt", private=True, hint="+44 20 7946 0000"),
    ProfileField("lifecycle_stage", "Stage", "choice", _choices(LIFECYCLE_STAGES)),
    ProfileField("lead_score", "Lead score", "prompt", hint="A whole number from 0 to 100"),
    ProfileField("account_manager", "Account manager", "manager"),
    ProfileField("retainer_amount", "Retainer", "prompt",
                 hint="An amount like 1200 or 1200.50; empty for no retainer"),
    ProfileField("retainer_cycle", "Retainer cycle", "choice",
                 _choices(RETAINER_CYCLES, none=True)),
    ProfileField("contact_cadence_days", "Contact cadence", "prompt",
                 hint="Days between contacts, e.g. 14; empty for no cadence"),
    ProfileField("birthday", "Birthday", "date", hint="e.g. 1980-05-17; empty for none"),
    ProfileField("referred_by_id", "Referred by", "referrer"),
    ProfileField("acquisition_date", "Acquired", "date",
                 hint="e.g. 2026-03-01, today, -2m; empty for none"),
    ProfileField("tags", "Tags", "prompt", hint="Tags to add; -tag removes one"),
    ProfileField("confidential", "Confidential", "choice", (("no", "no"), ("yes", "yes")),
                 hint="Only admins and the account manager see a confidential client in full"),
)
BY_NAME = {field.name: field for field in PROFILE}
"""The profile fields by service field name."""


def shown(field: ProfileField, row: ClientRow, full: bool, currency: str) -> str:
    """The value of `field` as the profile shows it, money in `currency` ("" for none)."""
    if field.private and not full:
        return "hidden (confidential)"
    if field.name == "retainer_amount" and row.retainer_amount is not None:
        return money_text(row.retainer_amount, currency)
    value = typed(field, row)
    if field.name == "lifecycle_stage":
        return stage_text(value)
    if field.name == "contact_cadence_days" and value:
        return f"every {value} days"
    if field.name == "referred_by_id" and row.referred_by_id:
        return f"{row.referred_by} (#{row.referred_by_id})"
    if field.name == "tags":
        return " ".join(f"#{tag}" for tag in row.tags)
    return value


def typed(field: ProfileField, row: ClientRow) -> str:
    """The value of `field` as it is typed in its prompt (the prompt starts with it; the
    tags prompt starts empty, as what is typed there is added)."""
    name = field.name
    if name == "account_manager":
        return row.account_manager or ""
    if name == "referred_by_id":
        return str(row.referred_by_id or "")
    if name == "tags":
        return ""
    if name == "confidential":
        return "yes" if row.confidential else "no"
    if name == "retainer_amount":
        return "" if row.retainer_amount is None else f"{row.retainer_amount:.2f}"
    value = getattr(row, "stage" if name == "lifecycle_stage" else name)
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def parser(field: ProfileField, row: ClientRow | None,
           now: datetime) -> Callable[[str], tuple[object, str]]:
    """Reads what is typed into `field`'s prompt as (value, the text typed): a tuple, so that
    "no value" is not mistaken for a cancelled prompt, and the text to reopen a draft with.
    Tags typed are added to `row`'s (none for a new client) and `-tag` removes one. Raises
    InvalidInput, naming the field, when the text is wrong."""
    if field.editor == "date":
        return lambda text: (_day(field, text, now), text)
    if field.name == "tags":
        return lambda text: (tags.edited(row.tags if row else (), text), text)
    check = clients.FIELDS[field.name]
    return lambda text: (check(text), text)


def _day(field: ProfileField, text: str, now: datetime) -> date | None:
    """A calendar day typed naturally, or None when left empty."""
    if not text.strip():
        return None
    try:
        return parse_when(text, now).date()
    except InvalidInput as error:
        raise InvalidInput(f"{field.label.lower()}: {error}") from None
