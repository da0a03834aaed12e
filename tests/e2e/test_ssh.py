"""One service account over SSH, for real: a real sshd on loopback serves the agents' keys from
desk (AuthorizedKeysCommand desk ssh-keys authorized), and runs desk as the service account
for each agent. Two agents' changes are each attributed to them with their key's
fingerprint; a command off the list is refused; a removed key no longer gets in, and ends the
app it had open; --ssh-agent is refused outside the ssh mode and as any other account.

The test makes an OS account and starts sshd, so it runs as root (CI does) and skips
otherwise, or when openssh-server or the client is missing (.ci/run installs them)."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from system_tools import python_for, tool

pytestmark = pytest.mark.serial  # an OS account, an sshd and a terminal: one at a time

WAIT = 30.0
SSHD_CONFIG = """\
ListenAddress 127.0.0.1
Port {port}
HostKey {folder}/host_key
PidFile {folder}/sshd.pid
UsePAM no
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AllowUsers {account}
LogLevel VERBOSE
Match User {account}
    AuthorizedKeysFile none
    AuthorizedKeysCommand {desk} ssh-keys authorized %u
    AuthorizedKeysCommandUser {account}
    PasswordAuthentication no
    KbdInteractiveAuthentication no
    DisableForwarding yes
"""
"""sshd's config: the README's lines, on a loopback port, with the test's files."""
CONFIG = """\
database: sqlite:///{home}/desk.db
identity:
  mode: {mode}
  ssh:
    account: {account}
    command: {desk}
"""
"""The service account's config.yaml (~/.config/desk/config.yaml)."""
WRAPPER = """\
#!/bin/sh
exec env PYTHONPATH='{python_path}' PYTHONDONTWRITEBYTECODE=1 '{python}' -m desk "$@"
"""
"""The desk command sshd runs: root's, in a folder only root may write, as sshd demands."""


