"""0024_portal_shares: what an agent shares with a client's portal explicitly. The client's
notes (its requirements document) when `portal_client.notes_shared`, and a task's comment
when `comment.portal_shared`; a partial index holds only the shared comments, so the portal
reads a client's few shared comments without reading its tasks' others. Frozen: imports
nothing of desk.
"""
from peewee import *


def up(migrator, db):
    # Plain ALTERs with a default in the database: no table copy on SQLite, no rewrite on
    # PostgreSQL, and raw bulk INSERTs that do not name the column keep working.
    db.execute_sql("ALTER TABLE portal_client ADD COLUMN notes_shared BOOLEAN NOT NULL "
                   "DEFAULT FALSE")
    db.execute_sql("ALTER TABLE comment ADD COLUMN portal_shared BOOLEAN NOT NULL "
                   "DEFAULT FALSE")
    db.execute_sql("CREATE INDEX comment_portal_shared ON comment (task_id) "
                   "WHERE portal_shared")


def down(migrator, db):
    db.execute_sql("DROP INDEX comment_portal_shared")
    migrator.migrate(
        migrator.drop_column('comment', 'portal_shared'),
        migrator.drop_column('portal_client', 'notes_shared'),
    )
