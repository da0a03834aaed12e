"""The ssh identity mode in an open app: taking away the key an agent came in with ends their
session within seconds, with a line saying why (desk.kernel.agents.standing)."""

from __future__ import annotations

import asyncio

from desk.kernel import agents
from desk.kernel.access import ssh_keys

from .conftest import settle
from .test_standing import SIZE, as_admin, until

KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFAIO9ZVhHMpI4LKvq8boA3ksZ0a7VYPVmFdgcH+cf1L "
       "maria@laptop")
FINGERPRINT = "SHA256:NPDyoUqrXUT1Et3GzuUo7e1HaljrpvTv1jCixG9Vt8Y"


async def test_a_removed_key_ends_the_open_app(desk_app, demo_db, capsys):
    with demo_db.connection_context():
        ssh_keys.add(agents.acting(), "maria", KEY)
        maria = agents.acting("maria", via=f"ssh key {FINGERPRINT}", ssh_key=FINGERPRINT)
    app = desk_app(agent=maria, watch_interval=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.is_running
        await asyncio.to_thread(as_admin, app, lambda admin: ssh_keys.remove(admin, FINGERPRINT))
        assert await until(lambda: not app.is_running)
    assert app.return_code == 1
    assert (f"desk: the SSH key {FINGERPRINT} is not one of maria's keys on this desk"
            in " ".join(capsys.readouterr().err.split()))
