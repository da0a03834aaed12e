"""desk in a real terminal: tmux at 80x24, keys typed, the screen read, a clean exit.

These run the installed `desk` command exactly as a person would, in an empty home: no
config, no earlier state.
"""

from __future__ import annotations

import subprocess
import time

import pytest

from .conftest import HEADER, OVER

pytestmark = pytest.mark.serial  # each runs desk in a terminal of its own: one at a time

PAUSE = 0.5
"""Seconds a person takes before typing on after a tab or an editing key: in one burst,
letters can reach the field before the focus has moved, or before a ctrl+u (a binding,
which Textual runs later than a typed letter) has cleared it."""


def test_desk_demo_opens_switches_modes_shows_keys_and_quits(terminal, desk_command):
    terminal.start([*desk_command, "demo"])
    terminal.wait_for(HEADER.format("Inbox"), "to triage")

    terminal.press("2")
    terminal.wait_for(HEADER.format("Tasks"), "Support inbox")
    terminal.press("3")
    terminal.wait_for(HEADER.format("Clients"), "Bluefin Logistics", "Harbourview Hotel")
    terminal.press("?")
    terminal.wait_for("Binding id", "Move", "nav.down")  # the grouped keys, moving first
    terminal.press("Escape")
    terminal.wait_for(HEADER.format("Clients"), gone=("Binding id",))
    terminal.press("1")
    terminal.wait_for(HEADER.format("Inbox"), "to triage")
    terminal.press("q")

    assert terminal.exit_status() == 0
    after = terminal.screen()
    assert "desk —" not in after, "the terminal is given back (alternate screen left)"
    assert "Traceback" not in after


def test_the_palette_finds_a_client_in_a_real_terminal(terminal, desk_command, demo_url):
    terminal.start([*desk_command, "--db", demo_url])
    terminal.wait_for(HEADER.format("Inbox"), "to triage")

    terminal.choose_command("bluef", "Client: Bluefin Logistics",
                            "Task #91: Quarterly business review")
    terminal.wait_for(OVER.format("Client"), "Bluefin Logistics", gone=("Client: Bluefin",))
    terminal.press("Escape")
    terminal.wait_for(HEADER.format("Inbox"), gone=(OVER.format(""),))
    terminal.press("q")

    assert terminal.exit_status() == 0


def test_the_dashboard_fills_its_tiles_and_drills_down_in_a_real_terminal(terminal,
                                                                         desk_command,
                                                                         demo_url):
    terminal.start([*desk_command, "--db", demo_url])
    terminal.wait_for(HEADER.format("Inbox"), "to triage")

    terminal.press("4")
    terminal.wait_for(HEADER.format("Dashboard"), "Open queries", "open queries", "urgent",
                      "Needs attention", "past cadence", "birthdays (14d)",
                      gone=("Counting",))
    terminal.press("j", "Enter")  # the first bar of Open queries: the urgent ones
    terminal.wait_for("Dashboard › Open queries: urgent", "kind:query is:open")
    terminal.press("Escape")
    terminal.wait_for(HEADER.format("Dashboard"), "Needs attention", gone=("› Open queries",))
    terminal.press("p")
    terminal.wait_for("90 days")
    terminal.press("q")

    assert terminal.exit_status() == 0


def test_the_first_start_sets_up_a_new_desk_in_a_real_terminal(terminal, desk_command,
                                                               tmp_path, environment):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    subprocess.run([*desk_command, "--db", url, "init"], env=environment, capture_output=True,
                   timeout=120, check=True)
    terminal.start([*desk_command, "--db", url])
    terminal.wait_for("Welcome to desk")
    terminal.press("C-u", *"Ada", "Space", *"Lovelace", "Enter")
    terminal.wait_for("Your e-mail and signature")
    terminal.press(*"ada@example", "C-j")
    terminal.wait_for("Your company", gone=("Your e-mail",))
    terminal.press(*"Acme", "Tab")
    time.sleep(PAUSE)
    terminal.press(*"Asia/Tokio", "C-j")
    terminal.wait_for("time zone 'Asia/Tokio' is unknown")
    terminal.press("C-u")
    time.sleep(PAUSE)
    terminal.press(*"Asia/Tokyo", "Tab")
    time.sleep(PAUSE)
    terminal.press(*"Sun-Thu", "Space", *"08:00-16:00", "C-j")
    terminal.wait_for("Start with which template?")
    terminal.press("Enter")
    terminal.wait_for("Your desk is set up (support)")
    terminal.press("q")
    assert terminal.exit_status() == 0

    summary = subprocess.run([*desk_command, "--db", url], env=environment,
                             capture_output=True, text=True, timeout=120, check=True).stdout
    assert "company        Acme" in summary and "Sun-Thu 08:00-16:00" in summary
    profile = subprocess.run([*desk_command, "--db", url, "agents", "profile"],
                             env=environment, capture_output=True, text=True, timeout=120,
                             check=True).stdout
    assert "name       Ada Lovelace" in profile and "email      ada@example" in profile
