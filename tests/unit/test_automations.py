"""The automation processor on both backends: each shipped rule end to end (the triggering
change made through the services, then the processor, then what the database holds and its
history under the rule's name), round-robin turns, the loop guard, two processors at once,
time triggers firing once, a failing rule undone, the dry run changing nothing, the checks
against the workspace, and the command line."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import msgspec
import pytest
import yaml
from conftest import run_children
from playhouse.migrations import Runner
from smtp_server import smtp_server

from desk import db as desk_db
from desk import sla
from desk.automation import processor as automations
from desk.automation import rules, workspace_names
from desk.automation.rules import Problem
from desk.cli import main
from desk.config import Settings, SmtpSettings
from desk.crm import clients, interactions
from desk.demo import content
from desk.kernel import agents
from desk.mail import delivery
from desk.models import (
    Activity,
    Agent,
    Event,
    Outbox,
    QueryData,
    RuleFiring,
    Task,
    TaskList,
    database,
)
from desk.support import intake
from desk.work import checklists, comments, orders, tasks, workspace

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 18, 10, 30, tzinfo=BERLIN)  # a Wednesday
SHIPPED = rules.parse(Settings().automations)
RULES = sla.book(Settings())  # the shipped SLA rules and calendar
EXAMPLE = Path(__file__).parents[2] / "config.example.yaml"
CHILD_TIMEOUT = 120
FLOWS = content.load().workspace.flows  # the demo's statuses, named in its data files
HELPDESK, ORDER_FLOW, THREE_STEPS, BILLING_FLOW, INTERNAL_FLOW = (
    FLOWS[name] for name in ("helpdesk", "orders", "three_steps", "billing", "internal"))


@dataclass
class Shop:
    """A small workspace: lists of every kind, two agents, a client with an account
    manager, and the ids tests need."""

    admin: agents.AgentRef
    maria: agents.AgentRef
    client_id: int
    lists: dict[str, int]


@pytest.fixture
def shop(admin) -> Shop:
    """Support inbox, Orders, Accounts, Billing and Internal; maria (Support) and priya
    (Billing); Acme GmbH, managed by maria; the product Laptop setup."""
    lists = {}
    for space, names in (("Support", (("Support inbox", HELPDESK),)),
                         ("Sales", (("Orders", ORDER_FLOW), ("Accounts", THREE_STEPS))),
                         ("Finance", (("Billing", BILLING_FLOW),)),
                         ("Internal", (("Internal", INTERNAL_FLOW),))):
        workspace.create_space(admin, space)
        for name, flow in names:
            lists[name] = workspace.create_list(admin, space, name, flow).id
    maria = agents.add(admin, "maria", name="Maria Keller", email="maria@brightline.example",
                       teams=("Support",))
    agents.add(admin, "priya", name="Priya Raman", teams=("Billing",))
    client = clients.create(admin, "Acme GmbH", kind="client", contact_person="Anna Schmidt",
                            email="anna@acme.example", account_manager="maria")
    orders.create_product(admin, "Laptop setup", unit_price="1290.00")
    return Shop(admin, maria, client.row.id, lists)


def rules_of(text: str) -> tuple[rules.Rule, ...]:
    """Rules from YAML text."""
    return rules.parse(yaml.safe_load(text))


def move(agent: agents.AgentRef, task_id: int, **changes: object) -> None:
    """Change a task through the service, at its current version."""
    tasks.update(agent, task_id, tasks.get(task_id).row.version, **changes)


def on_list(name: str) -> list[tasks.TaskRow]:
    """The tasks of a list, oldest first."""
    ids = [task_id for (task_id,) in Task.select(Task.id).join(TaskList)
           .where(TaskList.name == name).order_by(Task.id).tuples()]
    return tasks.rows_for(ids)


def invoices() -> list[tasks.TaskRow]:
    """The Billing list's tasks but the retainer reports (a demo's retainer cycles end too)."""
    return [row for row in on_list("Billing") if not row.title.startswith("Send ")]


def by_rule(name: str, entity_id: int, entity: str = "task") -> dict[str, str | None]:
    """The activity the rule `name` recorded on a row: field -> new value."""
    query = (Activity.select(Activity.field, Activity.new)
             .where((Activity.actor == f"rule:{name}") & (Activity.entity == entity)
                    & (Activity.entity_id == entity_id)).tuples())
    return dict(query)


def snapshot(db) -> dict[str, str]:
    """A digest of every row of every table."""
    digests = {}
    for table in sorted(db.get_tables()):
        rows = db.execute_sql(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()
        digests[table] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digests


# --- the shipped rules, end to end ---------------------------------------------------------


def test_a_fulfilled_order_gets_an_invoice_task_and_a_note(shop):
    order = orders.create_order(shop.admin, shop.client_id, "Laptop setup", 2).task.row
    move(shop.maria, order.id, status="Fulfilled")

    report = automations.process(SHIPPED, NOW, sla_rules=RULES)

    [invoice] = on_list("Billing")
    assert (invoice.title, invoice.client_id, invoice.tags, invoice.assignees) == (
        "Invoice 2 × Laptop setup for Acme GmbH", shop.client_id, ("invoice",), ("priya",))
    assert Task.get_by_id(invoice.id).due_at == datetime(2026, 11, 20, 22, 59, 59)  # Berlin
    [note] = comments.for_task(order.id)
    assert (note.kind, note.body) == ("note", "Fulfilled: Billing has a task to invoice it.")
    rule = "invoice a fulfilled order"
    assert by_rule(rule, invoice.id)["title"] == invoice.title
    assert by_rule(rule, invoice.id)["assignees"] == "priya"
    assert by_rule(rule, order.id) == {"note": note.body}
    assert Activity.get(Activity.actor == f"rule:{rule}").agent_id == shop.admin.id
    created = Event.get((Event.kind == "task.created") & (Event.entity_id == invoice.id))
    assert created.depth == 1
    assert report.fired == [
        f'rule "{rule}" on task {order.id} "2 × Laptop setup for Acme GmbH": create task '
        '"Invoice 2 × Laptop setup for Acme GmbH" on Billing, due 2026-11-20 23:59, for '
        "priya; add a note"]
    assert (report.warnings, report.errors) == ([], [])
    assert not Event.select().where(Event.processed_at.is_null()).exists()


def test_a_resolved_query_queues_the_survey_email(shop):
    query = tasks.create(shop.maria, "Printer jams", shop.lists["Support inbox"], kind="query",
                         client_id=shop.client_id, sla_rules=RULES).row
    QueryData.update(requester_name="Jamie Collins", requester_email="jamie@acme.example").where(
        QueryData.task == query.id).execute()  # as intake will have stored them
    move(shop.maria, query.id, status="Resolved")

    automations.process(SHIPPED, NOW, sla_rules=RULES)

    [mail] = Outbox.select()
    assert (mail.to_address, mail.subject, mail.status, mail.attempts, mail.task_id,
            mail.client_id, mail.sent_at) == (
        "jamie@acme.example", f"How did we do? [#{query.id}] Printer jams", "queued", 0,
        query.id, shop.client_id, None)
    assert mail.body.startswith("Hello Jamie Collins,\n\nyour query \"Printer jams\" is resolved")
    assert mail.body.endswith("Thank you,\nMaria Keller\n")  # who resolved it
    assert by_rule("survey a resolved query", query.id) == {
        "email": f"jamie@acme.example: How did we do? [#{query.id}] Printer jams"}
    queued = Event.get(Event.kind == "email.queued")
    assert (queued.depth, queued.entity_id) == (1, query.id)


def test_the_survey_round_trip_from_resolving_to_the_score_coming_back(shop):
    query = tasks.create(shop.maria, "Printer jams", shop.lists["Support inbox"], kind="query",
                         client_id=shop.client_id, sla_rules=RULES).row
    QueryData.update(requester_name="Jamie Collins", requester_email="jamie@acme.example").where(
        QueryData.task == query.id).execute()
    move(shop.maria, query.id, status="Resolved")
    automations.process(SHIPPED, NOW, sla_rules=RULES)  # the shipped rule queues the survey

    smtp = SmtpSettings(host="127.0.0.1", security="none", from_address="help@shop.example")
    with smtp_server() as server:
        smtp = msgspec.structs.replace(smtp, port=server.port)
        report = delivery.deliver(Settings(smtp=smtp), NOW)
        [sent] = server.received
    survey = sent.message
    assert report.sent and sent.rcpt_tos == ("jamie@acme.example",)
    assert survey["Subject"] == f"How did we do? [#{query.id}] Printer jams"

    answer = EmailMessage()
    answer["From"] = "Jamie Collins <jamie@acme.example>"
    answer["To"] = "help@shop.example"
    answer["Subject"] = f"Re: {survey['Subject']}"
    answer["Message-ID"] = "<answer-1@acme.example>"
    answer["In-Reply-To"] = survey["Message-ID"]
    answer.set_content("4\n\nQuick and friendly, thanks!\n\n> How did we do?\n")
    options = intake.IntakeOptions(list_name="Support inbox", sla_rules=RULES)
    outcome = intake.take_mail(shop.admin, bytes(answer), "survey answer", options, now=NOW)

    data = QueryData.get_by_id(query.id)
    assert (outcome.task_id, data.csat_score, data.csat_comment) == (
        query.id, 4, "Quick and friendly, thanks!")
    assert tasks.get(query.id).row.status == "Resolved"  # a score does not reopen it


def test_without_a_requester_the_survey_goes_to_the_client(shop):
    query = tasks.create(shop.maria, "Wi-Fi drops", shop.lists["Support inbox"], kind="query",
                         client_id=shop.client_id, sla_rules=RULES).row
    move(shop.maria, query.id, status="Resolved")
    automations.process(SHIPPED, NOW, sla_rules=RULES)
    [mail] = Outbox.select()
    assert mail.to_address == "anna@acme.example"
    assert mail.body.startswith("Hello Anna Schmidt,")


def test_a_sent_proposal_gets_a_follow_up_in_three_business_days(shop):
    proposal = tasks.create(shop.admin, "Send proposal to Acme", shop.lists["Accounts"],
                            client_id=shop.client_id).row
    review = tasks.create(shop.admin, "Quarterly review", shop.lists["Accounts"]).row
    move(shop.admin, proposal.id, status="Done")
    move(shop.admin, review.id, status="Done")

    automations.process(SHIPPED, NOW, sla_rules=RULES)

    follow_up = on_list("Accounts")[-1]
    assert (follow_up.title, follow_up.assignees, follow_up.client_id) == (
        "Follow up with Anna Schmidt", ("maria",), shop.client_id)
    # Wednesday + 3 business days = Monday, the end of the day in Berlin
    assert Task.get_by_id(follow_up.id).due_at == datetime(2026, 11, 23, 22, 59, 59)
    assert tasks.get(follow_up.id).description == (
        "Send proposal to Acme: done on 2026-11-18. Ask how it landed.")
    assert len(on_list("Accounts")) == 3  # the review was no proposal
    assert by_rule("follow up a sent proposal", follow_up.id)["due_at"] == "2026-11-23 22:59:59"


def test_a_birthday_a_week_ahead_gets_a_greetings_task_once(shop):
    clients.update(shop.admin, shop.client_id, 1, birthday=date(1985, 11, 25))
    later = clients.create(shop.admin, "Later Ltd", birthday=date(1990, 11, 26)).row

    report = automations.scan(SHIPPED, NOW, sla_rules=RULES, currency="GBP")

    [greetings] = on_list("Accounts")
    assert (greetings.title, greetings.assignees, greetings.client_id) == (
        "Send birthday greetings to Anna Schmidt", ("maria",), shop.client_id)
    assert Task.get_by_id(greetings.id).due_at == datetime(2026, 11, 25, 22, 59, 59)
    assert by_rule("birthday greetings", greetings.id)["title"] == greetings.title
    assert [(f.rule, f.entity, f.entity_id, f.key) for f in RuleFiring.select()] == [
        ("birthday greetings", "client", shop.client_id, "birthday 2026-11-25")]
    assert len(report.fired) == 1
    again = automations.scan(SHIPPED, NOW, sla_rules=RULES, currency="GBP")
    assert again.fired == [] and len(on_list("Accounts")) == 1
    next_day = automations.scan(SHIPPED, datetime(2026, 11, 19, 8, 0, tzinfo=BERLIN),
                                sla_rules=RULES, currency="GBP")
    assert [line.split(":")[0] for line in next_day.fired] == [
        f'rule "birthday greetings" on client {later.id} "Later Ltd"']


def test_a_29_february_birthday_is_kept_on_28_february_in_a_common_year(shop):
    clients.update(shop.admin, shop.client_id, 1, birthday=date(2000, 2, 29))
    automations.scan(SHIPPED, datetime(2027, 2, 21, 9, 0, tzinfo=BERLIN), sla_rules=RULES,
                     currency="GBP")
    [greetings] = on_list("Accounts")
    assert Task.get_by_id(greetings.id).due_at == datetime(2027, 2, 28, 22, 59, 59)


def test_the_shipped_rules_work_on_the_demo_workspace(demo_workspace):
    admin = agents.acting()
    text = EXAMPLE.read_text(encoding="utf-8")
    assert workspace_names.check(text, "config.example.yaml") == []
    order = (Task.select().where((Task.kind == "order") & (Task.category == "active"))
             .order_by(Task.id).first())  # by id: without an order PostgreSQL returns any
    move(admin, order.id, status="Fulfilled")
    billing = len(invoices())

    report = automations.run_automations(Settings(), NOW)

    assert report.errors == [] and len(invoices()) == billing + 1
    assert invoices()[-1].assignees == ("priya",)  # sam, a viewer, gets no turn
    assert any(line.startswith('rule "birthday greetings"') for line in report.fired)


# --- the other triggers and actions --------------------------------------------------------


def test_field_stage_and_checklist_triggers(shop):
    rule_set = rules_of("""
