"""0001_initial: every table of the domain, its indexes and checks.

Frozen copies of the models as they were at this migration (generated from a schema diff,
then completed by hand with the partial indexes), deliberately independent of desk.models.
"""
from peewee import *

PARTIAL_INDEXES = (
    # The default "not done" views (portable: SQLite and PostgreSQL).
    "CREATE INDEX task_open_by_priority ON task (priority, id) WHERE closed_at IS NULL",
    "CREATE INDEX task_open_by_list ON task (task_list_id, position, id) WHERE closed_at IS NULL",
    "CREATE INDEX task_open_by_kind ON task (kind, priority, id) WHERE closed_at IS NULL",
    "CREATE INDEX task_open_by_due ON task (due_at, id) WHERE closed_at IS NULL",
    "CREATE INDEX task_open_by_updated ON task (updated_at, id) WHERE closed_at IS NULL",
    # The done views ("is:done" by priority).
    "CREATE INDEX task_done_by_priority ON task (priority, id) WHERE closed_at IS NOT NULL",
    "CREATE INDEX event_pending ON event (id) WHERE processed_at IS NULL",
    # A shared view (no owner) is unique by scope and name; NULL owners escape the other index.
    "CREATE UNIQUE INDEX saved_view_shared_name ON saved_view (scope, name) "
    "WHERE owner_id IS NULL",
)


