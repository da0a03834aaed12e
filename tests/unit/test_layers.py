"""The layers hold: import-linter's contract passes, and the core (CLI, services, database)
imports without pulling in Textual, so scripts and cron never pay for the TUI."""

from __future__ import annotations

import graphlib
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # where pyproject.toml holds the contracts

CHECK_IMPORTS = textwrap.dedent("""
    import importlib, json, pkgutil, sys

    def textual_modules():
        return sorted(n for n in sys.modules if n == "textual" or n.startswith("textual."))

    import desk
    names = ["desk.db", "desk.models", "desk.config", "desk.cli"]
    names += [m.name for m in pkgutil.walk_packages(desk.__path__, "desk.")
              if not m.name.startswith(("desk.screens", "desk.app", "desk.__main__",
                                        "desk.migrations."))]
    culprits = {}
    for name in names:
        importlib.import_module(name)
        loaded = textual_modules()
        if loaded and not culprits:
            culprits[name] = loaded[:5]
    print(json.dumps({"checked": names, "culprits": culprits}))
""")


def lint_imports_executable() -> str | None:
    """lint-imports from this interpreter's environment, else from PATH."""
    beside = Path(sys.executable).parent / "lint-imports"
    return str(beside) if beside.exists() else shutil.which("lint-imports")


@pytest.mark.serial
def test_the_import_contracts_hold():
    executable = lint_imports_executable()
    if executable is None:
        pytest.skip("import-linter is not installed")
    result = subprocess.run([executable, "--no-cache", "--no-logo"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, f"lint-imports failed:\n{result.stdout}\n{result.stderr}"
    assert "0 broken" in result.stdout, result.stdout


def test_the_core_imports_without_textual(tmp_path):
    result = subprocess.run([sys.executable, "-c", CHECK_IMPORTS], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert "desk.cli" in report["checked"] and "desk.work.tasks" in report["checked"]
    assert report["culprits"] == {}, (
        f"importing {next(iter(report['culprits']))} loaded Textual: {report['culprits']}")


def test_no_module_imports_one_that_imports_it_back():
    grimp = pytest.importorskip("grimp")  # import-linter's own graph builder
    # every import written, those for annotations only (under TYPE_CHECKING) too: a reader
    # follows them all
    graph = grimp.build_graph("desk", exclude_type_checking_imports=False, cache_dir=None)
    imports = {module: {imported for imported in graph.find_modules_directly_imported_by(module)
                        if imported.startswith("desk")}
               for module in graph.modules if module.startswith("desk")}
    try:
        tuple(graphlib.TopologicalSorter(imports).static_order())
    except graphlib.CycleError as error:
        pytest.fail(f"an import cycle: {' -> '.join(error.args[1])}")
