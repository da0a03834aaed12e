"""Full-text search over task titles and descriptions, comments and client names.

What a person finds follows the confidentiality rule (desk.kernel.confidential): a
confidential client's document holds only its name, and `find` leaves out the tasks that a
word would reach through a hidden value the asker may not see.

Documents are written by the services inside the same transaction as the change they index.
How each database matches them (SQLite's FTS5, PostgreSQL's tsvector) is desk.dialect's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from msgspec import Struct
from peewee import Expression, Select, fn

from desk import dialect
from desk.errors import InvalidInput
from desk.kernel import confidential
from desk.kernel.agents import AgentRef
from desk.kernel.inputs import storable_text
from desk.models import Client, Task, database
from desk.models.search import CLIENT, COMMENT, TASK, doc_rowid

# Every document, re-created from the tables. Migration 0002_search keeps a frozen copy of
# these statements to fill the index of an existing database; a change here needs a new
# migration for the databases filled before it.
MAX_LENGTH = 1000
"""The most characters a search may have (as the query language allows)."""
FILL = (
    "INSERT INTO search_doc (rowid, task_id, client_id, title, body) "
    f"SELECT id * 4 + {TASK}, id, client_id, title, description FROM task",
    "INSERT INTO search_doc (rowid, task_id, client_id, title, body) "
    f"SELECT id * 4 + {COMMENT}, task_id, NULL, '', body FROM comment",
    "INSERT INTO search_doc (rowid, task_id, client_id, title, body) "
    f"SELECT id * 4 + {CLIENT}, NULL, id, name, "
    "CASE WHEN confidential THEN '' ELSE contact_person || ' ' || email END FROM client",
)
COMMON = 3_000
"""Documents above which a word in a task list is matched by walking the list (see
task_condition). Near the break-even of the two plans at a million tasks, measured."""


_NUMBER = re.compile(r"#?([0-9]{1,18})")
"""A task's number as typed into the palette: 129 or #129."""

class Hit(Struct, frozen=True):
    """A search result: a task or a client, by id, with its title."""

    kind: str
    id: int
    title: str


def index(kind: int, row_id: int, task_id: int | None, client_id: int | None, title: str,
          body: str) -> None:
    """Write (or replace) the document of one row."""
    rowid = doc_rowid(kind, row_id)
    remove(kind, row_id)
    mark = database.param
    database.execute_sql(
        "INSERT INTO search_doc (rowid, task_id, client_id, title, body) "
        f"VALUES ({mark}, {mark}, {mark}, {mark}, {mark})",
        (rowid, task_id, client_id, title or "", body or ""),
    )


def index_many(kind: int, documents: list[tuple[int, int | None, int | None, str, str]]
               ) -> None:
    """Write (or replace) the documents of many rows of one kind at once (an import): each
    is (row id, task id, client id, title, body)."""
    per_insert = 1000  # 5 parameters a document
    mark = database.param
    for start in range(0, len(documents), per_insert):
        batch = documents[start:start + per_insert]
        rowids = [doc_rowid(kind, document[0]) for document in batch]
        database.execute_sql(
            f"DELETE FROM search_doc WHERE rowid IN ({', '.join([mark] * len(rowids))})",
            rowids)
        parameters = [value for rowid, (_, task_id, client_id, title, body)
                      in zip(rowids, batch, strict=True)
                      for value in (rowid, task_id, client_id, title or "", body or "")]
        dialect.run_rows(dialect.rows_statement(
            "INSERT INTO search_doc (rowid, task_id, client_id, title, body)", 5, len(batch)),
            parameters)


def remove(kind: int, row_id: int) -> None:
    """Delete the document of one row, if any."""
    database.execute_sql(f"DELETE FROM search_doc WHERE rowid = {database.param}",
                         (doc_rowid(kind, row_id),))


