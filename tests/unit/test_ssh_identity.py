"""Identity, the ssh mode (one service account over SSH): keys in the database with their
SHA256 fingerprints, the authorized_keys lines sshd is served, --ssh-agent believed only in
ssh mode and as the service account, a removed key refused at once, and over ssh only a short
list of commands. The real sshd is tests/e2e/test_ssh.py's."""

from __future__ import annotations

import os
import pwd
import re
from pathlib import Path

import pytest
from os_account import ACCOUNT

import desk
from desk.config import ConfigError, IdentitySettings, load_settings
from desk.config.schema import SshSettings
from desk.errors import InvalidInput, NotFound, PermissionDenied
from desk.kernel import agents
from desk.kernel.access import identity, ssh_keys
from desk.models import Activity, Agent, SshKey, Task, TaskList
from desk.screens.actions.external_editor import external_allowed
from desk.work import tasks, workspace

ME = ACCOUNT.pw_name
"""The tests' account (tests/os_account.py), here also the service account."""
ALICE_KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFAIO9ZVhHMpI4LKvq8boA3ksZ0a7VYPVmFdgcH+cf1L"
             " alice@laptop")
ALICE_FP = "SHA256:NPDyoUqrXUT1Et3GzuUo7e1HaljrpvTv1jCixG9Vt8Y"
BOB_KEY = ("ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBORgyoqUxOUv"
           "RIBDZIYjyNzOcjEa7zfP/8y1yjGet+REO69a6CJyBCxg8+F3jECgXmfAViopLmTKT1KWYcLJfuo= bob@desk")
BOB_FP = "SHA256:R+A2ydjLyRJdKf7BlkxCHR/fPx44YN1KsF5SSvMtR8w"
"""Keys made with ssh-keygen, and the fingerprints `ssh-keygen -lf` printed for them."""
SSH = IdentitySettings(mode="ssh", ssh=SshSettings(account=ME))
COMMAND = "/usr/local/bin/desk"


class ServiceAccount:
    """A password database in which the tests' account is the one running this process (its
    uid is this process's), as when sshd runs desk as the service account."""

    @staticmethod
    def getpwuid(uid: int) -> pwd.struct_passwd:
        """The tests' account, with this process's uid."""
        return pwd.struct_passwd((ME, "x", os.getuid(), os.getgid(), *ACCOUNT[4:]))

    @staticmethod
    def getpwnam(name: str) -> pwd.struct_passwd:
        """The tests' account by name; no other."""
        if name != ME:
            raise KeyError(name)
        return ServiceAccount.getpwuid(os.getuid())


@pytest.fixture
def as_service_account(monkeypatch) -> None:
    """This process runs as the service account ME."""
    monkeypatch.setattr(identity, "pwd", ServiceAccount)


@pytest.fixture
def team(admin) -> agents.AgentRef:
    """alice and bob, agents with a key each (alice's first), and support's list."""
    workspace.create_space(admin, "Support")
    workspace.create_list(admin, "Support", "Support inbox")
    for name, key in (("alice", ALICE_KEY), ("bob", BOB_KEY)):
        agents.add(admin, name)
        ssh_keys.add(admin, name, key)
    return admin


# --- public keys and fingerprints ------------------------------------------------------------


@pytest.mark.parametrize(("text", "kind", "fingerprint", "comment"), [
    (ALICE_KEY, "ssh-ed25519", ALICE_FP, "alice@laptop"),
    (BOB_KEY + "\n", "ecdsa-sha2-nistp256", BOB_FP, "bob@desk"),
    ("# from alice\n" + ALICE_KEY.rsplit(" ", 1)[0], "ssh-ed25519", ALICE_FP, ""),
])
def test_a_public_key_has_the_fingerprint_ssh_keygen_prints(text, kind, fingerprint, comment):
    key = ssh_keys.parse(text)
    assert (key.kind, key.fingerprint, key.comment) == (kind, fingerprint, comment)


