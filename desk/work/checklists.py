"""Checklists with nested items on any task, and the templates they can be copied from.

Items nest through `parent` and keep their order among their siblings in `position`. A tree
is read with one query per table and built in memory by `_tree`; a new tree is written by
`_insert_tree`, for template items and checklist items alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from peewee import JOIN, Field, fn

from desk.clock import stored, utcnow
from desk.db import serialize
from desk.errors import DeskError, InvalidInput, NotFound
from desk.kernel import audit, versions
from desk.kernel.agents import AgentRef, require_writer
from desk.kernel.inputs import required_text
from desk.models import (
    Activity,
    Checklist,
    ChecklistItem,
    ChecklistTemplate,
    ChecklistTemplateItem,
    Product,
    Task,
    TaskList,
    database,
)
from desk.work import workspace

if TYPE_CHECKING:
    from desk.config import ChecklistTemplateSettings

FIELD = "checklist"  # the Activity field of every checklist change on a task
KEEP = object()  # update_template's default for the list: leave it as it is


@dataclass(frozen=True)
class ItemView:
    """An item with its nested children, in order."""

    id: int
    text: str
    done: bool
    children: tuple[ItemView, ...] = ()


@dataclass(frozen=True)
class ChecklistView:
    """A checklist of a task: its items as a tree and its progress as (done, total)."""

    id: int
    name: str
    items: tuple[ItemView, ...]
    progress: tuple[int, int]


@dataclass(frozen=True)
class TemplateView:
    """A checklist template: its name, the list whose new tasks get it (if any) and its item
    tree."""

    id: int
    name: str
    list_id: int | None
    items: tuple[ItemView, ...]
    list_name: str | None = None

    @property
    def item_count(self) -> int:
        """How many items the template has, nested ones included."""
        return _count(self.items)


@dataclass(frozen=True)
class ItemSpec:
    """An item to be written: its text and its children."""

    text: str
    children: tuple[ItemSpec, ...] = ()


def add_checklist(agent: AgentRef, task_id: int, name: str) -> int:
    """Add an empty checklist at the end of a task's checklists; returns its id."""
    require_writer(agent)
    name = _text(name, "checklist name", 200)
    with database.atomic():
        checklist_id = _new_checklist(task_id, name)
        audit.record("task", task_id, agent, {FIELD: (None, name)}, None, "checklist.created",
                     {"checklist_id": checklist_id})
    return checklist_id


def add_item(agent: AgentRef, checklist_id: int, text: str, parent_id: int | None = None) -> int:
    """Append an item to a checklist (under `parent_id` when given); returns its id."""
    require_writer(agent)
    text = _text(text, "item text", 500)
    with database.atomic():
        checklist = versions.load_for_update(Checklist, checklist_id, "checklist")
        if parent_id is not None:
            parent = _item(parent_id)
            if parent.checklist_id != checklist_id:
                raise InvalidInput(f"item {parent_id} is not on checklist {checklist_id}")
        position = (ChecklistItem.select(fn.COALESCE(fn.MAX(ChecklistItem.position), 0))
                    .where((ChecklistItem.checklist == checklist_id)
                           & _siblings_of(parent_id)).scalar() + 1)
        item_id = ChecklistItem.create(checklist=checklist_id, parent=parent_id, text=text,
                                       position=position).id
        audit.record("task", checklist.task_id, agent, {FIELD: (None, _label(False, text))},
                     None, "checklist.item_added", {"checklist_id": checklist_id,
                                                    "item_id": item_id})
    return item_id


def set_done(agent: AgentRef, item_id: int, done: bool, *,
             now: datetime | None = None) -> bool:
    """Tick (done=True) or untick an item; returns whether that changed it.

    Idempotent: two agents ticking the same item leave it ticked, and a call that changes
    nothing records nothing. Ticking the last open item of all the task's checklists also
    records the event "checklist.completed". `now` is when it is ticked (default: the
    current time; a caller recording history passes the moment).
    """
    require_writer(agent)
    if not isinstance(done, bool):
        raise InvalidInput(f"done must be true or false, not {done!r}")
    with database.atomic():
        item = _item(item_id)
        if item.done == done:
            return False
        task_id = item.checklist.task_id
        versions.load_for_update(Task, task_id, "task")  # one completion check at a time
        moment = stored(now) or utcnow()
        (ChecklistItem.update(done=done, done_at=moment if done else None,
                              done_by=agent.id if done else None)
         .where(ChecklistItem.id == item_id).execute())
        audit.record("task", task_id, agent,
                     {FIELD: (_label(item.done, item.text), _label(done, item.text))}, None,
                     "checklist.item_toggled", {"item_id": item_id, "done": done}, at=moment)
        if done and open_items(task_id) == 0:
            audit.record("task", task_id, agent, {}, None, "checklist.completed",
                         {"task_id": task_id}, at=moment)
    return True


