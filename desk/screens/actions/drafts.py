"""Drafts in the app: what an agent types into a long-text editor is kept in the database
(desk.kernel.drafts) while they type, so a dropped connection loses nothing.

- `DraftKeeper` links one editor (WriteTextScreen) to its draft: a reply or note on a task,
  a task's description, a client's notes, a checklist template's items. The editor asks it
  to `load` the draft when it opens (and shows it back), to `keep` the text a second after
  the last change, and to `drop` it when the agent discards the text; the screen that saves
  the text drops it once the save succeeded. Its calls run in workers (run_service), in any
  order: a lock and a "done" mark make sure that a keep still under way never brings back a
  draft dropped after it.
- `Keepers` holds a screen's open keepers by kind, so the screen's save path can drop the
  right draft once the text is stored.
- `tell_drafts(app)`: at start, one notice when the agent has drafts, naming how many and
  where they are; `show_drafts(app)` (the palette's "Drafts…") lists them, and choosing one
  opens its task, client or template with the editor open on the draft.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

from desk.clock import to_local
from desk.kernel import drafts
from desk.kernel.agents import AgentRef
from desk.kernel.drafts import DraftRow
from desk.screens.actions.calls import run_service
from desk.screens.dialogs.pick import PickScreen
from desk.screens.hints import key_text
from desk.screens.modes import load_screen
from desk.text import one_line

KEEP_AFTER = 1.0
"""Seconds after the last change when an editor keeps its text as a draft."""
KEEP_WITHIN = 5.0
"""Most seconds a change waits to be kept while the agent types on without a pause."""

TASK_SCREEN = "desk.screens.screens.task_screen:TaskScreen"
"""Where replies, notes and descriptions are written."""
OPENS = {"reply": (TASK_SCREEN, "comment('reply')"), "note": (TASK_SCREEN, "comment('note')"),
         "description": (TASK_SCREEN, "field('description')"),
         "client_notes": ("desk.screens.screens.client_screen:ClientScreen", "notes"),
         "template": ("desk.screens.screens.templates:TemplatesScreen", "edit")}
"""The screen each kind of draft belongs on (imported when first needed), and the action
there that opens its editor."""

_UNKNOWN = object()
"""What a keeper knows of the stored draft before it has read or written it."""


class DraftKeeper:
    """One editor's draft: the agent's text of `kind` on task or client `entity_id`.

    `restore`: the editor shows a stored draft back when it opens (False when the editor
    reopens on text the agent just typed, after a failed save). Its methods run in worker
    threads, each on the worker's own connection, one at a time.
    """

    def __init__(self, agent: AgentRef, kind: str, entity_id: int, *,
                 restore: bool = True) -> None:
        self.agent, self.kind, self.entity_id, self.restore = agent, kind, entity_id, restore
        self._lock = threading.Lock()
        self._kept: object = _UNKNOWN
        """The text stored as the draft now (None: none), as far as this keeper knows."""
        self._done = False
        """The draft was dropped: nothing is kept any more."""

    def load(self) -> DraftRow | None:
        """The stored draft, or None."""
        with self._lock:
            row = drafts.load(self.agent, self.kind, self.entity_id)
            self._kept = None if row is None else row.text
            return row

    def keep(self, text: str, base: str, now: datetime) -> None:
        """Keep `text` as the draft; text back at `base` (what the editor opened on) is no
        draft, so the stored one goes. Nothing once the draft was dropped."""
        with self._lock:
            if self._done or text == self._kept:
                return
            if text == base:
                if self._kept is not None:
                    drafts.discard(self.agent, self.kind, self.entity_id)
                self._kept = None
                return
            drafts.save(self.agent, self.kind, self.entity_id, text, now=now)
            self._kept = text

    def drop(self) -> None:
        """The text was saved or thrown away: delete the draft, and keep nothing more."""
        with self._lock:
            self._done = True
            if self._kept is not None:  # None: known to have none
                drafts.discard(self.agent, self.kind, self.entity_id)


class Keepers:
    """The keepers of the editors a screen opened, by kind (the newest of each)."""

    def __init__(self, node: Any) -> None:
        """Keepers for the editors of `node` (a screen)."""
        self.node = node
        self.open: dict[str, DraftKeeper] = {}

    def new(self, kind: str, entity_id: int, *, restore: bool = True) -> DraftKeeper:
        """A keeper for a new editor of `kind`, remembered until its text is saved."""
        keeper = DraftKeeper(self.node.app.agent, kind, entity_id, restore=restore)
        self.open[kind] = keeper
        return keeper

    def drop(self, kind: str) -> None:
        """The text of `kind` was saved (or given up for someone else's): its draft goes, in
        a worker of the app (the screen may close meanwhile)."""
        keeper = self.open.pop(kind, None)
        if keeper is not None:
            drop_draft(self.node.app, keeper)


def drop_draft(app: Any, keeper: DraftKeeper) -> None:
    """Delete `keeper`'s draft in a worker of the app."""
    run_service(app, keeper.drop, group="draft")


def saved_at(row: DraftRow, now: datetime) -> str:
    """When a draft was last kept, as people read it: "14:02" today, else with the date."""
    moment = to_local(row.updated_at, now.tzinfo)
    return moment.strftime("%H:%M" if moment.date() == now.date() else "%Y-%m-%d %H:%M")


def draft_words(row: DraftRow) -> str:
    """What a draft is, in words: "reply on #12 Printer jams"."""
    return f"{drafts.KIND_WORDS[row.kind]} on {row.where}"


def tell_drafts(app: Any) -> None:
    """At start: when the agent has drafts, say so once, and where to find them."""
    if app.agent.can_write:
        agent = app.agent
        run_service(app, lambda: drafts.listing(agent), group="draft",
                    done=lambda rows: rows and _tell(app, rows))


def _tell(app: Any, rows: list[DraftRow]) -> None:
    """The notice about the drafts found at start."""
    count = f"{len(rows)} unsaved draft{'s' if len(rows) != 1 else ''}"
    newest = one_line(draft_words(rows[0]), 60)
    more = f" and {len(rows) - 1} more" if len(rows) > 1 else ""
    palette = key_text(app, "{app.palette}")
    app.notify(f"You have {count} ({newest}{more}): {palette} then Drafts… lists them.",
               title="desk", markup=False, timeout=15)


def show_drafts(app: Any) -> None:
    """The palette's "Drafts…": the agent's drafts; choosing one opens its editor."""
    agent, now = app.agent, app.now()
    run_service(app, lambda: drafts.listing(agent), group="draft",
                done=lambda rows: _pick(app, rows, now))


def _pick(app: Any, rows: list[DraftRow], now: datetime) -> None:
    """Offer the drafts, newest first; nothing to offer is said in a notice."""
    if not rows:
        app.notify("You have no unsaved drafts.", title="desk", markup=False)
        return
    choices = [(f"{saved_at(row, now)} · {one_line(draft_words(row), 32)} · "
                f"{' '.join(row.text.split())}", row) for row in rows]
    hint = key_text(app, "enter opens the draft in its editor · {nav.back} closes")
    app.push_screen(PickScreen("Your unsaved drafts", choices, hint=hint),
                    lambda row: row is not None and open_draft(app, row))


def open_draft(app: Any, row: DraftRow) -> None:
    """Open the draft's task, client or template, with its editor open on the draft."""
    screen, action = OPENS[row.kind]
    app.push_screen(load_screen(screen)(row.entity_id, then=action))
