"""`desk portal` running for real, for the browser test and the portal benchmark.

`portal_server(...)` starts `desk portal` in a child process on a free loopback port, with a
config of its own that turns the portal on, waits until it answers, and stops it when the
`with` block ends. `sign_in_link(url, address)` is the path of the newest sign-in link the
portal queued for an address, read from the outbox as the e-mail would carry it.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from smtp_server import HOST, free_port

LINK = re.compile(r"https?://[^/\s]+(/sign-in/\S+)")
WAIT = 30.0


@dataclass(frozen=True)
class RunningPortal:
    """A running portal: where to reach it, and the log of the process."""

    base: str
    log: Path


@contextmanager
def portal_server(db_url: str, folder: Path, environment: dict[str, str] | None = None,
                  name: str = "Brightline support") -> Iterator[RunningPortal]:
    """Run `desk portal` over `db_url` (its config and log in `folder`) until the block
    ends; fails with the log when it does not answer within WAIT seconds."""
    port = free_port()
    base = f"http://{HOST}:{port}"
    config = folder / "portal-config.yaml"
    config.write_text(f"portal:\n  enabled: true\n  public_url: {base}\n  name: {name}\n",
                      encoding="utf-8")
    log = folder / "portal.log"
    with log.open("wb") as output:
        child = subprocess.Popen(
            [sys.executable, "-m", "desk", "--config", str(config), "--db", db_url, "portal",
             "--port", str(port)], stdout=output, stderr=subprocess.STDOUT, env=environment)
    try:
        _wait_for(base, child, log)
        yield RunningPortal(base, log)
    finally:
        child.terminate()
        try:
            child.wait(WAIT)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(WAIT)


def _wait_for(base: str, child: subprocess.Popen, log: Path) -> None:
    """Wait until the portal answers its sign-in page."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise AssertionError(f"desk portal exited: {log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{base}/sign-in", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"desk portal did not answer: {log.read_text(errors='replace')}")


def sign_in_link(db_url: str, address: str) -> str:
    """The path of the newest sign-in link queued for `address` (the test's own
    connection to the workspace, closed again)."""
    from desk import db
    from desk.models import Outbox

    connected = db.connect(db_url, create=False)
    try:
        body = (Outbox.select(Outbox.body)
                .where((Outbox.to_address == address) & Outbox.subject.startswith("Your sign-in"))
                .order_by(Outbox.id.desc()).scalar())
    finally:
        connected.close()
    found = LINK.search(body or "")
    if found is None:
        raise AssertionError(f"no sign-in link was queued for {address}")
    return found.group(1)
