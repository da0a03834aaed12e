"""The README's steps for the postgres identity mode, run as written (but for the names, which
get a random part, and the server) against a throwaway database on the test cluster."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
from postgres_server import (
    POSTGRES_ADMIN_URL,
    drop_database_and_roles,
    postgres_url,
    refused,
    require_postgres,
)

from desk.kernel.access import pg_roles

README = Path(__file__).parents[2] / "README.md"
README_NAMES = ("desk_owner", "helpdesk", "maria", "tom", "vera")
"""The names the README's steps choose; the test gives each a random part."""


def readme_steps() -> list[str]:
    """The shell blocks of the README's "PostgreSQL with database roles" steps, in order."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("**PostgreSQL with database roles**"):
                   text.index("What this mode protects against: an agent or viewer")]
    return [textwrap.dedent(block) for block in
            re.findall(r"^ *```sh\n(.*?)^ *```$", section, re.S | re.M)]


def test_the_readme_steps_work_from_a_fresh_cluster(tmp_path):
    """Run the README's three blocks as written, but for the names (given a random part),
    `dbhost` (the test server, by PGHOST) and the superuser's psql (the test server's)."""
    require_postgres()
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    if shutil.which("psql") is None:
        pytest.skip("no psql: the README's first step runs it")
    suffix = uuid.uuid4().hex[:8]
    names = {name: f"{name}_{suffix}" for name in README_NAMES}
    server = conninfo_to_dict(POSTGRES_ADMIN_URL)
    steps = readme_steps()
    assert len(steps) == 3
    try:
        for step, account in zip(steps, ("postgres", "owner", "tom"), strict=True):
            script = re.sub(r"\b(" + "|".join(README_NAMES) + r")\b",
                            lambda found: names[found.group(1)], step)
            script = script.replace("@dbhost/", "@/").replace(
                "sudo -u postgres psql", 'psql "$DESK_TEST_POSTGRES_URL"')
            home = tmp_path / account
            home.mkdir()
            environment = {key: value for key, value in os.environ.items()
                           if not key.startswith(("DESK_", "PG", "XDG_"))}
            environment.update(HOME=str(home), PGHOST=str(server.get("host", "")),
                               PGPORT=str(server.get("port", "5432")), PYTHON=sys.executable,
                               DESK_TEST_POSTGRES_URL=POSTGRES_ADMIN_URL)
            ran = subprocess.run(["bash", "-e", "-c", 'desk() { "$PYTHON" -m desk "$@"; }\n'
                                  + script], env=environment, capture_output=True,
                                 text=True, check=False, timeout=180)
            assert ran.returncode == 0, f"{script}\n{ran.stdout}\n{ran.stderr}"
        assert "Call back ACME about the invoice" in ran.stdout  # tom's desk ls
        database = postgres_url(names["helpdesk"])
        with psycopg.connect(database) as connection:
            memberships = set(connection.execute(
                "SELECT u.rolname, g.rolname FROM pg_auth_members m "
                "JOIN pg_roles u ON u.oid = m.member JOIN pg_roles g ON g.oid = m.roleid "
                "WHERE u.rolname LIKE %s", (f"%{suffix}",)))
            assert memberships == {(names["desk_owner"], "pg_signal_backend"),
                                   (names["maria"], f"{names['helpdesk']}_admin"),
                                   (names["tom"], f"{names['helpdesk']}_agent"),
                                   (names["vera"], f"{names['helpdesk']}_viewer")}
            assert set(connection.execute(
                "SELECT a.actor, a.via FROM activity a JOIN task t ON t.id = a.entity_id "
                "WHERE a.entity = 'task' AND t.title = 'Call back ACME about the invoice'")) \
                == {(names["tom"], f"postgres role {names['tom']}")}
        vera = pg_roles.login_url(database, names["vera"])
        with psycopg.connect(vera) as connection:
            assert "permission denied for table task" in refused(
                connection, "UPDATE task SET title = 'sneaky'")
    finally:
        drop_database_and_roles(names["helpdesk"], suffix, names["desk_owner"])
