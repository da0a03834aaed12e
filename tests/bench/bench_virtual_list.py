"""Benchmark of the VirtualList widget at 10k, 100k and 1M rows. Prints figures; asserts nothing.

    python tests/bench/bench_virtual_list.py [--sizes 10000,100000,1000000] [--keys 200]

Each size runs in its own process (so peak RSS belongs to that size alone): the test App of
tests/ui over an in-memory fake source, headless (`App.run_test`, 80x24). It prints:

- first row: from entering `run_test` to the first call of `render_row` (a real row drawn);
- per key, in view / scrolling: wall and process-CPU time around `await pilot.press("j")`.
  Pilot waits for the app to go idle after each key (at least two idle checks), so this is
  an upper bound dominated by pilot, not the key-to-frame latency of a real terminal;
- render_line for a full screen, hot (cached strips) and cold (caches dropped), CPU time:
  the widget's own share of a frame;
- G on the list: wall time from the key to the last row drawn, and the pages requested;
- peak RSS of the process (`resource.getrusage`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import subprocess
import sys
import time
from operator import attrgetter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ -> ui.conftest

from ui.conftest import FakeSource, ListApp, settle

from desk.screens.widgets.list_rows import text_row
from desk.screens.widgets.virtual_list import VirtualList


def ms(values: list[float]) -> dict[str, float]:
    """Median and p95 of seconds, in milliseconds."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median": round(statistics.median(ordered) * 1000, 2), "p95": round(p95 * 1000, 2)}


async def press_timed(pilot, key: str, wall: list[float], cpu: list[float]) -> None:
    """Press `key`, recording wall and CPU seconds."""
    start, start_cpu = time.perf_counter(), time.process_time()
    await pilot.press(key)
    wall.append(time.perf_counter() - start)
    cpu.append(time.process_time() - start_cpu)


def screen_cpu(widget: VirtualList, cold: bool, runs: int = 50) -> dict[str, float]:
    """CPU seconds of render_line over the whole view, hot or with dropped caches."""
    samples = []
    for _ in range(runs):
        if cold:
            widget.notify_style_update()  # drops the strip cache and Textual's style caches
        start = time.process_time()
        for y in range(widget.size.height):
            widget.render_line(y)
        samples.append(time.process_time() - start)
    return ms(samples)


async def bench(rows: int, keys: int) -> dict:
    """All figures for one list size."""
    drawn: list[float] = []
    label = text_row(attrgetter("title"))

    def render_row(row, width, selected, marked):
        if not drawn:
            drawn.append(time.perf_counter())
        return label(row, width, selected, marked)

    source = FakeSource(rows)
    app = ListApp(source, render_row)
    start = time.perf_counter()
    async with app.run_test(size=(80, 24)) as pilot:
        while not drawn:
            await asyncio.sleep(0.001)
        first_row = drawn[0] - start
        await settle(pilot)
        widget = app.query_one(VirtualList)
        in_wall, in_cpu, scroll_wall, scroll_cpu = [], [], [], []
        while len(in_wall) < keys:
            await pilot.press("g")
            for _ in range(widget.size.height - 1):  # cursor moves, the view does not
                await press_timed(pilot, "j", in_wall, in_cpu)
        await settle(pilot)
        for _ in range(keys):  # every key scrolls the view by one row
            await press_timed(pilot, "j", scroll_wall, scroll_cpu)
        await settle(pilot)
        hot, cold = screen_cpu(widget, cold=False), screen_cpu(widget, cold=True)
        pages_before = len(source.requested)
        drawn.clear()
        start = time.perf_counter()
        await pilot.press("G")
        while widget.row_at(rows - 1) is None:
            await asyncio.sleep(0.001)
        await pilot.pause()
        jump = time.perf_counter() - start
        assert widget.cursor == rows - 1
        return {
            "rows": rows,
            "first_row_ms": round(first_row * 1000, 1),
            "in_view_wall": ms(in_wall), "in_view_cpu": ms(in_cpu),
            "scroll_wall": ms(scroll_wall), "scroll_cpu": ms(scroll_cpu),
            "screen_render_hot_cpu": hot, "screen_render_cold_cpu": cold,
            "jump_to_end_ms": round(jump * 1000, 1),
            "pages_for_jump": len(source.requested) - pages_before,
            "pages_total": len(source.requested),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }


def main() -> None:
    """Run each size in a child process and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--keys", type=int, default=200)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child: one size
    args = parser.parse_args()
    if args.one:
        print(json.dumps(asyncio.run(bench(args.one, args.keys))))
        return
    print(f"VirtualList, headless run_test 80x24, {args.keys} keys per figure; times in ms "
          "(median / p95); per-key figures include pilot's idle waits")
    header = ("rows", "first row", "j in view wall", "cpu", "j scroll wall", "cpu",
              "screen hot", "screen cold", "G", "pages", "RSS MB")
    print(" | ".join(header))
    for size in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run([sys.executable, __file__, "--one", str(size), "--keys",
                              str(args.keys)], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])

        def pair(figure: dict) -> str:
            """median / p95."""
            return f"{figure['median']} / {figure['p95']}"

        print(" | ".join(str(v) for v in (
            f"{r['rows']:,}", r["first_row_ms"], pair(r["in_view_wall"]), pair(r["in_view_cpu"]),
            pair(r["scroll_wall"]), pair(r["scroll_cpu"]), pair(r["screen_render_hot_cpu"]),
            pair(r["screen_render_cold_cpu"]), r["jump_to_end_ms"],
            f"{r['pages_total']} ({r['pages_for_jump']} for G)", r["peak_rss_mb"])))


if __name__ == "__main__":
    main()
