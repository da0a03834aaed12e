"""The loyalty programme: its settings, points earned by fulfilled orders, tiers by each
basis over a 12-month window (leap days included), expiry oldest first, a reward redeemed
as an order's discount, and the loyalty_tier_changed trigger."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from desk.automation import processor, rules
from desk.config import ConfigError, Settings, parse_settings
from desk.crm import loyalty, loyalty_points
from desk.errors import InvalidInput, NotFound, PermissionDenied
from desk.kernel import agents
from desk.models import Activity, Client, Event, LoyaltyEntry, LoyaltyStanding, OrderData, Task
from desk.sla import book
from desk.work import loyalty_rewards, orders, workspace


def loyal(text: str = ""):
    """The loyalty settings of a config whose `loyalty:` section is `text` (indented)."""
    return parse_settings(f"loyalty:\n{text}" if text else "").loyalty


def at(text: str) -> datetime:
    """An aware UTC moment from ISO text."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def shop(admin):
    """The Sales/Orders list, the products Website (1000.00) and Hosting (10.00), and a
    client."""
    workspace.create_space(admin, "Sales")
    workspace.create_list(admin, "Sales", "Orders")
    orders.create_product(admin, "Website", unit_price="1000.00")
    orders.create_product(admin, "Hosting", unit_price="10.00")
    return Client.create(name="Acme GmbH", kind="client").id


def fulfilled(admin, client_id: int, when: str, product: str = "Website",
              quantity: int = 1) -> int:
    """An order placed and fulfilled at `when` (UTC); its task id."""
    moment = at(when)
    placed = orders.create_order(admin, client_id, product, quantity, now=moment)
    task_id = placed.task.row.id
    orders.update_order(admin, task_id, placed.task.row.version, now=moment,
                        fulfilled_at=moment)
    return task_id


def open_order(admin, client_id: int, quantity: int = 1) -> int:
    """An order placed now and not fulfilled; its task id."""
    return orders.create_order(admin, client_id, "Website", quantity).task.row.id


# --- settings ------------------------------------------------------------------------------


def test_the_defaults_follow_about_five_purchases_to_loyal():
    settings = Settings().loyalty
    assert settings.tiers.basis == "purchases" and settings.tiers.window_months == 12
    assert [(level.name, level.min) for level in settings.tiers.levels] == [
        ("Bronze", 2), ("Silver", 5), ("Gold", 10)]
    assert settings.expire_months == 12 and {r.name for r in settings.rewards} == {
        "5% off", "100 off"}


@pytest.mark.parametrize(("text", "message"), [
    ("  tiers:\n    levels:\n      - {name: Gold, min: 5}\n      - {name: Silver, min: 5}\n",
     "config.yaml, line 5: loyalty.tiers.levels: tier 'Silver' needs a min above 5, the tier "
     "before it"),
    ("  rewards:\n    - {name: gift, points: 10}\n",
     "config.yaml, line 3: loyalty.rewards[0]: reward 'gift' needs either amount or "
     "percent (one of them)"),
    ("  tiers:\n    basis: visits\n",
     "config.yaml, line 3: loyalty.tiers.basis: expected one of purchases, revenue, points; "
     "got 'visits'"),
    ("  earn:\n    per_amount: -1\n",
     "config.yaml, line 3: loyalty.earn.per_amount: expected a number of at least 0, got -1"),
])
def test_a_mistake_names_the_line_and_the_key(text, message):
    with pytest.raises(ConfigError) as caught:
        parse_settings(f"loyalty:\n{text}", source="config.yaml")
    assert str(caught.value) == message


# --- earning -------------------------------------------------------------------------------