def rename_item(agent: AgentRef, item_id: int, text: str) -> None:
    """Change the text of an item."""
    require_writer(agent)
    text = _text(text, "item text", 500)
    with database.atomic():
        item = _item(item_id)
        if item.text == text:
            return
        ChecklistItem.update(text=text).where(ChecklistItem.id == item_id).execute()
        audit.record("task", item.checklist.task_id, agent,
                     {FIELD: (_label(item.done, item.text), _label(item.done, text))}, None,
                     "checklist.item_renamed", {"item_id": item_id})


def move_item(agent: AgentRef, item_id: int, offset: int) -> None:
    """Move an item among its siblings by `offset` places (-1 up, +1 down), within the ends."""
    require_writer(agent)
    with database.atomic():
        item = _item(item_id)
        siblings = list(ChecklistItem.select(ChecklistItem.id)
                        .where((ChecklistItem.checklist == item.checklist_id)
                               & _siblings_of(item.parent_id))
                        .order_by(ChecklistItem.position, ChecklistItem.id).tuples())
        ids = [sibling_id for (sibling_id,) in siblings]
        old = ids.index(item_id)
        new = max(0, min(len(ids) - 1, old + offset))
        if new == old:
            return
        ids.insert(new, ids.pop(old))
        for position, sibling_id in enumerate(ids, start=1):
            (ChecklistItem.update(position=position)
             .where(ChecklistItem.id == sibling_id).execute())
        audit.record("task", item.checklist.task_id, agent,
                     {FIELD: (f"{item.text} (#{old + 1})", f"{item.text} (#{new + 1})")}, None,
                     "checklist.item_moved", {"item_id": item_id})


def delete_item(agent: AgentRef, item_id: int) -> None:
    """Delete an item and everything nested under it."""
    require_writer(agent)
    with database.atomic():
        item = _item(item_id)
        ChecklistItem.delete().where(ChecklistItem.id == item_id).execute()  # children cascade
        audit.record("task", item.checklist.task_id, agent,
                     {FIELD: (_label(item.done, item.text), None)}, None,
                     "checklist.item_deleted", {"item_id": item_id})


def for_task(task_id: int) -> list[ChecklistView]:
    """The task's checklists in order, each with its item tree and progress."""
    checklists = list(Checklist.select(Checklist.id, Checklist.name)
                      .where(Checklist.task == task_id)
                      .order_by(Checklist.position, Checklist.id).tuples())
    rows = _grouped(ChecklistItem.select(ChecklistItem.checklist, ChecklistItem.id,
                                         ChecklistItem.parent, ChecklistItem.text,
                                         ChecklistItem.done)
                    .join(Checklist).where(Checklist.task == task_id)
                    .order_by(ChecklistItem.position, ChecklistItem.id).tuples())
    views = []
    for checklist_id, name in checklists:
        items = rows.get(checklist_id, [])
        done = sum(1 for (_, _, _, is_done) in items if is_done)
        views.append(ChecklistView(checklist_id, name, _tree(items), (done, len(items))))
    return views


def open_items(task_id: int) -> int:
    """How many items of the task's checklists are not done."""
    return (ChecklistItem.select().join(Checklist)
            .where((Checklist.task == task_id) & ~ChecklistItem.done).count())


def create_template(agent: AgentRef, name: str, items: Sequence[object],
                    list_name: str | None = None) -> int:
    """Create a checklist template from nested items; returns its id.

    `items` is a list whose entries are either a text or a one-key mapping
    {text: [children...]}, nested to any depth (the shape a YAML file gives). With
    `list_name`, new tasks of that list get the template automatically.
    """
    require_writer(agent)
    name = _text(name, "template name", 200)
    specs = _template_specs(items)
    with database.atomic():
        _check_template_name(name)
        list_id = workspace.find_list(list_name).id if list_name else None
        template = ChecklistTemplate.create(name=name, task_list=list_id)
        _insert_tree(ChecklistTemplateItem.template, template.id, specs)
        created = {"name": (None, name), "list": (None, _list_name(list_id)),
                   "items": (None, _outline(specs))}
        audit.record("checklist_template", template.id, agent,
                     {field: pair for field, pair in created.items() if pair[1] is not None},
                     None, "checklist_template.created")
    return template.id


