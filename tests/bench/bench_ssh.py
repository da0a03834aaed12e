"""First paint and a held key over SSH: desk's inbox and the bare list through a real sshd on
loopback, with a delay on the link, beside the same programs started locally.

    python tests/bench/bench_ssh.py [--sizes 1000000] [--term 80x24] [--runs 3] [--rtt 100]
                                    [--kbit KBIT] [--keys 20] [--multiplex] [--dir DIR]
                                    [--bare DIR] [--before CHECKOUT]

A script, not a test: it prints figures and asserts nothing. It needs root and
openssh-server. sshd runs for the benchmark only, as tests/e2e/test_ssh.py starts one:
listening on 127.0.0.1, with its own config, host key and a key made for the run in a
temporary folder, letting in only root with that key; it is stopped at the end.

The delay: `tc netem` needs a kernel module that is not everywhere (it is missing here), so
every byte between the ssh client and sshd crosses a forwarder in this process
(slow_link.DelayedForwarder), RTT/2 late each way, the connection's set-up and key exchange
included; `--kbit` also paces each direction.

The workspaces are bench_keys.py's (cached in DIR, the same default folder). For each size,
`--runs` times, alternating: desk locally, desk over SSH, the bare list locally, the bare
list over SSH (and a desk from `--before` when given, both ways). Each run is
bench_keys.measure in a real pseudo-terminal; over SSH the program in it is `ssh -t`, so
"first paint" counts from the start of ssh (its connection, key exchange and log-in
included), and the CPU and memory figures would be ssh's: they are not printed. Printed:
the first painted row, over SSH and locally, and their difference; what `ssh host true`
alone takes over the same link (the round trips any program pays before it starts); a key
that scrolls (p95) and the lag after 60 keys at 30 Hz (a held `j`); bytes per scrolling key;
with the load average. With `--multiplex` every session shares one connection opened first
(ControlMaster, as a user's ControlPersist keeps one), so it pays only for opening a channel.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from bench_keys import PLACEHOLDER, bare_database, bare_folder, load, measure, shown
from bench_tui import first_inbox_title, isolated_environment, workspace
from slow_link import DelayedForwarder

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
PermitRootLogin prohibit-password
AllowUsers root
AuthorizedKeysFile {folder}/authorized_keys
DisableForwarding yes
LogLevel ERROR
"""
"""The benchmark's own sshd: loopback only, root with the run's key only."""

REMOTE_VARIABLES = ("HOME", "TERM", "LANG", "LC_ALL", "PATH", "PYTHONPATH", "PYTHONPYCACHEPREFIX",
                    "TEXTUAL_ANIMATIONS", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME",
                    "XDG_STATE_HOME")
"""The variables the programs get over SSH as they do locally (sshd passes on only TERM)."""

FIGURES = (  # (key, label, unit)
    ("first_paint", "first painted row, from process start", "s"),
    ("scroll_p95", "key that scrolls, p95", "ms"),
    ("burst_lag", "lag after 60 keys at 30 Hz (held j)", "ms"),
    ("scroll_bytes", "bytes per scrolling key", "B"),
)




@contextmanager
def sshd(folder: Path) -> Iterator[tuple[int, Path]]:
    """A running sshd for the run (its port and the client's key file), stopped after."""
    if os.geteuid() != 0:
        raise SystemExit("bench_ssh.py starts sshd and logs in as root: run it as root")
    binary = shutil.which("sshd") or "/usr/sbin/sshd"
    for name, path in (("host_key", folder / "host_key"), ("client key", folder / "client")):
        if subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)],
                          check=False).returncode:
            raise SystemExit(f"ssh-keygen could not make the {name}")
    shutil.copyfile(folder / "client.pub", folder / "authorized_keys")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (folder / "sshd_config").write_text(SSHD_CONFIG.format(port=port, folder=folder),
                                        encoding="utf-8")
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation
    server = subprocess.Popen([binary, "-D", "-e", "-f", str(folder / "sshd_config")],
                              stdout=subprocess.DEVNULL,
                              stderr=(folder / "sshd.log").open("wb"))
    try:
        deadline = time.monotonic() + 30
        while True:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("sshd did not start: "
                                 + (folder / "sshd.log").read_text(errors="replace"))
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield port, folder / "client"
    finally:
        server.terminate()
        server.wait(30)


@dataclass(frozen=True)
class Login:
    """How the benchmark's ssh client reaches sshd: through the link's `port`, with `key`,
    and `options` (a shared connection's control socket, with --multiplex)."""

    port: int
    key: Path
    options: tuple[str, ...] = ()

    def command(self, remote: list[str], environment: dict[str, str],
                tty: bool = True) -> list[str]:
        """`ssh -t` to root@127.0.0.1 running `remote` in `environment` only, from the
        folder of its HOME."""
        variables = [f"{name}={value}" for name, value in environment.items()]
        line = (f"cd {shlex.quote(environment['HOME'])} && exec env -i "
                f"{shlex.join(variables)} {shlex.join(remote)}")
        return [*self.client(), "-t" if tty else "-T", "root@127.0.0.1", line]

    def client(self) -> list[str]:
        """ssh and the options of every connection."""
        return [shutil.which("ssh") or "/usr/bin/ssh", "-F", "/dev/null", "-i", str(self.key),
                "-p", str(self.port), "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
                "-o", "IdentitiesOnly=yes", "-o", "LogLevel=ERROR", *self.options]


