"""Hints that name the keys bound right now, so they stay true after the config's `keymap:`.

desk's own texts name keys by binding id: `key_text(node, "{write.save} saves")` reads
"ctrl+j saves", or "f5 saves" after `keymap: {write.save: f5}`. A binding id is looked up
the way Textual finds a binding for a key press: in the app's keymap first, else in the
bindings declared by `node`, its ancestors and the app (plus any classes named in `among`,
for a hint about a child's keys written before the child is mounted), else among the list
grammar's defaults. Only desk's own text is a template: stored text is joined to a hint after
`key_text` has run, never passed through it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Protocol, runtime_checkable

from textual.content import Content
from textual.dom import DOMNode
from textual.keys import format_key

from desk.screens.grammar import NAV
from desk.screens.keymap import declared_bindings

PLACE = re.compile(r"\{([a-z_]+(?:\.[a-z_]+)+)\}")
"""A binding id in braces, where a hint names that binding's key."""


@runtime_checkable
class Keymapped(Protocol):
    """An app that holds the user's keymap (desk's app does; a test's bare app does not)."""

    keymap_keys: Mapping[str, tuple[str, ...]]
    """Binding id -> Textual key names, as given to `App.set_keymap`."""


def key_name(key: str) -> str:
    """A key as a hint names it: `/`, `?`, `x` for keys that type one character, else as
    the config writes it: `escape`, `enter`, `ctrl+j`, `space`, `delete`."""
    character = format_key(key)
    return character if len(character) == 1 and character.isascii() and \
        character.isprintable() else key


def bound_keys(node: DOMNode, binding_id: str,
               among: Iterable[type[DOMNode]] = ()) -> tuple[str, ...]:
    """The keys bound to `binding_id` where `node` is, first the one to name.

    Raises LookupError for an id that no binding there (or of the list grammar) has.
    """
    app = node.app
    if isinstance(app, Keymapped) and binding_id in app.keymap_keys:
        return app.keymap_keys[binding_id]
    classes = [type(found) for found in node.ancestors_with_self]
    if app not in node.ancestors_with_self:
        classes.append(type(app))
    for node_class in (*classes, *among):
        keys = [binding.key for binding in declared_bindings(node_class)
                if binding.id == binding_id]
        if keys:
            return tuple(keys)
    if binding_id in NAV:
        return tuple(NAV[binding_id][0].split(","))
    raise LookupError(f"no binding {binding_id!r} where {type(node).__name__} is")


def key_text(node: DOMNode, template: str, *, among: Iterable[type[DOMNode]] = (),
             quote: Callable[[str], str] = str) -> str:
    """`template` with each `{binding.id}` replaced by the key bound to it now (see the
    module's docstring); `quote` makes a key safe where the text goes (e.g. in Markdown)."""
    classes = tuple(among)
    return PLACE.sub(lambda match: quote(key_name(bound_keys(node, match[1], classes)[0])),
                     template)


def key_hint(node: DOMNode, template: str, *, among: Iterable[type[DOMNode]] = ()) -> Content:
    """`key_text` as Content for a widget: a key such as `[` is never read as markup."""
    return Content(key_text(node, template, among=among))


def markdown_key(key: str) -> str:
    """A key name that Markdown shows as typed (`*` is not emphasis, `_` not a word break)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~])", r"\\\1", key)
