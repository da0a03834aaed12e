"""Full-text search over task titles and descriptions, comments and client names.

SQLite: an FTS5 table queried through peewee's `FTS5Model.web_query()`, so any text a person
types parses. PostgreSQL: a tsvector column queried with `websearch_to_tsquery`. Documents are
written by the services inside the same transaction as the change they index.
"""

from __future__ import annotations

from dataclasses import dataclass

from peewee import SQL, Select, Table

from desk.db import is_sqlite
from desk.errors import InvalidInput
from desk.models import Client, SearchDoc, Task, database

TASK, COMMENT, CLIENT = 1, 2, 3
# Every document, re-created from the tables. Migration 0002_search keeps a frozen copy of
# these statements to fill the index of an existing database; a change here needs a new
# migration for the databases filled before it.
FILL = (
    "INSERT INTO search_doc (rowid, task_id, client_id, title, body) "
    f"SELECT id * 4 + {TASK}, id, client_id, title, description FROM task",
    "INSERT INTO search_doc (rowid, task_id, client_id, title, body) "
    f"SELECT id * 4 + {COMMENT}, task_id, NULL, '', body FROM comment",
    "INSERT INTO search_doc (rowid, task_id, client_id, title, body) "
    f"SELECT id * 4 + {CLIENT}, NULL, id, name, "
    "CASE WHEN confidential THEN '' ELSE contact_person || ' ' || email END FROM client",
)
PG_DOCS = Table("search_doc", ("rowid", "task_id", "client_id", "title", "body"))


@dataclass(frozen=True)
class Hit:
    """A search result: a task or a client, by id, with its title."""

    kind: str
    id: int
    title: str


def doc_rowid(kind: int, row_id: int) -> int:
    """The document key of a source row: id*4 + kind."""
    return row_id * 4 + kind


def index(kind: int, row_id: int, task_id: int | None, client_id: int | None, title: str,
          body: str) -> None:
    """Write (or replace) the document of one row."""
    rowid = doc_rowid(kind, row_id)
    remove(kind, row_id)
    database.execute_sql(
        "INSERT INTO search_doc (rowid, task_id, client_id, title, body) VALUES (?, ?, ?, ?, ?)"
        .replace("?", _placeholder()),
        (rowid, task_id, client_id, title or "", body or ""),
    )


def remove(kind: int, row_id: int) -> None:
    """Delete the document of one row, if any."""
    database.execute_sql(f"DELETE FROM search_doc WHERE rowid = {_placeholder()}",
                         (doc_rowid(kind, row_id),))


def _placeholder() -> str:
    """The bound-parameter marker of the current database driver."""
    return "?" if is_sqlite() else "%s"


def _fts_query(text: str) -> str:
    """Text as typed, turned into an FTS5 query that always parses."""
    query = SearchDoc.web_query(text)
    if not query or not query.strip():
        raise InvalidInput(f"there is nothing to search for in {text!r}")
    return query


def matching(text: str, column: str) -> Select:
    """A subquery of the `task_id` or `client_id` values whose documents match `text`."""
    if is_sqlite():
        field = getattr(SearchDoc, column)
        return (SearchDoc.select(field)
                .where(SearchDoc.match(_fts_query(text)) & field.is_null(False)))
    field = getattr(PG_DOCS, column)
    return (PG_DOCS.select(field)
            .where(SQL("tsv @@ websearch_to_tsquery('simple', %s)", [text]) & field.is_null(False)))


def find(text: str, limit: int = 20) -> list[Hit]:
    """Tasks and clients whose documents match, unranked, at most `limit` of them.

    Unranked on purpose: an FTS5 MATCH with LIMIT answers in about a millisecond at a million
    documents, while ranking every match by bm25 costs a second on common words.
    """
    hits: list[Hit] = []
    task_ids = matching(text, "task_id").distinct().limit(limit)
    for task_id, title in Task.select(Task.id, Task.title).where(Task.id.in_(task_ids)).tuples():
        hits.append(Hit("task", task_id, title))
    client_ids = matching(text, "client_id").limit(limit)
    for client_id, name in (Client.select(Client.id, Client.name)
                            .where(Client.id.in_(client_ids)).tuples()):
        hits.append(Hit("client", client_id, name))
    return hits[:limit]


def rebuild() -> None:
    """Re-create every document from the tables (after a bulk import)."""
    with database.atomic():
        database.execute_sql("DELETE FROM search_doc")
        for statement in FILL:
            database.execute_sql(statement)
