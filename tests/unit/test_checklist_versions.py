"""Checklist items and templates carry versions: every edit names the version it read, a
stale one is a ConflictError with their value and yours that changes nothing (no row, no
history, no event), and every change that is made writes its audit row."""

from __future__ import annotations

import pytest
from playhouse.migrations import Runner

from desk import db as desk_db
from desk.errors import ConflictError, InvalidInput
from desk.kernel import agents
from desk.models import Activity, ChecklistItem, ChecklistTemplate, Event
from desk.work import checklists, tasks, workspace


@pytest.fixture
def maria(admin) -> agents.AgentRef:
    """A second agent, who saves first."""
    return agents.add(admin, "maria")


@pytest.fixture
def item(admin) -> int:
    """The item "Call client" (version 1) on a checklist of a task on Work/Inbox."""
    workspace.create_space(admin, "Work")
    task_list = workspace.create_list(admin, "Work", "Inbox")
    task_id = tasks.create(admin, "Onboard Acme", task_list.id).row.id
    checklist = checklists.add_checklist(admin, task_id, "Onboarding")
    checklists.add_item(admin, checklist, "Send contract")
    return checklists.add_item(admin, checklist, "Call client")


def trail() -> tuple[int, int]:
    """How many audit rows and events there are."""
    return Activity.select().count(), Event.select().count()


def stored(item_id: int) -> tuple[str, bool, int, int]:
    """An item's text, done, position and version."""
    row = ChecklistItem.get_by_id(item_id)
    return row.text, row.done, row.position, row.version


# --- items ---------------------------------------------------------------------------------


def test_each_item_edit_makes_a_new_version(admin, item):
    checklists.rename_item(admin, item, 1, "Call the client")
    checklists.set_done(admin, item, 2, True)
    checklists.move_item(admin, item, 3, -1)
    assert stored(item) == ("Call the client", True, 1, 4)
    views = checklists.for_task(ChecklistItem.get_by_id(item).checklist.task_id)
    assert [(view.text, view.version) for view in views[0].items] == [
        ("Call the client", 4), ("Send contract", 1)]


def test_a_stale_rename_is_refused_with_both_texts(admin, maria, item):
    checklists.rename_item(maria, item, 1, "Call Ada")
    before = (stored(item), trail())

    with pytest.raises(ConflictError) as refused:
        checklists.rename_item(admin, item, 1, "Call the client")

    assert refused.value.conflicts == {"checklist": ("[ ] Call Ada", "[ ] Call the client")}
    assert refused.value.current_version == 2
    assert str(refused.value) == ("checklist item 2 was changed by someone else since you "
                                  "read it (checklist); nothing was saved")
    assert (stored(item), trail()) == before
    checklists.rename_item(admin, item, 2, "Call the client")  # at the version now stored
    assert stored(item)[0] == "Call the client"


def test_a_stale_tick_of_a_reopened_item_is_refused(admin, maria, item):
    checklists.set_done(admin, item, 1, True)
    checklists.set_done(maria, item, 2, False)  # maria reopens it: the work is not done
    before = (stored(item), trail())

    with pytest.raises(ConflictError) as refused:
        checklists.set_done(admin, item, 1, True)  # ticked on a screen that still showed v1

    assert refused.value.conflicts == {"checklist": ("[ ] Call client", "[x] Call client")}
    assert (stored(item), trail()) == before


def test_an_edit_already_in_effect_is_no_conflict_and_records_nothing(admin, maria, item):
    checklists.set_done(maria, item, 1, True)
    checklists.rename_item(maria, item, 2, "Call Ada")
    before = (stored(item), trail())

    assert checklists.set_done(admin, item, 1, True) is False
    checklists.rename_item(admin, item, 1, "Call Ada")

    assert (stored(item), trail()) == before


@pytest.mark.parametrize("edit", [
    lambda agent, item: checklists.move_item(agent, item, 1, -1),
    lambda agent, item: checklists.delete_item(agent, item, 1),
], ids=["move", "delete"])
def test_a_stale_move_or_delete_is_refused(admin, maria, item, edit):
    checklists.rename_item(maria, item, 1, "Call Ada")
    before = (stored(item), trail())

    with pytest.raises(ConflictError) as refused:
        edit(admin, item)

    theirs, _yours = refused.value.conflicts["checklist"]
    assert theirs == "[ ] Call Ada"
    assert (stored(item), trail()) == before


def test_a_version_the_item_never_had_is_refused(admin, item):
    with pytest.raises(InvalidInput, match="version 5 does not exist; the checklist item is "
                                           "at version 1"):
        checklists.rename_item(admin, item, 5, "Call the client")
    assert stored(item)[3] == 1


