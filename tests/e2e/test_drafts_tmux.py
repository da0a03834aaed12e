"""A dropped connection loses no reply: desk in tmux is killed with its terminal (tmux's
kill-session hangs up the pane, as sshd does when the connection drops) while a reply is
being typed, and the next start offers the reply back."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time

import pytest

from desk import database_url

from .conftest import HEADER, OVER, WAIT, open_printer_query

pytestmark = pytest.mark.serial  # desk in a terminal of its own: one at a time

REPLY = "Dear Ana, the printer is fixed"


def stored_drafts(url: str) -> list[tuple[str, int, str]]:
    """(kind, task, text) of every draft in the workspace's file."""
    with sqlite3.connect(database_url.sqlite_path(url)) as connection:
        return connection.execute("SELECT kind, entity_id, text FROM draft").fetchall()


def replies(url: str, task_id: int) -> list[str]:
    """The bodies of the task's replies, oldest first."""
    with sqlite3.connect(database_url.sqlite_path(url)) as connection:
        return [body for (body,) in connection.execute(
            "SELECT body FROM comment WHERE task_id = ? AND kind = 'reply' ORDER BY id",
            (task_id,))]


def wait_for_draft(url: str) -> list[tuple[str, int, str]]:
    """Wait until a draft is stored; returns the drafts."""
    deadline = time.monotonic() + WAIT
    while not (found := stored_drafts(url)):
        if time.monotonic() > deadline:
            raise AssertionError("the reply was never kept as a draft")
        time.sleep(0.1)
    return found


def running(pid: int) -> bool:
    """Whether the process `pid` is still there."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def desk_process(terminal) -> int:
    """The pid of desk in the terminal: the child of the pane's shell."""
    shell = terminal.tmux("display-message", "-p", "-t", "desk", "#{pane_pid}").strip()
    found = subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True,
                           check=True).stdout.split()
    assert len(found) == 1, found
    return int(found[0])


def test_a_reply_typed_when_the_terminal_hangs_up_is_offered_back(terminal, desk_command,
                                                                  demo_url):
    open_printer_query(terminal, desk_command, demo_url)
    terminal.press("r")
    terminal.wait_for("Reply to the client")
    terminal.press(REPLY)
    terminal.wait_for(REPLY)
    assert wait_for_draft(demo_url) == [("reply", 53, REPLY)]

    desk = desk_process(terminal)
    terminal.tmux("kill-session", "-t", "desk")  # the terminal is gone: desk gets SIGHUP
    deadline = time.monotonic() + WAIT
    while running(desk):
        assert time.monotonic() < deadline, "desk kept running after its terminal hung up"
        time.sleep(0.1)
    assert replies(demo_url, 53)[-1:] != [REPLY]

    terminal.start([*desk_command, "--db", demo_url])
    terminal.wait_for(HEADER.format("Inbox"), "You have 1 unsaved draft")
    terminal.choose_command("Drafts", "Texts you have not saved yet", gone=("Go to",))
    terminal.wait_for("Your unsaved drafts", "reply on #53")
    terminal.press("Enter")
    terminal.wait_for("Reply to the client", "Restored your draft from", REPLY)
    terminal.press(" today.")
    terminal.wait_for(f"{REPLY} today.")
    terminal.press("C-j")
    terminal.wait_for(OVER.format("#53 Receipt printer"), gone=("Reply to the client",))
    deadline = time.monotonic() + WAIT
    while stored_drafts(demo_url) or replies(demo_url, 53)[-1] != f"{REPLY} today.":
        assert time.monotonic() < deadline, (
            f"the reply was not saved, or its draft stayed: {stored_drafts(demo_url)}")
        time.sleep(0.1)
    terminal.press("Escape")
    terminal.wait_for(HEADER.format("Inbox"), gone=(OVER.format(""),))
    terminal.press("q")
    assert terminal.exit_status() == 0
