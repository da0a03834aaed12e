"""The field editors of the task screen: which shared modal edits a field, and which service
call saves it.

`editor(key, page, now)` builds the modal for a field key of the fields panel
(`desk.screens.widgets.task_fields`): a PickScreen for choices (status, priority, client,
product, a dropdown), a PromptScreen for typed values (title, dates, people, tags, numbers,
custom fields), a WriteTextScreen for the description. Tags typed are added and `-tag`
removes one, as `t` does on a list. Typed values are checked in the modal, in place, with a
message that names the field. Every modal closes with a `Typed` (the value to save and the
text the editor showed, so it can reopen with a draft), or None.

`save(agent, task_id, version, key, value, sla_rules=...)` is the service call, run in a
worker by the screen; it names the version the screen read, so a stale save raises
ConflictError.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from msgspec import Struct

from desk import dates
from desk.errors import DeskError, InvalidInput
from desk.kernel import tags
from desk.kernel.agents import AgentRef
from desk.money import money_text
from desk.pages import task as task_page
from desk.pages.task import CUSTOM, TaskPage
from desk.screens.actions.drafts import DraftKeeper
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.prompt import PromptScreen
from desk.screens.dialogs.write_text import WriteTextScreen
from desk.screens.renderers.date_preview import date_preview
from desk.screens.renderers.task_rows import PRIORITY_MARKS
from desk.screens.widgets.task_fields import ORDER, when
from desk.sla import Book
from desk.vocabulary import PRIORITIES
from desk.work import custom_fields, orders, tasks

TASK_FIELDS = {
    "title": "title", "status": "status", "priority": "priority", "assignees": "assignees",
    "start": "start_at", "due": "due_at", "client": "client_id", "tags": "tags",
    "estimate": "estimate_minutes", "description": "description",
}
"""Editor key -> the tasks.update field it saves."""

KIND_HINTS = {
    "number": "A number like 12.5", "money": "An amount like 1200.50",
    "date": "A date like 2026-11-18", "text": "Any text",
}
"""What a custom field of each kind takes, for its prompt."""


class Typed(Struct, frozen=True):
    """What an editor produced: the value to save and the text it showed (the draft)."""

    value: Any
    text: str


def label(key: str) -> str:
    """How a field key is named in titles and messages: "Due", "Budget"."""
    if key.startswith(CUSTOM):
        return key.removeprefix(CUSTOM)
    if key.startswith(ORDER):
        return task_page.field_label(key.removeprefix(ORDER))
    return task_page.field_label(TASK_FIELDS.get(key, key))


def editor(key: str, page: TaskPage, now: datetime, currency: str, *, draft: str | None = None,
           note: str = "", keeper: DraftKeeper | None = None
           ) -> PickScreen | PromptScreen | WriteTextScreen | None:
    """The modal that edits field `key` of `page` (None when the key has no editor).

    `draft` reopens the editor with what was typed before; `note` is a line under it (such
    as the value someone else saved meanwhile); `currency` is the workspace's, for prices;
    `keeper` keeps the description's text as a
    draft in the database while it is typed.
    """
    row = page.detail.row
    title = f"{label(key)} of task #{row.id}"
    if key == "title":
        return _prompt(title, tasks.title_text, draft, row.title, note)
    if key == "status":
        return _pick(title, [(f"{name} · {category}", name)
                             for name, category in page.task_list.statuses], draft, note)
    if key == "priority":
        return _pick(title, [(f"{PRIORITY_MARKS[name]} {name}", name) for name in PRIORITIES],
                     draft, note)
    if key == "assignees":
        return _prompt(title, lambda text: _usernames(text, page.agents), draft,
                       ", ".join(row.assignees), note,
                       hint="User names, separated by commas; empty unassigns everyone. "
                            f"Agents: {', '.join(page.agents)}", suggestions=list(page.agents))
    if key in ("start", "due"):
        parse = dates.parse_when if key == "start" else dates.parse_due
        current = page.detail.start_at if key == "start" else row.due_at

        def read(text: str) -> datetime | None:
            """The typed date, as the preview shows it and the save stores it."""
            return _moment(label(key), parse, text, now)

        return _prompt(title, read, draft, when(current, now), note,
                       hint=f"Type {dates.FORMS}; empty clears it.",
                       preview=date_preview(read, now, none="empty: clears the date"))
    if key == "client":
        return PickScreen(title, search=_client_choices,
                          hint=_hint("Type part of a client's name.", draft, note))
    if key == "tags":
        return _prompt(title, lambda text: tags.edited(row.tags, text), draft, "", note,
                       hint=tags_hint(row.tags), suggestions=list(page.tags), each_word=True)
    if key == "estimate":
        current = page.detail.estimate_minutes
        return _prompt(title, _minutes, draft,
                       "" if current is None else f"{current}min", note,
                       hint="Type 30min, 2h, 1d or 1h30min; empty clears it.")
    if key == "description":
        return WriteTextScreen(title, page.detail.description if draft is None else draft,
                               lead="Markdown.", note=note, allow_empty=True, keeper=keeper)
    if key.startswith(CUSTOM):
        return _custom_field(key.removeprefix(CUSTOM), page, title, draft, note)
    if key.startswith(ORDER) and page.order is not None:
        return _order_field(key.removeprefix(ORDER), page, title, draft, note, currency)
    return None


def tags_hint(current: tuple[str, ...]) -> str:
    """The hint of a `t` prompt on one task or client: it adds, as on a list."""
    now = " ".join(f"#{tag}" for tag in current) or "none"
    return f"Tags to add (tab completes a word); -tag removes one. Now: {now}"


def save(agent: AgentRef, task_id: int, version: int, key: str, value: Any, *,
         sla_rules: Book, confirmed: bool = False) -> object:
    """Save `value` of field `key` on the task read at `version` (in a worker), a query's
    SLA due times by `sla_rules`. `confirmed`: close an order even with open checklist items
    (tasks.update's override)."""
    if key in TASK_FIELDS:
        return tasks.update(agent, task_id, version, override_open_items=confirmed,
                            sla_rules=sla_rules, **{TASK_FIELDS[key]: value})
    if key.startswith(CUSTOM):
        return custom_fields.set_value(agent, task_id, version, key.removeprefix(CUSTOM), value)
    if key.startswith(ORDER):
        return orders.update_order(agent, task_id, version, **{key.removeprefix(ORDER): value})
    raise InvalidInput(f"{label(key)} cannot be edited")


def typed(result: Any) -> Typed | None:
    """A modal's result as a Typed (a text from WriteTextScreen is its own draft)."""
    if result is None or isinstance(result, Typed):
        return result
    return Typed(result, str(result))


# --- the editors ------------------------------------------------------------------------------


def _prompt(title: str, parse: Callable[[str], Any], draft: str | None, current: str,
            note: str, *, hint: str = "", suggestions: list[str] | None = None,
            each_word: bool = False, preview: Callable[[str], str] | None = None
            ) -> PromptScreen:
    """A PromptScreen whose value is `parse(text)`, kept with the text as a Typed."""
    return PromptScreen(title, parse=lambda text: Typed(parse(text), text),
                        value=current if draft is None else draft,
                        hint=_hint(hint, None, note), suggestions=suggestions,
                        each_word=each_word, preview=preview)


def _pick(title: str, choices: list[tuple[str, Any]], draft: str | None,
          note: str) -> PickScreen:
    """A PickScreen over (label, value) choices; each value comes back as a Typed."""
    return PickScreen(title, [(text, Typed(value, text)) for text, value in choices],
                      hint=_hint("", draft, note))


def _client_choices(text: str) -> list[tuple[str, Typed]]:
    """Clients matching `text` (in the picker's worker), "(no client)" first."""
    return [(name, Typed(client_id, name))
            for name, client_id in task_page.client_choices(text)]


def _hint(hint: str, draft: str | None, note: str) -> str:
    """A hint, plus the unsaved choice to pick again and a note, as one line."""
    parts = [hint] if hint else []
    if draft is not None:
        parts.append(f"Your unsaved choice: {draft}")
    if note:
        parts.append(note)
    return " · ".join(parts)


def _moment(name: str, parse: Callable[[str, datetime], datetime], text: str,
            now: datetime) -> datetime | None:
    """A typed date and time; empty clears it; a refusal names the field and the forms."""
    if not text.strip():
        return None
    try:
        return parse(text, now)
    except DeskError as error:
        raise InvalidInput(f"{name}: {error}") from error


def _minutes(text: str) -> int | None:
    """A typed duration in minutes; empty clears it."""
    if not text.strip():
        return None
    try:
        return int(dates.parse_duration(text).total_seconds() // 60)
    except DeskError as error:
        raise InvalidInput(f"Estimate: {error}") from error


def _usernames(text: str, known: tuple[str, ...]) -> tuple[str, ...]:
    """Agents' user names separated by commas or spaces, each one an agent of the desk."""
    names = tuple(dict.fromkeys(name.strip().lstrip("@")
                                for name in text.replace(",", " ").split()))
    unknown = [name for name in names if name not in known]
    if unknown:
        raise InvalidInput(f"Assignees: no agent named {', '.join(unknown)}; "
                           f"agents are {', '.join(known)}")
    return names


def _custom_field(name: str, page: TaskPage, title: str, draft: str | None,
                  note: str) -> PickScreen | PromptScreen | None:
    """The editor of a custom field: a picker for a dropdown or checkbox, else a prompt
    checked as the service checks it."""
    field = next((field for field in page.fields if field.name == name), None)
    if field is None:
        return None
    if field.kind in ("dropdown", "checkbox"):
        options = field.options if field.kind == "dropdown" else ("yes", "no")
        return _pick(title, [*((option, option) for option in options), ("(empty)", None)],
                     draft, note)
    return _prompt(title, lambda text: custom_fields.canonical(field, text), draft,
                   page.values.get(name, ""), note,
                   hint=f"{KIND_HINTS.get(field.kind, '')}; empty clears it.")


def _order_field(name: str, page: TaskPage, title: str, draft: str | None,
                 note: str, currency: str) -> PickScreen | PromptScreen | None:
    """The editor of an order field: the product from the catalogue, a quantity or a price."""
    order = page.order
    if name == "product":
        return _pick(title, [(f"{product.name} · {money_text(product.unit_price, currency)}",
                              product.id)
                             for product in page.products], draft,
                     note or "A new product brings its catalogue price.")
    if name == "quantity":
        return _prompt(title, orders.parse_quantity, draft, str(order.quantity), note,
                       hint="A whole number above 0; the total follows.")
    if name == "unit_price":
        return _prompt(title, orders.parse_price, draft, f"{order.unit_price:.2f}", note,
                       hint="An amount like 120.50; the total follows.")
    return None
