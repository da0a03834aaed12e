"""Checklist templates: writing and deleting them, seeding them from the config, reading
them, and copying them onto tasks as new checklists.

A template may name a list: new top-level tasks of that list get it, unless their caller
gives them another checklist (an order gets its product's). Templates carry a version: an
update or a deletion names the version it read, and what someone else changed since is a
ConflictError (nothing written). Each change is recorded as the template's activity, at the
version it made, and the checklists copied from a template keep their items whatever becomes
of it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from msgspec import Struct
from peewee import JOIN, fn

from desk.clock import stored
from desk.dialect import serialize
from desk.errors import ConflictError, DeskError, InvalidInput, NotFound
from desk.kernel import audit, versions
from desk.kernel.agents import AgentRef, require_writer
from desk.kernel.inputs import storable_text
from desk.models import (
    Activity,
    ChecklistItem,
    ChecklistTemplate,
    ChecklistTemplateItem,
    Product,
    TaskList,
    database,
)
from desk.work import workspace
from desk.work.checklists.items import FIELD, new_checklist
from desk.work.checklists.trees import (
    ItemSpec,
    ItemView,
    checked_text,
    count_items,
    grouped,
    insert_tree,
    specs,
    summary,
    tree,
)

if TYPE_CHECKING:
    from desk.config import ChecklistTemplateSettings

KEEP = object()  # update_template's default for the list: leave it as it is
ENTITY = "checklist_template"  # how the history and a ConflictError name a template


class TemplateView(Struct, frozen=True):
    """A checklist template: its name, the list whose new tasks get it (if any), its item
    tree and the version it was read at."""

    id: int
    name: str
    list_id: int | None
    items: tuple[ItemView, ...]
    list_name: str | None = None
    version: int = 1

    @property
    def item_count(self) -> int:
        """How many items the template has, nested ones included."""
        return count_items(self.items)


def create_template(agent: AgentRef, name: str, items: Sequence[object],
                    list_name: str | None = None) -> int:
    """Create a checklist template from nested items; returns its id.

    `items` is a list whose entries are either a text or a one-key mapping
    {text: [children...]}, nested to any depth (the shape a YAML file gives). With
    `list_name`, new tasks of that list get the template automatically.
    """
    require_writer(agent)
    name = checked_text(name, "template name", 200)
    item_specs = _template_specs(items)
    with database.atomic():
        _check_template_name(name)
        list_id = workspace.find_list(list_name).id if list_name else None
        template = ChecklistTemplate.create(name=name, task_list=list_id)
        insert_tree(ChecklistTemplateItem.template, template.id, item_specs)
        created = {"name": (None, name), "list": (None, _list_name(list_id)),
                   "items": (None, summary(item_specs))}
        audit.record(ENTITY, template.id, agent,
                     {field: pair for field, pair in created.items() if pair[1] is not None},
                     1, "checklist_template.created")
    return template.id


def update_template(agent: AgentRef, template_id: int, version: int, *,
                    name: str | None = None, items: Sequence[object] | None = None,
                    list_name: str | object | None = KEEP) -> TemplateView:
    """Change a template read at `version`: its name, its items (the whole tree, replaced)
    and the list whose new tasks get it (a list name, or None for none); what is not given
    stays. Each changed field is recorded as activity. Checklists applied before keep their
    items.

    A field someone else changed since `version` to another value is a ConflictError
    (nothing written); changes of other fields merge, as for tasks.
    """
    require_writer(agent)
    new_name = None if name is None else checked_text(name, "template name", 200)
    item_specs = None if items is None else _template_specs(items)
    with database.atomic():
        row = versions.load_for_update(ChecklistTemplate, template_id, "checklist template")
        wanted: dict[str, object] = {}
        if new_name is not None:
            wanted["name"] = new_name
        if list_name is not KEEP:
            list_id = workspace.find_list(str(list_name)).id if list_name else None
            wanted["list"] = _list_name(list_id)
        if item_specs is not None:
            wanted["items"] = summary(item_specs)
        changes = versions.effective_changes(ENTITY, template_id, version, row.version,
                                             _current(row), wanted)
        if not changes:
            return template(template_id)
        columns: dict[str, object] = {}
        if "name" in changes:
            _check_template_name(new_name, template_id)
            columns["name"] = new_name
        if "list" in changes:
            columns["task_list"] = list_id
        if "items" in changes:
            (ChecklistTemplateItem.delete()
             .where(ChecklistTemplateItem.template == template_id).execute())
            insert_tree(ChecklistTemplateItem.template, template_id, item_specs)
        new_version = versions.bump(ChecklistTemplate, template_id, row.version, ENTITY,
                                    columns)
        audit.record(ENTITY, template_id, agent, changes, new_version,
                     "checklist_template.updated")
    return template(template_id)


def delete_template(agent: AgentRef, template_id: int, version: int) -> None:
    """Delete a template read at `version` and its items; refused while products give it to
    their orders, and a ConflictError (nothing deleted) when someone changed it since.
    Checklists applied from it stay on their tasks."""
    require_writer(agent)
    with database.atomic():
        row = versions.load_for_update(ChecklistTemplate, template_id, "checklist template")
        if version != row.version:
            _refuse_stale_deletion(row, version)
        users = [product for (product,) in Product.select(Product.name)
                 .where(Product.checklist_template == template_id)
                 .order_by(Product.name).tuples()]
        if users:
            raise InvalidInput(f"checklist template {row.name!r} is the checklist of "
                               f"{', '.join(users)}; give those products another one first")
        ChecklistTemplate.delete().where(ChecklistTemplate.id == template_id).execute()
        audit.record(ENTITY, template_id, agent, {"name": (row.name, None)}, None,
                     "checklist_template.deleted")


def seed_templates(agent: AgentRef,
                   templates_config: Mapping[str, ChecklistTemplateSettings]) -> list[str]:
    """Create the config's templates (`checklist_templates:`) that this database has never
    had; returns the names created.

    A template is seeded once: a name that exists, or existed (renamed or deleted by
    someone since), is left alone, so people's edits stay. A template whose list does not
    exist yet waits for it. Viewers seed nothing. Concurrent desks seed each template once.
    """
    if not agent.can_write:
        return []
    missing = [name for name in templates_config if not _ever_named(name)]
    if not missing:
        return []
    created = []
    with database.atomic():
        serialize("checklists.seed")
        for name in missing:
            settings = templates_config[name]
            if _ever_named(name) or (settings.list and not _list_exists(settings.list)):
                continue
            try:
                create_template(agent, name, settings.items, settings.list)
            except DeskError as error:
                raise InvalidInput(f"checklist_templates.{name}: {error}") from None
            created.append(name.strip())
    return created


def templates() -> list[TemplateView]:
    """Every checklist template by name, each with its item tree."""
    return _views(ChecklistTemplate.select())


def template(template_id: int) -> TemplateView:
    """One checklist template with its item tree, or NotFound."""
    views = _views(ChecklistTemplate.select().where(ChecklistTemplate.id == template_id),
                   template_id)
    if not views:
        raise NotFound(f"no checklist template {template_id}")
    return views[0]


def apply_template(agent: AgentRef, task_id: int, template_name: str, *,
                   now: datetime | None = None) -> int:
    """Copy a template's whole tree into a new checklist of the task, named after the
    template; returns the checklist's id. `now`: when (default: the current time)."""
    require_writer(agent)
    wanted = storable_text(template_name.strip(), "a template's name").lower()
    with database.atomic():
        found = (ChecklistTemplate.select()
                 .where(fn.LOWER(ChecklistTemplate.name) == wanted)
                 .first())
        if found is None:
            raise NotFound(f"no checklist template named {template_name!r}")
        return _apply(agent, task_id, found, now)