- name: escalate
  when: {field_changed: {field: priority, to: urgent}}
  do: [{tag: escalated}, {note: "Escalated by {agent.name}"}]
- name: save the account
  when: {client_stage_changed: {to: at_risk}}
  if: {client_kind: client}
  do:
    - create_task: {title: "Save {client.name}", list: Accounts, assign: account_manager}
    - log_interaction: {kind: note, summary: "{client.name} is at risk"}
    - email: {to: account_manager, subject: "{client.name} is at risk", body: "Call them."}
- name: close when checked
  when: checklist_completed
  do: [{set: {status: Done, priority: low}}]
""")
    urgent = tasks.create(shop.admin, "Server down", shop.lists["Internal"]).row
    calm = tasks.create(shop.admin, "Tidy up", shop.lists["Internal"]).row
    move(shop.maria, urgent.id, priority="urgent")
    move(shop.maria, calm.id, priority="high")
    clients.update(shop.admin, shop.client_id, 1, lifecycle_stage="at_risk")
    checklist = checklists.add_checklist(shop.admin, calm.id, "Steps")
    checklists.set_done(shop.admin, checklists.add_item(shop.admin, checklist, "Only"), 1, True)

    report = automations.process(rule_set, NOW, sla_rules=RULES)

    assert report.errors == []
    assert tasks.get(urgent.id).row.tags == ("escalated",)
    assert [c.body for c in comments.for_task(urgent.id)] == ["Escalated by Maria Keller"]
    assert tasks.get(calm.id).row.tags == ()
    [saved] = on_list("Accounts")
    assert (saved.title, saved.assignees, saved.client_id) == (
        "Save Acme GmbH", ("maria",), shop.client_id)
    assert [i.summary for i in interactions.for_client(shop.client_id)] == [
        "Acme GmbH is at risk"]
    assert [(m.to_address, m.subject, m.task_id) for m in Outbox.select()] == [
        ("maria@brightline.example", "Acme GmbH is at risk", None)]
    assert by_rule("save the account", shop.client_id, "client") == {
        "email": "maria@brightline.example: Acme GmbH is at risk",
        "last_contact_at": by_rule("save the account", shop.client_id,
                                   "client")["last_contact_at"]}
    done = tasks.get(calm.id).row
    assert (done.status, done.priority) == ("Done", "low")
    assert by_rule("close when checked", calm.id) == {"status": "Done", "priority": "low"}


def test_a_due_rule_fires_once_per_due_moment(shop):
    rule_set = rules_of("""
