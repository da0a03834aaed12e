"""Updating tasks imported before from their changed records, through the task services.

Each update names the version the last import left the task at: a field someone changed in
desk since then and the file changes too is a conflict, reported and not overwritten (the
other fields of that task are then not updated either, so the task stays as one person left
it). New comments are added; the task's list, parent and checklists stay as first imported.
"""

from __future__ import annotations

from desk.errors import ConflictError, DeskError
from desk.kernel.agents import AgentRef
from desk.models import database
from desk.transfer import keys
from desk.transfer.plan import Plan
from desk.transfer.records import Problem
from desk.transfer.task_rows import PreparedTask
from desk.transfer.task_writer import add_comments
from desk.work import custom_fields, tasks


def update_task(agent: AgentRef, source: str, task: PreparedTask, key: keys.Key,
                plan: Plan) -> bool:
    """Update the task of a changed record; False (with a problem in `plan`) when it could
    not be."""
    record = task.record
    wanted = task.service_fields()
    changed = key.changed(wanted)
    plain = {name: value for name, value in changed.items() if not name.startswith("custom:")}
    try:
        with database.atomic():
            version = key.version
            if plain:
                version = tasks.update(agent, key.entity_id, version, **plain).row.version
            for name in sorted(set(changed) - set(plain)):
                custom_fields.set_value(agent, key.entity_id, version,
                                        name.removeprefix("custom:"), changed[name])
                version = tasks.get(key.entity_id).row.version
            add_comments(agent, source, [(key.entity_id, record.source_id, record.comments)])
            keys.refresh(source, record.source_id, task.digest, version, wanted)
    except ConflictError as error:
        fields = ", ".join(sorted(error.conflicts)) or "the task"
        plan.problem(Problem(record.place, f"task {key.entity_id} was changed in desk since "
                                           f"the last import ({fields}); not updated"))
        return False
    except DeskError as error:
        plan.problem(Problem(record.place, f"task {key.entity_id} not updated: {error}"))
        return False
    return True