def apply_list_templates(agent: AgentRef, task_id: int, list_id: int, *,
                         now: datetime | None = None) -> list[int]:
    """Apply every template of the list (by name) to the task; returns the checklist ids.
    `now`: when (default: the current time)."""
    require_writer(agent)
    templates = list(ChecklistTemplate.select().where(ChecklistTemplate.task_list == list_id)
                     .order_by(ChecklistTemplate.name))
    if not templates:  # most lists have none: no savepoint for every task created
        return []
    with database.atomic():
        return [_apply(agent, task_id, found, now) for found in templates]


def _apply(agent: AgentRef, task_id: int, found: ChecklistTemplate,
           now: datetime | None) -> int:
    """Copy the template's tree into a new checklist of the task (inside a transaction),
    recorded at `now` (None: the current time)."""
    rows = grouped(_template_items(found.id))
    checklist_id = new_checklist(task_id, found.name)
    insert_tree(ChecklistItem.checklist, checklist_id, tree(rows.get(found.id, [])))
    audit.record("task", task_id, agent, {FIELD: (None, found.name)}, None,
                 "checklist.applied", {"template": found.name, "checklist_id": checklist_id},
                 at=stored(now))
    return checklist_id


def _views(query, template_id: int | None = None) -> list[TemplateView]:
    """TemplateViews of the templates `query` selects, by name; `template_id` when the query
    selects that one only (so only its items are read)."""
    rows = grouped(_template_items(template_id))
    query = (query.select_extend(TaskList.name.alias("list_name"))
             .join(TaskList, JOIN.LEFT_OUTER).order_by(ChecklistTemplate.name).objects())
    return [TemplateView(found.id, found.name, found.task_list_id,
                         tree(rows.get(found.id, [])), found.list_name, found.version)
            for found in query]


