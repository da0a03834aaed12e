"""Random keys and resizes across every screen, over a workspace full of hostile text.

Each seed drives the real app with a few hundred keys drawn from every key the screens bind
plus ordinary typing, resizing the terminal now and then. Whatever the keys open, type or
change, the app must not raise: an exception inside the app fails `run_test`.
"""

from __future__ import annotations

import random

import pytest

from desk import sla
from desk.config import Settings
from desk.crm import clients
from desk.kernel import agents
from desk.work import comments, tasks, workspace

from .conftest import settle

SLA_RULES = sla.book(Settings())  # the shipped SLA rules
HOSTILE = [
    "[/] x",
    "[@click=app.quit]x[/]",
    "[TODO] Q3 [b]bold",
    "\x1b]52;c;AAAA\x07 clipboard",
    "\x1b[2J\x1b]0;title\x07\x9b\x9d",
    "\u202eevil\u2066",
    '[link="file:///etc/passwd"]y[/]',
    "👩‍💻 日本語 שלום " * 8,
    "a\nb\tc\r\x9b2J",
]

KEYS = [
    *"1234jkgGxXeasptczrnlobvVhHLNdDiuw/?", "enter", "escape", "escape", "tab", "shift+tab",
    "space", "backspace", "up", "down", "left", "right", "pageup", "pagedown", "home", "end",
    "ctrl+d", "ctrl+u", "ctrl+p", "ctrl+j", "ctrl+t", "backslash", "question_mark", "plus",
    "minus", "at", "number_sign", "colon",
]
"""Every kind of key the screens use, weighted towards navigation and the verbs. `q` is left
out: it quits the app, which would end the run early."""

SIZES = [(80, 24), (120, 40), (60, 18), (200, 50), (100, 30)]


@pytest.fixture
def hostile_app(desk_app, demo_db):
    """The demo app with hostile titles, names, descriptions and comments added."""
    with demo_db.connection_context():
        agent = agents.acting()
        list_id = workspace.tree()[0]["lists"][0]["id"]
        client = clients.create(agent, HOSTILE[0], kind="client", notes=HOSTILE[1])
        for text in HOSTILE:
            task = tasks.create(agent, text, list_id, kind="query", description=text,
                                client_id=client.row.id, tags=["x"], sla_rules=SLA_RULES)
            comments.reply(agent, task.row.id, text)
            comments.note(agent, task.row.id, text)
            clients.create(agent, text, kind="customer")
    return desk_app


# The pilot waits after each key, so no seed here (1 to 39 tried) meets a dialog answering
# after it closed; test_key_bursts.py sends keys in bursts and keeps the seed that did.
@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_random_keys_and_resizes_never_raise(hostile_app, seed):
    rng = random.Random(seed)
    app = hostile_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for step in range(300):
            if step % 37 == 36:
                await pilot.resize_terminal(*rng.choice(SIZES))
            await pilot.press(rng.choice(KEYS))
            if step % 10 == 9:
                await pilot.pause()
        await settle(pilot)
        assert app.is_running
