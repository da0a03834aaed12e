"""Shaping a workspace and previewing an import from the keyboard, in tmux at 80x24: the
screens as a person reads them, and what the database holds afterwards (through `desk`)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .conftest import HEADER

pytestmark = pytest.mark.serial  # each runs desk in a terminal of its own: one at a time

IMPORTS = Path(__file__).parents[1] / "data" / "import"


@pytest.fixture
def support_url(tmp_path, environment, desk_command) -> str:
    """A new desk made with the support template."""
    url = f"sqlite:///{tmp_path / 'support.db'}"
    subprocess.run([*desk_command, "--db", url, "init", "--template", "support"],
                   env=environment, capture_output=True, timeout=120, check=True)
    return url


def desk_says(desk_command, url: str, environment, *args: str) -> str:
    """What `desk ARGS...` prints on the workspace."""
    return subprocess.run([*desk_command, "--db", url, *args], env=environment,
                          capture_output=True, text=True, timeout=120, check=True).stdout


def test_a_list_is_added_given_a_status_and_archived_from_the_keyboard(
        terminal, desk_command, support_url, environment):
    terminal.start([*desk_command, "--db", support_url])
    terminal.wait_for(HEADER.format("Inbox"), "to triage")
    terminal.press("2")
    terminal.wait_for(HEADER.format("Tasks"), "Support / Support inbox", "\\ Lists")
    terminal.press("\\")  # show the sidebar, focused
    terminal.wait_for("└ Support inbox", "n New list")

    terminal.press("n")
    terminal.wait_for("New list in Support: its name")
    terminal.press("Refunds", "Enter")
    terminal.wait_for("└ Refunds", 'Added the list “Refunds” to', gone=("its name",))
    terminal.press("j")  # the sidebar's cursor onto the new list
    terminal.choose_command("Add status", "A new status of the list under the sidebar's cursor",
                            gone=("New space…",))
    terminal.wait_for("New status of Refunds")
    terminal.press("Blocked", "Enter")
    terminal.wait_for("Category of Blocked", "active", "closed")
    terminal.press("a")
    terminal.wait_for('Added the status “Blocked” (active).', gone=("Category of",))

    terminal.press("a")
    screen = terminal.wait_for("Archive the list Refunds?", "no, leave it as it is",
                               "yes, archive it (its tasks are kept)")
    assert "Traceback" not in screen
    terminal.press("y")
    # the notice comes first, the sidebar read again after it
    screen = terminal.wait_for('Archived “Refunds”', "└ Support inbox",
                               gone=("Archive the list", "└ Refunds"))
    sidebar = [line.split("▕")[0].strip() for line in screen.splitlines()[2:-1]]
    assert [entry for entry in sidebar if entry] == ["▼ Support", "└ Support inbox"]
    terminal.press("q")
    assert terminal.exit_status() == 0

    statuses = desk_says(desk_command, support_url, environment, "statuses", "Refunds")
    assert statuses.splitlines()[-1].split() == ["Blocked", "active", "0"]
    assert desk_says(desk_command, support_url, environment, "lists") == \
        "Support\n  Support inbox\n"
    assert "Refunds (archived)" in desk_says(desk_command, support_url, environment,
                                             "lists", "--archived")


def test_an_import_is_previewed_from_the_palette_before_anything_is_written(
        terminal, desk_command, support_url, environment):
    terminal.start([*desk_command, "--db", support_url])
    terminal.wait_for(HEADER.format("Inbox"), "to triage")
    terminal.choose_command("Import", "Import…", gone=("New space…",))
    terminal.wait_for("Import what?", "ClickUp task export (CSV)")
    terminal.press("clickup")
    terminal.wait_for("ClickUp task export (CSV)", gone=("taskwarrior export",))
    terminal.press("Enter")
    terminal.wait_for("Import clickup: which file?")
    terminal.press(str(IMPORTS / "clickup.csv"), "Enter")
    screen = terminal.wait_for("clickup: would create 4, update 0, skip 1",
                               "unmatched person: Zed Unknown")
    assert "Traceback" not in screen
    assert desk_says(desk_command, support_url, environment, "lists") == \
        "Support\n  Support inbox\n"  # the preview wrote nothing
    terminal.press("Enter")
    terminal.wait_for("clickup: created 4, updated 0, skipped 1")
    terminal.press("Escape")
    terminal.wait_for(HEADER.format("Inbox"), gone=("created 4",))
    terminal.press("q")
    assert terminal.exit_status() == 0
    assert "Acme Space\n  Clients / Onboarding\n" in desk_says(desk_command, support_url,
                                                              environment, "lists")
    assert ",Onboard Acme," in desk_says(desk_command, support_url, environment, "ls",
                                         "Onboard", "--format", "csv")
