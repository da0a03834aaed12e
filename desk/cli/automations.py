"""desk automations check and desk automations dry-run: the config's rules, checked or tried
on the workspace without changing it."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from desk.cli.options import option_moment
from desk.cli.session import Session, find_workspace, in_session, open_session
from desk.text import visible

if TYPE_CHECKING:
    pass


def register(commands: argparse._SubParsersAction) -> None:
    """Add desk automations check|dry-run."""
    automations = commands.add_parser("automations", help="check or try the automation rules")
    actions = automations.add_subparsers(metavar="ACTION", required=True)
    check = actions.add_parser("check", help="check the rules: mistakes by rule name, key and line")
    check.set_defaults(handler=check_rules)
    dry_run = actions.add_parser(
        "dry-run", help="show what the rules would do now, changing nothing")
    dry_run.add_argument("--since", metavar="DATE",
                         help="replay every change since DATE, e.g. today, yesterday, "
                              "--since=-7d, 2026-11-01 "
                              "(default: the changes not yet processed)")
    dry_run.set_defaults(handler=in_session(dry_run_rules, at_least="viewer"))


def check_rules(args: argparse.Namespace) -> int:
    """desk automations check: the first mistake of each rule; when they read well, the
    lists, statuses, templates, agents and teams they name that the workspace lacks."""
    # The grammar first, without the database (desk.automation.rules imports none of it): a
    # config with a mistake cannot open the workspace.
    from desk.automation import rules
    from desk.config import read_config

    text, source = read_config(args.config) or ("", "config.yaml")
    rule_set, problems = rules.check(text, source)
    idle: list[tuple[str, str, bool]] = []
    if not problems:
        open_session(find_workspace(args), at_least="viewer")
        from desk.automation import workspace_names  # once the workspace chose its driver

        problems = workspace_names.check(text, source)
        idle = workspace_names.not_in_use(rule_set)
    for problem in problems:
        print(visible(str(problem)))
    if problems:
        return 1
    for name, reason, built_in in idle:
        rule = "built-in rule" if built_in else "rule"
        print(visible(f'{rule} "{name}" is not in use here: {reason}'))
    in_use = len(rule_set) - len(idle)
    print(f"{in_use} {'rule' if in_use == 1 else 'rules'} in use: no problems")
    return 0


def dry_run_rules(session: Session, args: argparse.Namespace) -> int:
    """desk automations dry-run [--since DATE]."""
    from desk import dates, sla
    from desk.automation import processor, rules

    now = session.context.now
    since = option_moment("--since", dates.parse_when, args.since, now) if args.since else None
    lines = processor.dry_run(rules.parse(session.settings.automations), now, since=since,
                              agent=session.agent, sla_rules=sla.book(session.settings))
    changes = f"changes since {args.since}" if since else "pending changes"
    if not lines:
        print(f"no rule would fire (on {changes} and due dates and birthdays)")
        return 0
    print(f"the rules would do this (on {changes} and due dates and birthdays; nothing was "
          "changed):")
    for line in lines:
        print(f"  {visible(line)}")
    return 0