- name: chase
  when: {due: {reached: true}}
  if: {list: Internal}
  do: [{note: "Due {task.due} has passed"}]
- name: warn
  when: {due: {within: 1d}}
  if: {list: Internal}
  do: [{tag: soon}]
""")
    late = tasks.create(shop.admin, "Renew certificate", shop.lists["Internal"],
                        due_at=datetime(2026, 11, 18, 10, 0, tzinfo=BERLIN)).row
    tomorrow = tasks.create(shop.admin, "Backup test", shop.lists["Internal"],
                            due_at=datetime(2026, 11, 19, 9, 0, tzinfo=BERLIN)).row
    tasks.create(shop.admin, "Ancient", shop.lists["Internal"],
                 due_at=datetime(2026, 11, 1, 9, 0, tzinfo=BERLIN))
    elsewhere = tasks.create(shop.admin, "Pay rent", shop.lists["Billing"],
                             due_at=datetime(2026, 11, 18, 9, 0, tzinfo=BERLIN)).row

    automations.scan(rule_set, NOW, sla_rules=RULES, currency="GBP")
    automations.scan(rule_set, NOW, sla_rules=RULES, currency="GBP")

    assert [c.body for c in comments.for_task(late.id)] == ["Due 2026-11-18 10:00 has passed"]
    assert tasks.get(late.id).row.tags == ("soon",)
    assert tasks.get(tomorrow.id).row.tags == ("soon",)
    assert comments.for_task(tomorrow.id) == []
    assert comments.for_task(elsewhere.id) == [] and tasks.get(elsewhere.id).row.tags == ()
    move(shop.admin, late.id, due_at=datetime(2026, 11, 19, 9, 0, tzinfo=BERLIN))
    automations.scan(rule_set, datetime(2026, 11, 19, 9, 30, tzinfo=BERLIN), sla_rules=RULES,
                     currency="GBP")
    assert [c.body for c in comments.for_task(late.id)] == [
        "Due 2026-11-18 10:00 has passed", "Due 2026-11-19 09:00 has passed"]
    assert RuleFiring.select().where(RuleFiring.rule == "chase").count() == 3


def test_a_time_trigger_is_judged_once_when_its_moment_comes(shop):
    rule_set = rules_of("""
