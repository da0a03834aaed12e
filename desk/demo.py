"""`desk demo`: a believable workspace, built from a fixed seed into an empty database.

The demo is a small IT-services business, Brightline IT: seven agents in four teams; the
Support, Sales, Finance and Internal spaces; about forty clients and customers across every
lifecycle stage; a product and service catalogue with checklist templates; orders, support
queries with their conversations, recurring duties and a year of interactions. Every date is
relative to `now`, so the demo always looks current, and every choice comes from
`random.Random(seed)`: the same seed builds the same workspace.

The curated part is seed data, not user input: it is inserted with the models directly
(insert_many with explicit ids) while keeping the invariants the services keep (a task's
category is its status's, closed_at is set exactly while done or closed, version 1, positions
increase per list, order and query data only on tasks of that kind). `tasks=N` then tops the
workspace up to N tasks with generated ones through a raw DB-API `executemany`, 4-5x faster
than peewee's insert_many, and the full-text index is rebuilt once at the end instead of
indexing row by row. Everything runs in one transaction: the database ends up either empty or
holding the whole demo.
"""

from __future__ import annotations

import random
import time as clock
from bisect import bisect
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate, chain

from dateutil.rrule import rrulestr
from peewee import AutoField, Model, fn

from desk.clock import to_utc, utcnow
from desk.db import is_sqlite
from desk.errors import InvalidInput
from desk.models import (
    DONE_CATEGORIES,
    MODELS,
    Activity,
    Agent,
    Checklist,
    ChecklistItem,
    ChecklistTemplate,
    ChecklistTemplateItem,
    Client,
    ClientTag,
    Comment,
    Interaction,
    Meta,
    OrderData,
    Product,
    QueryData,
    RecurringSeries,
    Space,
    Status,
    Tag,
    Task,
    TaskAssignee,
    TaskList,
    TaskTag,
    Team,
    TeamMember,
    database,
)
from desk.services import search
from desk.services.agents import AgentRef, require_writer
from desk.text import visible

Progress = Callable[[str, int, int], None]

DEMO_KEY = "workspace"
DEMO_VALUE = "demo"
COMPANY = "Brightline IT"
DOMAIN = "brightline.example"
ADMIN = "@admin"  # stands for the agent passed to build() in the tables below
BATCH = 10_000  # generated tasks per executemany
ROWS_PER_STATEMENT = 50  # rows per generated INSERT statement
INSERT_CHUNK = 200  # rows per insert_many statement of the curated part
BULK_CACHE_KIB = 262_144  # SQLite page cache while generating tasks (restored afterwards)
BULK_TABLES = ("task", "task_assignee", "task_tag")  # indexes dropped while generating

# Tables that must be empty before a demo is built. Agents (this account) may exist already.
WORK_TABLES = (Space, TaskList, Task, Client, Product, ChecklistTemplate, Tag, RecurringSeries,
               Interaction)


# --- the public face -----------------------------------------------------------------------


@dataclass(frozen=True)
class DemoSummary:
    """What a demo workspace holds, where it lives, and how long building it took."""

    agents: int
    clients: dict[str, int]  # by kind: client, customer
    tasks: dict[str, int]  # by kind: task, order, query
    open_queries: int
    orders: int
    series: int
    interactions: int
    database: str  # the SQLite file, or the PostgreSQL database name
    lists: tuple[str, ...]  # "Space/List" paths, in sidebar order
    seconds: dict[str, float] = field(default_factory=dict)  # build time per stage

    @property
    def total_tasks(self) -> int:
        """Tasks of every kind."""
        return sum(self.tasks.values())


def is_empty() -> bool:
    """Whether the bound database holds no work yet (agents alone do not count)."""
    return not any(model.select().exists() for model in WORK_TABLES)


def is_demo() -> bool:
    """Whether the bound database was built by `desk demo`."""
    row = Meta.get_or_none(Meta.key == DEMO_KEY)
    return row is not None and row.value == DEMO_VALUE


def mark_demo() -> None:
    """Record in the Meta table that this workspace is a demo (safe to throw away)."""
    with database.atomic():
        Meta.delete().where(Meta.key == DEMO_KEY).execute()
        Meta.insert(key=DEMO_KEY, value=DEMO_VALUE).execute()


def build(admin: AgentRef, *, tasks: int | None = None, seed: int = 2026,
          now: datetime | None = None, progress: Progress | None = None) -> DemoSummary:
    """Build the demo workspace into the bound, freshly migrated, empty database.

    `admin` (this account) joins the demo agents. `tasks` tops the workspace up to that many
    tasks in total with generated ones. `now` (naive UTC, default the current time) anchors
    every date. `progress(stage, done, total)` is called as stages advance.
    Raises InvalidInput, changing nothing, when the database already holds work.
    """
    require_writer(admin)
    if tasks is not None and tasks < 0:
        raise InvalidInput(f"the number of tasks cannot be negative, not {tasks}")
    moment = now or utcnow()
    if moment.tzinfo is not None:
        moment = to_utc(moment)
    builder = _Builder(admin, seed, moment.replace(microsecond=0), progress)
    seconds: dict[str, float] = {}

    def timed(stage: str, step: Callable[[], object]) -> None:
        builder.report(stage, 0, 1)
        started = clock.perf_counter()
        step()
        seconds[stage] = round(clock.perf_counter() - started, 3)
        builder.report(stage, 1, 1)

    with database.atomic():
        if not is_empty():
            raise InvalidInput("the database already holds a workspace; the demo needs an "
                               "empty one (desk demo --reset rebuilds a demo)")
        timed("Agents and teams", builder.agents_and_teams)
        timed("Spaces and lists", builder.spaces_and_lists)
        timed("Catalogue", builder.catalogue)
        timed("Clients", builder.clients)
        timed("Orders", builder.orders)
        timed("Support queries", builder.queries)
        timed("Tasks and series", builder.tasks_and_series)
        timed("Interactions", builder.interactions)
        timed("Activity", builder.activity)
        if tasks:
            builder.top_up(tasks, seconds)
        timed("Search index", search.rebuild)
        timed("Finishing", _finish)
        committing = clock.perf_counter()
    seconds["Commit"] = round(clock.perf_counter() - committing, 3)
    if is_sqlite():
        timed("Checkpoint", lambda: database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)"))
    return current_summary(seconds)


def _finish() -> None:
    """Make later inserts safe after explicit ids, refresh planner statistics, mark the demo."""
    if not is_sqlite():
        _reset_sequences()
        for table in ("task", "task_assignee", "task_tag", "search_doc"):
            database.execute_sql(f'ANALYZE "{table}"')
    mark_demo()


def _reset_sequences() -> None:
    """PostgreSQL: move every id sequence past the largest id, so later inserts don't collide."""
    for model in MODELS:
        if not isinstance(model._meta.primary_key, AutoField):
            continue
        table = model._meta.table_name
        database.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'COALESCE((SELECT MAX(id) FROM "{table}"), 0) + 1, false)'
        )


def current_summary(seconds: dict[str, float] | None = None) -> DemoSummary:
    """The summary of the workspace in the bound database, counted from its tables."""
    spaces = dict(Space.select(Space.id, Space.name).tuples())
    lists = tuple(
        f"{spaces[space_id]}/{name}" for space_id, name in
        TaskList.select(TaskList.space, TaskList.name).join(Space)
        .order_by(Space.position, Space.id, TaskList.position, TaskList.id).tuples()
    )
    target = database.obj
    return DemoSummary(
        agents=Agent.select().count(),
        clients=dict(Client.select(Client.kind, fn.COUNT(Client.id))
                     .group_by(Client.kind).order_by(Client.kind).tuples()),
        tasks=dict(Task.select(Task.kind, fn.COUNT(Task.id))
                   .group_by(Task.kind).order_by(Task.kind).tuples()),
        open_queries=Task.select().where((Task.kind == "query") & Task.closed_at.is_null())
        .count(),
        orders=OrderData.select().count(),
        series=RecurringSeries.select().count(),
        interactions=Interaction.select().count(),
        database=str(getattr(target, "database", "") or ""),
        lists=lists,
        seconds=dict(seconds or {}),
    )


def summary_text(summary: DemoSummary) -> str:
    """The lines the CLI prints after building or reopening the demo."""
    clients = summary.clients
    kinds = summary.tasks
    other = summary.total_tasks - kinds.get("query", 0) - kinds.get("order", 0)
    lines = [
        f"Demo workspace of {COMPANY}: {_count(summary.agents, 'agent')}, "
        f"{_count(clients.get('client', 0), 'client')} and "
        f"{_count(clients.get('customer', 0), 'customer')}.",
        f"  {_count(summary.total_tasks, 'task')}: "
        f"{_count(kinds.get('query', 0), 'support query', 'support queries')} "
        f"({summary.open_queries:,} open), {_count(summary.orders, 'order')}, "
        f"{_count(other, 'other task')}.",
        f"  {_count(summary.series, 'recurring series', 'recurring series')}, "
        f"{_count(summary.interactions, 'logged interaction')}.",
        f"  Lists: {', '.join(summary.lists)}",
    ]
    if summary.database:
        lines.append(f"  Database: {summary.database}")
    if summary.seconds:
        total = sum(summary.seconds.values())
        slow = sorted(summary.seconds.items(), key=lambda item: -item[1])[:3]
        parts = ", ".join(f"{stage.lower()} {seconds:.1f} s" for stage, seconds in slow)
        lines.append(f"  Built in {total:.1f} s ({parts}).")
    return "\n".join(visible(line) for line in lines)


def _count(number: int, singular: str, plural: str | None = None) -> str:
    """'1 agent', '2,000 agents'."""
    return f"{number:,} {singular if number == 1 else (plural or singular + 's')}"


# --- what the demo is made of --------------------------------------------------------------

# username, name, e-mail local part, role, teams
AGENTS = (
    ("maria", "Maria Keller", "maria.keller", "agent", ("Support", "Accounts")),
    ("jonas", "Jonas Weber", "jonas.weber", "agent", ("Fulfilment",)),
    ("priya", "Priya Raman", "priya.raman", "agent", ("Accounts", "Billing")),
    ("tom", "Tom Okafor", "tom.okafor", "agent", ("Support",)),
    ("li", "Li Wei", "li.wei", "agent", ("Support", "Fulfilment")),
    ("sam", "Sam Fischer", "sam.fischer", "viewer", ("Billing",)),
)
ADMIN_TEAMS = ("Support", "Accounts")
TEAMS = ("Support", "Fulfilment", "Accounts", "Billing")
SUPPORT_AGENTS = (ADMIN, "maria", "tom", "li")
FULFILMENT_AGENTS = ("jonas", "li")
MANAGERS = (ADMIN, "maria", "priya")

HELPDESK = (("New", "open"), ("Open", "active"), ("Waiting on customer", "active"),
            ("Resolved", "done"), ("Closed", "closed"))
ORDER_FLOW = (("Received", "open"), ("In progress", "active"), ("Fulfilled", "done"),
              ("Invoiced", "closed"))
THREE_STEPS = (("To do", "open"), ("Doing", "active"), ("Done", "done"))
BILLING_FLOW = (("To do", "open"), ("In progress", "active"), ("Done", "done"),
                ("Cancelled", "closed"))
INTERNAL_FLOW = (("To do", "open"), ("In progress", "active"), ("Done", "done"),
                 ("Dropped", "closed"))
