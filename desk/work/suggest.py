"""Completion for the query bar: the values each field of the query language takes, and what
would finish the term being typed.

`vocabulary(scope)` reads the bounded value lists (statuses, tags, agents, lists, spaces,
teams) in one go when the bar opens; `client_names(prefix)` looks up a few client names while
one is typed, since there may be too many clients to load. `complete(text, vocabulary)` and
`typing(text, scope)` are pure: they read the term at the end of the text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from msgspec import Struct, field
from msgspec.structs import replace
from peewee import fn

from desk import query
from desk.errors import InvalidInput
from desk.models import Agent, Client, Space, Status, Tag, TaskList, Team
from desk.text import visible
from desk.vocabulary import CATEGORIES, CLIENT_KINDS, LIFECYCLE_STAGES, PRIORITIES, TASK_KINDS
from desk.work import filters
from desk.work.workspace import hidden_lists

LIMIT = 500
"""The most values of one kind (tags, statuses...) offered."""
NAMES = 8
"""How many client names one look-up offers."""
SHOWN = 8
"""How many completions `complete` returns."""

RANGE_WORDS = ("today", "tomorrow", "yesterday", "week", "nextweek", "lastweek", "month",
               "nextmonth", "lastmonth", "none")
"""Date words a `field:` date term takes (desk.dates.parse_range, plus none)."""
MOMENT_WORDS = ("today", "tomorrow", "yesterday", "now", "eow", "eom")
"""Date words a `field<` or `field>` date term takes (desk.dates.parse_when)."""
DATE_FIELDS = frozenset({"due", "start", "created", "updated", "contact", "acquired"})

FIELDS = {"tasks": filters.TASK_FIELDS, "clients": filters.CLIENT_FIELDS}
PARSERS = {"tasks": filters.parse_tasks, "clients": filters.parse_clients}
NAME_FIELDS = {"tasks": "client", "clients": "name"}
"""The field of each scope whose values are client names, looked up while typed."""
_FIXED = {
    "tasks": {
        "status": CATEGORIES, "is": filters.TASK_IS, "priority": tuple(PRIORITIES),
        "kind": TASK_KINDS, "assignee": ("me", "none"), "tag": ("none",),
        "client": ("none",), "team": ("none",), "parent": ("none",),
        "due": ("overdue", *RANGE_WORDS), "start": RANGE_WORDS, "created": RANGE_WORDS,
        "updated": RANGE_WORDS,
    },
    "clients": {
        "kind": CLIENT_KINDS, "stage": LIFECYCLE_STAGES, "manager": ("me", "none"),
        "tag": ("none",), "is": filters.CLIENT_IS, "retainer": ("yes", "no"),
        "confidential": ("yes", "no"), "contact": RANGE_WORDS, "acquired": RANGE_WORDS,
    },
}
_HIDDEN_FIELDS = frozenset({"text"})
"""Field names not offered: free text needs no field."""


class Vocabulary(Struct, frozen=True):
    """What completion offers in one scope ("tasks" or "clients"): values by canonical field,
    in the order they are offered."""

    scope: str
    values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def with_names(self, names: Sequence[str]) -> Vocabulary:
        """This vocabulary with client `names` offered first for the scope's name field."""
        name_field = NAME_FIELDS[self.scope]
        values = dict(self.values)
        values[name_field] = (*names, *values.get(name_field, ()))
        return replace(self, values=values)


class Typing(Struct, frozen=True):
    """The unfinished item at the end of a query: a field name (`field` None) or a value of
    the canonical `field`, typed from offset `start` as `typed` (quote included)."""

    field: str | None
    op: str
    typed: str
    start: int

    @property
    def raw(self) -> str:
        """What was typed without its opening quote and escapes."""
        if not self.typed.startswith('"'):
            return self.typed
        return self.typed[1:].rstrip('"').replace('\\"', '"').replace("\\\\", "\\")


class Completion(Struct, frozen=True):
    """Ways to finish the query: each option replaces the text from `start` to the end."""

    start: int
    options: tuple[str, ...]

    def apply(self, text: str, index: int = 0) -> str:
        """`text` finished with option `index`."""
        return text[:self.start] + self.options[index % len(self.options)]

    def suggestion(self, text: str) -> str | None:
        """The first option as inline completion of `text`: only once something was typed
        and when the option continues it (ignoring case), since the input shows just the part
        after the text."""
        if not self.options:
            return None
        typed = text[self.start:].lower()
        finished = self.apply(text)
        if not typed or not self.options[0].lower().startswith(typed) \
                or len(finished) <= len(text):
            return None
        return finished


def fixed(scope: str) -> Vocabulary:
    """The values that need no database: categories, priorities, kinds, date words..."""
    if scope not in FIELDS:
        raise InvalidInput(f"scope must be one of {', '.join(FIELDS)}, not {scope!r}")
    return Vocabulary(scope, dict(_FIXED[scope]))