- name: chase vip
  when: {due: {reached: true}}
  if: {tag: vip}
  do: [{note: "Chase"}]
""")
    plain = tasks.create(shop.admin, "Plain", shop.lists["Internal"],
                         due_at=datetime(2026, 11, 18, 10, 0, tzinfo=BERLIN)).row
    automations.scan(rule_set, NOW, sla_rules=RULES, currency="GBP")
    move(shop.admin, plain.id, tags=["vip"])  # too late: its moment was judged without it

    assert automations.scan(rule_set, NOW, sla_rules=RULES, currency="GBP").fired == []
    assert comments.for_task(plain.id) == []
    assert [(f.entity_id, f.key) for f in RuleFiring.select()] == [
        (plain.id, "due 2026-11-18 09:00:00")]
    limited = [tasks.create(shop.admin, f"Vip {n}", shop.lists["Internal"], tags=["vip"],
                            due_at=datetime(2026, 11, 18, 9, n, tzinfo=BERLIN)).row.id
               for n in range(3)]
    # the rest next time
    assert len(automations.scan(rule_set, NOW, limit=2, sla_rules=RULES, currency="GBP").fired) == 2
    assert len(automations.scan(rule_set, NOW, limit=2, sla_rules=RULES, currency="GBP").fired) == 1
    assert all(len(comments.for_task(task_id)) == 1 for task_id in limited)


def test_round_robin_takes_turns_and_skips_people_away_and_viewers(shop):
    agents.add(shop.admin, "tom", teams=("Support",))
    agents.add(shop.admin, "li", teams=("Support",))
    agents.add(shop.admin, "sam", role="viewer", teams=("Support",))
    Agent.update(away=True).where(Agent.username == "li").execute()
    rule_set = rules_of("""
