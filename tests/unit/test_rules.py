"""The automation rules' grammar: what reads, what is refused and how the refusal names the
rule, the key and the line; placeholders; relative due dates. No database here."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from desk.automation import rules
from desk.automation.rules import Assignee, Problem
from desk.config import ConfigError, Settings, parse_settings, shipped_automations
from desk.errors import InvalidInput
from desk.work import orders, tasks

EXAMPLE = Path(__file__).parents[2] / "config.example.yaml"
BERLIN = ZoneInfo("Europe/Berlin")
WEDNESDAY = datetime(2026, 11, 18, 10, 30, tzinfo=BERLIN)

MALFORMED = """\
timezone: Europe/Berlin
automations:
  - name: invoice when fulfilled
    when: {status_changed: {to: Fulfilled}}
    do:
      - create_task:
          title: "Invoice {task.title}"
          due: +2 fortnights
"""


def parsed(text: str) -> tuple[rules.Rule, ...]:
    """The rules of a YAML list."""
    return rules.parse(yaml.safe_load(text))


def refusal(text: str) -> str:
    """The ConfigError message for a config whose `automations:` is `text` (indented)."""
    with pytest.raises(ConfigError) as caught:
        parse_settings("automations:\n" + text, source="config.yaml")
    return str(caught.value)


# --- the shipped rules ---------------------------------------------------------------------


def test_the_rules_can_set_every_editable_task_field():
    assert set(tasks.EDITABLE) | set(orders.ORDER_EDITABLE) | {"total"} == set(rules.TASK_FIELDS)


def test_the_example_config_ships_the_eight_rules_as_the_defaults():
    text = EXAMPLE.read_text(encoding="utf-8")
    found, problems = rules.check(text, "config.example.yaml")
    assert problems == []
    assert [rule.name for rule in found] == [
        "invoice a fulfilled order", "survey a resolved query", "follow up a sent proposal",
        "birthday greetings", "thank a client for a higher tier", "retainer nearly used",
        "retainer cycle report", "call an NPS detractor"]
    assert yaml.safe_load(text)["automations"] == shipped_automations()
    assert parse_settings(text).automations == Settings().automations


def test_a_shipped_rule_reads_as_written():
    invoice = rules.parse(shipped_automations())[0]
    assert invoice.actor == "rule:invoice a fulfilled order"
    assert invoice.subject == "task"
    assert invoice.trigger == rules.Trigger("status_changed", changed_to=("fulfilled",))
    assert [(c.fact, c.values) for c in invoice.conditions] == [("list", ("orders",)),
                                                                ("kind", ("order",))]
    create, note = invoice.actions
    assert (create.kind, create.key, note.kind) == ("create_task", "do[0].create_task", "note")
    assert create.options["assign"] == Assignee("round_robin", "Billing")
    assert (create.options["list"], create.options["due"], create.options["tags"],
            create.options["same_client"]) == ("Billing", "+2d", ("invoice",), True)


def test_a_config_without_automations_checks_the_built_in_rules():
    found, problems = rules.check("theme: desk-dark\n")
    assert problems == [] and len(found) == 8 and found[0].line() is None


# --- mistakes: rule name, key and line -----------------------------------------------------


def test_loading_a_malformed_rule_names_file_line_rule_and_key():
    with pytest.raises(ConfigError) as caught:
        parse_settings(MALFORMED, source="/etc/desk/config.yaml")
    assert str(caught.value) == (
        "/etc/desk/config.yaml, line 8: automations: rule \"invoice when fulfilled\", "
        "do[0].create_task.due: cannot read '+2 fortnights' as a due date; try +2d, "
        "+3 business days, tomorrow, fri or 2026-12-01")


def test_check_reports_the_first_mistake_of_every_rule():
    text = MALFORMED + """\
  - name: fine
    when: task_created
    do: [{tag: new}]
  - name: typo
    when: {status_change: {to: Done}}
    do: [{tag: x}]
  - when: task_created
    do: [{tag: x}]
