"""desk sequences: the sequences clients are in, and starting, pausing, resuming or stopping
one for a client."""

from __future__ import annotations

import argparse
import sys

from desk import output
from desk.cli.one_command import OnlyCommand
from desk.cli.session import Session, in_session
from desk.errors import InvalidInput
from desk.text import visible

ACTIONS = {"start": "started", "pause": "paused", "resume": "resumed", "stop": "stopped"}
COLUMNS = ("id", "client", "sequence", "state", "step", "next_step", "next_due_at", "reason")


def register(commands: OnlyCommand) -> None:
    """Add desk sequences [list] [CLIENT] | start|pause|resume|stop CLIENT SEQUENCE."""
    parser = commands.add_parser(
        "sequences", help="the sequences clients are in; start, pause, resume or stop one",
        description="desk sequences [list] [CLIENT] [--format F] lists the sequences clients "
                    "are in; desk sequences start|pause|resume|stop CLIENT SEQUENCE changes "
                    "one.")
    parser.add_argument("words", nargs="*", metavar="ARGS",
                        help="[list] [CLIENT], or start|pause|resume|stop CLIENT SEQUENCE")
    parser.add_argument("--format", choices=output.FORMATS, default="table")
    parser.set_defaults(handler=in_session(run, at_least="viewer"))


def run(session: Session, args: argparse.Namespace) -> int:
    """List, or change one client's enrolment."""
    words = list(args.words)
    if words and words[0] in ACTIONS:
        if len(words) != 3:
            raise InvalidInput(f"usage: desk sequences {words[0]} CLIENT SEQUENCE")
        return change(session, *words)
    if words and words[0] == "list":
        words = words[1:]
    if len(words) > 1:
        raise InvalidInput("usage: desk sequences [list] [CLIENT]; put a client's name with "
                           "spaces in quotes")
    return listing(session, words[0] if words else None, args.format)


def listing(session: Session, client: str | None, fmt: str) -> int:
    """desk sequences [CLIENT]: every enrolment, live ones first."""
    from desk.automation.sequences import listing as sequence_listing
    from desk.config.automations.sequences import parse
    from desk.crm import clients

    client_id = clients.find(client, session.agent).id if client else None
    rows = sequence_listing.rows(parse(session.settings.sequences), client_id)
    if fmt == "json":
        print(output.render([row.as_record() for row in rows], COLUMNS, fmt,
                            session.settings.tz))
        return 0
    if not rows:
        print("no client is in a sequence" if client is None else
              f"{visible(client)} is in no sequence")
        return 0
    shown = [{**row.as_record(), "step": _step(row.step, row.steps, row.state)}
             for row in rows]
    print(output.render(shown, COLUMNS, fmt, session.settings.tz,
                        flexible=("next_step", "reason"),
                        width=output.terminal_width(sys.stdout)))
    return 0


def _step(step: int, steps: int, state: str) -> str:
    """Step N of M (all M once finished)."""
    return f"{steps} of {steps}" if state == "finished" else f"{step} of {steps}"


def change(session: Session, action: str, client: str, name: str) -> int:
    """desk sequences start|pause|resume|stop CLIENT SEQUENCE."""
    from desk.automation.sequences import enrolments
    from desk.config.automations.sequences import parse
    from desk.crm import clients

    row = clients.find(client, session.agent)
    now = session.context.now
    if action == "start":
        sequence = enrolments.named(parse(session.settings.sequences), name)
        if enrolments.start(session.agent, row.id, sequence, now,
                            session.settings.tz) is None:
            raise InvalidInput(f'{row.name} is in the sequence "{sequence.name}" already')
        print(visible(f'started "{sequence.name}" for {row.name}'))
        return 0
    enrolment_id, version = enrolments.live(row.id, row.name, name)
    getattr(enrolments, action)(session.agent, enrolment_id, version, now)
    print(visible(f'{ACTIONS[action]} "{name.strip()}" for {row.name}'))
    return 0