# space, its lists (name, statuses, team that works it)
SPACES = (
    ("Support", (("Support inbox", HELPDESK, "Support"),)),
    ("Sales", (("Orders", ORDER_FLOW, "Fulfilment"), ("Accounts", THREE_STEPS, "Accounts"))),
    ("Finance", (("Billing", BILLING_FLOW, "Billing"),)),
    ("Internal", (("Internal", INTERNAL_FLOW, None),)),
)

CLIENT_TAGS = ("vip", "enterprise", "smb", "nonprofit", "healthcare", "hospitality",
               "education", "partner", "newsletter")
TASK_TAGS = ("access", "backup", "billing", "email", "hardware", "how-to", "network", "printer",
             "renewal", "security", "seo", "website", "onboarding", "invoice")


@dataclass(frozen=True)
class _ClientSpec:
    """A hand-written client or customer."""

    kind: str
    name: str
    contact: str
    email: str
    phone: str
    stage: str
    manager: str | None = None
    retainer: tuple[str, str] | None = None
    cadence: int | None = None
    tags: tuple[str, ...] = ()
    confidential: bool = False
    referrer: str | None = None
    needs: tuple[str, ...] = ()
    note: str = ""


def _client(name, contact, email, phone, stage, manager, retainer, cadence, tags, needs, note,
            *, confidential=False, referrer=None) -> _ClientSpec:
    """A long-term client (retainer, account manager, requirements document)."""
    return _ClientSpec("client", name, contact, email, phone, stage, manager, retainer, cadence,
                       tags, confidential, referrer, needs, note)


def _customer(name, contact, email, phone, stage, tags=(), referrer=None, note="",
              manager=None) -> _ClientSpec:
    """A transactional customer."""
    return _ClientSpec("customer", name, contact, email, phone, stage, manager, None, None,
                       tags, False, referrer, (), note)


CLIENTS = (
    _client("Hartwell & Sons Joinery", "George Hartwell", "george@hartwell-joinery.example",
            "+44 161 496 0312", "active", "maria", ("450.00", "monthly"), 21, ("smb",),
            ("Keep the portfolio website (WordPress) patched and backed up",
             "Quote requests from the website go to both george@ and office@",
             "Replace the six workshop laptops on a four-year cycle"),
            "George prefers a phone call to e-mail, and never before 9:00: the workshop is "
            "loud until then."),
    _client("Bluefin Logistics", "Sandra Kovač", "s.kovac@bluefin-logistics.example",
            "+44 20 7946 0418", "active", "priya", ("2400.00", "monthly"), 14,
            ("enterprise", "vip"),
            ("On-call support for the dispatch system, around the clock",
             "Security patches only in the Sunday 06:00-08:00 window",
             "Quarterly business review with ticket statistics"),
            "Every change to the dispatch PCs needs Sandra's written OK first."),
    _client("Northgate Dental Practice", "Dr Amir Sadeghi", "practice@northgate-dental.example",
            "+44 113 496 0271", "active", "maria", ("600.00", "monthly"), 30,
            ("healthcare", "smb"),
            ("Patient records never leave the practice network",
             "Encrypted backups, test-restored every month",
             "Reception PCs locked down, no USB storage"),
            "Confidential: patient data. Only Maria and the admin handle this account.",
            confidential=True),
    _client("Aurora Yoga Studio", "Lena Brandt", "hello@aurora-yoga.example", "+44 117 496 0145",
            "onboarding", ADMIN, ("300.00", "monthly"), 30, ("smb", "newsletter"),
            ("Class booking widget on the website, synced with the timetable",
             "Newsletter sign-up that feeds the mailing list",
             "Timetable page updated every Monday"),
            "Referred by George Hartwell. Lena answers e-mail in the evenings, between classes.",
            referrer="Hartwell & Sons Joinery"),
    _client("Kestrel Architects", "Oliver Grant", "oliver.grant@kestrel-architects.example",
            "+44 20 7946 0563", "active", "priya", ("1500.00", "quarterly"), 21, ("vip",),
            ("Support for four CAD workstations and the large-format plotter",
             "NAS with a nightly off-site backup",
             "New starters ready on day one: laptop, accounts, plotter driver"),
            "Deadlines cluster at month end: no maintenance in the last week of a month."),
    _client("Meadowbrook Veterinary Clinic", "Dr Hannah Moss",
            "hannah.moss@meadowbrook-vets.example", "+44 191 498 0227", "at_risk", "maria",
            ("550.00", "monthly"), 14, ("healthcare",),
            ("Practice software upgrades outside opening hours",
             "VoIP phones for reception and the two consulting rooms",
             "Same-day response for anything that stops appointments"),
            "At risk after two slow tickets in a row. Hannah wants a call every fortnight."),
    _client("Copperleaf Bakery", "Marco Bianchi", "marco@copperleaf-bakery.example",
            "+44 117 496 0388", "active", ADMIN, ("180.00", "monthly"), 30,
            ("smb", "hospitality"),
            ("Online pre-order form for celebration cakes",
             "Receipt printer and card terminal on the till",
             "Instagram feed on the home page"),
            "The shop opens at 6:30; call Marco after the lunch rush, around 14:00.",
            referrer="Aurora Yoga Studio"),
    _client("Lindqvist Legal", "Karin Lindqvist", "k.lindqvist@lindqvist-legal.example",
            "+44 20 7946 0691", "active", "priya", ("1200.00", "monthly"), 14, ("vip",),
            ("Encrypted e-mail for client correspondence",
             "Document management with access logs",
             "Encrypted laptops with remote wipe"),
            "Confidential: legal privilege. Never name their clients in a ticket.",
            confidential=True),
    _client("Harbourview Hotel", "Sean Gallagher", "sean.gallagher@harbourview-hotel.example",
            "+44 191 498 0450", "active", "maria", ("1900.00", "monthly"), 14,
            ("hospitality", "enterprise"),
            ("Guest Wi-Fi in all 48 rooms and the conference suite",
             "Booking engine linked to the property management system",
             "Front desk PCs and the key card encoder"),
            "The front desk is staffed day and night; book planned work with Sean a week ahead."),
    _client("Greenfield Community Trust", "Ruth Adeyemi", "ruth@greenfield-trust.example",
            "+44 113 496 0519", "active", ADMIN, ("250.00", "quarterly"), 30, ("nonprofit",),
            ("Donation page with Gift Aid", "Shared volunteer rota",
             "Charity rate: 20% off all project work"),
            "Volunteers come and go: closing their accounts quickly matters most."),
    _client("Atlas Freight Brokers", "Viktor Stoyanov", "viktor@atlas-freight.example",
            "+44 20 7946 0734", "churned", "priya", None, 30, ("enterprise",),
            ("Warehouse Wi-Fi and handheld scanners",
             "Remote access for brokers working from home"),
            "Moved to an in-house IT team in the spring. Keep in touch for project work."),
    _client("Solstice Solar Installations", "Emma Lindberg", "emma@solstice-solar.example",
            "+44 117 496 0602", "onboarding", "priya", ("800.00", "quarterly"), 21, ("smb",),
            ("Tablets for the installation crews, with the survey app",
             "Shared calendar for site visits", "Move e-mail from the old provider"),
            "Referred by Bluefin. The crews are on roofs all day; Emma is free 8:00-9:00.",
            referrer="Bluefin Logistics"),
    _client("Whitmore Accountancy", "Rebecca Whitmore", "rebecca@whitmore-accountancy.example",
            "+44 161 496 0677", "active", "priya", ("700.00", "monthly"), 21, ("smb", "partner"),
            ("Extra support hours from January to April (tax season)",
             "Secure client portal for document uploads", "Backups kept for seven years"),
            "Partner: they send us clients and we send bookkeeping work their way."),
    _client("Riverbend Primary School", "David Osei", "d.osei@riverbend-primary.example",
            "+44 113 496 0740", "active", "maria", ("1100.00", "quarterly"), 30, ("education",),
            ("Thirty pupil laptops and two classroom projectors",
             "Web filtering that meets the safeguarding rules",
             "Work on site only in the holidays or after 15:30"),
            "David is the business manager; the head teacher signs off anything over 1,000."),
    _client("Pinecrest Property Management", "Alan Murray",
            "alan.murray@pinecrest-property.example", "+44 161 496 0815", "prospect", ADMIN,
            None, 14, ("enterprise",),
            ("Support for 25 staff across three offices",
             "Move from the server in the cupboard to cloud file storage"),
            "Referred by Whitmore Accountancy. Alan decides together with his finance director.",
            referrer="Whitmore Accountancy"),
    _customer("Elena Petrova", "", "elena.petrova@mailbox.example", "+44 7700 900112", "active",
              ("newsletter",), note="Freelance translator; bought a laptop setup and support "
              "hours."),
    _customer("Marcus Bell", "", "marcus.bell@post.example", "+44 7700 900245", "active",
              referrer="Kestrel Architects", note="Photographer, referred by Oliver Grant."),
    _customer("Oakridge Florist", "June Parker", "orders@oakridge-florist.example",
              "+44 117 496 0903", "active", ("smb",),
              note="Website changes before Valentine's Day and Mother's Day, every year."),
    _customer("Fatima Haddad", "", "fatima.haddad@inbox.example", "+44 7700 900318", "prospect",
              referrer="Elena Petrova", note="Asked for a quote for a home office network."),
    _customer("Daniel Novak", "", "daniel.novak@mailbox.example", "+44 7700 900427", "lead",
              note="Filled in the contact form about an SEO audit."),
    _customer("The Corner Bookshop", "Agnes Whitlock", "shop@cornerbookshop.example",
              "+44 161 496 0934", "active", ("smb", "newsletter"), "Copperleaf Bakery",
              "Till and stock system; pays by invoice within 14 days."),
    _customer("Grace Whitfield", "", "grace.whitfield@post.example", "+44 7700 900536", "active",
              ("vip",), note="Author, customer for years. Prefers a phone call.",
              manager="maria"),
    _customer("Hiroshi Tanaka", "", "hiroshi.tanaka@inbox.example", "+44 7700 900641",
              "onboarding", note="New home studio: two laptops and a backup appliance."),
    _customer("Sofia Marino", "", "sofia.marino@mailbox.example", "+44 7700 900753", "churned",
              note="Moved abroad."),
    _customer("Blue Door Café", "Tariq Aziz", "hello@bluedoor-cafe.example", "+44 20 7946 0877",
              "at_risk", ("smb", "hospitality"), "Copperleaf Bakery",
              "Unhappy with the last invoice; wants fixed prices.", manager=ADMIN),
    _customer("Noah Lindgren", "", "noah.lindgren@post.example", "+44 7700 900864", "lead",
              note="Met at the small business fair."),
    _customer("Amara Okoye", "", "amara.okoye@inbox.example", "+44 7700 900972", "active",
              ("newsletter",), "Greenfield Community Trust",
              "Runs a tutoring business from home."),
    _customer("Lucas Moreau", "", "lucas.moreau@mailbox.example", "+44 7700 900183", "prospect",
              note="Wants his online shop moved to new hosting."),
    _customer("Chloe Dubois", "", "chloe.dubois@post.example", "+44 7700 900294", "active"),
    _customer("Ivan Horvat", "", "ivan.horvat@inbox.example", "+44 7700 900375", "churned",
              note="Went with a cheaper provider."),
    _customer("Quickfix Bike Repair", "Sam Porter", "workshop@quickfix-bikes.example",
              "+44 113 496 0958", "active", ("smb",),
              note="Booking page, and a laptop for the workshop."),
    _customer("Rachel Stein", "", "rachel.stein@mailbox.example", "+44 7700 900486", "lead",
              ("newsletter",), note="Downloaded the backup checklist."),
    _customer("Tomasz Kowalski", "", "tomasz.kowalski@post.example", "+44 7700 900597", "active",
              referrer="Hartwell & Sons Joinery", note="Carpenter; works with Hartwell & Sons."),
    _customer("Nadia Rahman", "", "nadia.rahman@inbox.example", "+44 7700 900608", "prospect",
              note="Comparing us with two other providers."),
    _customer("Felix Baumann", "", "felix.baumann@mailbox.example", "+44 7700 900719",
              "at_risk", note="Two complaints about response times."),
    _customer("Ingrid Solberg", "", "ingrid.solberg@post.example", "+44 7700 900821", "active"),
    _customer("Patrick O'Neill", "", "patrick.oneill@inbox.example", "+44 7700 900932", "lead",
              note="Called about a laptop for his daughter."),
    _customer("Mei Chen", "", "mei.chen@mailbox.example", "+44 7700 900143", "active",
              ("newsletter",), "Amara Okoye"),
    _customer("Old Mill Pottery", "Bridget Hale", "studio@oldmill-pottery.example",
              "+44 191 498 0966", "churned", ("smb",), note="Closed the shop; studio only now."),
    _customer("Jorge Alvarez", "", "jorge.alvarez@post.example", "+44 7700 900254", "lead"),
)
BIRTHDAYS_SOON = {"Aurora Yoga Studio": 3, "Marcus Bell": 8, "Grace Whitfield": 12}
PAST_CADENCE = ("Meadowbrook Veterinary Clinic", "Greenfield Community Trust",
                "Kestrel Architects")
