"""The app tells its start-up work when keys come (desk.screens.actions.app.key_quiet)."""

from __future__ import annotations

import time

from .conftest import press
from .test_inbox import open_inbox


async def test_each_key_is_noted_so_that_the_start_up_work_gives_way(desk_app):
    app = desk_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_inbox(pilot)
        before = time.monotonic()
        await press(pilot, "j")
        assert app.key_quiet.last >= before