@pytest.mark.parametrize(("text", "message"), [
    ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE "
     "KEY-----\n", "this is a private key: give the public one (the .pub file)"),
    ("", "expected one public key line (ssh-ed25519 AAAA... comment), found 0 lines"),
    (f"{ALICE_KEY}\n{BOB_KEY}", "expected one public key line"),
    (f'command="sh" {ALICE_KEY}', "is not a public key type OpenSSH offers"),
    ("ssh-ed25519", "the ssh-ed25519 key has no key data after its type"),
    ("ssh-ed25519 AAAA!!!!", "the ssh-ed25519 key's data is not base64"),
    (BOB_KEY.replace("ecdsa-sha2-nistp256", "ssh-ed25519", 1), "is not a ssh-ed25519 key"),
])
def test_anything_but_one_public_key_is_refused_saying_why(team, text, message):
    before = SshKey.select().count()
    with pytest.raises(InvalidInput) as refused:
        ssh_keys.add(team, "alice", text)
    assert message in str(refused.value)
    assert SshKey.select().count() == before


# --- adding, listing and removing keys --------------------------------------------------------


def test_adding_a_key_is_recorded_on_the_agent_by_the_admin(team):
    alice = agents.find("alice")
    rows = list(Activity.select().where((Activity.entity == "agent")
                                        & (Activity.entity_id == alice.id)
                                        & (Activity.field == "ssh_key")))
    assert [(row.actor, row.old, row.new) for row in rows] == [(ME, None, ALICE_FP)]
    listed = ssh_keys.listing()
    assert [(key["agent"], key["fingerprint"], key["kind"], key["comment"], key["added_by"])
            for key in listed] == [("alice", ALICE_FP, "ssh-ed25519", "alice@laptop", ME),
                                   ("bob", BOB_FP, "ecdsa-sha2-nistp256", "bob@desk", ME)]


def test_a_key_lets_in_one_agent_only(team):
    with pytest.raises(InvalidInput, match=r"the key SHA256:\S+ is alice's already"):
        ssh_keys.add(team, "bob", ALICE_KEY)
    assert [key["agent"] for key in ssh_keys.listing()] == ["alice", "bob"]


def test_only_an_admin_adds_or_removes_keys(team):
    alice = agents.acting("alice")
    with pytest.raises(PermissionDenied, match="only an admin can do this"):
        ssh_keys.add(alice, "alice", BOB_KEY.replace("bob@desk", ""))
    with pytest.raises(PermissionDenied, match="only an admin can do this"):
        ssh_keys.remove(alice, "bob")
    assert SshKey.select().count() == 2


def test_an_agent_whose_name_would_break_the_forced_command_gets_no_key(admin):
    agents.add(admin, 'eve";sh')
    with pytest.raises(InvalidInput, match="cannot go into sshd's forced command"):
        ssh_keys.add(admin, 'eve";sh', ALICE_KEY)
    assert SshKey.select().count() == 0


def test_removing_by_fingerprint_or_by_agent_is_recorded(team):
    assert ssh_keys.remove(team, ALICE_FP) == [ALICE_FP]
    assert ssh_keys.remove(team, "bob") == [BOB_FP]
    assert SshKey.select().count() == 0
    gone = [(row.actor, row.old, row.new) for row in Activity.select()
            .where((Activity.field == "ssh_key") & Activity.new.is_null()).order_by(Activity.id)]
    assert gone == [(ME, ALICE_FP, None), (ME, BOB_FP, None)]
    with pytest.raises(NotFound, match="no agent has the key"):
        ssh_keys.remove(team, ALICE_FP)
    with pytest.raises(NotFound, match="alice has no SSH keys"):
        ssh_keys.remove(team, "alice")


def test_removing_an_agent_takes_their_keys_with_them(admin):
    agents.add(admin, "carol")
    ssh_keys.add(admin, "carol", ALICE_KEY)
    agents.remove(admin, "carol")
    assert SshKey.select().count() == 0


# --- the lines sshd is served ----------------------------------------------------------------


