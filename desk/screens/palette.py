"""desk's command palette providers: jump to a task or client, or run a key of this screen.

- `RecordSearch` looks what is typed up in the search index (`search.find`, every word a
  prefix, so "blue log" finds Bluefin Logistics as it is typed). The lookup runs in a worker
  thread inside a connection of its own, never on the UI thread. Choosing a hit opens the
  task or client screen.
- `ShapingCommands` offers, on the tasks screen, every way to shape the workspace ("Archive
  list or space…", "Add status…", "Add custom field…"...), run by
  desk.screens.actions.shaping.commands on the list or space under the sidebar's cursor.
- `ScreenActions` offers every enabled key of the screen the palette was opened over (its
  own bindings and its focused widgets'), showing the key, and runs the key's action. The
  app's own keys (modes, help, quit) are in the system commands already.
- `FormCommands` offers the forms that work from anywhere: "New client…", "My profile…"
  and "Agent profiles…", and the "Suggestions…" and "For me" screens.
- `SequenceCommands` (desk.screens.actions.client.sequences) offers, on a client's screen,
  "Start a sequence…" for that client; `PortalCommands` (desk.screens.actions.client.portal)
  "Portal access…": the client's portal on or off, its requests and notes shared or not;
  `ShareCommentCommands` (desk.screens.actions.task.portal_share), on a task's screen, "Share
  a comment with the portal…".

Titles come from the database, so every hit is drawn as `Content` through `safe_line`, never
parsed as markup: `Matcher.highlight` is not used because it parses its text as markup.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from desk.errors import InvalidInput
from desk.kernel import search
from desk.kernel.agents import AgentRef
from desk.kernel.connections import on_own_connection
from desk.screens.actions.calls import describe
from desk.screens.actions.client.portal import PortalCommands
from desk.screens.actions.client.sequences import SequenceCommands
from desk.screens.actions.shaping.commands import COMMANDS, Shaper
from desk.screens.actions.task.portal_share import ShareCommentCommands
from desk.screens.safe import safe_line
from desk.screens.widgets.sidebar import Sidebar
from desk.text import one_line

SEARCH_LIMIT = 20
"""Most hits shown for what is typed."""

TITLE_WIDTH = 70
"""Cells of a title shown in the palette before it is cut with an ellipsis."""

SUGGESTIONS = "desk.screens.screens.suggestions:SuggestionsScreen"
"""The Suggestions screen, opened from the palette."""

FOR_ME = "desk.screens.screens.for_me:ForMeScreen"
"""The For me screen, opened from the palette."""

UNMATCHED_SCORE = 0.2
"""The score of a hit whose title does not fuzzy-match (the index matched its body)."""


def highlighted(matcher: Matcher, text: Content) -> Content:
    """`text` with the letters that fuzzy-match the query styled, without parsing markup."""
    _, offsets = matcher.fuzzy_search.match(matcher.query, text.plain)
    for offset in offsets:
        text = text.stylize(matcher.match_style, offset, offset + 1)
    return text


def find_records(database: Any, text: str, viewer: AgentRef) -> list[search.Hit]:
    """In a worker thread: the task whose number was typed (129 or #129) first, then the
    clients and tasks whose words start with what was typed, as `viewer` may find them
    (desk.kernel.confidential)."""
    def found() -> list[search.Hit]:
        first = search.numbered(text)
        try:
            words = search.find(text, limit=SEARCH_LIMIT, prefix=True, viewer=viewer)
        except InvalidInput:  # "#" alone, or only punctuation so far
            if not first:
                raise
            words = []
        return [*first, *(hit for hit in words if hit not in first)]
    return on_own_connection(database, found)


class RecordSearch(Provider):
    """Tasks and clients by name, from the full-text index; choosing one opens it."""

    async def search(self, query: str) -> Hits:
        """Hits for `query`; nothing for text without a word. A failure is one notice."""
        app: Any = self.app
        try:
            records = await asyncio.to_thread(find_records, app.database, query, app.agent)
        except InvalidInput:  # only punctuation so far: nothing to look up yet
            return
        except Exception as error:
            app.notify(describe(error), title="desk", severity="error", markup=False)
            return
        matcher = self.matcher(query)
        for record in records:
            title = safe_line(record.title, TITLE_WIDTH)
            opener = app.open_client if record.kind == "client" else app.open_task
            label = "Client" if record.kind == "client" else f"Task #{record.id}"
            yield Hit(
                max(matcher.match(title.plain), UNMATCHED_SCORE),
                Content.assemble((f"{label}: ", "dim"), highlighted(matcher, title)),
                partial(opener, record.id),
                text=f"{label}: {one_line(record.title, TITLE_WIDTH)}",
                help=Content(f"Open the {record.kind} screen"),
            )


class ScreenActions(Provider):
    """Every enabled key of the current screen as a command that shows its key."""

    def commands(self) -> list[tuple[str, Content, Any]]:
        """(plain text, display, callback) per action, keys of one action joined."""
        app: Any = self.app
        keys: dict[tuple[int, str], list[str]] = {}
        found: dict[tuple[int, str], Any] = {}
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if binding.system or not active.enabled or active.node is app:
                continue
            action = (id(active.node), binding.action)
            keys.setdefault(action, []).append(app.get_key_display(binding.with_key(key)))
            found.setdefault(action, active)
        commands = []
        for action, active in found.items():
            binding = active.binding
            name = binding.description or binding.tooltip or binding.action
            shown = ", ".join(keys[action])
            callback = partial(app.run_action, binding.action, active.node)
            commands.append((f"{name} ({shown})",
                             Content.assemble(name, (f"  {shown}", "dim")), callback))
        return commands

    async def discover(self) -> Hits:
        """Every action, listed when the palette opens."""
        for text, display, callback in self.commands():
            yield DiscoveryHit(display, callback, text=text, help=Content("Key of this screen"))

    async def search(self, query: str) -> Hits:
        """The actions whose name fuzzy-matches `query`."""
        matcher = self.matcher(query)
        for text, display, callback in self.commands():
            if score := matcher.match(text):
                yield Hit(score, highlighted(matcher, display), callback, text=text,
                          help=Content("Key of this screen"))


class FormCommands(Provider):
    """The forms that open from any screen."""

    def commands(self) -> list[tuple[str, str, Any]]:
        """(name, help, callback) of each form."""
        from desk.screens.actions.client.form import open_new_client
        from desk.screens.actions.my_profile import open_agent_profiles, open_my_profile
        from desk.screens.actions.timesheet.log import open_log_time

        app: Any = self.app
        return [("New client…", "A client or customer with every field of the profile",
                 partial(open_new_client, app)),
                ("My profile…", "Your display name, e-mail, signature and away",
                 partial(open_my_profile, app)),
                ("Agent profiles…", "An agent's profile and teams (admins)",
                 partial(open_agent_profiles, app)),
                ("Suggestions…", "The next best action for every client: create the task, "
                 "snooze, dismiss, why", partial(app.open_screen, SUGGESTIONS)),
                ("For me", "Your mentions, assignments and news on tasks you follow, unread "
                 "first", partial(app.open_screen, FOR_ME)),
                ("Log time…", "Time spent today on the task in view, e.g. 1h30 or 45m",
                 partial(open_log_time, app))]

    async def discover(self) -> Hits:
        """Every form, listed when the palette opens."""
        for name, text, callback in self.commands():
            yield DiscoveryHit(Content(name), callback, text=name, help=Content(text))

    async def search(self, query: str) -> Hits:
        """The forms whose name fuzzy-matches `query`."""
        matcher = self.matcher(query)
        for name, text, callback in self.commands():
            if score := matcher.match(name):
                yield Hit(score, highlighted(matcher, Content(name)), callback, text=name,
                          help=Content(text))


class ShapingCommands(Provider):
    """Shaping the workspace (spaces, lists, statuses, fields), where the sidebar is."""

    def commands(self) -> list[tuple[str, str, Any]]:
        """(title, help, callback) per command; none on a screen without the sidebar."""
        sidebars = list(self.screen.query(Sidebar))
        if not sidebars:
            return []
        return [(title, text, partial(self.run, sidebars[0], method))
                for title, text, method in COMMANDS]

    @staticmethod
    def run(sidebar: Sidebar, method: str) -> None:
        """Run a Shaper method on the sidebar's current list or space."""
        getattr(Shaper(sidebar), method)()

    async def discover(self) -> Hits:
        """Every command, listed when the palette opens."""
        for title, text, callback in self.commands():
            yield DiscoveryHit(title, callback, help=text)

    async def search(self, query: str) -> Hits:
        """The commands whose title fuzzy-matches `query`."""
        matcher = self.matcher(query)
        for title, text, callback in self.commands():
            if score := matcher.match(title):
                yield Hit(score, highlighted(matcher, Content(title)), callback, text=title,
                          help=text)


PROVIDERS = (RecordSearch, ScreenActions, ShapingCommands, FormCommands, SequenceCommands,
             PortalCommands, ShareCommentCommands)
"""desk's own palette providers, beside Textual's system commands (DeskApp.COMMANDS)."""