@dataclass
class ServiceDesk:
    """A workspace owned by a service account, and an sshd in front of it."""

    account: str
    folder: Path
    home: Path
    desk: Path
    port: int
    keys: dict[str, Path] = field(default_factory=dict)
    """Each agent's private key file."""

    def as_service(self, *args: str, config: Path | None = None,
                   environment: dict[str, str] | None = None,
                   stdin: str | None = None) -> subprocess.CompletedProcess:
        """`desk ARGS...` run by the service account on the machine (with `environment`
        besides its HOME, and `stdin` as its input)."""
        extra = ["--config", str(config)] if config else []
        variables = [f"{name}={value}" for name, value in (environment or {}).items()]
        return subprocess.run(["runuser", "-u", self.account, "--", "env", "-i",
                               f"HOME={self.home}", "LANG=C.UTF-8", *variables,
                               str(self.desk), *extra, *args], input=stdin,
                              capture_output=True, text=True, timeout=WAIT, check=False)

    def add_agent(self, name: str) -> str:
        """Make `name` an agent with a new key of their own; returns its fingerprint."""
        key = self.folder / "client" / name
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{name}@laptop",
                        "-f", str(key)], check=True)
        self.keys[name] = key
        assert self.as_service("agents", "add", name).returncode == 0
        public_key = Path(f"{key}.pub").read_text(encoding="utf-8")
        added = self.as_service("ssh-keys", "add", name, "-", stdin=public_key)
        assert added.returncode == 0, added.stderr
        fingerprint = subprocess.run(["ssh-keygen", "-lf", f"{key}.pub"], capture_output=True,
                                     text=True, check=True).stdout.split()[1]
        assert added.stdout == f"{name} can now come in with the key {fingerprint}\n"
        return fingerprint

    def ssh_command(self, agent: str, *, tty: bool = False) -> list[str]:
        """The ssh command line an agent types (without the command they ask for)."""
        return ["ssh", "-F", "/dev/null", "-i", str(self.keys[agent]), "-p", str(self.port),
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "LogLevel=ERROR",
                "-t" if tty else "-T", f"{self.account}@127.0.0.1"]

    def ssh(self, agent: str, command: str) -> subprocess.CompletedProcess:
        """`ssh SERVICE@127.0.0.1 COMMAND` with the agent's key, not at a terminal."""
        return subprocess.run([*self.ssh_command(agent), command], capture_output=True,
                              text=True, timeout=WAIT, check=False)

    def rows(self, query: str, *parameters: object) -> list[tuple]:
        """Rows of the workspace, read directly (as root)."""
        connection = sqlite3.connect(f"file:{self.home / 'desk.db'}?mode=ro", uri=True)
        try:
            return connection.execute(query, parameters).fetchall()
        finally:
            connection.close()


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, sshd: subprocess.Popen) -> None:
    """Wait until sshd accepts connections on `port`."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if sshd.poll() is not None:
            raise AssertionError(f"sshd exited with {sshd.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"sshd never listened on port {port}")


@pytest.fixture(scope="module")
def service() -> Iterator[ServiceDesk]:
    """A service account with a support workspace (its own first admin), and sshd serving
    it; removed afterwards."""
    if os.geteuid() != 0:
        pytest.skip("making the service account and starting sshd need root")
    sshd_path = tool("sshd")
    for name in ("ssh", "ssh-keygen", "useradd", "userdel", "usermod", "runuser"):
        tool(name)
    account = f"dsks{uuid.uuid4().hex[:6]}"
    # sshd runs AuthorizedKeysCommand only from a path whose every folder only root may write
    # (not /tmp): a folder of the test's own under /run.
    folder = Path(tempfile.mkdtemp(prefix="desk-ssh-", dir="/run"))
    folder.chmod(0o755)
    home = folder / "home"
    sshd = None
    made = False
    try:
        subprocess.run(["useradd", "-M", "-d", str(home), "-s", "/bin/sh", account], check=True)
        made = True
        # A new account's password is "!", which sshd takes for a locked account; "*" is no
        # password at all, and keys still work.
        subprocess.run(["usermod", "-p", "*", account], check=True)
        (home / ".config" / "desk").mkdir(parents=True)
        (folder / "client").mkdir()
        python, python_path = python_for(account)
        desk = folder / "desk"
        desk.write_text(WRAPPER.format(python=python, python_path=python_path),
                        encoding="utf-8")
        desk.chmod(0o755)
        port = free_port()
        desk_service = ServiceDesk(account, folder, home, desk, port)
        config_text = CONFIG.format(home=home, mode="ssh", account=account, desk=desk)
        (home / ".config" / "desk" / "config.yaml").write_text(config_text, encoding="utf-8")
        for path in (home, home / ".config", home / ".config" / "desk"):
            shutil.chown(path, account)
        made_workspace = desk_service.as_service("init", "--template", "support")
        assert made_workspace.returncode == 0, made_workspace.stderr
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                        str(folder / "host_key")], check=True)
        (folder / "sshd_config").write_text(SSHD_CONFIG.format(
            port=port, folder=folder, account=account, desk=desk), encoding="utf-8")
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation
        sshd = subprocess.Popen([sshd_path, "-D", "-e", "-f", str(folder / "sshd_config")],
                                stdout=subprocess.DEVNULL,
                                stderr=(folder / "sshd.log").open("wb"))
        wait_for_port(port, sshd)
        yield desk_service
    finally:
        if sshd is not None:
            sshd.terminate()
            sshd.wait(WAIT)
        if made:
            subprocess.run(["userdel", account], check=False)
        shutil.rmtree(folder, ignore_errors=True)


def test_two_agents_on_one_account_each_get_their_own_name_and_key(service):
    alice, bob = service.add_agent("alice"), service.add_agent("bob")
    added = service.ssh("alice", "add 'Printer jams on floor 2' --priority high")
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("added task ")
    added = service.ssh("bob", "add 'Scanner; id > /tmp/owned'")
    assert added.returncode == 0, added.stderr
    listed = service.ssh("bob", "ls")
    assert listed.returncode == 0
    assert "Printer jams on floor 2" in listed.stdout
    assert "Scanner; id > /tmp/owned" in listed.stdout
    assert not Path("/tmp/owned").exists()
    authors = service.rows(
        "SELECT DISTINCT task.title, activity.actor, activity.via FROM activity JOIN task "
        "ON activity.entity = 'task' AND activity.entity_id = task.id ORDER BY task.id")
    assert authors == [("Printer jams on floor 2", "alice", f"ssh key {alice}"),
                       ("Scanner; id > /tmp/owned", "bob", f"ssh key {bob}")]


@pytest.mark.parametrize(("asked", "refusal"), [
    ("agents role erin admin", "desk: 'agents' cannot be run over ssh; what can: ls, show, "
                               "clients, report, add, or nothing for the app"),
    ("sh -c id", "desk: 'sh' cannot be run over ssh"),
    ("ls; id", "desk: 'ls;' cannot be run over ssh"),
    ("ls --db sqlite:////tmp/mine.db", "desk: --db and --config cannot be given over ssh"),
    ("internal-sftp", "desk: 'internal-sftp' cannot be run over ssh"),
])
def test_a_command_off_the_list_is_refused_with_one_line(service, asked, refusal):
    if "erin" not in service.keys:
        service.add_agent("erin")
    refused = service.ssh("erin", asked)
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr.startswith(refusal) and refused.stderr.count("\n") == 1, refused.stderr
    assert service.rows("SELECT role FROM agent WHERE username = 'erin'") == [("agent",)]


def test_a_removed_key_no_longer_gets_in(service):
    service.add_agent("carol")
    assert service.ssh("carol", "ls").returncode == 0
    removed = service.as_service("ssh-keys", "remove", "carol")
    assert removed.returncode == 0 and removed.stdout.startswith("removed the key SHA256:")
    refused = service.ssh("carol", "ls")
    assert refused.returncode == 255
    assert "Permission denied (publickey)" in refused.stderr
    assert [line for line in service.as_service("ssh-keys", "authorized", service.account)
            .stdout.splitlines() if "--ssh-agent carol " in line] == []


def test_ssh_agent_is_refused_outside_the_ssh_mode_and_as_another_account(service, tmp_path):
    fingerprint = service.add_agent("dan")
    forced = ["--ssh-agent", "dan", "--ssh-key", fingerprint]
    os_mode = service.home / "os-mode.yaml"
    os_mode.write_text(CONFIG.format(home=service.home, mode="os", account=service.account,
                                     desk=service.desk), encoding="utf-8")
    before = service.rows("SELECT count(*) FROM task")
    refused = service.as_service(*forced, config=os_mode,
                                 environment={"SSH_ORIGINAL_COMMAND": "add Sneaky"})
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr.startswith("desk: --ssh-agent is trusted only when the config's "
                                     "identity.mode is ssh (here it is os)")
    config = service.home / ".config" / "desk" / "config.yaml"
    as_root = subprocess.run([sys.executable, "-m", "desk", "--config", str(config), *forced],
                             env={**os.environ, "SSH_ORIGINAL_COMMAND": "add Sneaky"},
                             capture_output=True, text=True, timeout=WAIT, check=False)
    assert (as_root.returncode, as_root.stdout) == (1, "")
    assert as_root.stderr.startswith(f"desk: identity.mode is ssh: desk runs only as the "
                                     f"service account '{service.account}', not as 'root'")
    assert service.rows("SELECT count(*) FROM task") == before


def test_the_app_over_ssh_ends_when_the_key_is_removed(service, terminal):
    fingerprint = service.add_agent("maria")
    terminal.start(service.ssh_command("maria", tty=True))
    terminal.wait_for("Inbox", "to triage")
    removed = service.as_service("ssh-keys", "remove", fingerprint)
    assert removed.returncode == 0, removed.stderr
    removed_at = time.monotonic()
    assert terminal.exit_status() == 1
    ended_after = time.monotonic() - removed_at
    print(f"the app ended {ended_after:.1f} s after the key was removed")
    assert ended_after < 10
    words = " ".join(terminal.screen(history=True).split())  # the message wraps at 80
    assert f"desk: the SSH key {fingerprint} is not one of maria's keys on this desk" in words