LEAD_SCORES = {"lead": (5, 35), "prospect": (30, 60), "onboarding": (55, 75),
               "active": (60, 95), "at_risk": (30, 55), "churned": (5, 25)}
TITLES = ("Dr", "Mr", "Mrs", "Ms")

# Checklist templates: (text, children) items, nested one level.
TEMPLATES = {
    "Laptop setup": (
        ("Confirm the specification and user with the customer", ()),
        ("Order hardware", (("Place the order with the supplier", ()),
                            ("Check the delivery against the order", ()))),
        ("Install and configure", (("Install operating system updates", ()),
                                   ("Install the office suite", ()),
                                   ("Enrol in device management", ()),
                                   ("Turn on disk encryption and backup", ()))),
        ("Hand over", (("Walk the user through the setup", ()),
                       ("Get the delivery note signed", ()))),
    ),
    "Website maintenance": (
        ("Update plugins and core", ()),
        ("Check last night's backup", ()),
        ("Run uptime and page speed checks", ()),
        ("Send the monthly report", ()),
    ),
    "SEO audit": (
        ("Crawl the site", ()),
        ("Keyword research", (("Collect search terms from the customer", ()),
                              ("Check competitors' rankings", ()))),
        ("Review page titles and meta descriptions", ()),
        ("Write the report", ()),
        ("Present the findings", ()),
    ),
    "Office network install": (
        ("Site survey", ()),
        ("Order equipment", ()),
        ("Install and cable", (("Patch panel and switch", ()), ("Wi-Fi access points", ()))),
        ("Configure firewall and guest network", ()),
        ("Test, document and hand over credentials", ()),
    ),
    "Email migration": (
        ("List mailboxes and aliases", ()),
        ("Prepare DNS records", (("MX", ()), ("SPF", ()), ("DKIM and DMARC", ()))),
        ("Migrate mailboxes", ()),
        ("Switch MX and watch the first day's mail", ()),
        ("Check with every user", ()),
    ),
    "Backup appliance install": (
        ("Rack and connect the appliance", ()),
        ("Configure backup jobs", ()),
        ("Set up off-site replication", ()),
        ("Test a restore with the customer", ()),
    ),
}
# name, kind, unit price, checklist template, weight among orders, note on the order
PRODUCTS = (
    ("Website maintenance", "service", "350.00", "Website maintenance", 4,
     "Monthly care: updates, backups, uptime and a short report."),
    ("SEO audit", "service", "890.00", "SEO audit", 3,
     "Full audit with keyword research and a written report."),
    ("Laptop setup", "product", "1290.00", "Laptop setup", 6,
     "Business laptop, configured, encrypted and enrolled."),
    ("Support hours (10h)", "service", "650.00", None, 5,
     "Prepaid block of ten support hours, valid twelve months."),
    ("Office network install", "service", "1850.00", "Office network install", 2,
     "Switch, firewall and Wi-Fi for a small office."),
    ("Email migration", "service", "480.00", "Email migration", 3,
     "Mailboxes moved to the new provider without losing mail."),
    ("Backup appliance", "product", "940.00", "Backup appliance install", 3,
     "On-site backup appliance with off-site replication."),
    ("Security awareness workshop", "service", "720.00", None, 2,
     "Two-hour phishing and password workshop for staff."),
)
ORDER_STATUSES = ("Received",) * 7 + ("In progress",) * 10 + ("Fulfilled",) * 8 + (
    "Invoiced",) * 5

