"""The recurrence editor: how a task repeats, with its next five dates before anything is saved.

`RecurrenceScreen(task_id, title, series)` opens from the task screen (`R`, or enter on its
"Repeats" line). The rule is typed as `desk recur` takes it (daily, weekly on mon,fri,
monthly on last working day, every 2 weeks on thu, or RRULE text); start, end date and count
are typed too, and the options are checkboxes. Every change previews the next five dates in
a worker (`desk.recurrence.series.upcoming`), or says in place what is wrong. ctrl+j saves
through `recurrence.set_series`, naming the series version the screen read; "Stop
repeating" asks first, then stops the series (the tasks made so far stay). The modal closes
with True when something was saved or stopped, else None.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import ClassVar

from msgspec import Struct
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static

from desk import dates
from desk.business_hours import Calendar
from desk.clock import to_local
from desk.errors import DeskError, InvalidInput
from desk.kernel.agents import AgentRef
from desk.recurrence import series as recurrence
from desk.recurrence.rule_words import rule_words
from desk.recurrence.series import SeriesSpec, SeriesView
from desk.screens.actions.calls import can_write, describe, run_service
from desk.screens.dialogs.closing import dismiss_if_in_front
from desk.screens.dialogs.pick import PickScreen
from desk.screens.hints import key_hint
from desk.screens.safe import safe_line
from desk.screens.widgets.key_button import KeyButton
from desk.screens.widgets.safe_input import SafeInput
from desk.text import one_line

PREVIEW_COUNT = 5
"""How many coming dates the editor shows."""
DATES_A_LINE = 3
"""Coming dates shown on one line: three fit at 80 columns."""

KEYS = "tab next field · space ticks · {recur.save} saves · {recur.cancel} cancels"
"""The line of keys under the form (binding ids in braces: the keys bound now)."""

FIELDS = (
    ("rule", "Repeats", "daily, weekly on mon,fri, monthly on last working day"),
    ("start", "Starts", "optional: today at the due time, or fri, 2026-12-01"),
    ("until", "Until", "optional: a last date"),
    ("count", "Times", "optional: how many times in all"),
)
"""The typed fields, one line each: (id suffix, label, placeholder)."""

OPTIONS = (
    ("completion", "Count from when the last one is done (not from the schedule)"),
    ("reopen", "Reopen this same task (not a new task each time)"),
    ("skip_weekends", "Move Saturday and Sunday dates to Monday"),
    ("skip_if_open", "Skip a date while the previous one is still open"),
    ("catch_up_all", "After downtime, catch up every missed date (not only the latest)"),
)
"""The checkboxes: (id suffix, label)."""


class RecurrenceDraft(Struct, frozen=True):
    """What the form holds, as typed: turned into a SeriesSpec in a worker (`spec`)."""

    rule: str
    start: str
    until: str
    count: str
    options: frozenset[str]

    def spec(self, task_id: int, now: datetime) -> SeriesSpec:
        """The series this draft describes; InvalidInput naming the field that is wrong.
        Reads the task (for the default start), so it runs in a worker."""
        if not self.rule.strip():
            raise InvalidInput("Rule: type how it repeats, e.g. weekly on mon")
        starts = (_field("Start", recurrence.start_from_text, self.start, task_id, now)
                  if self.start.strip() else recurrence.default_start(task_id, now))
        until = (_field("Until", dates.parse_due, self.until, now) if self.until.strip()
                 else None)
        spec = SeriesSpec(
            self.rule.strip(),
            anchor="completion" if "completion" in self.options else "schedule",
            mode="reopen" if "reopen" in self.options else "new",
            skip_weekends="skip_weekends" in self.options,
            skip_if_open="skip_if_open" in self.options,
            catch_up="all" if "catch_up_all" in self.options else "latest",
            starts_at=starts, until=until, count=count_of(self.count))
        return _field("Rule", recurrence.checked, spec)


def _field(name: str, read, *values):
    """`read(*values)`, with a mistake reported under the field's name."""
    try:
        return read(*values)
    except DeskError as error:
        raise InvalidInput(f"{name}: {error}") from error


def count_of(text: str) -> int | None:
    """The typed count: empty for no limit, else a whole number of at least 1."""
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise InvalidInput(f"Count: a whole number of at least 1, not {one_line(text, 20)!r}")
    return int(text)


def preview_of(draft: RecurrenceDraft, task_id: int, now: datetime, zone: tzinfo,
               calendar: Calendar) -> tuple[str, list[datetime]]:
    """In a worker: the series described in words and its next dates (working days those
    of the business `calendar`)."""
    spec = draft.spec(task_id, now)
    return (recurrence.describe(spec, zone),
            recurrence.upcoming(task_id, spec, zone, calendar=calendar, now=now,
                                count=PREVIEW_COUNT))


def save_draft(agent: AgentRef, draft: RecurrenceDraft, task_id: int, now: datetime,
               zone: tzinfo, calendar: Calendar, version: int | None) -> SeriesView:
    """In a worker: save the series (version: the one the editor read, None for a new one)."""
    return recurrence.set_series(agent, task_id, draft.spec(task_id, now), zone,
                                 calendar=calendar, now=now, version=version)