def test_each_enabled_agents_key_forces_desk_as_that_agent(team):
    blob = ALICE_KEY.split()[1]
    alice_line = (f'restrict,pty,command="{COMMAND} --ssh-agent alice --ssh-key {ALICE_FP}" '
                  f"ssh-ed25519 {blob}")
    assert ssh_keys.authorized_lines(COMMAND)[0] == alice_line
    assert len(ssh_keys.authorized_lines(COMMAND)) == 2
    agents.set_disabled(team, "bob", True)
    assert ssh_keys.authorized_lines(COMMAND) == [alice_line]


# --- what the command line claims ------------------------------------------------------------


def test_the_os_mode_refuses_ssh_agent():
    with pytest.raises(PermissionDenied, match=re.escape(
            "--ssh-agent is trusted only when the config's identity.mode is ssh")):
        identity.establish(IdentitySettings(), None, identity.Claim("alice", ALICE_FP, None))


def test_the_ssh_mode_believes_only_the_service_account_by_uid(monkeypatch):
    monkeypatch.setenv("USER", ME)
    claim = identity.Claim("alice", ALICE_FP, None)
    with pytest.raises(PermissionDenied, match=f"desk runs only as the service account "
                                               f"'{ME}', not as '{ME}' \\(uid 1\\)"):
        identity.check_claim(SSH, claim, uid=1)


def test_the_ssh_mode_refuses_an_account_that_does_not_exist():
    settings = IdentitySettings(mode="ssh", ssh=SshSettings(account="nobody-here"))
    with pytest.raises(PermissionDenied, match=re.escape(
            "identity.ssh.account 'nobody-here' has no account")):
        identity.check_claim(settings, identity.NO_CLAIM)


@pytest.mark.usefixtures("as_service_account")
def test_the_service_account_itself_runs_only_its_own_commands():
    for command in sorted(identity.SERVICE_COMMANDS):
        identity.check_claim(SSH, identity.Claim(command=command))
    for command in (None, "ls", "add", "demo"):
        with pytest.raises(PermissionDenied, match="agents reach the desk over ssh"):
            identity.check_claim(SSH, identity.Claim(command=command))
    with pytest.raises(PermissionDenied, match="--ssh-agent needs --ssh-key"):
        identity.check_claim(SSH, identity.Claim("alice", None, None))


@pytest.mark.usefixtures("as_service_account")
def test_an_agent_is_the_one_their_key_says(team):
    established = identity.establish(SSH, None, identity.Claim("alice", ALICE_FP, None))
    assert established == identity.Identity("alice", f"ssh key {ALICE_FP}", ALICE_FP)
    for name, key in (("alice", BOB_FP), ("bob", ALICE_FP), ("carol", ALICE_FP)):
        with pytest.raises(PermissionDenied, match=re.escape(f"the SSH key {key} is not one "
                                                             f"of {name}'s keys on this desk")):
            identity.establish(SSH, None, identity.Claim(name, key, None))


@pytest.mark.usefixtures("as_service_account")
def test_a_removed_key_can_change_nothing_more(team):
    established = identity.establish(SSH, None, identity.Claim("alice", ALICE_FP, None))
    alice = agents.acting(established.username, via=established.via,
                          ssh_key=established.ssh_key)
    inbox = TaskList.get(TaskList.name == "Support inbox").id
    task = tasks.create(alice, "Printer jams", inbox)
    assert Activity.get(Activity.entity_id == task.row.id, Activity.field == "title").via == \
        f"ssh key {ALICE_FP}"
    ssh_keys.remove(team, ALICE_FP)
    with pytest.raises(PermissionDenied, match=re.escape(f"the SSH key {ALICE_FP} is not one "
                                                         "of alice's")):
        agents.standing(alice)
    with pytest.raises(PermissionDenied, match=re.escape(f"the SSH key {ALICE_FP} is not one "
                                                         "of alice's")):
        tasks.create(alice, "After the key went", inbox)
    assert [row.title for row in Task.select()] == ["Printer jams"]


# --- the command line ------------------------------------------------------------------------