def test_a_fulfilled_order_earns_once_by_every_rate(admin, shop):
    settings = loyal("  earn:\n    per_amount: 0.1\n    per_order: 5\n"
                     "    per_product: {hosting: 2.5}\n")
    task_id = fulfilled(admin, shop, "2026-03-01T10:00", "Hosting", quantity=3)  # 30.00
    open_order(admin, shop)  # not fulfilled: earns nothing
    report = loyalty_points.run(settings, at("2026-03-02T00:00"), admin)
    assert report.earned == 1
    entry = LoyaltyEntry.get()
    # 30.00 × 0.1 = 3, + 5 for the order, + 3 × 2.5 = 7 (rounded down) -> 15
    assert (entry.points, entry.reason, entry.task_id, entry.at) == (
        15, "earned", task_id, datetime(2026, 3, 1, 10, 0))
    assert loyalty_points.run(settings, at("2026-03-03T00:00"), admin).earned == 0
    assert LoyaltyStanding.get_by_id(shop).points == 15
    history = Activity.get((Activity.entity == "client") & (Activity.field == "loyalty_points"))
    assert (history.old, history.new, history.actor) == ("0", "15", admin.username)


def test_an_order_closed_by_its_status_counts_from_then(admin, shop):
    task_id = open_order(admin, shop)
    Task.update(closed_at=datetime(2026, 4, 1, 9, 0)).where(Task.id == task_id).execute()
    loyalty_points.run(loyal(), at("2026-04-02T00:00"), admin)
    assert LoyaltyEntry.get().at == datetime(2026, 4, 1, 9, 0)


def test_a_viewer_cannot_run_the_step(admin, shop):
    viewer = agents.add(admin, "vera", role="viewer")
    with pytest.raises(PermissionDenied):
        loyalty_points.run(loyal(), at("2026-04-02T00:00"), viewer)


# --- tiers over the window -----------------------------------------------------------------


LEVELS = "    levels:\n      - {name: Silver, min: 2}\n      - {name: Gold, min: 3}\n"


def test_purchases_in_the_window_from_a_leap_day(admin, shop):
    settings = loyal("  tiers:\n    basis: purchases\n" + LEVELS)
    fulfilled(admin, shop, "2027-02-28T11:59")  # a minute before the window
    fulfilled(admin, shop, "2027-02-28T12:00")  # the window's first moment
    fulfilled(admin, shop, "2028-02-29T12:00")  # the window's last moment
    now = at("2028-02-29T12:00")  # 12 months back from 29 February is 28 February
    assert loyalty.measures(settings, now) == {shop: Decimal(2)}
    assert loyalty_points.recompute_tiers(settings, now, admin) == [
        f"client {shop}: no tier -> Silver"]
    assert loyalty.measures(settings, at("2027-02-28T12:00")) == {shop: Decimal(2)}


def test_an_order_of_a_leap_day_leaves_the_window_on_1_march(admin, shop):
    settings = loyal("  tiers:\n    basis: purchases\n" + LEVELS)
    fulfilled(admin, shop, "2024-02-29T12:00")
    assert loyalty.measures(settings, at("2025-02-28T23:59")) == {shop: Decimal(1)}
    assert loyalty.measures(settings, at("2025-03-01T00:00")) == {}


def test_revenue_in_the_window_and_the_drop_when_it_slides(admin, shop):
    settings = loyal("  tiers:\n    basis: revenue\n    levels:\n"
                     "      - {name: Silver, min: 1500}\n      - {name: Gold, min: 5000}\n")
    fulfilled(admin, shop, "2026-01-15T10:00", quantity=2)  # 2000.00
    fulfilled(admin, shop, "2026-06-15T10:00")  # 1000.00
    first = loyalty_points.recompute_tiers(settings, at("2026-07-01T00:00"), admin)
    assert first == [f"client {shop}: no tier -> Silver"]
    standing = loyalty.standing(settings, shop, at("2026-07-01T00:00"))
    assert (standing.tier, standing.measure, standing.next_tier, standing.missing) == (
        "Silver", Decimal("3000"), "Gold", Decimal("2000"))
    # a year after the first order only the second counts: 1000 is below Silver
    later = loyalty_points.recompute_tiers(settings, at("2027-01-15T10:01"), admin)
    assert later == [f"client {shop}: Silver -> no tier"]
    assert LoyaltyStanding.get_by_id(shop).tier is None
    # an archived client leaves the standings, and keeps its own
    Client.update(archived_at=datetime(2027, 2, 1)).where(Client.id == shop).execute()
    assert loyalty.standings(settings, at("2027-02-02T00:00")) == []
    assert loyalty.standing(settings, shop, at("2027-02-02T00:00")).measure == Decimal(1000)


