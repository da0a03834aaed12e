"""desk nps: the NPS score with its trend and the answers of a period, and `desk nps send`:
the surveys due now, queued (or, with --dry-run, only listed)."""

from __future__ import annotations

import argparse
import json
import sys

from desk.cli.one_command import OnlyCommand
from desk.cli.session import Session, in_session
from desk.errors import DeskError

ANSWER_COLUMNS = ("answered_at", "client", "score", "group", "channel", "comment")
DUE_COLUMNS = ("client", "address", "last_sent")


def register(commands: OnlyCommand) -> None:
    """Add desk nps [--period P] [--format F] and desk nps send [--dry-run]."""
    nps = commands.add_parser(
        "nps", help="the NPS score, its trend and the answers; send the surveys due",
        description="NPS is the share of promoters (9-10) minus the share of detractors "
                    "(0-6) among the answers of the period, from -100 to 100.")
    nps.add_argument("--period", default="90d", metavar="PERIOD",
                     help="30d, 90d or 12m (default: 90d)")
    nps.add_argument("--format", choices=("table", "json"), default="table")
    nps.set_defaults(handler=in_session(show_nps, at_least="viewer"))
    actions = nps.add_subparsers(metavar="ACTION")
    send = actions.add_parser("send", help="queue the surveys due now (nps.cadence)")
    send.add_argument("--dry-run", action="store_true",
                      help="list who would get a survey now, and send nothing")
    send.add_argument("--format", choices=("table", "json"), default="table")
    send.set_defaults(handler=in_session(send_surveys))


def show_nps(session: Session, args: argparse.Namespace) -> int:
    """desk nps [--period 30d|90d|12m] [--format table|json]."""
    from desk import output
    from desk.metrics import dashboard
    from desk.metrics.nps import nps_metrics
    from desk.support.feedback import answers

    if args.period not in dashboard.PERIODS:
        raise DeskError(f"--period must be one of {', '.join(dashboard.PERIODS)}, "
                        f"not {args.period!r}")
    span = dashboard.window(args.period, session.context.now)
    metrics = nps_metrics(span)
    rows = output.records(answers.answered(span.start_utc, span.end_utc, session.agent))
    zone = session.settings.tz
    if args.format == "json":
        record = {"window": {"period": span.period, "start": span.start_utc,
                             "end": span.end_utc},
                  "nps": output.plain(metrics), "answers": rows}
        print(json.dumps(output.present(record, zone), ensure_ascii=False, indent=2))
        return 0
    score = metrics.score
    groups = ", ".join(f"{figure.value} {figure.label}" for figure in
                       (metrics.promoters, metrics.passives, metrics.detractors))
    print(output.fields([
        ("NPS", "-  (no answers in the period)" if score.value is None
         else f"{score.value}  (from {score.count} answers: {groups})"),
        ("by month", _trend(metrics.by_month)),
        ("by quarter", _trend(metrics.by_quarter)),
    ]))
    print()
    print(output.render(rows, ANSWER_COLUMNS, "table", zone, flexible=("comment",),
                        width=output.terminal_width(sys.stdout))
          if rows else "No answers in the period.")
    return 0


def _trend(figures) -> str:
    """The NPS of each part, "LABEL VALUE", "-" for a part without answers."""
    return ", ".join(f"{figure.label[:7]} {'-' if figure.value is None else figure.value}"
                     for figure in figures)


def send_surveys(session: Session, args: argparse.Namespace) -> int:
    """desk nps send [--dry-run] [--format table|json]."""
    from desk import output
    from desk.support.feedback import surveys

    if args.dry_run:
        due = surveys.due(session.settings.nps, session.context.now)
    else:
        if not session.settings.nps.enabled:
            raise DeskError("NPS surveys are off: set nps.enabled: true in the config "
                            "(desk nps send --dry-run lists who would get one)")
        due = surveys.send_due(session.agent, session.settings, session.context.now)
    rows = [{"client": item.client_name, "address": item.address,
             "last_sent": item.last_sent} for item in due]
    if args.format == "json":
        print(output.render(rows, DUE_COLUMNS, "json", session.settings.tz))
        return 0
    if rows:
        print(output.render(rows, DUE_COLUMNS, "table", session.settings.tz))
    verb = "would get" if args.dry_run else "queued for"
    print(f"{len(rows)} {'client' if len(rows) == 1 else 'clients'} {verb} an NPS survey"
          + (" now" if args.dry_run else ""))
    return 0
