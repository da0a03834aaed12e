"""The hostile corpus (tests/hostile_text.py) put into every text field through the services.

For each field every string is either stored exactly as the field's rule says (a line is
stripped; free text is kept as given) and read back unchanged, or refused with InvalidInput
naming the field. NUL and lone surrogates are always refused, by the one rule of
desk.kernel.inputs; nothing else may raise. Reading paths (search, the query languages, the
finders) get the corpus too: a clear error or an answer, never a crash.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from hostile_text import CORPUS, STORAGE, UNSTORABLE, cannot_be_stored
from postgres_server import create_postgres_database, drop_postgres_database, require_postgres

from desk import db as desk_db
from desk import sla
from desk.config import Settings, SqliteSettings
from desk.crm import clients, interactions
from desk.errors import DeskError, InvalidInput, NotFound, QueryError
from desk.kernel import agents, search
from desk.mail import outbox
from desk.models import Agent, QueryData, Team
from desk.recurrence.series import SeriesSpec, set_series
from desk.support import csat, merge, triage
from desk.support.forms import take_form
from desk.support.intake import IntakeOptions
from desk.work import checklists, comments, custom_fields, listing, orders, tasks, views, workspace

RULES = sla.book(Settings())
"""The shipped SLA rules and working week, which queries and series are made by."""

pytestmark = pytest.mark.filterwarnings("ignore")


@dataclass
class World:
    """What the probes write into: an admin, a list, a task, a query, a client."""

    admin: agents.AgentRef
    list_id: int
    task_id: int
    query_id: int
    client_id: int
    product_id: int
    tmp: object
    corpus: dict[str, str]


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def world(request, tmp_path_factory, sqlite_template) -> Iterator[World]:
    """One workspace per backend for the whole module (the probes keep their names apart): a
    support list with a task and a query, a client, a text custom field, a checklist. SQLite
    runs with synchronous=normal: thousands of small commits, none of them about durability.
    SQLite gets the whole corpus; PostgreSQL the strings whose storage differs by database
    (hostile_text.STORAGE): what the services check is the same on both."""
    folder = tmp_path_factory.mktemp("hostile")
    if request.param == "sqlite":
        shutil.copyfile(sqlite_template, folder / "desk.db")  # migrated already
        url = f"sqlite:///{folder / 'desk.db'}"
    else:
        require_postgres()
        url = create_postgres_database()
    connected = desk_db.connect(url, SqliteSettings(synchronous="normal"))
    desk_db.migrate(connected)  # PostgreSQL's new database
    admin = agents.acting()
    workspace.create_space(admin, "Support")
    support = workspace.create_list(admin, "Support", "Support inbox",
                                    (("New", "open"), ("Done", "done")))
    client = clients.create(admin, "Lovelace Labs", "client", email="info@lovelace.example")
    task = tasks.create(admin, "A task", support.id).row
    query = tasks.create(admin, "A query", support.id, kind="query", sla_rules=RULES).row
    custom_fields.define(admin, support.id, "Notes", "text")
    checklists.add_checklist(admin, task.id, "Steps")
    product = orders.create_product(admin, "Consulting", unit_price="10")
    corpus = CORPUS if request.param == "sqlite" else {name: CORPUS[name] for name in STORAGE}
    yield World(admin, support.id, task.id, query.id, client.row.id, product.id, folder, corpus)
    connected.close()
    if request.param == "postgres":
        drop_postgres_database(url)


def _version(task_id: int) -> int:
    return tasks.get(task_id).row.version


def _client_version(world: World) -> int:
    return clients.get(world.client_id, world.admin).row.version


Store = Callable[[World, str, int], object]
"""Writes the text into a field (the third argument makes names unique) and returns what the
service reads back from it."""


@dataclass(frozen=True)
class Field:
    """One text field: how to write and read it, and how its rule changes what was typed."""

    name: str
    store: Store
    stripped: bool = False
    defaulted: bool = False
    """A blank value gives the field's default (an order's or a form's title, an agent's
    name) instead of being stored."""


def _new_task_title(w: World, text: str, n: int) -> object:
    return tasks.get(tasks.create(w.admin, text, w.list_id).row.id).row.title


def _task_title(w: World, text: str, n: int) -> object:
    return tasks.update(w.admin, w.task_id, _version(w.task_id), title=text).row.title


def _new_task_description(w: World, text: str, n: int) -> object:
    created = tasks.create(w.admin, f"t{n}", w.list_id, description=text).row.id
    return tasks.get(created).description


def _task_description(w: World, text: str, n: int) -> object:
    return tasks.update(w.admin, w.task_id, _version(w.task_id), description=text).description


def _task_tag(w: World, text: str, n: int) -> object:
    return tasks.update(w.admin, w.task_id, _version(w.task_id), tags=[text]).row.tags[0]


def _reply(w: World, text: str, n: int) -> object:
    return comments.reply(w.admin, w.task_id, text).body


def _note(w: World, text: str, n: int) -> object:
    return comments.note(w.admin, w.task_id, text).body


def _interaction(w: World, text: str, n: int) -> object:
    return interactions.log(w.admin, w.client_id, "call", text).summary


def _client_name(w: World, text: str, n: int) -> object:
    return clients.create(w.admin, text, "customer").row.name


def _client_field(field: str) -> Store:
    def store(w: World, text: str, n: int) -> object:
        detail = clients.update(w.admin, w.client_id, _client_version(w), **{field: text})
        return detail.notes if field == "notes" else getattr(detail.row, field)
    return store


def _client_tag(w: World, text: str, n: int) -> object:
    return clients.update(w.admin, w.client_id, _client_version(w), tags=[text]).row.tags[0]


def _custom_field_name(w: World, text: str, n: int) -> object:
    return custom_fields.define(w.admin, w.list_id, text, "text").name


def _custom_field_option(w: World, text: str, n: int) -> object:
    field = custom_fields.define(w.admin, w.list_id, f"Choice {n}", "dropdown", [text, "other"])
    return field.options[0]


def _custom_value(w: World, text: str, n: int) -> object:
    custom_fields.set_value(w.admin, w.task_id, _version(w.task_id), "Notes", text)
    return custom_fields.values_for_task(w.task_id).get("Notes", "")


def _checklist_name(w: World, text: str, n: int) -> object:
    checklists.add_checklist(w.admin, w.task_id, text)
    return checklists.for_task(w.task_id)[-1].name


def _checklist_item(w: World, text: str, n: int) -> object:
    first = checklists.for_task(w.task_id)[0]
    item_id = checklists.add_item(w.admin, first.id, text)
    return next(item.text for item in checklists.for_task(w.task_id)[0].items
                if item.id == item_id)


def _checklist_rename(w: World, text: str, n: int) -> object:
    first = checklists.for_task(w.task_id)[0]
    item_id = checklists.add_item(w.admin, first.id, f"item {n}")
    checklists.rename_item(w.admin, item_id, 1, text)  # a new item is at version 1
    return next(item.text for item in checklists.for_task(w.task_id)[0].items
                if item.id == item_id)


def _template_name(w: World, text: str, n: int) -> object:
    """Created with the name, renamed away and back (names are unique)."""
    created = checklists.create_template(w.admin, text, ["one"])
    name = checklists.template(created).name
    away = checklists.update_template(w.admin, created, 1, name=f"template {n}")
    assert checklists.update_template(w.admin, created, away.version, name=text).name == name
    return name


def _template_item(w: World, text: str, n: int) -> object:
    created = checklists.create_template(w.admin, f"template {n}", [text])
    return checklists.template(created).items[0].text


def _product_name(w: World, text: str, n: int) -> object:
    """Created with the name, renamed away and back (names are unique)."""
    product = orders.create_product(w.admin, text, unit_price="10")
    moved = orders.update_product(w.admin, product.id, product.version, name=f"product {n}")
    back = orders.update_product(w.admin, product.id, moved.version, name=text)
    assert back.name == product.name
    return product.name


def _order_title(w: World, text: str, n: int) -> object:
    order = orders.create_order(w.admin, w.client_id, w.product_id, 1, title=text,
                                list_name="Support inbox")
    return order.task.row.title


def _view_name(w: World, text: str, n: int) -> object:
    return views.save(w.admin, "tasks", text, "is:open").name


def _view_query(w: World, text: str, n: int) -> object:
    return views.save(w.admin, "tasks", f"view {n}", text).query


def _agent_name(w: World, text: str, n: int) -> object:
    added = agents.add(w.admin, f"agent{n}", name=text)
    return Agent.get(Agent.username == added.username).name


def _agent_username(w: World, text: str, n: int) -> object:
    return agents.add(w.admin, text).username


def _team_name(w: World, text: str, n: int) -> object:
    agents.add(w.admin, f"member{n}", teams=[text])
    return Team.select(Team.name).order_by(Team.id.desc()).scalar()


def _space_name(w: World, text: str, n: int) -> object:
    workspace.create_space(w.admin, text)
    return next(space["name"] for space in workspace.tree() if space["name"] == text.strip())


def _list_name(w: World, text: str, n: int) -> object:
    return workspace.create_list(w.admin, "Support", text).name


def _status_name(w: World, text: str, n: int) -> object:
    made = workspace.create_list(w.admin, "Support", f"list {n}", ((text, "open"),))
    return workspace.statuses(made.id)[0].name


def _csat_comment(w: World, text: str, n: int) -> object:
    csat.record(w.admin, w.query_id, 4, text)
    return QueryData.get(QueryData.task == w.query_id).csat_comment


def _outbox_subject(w: World, text: str, n: int) -> object:
    sent = outbox.queue(w.admin, "ada@lovelace.example", text, "body", task_id=w.task_id)
    return outbox.get(sent).row.subject


def _outbox_body(w: World, text: str, n: int) -> object:
    sent = outbox.queue(w.admin, "ada@lovelace.example", "Subject", text, task_id=w.task_id)
    return outbox.get(sent).body


def _form(field: str) -> Store:
    def store(w: World, text: str, n: int) -> object:
        submission = {"name": "Ada", "email": f"ada{n}@lovelace.example", "problem": "Help",
                      field: text}
        options = IntakeOptions(list_name="Support inbox", attachments_root=w.tmp,
                                sla_rules=RULES)
        outcome = take_form(w.admin, submission, f"form {n}", options)
        detail = tasks.get(outcome.task_id)
        data = QueryData.get(QueryData.task == outcome.task_id)
        return {"problem": detail.description, "title": detail.row.title,
                "name": data.requester_name}[field]
    return store


def _series_rule(w: World, text: str, n: int) -> object:
    from zoneinfo import ZoneInfo
    return set_series(w.admin, w.task_id, SeriesSpec(rule=text), ZoneInfo("UTC"),
                      calendar=RULES.calendar).rule


FIELDS = [
    Field("task title (new)", _new_task_title, stripped=True),
    Field("task title", _task_title, stripped=True),
    Field("task description (new)", _new_task_description),
    Field("task description", _task_description),
    Field("task tag", _task_tag, stripped=True),
    Field("reply", _reply),
    Field("internal note", _note),
    Field("interaction summary", _interaction),
    Field("client name", _client_name, stripped=True),
    Field("client contact person", _client_field("contact_person"), stripped=True),
    Field("client e-mail", _client_field("email"), stripped=True),
    Field("client phone", _client_field("phone"), stripped=True),
    Field("client notes", _client_field("notes")),
    Field("client tag", _client_tag, stripped=True),
    Field("custom field name", _custom_field_name, stripped=True),
    Field("custom field option", _custom_field_option, stripped=True),
    Field("custom field value", _custom_value, stripped=True),
    Field("checklist name", _checklist_name, stripped=True),
    Field("checklist item", _checklist_item, stripped=True),
    Field("checklist item renamed", _checklist_rename, stripped=True),
    Field("template name (create, rename)", _template_name, stripped=True),
    Field("template item", _template_item, stripped=True),
    Field("product name (create, rename)", _product_name, stripped=True),
    Field("order title", _order_title, stripped=True, defaulted=True),
    Field("saved view name", _view_name, stripped=True),
    Field("saved view query", _view_query, stripped=True),
    Field("agent name", _agent_name, defaulted=True),
    Field("agent username", _agent_username, stripped=True),
    Field("team name", _team_name, stripped=True),
    Field("space name", _space_name, stripped=True),
    Field("list name", _list_name, stripped=True),
    Field("status name", _status_name),
    Field("CSAT comment", _csat_comment, stripped=True),
    Field("outbox subject", _outbox_subject),
    Field("outbox body", _outbox_body),
    Field("form problem", _form("problem"), stripped=True),
    Field("form title", _form("title"), stripped=True, defaulted=True),
    Field("form requester name", _form("name"), stripped=True),
    Field("recurrence rule", _series_rule, stripped=True),
]


def _kept(field: Field, text: str, stored: object) -> bool:
    """Whether `stored` is `text` as the field's rule keeps it."""
    if field.defaulted and not text.strip():
        return bool(stored)
    return stored == (text.strip() if field.stripped else text)


