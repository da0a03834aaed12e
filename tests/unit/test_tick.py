"""The generator of recurring work (`recurrence_tick.generate`), `desk recur` and `desk tick`:
every option on fixed clocks, the new and reopen modes, and two generators at once.

Every test with the `db` fixture runs on SQLite and, when a server is configured, PostgreSQL.
"""

from __future__ import annotations

import json
import os
import subprocess
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from demo_once import DEMO_NOW
from os_account import DESK
from peewee import fn

from desk import sla
from desk.clock import stored, to_local
from desk.config import Settings
from desk.kernel import agents
from desk.models import Activity, Client, Event, Occurrence, RecurringSeries, Task
from desk.recurrence import series as recurrence
from desk.recurrence.series import SeriesSpec
from desk.recurrence.tick import generate
from desk.work import checklists, tasks, workspace
from desk.work.checklists import ItemView

BERLIN = ZoneInfo("Europe/Berlin")
RULES = sla.book(Settings())  # the shipped SLA rules and calendar (Monday to Friday)


def at(*parts: int) -> datetime:
    """A Berlin wall time."""
    return datetime(*parts, tzinfo=BERLIN)


def local(moment: datetime | None) -> str:
    """A stored moment as Berlin wall time, "2026-01-05 09:00"."""
    return f"{to_local(moment, BERLIN):%Y-%m-%d %H:%M}" if moment else ""


def shape(items: tuple[ItemView, ...]) -> list:
    """An item tree as nested [text, done, children] lists."""
    return [[item.text, item.done, shape(item.children)] for item in items]


@pytest.fixture
def duties(admin) -> int:
    """The list Ops/Duties (To do, In progress, Done, Closed) and an agent maria."""
    agents.add(admin, "maria")
    workspace.create_space(admin, "Ops")
    return workspace.create_list(admin, "Ops", "Duties").id


@pytest.fixture
def template(admin, duties) -> int:
    """A full task to recur: due Monday 2026-01-05 09:00, starting three days earlier, with a
    client, tags, two assignees and a nested checklist with one item done."""
    client = Client.create(name="Acme GmbH", kind="client")
    task = tasks.create(
        admin, "Send invoices", duties, description="Every retained client.", priority="high",
        client_id=client.id, due_at=at(2026, 1, 5, 9), start_at=at(2026, 1, 2, 9),
        estimate_minutes=45, tags=["invoice"], assignees=[admin.username, "maria"])
    checklist = checklists.add_checklist(admin, task.row.id, "Steps")
    export = checklists.add_item(admin, checklist, "Export hours")
    checklists.add_item(admin, checklist, "Check rates", export)
    checklists.add_item(admin, checklist, "Send")
    checklists.set_done(admin, export, 1, True)
    return task.row.id


def tick(now: datetime, agent=None):
    """Run the generator at `now` in Berlin, with the shipped SLA rules and calendar."""
    return generate(now, BERLIN, agent, sla_rules=RULES)


def recur(admin, task_id: int, rule: str, now: datetime, **options) -> recurrence.SeriesView:
    """Set a series on the task at a fixed moment."""
    return recurrence.set_series(admin, task_id, SeriesSpec(rule, **options), BERLIN,
                                 calendar=RULES.calendar, now=now)


def occurrences(task_id: int) -> list[tuple[str, int | None]]:
    """The occurrences of the task's series: (Berlin time, task id), oldest first."""
    return [(local(o.occurs_at), o.task_id) for o in
            Occurrence.select().join(RecurringSeries)
            .where(RecurringSeries.task == task_id).order_by(Occurrence.occurs_at)]


def close(admin, task_id: int, when: datetime) -> None:
    """Set the task done, as if at `when` (the service stamps closed_at with the real time)."""
    tasks.update(admin, task_id, tasks.get(task_id).row.version, status="Done")
    Task.update(closed_at=stored(when)).where(Task.id == task_id).execute()


# --- new and reopen ------------------------------------------------------------------------


