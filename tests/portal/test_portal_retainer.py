"""The portal's Retainer section: this cycle, the billable hours used of those included, the
overage, and hours per month for the last 12 months; shown to the client's own address (and
every contact of a shared client), absent for a client without a retainer."""

from __future__ import annotations

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta

from desk.clock import to_local, utcnow
from desk.config import parse_settings
from desk.crm import clients
from desk.portal.app import create_app
from desk.work.time import entries

from .conftest import PORTAL_CONFIG, sign_in


@pytest.fixture
def today(settings) -> date:
    """The workspace's local day, as the portal reads it."""
    return to_local(utcnow(), settings.tz).date()


@pytest.fixture
def retainer(admin, world, today) -> None:
    """Acme on a monthly retainer of 10 hours at 90 an hour: 11.5 billable hours this month,
    1 hour not billable, and 6 hours two months ago."""
    version = clients.get(world.acme, admin).row.version
    clients.update(admin, world.acme, version, retainer_cycle="monthly", retainer_hours="10",
                   retainer_overage_rate="90")
    entries.log(admin, world.ada_query, 690, utcnow(), day=today)
    entries.log(admin, world.ada_query, 60, utcnow(), day=today, billable=False)
    entries.log(admin, world.bob_query, 360, utcnow(), day=today - relativedelta(months=2))


def test_the_client_sees_its_cycle_hours_overage_and_months(browser, world, retainer,
                                                            today) -> None:
    sign_in(browser, "ada@acme.example")
    page = browser.get("/requests").get_data(True)
    first = today.replace(day=1)
    last = first + relativedelta(months=1, days=-1)
    assert f"This month: {first.isoformat()} to {last.isoformat()}" in page
    assert "11.50 of 10.00 hours used (billable)" in page
    assert "1.50 hours over the retainer (£135.00)" in page
    assert f"<td>{today:%Y-%m}</td><td>12.50</td><td>11.50</td>" in page
    two_back = today - relativedelta(months=2)
    assert f"<td>{two_back:%Y-%m}</td><td>6.00</td><td>6.00</td>" in page
    eleven_back = today - relativedelta(months=11)
    assert f"<td>{eleven_back:%Y-%m}</td><td>0.00</td><td>0.00</td>" in page
    assert f"<td>{today - relativedelta(months=12):%Y-%m}</td>" not in page


def test_a_contact_who_does_not_see_the_clients_orders_sees_no_retainer(browser, world,
                                                                        retainer) -> None:
    sign_in(browser, "bob@acme.example")
    assert "Your retainer" not in browser.get("/requests").get_data(True)


def test_a_client_without_a_retainer_has_no_section(browser, world, retainer) -> None:
    sign_in(browser, "gus@globex.example")
    page = browser.get("/requests").get_data(True)
    assert "Your retainer" not in page and "hours used" not in page


def test_the_overage_is_in_the_workspace_currency(db, admin, world, retainer) -> None:
    settings = parse_settings(PORTAL_CONFIG + "money:\n  currency: CHF\n")
    browser = create_app(settings, db, admin).test_client()
    sign_in(browser, "ada@acme.example")
    page = browser.get("/requests").get_data(True)
    assert "1.50 hours over the retainer (CHF 135.00)" in page
