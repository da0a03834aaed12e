"""The query bar: one line where the shared query language is typed, for tasks or clients.

Hidden until the host screen calls `open(text)`. Tab (or right at the end) completes field
names and their values: statuses, priorities, kinds, tags, agents, lists, client names... The
values are read by desk.work.suggest in a worker when the bar opens, and client names are
looked up as one is typed. Enter checks the query; a mistake is shown under the input with a
caret at the offending place and nothing is posted; a good query is posted as
`QueryBar.Submitted` and the bar closes. Escape closes it and posts `QueryBar.Cancelled`.
"""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.suggester import Suggester, SuggestionReady
from textual.widget import Widget
from textual.widgets import Input, Static

from desk.errors import QueryError
from desk.screens.actions.calls import run_service
from desk.screens.hints import key_hint
from desk.screens.safe import safe, safe_line
from desk.work import suggest

NAMES_KEPT = 200
"""Client-name look-ups remembered while the bar is open (by typed prefix)."""
HELP = "{query_bar.complete} completes · enter applies · {query_bar.cancel} cancels"
"""The hint under an empty bar (binding ids in braces: the keys bound now)."""


class QuerySuggester(Suggester):
    """Inline completion from the bar's vocabulary, already in memory: never a query."""

    def __init__(self, bar: QueryBar) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.bar = bar

    async def get_suggestion(self, value: str) -> str | None:
        """The first completion of `value`, when it continues what was typed."""
        return self.bar.completion(value).suggestion(value)


