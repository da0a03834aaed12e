"""What each dashboard tile shows: the metrics of desk.metrics.dashboard as tile lines.

`TILES` lists the tiles in reading order (id, title, the metrics section that fills it), and
`lines_for(section, result, currency)` turns one computed section into the lines of its tiles. Every
line that stands for a number carries the number's drill-down, so enter opens exactly the
rows it counts; lines naming one client open that client.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from msgspec.structs import replace

from desk.metrics.dashboard import (
    Attention,
    ClientMetrics,
    Figure,
    Load,
    NpsMetrics,
    Rate,
    SlaMetrics,
    SupportMetrics,
    Workload,
)
from desk.money import money_text
from desk.screens.renderers.retainer_tile_lines import near_retainer_lines
from desk.screens.widgets.dashboard_tile import TileLine

TILES = (
    ("queries", "Open queries", "support"),
    ("response", "Response", "support"),
    ("csat", "CSAT · NPS", "support"),
    ("sla", "SLA", "sla"),
    ("ror", "Repeat & referral", "clients"),
    ("retention", "Retention", "clients"),
    ("pipeline", "Pipeline", "clients"),
    ("leads", "Lead scores", "clients"),
    ("revenue", "Retainers", "clients"),
    ("agents", "Tasks by agent", "workload"),
    ("teams", "Tasks by team", "workload"),
    ("attention", "Needs attention", "attention"),
)
"""(tile id, title, metrics section) in reading order: four columns, three rows. A section
may add lines to another section's tile (NPS under CSAT: `nps_lines`). A title has at most 17
characters: it is drawn in full on a tile of an 80-column terminal."""

NONE = "–"
"""How a figure with nothing to measure reads."""


# --- numbers as text -------------------------------------------------------------------------


def count(value: int | Decimal | None) -> str:
    """A count with thousands separators."""
    return NONE if value is None else f"{int(value):,}"


def duration(seconds: int | Decimal | None) -> str:
    """Seconds as the two largest units: 45m, 3h 20m, 2d 4h."""
    if seconds is None:
        return NONE
    minutes = int(seconds) // 60
    days, hours, minutes = minutes // 1440, minutes // 60 % 24, minutes % 60
    if days:
        return f"{days}d {hours}h"
    return f"{hours}h {minutes}m" if hours else f"{minutes}m"


def percent(share: float | None) -> str:
    """A share as a percentage with one decimal."""
    return NONE if share is None else f"{share * 100:.1f}%"




# --- lines -----------------------------------------------------------------------------------


def headline(figure: Figure, label: str, shown: Callable[[Any], str] = count) -> TileLine:
    """The tile's key number, large."""
    return TileLine(label, shown(figure.value), figure.drill, headline=True)


def line(figure: Figure, label: str | None = None,
         shown: Callable[[Any], str] = count) -> TileLine:
    """A labelled figure."""
    return TileLine(label or figure.label, shown(figure.value), figure.drill)


def bars(figures: Sequence[Figure], detail: Callable[[Figure], str] | None = None,
         ) -> list[TileLine]:
    """One bar per figure, as long as its share of the largest, the bars lined up; `detail`
    adds a second value where the tile is wide enough."""
    largest = max((int(figure.value or 0) for figure in figures), default=0) or 1
    label_width = max((len(figure.label) for figure in figures), default=0)
    return [TileLine(figure.label, count(figure.value), figure.drill,
                     detail=detail(figure) if detail else "",
                     share=int(figure.value or 0) / largest, label_width=label_width)
            for figure in figures]


def share_of(result: Rate, label: str) -> TileLine:
    """A rate as its part of its whole: "35 of 40"."""
    return TileLine(label, f"{count(result.part.value)} of {count(result.whole.value)}",
                    result.part.drill)


def trend(figures: Sequence[Figure], label: str) -> TileLine:
    """A sparkline of weekly averages (a week without scores is a gap)."""
    values = tuple(None if figure.value is None else float(figure.value) for figure in figures)
    last = next((figure.value for figure in reversed(figures) if figure.value is not None), None)
    return TileLine(label, NONE if last is None else f"{last}", spark=values)


# --- the sections ----------------------------------------------------------------------------


