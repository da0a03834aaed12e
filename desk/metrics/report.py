"""The dashboard as `desk report` prints it: a JSON record with stable keys, or text.

The record is the Dashboard's own structure (its field names are the keys), with
the window's moments and every stored time as local ISO 8601, amounts as strings
(desk.output.present) and the workspace's currency under "currency"; the text shows amounts
with their currency (desk.money). The text shows the same figures; every stored text in it (client,
agent and team names) is shown on one line through `one_line()`, that is `visible()`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import timedelta, tzinfo

from desk import output
from desk.metrics.dashboard import Dashboard, Figure, Load, Rate
from desk.money import money_text
from desk.sla import span_text
from desk.text import one_line

PERIOD_NAMES = {"30d": "the last 30 days", "90d": "the last 90 days", "12m": "the last 12 months"}


def render(dashboard: Dashboard, fmt: str, zone: tzinfo, currency: str) -> str:
    """The dashboard as JSON ("json") or text ("table"), amounts in `currency`."""
    if fmt == "json":
        return json.dumps(record(dashboard, zone, currency), ensure_ascii=False, indent=2)
    return text(dashboard, zone, currency)


def record(dashboard: Dashboard, zone: tzinfo, currency: str) -> dict:
    """The dashboard as plain JSON values, with the `currency` its amounts are in."""
    span = dashboard.window
    values: dict[str, object] = {
        "window": {"period": span.period, "start": span.start_utc, "end": span.end_utc},
        "currency": currency}
    values.update((name, output.plain(getattr(dashboard, name)))
                  for name in dashboard.__struct_fields__ if name != "window")
    return output.present(values, zone)


def text(dashboard: Dashboard, zone: tzinfo, currency: str) -> str:
    """The dashboard as sections of label/value lines and two small tables; amounts in
    `currency`."""
    span, support, sla = dashboard.window, dashboard.support, dashboard.sla
    clients, attention = dashboard.clients, dashboard.attention
    ror = clients.return_on_relationship
    start, end = (output.cell(moment, zone) for moment in (span.start_utc, span.end_utc))
    sections = [
        f"Dashboard for {PERIOD_NAMES[span.period]}: {start} to {end}",
        "SUPPORT\n" + output.fields([
            ("open queries", f"{support.open_queries.value}  "
                             f"({_parts(support.open_queries_by_priority)})"),
            ("overdue tasks", support.overdue_tasks.value),
            ("first response", _median(support.first_response)),
            ("resolution", _median(support.resolution)),
            ("CSAT", _average(support.csat)),
            ("CSAT by week, 30 days", _trend(support.csat_trend_30d)),
            ("CSAT by week, 90 days", _trend(support.csat_trend_90d)),
            ("NPS", _average(dashboard.nps.score).replace("average of", "from")),
            ("SLA attainment", _rate(sla.attainment, "queries with a target in the period")),
            ("SLA breaches", sla.breaches.value),
        ]),
        "RELATIONSHIPS\n" + output.fields([
            ("return on relationship", _rate(ror.rate, "clients helped in 12 months")
             + f"; came back {ror.came_back.value}, referred someone {ror.referred.value}"),
            ("retention", _rate(clients.retention.rate, "active at the start")
             + f"; churned {clients.retention.churned.value}"),
            ("monthly retainer revenue",
             f"{money_text(clients.monthly_revenue.value, currency)} from "
             f"{clients.monthly_revenue.count} retainers"),
            ("pipeline", ", ".join(f"{f.label.replace('_', ' ')} {f.value} "
                                   f"({money_text(f.amount, currency)}/month)"
                                   for f in clients.pipeline)),
            ("lead scores", _parts(clients.lead_scores)),
        ]),
        "WORKLOAD\n" + _loads("agent", dashboard.workload.agents) + "\n\n"
        + _loads("team", dashboard.workload.teams),
        "ATTENTION\n" + output.fields([
            ("past contact cadence", f"{attention.past_cadence.value}" + "".join(
                f"\n{one_line(c.name)} ({_since(c.clock.days_since_contact)})"
                for c in attention.longest_without_contact)),
            ("birthdays, 14 days", f"{attention.birthdays.value}" + "".join(
                f"\n{b.day.isoformat()} {one_line(b.name)}"
                for b in attention.upcoming_birthdays)),
            ("at risk", f"{attention.at_risk.value}" + "".join(
                f"\n{one_line(c.name)} ({', '.join(c.reasons)})"
                for c in attention.at_risk_clients)),
        ]),
    ]
    return "\n\n".join(sections)


def _parts(figures: Iterable[Figure]) -> str:
    """Labelled counts: "urgent 1, high 2"."""
    return ", ".join(f"{figure.label} {figure.value}" for figure in figures)


def _median(figure: Figure) -> str:
    """A median time and how many it is taken over."""
    if figure.value is None:
        return "-  (none in the period)"
    return f"{span_text(timedelta(seconds=int(figure.value)))}  (median of {figure.count})"


def _average(figure: Figure) -> str:
    """An average score and how many scores."""
    if figure.value is None:
        return "-  (no scores in the period)"
    return f"{figure.value}  (average of {figure.count})"


def _trend(figures: Iterable[Figure]) -> str:
    """The averages of a trend, oldest first, "-" for a part without scores."""
    return " ".join("-" if figure.value is None else str(figure.value) for figure in figures)


def _rate(share: Rate, whole: str) -> str:
    """"75% (3 of 4 ...)", or "-" when there is nothing to share."""
    percent = "-" if share.rate is None else f"{share.rate:.0%}"
    return f"{percent}  ({share.part.value} of {share.whole.value} {whole})"


def _loads(kind: str, loads: Iterable[Load]) -> str:
    """A table of open and overdue tasks per agent or team."""
    rows = [[one_line(load.name), str(load.open.value), str(load.overdue.value)]
            for load in loads]
    return output.table(rows, (kind, "open", "overdue"), flexible=(kind,))


def _since(days: int | None) -> str:
    """How long since the last contact."""
    return "never contacted" if days is None else f"{days} days since the last contact"