@pytest.fixture
def ssh_desk(team, migrated_url, tmp_path, run_desk, monkeypatch, as_service_account):
    """`ssh_desk(agent, key, asked)`: desk as sshd's forced command runs it for `agent` with
    `key`, the agent having asked ssh for `asked` (None: nothing); (status, out, err)."""
    config = tmp_path / "config.yaml"
    config.write_text(f"database: {migrated_url}\nidentity: {{mode: ssh, ssh: {{account: {ME}"
                      "}}\nworkspace: {default_list: Support inbox}\n", encoding="utf-8")
    monkeypatch.setenv("DESK_CONFIG", str(config))

    def run(agent: str, key: str, asked: str | None, *after: str) -> tuple[int, str, str]:
        if asked is None:
            monkeypatch.delenv("SSH_ORIGINAL_COMMAND", raising=False)
        else:
            monkeypatch.setenv("SSH_ORIGINAL_COMMAND", asked)
        return run_desk("--ssh-agent", agent, "--ssh-key", key, *after)

    return run


def test_an_agents_command_over_ssh_runs_as_them_and_records_their_key(ssh_desk):
    status, out, err = ssh_desk("bob", BOB_FP, "add 'Scanner; rm -rf / $(id)' --priority high")
    assert (status, err) == (0, "")
    assert "Scanner; rm -rf / $(id)" in out
    task = Task.get(Task.title == "Scanner; rm -rf / $(id)")
    assert {(row.actor, row.via) for row in Activity.select().where(
        Activity.entity_id == task.id, Activity.entity == "task")} == {("bob", f"ssh key {BOB_FP}")}
    status, out, _ = ssh_desk("alice", ALICE_FP, "ls 'priority:high'")
    assert status == 0 and "Scanner; rm -rf / $(id)" in out


@pytest.mark.parametrize(("asked", "message"), [
    ("agents role alice admin", "'agents' cannot be run over ssh; what can: ls, show, clients, "
                                "report, add, or nothing for the app"),
    ("sh -c id", "'sh' cannot be run over ssh"),
    ("ssh-keys add alice /tmp/key.pub", "'ssh-keys' cannot be run over ssh"),
    ("ls --db sqlite:////tmp/mine.db", "--db and --config cannot be given over ssh"),
    ("ls --conf /tmp/other.yaml", "--db and --config cannot be given over ssh"),
    ("add 'unclosed", "cannot read the command \"add 'unclosed\" (No closing quotation)"),
])
def test_anything_else_over_ssh_is_refused_with_one_line(ssh_desk, asked, message):
    before = (Agent.select().where(Agent.role == "admin").count(), Task.select().count())
    status, out, err = ssh_desk("alice", ALICE_FP, asked)
    assert (status, out) == (1, "")
    assert err.startswith(f"desk: {message}") and err.count("\n") == 1, err
    assert (Agent.select().where(Agent.role == "admin").count(), Task.select().count()) == before


def test_the_forced_command_takes_no_command_of_its_own(ssh_desk):
    status, _, err = ssh_desk("alice", ALICE_FP, None, "agents", "role", "alice", "admin")
    assert (status, err) == (1, "desk: with --ssh-agent the command comes from the agent's ssh "
                                "(SSH_ORIGINAL_COMMAND), not from the command line\n")
    assert agents.find("alice").role == "agent"


def test_a_key_that_is_not_the_agents_is_refused_at_start(ssh_desk):
    status, out, err = ssh_desk("alice", BOB_FP, "ls")
    assert (status, out) == (1, "")
    assert err.startswith(f"desk: the SSH key {BOB_FP} is not one of alice's keys")


def test_without_a_command_the_agent_gets_the_workspace(ssh_desk):
    status, out, _ = ssh_desk("alice", ALICE_FP, None)
    assert status == 0 and out.startswith("spaces")  # the app's place, without a terminal