def test_points_earned_in_the_window(admin, shop):
    settings = loyal("  tiers:\n    basis: points\n    levels:\n      - {name: Gold, min: 1500}\n")
    fulfilled(admin, shop, "2026-01-10T10:00")
    fulfilled(admin, shop, "2026-02-10T10:00")
    loyalty_points.run(settings, at("2026-03-01T00:00"), admin)
    assert LoyaltyStanding.get_by_id(shop).tier == "Gold"
    assert loyalty.measures(settings, at("2027-01-10T10:01")) == {shop: Decimal(1000)}


# --- expiry --------------------------------------------------------------------------------


def test_the_oldest_points_expire_less_what_was_spent(admin, shop):
    settings = loyal("  expire_months: 12\n  expiring_days: 30\n")
    fulfilled(admin, shop, "2025-01-10T10:00")  # 1000 points
    fulfilled(admin, shop, "2025-09-01T10:00")  # 1000 points
    loyalty_points.run(settings, at("2025-09-02T00:00"), admin)
    with_discount = open_order(admin, shop)
    loyalty_rewards.redeem(admin, settings, shop, "5% off", with_discount,
                           now=datetime(2025, 10, 1))  # 500 spent: from the oldest
    assert loyalty.expiring(settings, at("2025-12-20T00:00")) == {shop: 500}
    assert loyalty_points.run(settings, at("2026-01-10T09:59"), admin).expired == 0
    assert loyalty_points.run(settings, at("2026-01-10T10:00"), admin).expired == 1
    assert loyalty_points.run(settings, at("2026-01-11T10:00"), admin).expired == 0
    expired = LoyaltyEntry.get(LoyaltyEntry.reason == "expired")
    assert expired.points == -500 and expired.at == datetime(2026, 1, 10, 10, 0)
    assert loyalty.balances() == {shop: 1000} and LoyaltyStanding.get_by_id(shop).points == 1000
    assert loyalty_points.run(settings, at("2026-09-01T10:00"), admin).expired == 1
    assert loyalty.balances() == {shop: 0}


def test_an_order_older_than_the_expiry_earns_nothing(admin, shop):
    fulfilled(admin, shop, "2024-12-31T10:00")
    fulfilled(admin, shop, "2025-01-02T10:00")
    assert loyalty_points.run(loyal(), at("2026-01-01T10:00"), admin).earned == 1
    assert loyalty.balances() == {shop: 1000}


def test_points_never_expire_with_zero_months(admin, shop):
    settings = loyal("  expire_months: 0\n")
    fulfilled(admin, shop, "2020-01-10T10:00")
    assert loyalty_points.run(settings, at("2026-01-10T10:00"), admin).expired == 0
    assert loyalty.balances() == {shop: 1000}


# --- redeeming -----------------------------------------------------------------------------


