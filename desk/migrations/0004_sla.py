"""0004_sla: the SLA due times of support queries, and their resolution times.

Adds query_data.first_response_due and query_data.resolution_due (naive UTC, nullable), with
partial indexes on the targets not yet met, and fills them for the queries that exist: from
each query's creation, priority and client kind, by the shipped SLA policies and calendar (a
migration is not given the config). A query closed before desk recorded resolution times
gets its closing time.

The columns and indexes are frozen here; the due times come from desk.sla, the one
place that counts business hours.
"""
from peewee import *

from desk import sla
from desk.config import Settings

INDEXES = (
    "CREATE INDEX query_data_first_response_open ON query_data (first_response_due) "
    "WHERE first_response_at IS NULL",
    "CREATE INDEX query_data_resolution_open ON query_data (resolution_due) "
    "WHERE resolved_at IS NULL",
)
CHUNK = 200  # queries per UPDATE (each takes three parameters)


def up(migrator, db):
    class Table(Model):
        class Meta:
            database = db

    class Client(Table):
        kind = CharField(max_length=8)
        class Meta:
            table_name = 'client'

    class Task(Table):
        client = ForeignKeyField(Client, null=True)
        priority = SmallIntegerField()
        created_at = DateTimeField()
        closed_at = DateTimeField(null=True)
        class Meta:
            table_name = 'task'

    class QueryData(Table):
        task = ForeignKeyField(Task, primary_key=True)
        resolved_at = DateTimeField(null=True)
        first_response_due = DateTimeField(null=True)
        resolution_due = DateTimeField(null=True)
        class Meta:
            table_name = 'query_data'

    migrator.migrate(
        migrator.add_column('query_data', 'first_response_due', DateTimeField(null=True)),
        migrator.add_column('query_data', 'resolution_due', DateTimeField(null=True)),
    )
    for statement in INDEXES:
        db.execute_sql(statement)

    closed = Task.select(Task.closed_at).where(Task.id == QueryData.task)
    (QueryData.update(resolved_at=closed)
     .where(QueryData.resolved_at.is_null(),
            QueryData.task.in_(Task.select(Task.id).where(Task.closed_at.is_null(False))))
     .execute())

    book = sla.book(Settings())
    rows = (QueryData.select(QueryData.task, Task.created_at, Task.priority, Client.kind)
            .join(Task, on=QueryData.task == Task.id)
            .join(Client, JOIN.LEFT_OUTER, on=Task.client == Client.id)
            .order_by(QueryData.task).tuples())
    dues = {'first_response_due': [], 'resolution_due': []}
    for task_id, created_at, priority, kind in rows:
        first, last = book.dues(created_at, priority, kind)
        for column, due in (('first_response_due', first), ('resolution_due', last)):
            if due is not None:  # NULL, the column's default, means no target
                dues[column].append((task_id, due))
    for column, pairs in dues.items():
        for start in range(0, len(pairs), CHUNK):
            chunk = pairs[start:start + CHUNK]
            (QueryData.update({getattr(QueryData, column): Case(QueryData.task, chunk)})
             .where(QueryData.task.in_([task_id for task_id, _ in chunk]))
             .execute())


def down(migrator, db):
    for name in ('query_data_resolution_open', 'query_data_first_response_open'):
        db.execute_sql(f'DROP INDEX {name}')
    migrator.migrate(
        migrator.drop_column('query_data', 'resolution_due'),
        migrator.drop_column('query_data', 'first_response_due'),
    )
