"""The palette's "Import…": ask for the kind and the file, preview in a worker, import on
confirmation.

The preview dialog (desk.screens.dialogs.import_preview) opens at once and runs the dry run,
then on enter the real import with a progress bar, each through `run_service` (a worker with
its own connection).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desk.screens.actions.calls import can_write
from desk.screens.dialogs.import_preview import ImportPreviewScreen, Progress
from desk.screens.dialogs.pick import PickScreen
from desk.screens.dialogs.prompt import PromptScreen
from desk.transfer.run import count_lines, run_import
from desk.transfer.task_import import TaskOptions

KINDS = (("ClickUp task export (CSV)", "clickup"),
         ("taskwarrior export (JSON)", "taskwarrior"),
         ("iCalendar to-dos (.ics)", "ical"),
         ("Contacts (CSV from Google, Outlook, LinkedIn; vCard)", "contacts"),
         ("desk's own JSON export", "desk"))


def start_import(app: Any) -> None:
    """Ask for the kind of file, then its path, then show the preview."""
    if not can_write(app, "import"):
        return
    app.push_screen(PickScreen("Import what?", KINDS, quick=False),
                    lambda kind: kind and _ask_path(app, kind))


def existing_file(text: str) -> Path:
    """The path typed, if it names a readable file (ValueError says what is wrong)."""
    path = Path(text.strip()).expanduser()
    if not text.strip():
        raise ValueError("type the path of the file to import")
    if not path.is_file():
        raise ValueError(f"no file at {path}")
    return path


def _ask_path(app: Any, kind: str) -> None:
    """Ask for the file, then preview it."""
    app.push_screen(PromptScreen(f"Import {kind}: which file?", parse=existing_file,
                                 placeholder="~/Downloads/export.csv",
                                 hint="Nothing is written before you confirm the preview."),
                    lambda path: path and _preview(app, kind, path))


def _preview(app: Any, kind: str, path: Path) -> None:
    """The preview dialog, which runs the dry run in a worker and, on enter, the import."""
    options = TaskOptions(app.settings.tz, app.sla_rules.calendar)

    def dry_run():
        return run_import(kind, [path], app.agent, dry_run=True, options=options)

    def real_run(progress: Progress):
        total = count_lines(path)
        return run_import(kind, [path], app.agent, dry_run=False, options=options,
                          progress=lambda _, line: progress(min(line, total), total))

    app.push_screen(ImportPreviewScreen(kind, [str(path)], dry_run, real_run))
