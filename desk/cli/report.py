"""desk report: the dashboard's metrics as text or JSON, for scripts and e-mailed reports."""

from __future__ import annotations

import argparse

from desk.cli.one_command import OnlyCommand
from desk.cli.options import option_moment
from desk.cli.session import Session, in_session
from desk.errors import DeskError


def register(commands: OnlyCommand) -> None:
    """Add desk report."""
    report = commands.add_parser(
        "report", help="print the dashboard metrics (for scripts and e-mailed reports)")
    report.add_argument("--period", default="30d", metavar="PERIOD",
                        help="30d, 90d or 12m (default: 30d)")
    report.add_argument("--format", choices=("table", "json"), default="table")
    report.add_argument("--now", metavar="TIME",
                        help="the moment to report for (default: now), e.g. 2026-12-01T09:00")
    report.set_defaults(handler=in_session(print_report, at_least="viewer"))


def print_report(session: Session, args: argparse.Namespace) -> int:
    """desk report [--period 30d|90d|12m] [--format table|json] [--now TIME]."""
    from desk import dates
    from desk.metrics import dashboard, report

    if args.period not in dashboard.PERIODS:
        raise DeskError(f"--period must be one of {', '.join(dashboard.PERIODS)}, "
                        f"not {args.period!r}")
    now = (option_moment("--now", dates.parse_when, args.now, session.context.now) if args.now
           else session.context.now)
    settings = session.settings
    print(report.render(dashboard.dashboard(args.period, now), args.format, settings.tz,
                        settings.money.currency))
    return 0
