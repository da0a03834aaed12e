"""The undo window in a real terminal: a reply sent on the task screen is queued and held,
the notice says `u` takes it back, and `u` cancels its e-mail and reopens the editor with
the text; saving it queues it again."""

from __future__ import annotations

import sqlite3
import time

import pytest

from desk import database_url

from .conftest import HEADER, OVER, WAIT, open_printer_query

pytestmark = pytest.mark.serial  # desk in a terminal of its own: one at a time

REPLY = "Dear Ana, the printer is fixed"


def mail(url: str, task_id: int) -> list[tuple[str, str]]:
    """(status, text) of the task's e-mails in the outbox, oldest first."""
    with sqlite3.connect(database_url.sqlite_path(url)) as connection:
        return connection.execute("SELECT status, body FROM outbox WHERE task_id = ? "
                                  "ORDER BY id", (task_id,)).fetchall()


def wait_for_mail(url: str, task_id: int, wanted: list[tuple[str, str]]) -> None:
    """Wait until the task's e-mails are `wanted`."""
    deadline = time.monotonic() + WAIT
    while (found := mail(url, task_id)) != wanted:
        assert time.monotonic() < deadline, f"the outbox holds {found}, not {wanted}"
        time.sleep(0.1)


def test_u_takes_a_reply_back_within_its_window(terminal, desk_command, demo_url):
    open_printer_query(terminal, desk_command, demo_url)
    assert mail(demo_url, 53) == []
    terminal.press("r")
    terminal.wait_for("Reply to the client")
    terminal.press(REPLY)
    terminal.wait_for(REPLY)
    terminal.press("C-j")
    terminal.wait_for("takes it back (30 s)", gone=("Reply to the client",))
    wait_for_mail(demo_url, 53, [("queued", REPLY)])
    terminal.press("u")
    terminal.wait_for("Reply to the client · To:", REPLY, "taken back: not sent")
    wait_for_mail(demo_url, 53, [])
    terminal.press(" today.")
    terminal.wait_for(f"{REPLY} today.")
    terminal.press("C-j")
    terminal.wait_for(OVER.format("#53 Receipt printer"), gone=("Reply to the client",))
    wait_for_mail(demo_url, 53, [("queued", f"{REPLY} today.")])
    terminal.press("Escape")
    terminal.wait_for(HEADER.format("Inbox"), gone=(OVER.format(""),))
    terminal.press("q")
    assert terminal.exit_status() == 0