class RecurrenceScreen(ModalScreen[bool | None]):
    """Set, change or stop how a task repeats, seeing the next dates first."""

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("escape", "cancel", "Cancel", id="recur.cancel"),
        Binding("ctrl+j", "save", "Save", id="recur.save", priority=True),
    ]

    def __init__(self, task_id: int, title: str, series: SeriesView | None) -> None:
        """`series` is the task's active series, or None for a task that does not repeat."""
        super().__init__()
        self.task_id = task_id
        self.task_title = title
        self.series = series

    def compose(self) -> ComposeResult:
        series, zone = self.series, self.app.now().tzinfo
        on = _options_of(series.spec) if series else frozenset()
        typed = {
            "rule": rule_words(series.rule) if series else "",
            "start": _local(series.starts_at, zone) if series else "",
            "until": _local(series.until, zone) if series and series.until else "",
            "count": str(series.count) if series and series.count else ""}
        with Vertical(classes="dialog dialog-recur"):
            yield Static(safe_line(f"Repeat #{self.task_id} {self.task_title}", 72),
                         classes="dialog-title")
            for name, label, placeholder in FIELDS:
                with Horizontal(classes="form-row"):
                    yield Static(label, classes="recur-label")
                    yield SafeInput(typed[name], id=f"recur-{name}", placeholder=placeholder,
                                    compact=True)
            yield Static("", id="recur-error", classes="dialog-error")
            yield Static("", id="recur-summary")
            yield Static("", id="recur-dates")
            for key, label in OPTIONS:
                yield Checkbox(label, key in on, id=f"recur-{key}", compact=True)
            if series is not None:
                yield KeyButton("Stop repeating", id="recur-stop", compact=True)
            yield Static(key_hint(self, KEYS), classes="dialog-hint")

    def on_mount(self) -> None:
        """Preview what is there already."""
        self.query_one("#recur-rule").focus()
        self.preview()

    # --- the draft and its preview ------------------------------------------------------------

    def draft(self) -> RecurrenceDraft:
        """What the form holds now."""
        typed = {name: self.query_one(f"#recur-{name}", Input).value
                 for name in ("rule", "start", "until", "count")}
        options = frozenset(key for key, _ in OPTIONS
                            if self.query_one(f"#recur-{key}", Checkbox).value)
        return RecurrenceDraft(options=options, **typed)

    def on_input_changed(self, event: Input.Changed) -> None:
        """Every keystroke previews again."""
        event.stop()
        self.preview()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        """Every option ticked or cleared previews again."""
        event.stop()
        self.preview()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter moves to the next field."""
        event.stop()
        self.focus_next()

    def preview(self) -> None:
        """Work out the next dates of the draft in a worker (the newest draft wins)."""
        draft, task_id, now = self.draft(), self.task_id, self.app.now()
        zone, calendar = now.tzinfo, self.app.sla_rules.calendar
        run_service(self, lambda: preview_of(draft, task_id, now, zone, calendar),
                    done=self.show_preview, failed=self.show_problem, group="recur-preview",
                    newest=True)

    def show_preview(self, result: tuple[str, list[datetime]]) -> None:
        """The series in words and its next dates."""
        summary, moments = result
        sentence = summary[:1].upper() + summary[1:]
        self.query_one("#recur-summary", Static).update(safe_line(sentence, 200))
        zones = sorted({f"{moment:%Z}" for moment in moments})
        heading = (f"Next {len(moments)} ({', '.join(zones)}):" if moments
                   else "No dates left")
        shown = [f"{moment:%a %Y-%m-%d %H:%M}" for moment in moments]
        rows = ["   ".join(shown[start:start + DATES_A_LINE])
                for start in range(0, len(shown), DATES_A_LINE)]
        self.query_one("#recur-dates", Static).update(
            Content("\n").join([Content(heading).stylize("bold"), *map(Content, rows)]))
        self.query_one("#recur-error", Static).update("")

    def show_problem(self, error: Exception) -> bool:
        """What is wrong with the draft, in place; the dates are cleared."""
        if not isinstance(error, DeskError):
            return False
        self.query_one("#recur-summary", Static).update("")
        self.query_one("#recur-dates", Static).update("")
        self.query_one("#recur-error", Static).update(safe_line(describe(error), 200))
        return True

    # --- saving and stopping ------------------------------------------------------------------

    def action_save(self) -> None:
        """Save the draft (in a worker) and close; a mistake stays on screen."""
        if not can_write(self, "make tasks repeat"):
            return
        agent, draft, task_id, now = self.app.agent, self.draft(), self.task_id, self.app.now()
        version = self.series.version if self.series else None
        calendar = self.app.sla_rules.calendar
        run_service(self, lambda: save_draft(agent, draft, task_id, now, now.tzinfo, calendar,
                                             version),
                    done=lambda _: dismiss_if_in_front(self, True), failed=self.show_problem,
                    group="recur-save")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Stop repeating, after asking."""
        event.stop()
        if not can_write(self, "stop a series"):
            return
        self.app.push_screen(
            PickScreen("Stop repeating? The tasks made so far stay.",
                       [("Stop repeating", True), ("Keep repeating", False)]),
            lambda yes: yes and self.stop())

    def stop(self) -> None:
        """Stop the series (in a worker) and close."""
        agent, task_id = self.app.agent, self.task_id
        run_service(self, lambda: recurrence.stop_series(agent, task_id),
                    done=lambda _: dismiss_if_in_front(self, True), failed=self.show_problem,
                    group="recur-save")

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)


def _options_of(spec: SeriesSpec) -> frozenset[str]:
    """The checkboxes a stored series ticks."""
    return frozenset(key for key, on in (
        ("completion", spec.anchor == "completion"), ("reopen", spec.mode == "reopen"),
        ("skip_weekends", spec.skip_weekends), ("skip_if_open", spec.skip_if_open),
        ("catch_up_all", spec.catch_up == "all")) if on)


def _local(moment: datetime | None, zone: tzinfo) -> str:
    """A stored moment as the editor shows it: local, to the minute."""
    return "" if moment is None else f"{to_local(moment, zone):%Y-%m-%d %H:%M}"