def test_new_mode_copies_the_template(admin, template):
    recur(admin, template, "weekly on mon", at(2026, 1, 1, 8))
    report = tick(at(2026, 1, 5, 9, 30))
    assert (report.created, report.reopened, report.skipped, report.missed) == (1, 0, 0, 0)
    [copy_id] = report.task_ids
    copy, original = tasks.get(copy_id), tasks.get(template)
    assert copy.row.title == "Send invoices" and copy.description == "Every retained client."
    assert (copy.row.priority, copy.row.client, copy.row.tags, copy.row.list_id) == (
        "high", "Acme GmbH", ("invoice",), original.row.list_id)
    assert copy.row.assignees == tuple(sorted((admin.username, "maria")))
    assert copy.row.status == "To do" and copy.estimate_minutes == 45
    assert local(copy.row.due_at) == "2026-01-05 09:00"
    assert local(copy.start_at) == "2026-01-02 09:00"  # three days before, as the template
    [steps] = checklists.for_task(copy_id)
    assert steps.name == "Steps"
    assert shape(steps.items) == [["Export hours", False, [["Check rates", False, []]]],
                                  ["Send", False, []]]
    assert shape(checklists.for_task(template)[0].items)[0][1] is True  # template untouched
    assert occurrences(template) == [("2026-01-05 09:00", copy_id)]
    assert local(recurrence.series_for(template).next_at) == "2026-01-12 09:00"
    created = Activity.get((Activity.entity == "task") & (Activity.entity_id == copy_id)
                           & (Activity.field == "title"))
    assert created.actor == admin.username  # the series' creator acts
    assert Event.select().where((Event.kind == "task.created")
                                & (Event.entity_id == copy_id)).exists()
    advanced = Event.select().where(Event.kind == "series.advanced").get()
    assert json.loads(advanced.data)["task_id"] == template


def test_reopen_mode_reopens_the_done_task(admin, template):
    recur(admin, template, "weekly on mon", at(2026, 1, 5, 10), mode="reopen")
    close(admin, template, at(2026, 1, 6, 15))
    report = tick(at(2026, 1, 12, 9))
    assert (report.created, report.reopened, report.task_ids) == (0, 1, [template])
    task = tasks.get(template)
    assert task.row.status == "To do" and task.closed_at is None
    assert local(task.row.due_at) == "2026-01-12 09:00"
    assert local(task.start_at) == "2026-01-09 09:00"  # keeps its offset
    assert shape(checklists.for_task(template)[0].items)[0][1] is False  # unticked
    assert Task.select().count() == 1
    assert occurrences(template) == [("2026-01-12 09:00", template)]
    statuses = [json.loads(e.data)["to"] for e in
                Event.select().where(Event.kind == "task.status_changed").order_by(Event.id)]
    assert statuses == ["Done", "To do"]


def test_reopen_mode_only_moves_the_due_date_of_an_open_task(admin, template):
    recur(admin, template, "weekly on mon", at(2026, 1, 5, 10), mode="reopen")
    tasks.update(admin, template, tasks.get(template).row.version, status="In progress")
    tick(at(2026, 1, 12, 9))
    task = tasks.get(template)
    assert task.row.status == "In progress" and local(task.row.due_at) == "2026-01-12 09:00"
    assert shape(checklists.for_task(template)[0].items)[0][1] is True


# --- anchors -------------------------------------------------------------------------------


def test_schedule_anchor_ignores_when_the_previous_was_done(admin, template):
    recur(admin, template, "every 2 weeks", at(2026, 1, 5, 8))
    first = tick(at(2026, 1, 5, 9)).task_ids[0]
    close(admin, first, at(2026, 1, 14, 15))
    second = tick(at(2026, 1, 19, 9)).task_ids
    assert [local(tasks.get(i).row.due_at) for i in second] == ["2026-01-19 09:00"]


