"""The operating-system account the tests run as: `alex` ("Alex Admin"), whoever runs them.

desk takes the acting agent from the OS account (desk.kernel.access.identity, and display names
from desk.kernel.agents), so without this the
first admin of every test database, and every screen and snapshot that names it, would be
named after the account running the suite. tests/conftest.py puts the account in force for
each test (monkeypatching the password database those modules read); a child
process that a test starts calls `act_as_test_account()` first (`run_as_test_account` does it
for a multiprocessing target), and `python tests/os_account.py ARGS...` runs `desk ARGS...`
as the account (`DESK`).
"""

from __future__ import annotations

import os
import pwd
import runpy
import sys
from collections.abc import Callable
from pathlib import Path

from desk.kernel import agents
from desk.kernel.access import identity

ACCOUNT = pwd.struct_passwd(("alex", "x", 4242, 4242, "Alex Admin", "/home/alex", "/bin/sh"))
"""The password-database entry of the tests' account."""

READERS = (agents, identity)
"""The modules of desk that read the password database (through their `pwd` name)."""

DESK = (sys.executable, str(Path(__file__).resolve()))
"""The command line that runs desk as ACCOUNT, for a test's subprocess: `[*DESK, "ls"]`."""


class OneAccount:
    """A password database (the `pwd` functions desk uses) that holds only ACCOUNT, and
    answers it for whatever uid the process runs under."""

    @staticmethod
    def getpwuid(uid: int) -> pwd.struct_passwd:
        """The entry of the account running the process: always ACCOUNT."""
        return ACCOUNT

    @staticmethod
    def getpwnam(name: str) -> pwd.struct_passwd:
        """ACCOUNT by its name; any other name is unknown, as on a machine without it."""
        if name == ACCOUNT.pw_name:
            return ACCOUNT
        raise KeyError(f"getpwnam(): name not found: {name!r}")


def act_as_test_account() -> None:
    """In a child process a test started: act as ACCOUNT for the rest of the process."""
    for module in READERS:
        module.pwd = OneAccount


def run_as_test_account(environment: dict[str, str], target: Callable[..., object],
                        *args: object) -> None:
    """A multiprocessing target: take the starting test's `environment` (a child forked from
    a forkserver has the one the server started with), act as ACCOUNT, then run
    `target(*args)`."""
    os.environ.clear()
    os.environ.update(environment)
    act_as_test_account()
    target(*args)


if __name__ == "__main__":
    act_as_test_account()
    runpy.run_module("desk", run_name="__main__", alter_sys=True)
