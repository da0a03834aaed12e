"""0002_search: the full-text index over tasks, comments and clients, filled from existing rows.

SQLite gets an FTS5 table; PostgreSQL a plain table with a generated tsvector and a GIN index.
A document's rowid encodes its source: task id*4+1, comment id*4+2, client id*4+3.
"""

from peewee import PostgresqlDatabase

SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE search_doc USING fts5("
    "task_id UNINDEXED, client_id UNINDEXED, title, body, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
)
POSTGRES_TABLE = (
    "CREATE TABLE search_doc ("
    "rowid BIGINT PRIMARY KEY, task_id INTEGER, client_id INTEGER, "
    "title TEXT NOT NULL DEFAULT '', body TEXT NOT NULL DEFAULT '', "
    "tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', title || ' ' || body)) STORED)"
)
# A frozen copy of desk.kernel.search.FILL (what search.rebuild runs) as it was when this
# migration was written: a migration never imports application code, which may change after
# it. Only the name of a confidential client is indexed, as the services index it.
FILL = (
    "INSERT INTO search_doc (rowid, task_id, client_id, title, body) "
    "SELECT id * 4 + 1, id, client_id, title, description FROM task",
    "INSERT INTO search_doc (rowid, task_id, client_id, title, body) "
    "SELECT id * 4 + 2, task_id, NULL, '', body FROM comment",
    "INSERT INTO search_doc (rowid, task_id, client_id, title, body) "
    "SELECT id * 4 + 3, NULL, id, name, "
    "CASE WHEN confidential THEN '' ELSE contact_person || ' ' || email END FROM client",
)


def up(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql(POSTGRES_TABLE)
        db.execute_sql("CREATE INDEX search_doc_tsv ON search_doc USING GIN (tsv)")
        db.execute_sql("CREATE INDEX search_doc_task ON search_doc (task_id)")
    else:
        db.execute_sql(SQLITE_TABLE)
    for statement in FILL:
        db.execute_sql(statement)


def down(migrator, db):
    db.execute_sql("DROP TABLE search_doc")