class QueryBar(Vertical):
    """A one-line query input for `scope` ("tasks" or "clients").

    Place it under the list it filters (before the KeyBar): it takes no room until opened.
    """

    DEFAULT_CSS = """
    QueryBar {
        height: auto; background: $panel; padding: 0 1;
        & > Horizontal { height: 1; }
        & .query-bar--prompt { width: 2; color: $accent; text-style: bold; }
        & Input { width: 1fr; }
        & #query-bar-hint { height: 1; color: $text-muted; text-wrap: nowrap;
                            text-overflow: ellipsis; }
        & #query-bar-error { color: $error; display: none; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "complete", "Complete", id="query_bar.complete"),
        Binding("escape", "cancel", "Cancel", id="query_bar.cancel"),
    ]

    class Submitted(Message):
        """A query that parses (and whose values are known) was entered."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Cancelled(Message):
        """The bar was closed without a query."""

    def __init__(self, scope: str, value: str = "", *, id: str | None = None,
                 classes: str | None = None) -> None:
        """A bar for task or client queries, holding `value` until `open` gets another."""
        super().__init__(id=id, classes=classes)
        self.scope = scope
        self.parse = suggest.PARSERS[scope]
        self._value = value
        self._vocabulary = suggest.fixed(scope)
        self._names: dict[str, tuple[str, ...]] = {}
        self._cycle: tuple[str, suggest.Completion, int] | None = None
        self._return_focus: Widget | None = None
        self.display = False  # until `open`

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static(Content("/"), classes="query-bar--prompt")
            yield Input(self._value, placeholder="status:open @me #tag due<fri", compact=True,
                        suggester=QuerySuggester(self), select_on_focus=False,
                        disabled=True, id="query-bar-input")  # no auto focus while hidden
        yield Static(key_hint(self, HELP), id="query-bar-hint")
        yield Static(id="query-bar-error")

    @property
    def input(self) -> Input:
        """The input the query is typed in."""
        return self.query_one("#query-bar-input", Input)

    @property
    def is_open(self) -> bool:
        """Whether the bar is shown."""
        return self.display

    def open(self, text: str | None = None) -> None:
        """Show the bar holding `text` (None: what it held), focus it, and load the
        completion values."""
        focused = self.screen.focused
        if focused is None or self not in focused.ancestors:
            self._return_focus = focused
        self._cycle = None
        self._show_error(None)
        self.display = True
        field = self.input
        field.disabled = False
        if text is not None:
            field.value = text
        field.cursor_position = len(field.value)
        field.focus()
        self._show_hint()
        run_service(self, partial(suggest.vocabulary, self.scope), done=self._loaded,
                    group="query-bar-vocabulary")

    def close(self) -> None:
        """Hide the bar and give the focus back to where it was."""
        self.display = False
        self.input.disabled = True
        self._names.clear()
        if self._return_focus is not None and self._return_focus.is_attached:
            self._return_focus.focus()
        self._return_focus = None

    def completion(self, text: str) -> suggest.Completion:
        """The ways to finish `text` with what is loaded (client names as looked up)."""
        vocabulary = self._vocabulary
        item = suggest.typing(text, self.scope)
        if item is not None and item.field == suggest.NAME_FIELDS[self.scope]:
            vocabulary = vocabulary.with_names(self._names.get(item.raw.lower(), ()))
        return suggest.complete(text, vocabulary)

    # --- keys ------------------------------------------------------------------------------

    def action_complete(self) -> None:
        """Finish the item being typed; pressed again, try the next option."""
        field = self.input
        value = field.value
        if self._cycle is not None and self._cycle[0] == value:
            _, completion, index = self._cycle
            index += 1
        else:
            completion, index = self.completion(value), 0
        if not completion.options:
            return
        finished = completion.apply(value, index)
        self._cycle = (finished, completion, index)
        field.value = finished
        field.cursor_position = len(finished)

    def action_cancel(self) -> None:
        """Close without a query."""
        self.close()
        self.post_message(self.Cancelled())

    @on(Input.Changed, "#query-bar-input")
    def _changed(self, event: Input.Changed) -> None:
        """Show what completes the new text; an old error no longer applies."""
        event.stop()
        self._show_error(None)
        self._show_hint()

    @on(Input.Submitted, "#query-bar-input")
    def _submitted(self, event: Input.Submitted) -> None:
        """Check the query: syntax here, values in a worker; then post it or show why not."""
        event.stop()
        text = event.value.strip()
        try:
            self.parse(text)
        except QueryError as error:
            self._show_error(error)
            return
        run_service(self, partial(suggest.check, self.scope, text, self.app.query_context()),
                    done=lambda _: self._accept(text), failed=self._check_failed,
                    group="query-bar-check")

    # --- results from workers --------------------------------------------------------------

    def _accept(self, text: str) -> None:
        """The query is good: post it, unless the bar was closed or edited meanwhile."""
        if self.is_open and self.input.value.strip() == text:
            self.close()
            self.post_message(self.Submitted(text))

    def _check_failed(self, error: Exception) -> bool:
        """A wrong value is shown in place; anything else becomes a notice."""
        if isinstance(error, QueryError):
            self._show_error(error)
            return True
        return False

    def _loaded(self, vocabulary: suggest.Vocabulary) -> None:
        """The completion values arrived."""
        self._vocabulary = vocabulary
        self._show_hint()

    def _names_arrived(self, prefix: str, names: list[str]) -> None:
        """Client names for `prefix` arrived: offer them if that prefix is still typed."""
        if len(self._names) > NAMES_KEPT:
            self._names.clear()
        self._names[prefix] = tuple(names)
        value = self.input.value
        item = suggest.typing(value, self.scope)
        if item is not None and item.raw.lower() == prefix:
            self._show_hint()
            if (suggestion := self.completion(value).suggestion(value)) is not None:
                self.input.post_message(SuggestionReady(value, suggestion))

    # --- drawing ---------------------------------------------------------------------------

    def _show_hint(self) -> None:
        """The options for the item being typed (the chosen one highlighted), else help."""
        value = self.input.value
        if self._cycle is not None and self._cycle[0] == value:
            completion, chosen = self._cycle[1], self._cycle[2] % len(self._cycle[1].options)
        else:
            self._cycle = None
            completion, chosen = self.completion(value), -1
            self._look_up_names(value)
        hint = self.query_one("#query-bar-hint", Static)
        if not completion.options:
            hint.update(key_hint(self, HELP))
            return
        parts = [key_hint(self, "{query_bar.complete} ▸ ")]
        for index, option in enumerate(completion.options):
            shown = safe_line(option, 40)
            parts.append(shown.stylize("reverse") if index == chosen else shown)
            parts.append(Content("  "))
        hint.update(Content.assemble(*parts))

    def _look_up_names(self, value: str) -> None:
        """Ask for client names when one is being typed and its prefix is not known yet."""
        item = suggest.typing(value, self.scope)
        if item is None or item.field != suggest.NAME_FIELDS[self.scope]:
            return
        prefix = item.raw.lower()
        if prefix in self._names:
            return
        self._names[prefix] = ()
        run_service(self, partial(suggest.client_names, prefix),
                    done=partial(self._names_arrived, prefix), group="query-bar-names")

    def _show_error(self, error: QueryError | None) -> None:
        """Show the query's mistake with a caret under it, or hide the error line."""
        line = self.query_one("#query-bar-error", Static)
        line.display = error is not None
        if error is None:
            line.update(Content(""))
            return
        line.update(safe(f"{error.message}\n{error.pointer()}"))
        self.input.cursor_position = error.position