def update_template(agent: AgentRef, template_id: int, *, name: str | None = None,
                    items: Sequence[object] | None = None,
                    list_name: str | object | None = KEEP) -> TemplateView:
    """Change a template: its name, its items (the whole tree, replaced) and the list whose
    new tasks get it (a list name, or None for none); what is not given stays. Each changed
    field is recorded as activity. Checklists applied before keep their items.

    Templates have no version: the last save wins.
    """
    require_writer(agent)
    new_name = None if name is None else _text(name, "template name", 200)
    specs = None if items is None else _template_specs(items)
    with database.atomic():
        row = versions.load_for_update(ChecklistTemplate, template_id, "checklist template")
        changes: dict[str, tuple[object, object]] = {}
        columns: dict[Field, object] = {}
        if new_name is not None and new_name != row.name:
            _check_template_name(new_name, template_id)
            changes["name"] = (row.name, new_name)
            columns[ChecklistTemplate.name] = new_name
        if list_name is not KEEP:
            list_id = workspace.find_list(str(list_name)).id if list_name else None
            if list_id != row.task_list_id:
                changes["list"] = (_list_name(row.task_list_id), _list_name(list_id))
                columns[ChecklistTemplate.task_list] = list_id
        if specs is not None:
            old = _outline(_tree(_grouped(_template_items(template_id)).get(template_id, [])))
            if old != _outline(specs):
                changes["items"] = (old, _outline(specs))
                (ChecklistTemplateItem.delete()
                 .where(ChecklistTemplateItem.template == template_id).execute())
                _insert_tree(ChecklistTemplateItem.template, template_id, specs)
        if columns:
            ChecklistTemplate.update(columns).where(ChecklistTemplate.id == template_id).execute()
        if changes:
            audit.record("checklist_template", template_id, agent, changes, None,
                         "checklist_template.updated")
    return template(template_id)


def delete_template(agent: AgentRef, template_id: int) -> None:
    """Delete a template and its items; refused while products give it to their orders.
    Checklists applied from it stay on their tasks."""
    require_writer(agent)
    with database.atomic():
        row = versions.load_for_update(ChecklistTemplate, template_id, "checklist template")
        users = [product for (product,) in Product.select(Product.name)
                 .where(Product.checklist_template == template_id)
                 .order_by(Product.name).tuples()]
        if users:
            raise InvalidInput(f"checklist template {row.name!r} is the checklist of "
                               f"{', '.join(users)}; give those products another one first")
        ChecklistTemplate.delete().where(ChecklistTemplate.id == template_id).execute()
        audit.record("checklist_template", template_id, agent, {"name": (row.name, None)},
                     None, "checklist_template.deleted")


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
    with database.atomic():
        found = (ChecklistTemplate.select()
                 .where(fn.LOWER(ChecklistTemplate.name) == template_name.strip().lower())
                 .first())
        if found is None:
            raise NotFound(f"no checklist template named {template_name!r}")
        return _apply(agent, task_id, found, now)


def apply_list_templates(agent: AgentRef, task_id: int, list_id: int, *,
                         now: datetime | None = None) -> list[int]:
    """Apply every template of the list (by name) to the task; returns the checklist ids.
    `now`: when (default: the current time)."""
    require_writer(agent)
    with database.atomic():
        return [_apply(agent, task_id, found, now) for found in ChecklistTemplate.select()
                .where(ChecklistTemplate.task_list == list_id).order_by(ChecklistTemplate.name)]


def _apply(agent: AgentRef, task_id: int, found: ChecklistTemplate,
           now: datetime | None) -> int:
    """Copy the template's tree into a new checklist of the task (inside a transaction),
    recorded at `now` (None: the current time)."""
    rows = _grouped(_template_items(found.id))
    checklist_id = _new_checklist(task_id, found.name)
    _insert_tree(ChecklistItem.checklist, checklist_id, _tree(rows.get(found.id, [])))
    audit.record("task", task_id, agent, {FIELD: (None, found.name)}, None,
                 "checklist.applied", {"template": found.name, "checklist_id": checklist_id},
                 at=stored(now))
    return checklist_id


def _views(query, template_id: int | None = None) -> list[TemplateView]:
    """TemplateViews of the templates `query` selects, by name; `template_id` when the query
    selects that one only (so only its items are read)."""
    rows = _grouped(_template_items(template_id))
    query = (query.select_extend(TaskList.name.alias("list_name"))
             .join(TaskList, JOIN.LEFT_OUTER).order_by(ChecklistTemplate.name).objects())
    return [TemplateView(found.id, found.name, found.task_list_id,
                         _tree(rows.get(found.id, [])), found.list_name) for found in query]


