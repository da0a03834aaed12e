"""desk with no command: the full-screen app at a terminal, else the workspace's counts."""

from __future__ import annotations

import argparse
import gc

from desk import output
from desk.cli.session import Session, find_workspace, open_session
from desk.cli.tui import run_tui, tui_wanted


def show_home(args: argparse.Namespace) -> int:
    """desk with no command: the TUI at a terminal, else the workspace summary."""
    at_terminal = tui_wanted()
    if at_terminal:
        gc.disable()  # the app's start allocates much and frees little: see DeskApp.on_ready
    session = open_session(find_workspace(args), at_least="viewer")
    if at_terminal:
        return run_tui(session)
    return print_summary(session)


def print_summary(session: Session) -> int:
    """Print the counts of the session's workspace and the commands to try next."""
    from desk.kernel import workspace_settings
    from desk.work import workspace

    company = workspace_settings.current().company
    print(summary_text(workspace.summary(), [
        *([("company", company)] if company else []),
        ("time zone", str(session.settings.tz)),
        ("working hours", workspace_settings.calendar_hours(session.settings))]))
    print("\nTry: desk ls, desk clients 'kind:client', desk add TITLE, desk --help")
    return 0


def summary_text(summary: dict, settings: list[tuple[str, str]]) -> str:
    """The workspace counts, then `settings` (label, value), as label/value lines."""
    def counts(by_kind: dict) -> str:
        return ", ".join(f"{number:,} {kind}" for kind, number in sorted(by_kind.items())) or "none"

    return output.fields([
        ("spaces", f"{summary['spaces']:,}"), ("lists", f"{summary['lists']:,}"),
        ("tasks", counts(summary["tasks"])), ("not done", counts(summary["open"])),
        ("clients", counts(summary["clients"])), *settings,
    ])
