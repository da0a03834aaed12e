"""The key map check: the config's `keymap:` read and checked against every binding desk has.

Every Binding in desk has an id, and `keymap:` (binding id -> keys) rebinds it through
`App.set_keymap`. `normalize_keymap` reads the mapping; `binding_classes` finds every screen
and widget that declares bindings by walking the desk.screens package (which imports all of
it, so the app does it in a worker after the first paint); `keymap_problems` reports unknown
and renamed ids, keys bound twice in one scope, and rebound keys that a screen hides. Apart
from that walk, these are pure functions over Binding lists.
"""

from __future__ import annotations

import difflib
import pkgutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from importlib import import_module
from typing import Any

from msgspec import Struct
from textual.app import App
from textual.binding import Binding, BindingsMap, InvalidBinding
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

from desk.screens.grammar import RENAMED
from desk.text import one_line

APP_WIDE = "everywhere"
"""How the help screen and the key map notices name the app's own bindings."""

SCREENS_PACKAGE = "desk.screens"
"""The package whose screens and widgets the check covers."""


class Scope(Struct, frozen=True):
    """Bindings that are active together: the app's, or one screen's or widget's."""

    name: str
    bindings: Sequence[Binding]
    is_app: bool = False
    modal: bool = False


class KeyProblem(Struct, frozen=True):
    """One reported key map problem, and the (key, binding) pairs it covers."""

    text: str
    pairs: frozenset[tuple[str, str]] = frozenset()


def normalize_keymap(keymap: Mapping[str, str]) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """The keymap as binding id -> Textual key names, plus a phrase per entry that was dropped.

    "?, t" becomes ("question_mark", "t"): spaces are removed and single characters get
    their long names, as Textual's own bindings have.
    """
    normalized: dict[str, tuple[str, ...]] = {}
    notes: list[str] = []
    for binding_id, text in keymap.items():
        names = [name.strip() for name in text.split(",") if name.strip()]
        try:
            keys = tuple(dict.fromkeys(key for name in names for key in _key_names(name)))
        except InvalidBinding:
            keys = ()
        if not keys:
            notes.append(f"{binding_id}: no usable key in {text!r}, so it keeps its default")
            continue
        normalized[binding_id] = keys
    return normalized, notes


def _key_names(name: str) -> list[str]:
    """Textual's long name(s) for one key as a person writes it ("?" -> "question_mark")."""
    return list(BindingsMap([Binding(name, "")]).key_to_bindings)


@cache
def declared_bindings(node_class: type[DOMNode]) -> tuple[Binding, ...]:
    """The bindings a class declares, with inherited ones, one Binding per key.

    This follows Textual's rule that a subclass's binding for a key replaces its bases'
    bindings for that key. Bindings of textual's App base are left out, because DeskApp
    does not inherit them.
    """
    by_key: dict[str, list[Binding]] = {}
    for base in reversed(node_class.__mro__):
        if not issubclass(base, DOMNode) or base is App or "BINDINGS" not in vars(base):
            continue
        for key, bindings in BindingsMap(vars(base)["BINDINGS"]).key_to_bindings.items():
            by_key[key] = list(bindings)
    return tuple(binding for bindings in by_key.values() for binding in bindings)


def binding_classes(package: str = SCREENS_PACKAGE) -> list[type[DOMNode]]:
    """Every screen and widget class of `package` that declares bindings, in module order.

    This imports every module of the package: call it off the UI thread, or when the time
    does not matter.
    """
    found: list[type[DOMNode]] = []
    root = import_module(package)
    for module_info in pkgutil.walk_packages(root.__path__, f"{package}."):
        module = import_module(module_info.name)
        found.extend(value for value in vars(module).values()
                     if isinstance(value, type) and issubclass(value, DOMNode)
                     and value.__module__ == module.__name__ and "BINDINGS" in vars(value))
    return found


def binding_scopes(app_class: type[App[Any]], classes: Iterable[type[DOMNode]]) -> list[Scope]:
    """The app's scope, then one scope per screen or widget class, each class once."""
    scopes = [Scope(APP_WIDE, declared_bindings(app_class), is_app=True)]
    for node_class in dict.fromkeys(classes):
        kind = "screen" if issubclass(node_class, Screen) else "widget"
        scopes.append(Scope(f"the {screen_name(node_class)} {kind}",
                            declared_bindings(node_class),
                            modal=issubclass(node_class, ModalScreen)))
    return scopes


