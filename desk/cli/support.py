"""desk intake, desk csat and desk merge: support queries taken in from e-mail or forms,
satisfaction scores given by phone, and queries merged into one."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from desk.cli.one_command import OnlyCommand
from desk.cli.options import positive
from desk.cli.session import Session, find_workspace, in_session, open_session
from desk.errors import DeskError
from desk.text import one_line, visible

if TYPE_CHECKING:
    from desk.support.intake import IntakeOptions, Outcome


def register(commands: OnlyCommand) -> None:
    """Add desk intake form|maildir|mbox|eml|imap, desk csat and desk merge."""
    intake = commands.add_parser(
        "intake", help="take in support queries from e-mail or forms",
        description="Each e-mail is taken once (reading a mailbox again creates nothing new): "
                    "a new query, a comment on the query it answers, an automatic reply "
                    "(noted or logged), or failed (kept and reported). One line is printed "
                    "per message, then a summary; the exit status is 1 when a message failed.")
    sources = intake.add_subparsers(dest="intake_command", metavar="SOURCE", required=True)
    form = sources.add_parser("form", help="read submissions as JSON or YAML on standard input: "
                                           "a mapping or a list of them with name, email, client, "
                                           "product, problem, title, priority, channel")
    form.set_defaults(handler=take_forms)
    maildir = sources.add_parser("maildir", help="read a maildir (its files are left as they are)")
    maildir.add_argument("path", type=Path, metavar="PATH")
    mbox = sources.add_parser("mbox", help="read an mbox file (it is left as it is)")
    mbox.add_argument("path", type=Path, metavar="PATH")
    eml = sources.add_parser("eml", help="read .eml files")
    eml.add_argument("files", type=Path, nargs="+", metavar="FILE")
    imap = sources.add_parser("imap", help="read the IMAP folder of the config's intake.imap and "
                                           "flag or move what was taken")
    for mail in (maildir, mbox, eml, imap):
        mail.set_defaults(handler=in_session(take_mail))

    csat = commands.add_parser("csat", help="record a satisfaction score given by phone")
    csat.add_argument("task", type=positive, metavar="ID", help="query number")
    csat.add_argument("score", metavar="SCORE", help="1 (poor) to 5 (excellent)")
    csat.add_argument("comment", nargs="?", default="", metavar="COMMENT")
    csat.set_defaults(handler=in_session(record_csat))

    merge = commands.add_parser(
        "merge", help="merge support queries into one",
        description="Moves every message, comment, attachment and interaction of the OTHER "
                    "queries to KEEP, then closes them with a note 'merged into #KEEP'.")
    merge.add_argument("keep", type=positive, metavar="KEEP", help="the query that stays")
    merge.add_argument("others", type=positive, nargs="+", metavar="OTHER",
                       help="the queries merged into it")
    merge.set_defaults(handler=in_session(merge_queries))


def take_forms(args: argparse.Namespace) -> int:
    """desk intake form: the submissions on standard input are read before the workspace is
    opened, so a mistake in them changes nothing."""
    submissions = form_submissions(sys.stdin)
    return take_submissions(open_session(find_workspace(args), at_least="agent"),
                            submissions)


def take_submissions(session: Session, submissions: list[object]) -> int:
    """Take the form `submissions` in the session: one line per submission, then a summary."""
    from desk.support import forms

    report = forms.take_forms(session.agent, submissions, intake_options(session))
    for outcome in report.outcomes:
        show_outcome(outcome)
    print(report.summary())
    return 1 if report.count("failed") else 0


def take_mail(session: Session, args: argparse.Namespace) -> int:
    """desk intake maildir PATH | mbox PATH | eml FILE... | imap."""
    from desk.mail import sources
    from desk.support import intake

    options = intake_options(session)
    if args.intake_command == "imap":
        with sources.imap(session.settings.intake.imap) as messages:
            report = intake.take_all(session.agent, messages, options, on_outcome=show_outcome)
    else:
        messages = {"maildir": lambda: sources.maildir(args.path),
                    "mbox": lambda: sources.mbox(args.path),
                    "eml": lambda: sources.eml_files(args.files)}[args.intake_command]()
        report = intake.take_all(session.agent, messages, options, on_outcome=show_outcome)
    print(report.summary())
    return 1 if report.count("failed") else 0


def intake_options(session: Session) -> IntakeOptions:
    """The intake settings of the session's config."""
    from desk import sla
    from desk.support import intake

    return intake.IntakeOptions.from_settings(session.settings.intake,
                                              sla.book(session.settings))


def show_outcome(outcome: Outcome) -> None:
    """One line per message taken, printed as soon as it is taken."""
    print(one_line(outcome.text()), flush=True)


def form_submissions(stream: TextIO) -> list[object]:
    """The submissions on standard input: JSON, or YAML (one or more documents), each a
    mapping or a list of mappings."""
    import json

    import yaml

    text = stream.read()
    try:
        documents = [json.loads(text)]
    except json.JSONDecodeError:
        try:
            documents = list(yaml.safe_load_all(text))
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f", line {mark.line + 1}" if mark is not None else ""
            raise DeskError(f"standard input{where}: not valid JSON or YAML: "
                            f"{getattr(error, 'problem', None) or error}") from None
    submissions = [item for document in documents if document is not None
                   for item in (document if isinstance(document, list) else [document])]
    if not submissions:
        raise DeskError("standard input: no submission (expected a mapping of name, email, "
                        "problem... or a list of them)")
    return submissions


def record_csat(session: Session, args: argparse.Namespace) -> int:
    """desk csat ID SCORE [COMMENT]."""
    from desk.support import csat
    from desk.work import tasks

    recorded = csat.record(session.agent, args.task, args.score, args.comment)
    title = tasks.get(args.task).row.title
    print(f"recorded CSAT {recorded.score} on query {args.task}: {visible(title)}"
          + (f" ({visible(recorded.comment)})" if recorded.comment else ""))
    return 0


def merge_queries(session: Session, args: argparse.Namespace) -> int:
    """desk merge KEEP OTHER..."""
    from desk import sla
    from desk.support import merge

    merged = merge.merge(session.agent, args.keep, args.others,
                         sla_rules=sla.book(session.settings))
    print(f"merged {', '.join(f'#{other}' for other in merged.merged)} into #{merged.keep_id}"
          f" (moved {merged.summary()}) and closed them")
    return 0
