"""desk outbox: the e-mail desk sends, listed or shown, sent now, queued again or
cancelled."""

from __future__ import annotations

import argparse
import sys
from datetime import tzinfo
from typing import TYPE_CHECKING

from desk import output
from desk.cli.one_command import OnlyCommand
from desk.cli.options import positive
from desk.cli.session import Session, in_session
from desk.errors import DeskError
from desk.text import one_line, visible
from desk.vocabulary import OUTBOX_STATUSES

if TYPE_CHECKING:
    from desk.mail.outbox import OutboxMessage

OUTBOX_COLUMNS = ("id", "status", "attempts", "to_address", "subject", "created_at", "sent_at",
                  "next_attempt_at", "last_error")


def register(commands: OnlyCommand) -> None:
    """Add desk outbox [list|show|send|retry|cancel]."""
    mail = commands.add_parser(
        "outbox", help="list the outgoing e-mail, send it now, or retry a failed one",
        description="The outbox holds the e-mail desk sends (replies, automation e-mails). "
                    "The background work (desk tick, the running app) sends what is due over "
                    "the config's smtp: server; without one, mail waits here.")
    listing_options(mail, (None, "table", 100))
    mail.set_defaults(handler=in_session(list_messages, at_least="viewer"))
    actions = mail.add_subparsers(metavar="ACTION")
    listing = actions.add_parser("list", help="list the newest messages (the default)")
    listing_options(listing, (argparse.SUPPRESS,) * 3)
    listing.set_defaults(handler=in_session(list_messages, at_least="viewer"))
    show = actions.add_parser("show", help="print one message: its headers and text")
    show.add_argument("id", type=positive, metavar="ID", help="the message's number")
    show.set_defaults(handler=in_session(show_message, at_least="viewer"))
    send = actions.add_parser("send", help="send every queued message now, even one waiting to "
                                           "be tried again")
    send.set_defaults(handler=in_session(send_now))
    retry = actions.add_parser("retry", help="queue a failed message again (or send a "
                                             "waiting one at the next run)")
    retry.add_argument("id", type=positive, metavar="ID", help="the message's number")
    retry.set_defaults(handler=in_session(retry_message))
    cancel = actions.add_parser("cancel", help="take a queued message out before it is sent")
    cancel.add_argument("id", type=positive, metavar="ID", help="the message's number")
    cancel.set_defaults(handler=in_session(cancel_message))


def listing_options(parser: argparse.ArgumentParser,
                    defaults: tuple[object, object, object]) -> None:
    """--status, --format and --limit of `desk outbox [list]`, with their `defaults` (all
    SUPPRESS after `list`, so that options given before it stay)."""
    status, fmt, limit = defaults
    parser.add_argument("--status", choices=OUTBOX_STATUSES, default=status)
    parser.add_argument("--format", choices=("table", "json"), default=fmt)
    parser.add_argument("--limit", type=positive, default=limit, metavar="N")


def list_messages(session: Session, args: argparse.Namespace) -> int:
    """desk outbox [list] [--status S] [--format F] [--limit N]."""
    from desk.mail import outbox

    rows = output.records(outbox.rows(args.status, args.limit, session.agent))
    print(output.render(rows, OUTBOX_COLUMNS, args.format, session.settings.tz,
                        flexible=("subject", "last_error"),
                        width=output.terminal_width(sys.stdout)))
    warn_unless_sending(session)
    return 0


def show_message(session: Session, args: argparse.Namespace) -> int:
    """desk outbox show ID."""
    from desk.mail import outbox

    print(message_text(outbox.get(args.id, session.agent), session.settings.tz))
    return 0


def send_now(session: Session, args: argparse.Namespace) -> int:
    """desk outbox send: every queued message now, even one waiting to be tried again."""
    from desk.mail import delivery, outbox

    if not session.settings.smtp.host:
        raise DeskError(f"cannot send: {outbox.NOT_CONFIGURED}; mail waits in the outbox")
    report = delivery.deliver(session.settings, session.context.now, waiting_too=True)
    print(report.summary())
    for problem in report.problems():
        print(f"desk: {one_line(problem)}", file=sys.stderr)
    return 1 if report.failed or report.deferred else 0


def retry_message(session: Session, args: argparse.Namespace) -> int:
    """desk outbox retry ID."""
    from desk.mail import outbox

    row = outbox.retry(session.agent, args.id)
    print(f"e-mail {row.id} to {visible(row.to_address)} is queued: it goes out with the "
          "next background run (desk tick, the running app) or desk outbox send")
    warn_unless_sending(session)
    return 0


def cancel_message(session: Session, args: argparse.Namespace) -> int:
    """desk outbox cancel ID."""
    from desk.mail import outbox_edits

    outbox_edits.cancel(session.agent, args.id)
    print(f"e-mail {args.id} is cancelled: it will not be sent")
    return 0


def warn_unless_sending(session: Session) -> None:
    """Without an SMTP server, say on standard error how much mail waits and why."""
    from desk.mail import outbox

    if not session.settings.smtp.host:
        waiting = outbox.counts()["queued"]
        print(f"desk: {waiting} e-mail{'s' if waiting != 1 else ''} waiting: nothing is sent "
              f"because {outbox.NOT_CONFIGURED}", file=sys.stderr)


def message_text(message: OutboxMessage, zone: tzinfo) -> str:
    """One outbox message as `desk outbox show` prints it: its state, headers and text."""
    from desk.mail import outbox

    lines = [f"{label}: {one_line(value)}" for label, value in outbox.headers(message, zone)]
    return "\n".join([*lines, "", visible(message.body)])

