"""Identity, the os mode: the account running desk by uid, never $USER, and never inside a
user namespace that maps user ids (`unshare -r` made a non-agent an admin as "root")."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys

import pytest
from os_account import ACCOUNT

from desk import db as desk_db
from desk.config import IdentitySettings
from desk.errors import PermissionDenied
from desk.kernel import agents
from desk.kernel.access import identity
from desk.models import Activity, Agent, Task
from desk.work import workspace

ME = ACCOUNT.pw_name
"""The account the tests run as in-process (tests/os_account.py)."""


def uid_map(tmp_path, text: str):
    """A uid_map file holding `text`."""
    path = tmp_path / "uid_map"
    path.write_text(text, encoding="ascii")
    return path


def test_the_os_mode_names_the_account_by_uid_whatever_the_environment_says(monkeypatch):
    monkeypatch.setenv("USER", "boss")
    monkeypatch.setenv("LOGNAME", "boss")
    established = identity.establish(IdentitySettings(), database=None)
    assert established == identity.Identity(ME, f"os uid {os.getuid()}")


def test_the_initial_namespace_is_trusted(tmp_path):
    whole = uid_map(tmp_path, "         0          0 4294967295\n")
    assert identity.os_identity(whole).username == ME


def test_no_uid_map_means_no_user_namespaces(tmp_path):
    assert identity.os_identity(tmp_path / "missing").username == ME


@pytest.mark.parametrize("text, seen", [
    ("0 1000 1\n", f"uid {os.getuid()} here is"),  # unshare -r
    ("1001 1000 1\n", "uid"),  # unshare --map-user=1001: looking like someone else
    (f"{os.getuid()} {os.getuid()} 1\n", "here is uid"),  # identical, but maybe nested
    ("0 100000 65536\n", "uid"),  # a rootless container
    ("garbage\n", "uid"),
])
def test_a_namespace_that_maps_uids_is_refused(tmp_path, text, seen):
    with pytest.raises(PermissionDenied, match="inside a user namespace that maps user ids") \
            as refused:
        identity.os_identity(uid_map(tmp_path, text))
    assert seen in str(refused.value) and "Run desk outside" in str(refused.value)


def test_unshare_maps_uid_0_to_the_real_uid_and_says_so(tmp_path):
    with pytest.raises(PermissionDenied, match=r"uid 0 here is uid 1000 outside"):
        identity.check_namespace(0, uid_map(tmp_path, "0 1000 1\n"))


def test_a_uid_without_an_account_is_refused(monkeypatch):
    monkeypatch.setattr(identity, "pwd", pwd)  # this machine's own password database
    unused = max(entry.pw_uid for entry in pwd.getpwall()) + 1
    with pytest.raises(PermissionDenied, match=f"uid {unused} has no account"):
        identity.os_account(unused)


def test_every_change_records_how_its_agent_was_known(db):
    me = agents.acting()
    assert me.via == f"os uid {os.getuid()}"
    (first,) = Activity.select()
    assert (first.actor, first.via) == (ME, me.via)
    workspace.create_space(me, "Support")
    assert {row.via for row in Activity.select()} == {me.via}


@pytest.fixture
def unshare():
    """The command that runs a program in a new user namespace mapping uid 0 to this
    account (skips where unshare is missing or not allowed)."""
    command = shutil.which("unshare")
    if command is None:
        pytest.skip("unshare (util-linux) is not installed")
    probe = subprocess.run([command, "-r", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"user namespaces are not allowed here: {probe.stderr.decode().strip()}")
    return [command, "-r"]


def test_desk_under_unshare_is_refused_and_changes_nothing(unshare, tmp_path):
    me = pwd.getpwuid(os.getuid()).pw_name  # desk runs in a child process, as this account
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    environment = {**os.environ, "DESK_DATABASE": url, "XDG_DATA_HOME": str(tmp_path)}
    subprocess.run([sys.executable, "-m", "desk", "init"], env=environment, check=True,
                   capture_output=True)
    for command in (["agents", "role", me, "admin"], ["add", "Sneaky"], ["ls"]):
        result = subprocess.run([*unshare, sys.executable, "-m", "desk", *command],
                                env=environment, capture_output=True, text=True, check=False)
        assert result.returncode == 1 and result.stdout == ""
        assert result.stderr.startswith("desk: desk is running inside a user namespace that "
                                        "maps user ids"), result.stderr
    connected = desk_db.connect(url)
    try:
        assert [agent.username for agent in Agent.select()] == [me]
        assert Task.select().count() == 0
        assert [(row.actor, row.field) for row in Activity.select()] == [(me, "role")]
    finally:
        connected.close()
