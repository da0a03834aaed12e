"""The preview of an import, and the import itself once confirmed.

`ImportPreviewScreen(kind, paths, read, run)` opens at once, saying it is reading the file,
while `read()` (the dry run) runs in a worker; then it shows what the dry run found: how
many tasks or clients would be created, updated and skipped, the spaces, lists and statuses
(with the category guessed from each name) and fields it would create, the people no agent
matched, and every problem as FILE:ROW:COLUMN. Enter imports: `run(progress)` is called in
a worker, `progress(done, total)` moves the bar, and the dialog then shows what was done.
Escape closes; before enter, nothing has been written. Every line is stored or file text,
shown through `safe`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static

from desk.screens.actions.calls import describe, run_service
from desk.screens.grammar import nav
from desk.screens.hints import key_hint
from desk.screens.safe import safe, safe_line
from desk.transfer.plan import Plan

Progress = Callable[[int, int], None]
"""Told (done, total) as the import goes."""


class ImportPreviewScreen(ModalScreen[Plan | None]):
    """What an import would do; enter does it, escape closes. Dismisses with the plan of
    the import when one ran, else None."""

    BINDINGS: ClassVar[list[Binding]] = [
        nav("nav.back", "close", "Close", show=True),
        Binding("enter", "confirm", "Import", show=True, id="import.confirm"),
    ]

    def __init__(self, kind: str, paths: list[str], read: Callable[[], Plan],
                 run: Callable[[Progress], Plan]) -> None:
        """Preview importing `paths` as `kind`: `read()` makes the preview's plan (a dry run),
        `run(progress)` imports."""
        super().__init__()
        self.kind, self.paths, self.read, self.run = kind, paths, read, run
        self.plan: Plan | None = None
        self.state = "reading"
        """reading, preview, importing, done, failed or closed."""
        self.result: Plan | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-wide", id="import-dialog"):
            yield Static(safe_line(f"Import {self.kind}: {', '.join(self.paths)}", 84),
                         classes="dialog-title")
            with VerticalScroll(id="import-lines"):
                yield Static(Content("Reading the file…"), id="import-report")
            yield ProgressBar(id="import-progress", show_eta=False)
            yield Static(self._hint(), id="import-hint", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#import-progress", ProgressBar).display = False
        run_service(self, self.read, done=self.previewed, failed=self.failed,
                    group="import-preview")

    def previewed(self, plan: Plan) -> None:
        """Show what the dry run found (unless the dialog was closed meanwhile)."""
        if self.state == "closed":
            return
        self.state, self.plan = "preview", plan
        self.query_one("#import-report", Static).update(self._report(plan))
        self.query_one("#import-hint", Static).update(self._hint())

    @staticmethod
    def _report(plan: Plan) -> Content:
        """The plan's lines, the summary in bold."""
        first, *rest = plan.lines()
        return Content("\n").join([safe(first).stylize("bold"), *(safe(line)
                                                                  for line in rest)])

    def _hint(self) -> Content:
        """What the keys do now."""
        if self.state == "reading":
            return key_hint(self, "Nothing is written yet · {nav.back} closes")
        if self.state == "preview" and self.plan is not None:
            if not (self.plan.created or self.plan.updated):
                return key_hint(self, "Nothing to import · {nav.back} closes")
            return key_hint(self, "{import.confirm} imports · {nav.back} closes; nothing is "
                                  "written until then")
        if self.state == "importing":
            return Content("Importing…")
        if self.state == "failed":
            return key_hint(self, "{nav.back} closes")
        return key_hint(self, "Done · {nav.back} closes")

    def action_confirm(self) -> None:
        """Import, showing the progress, then what was done."""
        if self.state != "preview" or not (self.plan.created or self.plan.updated):
            return
        self.state = "importing"
        self.query_one("#import-hint", Static).update(self._hint())
        bar = self.query_one("#import-progress", ProgressBar)
        bar.display = True
        app = self.app

        def progress(done: int, total: int) -> None:
            """From the worker thread: move the bar."""
            app.call_from_thread(bar.update, total=total, progress=done)

        run_service(self, lambda: self.run(progress), done=self.finished,
                    failed=self.failed, group="import")

    def finished(self, plan: Plan) -> None:
        """Show what the import did."""
        self.state, self.result = "done", plan
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=1, progress=1)
        self.query_one("#import-report", Static).update(self._report(plan))
        self.query_one("#import-hint", Static).update(self._hint())

    def failed(self, error: Exception) -> bool:
        """The dry run or the import failed as a whole: say so in the dialog (a failed
        import's transaction left nothing half-written), if it is still open."""
        if self.state == "closed":
            return True
        what = "Nothing was imported" if self.state == "importing" else "The file was not read"
        self.state = "failed"
        self.query_one("#import-progress", ProgressBar).display = False
        self.query_one("#import-report", Static).update(safe(f"{what}: {describe(error)}"))
        self.query_one("#import-hint", Static).update(self._hint())
        return True

    def action_close(self) -> None:
        """Close (not while importing: the import would go on unseen)."""
        if self.state != "importing":
            self.state = "closed"  # a dry run still reading finds nothing to show
            self.dismiss(self.result)
