"""The full-text index: one document per task, comment and client."""

from __future__ import annotations

from playhouse.sqlite_ext import FTS5Model, SearchField

from desk.models.base import database

TASK, COMMENT, CLIENT = 1, 2, 3
"""What a document is about, kept in its rowid: the source row's id * 4 + one of these."""


def doc_rowid(kind: int, row_id: int) -> int:
    """The document key of a source row: id*4 + kind."""
    return row_id * 4 + kind


class SearchDoc(FTS5Model):
    """SQLite's full-text index: one document per task, comment and client.

    The rowid encodes the source row (`doc_rowid`) so a document is
    replaced or deleted by key; `task_id`/`client_id` say what a hit leads to. PostgreSQL keeps
    a plain table of the same name with a generated tsvector column instead
    (see desk/migrations/0002_search.py).
    """

    task_id = SearchField(unindexed=True)
    client_id = SearchField(unindexed=True)
    title = SearchField()
    body = SearchField()

    class Meta:
        database = database
        table_name = "search_doc"
        options = {"tokenize": "unicode61 remove_diacritics 2", "prefix": "2 3"}
