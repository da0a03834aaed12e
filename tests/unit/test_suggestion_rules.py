"""The next-best-action rules on hand-built data: renewal (cycles ending on the 31st, from an
acquisition date or the calendar, recurring work), check-in, win-back, cross-sell and
birthday (a leap day), each as of a fixed moment, in more than one time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from desk.automation.suggestions.listing import suggestions
from desk.automation.suggestions.rules.renewal import cycle
from desk.config.schema import Settings
from desk.crm import clients
from desk.models import Client, RecurringSeries
from desk.work import orders, tasks, workspace
from desk.work.time import entries

NOW = datetime(2026, 12, 26, 10, 0, tzinfo=UTC)
"""Saturday 26 December 2026, 10:00 UTC."""


def settings(zone: str = "UTC", **suggest) -> Settings:
    """Settings in `zone` with the suggestions settings given (the rest as shipped)."""
    base = Settings(timezone=zone)
    return Settings(timezone=zone, suggestions=type(base.suggestions)(**suggest))


def client(admin, name: str, **fields) -> int:
    """A client created through the service, then given the stored fields hand-set."""
    row = clients.create(admin, name, kind=fields.pop("kind", "client")).row
    if fields:
        Client.update(**fields).where(Client.id == row.id).execute()
    return row.id


def reasons(found, rule: str) -> list[tuple[str, str]]:
    """(client, reason) of the suggestions of `rule`."""
    return [(s.client, s.reason) for s in found if s.rule == rule]


# --- renewal -------------------------------------------------------------------------------


@pytest.mark.parametrize(("anchor", "months", "today", "expected"), [
    (date(2024, 1, 1), 12, date(2026, 12, 26), (date(2026, 1, 1), date(2026, 12, 31))),
    (date(2026, 1, 31), 1, date(2026, 2, 15), (date(2026, 1, 31), date(2026, 2, 27))),
    (date(2026, 1, 31), 1, date(2026, 3, 30), (date(2026, 2, 28), date(2026, 3, 30))),
    (date(2024, 2, 29), 12, date(2025, 3, 1), (date(2025, 2, 28), date(2026, 2, 27))),
    (None, 3, date(2026, 11, 2), (date(2026, 10, 1), date(2026, 12, 31))),
    (None, 1, date(2026, 12, 31), (date(2026, 12, 1), date(2026, 12, 31))),
    (date(2027, 5, 1), 3, date(2026, 12, 26), (date(2027, 5, 1), date(2027, 7, 31))),
])
def test_a_retainer_cycle_runs_from_the_acquisition_date_or_the_calendar(
        anchor, months, today, expected):
    assert cycle(anchor, months, today) == expected


def test_a_yearly_cycle_ending_on_the_31st_is_due_for_renewal(admin):
    client(admin, "Acme", retainer_amount=1200, retainer_cycle="yearly",
           acquisition_date=date(2024, 1, 1))
    client(admin, "Later", retainer_amount=900, retainer_cycle="yearly",
           acquisition_date=date(2024, 3, 1))
    client(admin, "Monthly", retainer_amount=100, retainer_cycle="monthly")
    client(admin, "Gone", retainer_amount=100, retainer_cycle="quarterly",
           lifecycle_stage="churned")
    client(admin, "Quarterly", retainer_amount=300, retainer_cycle="quarterly")
    found = suggestions(settings(renewal_days=30), NOW)
    assert reasons(found, "renewal") == [
        ("Acme", "Retainer cycle ends 2026-12-31 (in 5 days)"),
        ("Quarterly", "Retainer cycle ends 2026-12-31 (in 5 days)")]
    acme = found[0]
    assert (acme.subject, acme.due, acme.title) == (
        "retainer-2026-12-31", date(2026, 12, 31), "Renew the yearly retainer of Acme")
    assert dict(acme.facts)["Cycle"] == "2026-01-01 to 2026-12-31"
    assert "renewal_days" in acme.why_now


def test_the_days_left_count_from_today_in_the_workspace_zone(admin):
    client(admin, "Acme", retainer_amount=1200, retainer_cycle="yearly",
           acquisition_date=date(2024, 1, 1))
    late = datetime(2026, 12, 26, 23, 30, tzinfo=UTC)  # already the 27th in Auckland
    assert reasons(suggestions(settings("UTC"), late), "renewal") == [
        ("Acme", "Retainer cycle ends 2026-12-31 (in 5 days)")]
    assert reasons(suggestions(settings("Pacific/Auckland"), late), "renewal") == [
        ("Acme", "Retainer cycle ends 2026-12-31 (in 4 days)")]
    assert reasons(suggestions(settings(renewal_days=4), NOW), "renewal") == []


def test_recurring_work_of_a_client_ending_soon_is_due_for_renewal(admin):
    acme = client(admin, "Acme")
    workspace.create_space(admin, "Work")
    list_id = workspace.create_list(admin, "Work", "Accounts").id
    task_id = tasks.create(admin, "Monthly hosting", list_id, client_id=acme).row.id
    for until in (datetime(2027, 1, 10, 12), datetime(2027, 6, 1)):
        RecurringSeries.create(task=task_id, rule="FREQ=MONTHLY", starts_at=datetime(2026, 1, 1),
                               until=until, next_at=datetime(2027, 1, 1))
    assert reasons(suggestions(settings(), NOW), "renewal") == [
        ("Acme", "Recurring \u201cMonthly hosting\u201d ends 2027-01-10 (in 15 days)")]


# --- check-in and win-back -----------------------------------------------------------------


def test_a_client_past_its_cadence_or_never_contacted_is_due_a_check_in(admin):
    client(admin, "Overdue", contact_cadence_days=30, last_contact_at=datetime(2026, 11, 20, 9))
    client(admin, "Fresh", contact_cadence_days=30, last_contact_at=datetime(2026, 12, 20, 9))
    client(admin, "Never", contact_cadence_days=14)
    client(admin, "No cadence", last_contact_at=datetime(2025, 1, 1))
    client(admin, "Left", contact_cadence_days=7, lifecycle_stage="churned",
           last_contact_at=datetime(2026, 12, 1))
    found = suggestions(settings(), NOW)
    assert reasons(found, "check_in") == [
        ("Overdue", "Last contact 2026-11-20 (36 days ago); the cadence is every 30 days"),
        ("Never", "Never contacted; the cadence is every 14 days")]
    assert dict(found[0].facts)["Contact was due"] == "2026-12-20 (6 days ago)"


def test_a_churned_client_quiet_long_enough_is_suggested_for_a_win_back(admin):
    workspace.create_space(admin, "Sales")
    workspace.create_list(admin, "Sales", "Orders")
    orders.create_product(admin, "Hosting", unit_price="100")
    gone = client(admin, "Gone", kind="customer")
    orders.create_order(admin, gone, "Hosting", 2, now=datetime(2026, 3, 1, 9))
    Client.update(lifecycle_stage="churned", last_contact_at=datetime(2026, 10, 1, 9)).where(
        Client.id == gone).execute()
    client(admin, "Just left", lifecycle_stage="churned", last_contact_at=datetime(2026, 12, 20))
    found = suggestions(settings(win_back_after_days=30), NOW)
    assert reasons(found, "win_back") == [
        ("Gone", "Churned; last contact 2026-10-01 (86 days ago); 1 order worth £200.00 before")]
    assert dict(found[0].facts)["Last order"] == "2026-03-01"


# --- cross-sell ----------------------------------------------------------------------------


def test_products_bought_together_by_clients_of_the_same_kind_are_offered(admin):
    workspace.create_space(admin, "Sales")
    workspace.create_list(admin, "Sales", "Orders")
    for name in ("Hosting", "Backup", "Audit"):
        orders.create_product(admin, name, unit_price="10")
    bought = {"A": ["Hosting", "Backup"], "B": ["Hosting", "Backup"],
              "C": ["Hosting", "Backup", "Hosting"], "D": ["Hosting"], "E": ["Hosting", "Audit"]}
    ids = {}
    for name, products in bought.items():
        ids[name] = client(admin, name, kind="customer")
        for product in products:
            orders.create_order(admin, ids[name], product, 1)
    other_kind = client(admin, "Firm", kind="client")
    orders.create_order(admin, other_kind, "Hosting", 1)
    found = suggestions(settings(cross_sell_min_clients=3, cross_sell_min_share=50), NOW)
    assert reasons(found, "cross_sell") == [
        ("D", "3 of 5 customers who bought Hosting also bought Backup"),
        ("E", "3 of 5 customers who bought Hosting also bought Backup")]
    assert found[0].title == "Offer Backup to D"
    assert reasons(suggestions(settings(cross_sell_min_clients=4), NOW), "cross_sell") == []
    assert reasons(suggestions(settings(cross_sell_min_share=61), NOW), "cross_sell") == []
    only_d = suggestions(settings(), NOW, ids["D"])
    assert [s.key for s in only_d] == [f"{ids['D']}:cross_sell:product-2"]


# --- birthday ------------------------------------------------------------------------------


def test_a_leap_day_birthday_is_kept_on_28_february_in_a_common_year(admin):
    leap = client(admin, "Leap", birthday=date(2000, 2, 29))
    march = client(admin, "March", birthday=date(1980, 3, 20))
    found = suggestions(settings(birthday_days=14), datetime(2027, 2, 20, 9, tzinfo=UTC))
    assert reasons(found, "birthday") == [("Leap", "Birthday on 2027-02-28 (in 8 days)")]
    one = suggestions(settings(birthday_days=14), datetime(2027, 2, 20, 9, tzinfo=UTC), leap)
    assert [s.key for s in one] == [f"{leap}:birthday:birthday-2027-02-28"]
    assert suggestions(settings(birthday_days=14), datetime(2027, 2, 20, 9, tzinfo=UTC),
                       march) == []
    assert "28 February" in dict(found[0].facts)["Kept on"]
    leap_year = suggestions(settings(), datetime(2028, 2, 20, 9, tzinfo=UTC))
    assert reasons(leap_year, "birthday") == [("Leap", "Birthday on 2028-02-29 (in 9 days)")]


def test_a_birthday_is_today_by_the_workspace_zone(admin):
    client(admin, "Kiwi", birthday=date(1990, 12, 27))
    late = datetime(2026, 12, 26, 11, 30, tzinfo=UTC)  # 00:30 on the 27th in Auckland
    assert reasons(suggestions(settings("UTC"), late), "birthday") == [
        ("Kiwi", "Birthday on 2026-12-27 (in 1 day)")]
    assert reasons(suggestions(settings("Pacific/Auckland"), late), "birthday") == [
        ("Kiwi", "Birthday on 2026-12-27 (today)")]


# --- order ---------------------------------------------------------------------------------


def test_suggestions_are_listed_in_the_configured_order_of_rules_only(admin):
    client(admin, "Acme", birthday=date(1990, 12, 30), contact_cadence_days=7,
           retainer_amount=10, retainer_cycle="yearly", acquisition_date=date(2020, 1, 1))
    archived = client(admin, "Archived", birthday=date(1990, 12, 30))
    Client.update(archived_at=datetime(2026, 1, 1)).where(Client.id == archived).execute()
    rules = [s.rule for s in suggestions(settings(rules=["birthday", "check_in", "renewal"]),
                                         NOW)]
    assert rules == ["birthday", "check_in", "renewal"]
    assert [s.rule for s in suggestions(settings(rules=["renewal"]), NOW)] == ["renewal"]
    assert suggestions(settings(rules=[]), NOW) == []


# --- retainer ------------------------------------------------------------------------------


def test_a_retainer_nearly_used_this_cycle_is_suggested_with_its_figures(admin):
    workspace.create_space(admin, "Work")
    work = workspace.create_list(admin, "Work", "Hours").id
    logged = {}
    for name, cycle_kind, included, minutes in (("Near", "monthly", "10", 480),
                                                 ("Over", "monthly", "2", 150),
                                                 ("Calm", "quarterly", "100", 600)):
        client_id = clients.create(admin, name, kind="client", retainer_cycle=cycle_kind,
                                   retainer_hours=included, retainer_overage_rate="90").row.id
        task_id = tasks.create(admin, f"Work for {name}", work, client_id=client_id).row.id
        entries.log(admin, task_id, minutes, NOW, day=date(2026, 12, 1))
        logged[name] = client_id
    found = suggestions(settings(rules=["retainer"]), NOW)
    assert sorted(reasons(found, "retainer")) == [
        ("Near", "8.00 of 10.00 retainer hours used (80%); the cycle ends 2026-12-31 "
                 "(in 5 days)"),
        ("Over", "2.50 of 2.00 retainer hours used (125%); the cycle ends 2026-12-31 "
                 "(in 5 days)")]
    over = next(found_one for found_one in found if found_one.client == "Over")
    assert dict(over.facts)["Overage"] == "0.50 h = £45.00"
    assert (over.subject, over.title) == ("2026-12-01",
                                          "Talk to Over about their retainer hours")
    assert [s.client for s in suggestions(settings(rules=["retainer"], retainer_share=90),
                                          NOW)] == ["Over"]
    Client.update(archived_at=NOW.replace(tzinfo=None)).where(
        Client.id == logged["Over"]).execute()
    assert [s.client for s in suggestions(settings(rules=["retainer"]), NOW)] == ["Near"]


# --- detractor -----------------------------------------------------------------------------


def test_a_client_whose_newest_nps_answer_is_a_detractors_is_suggested_a_call(admin):
    from desk.models import NpsSurvey

    def answered(client_id: int, score: int, day: str, comment: str = "") -> None:
        moment = datetime.fromisoformat(f"{day} 09:00")
        NpsSurvey.create(client=client_id, address="x@example.com", sent_at=moment,
                         score=score, comment=comment, answered_at=moment, channel="email")

    sour, recovered, old = (client(admin, name) for name in ("Sour", "Recovered", "Old"))
    answered(sour, 9, "2026-10-01")
    answered(sour, 3, "2026-12-20", "Invoices\nare late [b]again[/b]")
    answered(recovered, 2, "2026-11-01")
    answered(recovered, 9, "2026-12-01")  # the newest answer counts
    answered(old, 4, "2026-09-01")  # longer ago than detractor_days
    found = suggestions(settings(rules=["detractor"]), NOW)
    assert reasons(found, "detractor") == [
        ("Sour", "Answered the NPS survey with 3 of 10 (6 days ago): "
                 "“Invoices⏎are late [b]again[/b]”")]
    assert found[0].title == "Call Sour about their NPS answer (3)"
    assert dict(found[0].facts)["NPS answer"] == "3 of 10 on 2026-12-20"
    assert [s.client for s in suggestions(settings(rules=["detractor"], detractor_days=120),
                                          NOW)] == ["Old", "Sour"]
