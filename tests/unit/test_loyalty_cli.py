"""`desk loyalty`: the standings, one client's history, and redeeming a reward, run as a
person would."""

from __future__ import annotations

import json
from datetime import UTC, timedelta

import pytest

from desk.clock import utcnow
from desk.config import Settings
from desk.crm import loyalty_points
from desk.kernel import agents
from desk.models import Client, OrderData
from desk.work import orders, workspace


@pytest.fixture
def desk(migrated_url, run_desk, monkeypatch, tmp_path):
    """Run `desk ARGS...` against a workspace where Acme has two fulfilled orders (2000
    points, Bronze, 1000 of them expiring in ten days) and an open order (id 3), and Bluefin
    has nothing."""
    monkeypatch.setenv("DESK_DATABASE", migrated_url)
    config = tmp_path / "config.yaml"
    config.write_text("timezone: UTC\n")
    monkeypatch.setenv("DESK_CONFIG", str(config))
    run_desk("init")
    admin = agents.acting()
    workspace.create_space(admin, "Sales")
    workspace.create_list(admin, "Sales", "Orders")
    orders.create_product(admin, "Website", unit_price="1000")
    acme = Client.create(name="Acme GmbH", kind="client").id
    Client.create(name="Bluefin Logistics", kind="client")
    for days in (355, 20):
        moment = (utcnow() - timedelta(days=days)).replace(tzinfo=UTC)
        placed = orders.create_order(admin, acme, "Website", 1, now=moment)
        orders.update_order(admin, placed.task.row.id, placed.task.row.version,
                            fulfilled_at=moment, now=moment)
    orders.create_order(admin, acme, "Website", 2)
    loyalty_points.run(Settings().loyalty, utcnow().replace(tzinfo=UTC), admin)
    return run_desk


def test_the_standings_as_json(desk):
    status, out, err = desk("loyalty", "--format", "json")
    assert status == 0 and err == ""
    rows = {row["client"]: row for row in json.loads(out)}
    assert rows["Acme GmbH"] == {
        "id": rows["Acme GmbH"]["id"], "client": "Acme GmbH", "tier": "Bronze",
        "points": 2000, "expiring": 1000, "next_tier": "Silver", "missing": "3",
        "measure": "2"}
    assert (rows["Bluefin Logistics"]["tier"], rows["Bluefin Logistics"]["points"]) == (None, 0)


def test_the_standings_table(desk):
    status, out, _ = desk("loyalty")
    assert status == 0
    header, *lines = out.splitlines()
    assert header.split() == ["ID", "CLIENT", "TIER", "POINTS", "EXPIRING", "NEXT_TIER",
                              "MISSING"]
    assert lines[0].split()[1:] == ["Acme", "GmbH", "Bronze", "2000", "1000", "Silver", "3"]


def test_one_clients_history_as_json(desk):
    status, out, _ = desk("loyalty", "acme", "--format", "json")
    assert status == 0
    (record,) = json.loads(out)
    assert (record["tier"], record["points"], record["basis"], record["measure"]) == (
        "Bronze", 2000, "purchases", "2")
    assert [(entry["points"], entry["reason"], entry["order"]) for entry in record["history"]] \
        == [(1000, "earned", 2), (1000, "earned", 1)]


def test_redeem_puts_a_discount_on_the_order(desk):
    status, out, err = desk("loyalty", "redeem", "Acme", "5% off", "--order", "3")
    assert (status, err) == (0, "")
    assert out == ("redeemed 5% off on order 3: £100.00 off, total now £1,900.00; "
                   "1500 points left\n")
    assert str(OrderData.get_by_id(3).total) in ("1900", "1900.00")
    _, out, _ = desk("loyalty", "acme", "--format", "json")
    history = json.loads(out)[0]["history"]
    assert (history[0]["points"], history[0]["reason"], history[0]["note"]) == (
        -500, "redeemed", "5% off")


def test_an_admin_adjusts_points_by_hand_with_a_reason(desk):
    status, out, err = desk("loyalty", "adjust", "Acme", "-300", "--note", "double counted")
    assert (status, out, err) == (0, "Acme GmbH: -300 points; 1700 points now\n", "")
    _, out, _ = desk("loyalty", "acme", "--format", "json")
    latest = json.loads(out)[0]["history"][0]
    assert (latest["points"], latest["reason"], latest["note"]) == (-300, "adjusted",
                                                                   "double counted")
    status, _, err = desk("loyalty", "adjust", "Acme", "-5000", "--note", "too much")
    assert status == 1 and err == "desk: the client has 1700 points; it cannot lose 5000\n"
    admin = agents.acting()
    agents.add(admin, "bob", role="admin")
    agents.set_role(agents.acting("bob"), admin.username, "agent")
    status, _, err = desk("loyalty", "adjust", "Acme", "50", "--note", "gift")
    assert status == 1 and "admin" in err


@pytest.mark.parametrize(("args", "message"), [
    (("loyalty", "redeem", "Acme", "5% off"), "usage: desk loyalty redeem CLIENT REWARD"),
    (("loyalty", "redeem", "Acme", "gift", "--order", "3"), "no reward 'gift'"),
    (("loyalty", "redeem", "Bluefin", "5% off", "--order", "3"),
     "task 3 is not an order of this client"),
    (("loyalty", "Nobody"), "no client named 'Nobody'"),
    (("loyalty", "Acme", "--order", "3"), "--order goes with desk loyalty redeem"),
    (("loyalty", "adjust", "Acme", "100"), "usage: desk loyalty adjust CLIENT POINTS --note"),
    (("loyalty", "adjust", "Acme", "lots", "--note", "x"), "POINTS must be a whole number"),
    (("loyalty", "adjust", "Acme", "0", "--note", "x"), "a whole number other than 0"),
    (("loyalty", "adjust", "Acme", "10", "--note", " "), "say why the points change"),
])
def test_mistakes_are_one_line_and_change_nothing(desk, args, message):
    status, out, err = desk(*args)
    assert status == 1 and out == "" and err.startswith("desk: ") and message in err
    assert len(err.splitlines()) == 1 and str(OrderData.get_by_id(3).total) in ("2000",
                                                                                 "2000.00")


def test_a_viewer_sees_the_standings_but_cannot_redeem(desk):
    admin = agents.acting()
    agents.add(admin, "bob", role="admin")
    agents.set_role(agents.acting("bob"), admin.username, "viewer")
    assert desk("loyalty")[0] == 0
    status, _, err = desk("loyalty", "redeem", "Acme", "5% off", "--order", "3")
    assert status == 1 and "viewer" in err