@contextmanager
def shared_connection(login: Login, folder: Path) -> Iterator[Login]:
    """A master connection (ControlMaster) that later sessions share, as a user's
    ControlPersist keeps one: each new session then opens a channel on it instead of
    connecting, exchanging keys and logging in again. Closed at the end."""
    shared = replace(login, options=("-o", f"ControlPath={folder / 'control'}"))
    subprocess.run([*shared.client(), "-o", "ControlMaster=yes", "-o", "ControlPersist=yes",
                    "-f", "-N", "root@127.0.0.1"], check=True, stdin=subprocess.DEVNULL)
    try:
        yield shared
    finally:
        subprocess.run([*shared.client(), "-O", "exit", "root@127.0.0.1"], check=False,
                       stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def handshake(login: Login, runs: int) -> list[float]:
    """Seconds that `ssh host true` takes over the link: what any program pays first."""
    command = login.command(["true"], {"HOME": "/"}, tty=False)
    spent = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdin=subprocess.DEVNULL)
        spent.append(time.perf_counter() - started)
    return spent


def report(title: str, results: dict[str, dict[str, list[dict]]], floor: list[float]) -> None:
    """Each program's figures over SSH and locally, and the first paint's difference."""
    print(f"\n{title}")
    print(f"`ssh host true` over this link: {shown(floor, 's')}")
    print(f"| {'':38} | {'program':>12} | {'over SSH':>22} | {'locally':>22} |")
    print(f"| {'-' * 38} | {'-' * 12} | {'-' * 22} | {'-' * 22} |")
    for key, label, unit in FIGURES:
        for name, ways in results.items():
            far = [run[key] for run in ways["ssh"] if key in run]
            near = [run[key] for run in ways["local"] if key in run]
            if far and near:
                print(f"| {label:38} | {name:>12} | {shown(far, unit):>22} | "
                      f"{shown(near, unit):>22} |")
    for name, ways in results.items():
        far = statistics.median(run["first_paint"] for run in ways["ssh"])
        near = statistics.median(run["first_paint"] for run in ways["local"])
        print(f"{name}: first paint over SSH minus locally {far - near:+.2f} s "
              f"(minus the handshake alone: {far - near - statistics.median(floor):+.2f} s)")
    print(flush=True)


def main() -> None:
    """Start sshd and the delayed link, then run every program both ways and print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000000")
    parser.add_argument("--term", default="80x24")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rtt", type=int, default=100, help="round trip in ms")
    parser.add_argument("--kbit", type=int, default=None, help="each way, kbit/s")
    parser.add_argument("--keys", type=int, default=20)
    parser.add_argument("--multiplex", action="store_true",
                        help="share one ssh connection (ControlMaster), as ControlPersist does")
    parser.add_argument("--dir", type=Path,
                        default=Path(tempfile.gettempdir()) / "desk-bench-tui")
    parser.add_argument("--bare", type=Path, default=None)
    parser.add_argument("--before", type=Path, default=None,
                        help="a checkout of desk to compare with (run with it on PYTHONPATH)")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    bare = bare_folder(args.bare)
    columns, rows = (int(part) for part in args.term.split("x"))
    home = Path(tempfile.mkdtemp(prefix="desk-bench-home-"))
    secrets = Path(tempfile.mkdtemp(prefix="desk-bench-sshd-"))
    environment = isolated_environment(home, args.dir / "bytecode")
    environment.update(TEXTUAL_ANIMATIONS="none", COLUMNS=str(columns), LINES=str(rows))
    remote_environment = {name: environment[name] for name in REMOTE_VARIABLES
                          if name in environment}
    print(f"load average {load()}; round trip {args.rtt} ms, "
          f"{f'{args.kbit} kbit/s' if args.kbit else 'no rate limit'}"
          f"{', one shared connection' if args.multiplex else ''}", flush=True)
    try:
        with ExitStack() as stack:
            port, key = stack.enter_context(sshd(secrets))
            link = DelayedForwarder(port, args.rtt // 2, args.kbit)
            stack.callback(link.close)
            login = Login(link.port, key)
            if args.multiplex:
                login = stack.enter_context(shared_connection(login, secrets))
            for size in (int(text) for text in args.sizes.split(",")):
                desk_db = workspace(size, args.dir, environment)
                bare_db = bare_database(bare, args.dir, size)
                title = first_inbox_title(f"sqlite:///{desk_db}").encode()
                desk = [sys.executable, "-m", "desk", "--db", f"sqlite:///{desk_db}"]
                programs = {  # name: (command, environment, marker, quit key, pending)
                    "desk": (desk, remote_environment, title, b"q", PLACEHOLDER),
                    "bare list": ([sys.executable, str(bare / "bare_list.py"), "virtual",
                                   str(bare_db)], remote_environment, b"Task ", b"\x11", None),
                }
                if args.before:
                    programs["desk before"] = (desk, {**remote_environment,
                                                      "PYTHONPATH": str(args.before)},
                                               title, b"q", PLACEHOLDER)
                results = {name: {"local": [], "ssh": []} for name in programs}
                for _ in range(args.runs):
                    for name, (command, env, marker, quit_key, pending) in programs.items():
                        local_env = {**environment, **env}
                        results[name]["local"].append(measure(
                            command, local_env, marker, quit_key, pending, args.keys,
                            columns, rows, None))
                        results[name]["ssh"].append(measure(
                            login.command(command, env), environment, marker,
                            quit_key, pending, args.keys, columns, rows, None))
                floor = handshake(login, args.runs)
                report(f"== {size:,} tasks at {args.term}, {args.runs} runs each, round trip "
                       f"{args.rtt} ms; load average now {load()}", results, floor)
    finally:
        shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(secrets, ignore_errors=True)


if __name__ == "__main__":
    main()
