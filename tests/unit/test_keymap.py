"""The key map check and the list grammar, over the real bindings of desk.screens: the
package walk finds every binding id the source declares, the grammar's ids keep one set of
keys everywhere, old ids point at their new ones, and every key named in a hint template is
a binding that exists."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from textual.binding import Binding

import desk.screens
from desk.app import DeskApp
from desk.screens.grammar import NAV, RENAMED
from desk.screens.hints import PLACE, key_name, markdown_key
from desk.screens.keymap import (
    binding_classes,
    binding_scopes,
    declared_bindings,
    keymap_problems,
    normalize_keymap,
)

SCREENS = Path(desk.screens.__file__).parent
SOURCES = [*sorted(SCREENS.rglob("*.py")), SCREENS.parent / "app.py"]
"""Every module whose bindings and hints the app shows."""


@pytest.fixture(scope="module")
def scopes():
    """The check's scopes: the app, then every screen and widget of desk.screens."""
    return binding_scopes(DeskApp, binding_classes())


@pytest.fixture(scope="module")
def known(scopes) -> set[str]:
    """Every binding id the check knows."""
    return {binding.id for scope in scopes for binding in scope.bindings if binding.id}


def binding_calls() -> list[tuple[str, ast.Call]]:
    """(file, call) for every `Binding(...)` and `nav(...)` in a class's BINDINGS."""
    calls = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            target = node.targets[0] if isinstance(node, ast.Assign) else \
                getattr(node, "target", None) if isinstance(node, ast.AnnAssign) else None
            if getattr(target, "id", None) != "BINDINGS":
                continue
            calls.extend((path.name, call) for call in ast.walk(node.value)
                         if isinstance(call, ast.Call)
                         and getattr(call.func, "id", None) in {"Binding", "nav"})
    return calls


def written_ids() -> set[str]:
    """The binding ids written as literals in the source (nav's first argument, id=)."""
    ids = set()
    for _, call in binding_calls():
        if call.func.id == "nav":
            ids.add(call.args[0].value)
        ids.update(keyword.value.value for keyword in call.keywords
                   if keyword.arg == "id" and isinstance(keyword.value, ast.Constant))
    return ids


def hint_templates() -> list[tuple[str, str]]:
    """(file, binding id) for each `{binding.id}` in a string of the source (docstrings,
    which only describe the syntax, left out)."""
    found = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.value) for node in ast.walk(tree)
                      if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and id(node) not in docstrings:
                found.extend((path.name, match) for match in PLACE.findall(node.value))
    return found


def test_the_package_walk_finds_every_binding_id_written_in_the_source(known):
    missing = written_ids() - known
    assert not missing, f"bindings the keymap check would report as unknown: {missing}"
    assert {"nav.down", "client.notes", "checklist.toggle", "query_bar.complete",
            "help.close", "mode.tasks", "prompt.complete"} <= known


def test_every_binding_has_an_id_so_the_keymap_can_move_it():
    nameless = [f"{name}:{call.lineno}" for name, call in binding_calls()
                if call.func.id == "Binding"
                and not any(keyword.arg in {"id", "system"} for keyword in call.keywords)]
    assert nameless == []


def test_each_gesture_has_the_same_keys_wherever_it_is_offered(scopes):
    for scope in scopes:
        by_id: dict[str, set[str]] = {}
        for binding in scope.bindings:
            if binding.id in NAV:
                by_id.setdefault(binding.id, set()).add(binding.key)
        for binding_id, keys in by_id.items():
            assert keys <= set(NAV[binding_id][0].split(",")), (scope.name, binding_id, keys)
    offered = {binding.id for scope in scopes for binding in scope.bindings}
    assert set(NAV) <= offered, "every gesture of the grammar is offered somewhere"


def test_the_list_grammar_reaches_lists_pickers_the_sidebar_and_help(scopes):
    by_name = {scope.name: {binding.id for binding in scope.bindings} for scope in scopes}
    for name in ("the VirtualList widget", "the LineList widget", "the Sidebar widget",
                 "the ClientItems widget", "the PickScreen screen", "the PickViewScreen screen",
                 "the KeyTable widget", "the OutboxMessageScreen screen"):
        assert {"nav.down", "nav.up"} <= by_name[name], name
    assert "nav.back" in by_name["the Keys screen"]  # the help screen, by its title


def test_old_ids_are_gone_and_each_points_at_an_id_that_exists(known):
    assert not set(RENAMED) & known, "a renamed id is still declared"
    assert set(RENAMED.values()) <= known  # a gesture, or edit.undo (was task.take_back...)
    assert RENAMED["task.take_back"] == RENAMED["triage.take_back"] == "edit.undo"


def test_every_key_a_hint_names_is_a_binding_that_exists(known):
    templates = hint_templates()
    assert len(templates) > 40, "the hints are templates"
    unknown = [(name, binding_id) for name, binding_id in templates if binding_id not in known]
    assert unknown == []


def test_desks_own_bindings_do_not_clash_anywhere(scopes):
    assert keymap_problems({}, scopes) == []


def test_an_old_id_is_reported_with_the_id_that_replaced_it(scopes):
    problems = keymap_problems({"client.down": ("n",), "lines.select": ("o",)}, scopes)
    assert [problem.text for problem in problems] == [
        "binding id 'client.down' is now 'nav.down', the same keys on every list; write "
        "nav.down under keymap: (client.down is ignored)",
        "binding id 'lines.select' is now 'nav.open', the same keys on every list; write "
        "nav.open under keymap: (lines.select is ignored)"]


def test_a_gesture_rebound_to_a_key_a_list_uses_is_a_clash_in_that_list(scopes):
    problems = keymap_problems({"nav.down": ("x",)}, scopes)
    texts = [problem.text for problem in problems]
    assert any(text.startswith("key x is bound to both nav.down and nav.mark (")
               and "the VirtualList widget" in text for text in texts), texts


def test_the_keymap_is_read_as_textual_key_names():
    keymap, notes = normalize_keymap({"nav.down": "n, down", "app.help": "?", "x.y": " , "})
    assert keymap == {"nav.down": ("n", "down"), "app.help": ("question_mark",)}
    assert notes == ["x.y: no usable key in ' , ', so it keeps its default"]


def test_a_subclass_binding_replaces_its_bases_binding_for_the_same_key():
    from desk.screens.widgets.checklist_panel import ChecklistPanel

    on_enter = [binding.id for binding in declared_bindings(ChecklistPanel)
                if binding.key == "enter"]
    assert on_enter == ["checklist.toggle_enter"]


@pytest.mark.parametrize(("key", "named"), [
    ("slash", "/"), ("question_mark", "?"), ("x", "x"), ("G", "G"), ("escape", "escape"),
    ("enter", "enter"), ("ctrl+j", "ctrl+j"), ("delete", "delete"), ("space", "space"),
    ("backslash", "\\"), ("f5", "f5")])
def test_hints_name_keys_as_the_config_writes_them_and_characters_as_themselves(key, named):
    assert key_name(key) == named


def test_a_key_named_in_markdown_is_not_markup():
    assert markdown_key("*") == "\\*" and markdown_key("n") == "n"


def test_nav_builds_the_gestures_binding():
    from desk.screens.grammar import nav

    binding = nav("nav.open", "edit", "Edit", show=True)
    assert binding == Binding("enter", "edit", "Edit", show=True, id="nav.open")