def test_item_edits_write_their_audit_rows(admin, item):
    task_id = ChecklistItem.get_by_id(item).checklist.task_id
    checklists.rename_item(admin, item, 1, "Call Ada")
    checklists.set_done(admin, item, 2, True)
    checklists.move_item(admin, item, 3, -1)
    checklists.delete_item(admin, item, 4)
    history = list(Activity.select(Activity.actor, Activity.old, Activity.new)
                   .where((Activity.entity == "task") & (Activity.entity_id == task_id)
                          & (Activity.field == "checklist"))
                   .order_by(Activity.id).tuples())
    assert history[-4:] == [
        (admin.username, "[ ] Call client", "[ ] Call Ada"),
        (admin.username, "[ ] Call Ada", "[x] Call Ada"),
        (admin.username, "Call Ada (#2)", "Call Ada (#1)"),
        (admin.username, "[x] Call Ada", None),
    ]


# --- templates -----------------------------------------------------------------------------


def template_history(template_id: int) -> list[tuple[str, str | None, int | None]]:
    """(field, new, version) of a template's activity, oldest first."""
    return list(Activity.select(Activity.field, Activity.new, Activity.version)
                .where((Activity.entity == "checklist_template")
                       & (Activity.entity_id == template_id))
                .order_by(Activity.id).tuples())


def test_template_edits_make_versions_and_audit_rows_with_them(admin, item):
    template_id = checklists.create_template(admin, "Onboarding", ["Call"])
    assert checklists.template(template_id).version == 1

    view = checklists.update_template(admin, template_id, 1, name="Welcome")
    view = checklists.update_template(admin, template_id, view.version, items=["Call", "Mail"],
                                      list_name="Inbox")

    assert (view.name, view.list_name, view.version) == ("Welcome", "Inbox", 3)
    assert template_history(template_id) == [
        ("name", "Onboarding", 1), ("items", "Call", 1), ("name", "Welcome", 2),
        ("list", "Work/Inbox", 3), ("items", "Call, Mail", 3)]


def test_a_stale_template_save_of_the_same_field_is_refused(admin, maria, item):
    template_id = checklists.create_template(admin, "Onboarding", ["Call"])
    checklists.update_template(maria, template_id, 1, name="Welcome")
    before = (checklists.template(template_id), trail())

    with pytest.raises(ConflictError) as refused:
        checklists.update_template(admin, template_id, 1, name="Kick-off", items=["Write"])

    assert refused.value.conflicts == {"name": ("Welcome", "Kick-off")}
    assert refused.value.current_version == 2
    assert (checklists.template(template_id), trail()) == before


def test_a_stale_template_save_of_other_fields_merges(admin, maria, item):
    template_id = checklists.create_template(admin, "Onboarding", ["Call"])
    checklists.update_template(maria, template_id, 1, name="Welcome")

    view = checklists.update_template(admin, template_id, 1, items=["Call", "Write"])

    assert (view.name, [entry.text for entry in view.items], view.version) == (
        "Welcome", ["Call", "Write"], 3)


def test_a_stale_template_deletion_is_refused(admin, maria, item):
    template_id = checklists.create_template(admin, "Onboarding", ["Call"])
    checklists.update_template(maria, template_id, 1, items=["Call", "Mail"])
    before = trail()

    with pytest.raises(ConflictError) as refused:
        checklists.delete_template(admin, template_id, 1)

    assert refused.value.conflicts == {"items": ("Call, Mail", None)}
    assert ChecklistTemplate.select().count() == 1 and trail() == before
    checklists.delete_template(admin, template_id, 2)
    assert ChecklistTemplate.select().count() == 0
    assert template_history(template_id)[-1] == ("name", None, None)


# --- migration -----------------------------------------------------------------------------


def test_upgrading_gives_existing_items_and_templates_version_1(fresh_url):
    db = desk_db.connect(fresh_url)
    try:
        Runner(db, str(desk_db.MIGRATIONS_DIR)).up(target="0007_open_by_team")
        statements = [
            "INSERT INTO space (name, position) VALUES ('Work', 1)",
            "INSERT INTO task_list (space_id, name, position) VALUES (1, 'Inbox', 1)",
            "INSERT INTO status (task_list_id, name, category, position) "
            "VALUES (1, 'To do', 'open', 0)",
            "INSERT INTO task (task_list_id, status_id, category, kind, title, description, "
            "priority, position, created_at, updated_at, version) VALUES (1, 1, 'open', "
            "'task', 'Onboard', '', 3, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)",
            "INSERT INTO checklist (task_id, name, position) VALUES (1, 'Steps', 1)",
            "INSERT INTO checklist_item (checklist_id, text, done, position) "
            "VALUES (1, 'Call client', true, 1)",
            "INSERT INTO checklist_template (name) VALUES ('Onboarding')",
            "INSERT INTO checklist_template_item (template_id, text, position) "
            "VALUES (1, 'Call', 1)",
        ]
        with db.atomic():
            for statement in statements:
                db.execute_sql(statement)

        assert "0009_checklist_versions" in desk_db.migrate(db)

        assert db.execute_sql("SELECT text, done, version FROM checklist_item").fetchall() == [
            ("Call client", True, 1)]
        assert db.execute_sql("SELECT name, version FROM checklist_template").fetchall() == [
            ("Onboarding", 1)]
    finally:
        db.close()