def test_completion_anchor_counts_from_the_day_it_was_done(admin, template):
    view = recur(admin, template, "every 2 weeks", at(2026, 1, 5, 8), anchor="completion")
    assert local(view.next_at) == "2026-01-05 09:00"  # the first follows the schedule
    [first] = tick(at(2026, 1, 5, 9)).task_ids
    assert recurrence.series_for(template).next_at is None  # waits for completion
    assert tick(at(2026, 2, 20, 9)).created == 0  # still open: nothing
    close(admin, first, at(2026, 2, 25, 15))  # a Wednesday
    report = tick(at(2026, 3, 11, 9))
    [second] = report.task_ids
    assert local(tasks.get(second).row.due_at) == "2026-03-11 09:00"  # two weeks on
    assert occurrences(template) == [("2026-01-05 09:00", first), ("2026-03-11 09:00", second)]


def test_completion_anchor_in_reopen_mode(admin, template):
    recur(admin, template, "daily", at(2026, 1, 5, 10), mode="reopen", anchor="completion")
    assert tick(at(2026, 1, 20, 9)).reopened == 0
    close(admin, template, at(2026, 1, 7, 18))
    assert tick(at(2026, 1, 7, 19)).reopened == 0  # next is tomorrow 09:00
    assert local(recurrence.series_for(template).next_at) == "2026-01-08 09:00"
    report = tick(at(2026, 1, 8, 9))
    assert report.reopened == 1 and tasks.get(template).row.status == "To do"
    assert local(tasks.get(template).row.due_at) == "2026-01-08 09:00"


def test_completion_done_before_the_due_date_never_repeats_a_date(admin, template):
    recur(admin, template, "weekly on mon", at(2026, 1, 1, 8), anchor="completion")
    [first] = tick(at(2026, 1, 5, 9)).task_ids
    close(admin, first, at(2026, 1, 4, 8))  # done a day before it was due
    tick(at(2026, 1, 5, 10))
    assert local(recurrence.series_for(template).next_at) == "2026-01-12 09:00"


# --- options -------------------------------------------------------------------------------


def test_skip_if_open_skips_while_the_previous_is_open(admin, template):
    recur(admin, template, "daily", at(2026, 1, 5, 8), skip_if_open=True)
    [first] = tick(at(2026, 1, 5, 9)).task_ids
    report = tick(at(2026, 1, 6, 9))
    assert (report.created, report.skipped) == (0, 1)
    assert local(recurrence.series_for(template).next_at) == "2026-01-07 09:00"
    close(admin, first, at(2026, 1, 6, 17))
    [second] = tick(at(2026, 1, 7, 9)).task_ids
    assert occurrences(template) == [("2026-01-05 09:00", first), ("2026-01-07 09:00", second)]


def test_skip_weekends_gives_monday(admin, template):
    recur(admin, template, "monthly on 1", at(2026, 7, 15), skip_weekends=True)
    assert local(recurrence.series_for(template).next_at) == "2026-08-03 09:00"
    assert tick(at(2026, 8, 1, 9)).created == 0  # Saturday: not yet
    [copy] = tick(at(2026, 8, 3, 9)).task_ids
    assert local(tasks.get(copy).row.due_at) == "2026-08-03 09:00"


def test_until_ends_the_series(admin, template):
    recur(admin, template, "daily", at(2026, 1, 5, 8), catch_up="all",
          until=at(2026, 1, 7, 23, 59))
    report = tick(at(2026, 1, 20, 9))
    assert (report.created, report.ended) == (3, 1)
    series = recurrence.series_for(template)
    assert not series.active and series.next_at is None
    assert tick(at(2026, 2, 1)).created == 0


def test_count_ends_the_series(admin, template, duties):
    recur(admin, template, "weekly on mon", at(2026, 1, 5, 8), count=2)
    tick(at(2026, 1, 5, 9))
    report = tick(at(2026, 1, 12, 9))
    assert (report.created, report.ended) == (1, 1)
    assert not recurrence.series_for(template).active
    other = tasks.create(admin, "Water plants", duties, due_at=at(2026, 1, 5, 9)).row.id
    recur(admin, other, "daily", at(2026, 1, 5, 8), anchor="completion", count=1)
    [only] = tick(at(2026, 1, 5, 9)).task_ids
    close(admin, only, at(2026, 1, 5, 12))
    assert tick(at(2026, 2, 1)).created == 0
    assert not recurrence.series_for(other).active


