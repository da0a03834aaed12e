"""End-to-end fixtures: desk in a real terminal (tmux), with a home of its own.

`terminal` runs a command in a detached 80x24 tmux session on a private tmux server (its own
socket, no user config), types keys into it with `send-keys` and reads the screen with
`capture-pane`. The pane stays after the command exits (remain-on-exit), showing the exit
status that the shell around the command prints. `demo_url` is a demo workspace built with
`desk demo --no-tui`.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from built_once import built_once

WAIT = 30.0
"""Seconds to wait for the screen to show something before the test fails."""

EXITED = "[exited with status]"
"""What the terminal prints, followed by the status, once the command has ended."""

TMUX_CONFIG = """\
set -g remain-on-exit on
set -g status off
set -g default-terminal tmux-256color
set -sg escape-time 0
"""


def isolated_environment(home: Path) -> dict[str, str]:
    """The environment desk runs in: its own home and XDG folders, UTF-8, and nothing of
    the developer's desk, Textual or tmux settings."""
    environment = {name: value for name, value in os.environ.items()
                   if not name.startswith(("DESK_", "TEXTUAL", "TMUX", "XDG_"))}
    environment.update(HOME=str(home), LANG="C.UTF-8", LC_ALL="C.UTF-8")
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        environment[variable] = str(home / variable.lower())
    return environment


class Terminal:
    """One tmux session running one command, driven like a person at the keyboard."""

    def __init__(self, folder: Path, environment: dict[str, str]) -> None:
        """A private tmux server whose socket and config live in `folder`."""
        self.socket = folder / "tmux.sock"
        self.config = folder / "tmux.conf"
        self.config.write_text(TMUX_CONFIG, encoding="utf-8")
        self.environment = environment

    def tmux(self, *arguments: str) -> str:
        """Run one tmux command on the private server; returns its output."""
        done = subprocess.run(["tmux", "-S", str(self.socket), "-f", str(self.config),
                               *arguments], env=self.environment, capture_output=True,
                              text=True, timeout=WAIT, check=False)
        if done.returncode != 0:
            raise AssertionError(f"tmux {' '.join(arguments)} failed: {done.stderr.strip()}")
        return done.stdout

    def start(self, command: list[str]) -> None:
        """Run `command` in a new 80x24 session, through a shell that prints its exit status
        when it ends (tmux's own #{pane_dead_status} is sometimes never filled in)."""
        shell = f'{shlex.join(command)}; echo "{EXITED} $?"'
        self.tmux("new-session", "-d", "-s", "desk", "-x", "80", "-y", "24", shell)

    def screen(self, history: bool = False) -> str:
        """The text on screen now, one line per row (with `history`, the lines scrolled off
        the top too)."""
        return self.tmux("capture-pane", "-p", "-t", "desk", *(("-S", "-") if history else ()))

    def wait_for(self, *texts: str, gone: tuple[str, ...] = (), history: bool = False) -> str:
        """Wait until every one of `texts` is on screen and none of `gone`; returns the
        screen."""
        deadline = time.monotonic() + WAIT
        while True:
            screen = self.screen(history)
            if all(text in screen for text in texts) and not any(text in screen for text in gone):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"waited for {texts} (and {gone} gone); the screen "
                                     f"was:\n{screen}")
            time.sleep(0.1)

    def wait_still(self, *texts: str, gone: tuple[str, ...] = (), quiet: float = 0.3) -> str:
        """`wait_for`, then until the screen has stayed the same for `quiet` seconds: a list
        that is still being filled (the palette searches again at each key typed) can show
        `texts` before its last change."""
        screen = self.wait_for(*texts, gone=gone)
        deadline = time.monotonic() + WAIT
        while True:
            time.sleep(quiet)
            again = self.wait_for(*texts, gone=gone)
            if again == screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"the screen never stood still; it was:\n{again}")
            screen = again

    def choose_command(self, query: str, *shown: str, gone: tuple[str, ...] = ()) -> None:
        """Open the command palette, type `query`, and once `shown` is listed (and none of
        `gone`) and the list has stopped changing, press enter on its first command."""
        self.press("C-p")
        self.wait_for("Search for commands")
        self.press(query)
        self.wait_still(*shown, gone=gone)
        self.press("Enter")

    def press(self, *keys: str) -> None:
        """Type keys: single characters, or tmux key names such as Escape."""
        for key in keys:
            self.tmux("send-keys", "-t", "desk", key)

    def exit_status(self) -> int:
        """Wait until the command has exited; returns its exit status."""
        screen = self.wait_for(EXITED, history=True)  # tmux's "Pane is dead" may scroll it
        return int(screen.split(EXITED, 1)[1].split()[0])

    def close(self) -> None:
        """Stop the private tmux server (and anything still running in it)."""
        subprocess.run(["tmux", "-S", str(self.socket), "kill-server"], env=self.environment,
                       capture_output=True, timeout=WAIT, check=False)


@pytest.fixture
def home(tmp_path) -> Path:
    """An empty home folder for desk."""
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


@pytest.fixture
def environment(home) -> dict[str, str]:
    """desk's environment (see isolated_environment)."""
    return isolated_environment(home)


@pytest.fixture
def desk_command() -> list[str]:
    """How to start desk from this Python environment."""
    return [sys.executable, "-m", "desk"]


@pytest.fixture
def demo_url(tmp_path_factory, tmp_path, environment, desk_command) -> str:
    """A copy of its own of a demo workspace built with `desk demo --no-tui`, once per test
    run (tests/built_once.py): the build costs seconds, and these tests run one at a time."""
    def build(path: Path) -> None:
        subprocess.run([*desk_command, "--db", f"sqlite:///{path}", "demo", "--no-tui"],
                       env=environment, capture_output=True, timeout=120, check=True)

    copy = tmp_path / "demo.db"
    shutil.copyfile(built_once(tmp_path_factory, "e2e-demo.db", build), copy)
    return f"sqlite:///{copy}"


@pytest.fixture
def terminal(environment) -> Iterator[Terminal]:
    """A tmux terminal of the test's own; fails clearly when tmux is missing.

    Its socket lives in a short temporary folder: a socket path must stay under about 100
    characters, which pytest's own folders can exceed."""
    if shutil.which("tmux") is None:
        pytest.fail("the end-to-end tests need tmux (apt-get install tmux)")
    with tempfile.TemporaryDirectory(prefix="desk-e2e-") as folder:
        running = Terminal(Path(folder), environment)
        yield running
        running.close()


HEADER = "desk — {}"
"""The header of a mode's main screen."""
OVER = "› {}"
"""The end of the header of a screen opened over a mode: "desk — Inbox › #53 …". A
mode's main screen is waited for with `gone=(OVER.format(""),)`, since "desk — Inbox" is
also the start of the header of what is open over it."""


def open_printer_query(terminal: Terminal, command: list[str], url: str) -> None:
    """Start desk on the demo workspace and open query #53 (the receipt printer) from the
    command palette, as an agent would."""
    terminal.start([*command, "--db", url])
    terminal.wait_for(HEADER.format("Inbox"), "to triage")
    terminal.choose_command("receipt print", "Task #53: Receipt printer prints blank receipts")
    terminal.wait_for(OVER.format("#53 Receipt printer"))