"""
    found, problems = rules.check(text, "config.yaml")
    assert [rule.name for rule in found] == ["fine"]
    assert problems == [
        Problem("invoice when fulfilled", "do[0].create_task.due", 8,
                "cannot read '+2 fortnights' as a due date; try +2d, +3 business days, "
                "tomorrow, fri or 2026-12-01"),
        Problem("typo", "when", 13,
                "unknown trigger 'status_change' (did you mean 'status_changed'?)"),
        Problem("automations[3]", "", 15, "a rule needs 'name'"),
    ]
    assert str(problems[1]) == ('config.yaml, line 13: rule "typo", when: unknown trigger '
                                "'status_change' (did you mean 'status_changed'?)")


@pytest.mark.parametrize(("rule", "message"), [
    ("- name: a\n  when: task_created\n  do: [{tag: x}]\n"
     "- name: A\n  when: task_created\n  do: [{tag: y}]\n",
     'line 5: automations: rule "A", name: another rule has this name'),
    ("- name: x\n  when: task_created\n  do: [{note: 'Hi {task.__class__}'}]\n",
     'line 4: automations: rule "x", do[0].note: unknown placeholder {task.__class__}'),
    ("- name: x\n  when: task_created\n  do: [{note: 'Hi {task.title!r}'}]\n",
     "unknown placeholder {task.title}"),
    ("- name: x\n  when: task_created\n  do: [{note: 'Hi {'}]\n",
     "do[0].note: Single '{' encountered in format string (write {{ and }} for braces)"),
    ("- name: x\n  when: {birthday: {in_days: 7}}\n  do: [{note: hi}]\n",
     'rule "x", do[0].note: note changes a task, and a birthday rule is about a client'),
    ("- name: x\n  when: {birthday: {in_days: 7}}\n  if: {priority: high}\n"
     "  do: [{tag: vip}]\n",
     "if.priority: priority is about a task, and a birthday rule is about a client"),
    ("- name: x\n  when: {birthday: {in_days: 7}}\n"
     "  do: [{create_task: {title: 'Hi {task.title}', list: Accounts}}]\n",
     "unknown placeholder {task.title}"),
    ("- name: x\n  when: {birthday: {in_days: 7}}\n  do: [{create_task: {title: Hi}}]\n",
     "create_task needs a 'list' in a rule about a client"),
    ("- name: x\n  when: task_created\n  do: [{create_task: {title: Hi, due: birthday}}]\n",
     "cannot read 'birthday' as a due date"),
    ("- name: x\n  when: task_created\n  do: [{create_task: {titel: Hi}}]\n",
     "do[0].create_task.titel: unknown key 'titel' (did you mean 'title'?)"),
    ("- name: x\n  when: task_created\n  if: {priority: hihg}\n  do: [{tag: x}]\n",
     "if.priority: expected one of urgent, high, normal, low, none; got 'hihg'"),
    ("- name: x\n  when: {client_stage_changed: {to: risky}}\n  do: [{tag: x}]\n",
     "when.client_stage_changed.to: expected one of lead, prospect"),
    ("- name: x\n  when: {due: {}}\n  do: [{tag: x}]\n",
     "when.due: due needs either {reached: true} or {within: DURATION}"),
    ("- name: x\n  when: {due: {within: soon}}\n  do: [{tag: x}]\n",
     "when.due.within: cannot read 'soon' as a duration"),
    ("- name: x\n  when: field_changed\n  do: [{tag: x}]\n",
     "field_changed needs 'field'"),
    ("- name: x\n  when: task_created\n  do: [{email: {to: nobody, subject: s, body: b}}]\n",
     "do[0].email.to: expected requester, client, account_manager or an e-mail address"),
    ("- name: x\n  when: task_created\n  do: [{tag: two words}]\n",
     "do[0].tag: a tag is one word, not 'two words'"),
    ("- name: x\n  when: task_created\n  do: []\n",
     'rule "x", do: a rule needs at least one action'),
    ("- name: x\n  when: task_created\n  do: [{launch: rockets}]\n",
     "do[0]: unknown action 'launch'"),
    ("- name: x\n  when: task_created\n  if: {field: {region: {near: EU}}}\n  do: [{tag: x}]\n",
     "if.field.region.near: unknown key 'near'"),
    ("- name: x\n  when: {birthday: {in_days: 400}}\n  do: [{tag: x}]\n",
     "when.birthday.in_days: expected a whole number of days from 0 to 366, got 400"),
])
def test_mistakes_are_named_by_rule_and_key(rule, message):
    indented = "".join(f"  {line}\n" for line in rule.splitlines())
    assert message in refusal(indented)


def test_a_mistyped_nested_key_is_named_with_its_line_and_a_suggestion():
    text = ("automations:\n  - name: close\n    when:\n      status_changed:\n"
            "        too: Done\n    do: [{tag: x}]\n")
    with pytest.raises(ConfigError) as caught:
        parse_settings(text)
    assert str(caught.value) == (
        "config.yaml, line 5: automations: rule \"close\", when.status_changed.too: "
        "unknown key 'too' (did you mean 'to'?)")
    assert rules.check(text)[1] == [Problem("close", "when.status_changed.too", 5,
                                            "unknown key 'too' (did you mean 'to'?)")]


def test_a_mistyped_rule_key_is_named_at_its_line():
    text = ("automations:\n  - name: close\n    when: task_created\n\n"
            "    iff: {kind: task}\n    do: [{tag: x}]\n")
    assert rules.check(text)[1] == [Problem("close", "iff", 5,
                                            "unknown key 'iff' (did you mean 'if'?)")]


def test_automations_must_be_a_list():
    assert refusal("  name: x\n") == (
        "config.yaml, line 2: automations: expected a list, got a mapping")


# --- what rules mean -----------------------------------------------------------------------


def test_field_names_become_the_keys_events_use():
    assert rules.event_field("Due") == "due_at"
    assert rules.event_field("assignee") == "assignees"
    assert rules.event_field("priority") == "priority"
    assert rules.event_field("Region") == "custom:Region"
    assert rules.fact_name("Region", "task") == "custom:region"
    assert rules.fact_name("lifecycle_stage", "client") == "stage"
    assert rules.fact_name("priority", "client") is None


def test_options_of_triggers_and_actions_are_normalised():
    rule = parsed("""