def test_catch_up_latest_creates_only_the_newest_missed(admin, template):
    recur(admin, template, "weekly on mon", at(2026, 1, 1, 8))
    report = tick(at(2026, 1, 27, 12))  # four Mondays missed
    assert (report.created, report.missed) == (1, 3)
    assert [d for d, _ in occurrences(template)] == ["2026-01-26 09:00"]
    assert local(recurrence.series_for(template).next_at) == "2026-02-02 09:00"


def test_catch_up_all_creates_every_missed(admin, template):
    recur(admin, template, "weekly on mon", at(2026, 1, 1, 8), catch_up="all")
    report = tick(at(2026, 1, 27, 12))
    assert (report.created, report.missed) == (4, 0)
    assert [local(tasks.get(i).row.due_at) for i in report.task_ids] == [
        "2026-01-05 09:00", "2026-01-12 09:00", "2026-01-19 09:00", "2026-01-26 09:00"]


def test_month_ends_and_leap_days_through_the_generator(admin, template, duties):
    recur(admin, template, "monthly on 31", at(2028, 1, 30), catch_up="all")
    report = tick(at(2028, 4, 30, 12))
    assert [local(tasks.get(i).row.due_at) for i in report.task_ids] == [
        "2028-01-31 09:00", "2028-02-29 09:00", "2028-03-31 09:00", "2028-04-30 09:00"]
    birthday = tasks.create(admin, "Leap day party", duties, due_at=at(2028, 2, 29, 9)).row.id
    recur(admin, birthday, "yearly on 02-29", at(2028, 2, 1), catch_up="all")
    tick(at(2030, 3, 1))
    assert [local(tasks.get(i).row.due_at) for _, i in occurrences(birthday)] == [
        "2028-02-29 09:00", "2029-02-28 09:00", "2030-02-28 09:00"]


def test_nine_stays_nine_across_daylight_saving(admin, template):
    recur(admin, template, "daily", at(2026, 3, 27, 8), catch_up="all")
    spring = tick(at(2026, 3, 31, 12)).task_ids
    assert [local(tasks.get(i).row.due_at) for i in spring] == [
        f"2026-03-{day} 09:00" for day in (27, 28, 29, 30, 31)]
    assert [tasks.get(i).row.due_at.hour for i in spring] == [8, 8, 7, 7, 7]  # UTC
    recurrence.stop_series(admin, template)
    recur(admin, template, "weekly on sun", at(2026, 10, 17, 8), catch_up="all")
    autumn = tick(at(2026, 11, 2)).task_ids
    assert [local(tasks.get(i).row.due_at) for i in autumn] == [
        "2026-10-18 09:00", "2026-10-25 09:00", "2026-11-01 09:00"]
    assert [tasks.get(i).row.due_at.hour for i in autumn] == [7, 8, 8]


# --- never twice ---------------------------------------------------------------------------


def test_running_again_creates_nothing(admin, template):
    recur(admin, template, "daily", at(2026, 1, 5, 8), catch_up="all")
    assert tick(at(2026, 1, 8, 12)).created == 4
    again = tick(at(2026, 1, 8, 12))
    assert (again.created, again.task_ids) == (0, [])
    assert again.summary() == "recurring work: nothing due"


def test_an_occurrence_claimed_before_is_not_created_again(admin, template):
    """A restart that replays a date (next_at set back) finds the key taken."""
    recur(admin, template, "daily", at(2026, 1, 5, 8))
    [first] = tick(at(2026, 1, 5, 9)).task_ids
    RecurringSeries.update(next_at=stored(at(2026, 1, 5, 9))).execute()
    report = tick(at(2026, 1, 5, 10))
    assert report.created == 0
    assert occurrences(template) == [("2026-01-05 09:00", first)]
    assert local(recurrence.series_for(template).next_at) == "2026-01-06 09:00"