def test_sshd_is_served_the_service_accounts_keys_only(ssh_desk, run_desk):
    status, out, _ = run_desk("ssh-keys", "authorized", ME)
    assert status == 0
    assert [line.split('"')[1] for line in out.splitlines()] == [
        f"{COMMAND} --ssh-agent alice --ssh-key {ALICE_FP}",
        f"{COMMAND} --ssh-agent bob --ssh-key {BOB_FP}"]
    assert run_desk("ssh-keys", "authorized", "root") == (0, "", "")


def test_the_service_account_manages_keys_from_a_file(ssh_desk, run_desk, tmp_path):
    agents.add(agents.acting(), "carol")
    keyfile = tmp_path / "carol.pub"
    keyfile.write_text(ALICE_KEY.replace("AAAAIFAIO9", "AAAAIFAIO8"), encoding="utf-8")
    status, out, err = run_desk("ssh-keys", "add", "carol", str(keyfile))
    assert status == 0 and out.startswith("carol can now come in with the key SHA256:"), err
    status, out, _ = run_desk("ssh-keys", "list", "--format", "csv")
    assert [line.split(",")[0] for line in out.splitlines()] == ["agent", "alice", "bob", "carol"]
    assert run_desk("ssh-keys", "add", "carol", str(tmp_path / "missing.pub"))[2] == \
        f"desk: cannot read the key file {tmp_path / 'missing.pub'}: No such file or directory\n"


def test_ssh_agent_is_refused_in_the_os_mode(team, migrated_url, run_desk, monkeypatch):
    monkeypatch.setenv("SSH_ORIGINAL_COMMAND", "add Sneaky")
    status, out, err = run_desk("--db", migrated_url, "--ssh-agent", "alice", "--ssh-key",
                                ALICE_FP)
    assert (status, out) == (1, "")
    assert err.startswith("desk: --ssh-agent is trusted only when the config's identity.mode "
                          "is ssh (here it is os)")
    assert Task.select().count() == 0
    assert run_desk("--db", migrated_url, "ssh-keys", "authorized")[2] == (
        "desk: the keys let agents in only in the ssh identity mode; the config's "
        "identity.mode is os\n")


SPAWNING = re.compile(r"\b(subprocess|os\.system|os\.exec\w*|os\.spawn\w*|os\.popen|"
                      r"webbrowser|pty\.spawn|open_url|\.suspend\()")
"""What starts another program (an editor, a pager, a browser) or hands the terminal over."""


def test_desk_starts_no_program_an_agent_could_reach_a_shell_from():
    package = Path(desk.__file__).parent
    starting = sorted(str(path.relative_to(package)) for path in package.rglob("*.py")
                      if SPAWNING.search(path.read_text(encoding="utf-8")))
    # pg_dump, for desk backup, and desk itself reading a large import (python -c with fixed
    # code; the paths go through a pipe): no terminal, no agent's input on a command line;
    # and ctrl+e's editor, which the ssh identity mode never runs (the next test)
    assert starting == ["db.py", "screens/actions/external_editor.py",
                        "transfer/read_ahead.py"]


def test_the_ssh_mode_never_runs_an_external_editor(tmp_path):
    class Host:
        """An app holding settings, as desk's does."""

        def __init__(self, settings):
            self.settings = settings

    config = tmp_path / "config.yaml"
    config.write_text("identity:\n  mode: ssh\n  ssh: {account: desk}\n"
                      "editor:\n  external: true\n", encoding="utf-8")
    assert not external_allowed(Host(load_settings(config)))
    config.write_text("editor:\n  external: true\n", encoding="utf-8")
    assert external_allowed(Host(load_settings(config)))


# --- the settings ----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "message"), [
    ("identity:\n  mode: ssh\n", "config.yaml, line 2: identity: mode: ssh needs ssh.account"),
    ('identity: {ssh: {command: "desk\\" ; sh"}}', "identity.ssh.command: expected the desk "
                                                   "command on one line"),
])
def test_ssh_settings_that_cannot_work_are_refused_naming_the_key(tmp_path, text, message):
    config = tmp_path / "config.yaml"
    config.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_settings(config)
    assert message in str(refused.value)