- name: share the inbox
  when: task_created
  if: {list: Support inbox}
  do: [{assign: {round_robin: Support}}]
""")

    def assignees_of_new_queries(count: int) -> list[tuple[str, ...]]:
        created = [tasks.create(shop.admin, f"Query {n}", shop.lists["Support inbox"],
                                kind="query", sla_rules=RULES).row.id
                   for n in range(count)]
        automations.process(rule_set, NOW, sla_rules=RULES)
        return [tasks.get(task_id).row.assignees for task_id in created]

    assert assignees_of_new_queries(4) == [("maria",), ("tom",), ("maria",), ("tom",)]
    Agent.update(away=False).where(Agent.username == "li").execute()
    assert assignees_of_new_queries(3) == [("li",), ("maria",), ("tom",)]


def test_a_rule_that_triggers_itself_stops_at_the_depth_limit(shop):
    rule_set = rules_of("""
- name: echo
  when: task_created
  if: {list: Internal}
  do: [{create_task: {title: "Echo of {task.title}"}}]
""")
    tasks.create(shop.admin, "Ping", shop.lists["Internal"])

    report = automations.process(rule_set, NOW, sla_rules=RULES)

    titles = [row.title for row in on_list("Internal")]
    assert titles == ["Ping"] + ["Echo of " * n + "Ping" for n in range(1, 6)]
    depths = [event.depth for event in Event.select().where(Event.kind == "task.created")
              .order_by(Event.id)]
    assert depths == [0, 1, 2, 3, 4, 5]
    last = on_list("Internal")[-1]
    assert report.warnings == [
        f'rule "echo" on task {last.id} "{last.title}": not applied: the change comes from '
        "5 rules in a row (the limit is 5); does a rule trigger itself?"]
    assert len(report.fired) == 5
    again = automations.process(rule_set, NOW, sla_rules=RULES)
    assert (again.fired, again.warnings, len(on_list("Internal"))) == ([], [], 6)


def test_an_sla_breach_escalates_through_a_rule(shop):
    rule_set = rules_of("""