def test_a_series_without_anyone_to_act_reports_an_error_and_others_go_on(admin, template,
                                                                          duties):
    recur(admin, template, "daily", at(2026, 1, 5, 8))
    viewer = agents.add(admin, "vic", role="viewer")
    other = tasks.create(admin, "Water plants", duties, due_at=at(2026, 1, 5, 9)).row.id
    recur(admin, other, "daily", at(2026, 1, 5, 8))
    RecurringSeries.update(created_by=viewer.id).where(RecurringSeries.task == template).execute()
    report = tick(at(2026, 1, 5, 9))
    assert report.created == 1 and len(report.errors) == 1
    assert "may not write" in report.errors[0]
    assert occurrences(template) == []
    assert tick(at(2026, 1, 5, 9), agent=admin).created == 1  # acts as the runner


# --- the command line ----------------------------------------------------------------------


@pytest.fixture
def desk(migrated_url, run_desk, monkeypatch, tmp_path):
    """Run `desk ARGS...` in-process on the test database in Berlin time; returns
    (status, stdout, stderr)."""
    config = tmp_path / "config.yaml"
    config.write_text("timezone: Europe/Berlin\n")
    monkeypatch.setenv("DESK_DATABASE", migrated_url)
    monkeypatch.setenv("DESK_CONFIG", str(config))

    run_desk("init")
    run_desk("add", "Weekly report", "--due", "2030-01-04 16:00")
    return run_desk


def test_recur_previews_five_dates_then_saves(desk):
    status, out, _ = desk("recur", "1", "every", "2", "weeks", "on", "fri", "--start",
                          "2030-01-04", "--preview")
    lines = out.splitlines()
    assert status == 0 and lines[0] == (
        "task 1 (Weekly report) recurs every 2 weeks on fri, creating a new task "
        "each time, counted from the schedule:")
    assert lines[1:] == ["  Fri 2030-01-04 16:00 CET", "  Fri 2030-01-18 16:00 CET",
                         "  Fri 2030-02-01 16:00 CET", "  Fri 2030-02-15 16:00 CET",
                         "  Fri 2030-03-01 16:00 CET", "preview only: nothing saved"]
    assert not RecurringSeries.select().exists()
    status, out, _ = desk("recur", "1", "every 2 weeks on fri", "--start", "2030-01-04",
                          "--skip-weekends", "--count", "3")
    assert status == 0 and out.splitlines()[-1] == "saved series 1: next 2030-01-04 16:00"
    assert "weekends moved to Monday, 3 times:" in out.splitlines()[0]
    status, out, _ = desk("recur", "1")
    assert "recurs every 2 weeks on fri" in out and out.count("2030-") == 3


def test_tick_creates_and_reports_once(desk):
    desk("recur", "1", "weekly on fri", "--start", "2030-01-04")
    status, out, err = desk("tick", "--now", "2030-01-25 17:00")
    assert status == 0 and err == ""
    recurring, mail, slas, loyal, automated, sequenced, nps, outgoing, scored = (
        out.splitlines())
    assert loyal == "loyalty: 0 orders earned points, 0 clients' points expired, 0 tiers changed"
    assert recurring == "recurring work: created 1 task (2); passed over 3 missed"
    assert mail == "mail: no IMAP mailbox configured"
    assert slas == "sla: 0 breached, 0 nearly breached"
    assert automated.startswith("automations: 0 fired, ")  # the shipped rules: none fits
    assert sequenced == "sequences: 0 steps run, 0 stopped or paused"
    assert nps == "nps: surveys off"
    assert outgoing.startswith("outbox: nothing waiting")
    assert scored == "urgency: 2 scores updated"  # both tasks, nobody's, are in the inbox
    again = desk("tick", "--now", "2030-01-25T16:00:00Z")[1].splitlines()
    assert again[:5] == ["recurring work: nothing due", "mail: no IMAP mailbox configured",
                         "sla: 0 breached, 0 nearly breached",
                         "loyalty: 0 orders earned points, 0 clients' points expired, "
                         "0 tiers changed",
                         "automations: 0 fired, 0 changes processed"]
    assert Task.select().count() == 2


