"""The dashboard and `desk report` leave out the work on archived lists (and on the lists of
archived spaces) in every figure that counts tasks, as the inbox and the task lists do, so
a figure still equals the rows its drill-down opens; the figures about clients keep it.
The desk is test_metrics' hand-built one: T1-T4 are on the list Work, the queries on the
Support inbox, all in the space Desk."""

from __future__ import annotations

import json

from test_metrics import NOW, build_desk, drill_downs_match

from desk.kernel import agents
from desk.metrics import dashboard as metrics
from desk.work.shaping import arranging


def loads(board: metrics.Dashboard) -> tuple[list, list]:
    """(name, open, overdue) of each agent and of each team."""
    return ([(load.name, load.open.value, load.overdue.value) for load in board.workload.agents],
            [(load.name, load.open.value, load.overdue.value) for load in board.workload.teams])


def test_an_archived_list_leaves_the_task_figures_and_comes_back_when_restored(admin):
    build_desk(admin)
    before = metrics.dashboard("30d", NOW)
    arranging.archive_list(admin, "Work")
    board = metrics.dashboard("30d", NOW)
    # T1 (maria, Support, overdue), T2 (maria and jonas, Fulfilment) and T4 (no one, no
    # team) were open on Work: only the queries are left.
    assert loads(board) == ([("jonas", 1, 1), ("maria", 1, 0), (admin.username, 0, 0)],
                            [("Support", 3, 1), ("Fulfilment", 0, 0)])
    assert board.support.overdue_tasks.value == 1  # Q6; T1 is archived
    assert board.support.open_queries.value == 3  # the queries are on the Support inbox
    drill_downs_match(board, admin)
    arranging.restore_list(admin, "Work")
    assert metrics.dashboard("30d", NOW) == before


def test_an_archived_space_takes_its_queries_out_of_support_and_sla_but_not_clients(admin):
    build_desk(admin)
    before = metrics.dashboard("30d", NOW)
    arranging.archive_space(admin, "Desk")
    board = metrics.dashboard("30d", NOW)
    support = board.support
    assert (support.open_queries.value, support.overdue_tasks.value) == (0, 0)
    assert [figure.value for figure in support.open_queries_by_priority] == [0] * 5
    assert (support.first_response.value, support.first_response.count) == (None, 0)
    assert (support.resolution.count, support.csat.value, support.csat.count) == (0, None, 0)
    assert all(week.count == 0 for week in support.csat_trend_90d)
    assert (board.sla.attainment.whole.value, board.sla.breaches.value) == (0, 0)
    assert loads(board) == ([(admin.username, 0, 0), ("jonas", 0, 0), ("maria", 0, 0)],
                            [("Fulfilment", 0, 0), ("Support", 0, 0)])
    # What a client was given stays: the relationship figures and the clients at risk.
    assert board.clients == before.clients and board.attention == before.attention
    drill_downs_match(board, admin)


def test_desk_report_leaves_out_an_archived_list(migrated_url, run_desk, monkeypatch,
                                                 tmp_path):
    monkeypatch.setenv("DESK_DATABASE", migrated_url)
    config = tmp_path / "config.yaml"
    config.write_text("timezone: Europe/Berlin\n")
    run_desk("init")
    build_desk(agents.acting())
    assert run_desk("lists", "archive", "Work")[0] == 0
    status, out, err = run_desk("--config", str(config), "report", "--now", "2026-11-18 10:30",
                                "--format", "json")
    assert status == 0 and err == ""
    workload = json.loads(out)["workload"]
    assert [(team["name"], team["open"]["value"]) for team in workload["teams"]] == [
        ("Support", 3), ("Fulfilment", 0)]
    assert json.loads(out)["support"]["overdue_tasks"]["value"] == 1