# Support queries: subject, the requester's message, our first reply, tags, client (or None).
QUERIES = (
    ("Can't log in to webmail since this morning",
     "Since about 8 this morning webmail says my password is wrong, but I haven't changed it.",
     "I've reset your password and sent a temporary one by text message. Please change it "
     "when you first log in.", ("access", "email"), None),
    ("Printer in reception shows offline",
     "The reception printer shows offline on every PC. We restarted it twice already.",
     "The printer picked up a new address after last night's power cut. I've given it a fixed "
     "one and added it again on the reception PCs; could you print a test page?",
     ("printer",), None),
    ("Invoice INV-2291 has the wrong VAT number",
     "The invoice we received this week shows our old VAT number. Our accountant needs a "
     "corrected copy.",
     "Sorry about that. I've updated your details and attached a corrected invoice.",
     ("billing", "invoice"), None),
    ("Contact form on the website doesn't send e-mails",
     "Nobody has received a message from the contact form since Friday. Is it broken?",
     "The form's mail account hit its sending limit. I've moved it to the transactional mail "
     "service; please send a test message.", ("website", "email"), None),
    ("Laptop very slow after the update",
     "Since the update yesterday my laptop takes five minutes to start and the fan is loud.",
     "The update is still indexing your files in the background. Leave it on and plugged in "
     "tonight; if it's still slow tomorrow I'll connect remotely.", ("hardware",), None),
    ("New mailbox for our new starter",
     "We have a new colleague starting on Monday. Could you set up a mailbox for her?",
     "Happy to. Could you send me her full name and the job title for the signature?",
     ("email", "onboarding"), None),
    ("Wi-Fi drops every afternoon in the meeting room",
     "Every day around 2 pm the Wi-Fi in the meeting room drops for a few minutes.",
     "I can see the access point there restarting on a schedule. I've turned that off; let's "
     "see how it behaves this week.", ("network",), None),
    ("Please cancel the second laptop",
     "We ordered two laptops but only need one now. Can you cancel the second one?",
     "Done: the second laptop is cancelled and the order total is adjusted.",
     ("hardware", "billing"), None),
    ("Booking page shows last week's timetable",
     "Our booking page still shows last week's classes, so people book the wrong sessions.",
     "The timetable cache didn't refresh after Monday's update. I've cleared it and set it to "
     "refresh every hour.", ("website",), "Aurora Yoga Studio"),
    ("Phishing e-mail - did anyone click?",
     "Several of us got an e-mail pretending to be from our bank. One colleague may have "
     "clicked the link.",
     "Thanks for telling us straight away. I've blocked the sender and reset that colleague's "
     "password; please don't enter anything on that page.", ("security", "email"), None),
    ("Backup failed over the weekend",
     "We got two 'backup failed' e-mails on Saturday and Sunday. Should we worry?",
     "The backup disk was full. I've removed old versions and run the backup by hand: it "
     "completed.", ("backup",), None),
    ("How do I share my calendar with the front desk?",
     "I'd like the front desk to see my appointments but not change them. How do I do that?",
     "In the calendar, right-click your calendar, choose Sharing and add 'frontdesk' with "
     "'can view all details'.", ("how-to",), None),
    ("Outlook keeps asking for my password",
     "Outlook asks for my password every ten minutes even though I type it correctly.",
     "Your saved credentials were out of date. I've cleared them; Outlook will ask once more "
     "and then remember.", ("email",), None),
    ("Google shows our old opening hours",
     "When people search for us Google still shows our winter opening hours.",
     "Those come from your Business Profile, not the website. I've updated the hours there; "
     "Google can take a few days to show them.", ("seo",), None),
    ("Two more users on our support hours plan",
     "Can we add two more people to our support plan? They start next month.",
     "Of course. I've added them from the first of next month; the next invoice will show the "
     "change.", ("billing",), None),
    ("Card payment failed for the monthly retainer",
     "Our bank says your last card payment was declined. The card was replaced last week.",
     "No problem. I've sent a secure link where you can enter the new card.",
     ("billing",), None),
    ("Scanner saves to the wrong folder",
     "The scanner on the first floor saves everything to an old folder nobody uses.",
     "I've pointed the scan profile at the new shared folder. Please scan a test page.",
     ("printer",), None),
    ("VPN access for our accountant",
     "Our accountant needs access to the finance share from her office for two weeks.",
     "I've created a temporary VPN account that expires in 14 days and sent her the setup "
     "guide.", ("access",), None),
    ("Monitor flickering on the design workstation",
     "The big monitor on the second CAD workstation flickers every few seconds.",
     "That sounds like the cable. I'll bring a new DisplayPort cable tomorrow morning.",
     ("hardware",), "Kestrel Architects"),
    ("Does our domain expire next week?",
     "We got an e-mail saying our domain expires next week. Is that real or a scam?",
     "It's a scam: your domain is renewed with us until next year. Please delete the e-mail.",
     ("renewal", "security"), None),
    ("Website down - error 500",
     "Our website shows 'Internal Server Error' on every page. Customers are calling us.",
     "A plugin update failed halfway. I've rolled it back and the site is up again; I'll "
     "retry the update tonight.", ("website",), None),
    ("Lost phone with the authenticator app",
     "I lost my phone yesterday and can't log in anymore because of the authenticator app.",
     "I've removed the old phone from your account. When you have the new one, call me and "
     "we'll set up the app together.", ("access", "security"), None),
    ("Quote for three more laptops",
     "We're hiring three people in spring. Could you send a quote for three laptops set up "
     "like the last ones?",
     "Quote attached: three laptops with the same setup, delivered within two weeks of your "
     "OK.", ("hardware",), None),
    ("Folder on the shared drive disappeared",
     "The 'Projects 2024' folder is gone from the shared drive. Did someone delete it?",
     "It was moved into 'Archive' by mistake. I've put it back where it was.",
     ("backup",), None),
    ("Newsletter sign-up shows an error",
     "When I try the newsletter form on our site it says 'something went wrong'.",
     "The mailing list's API key had expired. I've renewed it and tested a sign-up.",
     ("website",), None),
    ("Echo on video calls in the board room",
     "Everyone on the other end hears an echo when we call from the board room.",
     "The room has two microphones active. I've disabled the laptop one in the room profile.",
     ("hardware",), None),
    ("E-mails to one customer bounce",
     "Every e-mail we send to one of our customers comes back undelivered.",
     "Their server rejects mail without a DMARC record. I've added one for your domain; "
     "please try again in an hour.", ("email",), None),
    ("Receipt printer prints blank receipts",
     "The till prints receipts but they come out blank.",
     "The paper roll is in the wrong way round: thermal paper only prints on one side. "
     "I'll talk you through it on the phone.", ("printer",), "Copperleaf Bakery"),
    ("Move our website to the new hosting",
     "Our hosting contract ends next month. Could you move the website to your hosting?",
     "Yes. I'll copy the site this week and switch the domain over at a quiet time; you "
     "won't notice the move.", ("website",), None),
    ("Copy of last quarter's invoices",
     "Our auditor asks for copies of all your invoices from last quarter.",
     "I've attached the three invoices as PDFs.", ("billing", "invoice"), None),
    ("Certificate warning on the online shop",
     "Customers tell us their browser warns that our shop is not secure.",
     "The certificate didn't renew automatically. I've renewed it and fixed the renewal job.",
     ("website", "security"), None),
    ("Guest Wi-Fi password for the conference",
     "We have a conference for 120 people on Thursday. Can we get a separate Wi-Fi password?",
     "I've set up a conference network with its own password, valid Thursday and Friday.",
     ("network",), "Harbourview Hotel"),
    ("Company e-mail on my new phone",
     "I got a new phone. How do I get my work e-mail on it?",
     "Install the mail app, sign in with your work address, and approve the login in the "
     "authenticator. I've sent a short guide with screenshots.", ("email", "how-to"), None),
    ("Deleted a spreadsheet by accident",
     "I deleted the stock spreadsheet this morning and emptied the bin. Can it be rescued?",
     "Yes: I've restored last night's version into your documents as 'Stock (restored)'.",
     ("backup",), None),
    ("Laptop won't turn on after a coffee spill",
     "I spilled coffee on my laptop and now it doesn't turn on at all.",
     "Don't try to charge it. Bring it in or we'll collect it today; a loan laptop is ready "
     "for you.", ("hardware",), None),
    ("Password reset for the booking system admin",
     "The admin account of our booking system is locked after too many attempts.",
     "I've unlocked it and reset the password. The new one is in the shared password vault.",
     ("access",), None),
    ("Slow internet at the warehouse",
     "The internet at the warehouse is very slow, especially in the afternoon.",
     "The scanners are uploading their logs all day. I've moved that to the night.",
     ("network",), "Bluefin Logistics"),
    ("Question about the SEO audit report",
     "In the audit report, what does 'thin content' on the service pages mean?",
     "It means those pages have very little text for search engines to understand. Two or "
     "three short paragraphs per service would fix it.", ("seo",), None),
    ("Instagram feed vanished from the website",
     "The Instagram photos on our home page disappeared yesterday.",
     "Instagram expired the connection. I've reconnected the feed; please check it's back.",
     ("website",), None),
    ("Update the card on file",
     "We have a new company credit card. How do we update the payment details?",
     "I've sent you a secure link to enter the new card; the old one is removed afterwards.",
     ("billing",), None),
    ("Spam sent from our own address?",
     "Customers received spam that looks like it came from our office address.",
     "The messages were forged, not sent from your account. I've tightened your domain's "
     "SPF and DMARC so receivers reject them.", ("security", "email"), None),
    ("Office move in March",
     "We're moving offices in March. What do we need to plan on the IT side?",
     "I'll send a checklist. The long lead time is the internet line: order it now, it can "
     "take six weeks.", ("network",), None),
    ("Laptop battery lasts two hours",
     "My laptop battery is empty after two hours now. It used to last all day.",
     "The battery has lost about half its capacity. It's still under warranty; I've ordered "
     "a replacement.", ("hardware",), None),
    ("Can't open PDF attachments",
     "PDF attachments open as a blank page since yesterday.",
     "The PDF viewer lost its default setting after the update. I've set it again remotely.",
     ("how-to",), None),
    ("Access to a former colleague's mailbox",
     "A colleague left last week. We need to read her mailbox for open customer requests.",
     "I've converted her mailbox to a shared mailbox and given you and Paul access.",
     ("email", "access"), None),
    ("Price list page shows the wrong prices",
     "The price list page still shows last year's prices.",
     "The page was cached by the CDN. I've purged it; the new prices show now.",
     ("website",), None),
    ("Receipt for the backup appliance",
     "Could you send a receipt for the backup appliance? We need it for insurance.",
     "Receipt attached.", ("billing",), None),
    ("Shortcut for screenshots?",
     "Is there a keyboard shortcut to take a screenshot of part of the screen?",
     "Windows key + Shift + S lets you draw a box; the picture goes to the clipboard.",
     ("how-to",), None),
    ("Windows update stuck at 35%",
     "My PC has said 'Working on updates 35%' for over an hour.",
     "Give it another 30 minutes. If it's still stuck, hold the power button for ten seconds "
     "and call me.", ("hardware",), None),
    ("No sound on the classroom laptop",
     "The laptop in class 4 has no sound on video calls, only on videos.",
     "The call app was using the projector as speaker. I've set the laptop speakers as "
     "default.", ("hardware",), "Riverbend Primary School"),
    ("Forwarding rule for the info@ mailbox",
     "Could you forward everything that arrives at info@ to the two of us in the office?",
     "Done: info@ now forwards to both of you and keeps a copy.", ("email",), None),
    ("Data protection request from a patient",
     "A patient asked for a copy of all data we hold about them. Can you help us export it?",
     "I'll export it from the practice system and put it in an encrypted archive; the "
     "password goes to you by phone.", ("security",), "Northgate Dental Practice"),
    ("Second monitor not detected after docking",
     "When I dock my laptop the second monitor stays black.",
     "The dock needed a firmware update. I've installed it; please dock again.",
     ("hardware",), None),
    ("Online shop orders missing from the admin",
     "We received payment for two orders that don't show up in the shop admin.",
     "The order sync stopped after the plugin update. I've re-run it and both orders are "
     "there now.", ("website",), None),
    ("New logo in our e-mail signatures",
     "We have a new logo. Can you update everyone's e-mail signature?",
     "Sure. Send me the logo as a PNG and I'll roll out the new signature to everyone.",
     ("email",), None),
    ("Router lights blinking orange",
     "The lights on the router are blinking orange and we have no internet.",
     "There's an outage at your internet provider in your area. They expect it fixed by "
     "noon; I'll watch it.", ("network",), None),
    ("Refund for the cancelled workshop",
     "We had to cancel the security workshop. Can we get a refund or move the date?",
     "I've moved your booking to next month's date, so nothing is lost.", ("billing",), None),
    ("Shared calendar shows the wrong time zone",
     "Appointments in the shared calendar show one hour later than they should.",
     "The shared calendar still had the wrong time zone. I've corrected it.",
     ("how-to",), None),
    ("Virus warning on a reception PC",
     "The antivirus on a reception PC showed a red warning and asked to restart.",
     "It quarantined a file from a USB stick. I've scanned the PC fully: it's clean.",
     ("security",), None),
    ("Website images load very slowly",
     "The photos on our website take ages to load, especially on phones.",
     "The photos were uploaded at full camera size. I've compressed them and turned on lazy "
     "loading; pages load three times faster.", ("website", "seo"), None),
)
QUERY_STATUSES = ("New",) * 12 + ("Open",) * 16 + ("Waiting on customer",) * 10 + (
    "Resolved",) * 13 + ("Closed",) * 9
QUERY_AGES = {"New": (0, 2), "Open": (1, 7), "Waiting on customer": (2, 10),
              "Resolved": (3, 30), "Closed": (20, 120)}
SLA_HOURS = {1: 4, 2: 24, 3: 72, 4: 120}
REQUESTERS = (
    ("Jamie Collins", "jamie.collins@mailbox.example"),
    ("Aisha Khan", "aisha.khan@post.example"),
    ("Ben Turner", "ben.turner@inbox.example"),
    ("Olga Ivanova", "olga.ivanova@mailbox.example"),
    ("Carlos Mendes", "carlos.mendes@post.example"),
    ("Hannah Berg", "hannah.berg@inbox.example"),
    ("Kwame Mensah", "kwame.mensah@mailbox.example"),
    ("Julia Novak", "julia.novak@post.example"),
)
FOLLOW_UPS = (
    "It happened again just now.",
    "Here's more detail: the error says 'access denied'.",
    "It only happens on my computer, the others are fine.",
    "I tried restarting as you suggested; no change.",
    "Could you call me? It's easier to show you.",
)
CHASERS = ("Any news on this?", "Just checking you got my message.",
           "This is getting urgent for us, could someone have a look today?")
ASKS = (
    "Could you let me know a time this week that suits you?",
    "Could you confirm once you've had a chance to try this?",
    "If it happens again, could you reply with a photo or a screenshot?",
    "Could you let me know whether this works for you before I close the ticket?",
)
THANKS = ("Thanks, that fixed it!", "Works again, thank you for the quick help.",
          "All good now, much appreciated.", "Perfect, thanks a lot.")
CLOSING = "Glad to hear it. I'll close this ticket now; just reply if anything comes back."
NOTES = (
    "Checked the logs: nothing unusual on our side.",
    "Same issue as last month: we should fix the cause instead of restarting it again.",
    "Covered by the retainer, so no extra charge for this one.",
    "Jonas set this up originally; asked him to have a look.",
    "Called them, no answer. Left a voicemail.",
    "Out of warranty: quote a replacement if it happens again.",
    "Upset on the phone; please keep them updated every day.",
    "Workaround in place; the real fix is planned for the next maintenance window.",
    "Third time this quarter. Bring it up at the account review.",
)
CSAT_COMMENTS = {
    5: ("Quick and friendly, thank you!", "Sorted within the hour.", ""),
    4: ("Good help, took a little while.", ""),
    3: ("Fixed in the end, but I had to chase.",),
    2: ("Took three days and two calls.",),
    1: ("Still not happy with how long this took.",),
}
PRIORITY_WEIGHTS = ((1, 5), (2, 20), (3, 55), (4, 15), (5, 5))