def _effective(scope: Scope, keymap: Mapping[str, tuple[str, ...]]) -> dict[str, list[Binding]]:
    """key -> the bindings on it once `keymap` is applied (one per id or action)."""
    by_key: dict[str, dict[str, Binding]] = {}
    for binding in scope.bindings:
        keys = keymap.get(binding.id, (binding.key,)) if binding.id else (binding.key,)
        for key in keys:
            by_key.setdefault(key, {}).setdefault(binding.id or binding.action, binding)
    return {key: list(bindings.values()) for key, bindings in by_key.items()}


def _unknown(binding_id: str, known: Sequence[str]) -> KeyProblem:
    """An id no binding has: renamed (say the new one) or mistyped (guess the closest)."""
    if binding_id in RENAMED:
        new = RENAMED[binding_id]
        return KeyProblem(f"binding id {binding_id!r} is now {new!r}, the same keys on every "
                          f"list; write {new} under keymap: ({binding_id} is ignored)")
    guesses = difflib.get_close_matches(binding_id, known, n=1)
    hint = f" (did you mean {guesses[0]!r}?)" if guesses else ""
    return KeyProblem(f"unknown binding id {binding_id!r}{hint}")


def keymap_problems(keymap: Mapping[str, tuple[str, ...]], scopes: Sequence[Scope],
                    display: Callable[[str], str] = str) -> list[KeyProblem]:
    """Unknown binding ids, keys bound twice in one scope (to different actions), and rebound
    keys that a screen hides.

    `display` turns a key name into what people read (question_mark -> ?).
    """
    known = sorted({binding.id for scope in scopes for binding in scope.bindings if binding.id})
    problems = [_unknown(binding_id, known) for binding_id in keymap if binding_id not in known]
    effective = [(scope, _effective(scope, keymap)) for scope in scopes]
    conflicts: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for scope, by_key in effective:
        for key, bindings in by_key.items():
            if len({binding.action for binding in bindings}) > 1:  # same action: no clash
                labels = tuple(binding.id or binding.action for binding in bindings)
                conflicts.setdefault((key, labels), []).append(scope.name)
    for (key, labels), where in conflicts.items():
        problems.append(KeyProblem(
            f"key {display(key)} is bound to both {' and '.join(labels)} ({', '.join(where)})",
            frozenset((key, label) for label in labels)))
    app_keys = next((by_key for scope, by_key in effective if scope.is_app), {})
    hidden: dict[tuple[str, str, str], list[str]] = {}
    for scope, by_key in effective:
        if scope.is_app or scope.modal:
            continue
        for key, screen_bindings in by_key.items():
            for app_binding in app_keys.get(key, []):
                for screen_binding in screen_bindings:
                    if not (app_binding.id in keymap or screen_binding.id in keymap):
                        continue  # only what the user's keymap caused
                    winner, loser = ((app_binding, screen_binding) if app_binding.priority
                                     else (screen_binding, app_binding))
                    names = (winner.id or winner.action, loser.id or loser.action)
                    hidden.setdefault((key, *names), []).append(scope.name)
    for (key, winner, loser), where in hidden.items():
        problems.append(KeyProblem(
            f"key {display(key)}: {loser} does not work on {', '.join(where)}, "
            f"where {winner} has that key", frozenset({(key, loser)})))
    return problems


def clash_phrases(clashed: Iterable[Binding], node: DOMNode,
                  keymap: Mapping[str, tuple[str, ...]], reported: set[tuple[str, str]],
                  display: Callable[[str], str] = str) -> list[str]:
    """A phrase per clash that Textual met at run time and that was not reported yet.

    `reported` holds the (key, binding) pairs said before; the new ones are added to it.
    """
    phrases = []
    for binding in sorted(clashed, key=lambda item: item.key):
        label = binding.id or binding.action
        if (binding.key, label) in reported:
            continue
        reported.add((binding.key, label))
        takers = [binding_id for binding_id, keys in keymap.items()
                  if binding.key in keys and binding_id != label]
        if {taker.action for taker in declared_bindings(type(node))
                if taker.id in takers} == {binding.action}:
            continue  # the key still does what it did (ctrl+n moves down in a picker)
        phrases.append(f"key {display(binding.key)} is bound to both "
                       f"{' and '.join([*takers, label])} ({node_name(node)}); "
                       f"{label} no longer has it")
    return phrases


def screen_name(node_class: type[DOMNode]) -> str:
    """A screen or widget class as people call it: its TITLE, or its class name."""
    return getattr(node_class, "TITLE", None) or node_class.__name__


def node_name(node: DOMNode) -> str:
    """Where a binding lives, in words: "the Inbox screen", "everywhere", "DataTable"."""
    if isinstance(node, Screen):
        return f"the {screen_name(type(node))} screen"
    if isinstance(node, App):
        return APP_WIDE
    return one_line(type(node).__name__)
