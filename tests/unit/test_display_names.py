"""People are shown by their display names: the task screen's comments and history name
each agent as they are called now, while the stored username stays what scripts read."""

from __future__ import annotations

from desk.kernel import agents, audit
from desk.work import comments, tasks, workspace


def test_comments_and_history_show_the_display_name_as_it_is_now(db, admin):
    bob = agents.add(admin, "bob", name="Bob Baker")
    workspace.create_space(admin, "Support")
    inbox = workspace.create_list(admin, "Support", "Inbox").id
    task = tasks.create(bob, "Printer jam", inbox).row
    comments.note(bob, task.id, "Cleared it.")
    [shown] = comments.for_task(task.id)
    assert (shown.author, shown.by) == ("bob", "Bob Baker")
    assert {(entry["actor"], entry["by"]) for entry in audit.history("task", task.id)} == {
        ("bob", "Bob Baker")}
    agents.set_name(bob, "bob", "Robert Baker")
    assert comments.for_task(task.id)[0].by == "Robert Baker"
    assert {entry["by"] for entry in audit.history("task", task.id)} == {"Robert Baker"}


def test_a_change_by_no_agent_is_shown_by_its_actor(db, admin):
    workspace.create_space(admin, "Support")
    inbox = workspace.create_list(admin, "Support", "Inbox").id
    task = tasks.create(admin, "Weekly report", inbox).row
    with audit.acting_as("rule:tidy", 1):
        tasks.update(admin, task.id, task.version, priority="low")
    newest = audit.history("task", task.id)[0]
    assert (newest["actor"], newest["by"]) == ("rule:tidy", "rule:tidy")
