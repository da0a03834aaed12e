"""desk automations check and desk automations dry-run: the config's rules, checked or tried
on the workspace without changing it."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from desk.cli.one_command import OnlyCommand
from desk.cli.options import option_moment
from desk.cli.session import Session, find_workspace, in_session, open_session
from desk.text import visible

if TYPE_CHECKING:
    pass


def register(commands: OnlyCommand) -> None:
    """Add desk automations check|dry-run."""
    automations = commands.add_parser("automations", help="check or try the automation rules")
    actions = automations.add_subparsers(metavar="ACTION", required=True)
    check = actions.add_parser(
        "check", help="check the rules and sequences: mistakes by name, key and line")
    check.set_defaults(handler=check_rules)
    dry_run = actions.add_parser(
        "dry-run", help="show what the rules and sequences would do now, changing nothing")
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
    sequence_set, sequence_problems = _sequences_checked(text, source)
    if sequence_problems:  # the file's own complaint would repeat the first of them
        problems = [*(problem for problem in problems if problem.name or problem.key),
                    *sequence_problems]
    idle: list[tuple[str, str, bool]] = []
    lacking: list = []
    if not problems:
        open_session(find_workspace(args), at_least="viewer")
        from desk.automation import workspace_names  # once the workspace chose its driver
        from desk.automation.sequences import names

        problems = workspace_names.check(text, source)
        idle = workspace_names.not_in_use(rule_set)
        lacking = names.unknown_lists(sequence_set)
        problems += [rules.Problem(sequence.name, key, None, message, source, "sequence")
                     for sequence, key, message, built_in in lacking if not built_in]
    for problem in problems:
        print(visible(str(problem)))
    if problems:
        return 1
    for name, reason, built_in in idle:
        rule = "built-in rule" if built_in else "rule"
        print(visible(f'{rule} "{name}" is not in use here: {reason}'))
    for sequence, key, message, _ in lacking:
        print(visible(f'built-in sequence "{sequence.name}", {key}: {message} (that step '
                      "would pause it)"))
    in_use = len(rule_set) - len(idle)
    print(f"{in_use} {'rule' if in_use == 1 else 'rules'} in use, {len(sequence_set)} "
          f"{'sequence' if len(sequence_set) == 1 else 'sequences'}: no problems")
    return 0


def _sequences_checked(text: str, source: str) -> tuple[tuple, list]:
    """The config file's sequences and their mistakes (none when the YAML does not read:
    the rules' check says so)."""
    import yaml

    from desk.config import read_yaml
    from desk.config.automations.sequences import check

    try:
        data, root = read_yaml(text)
    except yaml.YAMLError:
        return (), []
    return check(data, root, source)


def dry_run_rules(session: Session, args: argparse.Namespace) -> int:
    """desk automations dry-run [--since DATE]."""
    from desk import dates, sla
    from desk.automation import processor, rules
    from desk.automation.sequences import engine
    from desk.config.automations.sequences import parse

    now = session.context.now
    since = option_moment("--since", dates.parse_when, args.since, now) if args.since else None
    settings = session.settings
    sequence_set = parse(settings.sequences)
    lines = processor.dry_run(rules.parse(settings.automations), now, since=since,
                              agent=session.agent, sla_rules=sla.book(settings),
                              currency=settings.money.currency, sequence_set=sequence_set)
    changes = f"changes since {args.since}" if since else "pending changes"
    if not lines:
        print(f"no rule would fire (on {changes} and due dates and birthdays)")
    else:
        print(f"the rules would do this (on {changes} and due dates and birthdays; nothing "
              "was changed):")
        for line in lines:
            print(f"  {visible(line)}")
    steps = engine.dry_run(sequence_set, now, processor.rules_runner(session.agent),
                           sla.book(settings), settings.tz)
    if not steps:
        print("no sequence step is due")
        return 0
    print("the sequences would do this now (nothing was changed):")
    for line in steps:
        print(f"  {visible(line)}")
    return 0