def up(migrator, db):
    class Agent(Model):
        username = CharField(unique=True, max_length=64)
        name = CharField(max_length=200)
        email = CharField(max_length=254, default='')
        role = CharField(max_length=8, default='agent', constraints=[SQL("CHECK (role IN ('admin', 'agent', 'viewer'))")])
        away = BooleanField(default=False)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'agent'
    db.create_tables([Agent])

    class Activity(Model):
        at = DateTimeField()
        agent = ForeignKeyField(Agent, null=True, on_delete='SET NULL')
        actor = CharField(max_length=200)
        entity = CharField(max_length=20)
        entity_id = IntegerField()
        field = CharField(max_length=100)
        old = TextField(null=True)
        new = TextField(null=True)
        version = IntegerField(null=True)
        class Meta:
            database = db
            table_name = 'activity'
            indexes = ((('entity', 'entity_id', 'id'), False),)
    db.create_tables([Activity])

    class Space(Model):
        name = CharField(unique=True, max_length=200)
        position = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'space'
    db.create_tables([Space])

    class TaskList(Model):
        space = ForeignKeyField(Space, on_delete='RESTRICT')
        name = CharField(max_length=200)
        position = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'task_list'
            indexes = ((('space', 'name'), True),)
    db.create_tables([TaskList])

    class Status(Model):
        task_list = ForeignKeyField(TaskList, on_delete='CASCADE')
        name = CharField(max_length=100)
        category = CharField(max_length=8, constraints=[SQL("CHECK (category IN ('open', 'active', 'done', 'closed'))")])
        position = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'status'
            indexes = ((('task_list', 'name'), True), (('task_list', 'position'), False))
    db.create_tables([Status])

    class Team(Model):
        name = CharField(unique=True, max_length=100)
        class Meta:
            database = db
            table_name = 'team'
    db.create_tables([Team])

    class Client(Model):
        kind = CharField(max_length=8, default='customer', constraints=[SQL("CHECK (kind IN ('client', 'customer'))")])
        name = CharField(max_length=200)
        contact_person = CharField(max_length=200, default='')
        email = CharField(max_length=254, default='')
        phone = CharField(max_length=50, default='')
        acquisition_date = DateField(null=True)
        last_contact_at = DateTimeField(null=True)
        lifecycle_stage = CharField(max_length=12, default='lead', constraints=[SQL("CHECK (lifecycle_stage IN ('lead', 'prospect', 'onboarding', 'active', 'at_risk', 'churned'))")])
        lead_score = SmallIntegerField(default=0, constraints=[SQL('CHECK (lead_score BETWEEN 0 AND 100)')])
        account_manager = ForeignKeyField(Agent, null=True, on_delete='SET NULL')
        retainer_amount = DecimalField(null=True, max_digits=12, decimal_places=2)
        retainer_cycle = CharField(null=True, max_length=10)
        birthday = DateField(null=True)
        referred_by = ForeignKeyField('self', null=True, on_delete='SET NULL')
        contact_cadence_days = IntegerField(null=True)
        confidential = BooleanField(default=False)
        notes = TextField(default='')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        class Meta:
            constraints = [SQL("CHECK (retainer_cycle IS NULL OR retainer_cycle IN ('monthly', 'quarterly', 'yearly'))"), SQL('CHECK (contact_cadence_days IS NULL OR contact_cadence_days > 0)')]
            database = db
            table_name = 'client'
            indexes = ((('name', 'id'), False), (('kind', 'name', 'id'), False), (('lifecycle_stage', 'name', 'id'), False), (('account_manager', 'name', 'id'), False), (('lead_score', 'id'), False), (('last_contact_at', 'id'), False), (('email',), False), (('referred_by',), False))
    db.create_tables([Client])

    class Task(Model):
        task_list = ForeignKeyField(TaskList, on_delete='RESTRICT')
        status = ForeignKeyField(Status, on_delete='RESTRICT')
        category = CharField(max_length=8, constraints=[SQL("CHECK (category IN ('open', 'active', 'done', 'closed'))")])
        parent = ForeignKeyField('self', null=True, on_delete='CASCADE')
        kind = CharField(max_length=8, default='task', constraints=[SQL("CHECK (kind IN ('task', 'order', 'query'))")])
        title = CharField(max_length=500)
        description = TextField(default='')
        priority = SmallIntegerField(default=3, constraints=[SQL('CHECK (priority BETWEEN 1 AND 5)')])
        team = ForeignKeyField(Team, null=True, on_delete='SET NULL')
        client = ForeignKeyField(Client, null=True, on_delete='SET NULL')
        start_at = DateTimeField(null=True)
        due_at = DateTimeField(null=True)
        estimate_minutes = IntegerField(null=True)
        position = IntegerField(default=0)
        created_by = ForeignKeyField(Agent, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        closed_at = DateTimeField(null=True)
        snoozed_until = DateTimeField(null=True)
        version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'task'
            indexes = ((('task_list', 'position', 'id'), False), (('category', 'priority', 'id'), False), (('client', 'priority', 'id'), False), (('parent', 'position', 'id'), False), (('status',), False))
    db.create_tables([Task])

    class Checklist(Model):
        task = ForeignKeyField(Task, on_delete='CASCADE')
        name = CharField(max_length=200)
        position = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'checklist'
            indexes = ((('task', 'position'), False),)
    db.create_tables([Checklist])

    class ChecklistItem(Model):
        checklist = ForeignKeyField(Checklist, on_delete='CASCADE')
        parent = ForeignKeyField('self', null=True, on_delete='CASCADE')
        text = CharField(max_length=500)
        done = BooleanField(default=False)
        position = IntegerField(default=0)
        done_at = DateTimeField(null=True)
        done_by = ForeignKeyField(Agent, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'checklist_item'
            indexes = ((('checklist', 'position'), False),)
    db.create_tables([ChecklistItem])

    class ChecklistTemplate(Model):
        name = CharField(unique=True, max_length=200)
        task_list = ForeignKeyField(TaskList, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'checklist_template'
    db.create_tables([ChecklistTemplate])

    class ChecklistTemplateItem(Model):
        template = ForeignKeyField(ChecklistTemplate, on_delete='CASCADE')
        parent = ForeignKeyField('self', null=True, on_delete='CASCADE')
        text = CharField(max_length=500)
        position = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'checklist_template_item'
            indexes = ((('template', 'position'), False),)
    db.create_tables([ChecklistTemplateItem])

    class Tag(Model):
        name = CharField(unique=True, max_length=100)
        class Meta:
            database = db
            table_name = 'tag'
    db.create_tables([Tag])

    class ClientTag(Model):
        client = ForeignKeyField(Client, on_delete='CASCADE')
        tag = ForeignKeyField(Tag, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'client_tag'
            indexes = ((('client', 'tag'), True), (('tag', 'client'), False))
    db.create_tables([ClientTag])

    class Comment(Model):
        task = ForeignKeyField(Task, on_delete='CASCADE')
        kind = CharField(max_length=8, constraints=[SQL("CHECK (kind IN ('reply', 'note', 'message'))")])
        author = ForeignKeyField(Agent, null=True, on_delete='SET NULL')
        author_name = CharField(max_length=200, default='')
        body = TextField()
        message_id = CharField(index=True, null=True, max_length=500)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'comment'
            indexes = ((('task', 'id'), False),)
    db.create_tables([Comment])

    class CustomField(Model):
        task_list = ForeignKeyField(TaskList, on_delete='CASCADE')
        name = CharField(max_length=100)
        kind = CharField(max_length=10, constraints=[SQL("CHECK (kind IN ('dropdown', 'number', 'text', 'date', 'money', 'checkbox'))")])
        options = TextField(default='[]')
        position = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'custom_field'
            indexes = ((('task_list', 'name'), True),)
    db.create_tables([CustomField])

    class CustomValue(Model):
        task = ForeignKeyField(Task, on_delete='CASCADE')
        field = ForeignKeyField(CustomField, on_delete='CASCADE')
        value = TextField()
        class Meta:
            database = db
            table_name = 'custom_value'
            indexes = ((('task', 'field'), True), (('field', 'value'), False))
    db.create_tables([CustomValue])

    class Event(Model):
        at = DateTimeField()
        kind = CharField(max_length=40)
        entity = CharField(max_length=20)
        entity_id = IntegerField()
        agent = ForeignKeyField(Agent, null=True, on_delete='SET NULL')
        data = TextField(default='{}')
        depth = SmallIntegerField(default=0)
        processed_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'event'
    db.create_tables([Event])

    class Interaction(Model):
        client = ForeignKeyField(Client, on_delete='CASCADE')
        agent = ForeignKeyField(Agent, null=True, on_delete='SET NULL')
        kind = CharField(max_length=8, constraints=[SQL("CHECK (kind IN ('call', 'email', 'meeting', 'reply', 'note', 'order'))")])
        summary = TextField(default='')
        task = ForeignKeyField(Task, null=True, on_delete='SET NULL')
        occurred_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'interaction'
            indexes = ((('client', 'occurred_at'), False),)
    db.create_tables([Interaction])

    class Meta(Model):
        key = CharField(primary_key=True, max_length=64)
        value = TextField()
        class Meta:
            database = db
            table_name = 'meta'
    db.create_tables([Meta])

    class RecurringSeries(Model):
        task = ForeignKeyField(Task, on_delete='CASCADE')
        rule = TextField()
        anchor = CharField(max_length=10, default='schedule', constraints=[SQL("CHECK (anchor IN ('schedule', 'completion'))")])
        mode = CharField(max_length=6, default='new', constraints=[SQL("CHECK (mode IN ('new', 'reopen'))")])
        skip_weekends = BooleanField(default=False)
        skip_if_open = BooleanField(default=False)
        catch_up = CharField(max_length=6, default='latest', constraints=[SQL("CHECK (catch_up IN ('latest', 'all'))")])
        starts_at = DateTimeField()
        until = DateTimeField(null=True)
        count = IntegerField(null=True)
        next_at = DateTimeField(null=True)
        active = BooleanField(default=True)
        created_by = ForeignKeyField(Agent, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'recurring_series'
            indexes = ((('active', 'next_at'), False),)
    db.create_tables([RecurringSeries])

    class Occurrence(Model):
        series = ForeignKeyField(RecurringSeries, on_delete='CASCADE')
        occurs_at = DateTimeField()
        task = ForeignKeyField(Task, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'occurrence'
            indexes = ((('series', 'occurs_at'), True),)
    db.create_tables([Occurrence])

    class Product(Model):
        name = CharField(unique=True, max_length=200)
        kind = CharField(max_length=8, default='service', constraints=[SQL("CHECK (kind IN ('product', 'service'))")])
        unit_price = DecimalField(max_digits=12, decimal_places=2, default=0)
        active = BooleanField(default=True)
        checklist_template = ForeignKeyField(ChecklistTemplate, null=True, on_delete='SET NULL')
        version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'product'
    db.create_tables([Product])

    class OrderData(Model):
        task = ForeignKeyField(Task, primary_key=True, on_delete='CASCADE')
        product = ForeignKeyField(Product, on_delete='RESTRICT')
        quantity = IntegerField(constraints=[SQL('CHECK (quantity > 0)')])
        unit_price = DecimalField(max_digits=12, decimal_places=2)
        total = DecimalField(max_digits=14, decimal_places=2)
        fulfilled_at = DateTimeField(null=True)
        invoiced_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'order_data'
            indexes = ((('product',), False),)
    db.create_tables([OrderData])

    class QueryData(Model):
        task = ForeignKeyField(Task, primary_key=True, on_delete='CASCADE')
        requester_name = CharField(max_length=200, default='')
        requester_email = CharField(max_length=254, default='')
        channel = CharField(max_length=8, default='form', constraints=[SQL("CHECK (channel IN ('form', 'email', 'phone', 'walk-in'))")])
        message_id = CharField(index=True, null=True, max_length=500)
        waiting_on = CharField(max_length=4, default='us', constraints=[SQL("CHECK (waiting_on IN ('us', 'them'))")])
        first_response_at = DateTimeField(null=True)
        resolved_at = DateTimeField(null=True)
        csat_score = SmallIntegerField(null=True)
        csat_comment = TextField(default='')
        class Meta:
            constraints = [SQL('CHECK (csat_score IS NULL OR csat_score BETWEEN 1 AND 5)')]
            database = db
            table_name = 'query_data'
    db.create_tables([QueryData])

    class SavedView(Model):
        scope = CharField(max_length=8, constraints=[SQL("CHECK (scope IN ('tasks', 'clients', 'inbox'))")])
        name = CharField(max_length=100)
        query = TextField()
        sort = CharField(max_length=40, default='')
        owner = ForeignKeyField(Agent, null=True, on_delete='CASCADE')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'saved_view'
            indexes = ((('scope', 'owner', 'name'), True),)
    db.create_tables([SavedView])

    class TaskAssignee(Model):
        task = ForeignKeyField(Task, on_delete='CASCADE')
        agent = ForeignKeyField(Agent, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'task_assignee'
            indexes = ((('task', 'agent'), True), (('agent', 'task'), False))
    db.create_tables([TaskAssignee])

    class TaskTag(Model):
        task = ForeignKeyField(Task, on_delete='CASCADE')
        tag = ForeignKeyField(Tag, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'task_tag'
            indexes = ((('task', 'tag'), True), (('tag', 'task'), False))
    db.create_tables([TaskTag])

    class TeamMember(Model):
        team = ForeignKeyField(Team, on_delete='CASCADE')
        agent = ForeignKeyField(Agent, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'team_member'
            indexes = ((('team', 'agent'), True), (('agent',), False))
    db.create_tables([TeamMember])

    for statement in PARTIAL_INDEXES:
        db.execute_sql(statement)


def down(migrator, db):
    migrator.migrate(migrator.drop_table('team_member'))
    migrator.migrate(migrator.drop_table('task_tag'))
    migrator.migrate(migrator.drop_table('task_assignee'))
    migrator.migrate(migrator.drop_table('saved_view'))
    migrator.migrate(migrator.drop_table('query_data'))
    migrator.migrate(migrator.drop_table('order_data'))
    migrator.migrate(migrator.drop_table('product'))
    migrator.migrate(migrator.drop_table('occurrence'))
    migrator.migrate(migrator.drop_table('recurring_series'))
    migrator.migrate(migrator.drop_table('meta'))
    migrator.migrate(migrator.drop_table('interaction'))
    migrator.migrate(migrator.drop_table('event'))
    migrator.migrate(migrator.drop_table('custom_value'))
    migrator.migrate(migrator.drop_table('custom_field'))
    migrator.migrate(migrator.drop_table('comment'))
    migrator.migrate(migrator.drop_table('client_tag'))
    migrator.migrate(migrator.drop_table('tag'))
    migrator.migrate(migrator.drop_table('checklist_template_item'))
    migrator.migrate(migrator.drop_table('checklist_template'))
    migrator.migrate(migrator.drop_table('checklist_item'))
    migrator.migrate(migrator.drop_table('checklist'))
    migrator.migrate(migrator.drop_table('task'))
    migrator.migrate(migrator.drop_table('client'))
    migrator.migrate(migrator.drop_table('team'))
    migrator.migrate(migrator.drop_table('status'))
    migrator.migrate(migrator.drop_table('task_list'))
    migrator.migrate(migrator.drop_table('space'))
    migrator.migrate(migrator.drop_table('activity'))
    migrator.migrate(migrator.drop_table('agent'))