- name: escalate late answers
  when: {sla_breached: {target: first_response}}
  do: [{set: {priority: urgent}}, {note: "First answer is late: escalated"}]
- name: only resolutions
  when: {sla_breached: {target: resolution}}
  do: [{tag: late}]
""")
    task_id = tasks.create(shop.admin, "Printer down", shop.lists["Support inbox"],
                           kind="query", priority="normal", sla_rules=RULES).row.id
    due = datetime(2026, 11, 17, 9, 0)
    (QueryData.update(first_response_due=due, resolution_due=due + timedelta(days=5))
     .where(QueryData.task == task_id).execute())

    assert sla.scan(NOW, RULES).breached == [(task_id, "first_response")]
    report = automations.process(rule_set, NOW, sla_rules=RULES)

    assert report.errors == [] and len(report.fired) == 1
    assert tasks.get(task_id).row.priority == "urgent"
    assert tasks.get(task_id).row.tags == ()
    assert [c.body for c in comments.for_task(task_id)] == ["First answer is late: escalated"]
    assert by_rule("escalate late answers", task_id)["priority"] == "urgent"


def test_a_failing_rule_is_undone_and_reported_while_others_act(shop):
    rule_set = rules_of("""
- name: broken
  when: task_created
  do: [{tag: seen}, {create_task: {title: "Copy", list: Nowhere}}]
