"""Tag completion in a real terminal at 80x24: on the inbox, `t` opens the tag prompt, a
prefix shows its completion, Tab takes it (for each word), and Enter stores the whole tags,
never the prefixes typed. (A paste with escape sequences in it, in a list and in a note, is
tests/e2e/test_hostile_terminal.py's.)"""

from __future__ import annotations

import re
import sqlite3
import time

import pytest

from desk import database_url

from .conftest import HEADER, WAIT

pytestmark = pytest.mark.serial  # desk in a terminal of its own: one at a time


def tags_of(url: str, task_id: int) -> set[str]:
    """The names of the task's tags, as stored."""
    with sqlite3.connect(database_url.sqlite_path(url)) as connection:
        return {name for (name,) in connection.execute(
            "SELECT tag.name FROM task_tag JOIN tag ON tag.id = task_tag.tag_id "
            "WHERE task_tag.task_id = ?", (task_id,))}


def tag_names(url: str) -> set[str]:
    """Every tag of the workspace."""
    with sqlite3.connect(database_url.sqlite_path(url)) as connection:
        return {name for (name,) in connection.execute("SELECT name FROM tag")}


def test_tab_completes_each_word_of_the_tag_prompt(terminal, desk_command, demo_url):
    known = tag_names(demo_url)
    assert {"hardware", "network"} <= known and not {"hard", "net"} & known
    terminal.start([*desk_command, "--db", demo_url])
    terminal.wait_for(HEADER.format("Inbox"), "to triage")
    # the detail strip under the list names the row under the cursor, once it rests there
    deadline = time.monotonic() + WAIT
    while not (shown := re.search(r"^ #(\d+) ", terminal.screen(), re.MULTILINE)):
        assert time.monotonic() < deadline, terminal.screen()
        time.sleep(0.1)
    task_id = int(shown[1])
    assert not {"hardware", "network"} & tags_of(demo_url, task_id)
    terminal.press("t")
    terminal.wait_for("Tags for", "completes a word")
    terminal.press("hard")
    terminal.wait_for("hardware")  # the completion, shown as a suggestion
    terminal.press("Tab", " net")
    terminal.wait_for("hardware net")  # Tab took "hardware"; typing goes on after it
    terminal.press("Tab")
    terminal.wait_for("hardware network")
    terminal.press("Enter")
    screen = terminal.wait_for("1 task tagged #hardware #network", gone=("Tags for",))
    assert "Create" not in screen, "no question: both tags exist"
    assert {"hardware", "network"} <= tags_of(demo_url, task_id)
    assert tag_names(demo_url) == known, "no tag was made of a prefix"
    terminal.press("q")
    assert terminal.exit_status() == 0