def _current(row: ChecklistTemplate) -> dict[str, object]:
    """A template's fields as its history writes them: name, list ("Space/List") and items
    (on one line)."""
    items = tree(grouped(_template_items(row.id)).get(row.id, []))
    return {"name": row.name, "list": _list_name(row.task_list_id), "items": summary(items)}


def _refuse_stale_deletion(row: ChecklistTemplate, version: int) -> None:
    """Refuse to delete a template read at `version`, changed since: a ConflictError with
    the fields someone changed (theirs) against none (yours: deleted). A version the
    template never had is InvalidInput."""
    if version > row.version:
        raise InvalidInput(f"version {version} does not exist; the checklist template is at "
                           f"version {row.version}")
    current = _current(row)
    touched = audit.changed_since(ENTITY, row.id, version) & current.keys() or current.keys()
    raise ConflictError(ENTITY, row.id, {field: (current[field], None) for field in touched},
                        row.version)


def _template_specs(items: object) -> tuple[ItemSpec, ...]:
    """The items of a template, of which there must be at least one."""
    found = specs(items)
    if not found:
        raise InvalidInput("a checklist template needs at least one item")
    return found


def _check_template_name(name: str, template_id: int | None = None) -> None:
    """Refuse a name another template has (case-insensitively)."""
    query = ChecklistTemplate.select().where(fn.LOWER(ChecklistTemplate.name) == name.lower())
    if template_id is not None:
        query = query.where(ChecklistTemplate.id != template_id)
    if query.exists():
        raise InvalidInput(f"a checklist template named {name!r} exists already")


def _ever_named(name: str) -> bool:
    """Whether a template is, or ever was, called `name` (case-insensitively): in the
    table, or in the history of created, renamed and deleted templates."""
    lowered = name.strip().lower()
    if ChecklistTemplate.select().where(fn.LOWER(ChecklistTemplate.name) == lowered).exists():
        return True
    return (Activity.select()
            .where((Activity.entity == ENTITY) & (Activity.field == "name")
                   & ((fn.LOWER(Activity.new) == lowered) | (fn.LOWER(Activity.old) == lowered)))
            .exists())


def _list_exists(name: str) -> bool:
    """Whether the list `name` exists (an ambiguous name is an error, not a missing list)."""
    try:
        workspace.find_list(name)
    except NotFound:
        return False
    return True


def _list_name(list_id: int | None) -> str | None:
    """How a template's list shows in the history: "Space/List", or None."""
    if list_id is None:
        return None
    found = workspace.get_list(list_id)
    return f"{found.space}/{found.name}"


def _template_items(template_id: int | None = None) -> list[tuple]:
    """(template id, id, parent id, text, done=False, version=None) rows of the items of one
    template (of all when None), in sibling order."""
    query = (ChecklistTemplateItem.select(ChecklistTemplateItem.template,
                                          ChecklistTemplateItem.id, ChecklistTemplateItem.parent,
                                          ChecklistTemplateItem.text)
             .order_by(ChecklistTemplateItem.position, ChecklistTemplateItem.id))
    if template_id is not None:
        query = query.where(ChecklistTemplateItem.template == template_id)
    return [(*row, False, None) for row in query.tuples()]