- name: works
  when: task_created
  do: [{note: "Welcome"}]
""")
    task = tasks.create(shop.admin, "Hello", shop.lists["Internal"]).row

    report = automations.process(rule_set, NOW, sla_rules=RULES)

    assert report.errors == [
        f'rule "broken" on task {task.id} "Hello": do[1].create_task: no list named '
        "'Nowhere' (the rule was undone)"]
    assert tasks.get(task.id).row.tags == ()
    assert by_rule("broken", task.id) == {}
    assert [c.body for c in comments.for_task(task.id)] == ["Welcome"]
    assert not Event.select().where(Event.processed_at.is_null()).exists()


def process_in_child(url: str, barrier, results) -> None:
    """Child process: open the database, wait for the sibling, run the processor, report
    how many events it took and what fired."""
    try:
        desk_db.connect(url)
        barrier.wait(CHILD_TIMEOUT)
        report = automations.process(SHIPPED, NOW, sla_rules=RULES)
        results.put(("ok", report.fired, report.skipped))
    except Exception as error:  # reported to the parent, which fails the test with it
        results.put(("error", f"{type(error).__name__}: {error}", 0))


@pytest.mark.serial
def test_two_processors_at_once_act_on_an_event_once(shop, db_url):
    for _ in range(3):
        order = orders.create_order(shop.admin, shop.client_id, "Laptop setup", 1).task.row
        move(shop.admin, order.id, status="Fulfilled")
    database.close()

    reports = run_children(process_in_child, [(db_url,), (db_url,)], CHILD_TIMEOUT)

    assert [status for status, *_ in reports] == ["ok", "ok"], reports
    fired = [line for _, lines, _ in reports for line in lines]
    assert len(fired) == 3
    database.connect(reuse_if_open=True)
    assert len(on_list("Billing")) == 3
    assert Activity.select().where(Activity.actor == "rule:invoice a fulfilled order",
                                   Activity.field == "note").count() == 3


# --- the dry run and the checks ------------------------------------------------------------


def test_a_dry_run_shows_what_would_happen_and_changes_nothing(shop, db):
    clients.update(shop.admin, shop.client_id, 1, birthday=date(1985, 11, 25))
    order = orders.create_order(shop.admin, shop.client_id, "Laptop setup", 2).task.row
    move(shop.admin, order.id, status="Fulfilled")
    before = snapshot(db)

    lines = automations.dry_run(SHIPPED, NOW, sla_rules=RULES, currency="GBP")

    assert snapshot(db) == before
    assert [line.split(":")[0] for line in lines] == [
        f'rule "birthday greetings" on client {shop.client_id} "Acme GmbH"',
        f'rule "invoice a fulfilled order" on task {order.id} "2 × Laptop setup for Acme GmbH"']
    assert automations.run_automations(Settings(), NOW).lines() == lines
    assert automations.dry_run(SHIPPED, NOW, sla_rules=RULES, currency="GBP") == []
    replayed = automations.dry_run(SHIPPED, NOW, since=datetime(2026, 1, 1, tzinfo=BERLIN),
                                   sla_rules=RULES, currency="GBP")
    assert replayed == lines[1:]  # the birthday has fired already


def test_check_names_what_the_workspace_lacks_with_its_line(shop):
    text = """\
automations:
  - name: send to billing
    when: {status_changed: {to: Fulfiled}}
    if: {list: Orders}
    do:
      - create_task:
          title: Invoice
          list: Invoicing
          template: Invoice steps
          assign: {round_robin: Ghosts}
      - assign: nobody