# title, list, status, priority, client, assignee, tags, due (days from today), description,
# subtasks (title, status)
TASKS = (
    ("Quarterly business review with Bluefin Logistics", "Accounts", "Doing", 2,
     "Bluefin Logistics", "priya", ("renewal",), 6,
     "Ticket statistics, uptime of the dispatch system and next quarter's plans.",
     (("Pull ticket statistics for the quarter", "Done"), ("Draft the slides", "Doing"),
      ("Book the meeting room", "To do"))),
    ("Renewal proposal for Kestrel Architects", "Accounts", "To do", 2, "Kestrel Architects",
     "priya", ("renewal",), 12, "Include the plotter support and the new NAS.", ()),
    ("Onboarding call with Solstice Solar Installations", "Accounts", "Doing", 3,
     "Solstice Solar Installations", "priya", ("onboarding",), 2, "", ()),
    ("Welcome pack for Aurora Yoga Studio", "Accounts", "To do", 3, "Aurora Yoga Studio", ADMIN,
     ("onboarding",), 5, "Contacts, support hours, how to open a ticket.", ()),
    ("Win-back offer for Atlas Freight Brokers", "Accounts", "To do", 4,
     "Atlas Freight Brokers", "priya", (), None, "Project work only, no retainer.", ()),
    ("Check in with Meadowbrook after the slow tickets", "Accounts", "To do", 1,
     "Meadowbrook Veterinary Clinic", "maria", (), 1,
     "Apologise for the delays and agree a same-day response for booking problems.", ()),
    ("Send proposal to Pinecrest Property Management", "Accounts", "Doing", 2,
     "Pinecrest Property Management", ADMIN, (), 4, "", ()),
    ("Update retainer terms for Whitmore Accountancy", "Accounts", "Done", 3,
     "Whitmore Accountancy", "priya", ("renewal",), -10, "Tax season hours added.", ()),
    ("Plan the summer laptop refresh with Riverbend Primary School", "Accounts", "To do", 3,
     "Riverbend Primary School", "maria", ("hardware",), 30, "",
     (("Count the laptops that are out of warranty", "To do"),
      ("Ask for three quotes", "To do"))),
    ("Christmas cards for retained clients", "Accounts", "To do", 5, None, "maria", (), 40, "",
     ()),
    ("Chase overdue invoice for Harbourview Hotel", "Billing", "In progress", 2,
     "Harbourview Hotel", "priya", ("invoice",), -3, "Second reminder sent; call Sean.", ()),
    ("Credit note for the double charge at Copperleaf Bakery", "Billing", "To do", 2,
     "Copperleaf Bakery", "priya", ("billing",), 3, "", ()),
    ("Update the price list for next year", "Billing", "To do", 3, None, "priya", (), 21, "",
     ()),
    ("Reconcile card payments", "Billing", "Done", 3, None, "sam", (), -5, "", ()),
    ("Set up direct debit for Greenfield Community Trust", "Billing", "In progress", 3,
     "Greenfield Community Trust", "priya", ("billing",), 7, "", ()),
    ("Renew the wildcard TLS certificate", "Internal", "To do", 2, None, "li", ("renewal",), 9,
     "", ()),
    ("Update the remote support tool on all laptops", "Internal", "In progress", 3, None,
     "jonas", (), 5, "", ()),
    ("Knowledge base article: resetting two-factor login", "Internal", "To do", 4, None, "tom",
     ("how-to",), None, "", ()),
    ("Test restore of the office backup", "Internal", "To do", 2, None, "li", ("backup",), 2,
     "Restore one folder and one mailbox; note how long it takes.", ()),
    ("Order spare toner for the office printer", "Internal", "Done", 4, None, "jonas",
     ("printer",), -8, "", ()),
    ("On-call rota for the holidays", "Internal", "In progress", 2, None, ADMIN, (), 10, "", ()),
    ("Clean up shared drive permissions", "Internal", "To do", 4, None, None, ("security",),
     None, "", ()),
    ("Move the password manager to the team plan", "Internal", "Done", 3, None, "li",
     ("security",), -20, "", ()),
    ("Evaluate a new phone system supplier", "Internal", "Dropped", 5, None, ADMIN, (), None,
     "Dropped: the current contract runs another two years.", ()),
)
# title, list, rule, assignee, description
SERIES = (
    ("Send monthly retainer invoices", "Billing", "FREQ=MONTHLY;BYMONTHDAY=1", "priya",
     "Invoice every retained client for the coming period."),
    ("Weekly support report", "Internal", "FREQ=WEEKLY;BYDAY=FR", "maria",
     "Open queries, response times and CSAT of the week."),
    ("Close the books", "Billing", "FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU,WE,TH,FR", "priya",
     "Last working day of the month: reconcile and lock the period."),
    ("Team retrospective", "Internal", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", ADMIN,
     "What went well, what didn't, what we change."),
)
TOPICS = ("the website refresh", "new laptops", "backup testing", "the office move",
          "e-mail security", "the SEO audit results", "Wi-Fi coverage", "next year's budget",
          "staff training", "the phone system")
INTERACTION_KINDS = (("call", 35), ("email", 50), ("meeting", 15))
INTERACTION_SUMMARIES = {
    "call": ("Call with {contact}: went through the open tickets, nothing urgent.",
             "Phoned {contact} about the renewal; wants a written quote.",
             "Check-in call: happy with the service, asked about {topic}.",
             "{contact} called about {topic}; follow-up task created.",
             "Short call to confirm the maintenance window."),
    "email": ("Sent the monthly report to {contact}.",
              "E-mailed {contact} the quote for {topic}.",
              "{contact} asked by e-mail about {topic}.",
              "Sent the invoice with a payment reminder.",
              "Shared the meeting notes and next steps."),
    "meeting": ("On-site visit: reviewed {topic} with {contact}.",
                "Quarterly review with {contact}: priorities for next quarter agreed.",
                "Workshop on {topic} with the team.",
                "Coffee with {contact}; talked about extending the retainer."),
}

# Generated tasks: titles are a verb, an object and either a client or a short suffix.
VERBS = ("Update", "Review", "Prepare", "Check", "Draft", "Follow up on", "Renew", "Order",
         "Schedule", "Archive", "Reconcile", "Clean up", "Test", "Document", "Migrate",
         "Replace", "Configure", "Send", "Approve", "Plan")
OBJECTS = ("invoice run", "supplier quote", "price list", "newsletter", "website copy",
           "firewall rules", "backup report", "onboarding pack", "quarterly figures",
           "printer drivers", "password policy", "timesheets", "domain renewal", "VPN access",
           "mailbox quotas", "laptop inventory", "asset register", "service contract",
           "licence keys", "meeting notes", "SLA report", "support macros", "shipping labels",
           "expense claims", "payroll export", "Wi-Fi passwords", "phone extensions",
           "calendar sharing", "antivirus exclusions", "storage quotas")
SUFFIXES = ("before Friday", "for next month", "(second pass)", "with the team",
            "for the audit", "after the update", "for the new starters", "in the wiki")
DESCRIPTIONS = ("Agreed in the Monday stand-up.", "Notes are in the shared drive.",
                "Waiting for the supplier to confirm the date.",
                "Needs sign-off from the account manager.", "Small: do it between tickets.",
                "Carried over from last month.", "The customer asked for this by e-mail.",
                "Follow the checklist in the wiki.", "Part of the yearly housekeeping.",
                "Coordinate with Fulfilment before starting.")
ESTIMATES = (15, 30, 60, 90, 120, 240, 480)
LIST_WEIGHTS = {"Internal": 35, "Accounts": 25, "Billing": 15, "Support inbox": 15,
                "Orders": 10}
CATEGORY_WEIGHTS = {"open": 40, "active": 30, "done": 22, "closed": 8}
GENERATED_SPAN_DAYS = 730


# --- the builder ---------------------------------------------------------------------------


@dataclass
class _ClientInfo:
    """A client as built: its id, spec and the facts other stages use."""

    id: int
    spec: _ClientSpec
    created_at: datetime
    acquired: date | None


