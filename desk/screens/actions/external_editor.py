"""ctrl+e: write a long text in the agent's own editor, $VISUAL or else $EDITOR.

The text goes to a temporary file only its owner can read (0600), the app hands the terminal
over (`App.suspend`), the editor runs on the file, and what it saved comes back into desk's
editor, where ctrl+j still saves it: leaving the external editor never stores anything. The
file is deleted afterwards. The config's `editor.external: false` turns this off; the ssh
identity mode always does, since its agents share the service account and must not run a
program of their choosing.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Mapping
from contextlib import suppress
from typing import Any, Protocol, runtime_checkable

from textual.app import App, SuspendNotSupported

from desk.config import Settings
from desk.text import one_line

EDITOR_VARIABLES = ("VISUAL", "EDITOR")
"""Where the editor's command is looked for, first found wins."""


@runtime_checkable
class Configured(Protocol):
    """An app that holds desk's settings (desk's app does; a test's bare app does not)."""

    settings: Settings


def external_allowed(app: App[Any]) -> bool:
    """Whether ctrl+e may run an editor here: the config's `editor.external` (default yes),
    and never in the ssh identity mode, where every agent runs desk as the one service
    account and an editor could start a shell as it."""
    if not isinstance(app, Configured):
        return True
    return app.settings.editor.external and app.settings.identity.mode != "ssh"


class EditorProblem(Exception):
    """Why the external editor did not run or gave nothing back, in one line for the agent."""


def editor_command(environ: Mapping[str, str]) -> tuple[list[str], str]:
    """The editor's command as arguments, and the variable it came from."""
    for variable in EDITOR_VARIABLES:
        if command := environ.get(variable, "").strip():
            try:
                arguments = shlex.split(command)
            except ValueError as error:
                raise EditorProblem(f"${variable} cannot be read ({error}): "
                                    f"{one_line(command, 80)}") from None
            if arguments:
                return arguments, variable
    raise EditorProblem("No editor is set: set $VISUAL or $EDITOR (e.g. EDITOR=nano) and "
                        "start desk again.")


def edit_externally(app: App[Any], text: str,
                    environ: Mapping[str, str] = os.environ) -> str:
    """Run the editor on `text` with the app suspended, and return the text it saved.

    Raises EditorProblem when the config turned editors off, none is set or found, the
    terminal cannot be handed over, or the editor failed."""
    if not external_allowed(app):
        raise EditorProblem("External editors are turned off here (editor.external in the "
                            "config, and always in the ssh identity mode): write the text "
                            "in place.")
    arguments, variable = editor_command(environ)
    descriptor, path = tempfile.mkstemp(prefix="desk-", suffix=".md")  # mode 0600
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
        try:
            with app.suspend():
                finished = subprocess.run([*arguments, path], check=False)
        except FileNotFoundError:
            raise EditorProblem(f"The editor {one_line(arguments[0], 60)!r} (from ${variable})"
                                " was not found.") from None
        except (PermissionError, SuspendNotSupported) as error:
            raise EditorProblem(f"The editor could not run: {one_line(str(error), 100)}") \
                from None
        if finished.returncode != 0:
            raise EditorProblem(f"The editor stopped with status {finished.returncode}: the "
                                "text is as it was.")
        with open(path, encoding="utf-8", errors="replace") as file:
            edited = file.read()
    finally:
        with suppress(OSError):
            os.unlink(path)
    # editors end the last line with a newline: keep the text's own ending
    return edited[:-1] if edited.endswith("\n") and not text.endswith("\n") else edited
