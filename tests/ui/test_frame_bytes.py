"""What desk writes to the terminal: the inbox's frame with its styles sent as what changed
(desk.screens.styles_out), read back by a real terminal emulator (pyte)."""

from __future__ import annotations

import pyte
from textual.drivers.linux_driver import LinuxDriver

from desk.screens.paste import PasteDriver
from desk.screens.styles_out import minimise_styles

from .conftest import press
from .test_inbox import open_inbox

COLUMNS, LINES = 120, 40


def cells(data: str) -> list[list[tuple]]:
    """Every cell of a 120x40 terminal after `data`: its character and its whole style."""
    screen = pyte.Screen(COLUMNS, LINES)
    pyte.Stream(screen).feed(data)
    return [[(cell.data, cell.fg, cell.bg, cell.bold, cell.italics, cell.underscore,
              cell.strikethrough, cell.reverse)
             for cell in (screen.buffer[y][x] for x in range(COLUMNS))]
            for y in range(LINES)]


async def test_the_inbox_frame_shows_the_same_cells_in_a_quarter_fewer_bytes(desk_app):
    app = desk_app()
    async with app.run_test(size=(COLUMNS, LINES)) as pilot:
        await open_inbox(pilot)
        await press(pilot, "j", "j", "x")  # the cursor's and a mark's styles too
        # the whole screen as Textual writes it to a terminal
        frame = app.screen._compositor.render_update(full=True).render_segments(app.console)
    out = minimise_styles(frame)
    assert cells(out) == cells(frame)
    assert "to triage" in "\n".join("".join(cell[0] for cell in row) for row in cells(out))
    assert len(out.encode()) < 0.75 * len(frame.encode()), (len(out), len(frame))


async def test_the_driver_writes_frames_with_their_styles_minimised(monkeypatch):
    written: list[str] = []
    monkeypatch.setattr(LinuxDriver, "write", lambda driver, data: written.append(data))
    frame = "\x1b[1;1H\x1b[38;5;188;48;5;16mA\x1b[0m\x1b[38;5;74;48;5;16mB\x1b[0m"
    PasteDriver(app=None).write(frame)  # type: ignore[arg-type]
    assert written == [minimise_styles(frame)]
    assert written[0] == "\x1b[1;1H\x1b[38;5;188;48;5;16mA\x1b[38;5;74mB\x1b[0m"