def vocabulary(scope: str) -> Vocabulary:
    """The fixed values plus the workspace's own: status names, tags, agents, lists, spaces
    and teams (at most LIMIT of each)."""
    base = fixed(scope)
    usernames = _names(Agent.username)
    stored = {"tag": _names(Tag.name)}
    if scope == "tasks":
        stored |= {"status": _names(Status.name), "assignee": usernames,
                   "list": _names(TaskList.name, TaskList.id.not_in(hidden_lists())),
                   "space": _names(Space.name, Space.archived_at.is_null()),
                   "team": _names(Team.name)}
    else:
        stored |= {"manager": usernames}
    values = dict(base.values)
    for name, found in stored.items():
        words = (*values.get(name, ()), *found)
        values[name] = tuple(word for word in words if word != "none") + (
            ("none",) if "none" in words else ())
    return replace(base, values=values)


def client_names(prefix: str, limit: int = NAMES) -> list[str]:
    """Up to `limit` client names that start with `prefix` (ignoring case), by name."""
    rows = (Client.select(Client.name)
            .where(fn.LOWER(Client.name).startswith(prefix.strip().lower()))
            .order_by(Client.name).limit(limit).tuples())
    return [name for (name,) in rows]


def check(scope: str, text: str, context: filters.Context) -> None:
    """Raise QueryError when `text` does not parse or a value is wrong (an unknown status,
    priority or date word), pointing at it; nothing else is queried."""
    parsed = PARSERS[scope](text)
    if scope == "tasks":
        filters.task_conditions(parsed, context)
    else:
        filters.client_conditions(parsed, context)


def typing(text: str, scope: str) -> Typing | None:
    """The item being typed at the end of `text`, or None where nothing can be offered (an
    unknown field, a quoted phrase of free text)."""
    start = _last_term_start(text)
    if text[start:start + 1] == "-":
        start += 1
    term = text[start:]
    fields = FIELDS[scope]
    if term[:1] in ("@", "#"):
        name = fields.get("assignee" if term[0] == "@" else "tag")
        return None if name is None else _value(text, name, ":", start + 1)
    cut = _operator_at(term)
    if cut is None:
        return None if term.startswith('"') else Typing(None, "", term, start)
    name = fields.get(term[:cut].lower())
    if name is None:
        return None
    op = term[cut:cut + 2] if term[cut + 1:cut + 2] == "=" and term[cut] != ":" else term[cut]
    return _value(text, name, op, start + cut + len(op))


def complete(text: str, vocabulary: Vocabulary, limit: int = SHOWN) -> Completion:
    """The options that finish the item at the end of `text`: field names (with their `:`)
    or values, quoted as the query language needs, in the vocabulary's order."""
    item = typing(text, vocabulary.scope)
    if item is None:
        return Completion(len(text), ())
    if item.field is None:
        words = [name + ":" for name in _field_names(vocabulary.scope)]
    elif item.op != ":" and item.field in DATE_FIELDS:
        words = [query.format_value(word) for word in MOMENT_WORDS]
    else:
        words = [query.format_value(word) for word in vocabulary.values.get(item.field, ())]
    wanted = item.raw.lower()
    seen: set[str] = set()
    options = []
    for word in words:
        plain = word[1:] if word.startswith('"') else word
        if visible(word) != word:
            continue  # control characters never go into the input, where they would be raw
        if plain.lower().startswith(wanted) and word.lower() not in seen:
            seen.add(word.lower())
            options.append(word)
    return Completion(item.start, tuple(options[:limit]))


def _names(column, *where) -> tuple[str, ...]:
    """The distinct values of a name column (of the rows meeting `where`: archived lists and
    spaces are not offered), at most LIMIT, in order."""
    rows = column.model.select(column).distinct().order_by(column).limit(LIMIT).tuples()
    if where:
        rows = rows.where(*where)
    return tuple(name for (name,) in rows)


def _field_names(scope: str) -> list[str]:
    """The field spellings offered: every canonical name, then longer aliases."""
    fields = FIELDS[scope]
    canonical = list(dict.fromkeys(fields.values()))
    aliases = [name for name in fields if name not in canonical and len(name) > 2]
    return [name for name in canonical + aliases if name not in _HIDDEN_FIELDS]


def _value(text: str, field_name: str, op: str, values_start: int) -> Typing:
    """The last comma-separated value of a term whose values begin at `values_start`."""
    start = values_start
    quoted = False
    index = values_start
    while index < len(text):
        char = text[index]
        if char == "\\" and quoted:
            index += 1
        elif char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            start = index + 1
        index += 1
    return Typing(field_name, op, text[start:], start)


def _last_term_start(text: str) -> int:
    """Where the last term of `text` begins (its end when the text ends in a space)."""
    start = 0
    quoted = False
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and quoted:
            index += 1
        elif char == '"':
            quoted = not quoted
        elif char.isspace() and not quoted:
            start = index + 1
        index += 1
    return start


def _operator_at(term: str) -> int | None:
    """The offset of the `:`, `<` or `>` after a field name in `term`, or None."""
    for index, char in enumerate(term):
        if char in ':<>':
            return index
        if char == '"':
            return None
    return None