def _template_specs(items: object) -> tuple[ItemSpec, ...]:
    """The items of a template, of which there must be at least one."""
    specs = _specs(items)
    if not specs:
        raise InvalidInput("a checklist template needs at least one item")
    return specs


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
            .where((Activity.entity == "checklist_template") & (Activity.field == "name")
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


def _outline(nodes: Iterable[ItemSpec | ItemView]) -> str:
    """Items on one line for the history: "Kick-off, Content [Texts, Images]"."""
    return ", ".join(node.text + (f" [{_outline(node.children)}]" if node.children else "")
                     for node in nodes)


def _count(items: Iterable[ItemView]) -> int:
    """How many items a tree has, nested ones included."""
    return sum(1 + _count(item.children) for item in items)


def _new_checklist(task_id: int, name: str) -> int:
    """Insert a checklist at the end of an existing task's checklists."""
    if not Task.select().where(Task.id == task_id).exists():
        raise NotFound(f"no task {task_id}")
    position = (Checklist.select(fn.COALESCE(fn.MAX(Checklist.position), 0))
                .where(Checklist.task == task_id).scalar() + 1)
    return Checklist.create(task=task_id, name=name, position=position).id


def _template_items(template_id: int | None = None) -> list[tuple]:
    """(template id, id, parent id, text, done=False) rows of the items of one template (of
    all when None), in sibling order."""
    query = (ChecklistTemplateItem.select(ChecklistTemplateItem.template,
                                          ChecklistTemplateItem.id, ChecklistTemplateItem.parent,
                                          ChecklistTemplateItem.text)
             .order_by(ChecklistTemplateItem.position, ChecklistTemplateItem.id))
    if template_id is not None:
        query = query.where(ChecklistTemplateItem.template == template_id)
    return [(*row, False) for row in query.tuples()]


def _specs(items: object, place: str = "") -> tuple[ItemSpec, ...]:
    """Nested items (texts and {text: [children]} mappings) as ItemSpecs, or InvalidInput
    naming the offending item by its position, e.g. "item 2.1"."""
    if items is None:
        return ()
    if isinstance(items, str | bytes | Mapping) or not isinstance(items, Iterable):
        what = f"the children of {place}" if place else "the items"
        raise InvalidInput(f"{what} must be a list, not {items!r}")
    return tuple(_spec(entry, f"{place}.{index}" if place else f"item {index}")
                 for index, entry in enumerate(items, start=1))


def _spec(entry: object, place: str) -> ItemSpec:
    """One entry of nested items as an ItemSpec."""
    if isinstance(entry, str):
        return ItemSpec(_text(entry, place, 500))
    if isinstance(entry, Mapping) and len(entry) == 1:
        ((text, children),) = entry.items()
        if isinstance(text, str):
            return ItemSpec(_text(text, place, 500), _specs(children, place))
    raise InvalidInput(f"{place} must be a text or {{text: [children]}}, not {entry!r}")


def _insert_tree(owner: Field, owner_id: int, nodes: Iterable[ItemSpec | ItemView],
                 parent_id: int | None = None) -> None:
    """Write a new tree of nodes as items of `owner_id`, where `owner` is the item model's
    column naming it (ChecklistItem.checklist or ChecklistTemplateItem.template)."""
    for position, node in enumerate(nodes, start=1):
        row = owner.model.create(**{owner.name: owner_id}, parent=parent_id, text=node.text,
                                 position=position)
        _insert_tree(owner, owner_id, node.children, row.id)


def _tree(rows: Iterable[tuple[int, int | None, str, bool]]) -> tuple[ItemView, ...]:
    """Items as a tree, from (id, parent id, text, done) rows already in sibling order."""
    children: dict[int | None, list[tuple[int, str, bool]]] = {}
    for item_id, parent_id, text, done in rows:
        children.setdefault(parent_id, []).append((item_id, text, bool(done)))

    def build(parent_id: int | None) -> tuple[ItemView, ...]:
        """The subtree under `parent_id`."""
        return tuple(ItemView(item_id, text, done, build(item_id))
                     for item_id, text, done in children.get(parent_id, ()))

    return build(None)


def _grouped(rows: Iterable[tuple]) -> dict[int, list[tuple]]:
    """Rows grouped by their first column, keeping their order, without that column."""
    grouped: dict[int, list[tuple]] = {}
    for key, *rest in rows:
        grouped.setdefault(key, []).append(tuple(rest))
    return grouped


def _siblings_of(parent_id: int | None):
    """The condition for checklist items directly under `parent_id` (top level when None)."""
    return (ChecklistItem.parent.is_null() if parent_id is None
            else ChecklistItem.parent == parent_id)


def _item(item_id: int) -> ChecklistItem:
    """A checklist item with its checklist, locked on PostgreSQL, or NotFound."""
    query = (ChecklistItem.select(ChecklistItem, Checklist).join(Checklist)
             .where(ChecklistItem.id == item_id))
    item = versions.locking(query).first()
    if item is None:
        raise NotFound(f"no checklist item {item_id}")
    return item


def _label(done: bool, text: str) -> str:
    """How an item shows in the activity history: "[x] Call client"."""
    return f"[{'x' if done else ' '}] {text}"


def _text(value: object, what: str, limit: int) -> str:
    """A stripped, non-empty text of at most `limit` characters (anything but text is empty)."""
    return required_text(value if isinstance(value, str) else "", what=f"the {what}",
                         limit=limit)
