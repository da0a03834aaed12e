"""Command-line arguments with bytes that are not UTF-8 (Python reads them as lone
surrogates) are refused in one line naming the field (a query adds its pointer line), exit
status 1, never a traceback."""

from __future__ import annotations

import pytest

BYTES = "caf\udce9"
"""What Python makes of the argument b'caf\\xe9' (Latin-1, not UTF-8)."""

COMMANDS = [
    ("add", BYTES),
    ("add", "x", "--tag", BYTES),
    ("add", "x", "--assign", BYTES),
    ("add", "x", "--client", BYTES),
    ("add", "x", "--list", BYTES),
    ("ls", BYTES),
    ("clients", BYTES),
    ("checklist", "apply", "1", BYTES),
    ("products", "add", "--price", "1", BYTES),
    ("products", "add", "--price", "1", "--checklist", BYTES, "Widget"),
    ("products", "edit", BYTES, "--price", "2"),
    ("agents", "add", BYTES),
    ("agents", "add", "bob", "--name", BYTES),
    ("agents", "role", BYTES, "agent"),
    ("order", "--qty", "1", BYTES, "Widget"),
    ("csat", "1", "3", BYTES),
    ("recur", "1", BYTES),
]


@pytest.fixture
def desk(new_workspace, run_desk):
    """A migrated desk with task 1 (a query) and a product named Widget."""
    run_desk("init")
    assert run_desk("add", "A query")[0] == 0
    assert run_desk("products", "add", "--price", "1", "Widget")[0] == 0
    return run_desk


@pytest.mark.parametrize("arguments", COMMANDS, ids=[" ".join(c[:2]) for c in COMMANDS])
def test_undecodable_arguments_are_refused_in_one_line(desk, arguments):
    status, _, error = desk(*arguments)
    assert status == 1, error
    first, *pointer = error.splitlines()
    assert first.startswith("desk: ") and len(pointer) in (0, 2), error
    assert "cannot be stored (U+DCE9)" in first, error
    assert "unexpected" not in error and "Traceback" not in error
