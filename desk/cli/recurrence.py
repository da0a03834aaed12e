"""desk recur and desk tick: make a task recur (or stop it), and do the background work that
is due (recurring tasks, automations, e-mail) once, for cron."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime, timedelta

from desk import output
from desk.cli.one_command import OnlyCommand
from desk.cli.options import option_moment, positive
from desk.cli.session import Session, in_session
from desk.errors import DeskError, PermissionDenied
from desk.text import one_line, visible

TICK_AHEAD = timedelta(minutes=5)
"""How far past the clock `desk tick --now` may act for an agent (clocks differ a little);
only an admin may act for a later moment."""


def register(commands: OnlyCommand) -> None:
    """Add desk recur and desk tick."""
    recur = commands.add_parser(
        "recur", help="make a task recur (shows the next five dates), or stop it",
        description="Without a rule: show the task's series. With one: print the next five "
                    "dates and save (--preview: print only). A new rule replaces the task's "
                    "series; options not given take their defaults.")
    recur.add_argument("task", type=positive, metavar="TASK", help="task number")
    recur.add_argument("rule", nargs="*", metavar="RULE",
                       help="e.g. daily, 'every 2 weeks on fri', 'monthly on last working "
                            "day', 'yearly on 03-15', or FREQ=MONTHLY;BYMONTHDAY=1")
    recur.add_argument("--anchor", choices=("schedule", "completion"), default="schedule",
                       help="count the next date from the schedule or from completion")
    recur.add_argument("--mode", choices=("new", "reopen"), default="new",
                       help="create a new task each time, or reopen this one")
    recur.add_argument("--skip-weekends", action="store_true",
                       help="move a Saturday or Sunday date to the Monday")
    recur.add_argument("--skip-if-open", action="store_true",
                       help="skip a date while the previous occurrence is not done")
    recur.add_argument("--catch-up", choices=("latest", "all"), default="latest",
                       help="after downtime create only the latest missed date, or all")
    recur.add_argument("--start", metavar="WHEN", help="first date, e.g. mon, 2026-12-01")
    recur.add_argument("--until", metavar="DATE", help="last day, e.g. 2027-06-30")
    recur.add_argument("--count", type=positive, metavar="N", help="end after N dates")
    recur.add_argument("--preview", action="store_true", help="show the dates, save nothing")
    recur.add_argument("--stop", action="store_true", help="stop the task's series")
    recur.set_defaults(handler=in_session(recur_task, at_least="viewer"))

    tick = commands.add_parser("tick", help="create the recurring work that is due (for cron)")
    tick.add_argument("--now", metavar="TIME",
                      help="the moment to act for (default: now), e.g. 2026-12-01T09:00; "
                           "only an admin may name a later one")
    tick.set_defaults(handler=in_session(tick_once))


def recur_task(session: Session, args: argparse.Namespace) -> int:
    """desk recur TASK [RULE] [options], or desk recur TASK --stop."""
    from desk import dates
    from desk.recurrence import series as recurrence
    from desk.work import tasks

    zone, now = session.settings.tz, session.context.now
    calendar = session.settings.business_calendar()
    rule = " ".join(args.rule).strip()
    name = f"task {args.task} ({visible(tasks.get(args.task).row.title)})"
    if args.stop or not rule:
        if args.stop and rule:
            raise DeskError("give a rule or --stop, not both")
        view = (recurrence.stop_series(session.agent, args.task) if args.stop
                else recurrence.series_for(args.task))
        if view is None or not view.active:
            print(f"{name} does not recur" + ("" if args.stop else
                  f"; e.g. desk recur {args.task} 'weekly on mon'"))
            return 0
        print(f"{name} {recurrence.describe(view.spec, zone)}:")
        print_dates(recurrence.preview(view.spec, view.next_at or now, 5, zone,
                                       calendar=calendar))
        return 0
    starts = (option_moment("--start", recurrence.start_from_text, args.start, args.task, now)
              if args.start else recurrence.default_start(args.task, now))
    until = option_moment("--until", dates.parse_due, args.until, now) if args.until else None
    spec = recurrence.SeriesSpec(
        rule, anchor=args.anchor, mode=args.mode, skip_weekends=args.skip_weekends,
        skip_if_open=args.skip_if_open, catch_up=args.catch_up, starts_at=starts,
        until=until, count=args.count)
    upcoming = recurrence.upcoming(args.task, spec, zone, calendar=calendar, now=now)
    print(f"{name} {recurrence.describe(recurrence.checked(spec), zone)}:")
    print_dates(upcoming)
    if args.preview:
        print("preview only: nothing saved")
        return 0
    view = recurrence.set_series(session.agent, args.task, spec, zone, calendar=calendar,
                                 now=now)
    following = (f"next {output.cell(view.next_at, zone)}" if view.next_at
                 else "the next date follows when the current one is done")
    print(f"saved series {view.id}: {following}")
    return 0


def print_dates(moments: Sequence[datetime]) -> None:
    """The dates of a preview, one a line, in local time."""
    for moment in moments:
        print(f"  {moment:%a %Y-%m-%d %H:%M %Z}")
    if not moments:
        print("  (no dates left)")


def refuse_unless_admin(session: Session, why: str) -> None:
    """PermissionDenied saying `why`, unless the session's agent is an admin now."""
    from desk.kernel import agents

    try:
        agents.require_admin(session.agent)
    except PermissionDenied as refused:
        raise PermissionDenied(f"{why}, so only an admin may ({refused})") from None


def tick_once(session: Session, args: argparse.Namespace) -> int:
    """desk tick [--now TIME]: do the background work due by now, once (cron, systemd)."""
    from desk import dates
    from desk.automation import background

    now = (option_moment("--now", dates.parse_when, args.now, session.context.now) if args.now
           else session.context.now)
    if now > session.context.now + TICK_AHEAD:
        refuse_unless_admin(session, f"--now {args.now} is ahead of the clock: acting for a later "
                                     "moment creates the work due then and moves every "
                                     "recurring series on for good")
    failed = False
    for report in background.run_due_work(session.settings, now, session.agent):
        print(report.summary)
        for problem in report.problems:
            print(f"desk: {one_line(problem)}", file=sys.stderr)
        failed = failed or bool(report.problems)
    return 1 if failed else 0
