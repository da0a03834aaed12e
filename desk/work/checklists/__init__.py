"""Checklists with nested items on any task, and the templates they can be copied from.

- items: a task's checklists and their items (add, tick, rename, move, delete, read), and
  deleting a whole checklist.
- templating: checklist templates (create, update, delete, seed from the config, list) and
  copying them onto tasks.
- trees: the nested items both share, read into a tree and written from one.
"""

from desk.work.checklists.items import (
    ChecklistView,
    add_checklist,
    add_item,
    delete_checklist,
    delete_item,
    for_task,
    move_item,
    open_items,
    rename_item,
    set_done,
)
from desk.work.checklists.templating import (
    TemplateView,
    apply_list_templates,
    apply_template,
    create_template,
    delete_template,
    seed_templates,
    template,
    templates,
    update_template,
)
from desk.work.checklists.trees import ItemSpec, ItemView

__all__ = [
    "ChecklistView",
    "ItemSpec",
    "ItemView",
    "TemplateView",
    "add_checklist",
    "add_item",
    "apply_list_templates",
    "apply_template",
    "create_template",
    "delete_checklist",
    "delete_item",
    "delete_template",
    "for_task",
    "move_item",
    "open_items",
    "rename_item",
    "seed_templates",
    "set_done",
    "template",
    "templates",
    "update_template",
]