def test_recur_stop_and_bad_input_are_one_line(desk):
    status, _, err = desk("recur", "1", "fortnightly")
    assert status == 1 and err.startswith("desk: cannot read 'fortnightly' in the rule")
    assert len(err.splitlines()) == 1
    status, _, err = desk("recur", "1", "daily", "--until", "soon")
    assert status == 1 and err.startswith("desk: --until: cannot read 'soon'")
    status, _, err = desk("tick", "--now", "later")
    assert status == 1 and err.startswith("desk: --now: cannot read 'later'")
    status, _, err = desk("recur", "1", "--stop")
    assert status == 1 and err == "desk: task 1 does not recur\n"
    desk("recur", "1", "daily", "--start", "2030-01-04")
    status, out, _ = desk("recur", "1", "--stop")
    assert status == 0 and out == "task 1 (Weekly report) does not recur\n"
    assert not RecurringSeries.get().active


# --- two generators at once, and the demo --------------------------------------------------


def tick_processes(url: str, config: str, now: str, processes: int = 2) -> list[str]:
    """Start `desk tick --now NOW` several times at once; returns their outputs."""
    env = {**os.environ, "DESK_DATABASE": url, "DESK_CONFIG": config}
    running = [subprocess.Popen([*DESK, "tick", "--now", now], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(processes)]
    outputs = []
    for process in running:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        outputs.append(out)
    return outputs


def created_by(outputs: list[str]) -> int:
    """How many tasks the outputs of `desk tick` say they created."""
    total = 0
    for line in outputs:
        if line.startswith("recurring work: created "):
            total += int(line.split()[3])
    return total


@pytest.mark.serial
def test_two_ticks_at_once_create_each_occurrence_once(db_url, db, admin, duties, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("timezone: Europe/Berlin\n")
    for number in range(20):
        task = tasks.create(admin, f"Duty {number}", duties, due_at=at(2030, 1, 1, 9)).row.id
        recur(admin, task, "daily", at(2030, 1, 1, 8), catch_up="all")
    outputs = tick_processes(db_url, str(config), "2030-01-10 12:00")
    assert created_by(outputs) == 20 * 10
    assert Occurrence.select().count() == 20 * 10
    assert Occurrence.select().where(Occurrence.task.is_null()).count() == 0
    per_day = (Occurrence.select(Occurrence.series, Occurrence.occurs_at, fn.COUNT(Occurrence.id))
               .group_by(Occurrence.series, Occurrence.occurs_at).tuples())
    assert {count for _, _, count in per_day} == {1}
    assert Task.select().count() == 20 + 20 * 10
    assert created_by(tick_processes(db_url, str(config), "2030-01-10 12:00")) == 0


@pytest.mark.serial
def test_the_demo_series_run_through_desk_tick(demo_workspace, tmp_path):
    db_url = demo_workspace
    config = tmp_path / "config.yaml"
    config.write_text("timezone: Europe/Berlin\n")
    templates = {s.task.title: s.task_id for s in RecurringSeries.select()}
    outputs = tick_processes(db_url, str(config), "2026-11-18T09:30:00Z", 1)
    assert [out.splitlines()[0] for out in outputs] == ["recurring work: nothing due"]
    later = (DEMO_NOW + timedelta(days=35)).isoformat() + "Z"
    first = tick_processes(db_url, str(config), later)
    assert created_by(first) == 4
    assert created_by(tick_processes(db_url, str(config), later)) == 0
    assert Occurrence.select().count() == 4
    due = {}
    for title, task_id in templates.items():
        [(when, copy_id)] = occurrences(task_id)
        copy = tasks.get(copy_id)
        assert copy.row.title == title and local(copy.row.due_at) == when
        due[title] = to_local(copy.row.due_at, BERLIN)
    assert due["Send monthly retainer invoices"].day == 1
    assert due["Weekly support report"].weekday() == 4
    assert due["Team retrospective"].weekday() == 3
    closing = due["Close the books"].date()
    rest_of_month = [closing + timedelta(days=n) for n in range(1, 4)
                     if (closing + timedelta(days=n)).month == closing.month]
    assert closing.weekday() < 5 and all(day.weekday() >= 5 for day in rest_of_month)