class _Builder:
    """Builds the demo stage by stage; every random choice comes from one seeded generator."""

    def __init__(self, admin: AgentRef, seed: int, now: datetime,
                 progress: Progress | None) -> None:
        self.admin = admin
        self.rng = random.Random(seed)
        self.now = now
        self.today = now.date()
        self.report: Progress = progress or (lambda stage, done, total: None)
        self.ids: dict[type[Model], int] = {}
        self.agent_ids: dict[str, int] = {}
        self.usernames: dict[int, str] = {}
        self.agent_names: dict[int, str] = {}
        self.team_ids: dict[str, int] = {}
        self.list_ids: dict[str, int] = {}
        self.list_teams: dict[str, str | None] = {}
        self.statuses: dict[str, dict[str, tuple[int, str]]] = {}
        self.positions: dict[int, int] = {}
        self.tag_ids: dict[str, int] = {}
        self.client_infos: list[_ClientInfo] = []
        self.by_name: dict[str, _ClientInfo] = {}
        self.products: dict[str, dict] = {}
        self.template_items: dict[str, list[tuple[int, int | None, str]]] = {}
        self.created: list[tuple[str, int, str, datetime, int | None]] = []
        self.interaction_rows: list[dict] = []
        self._reset_task_rows()

    # -- helpers --

    def next_id(self, model: type[Model]) -> int:
        """The next free id of a table (explicit ids let rows refer to each other up front)."""
        if model not in self.ids:
            self.ids[model] = (model.select(fn.MAX(model.id)).scalar() or 0) + 1
        value = self.ids[model]
        self.ids[model] = value + 1
        return value

    def agent(self, username: str) -> int:
        """The id of a demo agent ("@admin" is the agent passed to build)."""
        return self.agent_ids[self.admin.username if username == ADMIN else username]

    def weighted(self, pairs: Sequence[tuple[object, int]]):
        """One value of (value, weight) pairs."""
        values, weights = zip(*pairs, strict=True)
        return self.rng.choices(values, weights)[0]

    def at(self, day: date, earliest: int = 8, latest: int = 17) -> datetime:
        """A working-hours moment on `day`, never later than a few minutes before now."""
        moment = datetime.combine(day, time(self.rng.randint(earliest, latest),
                                            self.rng.randrange(0, 60, 5)))
        latest_moment = self.now - timedelta(minutes=10)
        return min(moment, latest_moment)

    def days_ago(self, low: int, high: int) -> datetime:
        """A working-hours moment between `high` and `low` days ago."""
        return self.at(self.today - timedelta(days=self.rng.randint(low, high)))

    def after(self, moment: datetime, low_minutes: int, high_minutes: int, *,
              office_hours: bool = True) -> datetime:
        """A moment some minutes after `moment`, capped a minute before now.

        With `office_hours` (agents at work) a moment outside 8:00-18:00 moves on to the next
        morning; requesters write at any hour.
        """
        later = moment + timedelta(minutes=self.rng.randint(low_minutes, high_minutes))
        if office_hours and not 8 <= later.hour < 18:
            morning = later.date() + timedelta(days=1 if later.hour >= 18 else 0)
            later = datetime.combine(morning, time(8, self.rng.randrange(0, 60, 5)))
        return min(later, self.now - timedelta(minutes=1))

    def _reset_task_rows(self) -> None:
        """Start collecting a new group of tasks and their links."""
        self.task_rows: list[dict] = []
        self.assignee_rows: list[dict] = []
        self.task_tag_rows: list[dict] = []

    def task(self, *, list_name: str, status: str, title: str, created_at: datetime,
             created_by: int, kind: str = "task", description: str = "", priority: int = 3,
             client: int | None = None, due_at: datetime | None = None,
             closed_at: datetime | None = None, updated_at: datetime | None = None,
             parent: int | None = None, estimate: int | None = None,
             assignees: Iterable[int] = (), tags: Iterable[str] = ()) -> int:
        """Collect one task at the end of its list, keeping the services' invariants."""
        status_id, category = self.statuses[list_name][status]
        list_id = self.list_ids[list_name]
        done = category in DONE_CATEGORIES
        if done and closed_at is None:
            closed_at = min(created_at + timedelta(days=1), self.now - timedelta(minutes=1))
        task_id = self.next_id(Task)
        self.positions[list_id] = position = self.positions.get(list_id, 0) + 1
        team = self.list_teams[list_name]
        self.task_rows.append({
            "id": task_id, "task_list": list_id, "status": status_id, "category": category,
            "parent": parent, "kind": kind, "title": title, "description": description,
            "priority": priority, "team": self.team_ids[team] if team else None,
            "client": client, "start_at": None, "due_at": due_at,
            "estimate_minutes": estimate, "position": position, "created_by": created_by,
            "created_at": created_at, "updated_at": updated_at or closed_at or created_at,
            "closed_at": closed_at if done else None, "snoozed_until": None, "version": 1,
        })
        for agent_id in dict.fromkeys(assignees):
            self.assignee_rows.append({"task": task_id, "agent": agent_id})
        for name in dict.fromkeys(tags):
            self.task_tag_rows.append({"task": task_id, "tag": self.tag_ids[name]})
        self.created.append(("task", task_id, title, created_at, created_by))
        return task_id

    def flush_tasks(self) -> None:
        """Insert the collected tasks, then their assignees and tags."""
        _insert(Task, self.task_rows)
        _insert(TaskAssignee, self.assignee_rows)
        _insert(TaskTag, self.task_tag_rows)
        self._reset_task_rows()

    # -- stages --

    def agents_and_teams(self) -> None:
        """The admin plus six demo agents (one viewer), in four teams."""
        rng = self.rng
        self.agent_ids[self.admin.username] = self.admin.id
        self.usernames[self.admin.id] = self.admin.username
        self.agent_names[self.admin.id] = self.admin.name
        for username, name, local, role, _teams in AGENTS:
            joined = self.now - timedelta(days=rng.randint(200, 1000))
            agent = Agent.get_or_none(Agent.username == username)
            if agent is None:
                agent = Agent.create(username=username, name=name, email=f"{local}@{DOMAIN}",
                                     role=role, created_at=joined)
            self.agent_ids[username] = agent.id
            self.usernames[agent.id] = username
            self.agent_names[agent.id] = agent.name
        for team in TEAMS:
            self.team_ids[team] = Team.get_or_create(name=team)[0].id
        members = [(team, self.admin.username) for team in ADMIN_TEAMS]
        members += [(team, username) for username, *_, teams in AGENTS for team in teams]
        for team, username in members:
            TeamMember.get_or_create(team=self.team_ids[team], agent=self.agent_ids[username])

    def spaces_and_lists(self) -> None:
        """Support, Sales, Finance and Internal with their lists and statuses; the tags."""
        spaces, lists, statuses = [], [], []
        for space_position, (space, space_lists) in enumerate(SPACES, start=1):
            space_id = self.next_id(Space)
            spaces.append({"id": space_id, "name": space, "position": space_position})
            for list_position, (name, flow, team) in enumerate(space_lists, start=1):
                list_id = self.next_id(TaskList)
                lists.append({"id": list_id, "space": space_id, "name": name,
                              "position": list_position})
                self.list_ids[name] = list_id
                self.list_teams[name] = team
                self.statuses[name] = {}
                for position, (status, category) in enumerate(flow):
                    status_id = self.next_id(Status)
                    statuses.append({"id": status_id, "task_list": list_id, "name": status,
                                     "category": category, "position": position})
                    self.statuses[name][status] = (status_id, category)
        _insert(Space, spaces)
        _insert(TaskList, lists)
        _insert(Status, statuses)
        tags = []
        for name in dict.fromkeys(CLIENT_TAGS + TASK_TAGS):
            self.tag_ids[name] = self.next_id(Tag)
            tags.append({"id": self.tag_ids[name], "name": name})
        _insert(Tag, tags)

    def catalogue(self) -> None:
        """Checklist templates with nested items, and the products that use them."""
        orders_list = self.list_ids["Orders"]
        templates, items = [], []
        template_ids: dict[str, int] = {}
        for name, tree in TEMPLATES.items():
            template_id = self.next_id(ChecklistTemplate)
            template_ids[name] = template_id
            templates.append({"id": template_id, "name": name, "task_list": orders_list})
            flat: list[tuple[int, int | None, str]] = []
            position = 0
            for text, children in tree:
                parent_id = self.next_id(ChecklistTemplateItem)
                flat.append((parent_id, None, text))
                items.append({"id": parent_id, "template": template_id, "parent": None,
                              "text": text, "position": position})
                position += 1
                for child_text, _ in children:
                    child_id = self.next_id(ChecklistTemplateItem)
                    flat.append((child_id, parent_id, child_text))
                    items.append({"id": child_id, "template": template_id,
                                  "parent": parent_id, "text": child_text,
                                  "position": position})
                    position += 1
            self.template_items[name] = flat
        _insert(ChecklistTemplate, templates)
        _insert(ChecklistTemplateItem, items)
        products = []
        for name, kind, price, template, weight, note in PRODUCTS:
            product_id = self.next_id(Product)
            products.append({"id": product_id, "name": name, "kind": kind,
                             "unit_price": Decimal(price), "active": True,
                             "checklist_template": template_ids.get(template), "version": 1})
            self.products[name] = {"id": product_id, "kind": kind, "price": Decimal(price),
                                   "template": template, "weight": weight, "note": note}
        _insert(Product, products)

    def clients(self) -> None:
        """About forty clients and customers, their tags, and a year of interactions."""
        rng = self.rng
        rows, tag_rows = [], []
        for spec in CLIENTS:
            client_id = self.next_id(Client)
            if spec.stage in ("lead", "prospect"):
                acquired = None
                created_at = self.days_ago(5, 120)
            else:
                low, high = {"onboarding": (10, 45), "churned": (400, 1095)}.get(
                    spec.stage, (60, 1095))
                days = rng.randint(low, high)
                acquired = self.today - timedelta(days=days)
                created_at = self.at(acquired - timedelta(days=rng.randint(7, 60)))
            info = _ClientInfo(client_id, spec, created_at, acquired)
            self.client_infos.append(info)
            self.by_name[spec.name] = info
            low, high = LEAD_SCORES[spec.stage]
            amount, cycle = spec.retainer or (None, None)
            row = {
                "id": client_id, "kind": spec.kind, "name": spec.name,
                "contact_person": spec.contact, "email": spec.email, "phone": spec.phone,
                "acquisition_date": acquired, "last_contact_at": None,
                "lifecycle_stage": spec.stage, "lead_score": rng.randint(low, high),
                "account_manager": self.agent(spec.manager) if spec.manager else None,
                "retainer_amount": Decimal(amount) if amount else None,
                "retainer_cycle": cycle, "birthday": self.birthday(spec),
                "referred_by": self.by_name[spec.referrer].id if spec.referrer else None,
                "contact_cadence_days": spec.cadence, "confidential": spec.confidential,
                "notes": _client_notes(spec), "created_at": created_at,
                "updated_at": created_at, "version": 1,
            }
            last = self.client_interactions(info)
            row["last_contact_at"] = last
            row["updated_at"] = max(created_at, last or created_at)
            rows.append(row)
            tag_rows += [{"client": client_id, "tag": self.tag_ids[tag]} for tag in spec.tags]
            manager = row["account_manager"] or self.admin.id
            self.created.append(("client", client_id, spec.name, created_at, manager))
        _insert(Client, rows)
        _insert(ClientTag, tag_rows)

    def birthday(self, spec: _ClientSpec) -> date | None:
        """The contact's birthday: a few within the next two weeks, most some time in the year."""
        rng = self.rng
        year = rng.choice((1968, 1972, 1976, 1980, 1984, 1988, 1992))  # leap years: 29 Feb fits
        if spec.name in BIRTHDAYS_SOON:
            soon = self.today + timedelta(days=BIRTHDAYS_SOON[spec.name])
            return date(year, soon.month, soon.day)
        if rng.random() < 0.3:
            return None
        return date(year, rng.randint(1, 12), rng.randint(1, 28))

    def client_interactions(self, info: _ClientInfo) -> datetime | None:
        """Collect a year of calls, e-mails and meetings with a client; returns the latest."""
        rng, spec, today = self.rng, info.spec, self.today
        start = max(info.created_at.date() + timedelta(days=1), today - timedelta(days=365))
        days: list[date] = []
        if spec.kind == "client":
            cadence = spec.cadence or 30
            if spec.stage == "churned":
                end = today - timedelta(days=rng.randint(100, 200))
            elif spec.name in PAST_CADENCE:
                end = today - timedelta(days=cadence + rng.randint(4, 15))
            else:
                end = today - timedelta(days=rng.randint(0, max(1, cadence - 4)))
            day = max(end, start)
            while day >= start:
                days.append(day)
                day -= timedelta(days=max(3, round(cadence * rng.uniform(0.5, 1.0))))
        else:
            count, window = {"lead": (rng.randint(1, 2), 45), "prospect": (rng.randint(2, 3), 90),
                             "churned": (rng.randint(1, 3), 365)}.get(
                                 spec.stage, (rng.randint(2, 6), 365))
            first = max(start, today - timedelta(days=window))
            last = today - timedelta(days=150) if spec.stage == "churned" else today
            span = max(0, (last - first).days)
            days = [first + timedelta(days=rng.randint(0, span)) for _ in range(count)]
        contact = _first_name(spec.contact or spec.name)
        manager = self.agent(spec.manager) if spec.manager else None
        moments = sorted(self.at(day) for day in days)
        for moment in moments:
            kind = self.weighted(INTERACTION_KINDS)
            summary = rng.choice(INTERACTION_SUMMARIES[kind]).format(
                contact=contact, topic=rng.choice(TOPICS))
            agent = manager or self.agent(rng.choice(SUPPORT_AGENTS))
            self.interaction_rows.append({"client": info.id, "agent": agent, "kind": kind,
                                          "summary": summary, "task": None,
                                          "occurred_at": moment})
        return moments[-1] if moments else None

    def orders(self) -> None:
        """About thirty orders with order data and checklists copied from the templates."""
        rng = self.rng
        buyers = [c for c in self.client_infos
                  if c.spec.stage in ("onboarding", "active", "at_risk")]
        products = list(self.products.items())
        statuses = list(ORDER_STATUSES)
        rng.shuffle(statuses)
        ages = {"Received": (0, 5), "In progress": (3, 20), "Fulfilled": (10, 40),
                "Invoiced": (30, 90)}
        specs = []
        for status in statuses:
            name, product = self.weighted([(item, item[1]["weight"]) for item in products])
            buyer = rng.choice(buyers)
            created_at = self.days_ago(*ages[status])
            specs.append((created_at, status, name, product, buyer))
        specs.sort(key=lambda spec: spec[0])
        order_rows, checklists, items = [], [], []
        for created_at, status, name, product, buyer in specs:
            quantity = {"Laptop setup": rng.randint(1, 4), "Support hours (10h)":
                        rng.randint(1, 3), "Security awareness workshop":
                        rng.randint(1, 2)}.get(name, 1)
            unit_price = product["price"]
            if "vip" in buyer.spec.tags:
                unit_price = (unit_price * Decimal("0.90")).quantize(Decimal("0.01"))
            total = (unit_price * quantity).quantize(Decimal("0.01"))
            assignee = self.agent(rng.choice(FULFILMENT_AGENTS))
            creator = self.agent(buyer.spec.manager) if buyer.spec.manager else self.agent(
                rng.choice(MANAGERS))
            fulfilled = invoiced = None
            if status in ("Fulfilled", "Invoiced"):
                fulfilled = self.after(created_at, 3 * 1440, 12 * 1440)
            if status == "Invoiced":
                invoiced = self.after(fulfilled, 1440, 5 * 1440)
            description = (f"{product['note']}\n\n{quantity} × {name} at {unit_price:,.2f} = "
                           f"{total:,.2f}")
            task_id = self.task(
                list_name="Orders", status=status, kind="order", title=f"{name} for "
                f"{buyer.spec.name}", description=description,
                priority=2 if rng.random() < 0.2 else 3, client=buyer.id,
                created_at=created_at, created_by=creator,
                due_at=datetime.combine(created_at.date() + timedelta(days=rng.randint(10, 21)),
                                        time(17)),
                closed_at=fulfilled, updated_at=invoiced or fulfilled, assignees=[assignee],
                tags=("hardware",) if product["kind"] == "product" else (),
            )
            order_rows.append({"task": task_id, "product": product["id"], "quantity": quantity,
                               "unit_price": unit_price, "total": total,
                               "fulfilled_at": fulfilled, "invoiced_at": invoiced})
            if product["template"]:
                self.copy_checklist(task_id, product["template"], status, created_at,
                                    fulfilled, assignee, checklists, items)
        self.flush_tasks()
        _insert(OrderData, order_rows)
        _insert(Checklist, checklists)
        _insert(ChecklistItem, items)

    def copy_checklist(self, task_id: int, template: str, status: str, created_at: datetime,
                       fulfilled: datetime | None, assignee: int, checklists: list[dict],
                       items: list[dict]) -> None:
        """Give an order its product's checklist, with progress that fits its status."""
        checklist_id = self.next_id(Checklist)
        checklists.append({"id": checklist_id, "task": task_id, "name": template,
                           "position": 0})
        flat = self.template_items[template]
        parents = {parent for _, parent, _ in flat if parent is not None}
        leaves = [item_id for item_id, _, _ in flat if item_id not in parents]
        if status in ("Fulfilled", "Invoiced"):
            done_leaves = len(leaves)
        elif status == "In progress":
            done_leaves = self.rng.randint(1, len(leaves) - 1)
        else:
            done_leaves = 0
        done = set(leaves[:done_leaves])
        for item_id, _, _ in flat:
            children = [i for i, p, _ in flat if p == item_id]
            if children and all(child in done for child in children):
                done.add(item_id)
        moment = created_at
        new_ids = {item_id: self.next_id(ChecklistItem) for item_id, _, _ in flat}
        for position, (item_id, parent, text) in enumerate(flat):
            is_done = item_id in done
            if is_done:
                moment = self.after(moment, 30, 1440)
                if fulfilled is not None:
                    moment = min(moment, fulfilled)
            items.append({"id": new_ids[item_id], "checklist": checklist_id,
                          "parent": new_ids[parent] if parent else None, "text": text,
                          "done": is_done, "position": position,
                          "done_at": moment if is_done else None,
                          "done_by": assignee if is_done else None})

    def queries(self) -> None:
        """Sixty support queries with requesters, conversations, SLA times and CSAT."""
        rng = self.rng
        statuses = list(QUERY_STATUSES)
        rng.shuffle(statuses)
        askers = [c for c in self.client_infos if c.spec.stage != "churned"]
        specs = []
        for (subject, message, reply, tags, fixed), status in zip(QUERIES, statuses,
                                                                   strict=True):
            created_at = self.days_ago(*QUERY_AGES[status])
            if fixed:
                client: _ClientInfo | None = self.by_name[fixed]
            else:
                client = rng.choice(askers) if rng.random() < 0.75 else None
            specs.append((created_at, status, subject, message, reply, tags, client))
        specs.sort(key=lambda spec: spec[0])
        query_rows, comments = [], []
        for created_at, status, subject, message, reply, tags, client in specs:
            if client is not None:
                requester = client.spec.contact or client.spec.name
                email = client.spec.email
            else:
                requester, email = rng.choice(REQUESTERS)
            channel = self.weighted((("email", 55), ("form", 30), ("phone", 15)))
            priority = self.weighted(PRIORITY_WEIGHTS)
            sla = SLA_HOURS.get(priority)
            due_at = created_at + timedelta(hours=sla) if sla else None
            unassigned = status == "New" and rng.random() < 0.5
            agent = self.agent(rng.choice(SUPPORT_AGENTS))
            thread, first_response, resolved = self.conversation(
                status, created_at, requester, reply, agent)
            message_id = (f"<{rng.getrandbits(64):016x}@{email.split('@')[1]}>"
                          if channel == "email" else None)
            updated_at = thread[-1]["created_at"] if thread else created_at
            task_id = self.task(
                list_name="Support inbox", status=status, kind="query", title=subject,
                description=message, priority=priority,
                client=client.id if client else None, created_at=created_at,
                created_by=self.agent(rng.choice(SUPPORT_AGENTS)), due_at=due_at,
                closed_at=resolved, updated_at=updated_at,
                assignees=() if unassigned else [agent], tags=tags)
            for comment in thread:
                comment["id"] = self.next_id(Comment)
                comment["task"] = task_id
                comments.append(comment)
            score = None
            remark = ""
            if resolved is not None and rng.random() < 0.65:
                score = self.weighted(((5, 50), (4, 30), (3, 12), (2, 6), (1, 2)))
                remark = rng.choice(CSAT_COMMENTS[score])
            query_rows.append({
                "task": task_id, "requester_name": requester, "requester_email": email,
                "channel": channel, "message_id": message_id,
                "waiting_on": "them" if status == "Waiting on customer" else "us",
                "first_response_at": first_response, "resolved_at": resolved,
                "csat_score": score, "csat_comment": remark,
            })
        self.flush_tasks()
        _insert(QueryData, query_rows)
        _insert(Comment, sorted(comments, key=lambda row: row["id"]))

    def conversation(self, status: str, created_at: datetime, requester: str, reply: str,
                     agent: int) -> tuple[list[dict], datetime | None, datetime | None]:
        """The comments of a query after the requester's first message, in time order.

        Returns them with the first response and resolution times.
        """
        rng = self.rng
        name = self.agent_names[agent]
        first = _first_name(requester)
        thread: list[dict] = []
        moment = created_at

        def add(kind: str, body: str, low: int, high: int) -> datetime:
            nonlocal moment
            by_agent = kind != "message"
            moment = self.after(moment, low, high, office_hours=by_agent)
            thread.append({"kind": kind, "author": agent if by_agent else None,
                           "author_name": name if by_agent else requester, "body": body,
                           "message_id": None, "created_at": moment})
            return moment

        def answer(body: str, low: int, high: int) -> datetime:
            return add("reply", f"Hi {first},\n\n{body}\n\nBest regards,\n{name}", low, high)

        if status == "New":
            if rng.random() < 0.25:
                add("message", rng.choice(CHASERS), 60, 600)
            return thread, None, None
        first_response = answer(reply, 10, 360)
        if rng.random() < 0.4:
            add("note", rng.choice(NOTES), 5, 240)
        resolved = None
        if status == "Open" and rng.random() < 0.5:
            add("message", rng.choice(FOLLOW_UPS), 30, 1440)
        elif status == "Waiting on customer":
            answer(rng.choice(ASKS), 30, 720)
        elif status in ("Resolved", "Closed"):
            if rng.random() < 0.6:
                add("message", rng.choice(THANKS), 30, 1440)
            resolved = answer(CLOSING, 10, 240)
        return thread, first_response, resolved

    def tasks_and_series(self) -> None:
        """Hand-written account, billing and internal tasks, and four recurring series."""
        rng = self.rng
        for (title, list_name, status, priority, client, assignee, tags, due, description,
             subtasks) in TASKS:
            created_at = self.days_ago(2, 40)
            category = self.statuses[list_name][status][1]
            closed_at = (self.after(created_at, 1440, 10 * 1440)
                         if category in DONE_CATEGORIES else None)
            people = [self.agent(assignee)] if assignee else []
            creator = self.agent(rng.choice(MANAGERS))
            due_at = (datetime.combine(self.today + timedelta(days=due), time(17))
                      if due is not None else None)
            parent = self.task(
                list_name=list_name, status=status, title=title, description=description,
                priority=priority, client=self.by_name[client].id if client else None,
                created_at=created_at, created_by=creator, due_at=due_at, closed_at=closed_at,
                assignees=people, tags=tags, estimate=rng.choice((None, 30, 60, 120, 240)))
            for sub_title, sub_status in subtasks:
                sub_category = self.statuses[list_name][sub_status][1]
                self.task(
                    list_name=list_name, status=sub_status, title=sub_title,
                    client=self.by_name[client].id if client else None,
                    created_at=self.after(created_at, 5, 60), created_by=creator,
                    due_at=due_at, parent=parent, assignees=people,
                    closed_at=(self.after(created_at, 120, 3 * 1440)
                               if sub_category in DONE_CATEGORIES else None))
        series_rows = []
        base = datetime.combine(self.today - timedelta(days=182), time(9))
        for title, list_name, rule, assignee, description in SERIES:
            starts_at = rrulestr(rule, dtstart=base).after(base, inc=True)
            next_at = rrulestr(rule, dtstart=starts_at).after(self.now)
            creator = self.agent(assignee)
            created_at = starts_at - timedelta(days=rng.randint(1, 14))
            task_id = self.task(
                list_name=list_name, status=next(iter(self.statuses[list_name])), title=title,
                description=description, created_at=created_at, created_by=creator,
                due_at=next_at, assignees=[creator],
                tags=("invoice",) if "invoice" in title else ())
            series_rows.append({
                "id": self.next_id(RecurringSeries), "task": task_id, "rule": rule,
                "anchor": "schedule", "mode": "new", "skip_weekends": False,
                "skip_if_open": False, "catch_up": "latest", "starts_at": starts_at,
                "until": None, "count": None, "next_at": next_at, "active": True,
                "created_by": creator, "created_at": created_at, "version": 1,
            })
        self.flush_tasks()
        _insert(RecurringSeries, series_rows)

    def interactions(self) -> None:
        """Insert the interactions collected with the clients, oldest first."""
        rows = sorted(self.interaction_rows, key=lambda row: (row["occurred_at"], row["client"]))
        _insert(Interaction, rows)

    def activity(self) -> None:
        """One "created" row in the history of every curated task and client."""
        rows = []
        for entity, entity_id, title, at, agent in self.created:
            rows.append({"at": at, "agent": agent, "actor": self.usernames.get(agent, "system"),
                         "entity": entity, "entity_id": entity_id,
                         "field": "title" if entity == "task" else "name", "old": None,
                         "new": title, "version": 1})
        _insert(Activity, rows)

    # -- generated tasks --

    def top_up(self, target: int, seconds: dict[str, float]) -> None:
        """Generate tasks until the workspace holds `target` in total, timing the stages.

        Raw multi-row INSERTs through executemany, with the secondary indexes of the three
        tables dropped during the load and re-created from their own definitions afterwards
        (sorting once beats updating twenty B-trees a million times), and on PostgreSQL their
        foreign keys too. All inside the caller's transaction: an error leaves the database
        as it was, and a re-created unique index or foreign key re-checks every row.
        """
        missing = target - Task.select().count()
        if missing <= 0:
            return
        stage = "Generated tasks"
        started = clock.perf_counter()
        self.report(stage, 0, missing)
        generator = _Generator(self, missing)
        mark = "?" if is_sqlite() else "%s"
        statements = (_MultiInsert("task", _Generator.COLUMNS, mark),
                      _MultiInsert("task_assignee", ("task_id", "agent_id"), mark),
                      _MultiInsert("task_tag", ("task_id", "tag_id"), mark))
        indexes = _secondary_indexes(BULK_TABLES)
        foreign_keys = [] if is_sqlite() else _foreign_keys(BULK_TABLES)
        with _bulk_cache():
            for table, name, _ in foreign_keys:
                database.execute_sql(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            for name, _ in indexes:
                database.execute_sql(f'DROP INDEX "{name}"')
            cursor = database.cursor()
            for done in range(0, missing, BATCH):
                size = min(BATCH, missing - done)
                rows = generator.batch(done, size)
                for statement, batch in zip(statements, rows, strict=True):
                    statement.execute(cursor, batch)
                self.report(stage, done + size, missing)
            seconds[stage] = round(clock.perf_counter() - started, 3)
            stage, started = "Task indexes", clock.perf_counter()
            restore = [definition for _, definition in indexes] + [
                f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}'
                for table, name, definition in foreign_keys]
            for number, statement in enumerate(restore):
                self.report(stage, number, len(restore))
                database.execute_sql(statement)
            self.report(stage, len(restore), len(restore))
            seconds[stage] = round(clock.perf_counter() - started, 3)