"""
    assert workspace_names.check(text, "desk.yaml") == [
        Problem("send to billing", "when.status_changed.to", 3,
                "no list has a status named 'fulfiled'", "desk.yaml"),
        Problem("send to billing", "do[0].create_task.list", 8,
                "no list named 'Invoicing'", "desk.yaml"),
        Problem("send to billing", "do[0].create_task.template", 9,
                "no checklist template named 'Invoice steps'", "desk.yaml"),
        Problem("send to billing", "do[0].create_task.assign", 10,
                "no team named 'Ghosts'", "desk.yaml"),
        Problem("send to billing", "do[1].assign", 11, "no agent named 'nobody'", "desk.yaml"),
    ]
    assert workspace_names.check("theme: desk-dark\n") == []  # the built-in rules fit this shop


def test_the_migration_marks_earlier_events_processed(fresh_url):
    db = desk_db.connect(fresh_url)
    try:
        Runner(db, str(desk_db.MIGRATIONS_DIR)).up(target="0002_search")
        old = Event.create(kind="task.created", entity="task", entity_id=1)
        assert "0003_automations" in desk_db.migrate(db)
        assert Event.get_by_id(old.id).processed_at is not None
        assert {"outbox", "rule_firing", "round_robin"} <= set(db.get_tables())
    finally:
        db.close()


# --- the command line ----------------------------------------------------------------------


@pytest.fixture
def desk_cli(migrated_url, tmp_path, capsys, monkeypatch):
    """Run `desk ARGS...` with a config file (written by the test) on the test database
    (made with desk init); returns (run, config path)."""
    monkeypatch.setenv("DESK_DATABASE", migrated_url)
    config = tmp_path / "config.yaml"
    config.write_text("timezone: Europe/Berlin\n", encoding="utf-8")
    monkeypatch.setenv("DESK_CONFIG", str(config))
    assert main(["init"]) == 0
    capsys.readouterr()

    def run(*args: str) -> tuple[int, str, str]:
        status = main(list(args))
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run, config


def test_cli_check_reports_each_mistake_by_rule_key_and_line(desk_cli):
    run, config = desk_cli
    config.write_text("automations:\n"
                      "  - name: tag new work\n"
                      "    when: task_created\n"
                      "    do: [{tag: new}]\n"
                      "  - name: broken\n"
                      "    when: {due: {within: soon}}\n"
                      "    do: [{tag: late}]\n", encoding="utf-8")
    status, out, _ = run("automations", "check")
    assert status == 1
    assert out == (f'{config}, line 6: rule "broken", when.due.within: cannot read \'soon\' as '
                   "a duration; try 30min, 2h, 3d, 1w or 1h30min\n")
    config.write_text("automations:\n"
                      "  - name: tag new work\n"
                      "    when: task_created\n"
                      "    do: [{tag: new}]\n"
                      "sequences: []\n", encoding="utf-8")
    assert run("automations", "check")[:2] == (0, "1 rule in use, 0 sequences: no problems\n")


def test_cli_dry_run_prints_what_would_fire(desk_cli):
    run, config = desk_cli
    config.write_text("automations:\n"
                      "  - name: greet\n"
                      "    when: task_created\n"
                      "    do: [{note: \"Hello {task.title}\"}]\n", encoding="utf-8")
    admin = agents.acting()
    workspace.create_space(admin, "Desk")
    task_list = workspace.create_list(admin, "Desk", "Inbox")
    task = tasks.create(admin, "First \x1b[31mred", task_list.id).row

    status, out, _ = run("automations", "dry-run")

    assert status == 0
    assert out.splitlines() == [
        "the rules would do this (on pending changes and due dates and birthdays; nothing "
        "was changed):",
        f'  rule "greet" on task {task.id} "First \u241b[31mred": add a note',
        "no sequence step is due"]
    assert comments.for_task(task.id) == []
    status, _, err = run("automations", "dry-run", "--since", "someday")
    assert status == 1 and err.startswith("desk: --since: cannot read 'someday'")