- name: escalate
  when: {field_changed: {field: Priority, to: [Urgent, HIGH]}}
  if: {tag: [VIP, partner], field: {Region: EU, title: {contains: Outage}}}
  do:
    - set: {status: Open, priority: Urgent, due: +4h, Region: EMEA}
    - assign: maria
    - log_interaction: {kind: Call, summary: "Escalated {task.id}"}
""")[0]
    assert rule.trigger == rules.Trigger("field_changed", changed_to=("urgent", "high"),
                                         field="priority")
    assert [(c.fact, c.values, c.contains) for c in rule.conditions] == [
        ("tags", ("vip", "partner"), ""), ("custom:region", ("eu",), ""),
        ("title", (), "outage")]
    set_action, assign, log = rule.actions
    assert set_action.options == {"status": "Open", "priority": "urgent", "due": "+4h",
                                  "custom:Region": "EMEA"}
    assert assign.options == {"to": Assignee("agent", "maria")}
    assert log.options == {"kind": "call", "summary": "Escalated {task.id}"}


def test_render_fills_known_placeholders_and_never_looks_up_attributes():
    values = {"task.title": "Printer {jam}", "client.name": "Acme"}
    assert rules.render("Invoice {task.title} for {client.name} {{ok}}", values) == (
        "Invoice Printer {jam} for Acme {ok}")
    assert rules.render("{task.__class__}", values) == ""  # never checked in, never evaluated


def test_due_forms_end_the_day_in_the_zone_of_now():
    end_of = lambda day: datetime(*day, 23, 59, 59, tzinfo=BERLIN)  # noqa: E731
    office = Settings().business_calendar()  # Monday to Friday
    assert rules.due_moment("+3 business days", WEDNESDAY, office) == end_of((2026, 11, 23))
    assert rules.due_moment("+1 business day", WEDNESDAY, office) == end_of((2026, 11, 19))
    assert rules.due_moment("+2d", WEDNESDAY, office) == end_of((2026, 11, 20))
    assert rules.due_moment("birthday", WEDNESDAY, office, date(2026, 11, 25)) == end_of(
        (2026, 11, 25))
    assert rules.due_moment("+4h", WEDNESDAY, office) == datetime(2026, 11, 18, 14, 30,
                                                                  tzinfo=BERLIN)
    with pytest.raises(InvalidInput):
        rules.due_moment("birthday", WEDNESDAY, office)


def test_business_days_are_the_working_days_of_the_calendar():
    end_of = lambda day: datetime(*day, 23, 59, 59, tzinfo=BERLIN)  # noqa: E731
    sunday_to_thursday = parse_settings(
        "calendar:\n  days: [sun, mon, tue, wed, thu]\n  holidays: [2026-11-23]\n"
    ).business_calendar()
    # Wednesday + 3: Thursday, Sunday, (Monday a holiday) Tuesday
    assert rules.due_moment("+3 business days", WEDNESDAY, sunday_to_thursday) == end_of(
        (2026, 11, 24))
