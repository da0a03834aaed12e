"""The task screen's time lines: the time spent against the estimate (and through the
subtasks when they add anything), then the newest entries, each read-only."""

from __future__ import annotations

from textual.content import Content

from desk.durations import spoken
from desk.pages.task_time import TaskTime
from desk.screens.safe import safe_line


def time_lines(time: TaskTime | None) -> list[tuple[str, Content]]:
    """(label, value) lines, read-only: "Time spent 1h30 of 2h (30m left)", "With
    subtasks ..." when they add anything, then one line an entry."""
    if time is None:
        return []
    figures = time.figures
    lines = [("Time spent", Content(_against(figures.spent, figures.estimate)))]
    if (figures.total_spent, figures.total_estimate) != (figures.spent, figures.estimate):
        lines.append(("With subtasks", Content(
            _against(figures.total_spent, figures.total_estimate))))
    for entry in time.entries:
        length = "running" if entry.minutes is None else spoken(entry.minutes)
        paid = "" if entry.billable else " not billable"
        lines.append(("", Content.assemble(
            (f"{entry.day:%Y-%m-%d} {length:>7}{paid} ", "dim"),
            safe_line(entry.agent, 16), " ", safe_line(entry.note, 60))))
    if time.total_entries > len(time.entries):
        lines.append(("", Content(
            f"… {time.total_entries - len(time.entries)} more entries").stylize("dim")))
    return lines


def _against(spent: int, estimate: int | None) -> str:
    """"1h30 of 2h (30m left)", "2h30 of 2h (30m over)", or "1h30" without an estimate."""
    if estimate is None:
        return spoken(spent) if spent else "none yet"
    left = estimate - spent
    return f"{spoken(spent)} of {spoken(estimate)} " + (
        f"({spoken(left)} left)" if left >= 0 else f"({spoken(-left)} over)")
