"""`desk report`: the dashboard metrics of the hand-built desk (see test_metrics) printed as
text and as JSON, and its mistakes reported on one line."""

from __future__ import annotations

import json

import pytest
from test_metrics import build_desk

from desk.kernel import agents
from desk.models import Client


@pytest.fixture
def report(migrated_url, run_desk, monkeypatch, tmp_path):
    """Run `desk report ARGS...` (Berlin time, in euros, the clock at 2026-11-18 10:30) on the
    hand-built desk; returns (status, stdout, stderr)."""
    monkeypatch.setenv("DESK_DATABASE", migrated_url)
    config = tmp_path / "config.yaml"
    config.write_text("timezone: Europe/Berlin\nmoney:\n  currency: EUR\n")
    run_desk("init")
    ids = build_desk(agents.acting())

    def run(*args: str) -> tuple[int, str, str]:
        return run_desk("--config", str(config), "report", "--now", "2026-11-18 10:30", *args)

    run.ids = ids
    return run


def test_json_has_every_figure_under_stable_keys(report):
    status, out, err = report("--format", "json", "--period", "30d")
    assert status == 0 and err == ""
    data = json.loads(out)
    assert list(data) == ["window", "currency", "support", "sla", "clients", "workload",
                          "attention", "nps"]
    assert data["currency"] == "EUR"
    assert data["window"] == {"period": "30d", "start": "2026-10-19T00:00+02:00",
                              "end": "2026-11-18T10:30+01:00"}
    support = data["support"]
    assert support["open_queries"] == {
        "label": "open queries", "value": 3, "count": None, "amount": None,
        "drill": {"scope": "tasks", "query": "kind:query is:open", "ids": None,
                  "complete": True}}
    assert [f["value"] for f in support["open_queries_by_priority"]] == [1, 0, 1, 1, 0]
    assert (support["first_response"]["value"], support["resolution"]["value"]) == (3600, 129600)
    assert support["csat"]["value"] == "3.50"
    assert support["csat"]["drill"]["ids"] == [report.ids["Q1"], report.ids["Q2"]]
    assert data["sla"]["attainment"]["rate"] == 0.3333 and data["sla"]["breaches"]["value"] == 2
    clients = data["clients"]
    assert clients["return_on_relationship"]["rate"]["rate"] == 0.8
    assert clients["retention"]["rate"]["rate"] == 0.75
    assert clients["retention"]["churn_rate"] == 0.25
    assert clients["monthly_revenue"]["value"] == "700.00"
    assert [(f["label"], f["value"], f["amount"]) for f in clients["pipeline"]][3] == (
        "active", 2, "600.00")
    assert [(load["name"], load["open"]["value"]) for load in data["workload"]["teams"]] == [
        ("Support", 4), ("Fulfilment", 1), ("no team", 1)]
    attention = data["attention"]
    assert [(b["name"], b["day"]) for b in attention["upcoming_birthdays"]] == [
        ("Echo", "2026-11-18"), ("Acme", "2026-11-20"), ("Bolt", "2026-12-01")]
    assert [c["name"] for c in attention["at_risk_clients"]] == ["Bolt", "Cora"]


def test_table_shows_the_same_figures(report):
    status, out, err = report()
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "Dashboard for the last 30 days: 2026-10-19 00:00 to 2026-11-18 10:30"
    text = "\n".join(" ".join(line.split()) for line in lines)
    for expected in (
        "open queries 3 (urgent 1, high 0, normal 1, low 1, none 0)",
        "overdue tasks 2",
        "first response 1h (median of 3)",
        "resolution 36h (median of 2)",
        "CSAT 3.50 (average of 2)",
        "CSAT by week, 30 days - - - 3.50 -",
        "SLA attainment 33% (1 of 3 queries with a target in the period)",
        "SLA breaches 2",
        "return on relationship 80% (4 of 5 clients helped in 12 months); came back 3, "
        "referred someone 2",
        "retention 75% (3 of 4 active at the start); churned 1",
        "monthly retainer revenue €700.00 from 3 retainers",
        "active 2 (€600.00/month)",
        "maria 3 1",
        "Support 4 2",
        "past contact cadence 2",
        "Fern (never contacted)",
        "Acme (48 days since the last contact)",
        "2026-11-20 Acme",
        "Bolt (low CSAT, SLA breach)",
    ):
        assert expected in text, expected


def test_stored_text_is_printed_visibly(report):
    Client.update(name="Ev\x1b[2Jil\nCorp").where(Client.id == report.ids["Bolt"]).execute()
    _, out, _ = report()
    assert "Ev␛[2Jil⏎Corp (low CSAT, SLA breach)" in out and "\x1b" not in out


@pytest.mark.parametrize(("args", "message"), [
    (("--period", "7d"), "desk: --period must be one of 30d, 90d, 12m, not '7d'\n"),
    (("--now", "someday"), "desk: --now: cannot read 'someday' as a date; "),
])
def test_a_bad_option_is_one_line(report, args, message):
    status, out, err = report(*args)
    assert status == 1 and out == ""
    assert err.startswith(message) and err.count("\n") == 1


def test_json_in_the_system_time_zone(migrated_url, run_desk, monkeypatch):
    """Without a configured zone the system's is used (read from a zone file)."""
    monkeypatch.setenv("DESK_DATABASE", migrated_url)
    run_desk("init")
    build_desk(agents.acting())
    status, out, err = run_desk("report", "--format", "json", "--now", "2026-11-18T09:30Z")
    assert status == 0 and err == ""
    assert json.loads(out)["support"]["open_queries"]["value"] == 3
