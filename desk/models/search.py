"""The full-text index: one document per task, comment and client."""

from __future__ import annotations

from playhouse.sqlite_ext import FTS5Model, SearchField

from desk.models.base import database


class SearchDoc(FTS5Model):
    """SQLite's full-text index: one document per task, comment and client.

    The rowid encodes the source row (`desk.kernel.search.doc_rowid`) so a document is
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
