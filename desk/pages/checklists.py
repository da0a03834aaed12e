"""Conflicts of checklist edits in words, for the conflict dialog: a checklist item, or a
checklist template, as it is now (theirs, with who saved it) against what the edit wanted
(yours)."""

from __future__ import annotations

from datetime import tzinfo

from desk.clock import to_local
from desk.errors import ConflictError
from desk.kernel import audit
from desk.models import Activity
from desk.pages.task import ConflictRow
from desk.work.checklists.items import FIELD
from desk.work.checklists.templating import ENTITY as TEMPLATE

TEMPLATE_LABELS = {"name": "Name", "list": "List whose new tasks get it", "items": "Items"}
"""How the conflict dialog names each field of a template."""


def item_conflict_rows(error: ConflictError, task_id: int, zone: tzinfo) -> list[ConflictRow]:
    """The item of a refused checklist edit on task `task_id`: as it is now and as the edit
    would have left it ("(deleted)" for a deletion), with who last saved it as it is (times
    in `zone`; "someone" when the task's history does not say)."""
    theirs, yours = error.conflicts[FIELD]
    return [ConflictRow(FIELD, "Checklist item", str(theirs),
                        "(deleted)" if yours is None else str(yours),
                        _item_saved_by(task_id, str(theirs), zone))]


def template_conflict_rows(error: ConflictError, read_version: int, zone: tzinfo, *,
                           deleting: bool = False) -> list[ConflictRow]:
    """The fields of a refused template edit read at `read_version` (or of a refused
    deletion, `deleting`): their value and yours in words, and who saved theirs."""
    who = audit.saved_by(TEMPLATE, error.entity_id, read_version, error.conflicts, zone)

    def shown(field: str, value: object) -> str:
        """A value in words; no value is a deleted template, no list, or nothing."""
        if value is not None:
            return str(value)
        return "(deleted)" if deleting else "(no list)" if field == "list" else "(empty)"

    return [ConflictRow(field, TEMPLATE_LABELS.get(field, field), shown(field, theirs),
                        shown(field, yours), who.get(field, "someone"))
            for field, (theirs, yours) in error.conflicts.items()]


def _item_saved_by(task_id: int, state: str, zone: tzinfo) -> str:
    """Who last left a checklist item of the task in `state` ("[x] Call client"), as "who at
    YYYY-MM-DD HH:MM" in `zone`, from the task's history; "someone" if it does not say."""
    found = (Activity.select(Activity.actor, Activity.at)
             .where((Activity.entity == "task") & (Activity.entity_id == task_id)
                    & (Activity.field == FIELD) & (Activity.new == state))
             .order_by(Activity.id.desc()).first())
    return f"{found.actor} at {to_local(found.at, zone):%Y-%m-%d %H:%M}" if found else "someone"
