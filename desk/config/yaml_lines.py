"""YAML read as `yaml.safe_load` reads it, keeping the node tree to find the line of each key.

Every YAML file desk reads (the config, the theme files) goes through `read_yaml`: PyYAML's
safe loader only, so no tag can run code. `line_of` and `node_at` find a key or a value in the
node tree by its key path, for error messages that name the line.
"""

from __future__ import annotations

from typing import Any

import yaml

KeyPath = tuple[str | int, ...]
"""The way to a value in YAML data: mapping keys and list indexes, e.g. ("sla", "policies", 0)."""


def read_yaml(text: str) -> tuple[Any, yaml.Node | None]:
    """The data in YAML `text` exactly as `yaml.safe_load` gives it, and the node tree it was
    built from (for the line of each key). Raises yaml.YAMLError.

    One pass with libyaml's safe loader when PyYAML has it (ten times faster: the themes are
    read at every start); text it refuses is read again by the Python loader, so that the
    error, its wording and its line are the same on every machine."""
    if yaml.__with_libyaml__:
        try:
            return _read_yaml_with(yaml.CSafeLoader, text)
        except yaml.YAMLError:
            pass  # read again below
    return _read_yaml_with(yaml.SafeLoader, text)


def _read_yaml_with(loader_class: type, text: str) -> tuple[Any, yaml.Node | None]:
    """`read_yaml` with one safe loader class."""
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
        return (None if root is None else loader.construct_document(root)), root
    finally:
        loader.dispose()


def yaml_problem(error: yaml.YAMLError, text: str) -> tuple[int, str]:
    """The 1-based line and a one-line description of a YAML syntax error in `text`."""
    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        parts = [part for part in (error.context, error.problem) if part]
        return error.problem_mark.line + 1, ", ".join(parts) or "syntax error"
    if isinstance(error, yaml.reader.ReaderError):
        line = text.count("\n", 0, error.position) + 1
        return line, f"unacceptable character #x{error.character:04x}: {error.reason}"
    return 1, str(error).splitlines()[0]


def line_of(root: yaml.Node | None, path: KeyPath, *, at_key: bool = False) -> int:
    """The 1-based line of the value (or, with `at_key`, the key) at `path` under the node
    `root`, or of its nearest parent on the way there; 1 without a node."""
    if root is None:
        return 1
    node, key_node = root, None
    for part in path:
        child = _child(node, part)
        if child is None:
            break
        key_node, node = child
    target = key_node if at_key and key_node is not None else node
    return target.start_mark.line + 1


def node_at(root: yaml.Node | None, path: KeyPath) -> yaml.Node | None:
    """The value node at `path` under the node `root`, or None when nothing is there."""
    node = root
    for part in path:
        child = None if node is None else _child(node, part)
        if child is None:
            return None
        _, node = child
    return node


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node, yaml.Node] | None:
    """The (key, value) nodes for `part` under `node`; the last duplicate key wins, as in YAML."""
    if isinstance(node, yaml.MappingNode):
        for key, value in reversed(node.value):
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                return key, value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part], node.value[part]
    return None
