"""Confidential clients: who sees what of them. The rule is written here once, and every
service that reads something it covers asks this module, so each face (TUI, CLI, reports)
gets the same answer.

The rule
--------
A client with `confidential` set is seen in full only by admins and by its account manager
(`can_see` for a row read; `seen_in_full` is the same rule as SQL). Everyone else (an agent,
a viewer, or a caller that names nobody) sees what names the *work*: the client's name, kind,
stage and the rest of its row, its tasks with their titles, descriptions and conversations.
They do not see who the *people* behind it are, the client's hidden values:

- its contact person, e-mail address and phone number (blank in its row, "hidden" on its
  screen) and its notes (not shown at all); the name, e-mail address, phone and notes of
  each of its contacts (desk.crm.contacts);
- the requester of each of its queries (name and e-mail address), the sender of each message
  on its tasks that no agent wrote, and the recipient of each e-mail desk sends about it.

Where such a value is a field of its own (a requester, a message's author, an outbox
recipient, an activity entry of a hidden field) it shows as HIDDEN; where it sits inside
other text (a description, a comment, the inbox's excerpt, an activity value, an interaction
summary, an e-mail's subject, text or error) each occurrence of the whole value shows as
HIDDEN (`Mask`; "Jane Hidden" is hidden, "Jane" alone is not). A value that is also the
client's name stays: the name is never hidden. Only admins and the account manager may change
a confidential client (desk.crm.clients.update), or a description that shows them masked
(desk.work.tasks.update): saving the masked text would lose what it hides.

Search follows the rule. A confidential client's search document holds only its name
(desk.crm.clients), so nobody finds the client by a hidden value; and someone who may not see
it in full does not find its tasks through a word of a hidden value either, even where that
word sits in a task's text (`unseen_matches`: by word, so stricter than the masks: "jane"
finds none of Jane Hidden's tasks; words of the client's name do not count).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from email.utils import parseaddr
from functools import cached_property

from msgspec import Struct
from peewee import JOIN, Expression, fn

from desk.dialect import among
from desk.kernel import audit
from desk.kernel.agents import AgentRef
from desk.models import Agent, Client, Comment, Contact, Outbox, QueryData, Task

HIDDEN = "(hidden)"
"""What is shown in place of a hidden value."""
HIDDEN_FIELDS = {"client": frozenset({"contact_person", "email", "phone", "notes"}),
                 "task": frozenset({"requester_name", "requester_email"})}
"""The fields, by entity, whose activity shows HIDDEN whole: a client's, a query's support
data (recorded on its task)."""
SHORTEST = 2
"""Values shorter than this are not looked for in text (a stray initial is no name)."""
_WORD = re.compile(r"[^\W_]+")


class Asker(Struct, frozen=True):
    """Who is looking, as the rule needs it: a user name (None: nobody) and whether an admin."""

    username: str | None
    admin: bool = False

    @classmethod
    def of(cls, viewer: AgentRef | None) -> Asker:
        """The asker an agent is (nobody for None)."""
        if viewer is None:
            return cls(None)
        return cls(viewer.username, viewer.role == "admin")


def can_see(viewer: AgentRef | None, manager_id: int | None, confidential: bool) -> bool:
    """Whether `viewer` sees a client in full: it is not confidential, or they are an admin or
    its account manager."""
    if not confidential:
        return True
    return viewer is not None and (viewer.role == "admin" or viewer.id == manager_id)


def seen_in_full(asker: Asker) -> Expression:
    """The clients `asker` sees in full, as a condition on Client: not confidential, or
    managed by them, or every client for an admin (`can_see` in SQL)."""
    if asker.admin:
        return Client.id.is_null(False)
    mine = Agent.select(Agent.id).where(Agent.username == asker.username)
    # A client without a manager must not make the IN unknown (NULL), which NOT keeps NULL.
    managed = Client.account_manager.is_null(False) & Client.account_manager.in_(mine)
    return (Client.confidential == False) | managed  # noqa: E712


def unseen_ids(asker: Asker, among: Iterable[int] | None = None) -> list[int]:
    """The ids of the clients (of `among`, when given) that `asker` may not see in full."""
    if asker.admin:
        return []
    query = Client.select(Client.id).where(~seen_in_full(asker))
    if among is not None:
        query = query.where(Client.id.in_(sorted(set(among))))
    return [client_id for (client_id,) in query.tuples()]


# --- hidden values in text ------------------------------------------------------------------


class Mask(Struct, frozen=True, dict=True):  # dict: a place for the cached pattern
    """The hidden values of one confidential client, for someone who may not see them: what
    its fields and texts show instead (see the module's rule)."""

    values: frozenset[str]

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        """Every value as a whole word (case and spacing aside), longest first."""
        if not self.values:
            return None
        spelled = [r"\s+".join(re.escape(part) for part in value.split())
                   for value in sorted(self.values, key=len, reverse=True)]
        return re.compile(rf"(?<!\w)(?:{'|'.join(spelled)})(?!\w)", re.IGNORECASE)

    def text(self, text: str) -> str:
        """`text` with each hidden value in it replaced by HIDDEN."""
        if self._pattern is None or not text:
            return text
        return self._pattern.sub(HIDDEN, text)

    def value(self, value: str) -> str:
        """A field that is a hidden value itself: HIDDEN, or "" for none."""
        return HIDDEN if value else value

    def entry(self, entity: str, entry: Mapping[str, object]) -> dict:
        """An activity entry of `entity` (desk.kernel.audit.history): a hidden field's values
        whole, the values of other fields with the hidden values in them replaced."""
        whole = entry.get("field") in HIDDEN_FIELDS.get(entity, ())
        shown = dict(entry)
        for key in ("old", "new"):
            value = shown.get(key)
            if isinstance(value, str):
                shown[key] = self.value(value) if whole else self.text(value)
        return shown


def masks(viewer: AgentRef | None, client_ids: Iterable[int]) -> dict[int, Mask]:
    """The masks of the clients among `client_ids` that `viewer` may not see in full."""
    hidden = unseen_ids(Asker.of(viewer), client_ids)
    names, values = _hidden_values(hidden)
    return {client_id: Mask(frozenset(value for value in values[client_id]
                                      if value.casefold() != names[client_id].casefold()))
            for client_id in hidden}


def task_masks(viewer: AgentRef | None, task_ids: Iterable[int]) -> dict[int, Mask]:
    """The masks of the tasks among `task_ids` whose client `viewer` may not see in full
    (the mask of the task's client)."""
    ids = sorted(set(task_ids))
    if not ids or Asker.of(viewer).admin:
        return {}
    clients = dict(Task.select(Task.id, Task.client).where(
        among(Task.id, ids) & Task.client.is_null(False)).tuples())
    by_client = masks(viewer, clients.values())
    return {task_id: by_client[client_id] for task_id, client_id in clients.items()
            if client_id in by_client}


def history(entity: str, entity_id: int, viewer: AgentRef | None,
            limit: int = 200) -> list[dict]:
    """The newest activity of a task or client (desk.kernel.audit.history), as `viewer` may
    see it."""
    entries = audit.history(entity, entity_id, limit)
    found = task_masks if entity == "task" else masks
    mask = found(viewer, [entity_id]).get(entity_id) if entity in ("task", "client") else None
    return entries if mask is None else [mask.entry(entity, entry) for entry in entries]


def _hidden_values(client_ids: Sequence[int]) -> tuple[dict[int, str], dict[int, set[str]]]:
    """The names of these clients and their hidden values (see the rule): one query per
    table that holds some."""
    if not client_ids:
        return {}, {}
    ids = list(client_ids)
    names: dict[int, str] = {}
    values: dict[int, set[str]] = {client_id: set() for client_id in ids}

    def add(client_id: int, *found: str | None) -> None:
        """Keep each value, and the name and address of a "Name <address>" one."""
        for value in found:
            value = (value or "").strip()
            parts = parseaddr(value) if "<" in value else ("", "")
            values[client_id].update(part.strip() for part in (value, *parts)
                                     if len(part.strip()) >= SHORTEST)

    for client_id, name, contact, email, phone in (
            Client.select(Client.id, Client.name, Client.contact_person, Client.email,
                          Client.phone).where(Client.id.in_(ids)).tuples()):
        names[client_id] = name
        add(client_id, contact, email, phone)
    for client_id, name, email, phone in (
            Contact.select(Contact.client, Contact.name, Contact.email, Contact.phone)
            .where(Contact.client.in_(ids)).tuples()):
        add(client_id, name, email, phone)
    for client_id, name, email in (
            QueryData.select(Task.client, QueryData.requester_name, QueryData.requester_email)
            .join(Task, on=QueryData.task == Task.id).where(Task.client.in_(ids))
            .distinct().tuples()):
        add(client_id, name, email)
    for client_id, author in (
            Comment.select(Task.client, Comment.author_name)
            .join(Task, on=Comment.task == Task.id)
            .where(Task.client.in_(ids) & Comment.author.is_null()).distinct().tuples()):
        add(client_id, author)
    owner = fn.COALESCE(Task.client, Outbox.client)
    for client_id, address in (
            Outbox.select(owner, Outbox.to_address)
            .join(Task, JOIN.LEFT_OUTER, on=Outbox.task == Task.id)
            .where(owner.in_(ids)).distinct().tuples()):
        add(client_id, address)
    return names, values


# --- search ---------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    """The words of `text` as the search index sees them: letters and digits, in lower case
    without accents."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return _WORD.findall(plain.casefold())


def unseen_matches(text: str, asker: Asker, prefix: bool = False) -> list[int]:
    """The ids of the clients `asker` may not see in full that a word of the search `text`
    reaches through a hidden value: the word is a word of one (with `prefix`, or where the
    text has `word*`, the start of one). Their tasks are left out of what the text finds."""
    hidden = unseen_ids(asker)
    typed = [(word, prefix or star == "*")
             for word, star in re.findall(r"([^\W_]+)(\*?)", text)]
    if not hidden or not typed:
        return []
    typed = [(word, start) for raw, start in typed for word in _words(raw)]
    names, values = _hidden_values(hidden)
    found = []
    for client_id in hidden:
        secret = {word for value in values[client_id] for word in _words(value)}
        secret -= set(_words(names[client_id]))
        if any(word in secret or (start and any(one.startswith(word) for one in secret))
               for word, start in typed):
            found.append(client_id)
    return found