def support_lines(metrics: SupportMetrics) -> dict[str, list[TileLine]]:
    """Open queries, response times and CSAT."""
    csat = metrics.csat
    scores = f"{count(csat.count or 0)} scores"
    return {
        "queries": [headline(metrics.open_queries, "open queries"),
                    *bars(metrics.open_queries_by_priority)],
        "response": [headline(metrics.first_response, "first reply", duration),
                     line(metrics.resolution, "resolution", duration),
                     line(metrics.overdue_tasks, "overdue tasks")],
        "csat": [headline(csat, scores, lambda value: NONE if value is None else f"{value}/5"),
                 trend(metrics.csat_trend_30d, "30 days"),
                 trend(metrics.csat_trend_90d, "90 days")],
    }


def sla_lines(metrics: SlaMetrics) -> dict[str, list[TileLine]]:
    """SLA attainment and breaches."""
    attained = metrics.attainment
    return {"sla": [TileLine("met", percent(attained.rate), attained.part.drill, headline=True),
                    share_of(attained, "met"),
                    line(metrics.breaches, "breaches")]}


def client_lines(metrics: ClientMetrics, currency: str) -> dict[str, list[TileLine]]:
    """Return on relationship, retention, pipeline, lead scores and retainers (amounts in
    `currency`)."""
    ror, retention = metrics.return_on_relationship, metrics.retention

    def money(amount: Decimal | int | None) -> str:
        """An amount in the workspace's currency."""
        return money_text(amount, currency)

    return {
        "ror": [TileLine("of helped", percent(ror.rate.rate), ror.rate.part.drill,
                         headline=True),
                line(ror.came_back, "came back"), line(ror.referred, "referred"),
                line(ror.rate.whole, "helped (12m)")],
        "retention": [TileLine("retained", percent(retention.rate.rate),
                               retention.rate.part.drill, headline=True),
                      share_of(retention.rate, "active"),
                      line(retention.churned, "churned"),
                      TileLine("churn", percent(retention.churn_rate))],
        "pipeline": bars(metrics.pipeline, lambda figure: money(figure.amount or 0)),
        "leads": bars(metrics.lead_scores),
        "revenue": [headline(metrics.monthly_revenue, "a month", money),
                    *near_retainer_lines(metrics.near_retainers)],
    }


def workload_lines(metrics: Workload) -> dict[str, list[TileLine]]:
    """Open tasks per agent and per team, with how many are overdue."""
    def loads(rows: Sequence[Load]) -> list[TileLine]:
        """A bar of open tasks per agent or team; the overdue count as the detail."""
        overdue = {row.name: count(row.overdue.value) for row in rows}
        return bars([replace(row.open, label=row.name) for row in rows],
                    lambda figure: f"{overdue[figure.label]} late")
    return {"agents": loads(metrics.agents), "teams": loads(metrics.teams)}


def attention_lines(metrics: Attention) -> dict[str, list[TileLine]]:
    """Clients past their contact cadence, birthdays soon, clients at risk, by name: each
    client at risk with why (its stage, a low CSAT, an SLA breach), each birthday with its
    date."""
    names = [TileLine(client.name, ", ".join(client.reasons), client_id=client.client_id)
             for client in metrics.at_risk_clients]
    names += [TileLine(client.name, f"{client.day:%d %b}", client_id=client.client_id)
              for client in metrics.upcoming_birthdays]
    return {"attention": [line(metrics.past_cadence, "past cadence"),
                          line(metrics.birthdays, "birthdays (14d)"),
                          line(metrics.at_risk, "at risk"), *names]}


def nps_lines(metrics: NpsMetrics) -> dict[str, list[TileLine]]:
    """NPS in the window and its trend by month over 12 months, under CSAT in its tile."""
    score = metrics.score
    return {"csat": [TileLine(f"NPS from {count(score.count or 0)}",
                              NONE if score.value is None else f"{score.value:+d}",
                              score.drill),
                     trend(metrics.by_month, "NPS 12m")]}


SECTION_LINES: dict[str, Callable[[Any], dict[str, list[TileLine]]]] = {
    "support": support_lines, "sla": sla_lines,
    "workload": workload_lines, "attention": attention_lines, "nps": nps_lines,
}


PRICED_LINES: dict[str, Callable[[Any, str], dict[str, list[TileLine]]]] = {
    "clients": client_lines,
}
"""The sections with amounts of money, drawn in the workspace's currency."""


def lines_for(section: str, result: Any, currency: str) -> dict[str, list[TileLine]]:
    """The lines of every tile one computed metrics section fills, by tile id; amounts in
    `currency`."""
    if section in PRICED_LINES:
        return PRICED_LINES[section](result, currency)
    return SECTION_LINES[section](result)