def matching(text: str, column: str, prefix: bool = False,
             leaving_out: Sequence[int] = ()) -> Select:
    """A subquery of the `task_id` or `client_id` values whose documents match `text`
    (with `prefix`, each word may be the start of a word); for `task_id`, without the tasks
    of the clients `leaving_out`."""
    storable_text(text, "a search")
    if len(text) > MAX_LENGTH:
        raise InvalidInput(f"a search can have at most {MAX_LENGTH} characters")
    field = dialect.search_column(column)
    condition = dialect.search_prefixes(text) if prefix else dialect.search_text(text)
    if leaving_out and column == "task_id":
        condition &= field.not_in(Task.select(Task.id).where(Task.client.in_(list(leaving_out))))
    return dialect.search_docs().select(field).where(condition & field.is_null(False))


def client_matches(text: str, prefix: bool = False) -> Select:
    """A subquery of the ids of the clients whose own documents (name, and the contact and
    e-mail of a client that is not confidential) match `text`; not through their tasks.
    Client documents have rowids up to the last client's, id * 4 + 3, so the search stops
    there instead of walking every matching task at a million tasks."""
    docs = dialect.search_docs()
    last_client = Client.select(fn.MAX(Client.id)).scalar() or 0
    return (matching(text, "client_id", prefix)
            .where(docs.task_id.is_null() & (docs.rowid <= doc_rowid(CLIENT, last_client))))


def task_condition(text: str) -> Expression:
    """The tasks whose documents (their own, or a comment's) match `text`, as a condition of a
    task list.

    On SQLite a word found in more than COMMON documents is checked the other way round: the
    unary plus keeps the planner from looking up every match by its id and sorting them all
    (95 ms for a word in 34,000 documents at a million tasks), so it walks the list's own
    order and tests each task against the matches until the page is full (35 ms). A rarer
    word is faster as lookups: walking could pass every open task before finding one."""
    matches = matching(text, "task_id")
    if dialect.search_finds_more(text, COMMON):
        return dialect.unindexed(Task.id).in_(matches)
    return Task.id.in_(matches)


def find(text: str, limit: int = 20, prefix: bool = False,
         viewer: AgentRef | None = None) -> list[Hit]:
    """Clients, then tasks, whose own documents match, unranked, at most `limit` of them, as
    `viewer` may find them (nobody's when None; see desk.kernel.confidential). With `prefix`
    each word may be unfinished, as typed into the command palette. Clients come first: they
    are few, and a name typed usually means its client, not every task that mentions it. (A
    task's document also names its client, so a client is found by its name, contact and
    email here, not by the words of its tasks: `client_matches`.)

    Unranked on purpose: an FTS5 MATCH with LIMIT answers in about a millisecond at a million
    documents, while ranking every match by bm25 costs a second on common words.
    """
    hits: list[Hit] = []
    client_ids = client_matches(text, prefix).limit(limit)
    for client_id, name in (Client.select(Client.id, Client.name)
                            .where(Client.id.in_(client_ids)).tuples()):
        hits.append(Hit("client", client_id, name))
    hidden = confidential.unseen_matches(text, confidential.Asker.of(viewer), prefix)
    task_ids = matching(text, "task_id", prefix, hidden).distinct().limit(limit - len(hits))
    for task_id, title in Task.select(Task.id, Task.title).where(Task.id.in_(task_ids)).tuples():
        hits.append(Hit("task", task_id, title))
    return hits


def numbered(text: str) -> list[Hit]:
    """The task whose number `text` is ("129" or "#129"), as a hit to put first; [] when
    `text` is not a number or no task has it. Every agent may see a task's title."""
    found = _NUMBER.fullmatch(text.strip())
    if found is None:
        return []
    title = Task.select(Task.title).where(Task.id == int(found[1])).scalar()
    return [] if title is None else [Hit("task", int(found[1]), title)]


def rebuild() -> None:
    """Re-create every document from the tables (after a bulk import)."""
    with database.atomic():
        database.execute_sql("DELETE FROM search_doc")
        for statement in FILL:
            database.execute_sql(statement)