def test_a_reward_is_a_discount_line_in_the_order_total(admin, shop):
    settings = loyal()
    fulfilled(admin, shop, "2026-01-10T10:00", quantity=2)  # 2000 points
    loyalty_points.run(settings, at("2026-01-11T00:00"), admin)
    task_id = open_order(admin, shop, quantity=3)  # 3000.00
    done = loyalty_rewards.redeem(admin, settings, shop, "5% OFF", task_id)
    assert (done.discount, done.total, done.points_left) == (
        Decimal("150.00"), Decimal("2850.00"), 1500)
    loyalty_rewards.redeem(admin, settings, shop, "100 off", task_id)
    info = orders.order_data(task_id)
    assert (info.discount, info.total) == (Decimal("250.00"), Decimal("2750.00"))
    # the total follows a later change of quantity, less the discount
    version = Task.get_by_id(task_id).version
    assert orders.update_order(admin, task_id, version, quantity=1).total == Decimal("750.00")
    assert loyalty.balances() == {shop: 500}
    changes = {(row.field, row.new) for row in
               Activity.select().where((Activity.entity == "task")
                                       & (Activity.entity_id == task_id))}
    assert {("discount", "150.00"), ("total", "2850.00")} <= changes


def test_a_reward_refused_changes_nothing(admin, shop):
    settings = loyal()
    fulfilled(admin, shop, "2026-01-10T10:00")  # 1000 points
    loyalty_points.run(settings, at("2026-01-11T00:00"), admin)
    task_id = open_order(admin, shop)
    before = (OrderData.get_by_id(task_id).total, LoyaltyEntry.select().count(),
              Task.get_by_id(task_id).version)
    with pytest.raises(InvalidInput, match="'big' needs 5000 points; the client has 1000"):
        loyalty_rewards.redeem(admin, loyal("  rewards:\n    - {name: big, points: 5000, "
                                            "amount: 1}\n"), shop, "big", task_id)
    with pytest.raises(NotFound, match=r"no reward 'free' \(rewards: 5% off, 100 off\)"):
        loyalty_rewards.redeem(admin, settings, shop, "free", task_id)
    Task.update(closed_at=datetime(2026, 1, 12)).where(Task.id == task_id).execute()
    with pytest.raises(InvalidInput, match="is closed"):
        loyalty_rewards.redeem(admin, settings, shop, "100 off", task_id)
    viewer = agents.add(admin, "vera", role="viewer")
    with pytest.raises(PermissionDenied):
        loyalty_rewards.redeem(viewer, settings, shop, "100 off", task_id)
    assert (OrderData.get_by_id(task_id).total, LoyaltyEntry.select().count(),
            Task.get_by_id(task_id).version) == before


# --- the trigger ---------------------------------------------------------------------------


def test_a_tier_change_fires_its_rule_with_from_and_to(admin, shop):
    settings = loyal("  tiers:\n" + LEVELS)
    rule_set = rules.parse([{
        "name": "thank", "when": {"loyalty_tier_changed": {"to": "Gold"}},
        "do": [{"create_task": {"title": "Thank {client.name}: {tier.from} to {tier.to}",
                                "list": "Orders"}}]}])
    for day in ("01", "02"):
        fulfilled(admin, shop, f"2026-05-{day}T10:00")
    loyalty_points.run(settings, at("2026-05-03T00:00"), admin)  # Silver: not this rule
    processor.process(rule_set, at("2026-05-03T00:00"), admin, sla_rules=book(Settings()))
    fulfilled(admin, shop, "2026-05-04T10:00")
    loyalty_points.run(settings, at("2026-05-05T00:00"), admin)
    event = Event.select().where(Event.kind == "client.loyalty_tier_changed") \
        .order_by(Event.id.desc()).get()
    assert (event.entity, event.entity_id) == ("client", shop)
    report = processor.process(rule_set, at("2026-05-05T00:00"), admin,
                               sla_rules=book(Settings()))
    assert len(report.fired) == 1
    assert Task.select().where(Task.title == "Thank Acme GmbH: Silver to Gold").count() == 1


def test_the_shipped_rule_thanks_on_a_higher_tier_only():
    shipped = [rule for rule in rules.parse(Settings().automations)
               if rule.trigger.kind == "loyalty_tier_changed"]
    assert [(rule.name, rule.trigger.changed_to) for rule in shipped] == [
        ("thank a client for a higher tier", ("silver", "gold"))]

