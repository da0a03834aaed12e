"""0004_sla: the SLA due times of support queries, and their resolution times.

Adds query_data.first_response_due and query_data.resolution_due (naive UTC, nullable), with
partial indexes on the targets not yet met, and fills them for the queries that exist: from
each query's creation, priority and client kind, by the SLA policies desk shipped when this
migration was written, counted in business hours on the shipped calendar (Monday to Friday,
09:00-17:30, in the system's time zone). A query closed before desk recorded resolution times
gets its closing time.

Everything it needs is frozen here (the policies, the calendar and the business-hours sum of
desk.sla and desk.business_hours as they were), so that what the migration does never changes
with the services: a migration imports nothing of desk.
"""
import os
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from peewee import *

OPENS, CLOSES = time(9, 0), time(17, 30)  # the working hours of a working day
WORKING_DAYS = range(5)  # Monday to Friday
DAY = timedelta(hours=8, minutes=30)  # a working day of business time
# The shipped policies, first match wins: (priority numbers, client kinds, first response,
# resolution); an empty set matches any, and "none" is the kind of a query without a client.
POLICIES = (
    ({1}, {'client'}, timedelta(hours=1), timedelta(hours=4)),  # urgent client
    ({1}, set(), timedelta(hours=2), DAY),  # urgent
    ({2}, {'client'}, timedelta(hours=2), DAY),  # high client
    ({2}, set(), timedelta(hours=4), 2 * DAY),  # high
    ({4, 5}, set(), 2 * DAY, 10 * DAY),  # low and none
    (set(), set(), DAY, 5 * DAY),  # standard
)
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

    zone = system_zone()
    rows = (QueryData.select(QueryData.task, Task.created_at, Task.priority, Client.kind)
            .join(Task, on=QueryData.task == Task.id)
            .join(Client, JOIN.LEFT_OUTER, on=Task.client == Client.id)
            .order_by(QueryData.task).tuples())
    dues = {'first_response_due': [], 'resolution_due': []}
    for task_id, created_at, priority, kind in rows:
        first, last = due_times(created_at, priority, kind, zone)
        for column, due in (('first_response_due', first), ('resolution_due', last)):
            if due is not None:  # NULL, the column's default, means no target
                dues[column].append((task_id, due))
    for column, pairs in dues.items():
        for start in range(0, len(pairs), CHUNK):
            chunk = pairs[start:start + CHUNK]
            (QueryData.update({getattr(QueryData, column): Case(QueryData.task, chunk)})
             .where(QueryData.task.in_([task_id for task_id, _ in chunk]))
             .execute())


def due_times(created_at, priority, client_kind, zone):
    """The first-response and resolution due times of a query (stored, naive UTC)."""
    kind = client_kind or 'none'
    for priorities, kinds, first, last in POLICIES:
        if (not priorities or priority in priorities) and (not kinds or kind in kinds):
            return after(created_at, first, zone), after(created_at, last, zone)
    return None, None


def after(start, amount, zone):
    """The moment `amount` of business time after `start` (naive UTC in and out): a start
    outside the working hours counts from the next opening; days are stepped by the
    calendar, so a day with a daylight-saving change has the hours its wall clock shows."""
    moment = start.replace(tzinfo=UTC)
    left = amount
    day = moment.astimezone(zone).date()
    while left:
        if day.weekday() in WORKING_DAYS:
            opening = datetime.combine(day, OPENS, tzinfo=zone).astimezone(UTC)
            closing = datetime.combine(day, CLOSES, tzinfo=zone).astimezone(UTC)
            if moment < closing:
                begin = max(moment, opening)
                if left <= closing - begin:
                    moment = begin + left
                    break
                left -= closing - begin
        day += timedelta(days=1)
    return moment.replace(tzinfo=None)


def system_zone():
    """The system's time zone: $TZ when it names an IANA zone, else /etc/localtime, else
    the current fixed offset."""
    name = os.environ.get('TZ', '').removeprefix(':')
    try:
        if name:
            return ZoneInfo(name)
        with open('/etc/localtime', 'rb') as zone_file:
            return ZoneInfo.from_file(zone_file, key='localtime')
    except (OSError, ValueError, ZoneInfoNotFoundError):
        return datetime.now().astimezone().tzinfo


def down(migrator, db):
    for name in ('query_data_resolution_open', 'query_data_first_response_open'):
        db.execute_sql(f'DROP INDEX {name}')
    migrator.migrate(
        migrator.drop_column('query_data', 'resolution_due'),
        migrator.drop_column('query_data', 'first_response_due'),
    )
