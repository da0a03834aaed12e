"""What the client screen's Retainer section and the dashboard's Retainers tile draw from a
retainer's usage, and the client page and dashboard figures they come from."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from desk.crm import clients
from desk.crm.retainers import Cycle, Usage
from desk.metrics import figures
from desk.metrics.clients import client_metrics
from desk.pages import client as client_page
from desk.screens.renderers.client.retainer import burn_down, retainer_items
from desk.screens.renderers.retainer_tile_lines import near_retainer_lines
from desk.work import tasks, workspace
from desk.work.time import entries

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 4, 10, 30, tzinfo=BERLIN)
HOSTILE = "\x1b[2J[bold]Evil[/bold]"


def usage(burn: tuple[int, ...], included: int = 600, rate: str | None = "90") -> Usage:
    """A November cycle with `burn` minutes used per day so far."""
    return Usage(7, HOSTILE, Cycle(date(2026, 11, 1), date(2026, 11, 30)), included,
                 sum(burn), Decimal(rate) if rate else None, burn)


def test_the_section_shows_hours_used_the_burn_down_and_the_overage():
    lines = [(item, prompt.plain) for item, prompt in retainer_items(usage((300, 0, 360)), "EUR")]
    assert lines == [
        (("heading", None), "Retainer"),
        (("retainer", "used"), "  11.00 of 10.00 h used (110%)  2026-11-01 – 2026-11-30"),
        (("retainer", "burn"), "  hours left  ▅▅▁  by day"),
        (("retainer", "overage"), "  Over by 1.00 h = €90.00 at €90.00 an hour")]
    assert retainer_items(None, "EUR") == []
    assert burn_down(usage((0, 60, 0), rate=None)) == "█▇▇"
    inside = [prompt.plain for _, prompt in retainer_items(usage((60,), rate=None), "EUR")]
    assert inside[1].startswith("  1.00 of 10.00 h used (10%)") and len(inside) == 3


def test_the_tile_names_each_client_near_its_hours_safely():
    lines = near_retainer_lines([usage((600,))])
    assert [(line.label, line.value, line.client_id) for line in lines] == [
        ("near their hours", "1", None), (HOSTILE, "100%", 7)]


def test_the_client_page_and_the_dashboard_read_this_cycles_hours(admin):
    workspace.create_space(admin, "Work")
    list_id = workspace.create_list(admin, "Work", "Accounts").id
    acme = clients.create(admin, "Acme", kind="client", retainer_cycle="monthly",
                          retainer_hours="2").row.id
    task = tasks.create(admin, "Retainer work", list_id, client_id=acme).row.id
    entries.log(admin, task, 100, NOW, day=date(2026, 11, 3))
    page = client_page.load(acme, admin, NOW)
    assert (page.retainer.used_minutes, page.retainer.burn) == (100, (0, 0, 100, 0))
    near = client_metrics(figures.window("30d", NOW)).near_retainers
    assert [(item.client, round(item.share, 2)) for item in near] == [("Acme", 0.83)]
