"""Write a longer text: a reply, an internal note, a description (Markdown).

`WriteTextScreen(title, text)` opens a text area. ctrl+j saves (it is the same key as
ctrl+enter in most terminals, and works over SSH and tmux); escape on an unchanged text
closes at once, while a changed draft asks for a second escape before it is discarded.
With `snippets` (a service call, run in a worker, giving (name, text) pairs: a reply's
canned responses), ctrl+t picks one and inserts it at the cursor. ctrl+e hands the text to
the agent's own editor and puts what it saved back in the text area
(desk.screens.actions.external_editor), unless the config turned external editors off. The
modal dismisses with the text, or None. The line under the text names the keys as they are
bound now (the config's `keymap:` may have moved them), after the caller's `lead` and before
its `note`.

With a `keeper` (desk.screens.actions.drafts), the text is kept as the agent's draft in the
database a second after each change, and every few seconds of typing without a pause (in a
worker: typing never waits); the draft kept before is shown back when the editor opens
("Restored your draft from 14:02"), and discarding the text deletes it. Saving hands the
text to the caller, which deletes the draft once the text is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from time import monotonic
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Static, TextArea

from desk.kernel.drafts import DraftRow
from desk.screens.actions.calls import describe, run_service
from desk.screens.actions.drafts import (
    KEEP_AFTER,
    KEEP_WITHIN,
    DraftKeeper,
    drop_draft,
    saved_at,
)
from desk.screens.actions.external_editor import (
    EditorProblem,
    edit_externally,
    external_allowed,
)
from desk.screens.dialogs.pick import PickScreen
from desk.screens.hints import key_text
from desk.screens.safe import safe_line
from desk.screens.widgets.safe_text_area import SafeTextArea
from desk.text import one_line

Snippets = Callable[[], Sequence[tuple[str, str]]]
"""A service call giving the texts ctrl+t offers, as (name, text)."""


class WriteTextScreen(ModalScreen[str | None]):
    """A text area; ctrl+j saves, escape (twice for a changed draft) discards."""

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("ctrl+j", "save", "Save", id="write.save", priority=True),
        Binding("ctrl+t", "snippet", "Canned response", id="write.snippet", priority=True),
        Binding("ctrl+e", "external", "Write in $VISUAL/$EDITOR", id="write.external",
                priority=True),
        Binding("escape", "cancel", "Discard", id="write.cancel"),
    ]

    def __init__(self, title: str, text: str = "", *, lead: str = "", note: str = "",
                 allow_empty: bool = False, snippets: Snippets | None = None,
                 keeper: DraftKeeper | None = None) -> None:
        """`lead` is desk's own text before the keys ("Markdown."); `note` follows them and
        may quote stored text; `keeper` keeps the text as a draft."""
        super().__init__()
        self.write_title, self.text, self.lead, self.note = title, text, lead, note
        self.allow_empty = allow_empty
        self.snippets = snippets
        self.keeper = keeper
        self.confirming = False
        self.pending: Timer | None = None
        """The timer that keeps the draft a moment after the last change."""
        self.unkept_since = 0.0
        """When (time.monotonic) the first change not kept yet was made."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-wide"):
            yield Static(safe_line(self.write_title), classes="dialog-title")
            yield SafeTextArea(self.text, id="write-text", soft_wrap=True, tab_behavior="focus")
            yield Static(safe_line(self.hint()), id="write-hint", classes="dialog-hint")

    def hint(self) -> str:
        """The line under the text: the lead, the keys, the note."""
        keys = " · ".join(part for part, shown in (
            ("{write.save} saves", True),
            ("{write.snippet} inserts a canned response", self.snippets is not None),
            ("{write.external} your editor", external_allowed(self.app)),
            ("{write.cancel} discards", True)) if shown)
        line = " ".join(part for part in (self.lead, key_text(self, keys)) if part)
        return " · ".join(part for part in (line, self.note) if part)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)  # typing goes on where the opening text ends
        if self.keeper is not None and self.keeper.restore:
            run_service(self, self.keeper.load, done=self.restore, group="draft")

    def restore(self, row: DraftRow | None) -> None:
        """Show the stored draft in place of the opening text, unless the agent has begun
        typing already (their typing is then kept as the draft), or has closed the editor."""
        if not self.is_attached:
            return
        area = self.query_one(TextArea)
        if row is None or row.text == area.text or area.text != self.text:
            return
        area.load_text(row.text)
        area.move_cursor(area.document.end)
        self.lead = " ".join(part for part in (
            f"Restored your draft from {saved_at(row, self.app.now())}.", self.lead) if part)
        self.query_one("#write-hint", Static).update(safe_line(self.hint()))

    @property
    def draft(self) -> str:
        """What is typed now."""
        return self.query_one(TextArea).text

    def on_text_area_changed(self) -> None:
        """Typing again withdraws a pending "discard?" question. The draft is kept a moment
        after the last change, and at least every few seconds while the typing goes on."""
        self.confirming = False
        if self.keeper is None:
            return
        if self.pending is None:
            self.unkept_since = monotonic()
        elif monotonic() - self.unkept_since < KEEP_WITHIN:
            self.pending.stop()
        else:  # typed without a pause for a while: the timer set before keeps it now
            return
        self.pending = self.set_timer(KEEP_AFTER, self.keep_draft)

    def keep_draft(self) -> None:
        """Keep what is typed now as the draft (in a worker of the app, so that it is kept
        even when the editor closes meanwhile)."""
        self.pending = None
        keeper, text, base, now = self.keeper, self.draft, self.text, self.app.now()
        if keeper is not None:
            run_service(self.app, lambda: keeper.keep(text, base, now), group="draft",
                        failed=self.not_kept)

    def not_kept(self, error: Exception) -> bool:
        """Say under the text why the draft could not be kept (the editor stays usable)."""
        if self.is_attached:
            self.query_one("#write-hint", Static).update(
                safe_line(f"Your draft is not kept: {describe(error)}"))
            return True
        return False

    def closing(self, result: str | None) -> None:
        """Close with `result`: what is typed and not kept yet is kept at once (a failed
        save reopens on it), and a discarded text's draft is deleted."""
        if self.pending is not None:
            self.pending.stop()
            if result is not None:
                self.keep_draft()
        if result is None and self.keeper is not None:
            drop_draft(self.app, self.keeper)
        self.dismiss(result)

    def action_save(self) -> None:
        """Close with the text (an empty one is refused unless allowed)."""
        if not self.draft.strip() and not self.allow_empty:
            self.query_one("#write-hint", Static).update(key_text(
                self, "Nothing written yet: type the text, or {write.cancel} to close."))
            return
        self.closing(self.draft)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """ctrl+t only where there are snippets to offer."""
        return self.snippets is not None if action == "snippet" else True

    def action_snippet(self) -> None:
        """Read the snippets (in a worker), then offer them."""
        if self.snippets is not None:
            run_service(self, self.snippets, done=self.offer_snippets)

    def offer_snippets(self, snippets: Sequence[tuple[str, str]]) -> None:
        """Pick one of the snippets; the chosen text goes in at the cursor."""
        if not snippets:
            self.query_one("#write-hint", Static).update(
                "No canned responses are configured (canned_responses: in the config).")
            return
        choices = [(f"{name} · {one_line(' '.join(text.split()), 60)}", text)
                   for name, text in snippets]
        hint = key_text(self, "type to filter · enter inserts · {nav.back} closes")
        self.app.push_screen(PickScreen("Insert a canned response", choices, hint=hint),
                             self.insert_snippet)

    def insert_snippet(self, text: str | None) -> None:
        """Put the chosen text in at the cursor."""
        if text:
            self.query_one(TextArea).insert(text)

    def action_external(self) -> None:
        """Edit the text in $VISUAL/$EDITOR; what it saved replaces the text here (not saved
        until the agent saves it here)."""
        try:
            text = edit_externally(self.app, self.draft)
        except EditorProblem as problem:
            self.notify(str(problem), severity="warning", markup=False)
            return
        area = self.query_one(TextArea)
        area.load_text(text)
        area.move_cursor(area.document.end)
        self.query_one("#write-hint", Static).update(key_text(
            self, "Back from your editor: {write.save} saves · {write.cancel} discards."))

    def action_cancel(self) -> None:
        """Close; a changed draft needs a second escape."""
        if self.draft != self.text and not self.confirming:
            self.confirming = True
            self.query_one("#write-hint", Static).update(key_text(
                self, "The draft has changes: {write.cancel} again discards them, "
                      "{write.save} saves."))
            return
        self.closing(None)