@pytest.mark.parametrize("field", FIELDS, ids=[field.name for field in FIELDS])
def test_every_hostile_string_is_stored_exactly_or_refused_clearly(world, field):
    stored, refused = [], {}
    for number, (name, text) in enumerate(world.corpus.items()):
        try:
            value = field.store(world, text, number)
        except (InvalidInput, QueryError) as error:
            refused[name] = str(error)
            continue
        assert not cannot_be_stored(text), f"{field.name} stored {name}"
        assert _kept(field, text, value), f"{field.name} changed {name}: {value!r:.80}"
        stored.append(name)
    for name in UNSTORABLE:
        assert name in refused, f"{field.name} took {name}"
        assert "cannot contain a NUL" in refused[name] or "cannot be stored" in refused[name]
    assert "osc52-bel" in stored or "esc-alone" in stored or field.name in FORMATTED, (
        f"{field.name} refused every escape: {refused}")


FORMATTED = {"client e-mail", "client phone", "agent username", "recurrence rule",
             "saved view query"}
"""Fields with a format of their own (an address, a number, one word, a rule, a query):
they refuse escape sequences as malformed, which is a clear refusal too."""


READERS: dict[str, Callable[[World, str], object]] = {
    "search": lambda w, text: search.find(text),
    "task list query": lambda w, text: listing.task_page(text, _context(w)),
    "inbox query": lambda w, text: triage.inbox_page(_context(w), text),
    "client finder": lambda w, text: clients.find(text, w.admin),
    "merge finder": lambda w, text: merge.find(text),
    "client choices": lambda w, text: triage.client_choices(text),
    "product finder": lambda w, text: orders.find_product(text),
}


def _context(w: World):
    from datetime import UTC, datetime

    from desk.work import filters
    return filters.Context(w.admin.username, datetime(2026, 11, 18, 10, 30, tzinfo=UTC))


@pytest.mark.parametrize("reader", READERS, ids=list(READERS))
def test_reading_paths_answer_or_refuse_clearly(world, reader):
    for name, text in world.corpus.items():
        try:
            READERS[reader](world, text)
        except (QueryError, InvalidInput, NotFound):
            continue
        except DeskError as error:  # pragma: no cover - shown when it fails
            raise AssertionError(f"{reader} on {name}: {error!r}") from error