def _secondary_indexes(tables: Sequence[str]) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the indexes on `tables` that no constraint owns."""
    if is_sqlite():
        marks = ", ".join("?" for _ in tables)
        query = (f"SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                 f"AND sql IS NOT NULL AND tbl_name IN ({marks}) ORDER BY name")
    else:
        marks = ", ".join("%s" for _ in tables)
        query = ("SELECT i.indexname, i.indexdef FROM pg_indexes i "
                 f"WHERE i.schemaname = current_schema() AND i.tablename IN ({marks}) "
                 "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = "
                 "format('%%I.%%I', i.schemaname, i.indexname)::regclass) "
                 "ORDER BY i.indexname")
    return [(name, sql) for name, sql in database.execute_sql(query, tuple(tables)).fetchall()]


def _foreign_keys(tables: Sequence[str]) -> list[tuple[str, str, str]]:
    """PostgreSQL: (table, name, definition) of the foreign keys declared on `tables`.

    Each is checked by a trigger per inserted row; the PostgreSQL manual ("Populating a
    Database") advises dropping them for a bulk load and adding them back, which checks every
    row once, in one query.
    """
    marks = ", ".join("%s" for _ in tables)
    query = ("SELECT t.relname, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
             "JOIN pg_class t ON t.oid = c.conrelid "
             "JOIN pg_namespace n ON n.oid = t.relnamespace "
             f"WHERE c.contype = 'f' AND n.nspname = current_schema() AND t.relname IN ({marks}) "
             "ORDER BY t.relname, c.conname")
    return [tuple(row) for row in database.execute_sql(query, tuple(tables)).fetchall()]


@contextmanager
def _bulk_cache() -> Iterator[None]:
    """SQLite: a larger page cache for this connection during the load, restored afterwards."""
    if not is_sqlite():
        yield
        return
    size = database.execute_sql("PRAGMA cache_size").fetchone()[0]
    database.execute_sql(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        database.execute_sql(f"PRAGMA cache_size = {int(size)}")


class _MultiInsert:
    """An INSERT of many rows per statement: far fewer statement runs than one row each.

    SQLite evaluates a CHECK (x IN (...)) by building a small table once per statement run, so
    executemany of one-row statements pays that for every row.
    """

    def __init__(self, table: str, columns: Sequence[str], mark: str) -> None:
        self.row = f"({', '.join([mark] * len(columns))})"
        self.head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
        self.full = self.head + ", ".join([self.row] * ROWS_PER_STATEMENT)

    def execute(self, cursor, rows: list[tuple]) -> None:
        """Insert `rows`: full statements through executemany, then one for the rest."""
        per = ROWS_PER_STATEMENT
        whole = len(rows) - len(rows) % per
        if whole:
            cursor.executemany(self.full, [tuple(chain.from_iterable(rows[i:i + per]))
                                           for i in range(0, whole, per)])
        if whole < len(rows):
            rest = rows[whole:]
            cursor.execute(self.head + ", ".join([self.row] * len(rest)),
                           tuple(chain.from_iterable(rest)))


class _Generator:
    """Rows of generated tasks: cheap per row (precomputed strings, one random() per choice).

    Dates are strings ('YYYY-MM-DD HH:MM:SS'), the form SQLite stores and PostgreSQL casts.
    Ids are explicit and increase with creation time, positions continue each list.
    """

    COLUMNS = ("id", "task_list_id", "status_id", "category", "kind", "title", "description",
               "priority", "team_id", "client_id", "due_at", "estimate_minutes", "position",
               "created_by_id", "created_at", "updated_at", "closed_at", "version")

    def __init__(self, builder: _Builder, count: int) -> None:
        self.count = count
        self.rng = builder.rng
        self.first_id = builder.next_id(Task)
        builder.ids[Task] = self.first_id + count
        today = builder.today
        # One entry per list: (cumulative weight, list id, team id, status table, position).
        self.lists = []
        total = 0
        for name, weight in LIST_WEIGHTS.items():
            total += weight
            statuses = list(builder.statuses[name].values())
            per_category: dict[str, int] = {}
            for _, category in statuses:
                per_category[category] = per_category.get(category, 0) + 1
            weights = [CATEGORY_WEIGHTS[c] / per_category[c] for _, c in statuses]
            cumulative = list(accumulate(weights))
            table = (cumulative, [(sid, c, c in DONE_CATEGORIES) for sid, c in statuses])
            team = builder.list_teams[name]
            list_id = builder.list_ids[name]
            position = (Task.select(fn.MAX(Task.position))
                        .where(Task.task_list == list_id).scalar() or 0)
            self.lists.append([total, list_id, builder.team_ids[team] if team else None, table,
                               position])
        self.list_total = total
        self.list_cumulative = [entry[0] for entry in self.lists]
        self.priorities = list(accumulate(weight for _, weight in PRIORITY_WEIGHTS))
        self.priority_values = [value for value, _ in PRIORITY_WEIGHTS]
        self.clients = [(info.id, info.spec.name) for info in builder.client_infos]
        writers = [builder.agent(name) for name in (ADMIN, "maria", "jonas", "priya", "tom", "li")]
        self.writers = list(dict.fromkeys(writers))
        self.tags = [builder.tag_ids[name] for name in TASK_TAGS]
        self.bases = [f"{verb} {thing}" for verb in VERBS for thing in OBJECTS]
        self.suffixed = [[f"{base} {suffix}" for suffix in SUFFIXES] for base in self.bases]
        self.client_titles: dict[tuple[int, int], str] = {}
        # Days as strings, index = days before today (negative: in the future).
        self.future = 60
        self.days = [(today - timedelta(days=offset)).isoformat() + " "
                     for offset in range(-self.future, GENERATED_SPAN_DAYS + 2)]
        self.times = [f"{hour:02d}:{minute:02d}:00" for hour in range(7, 19)
                      for minute in range(60)]

    def day(self, days_before_today: int) -> str:
        """'YYYY-MM-DD ' for a day relative to today."""
        return self.days[days_before_today + self.future]

    def batch(self, start: int, size: int) -> tuple[list[tuple], list[tuple], list[tuple]]:
        """The rows of generated tasks start..start+size, with their assignees and tags."""
        rng = self.rng
        random = rng.random
        count, span = self.count, GENERATED_SPAN_DAYS
        lists, list_cumulative, list_total = self.lists, self.list_cumulative, self.list_total
        priorities, priority_values = self.priorities, self.priority_values
        clients, writers, tags = self.clients, self.writers, self.tags
        bases, suffixed, client_titles = self.bases, self.suffixed, self.client_titles
        times, n_times = self.times, len(self.times)
        day = self.day
        task_rows: list[tuple] = []
        assignee_rows: list[tuple] = []
        tag_rows: list[tuple] = []
        for index in range(start, start + size):
            task_id = self.first_id + index
            entry = lists[bisect(list_cumulative, random() * list_total)]
            cumulative, statuses = entry[3]
            status_id, category, done = statuses[bisect(cumulative, random() * cumulative[-1])]
            entry[4] += 1
            priority = priority_values[bisect(priorities, random() * priorities[-1])]
            base = int(random() * len(bases))
            client_id = None
            if random() < 0.35:
                which = int(random() * len(clients))
                client_id, client_name = clients[which]
                title = client_titles.get((base, which))
                if title is None:
                    title = client_titles[(base, which)] = f"{bases[base]} for {client_name}"
            elif random() < 0.3:
                title = suffixed[base][int(random() * len(SUFFIXES))]
            else:
                title = bases[base]
            # Older ids were created earlier: from two years ago up to yesterday.
            created_days = 1 + (span - 1) * (count - index) // count
            created_at = day(created_days) + times[int(random() * n_times)]
            closed_at = None
            if done:
                closed_days = max(1, created_days - int(random() * 20))
                closed_at = (created_at if closed_days == created_days
                             else day(closed_days) + times[int(random() * n_times)])
            due_at = None
            if random() < 0.55:
                due_days = (created_days - 1 - int(random() * 30) if done
                            else int(random() * 65) - 45)
                due_at = day(max(due_days, -self.future)) + "17:00:00"
            task_rows.append((
                task_id, entry[1], status_id, category, "task", title,
                DESCRIPTIONS[int(random() * len(DESCRIPTIONS))] if random() < 0.25 else "",
                priority, entry[2], client_id, due_at,
                ESTIMATES[int(random() * len(ESTIMATES))] if random() < 0.3 else None,
                entry[4], writers[int(random() * len(writers))], created_at,
                closed_at or created_at, closed_at, 1,
            ))
            roll = random()
            if roll < 0.85:
                first = int(random() * len(writers))
                assignee_rows.append((task_id, writers[first]))
                if roll >= 0.75:
                    second = (first + 1 + int(random() * (len(writers) - 1))) % len(writers)
                    assignee_rows.append((task_id, writers[second]))
            roll = random()
            if roll < 0.5:
                first = int(random() * len(tags))
                tag_rows.append((task_id, tags[first]))
                if roll >= 0.4:
                    second = (first + 1 + int(random() * (len(tags) - 1))) % len(tags)
                    tag_rows.append((task_id, tags[second]))
        return task_rows, assignee_rows, tag_rows


# --- small helpers -------------------------------------------------------------------------


def _insert(model: type[Model], rows: list[dict]) -> None:
    """Insert seed rows in chunks that stay below every driver's parameter limit."""
    for start in range(0, len(rows), INSERT_CHUNK):
        model.insert_many(rows[start:start + INSERT_CHUNK]).execute()


def _first_name(person: str) -> str:
    """How a reply greets someone: 'Dr Hannah Moss' -> 'Hannah', 'Blue Door Café' -> 'Blue'."""
    words = [word for word in person.split() if word.rstrip(".") not in TITLES]
    return words[0] if words else person


def _client_notes(spec: _ClientSpec) -> str:
    """A client's notes: a short Markdown requirements document (a line for customers)."""
    if spec.kind != "client":
        return spec.note
    lines = [f"# {spec.name}: requirements", "",
             f"**Decision maker:** {spec.contact}  "]
    if spec.retainer:
        amount, cycle = spec.retainer
        lines.append(f"**Retainer:** {Decimal(amount):,.2f} {cycle}, reviewed every January  ")
    if spec.cadence:
        lines.append(f"**Contact:** at least every {spec.cadence} days")
    lines += ["", "## What they need", *(f"- {need}" for need in spec.needs), "",
              "## Working with them", spec.note, ""]
    return "\n".join(lines)
