"""Terminal input where a paste is only ever text: one Paste event, never keys.

Textual's XTermParser (8.2) leaves bracketed-paste mode at the first ESC inside a paste: it
reads the rest as an escape sequence and reissues the bytes as key presses, so a pasted
``x…␛[31m…xjxm`` ran commands (marked rows, opened the merge dialog; in a note it discarded
the draft). `PasteParser` reads everything between the paste markers itself and hands it on
as one `events.Paste` with the exact text, ESC and NUL included: text widgets insert it
(shown visibly, desk.screens.widgets.safe_input), everything else ignores it.

`PasteDriver` is Textual's Linux driver with that parser, and with terminal bytes that are
not UTF-8 decoded as U+FFFD instead of stopping the app (the stock driver's decoder is
strict); what it writes goes out with its styles minimised (desk.screens.styles_out).
`DeskApp.get_driver_class` installs it wherever Textual would use the Linux driver.

XTermParser and the parser protocol (Read1, ParseEOF...) live in private Textual modules;
this module is the only place that imports them.
"""

from __future__ import annotations

import os
import selectors
from codecs import getincrementaldecoder
from collections.abc import Generator
from contextlib import suppress

from textual import events
from textual._parser import ParseEOF, ParseError, ParseTimeout, Peek1, Read1, TokenCallback
from textual._xterm_parser import BRACKETED_PASTE_END, BRACKETED_PASTE_START, XTermParser
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

from desk.screens.styles_out import minimise_styles


class PasteParser(XTermParser):
    """XTermParser whose bracketed pastes arrive whole, as one Paste event.

    Everything outside a paste is left to XTermParser. Once it has read the start marker
    (ESC [200~), this parser reads the paste up to the end marker (ESC [201~) itself, emits
    `events.Paste(text)`, and then gives XTermParser the end marker so that it leaves its
    own paste mode (the empty Paste it then emits is dropped).
    """

    def parse(self, token_callback: TokenCallback) -> Generator[Read1 | Peek1, str, None]:
        """Parse keys, mouse and the rest with XTermParser, and pastes here."""
        own_paste_end = False

        def forward(token: Message) -> None:
            """Pass XTermParser's tokens on, but for the empty paste it reports after the
            end marker this parser gave it."""
            nonlocal own_paste_end
            if own_paste_end and isinstance(token, events.Paste):
                own_paste_end = False
                return
            token_callback(token)

        inner = super().parse(forward)
        request = next(inner)
        recent = ""  # the last characters XTermParser read, to see the start marker
        while True:
            try:
                character = yield request
            except ParseTimeout as timeout:
                recent = ""
                request = inner.throw(timeout)
                continue
            except ParseEOF as end:
                self._close(inner, end)
                return
            reading = isinstance(request, Read1)
            request = inner.send(character)
            if not reading:
                continue
            recent = (recent + character)[-len(BRACKETED_PASTE_START):]
            if recent != BRACKETED_PASTE_START:
                continue
            recent = ""
            try:
                text = yield from self._paste()
            except ParseEOF as end:
                self._close(inner, end)
                return
            token_callback(events.Paste(text))
            own_paste_end = True
            for marker_character in BRACKETED_PASTE_END:
                request = inner.send(marker_character)

    def _paste(self) -> Generator[Read1, str, str]:
        """Read up to the end marker; returns the text between the markers, exactly."""
        read: list[str] = []
        marker = BRACKETED_PASTE_END
        last = marker[-1]
        while True:
            character = yield self.read1()
            read.append(character)
            if character == last and "".join(read[-len(marker):]) == marker:
                return "".join(read[:-len(marker)])

    @staticmethod
    def _close(inner: Generator, end: ParseEOF) -> None:
        """Tell XTermParser that the input has ended (it may report a last key)."""
        with suppress(StopIteration):
            inner.throw(end)


class PasteDriver(LinuxDriver):
    """Textual's Linux driver reading input with `PasteParser`.

    `run_input_thread` is LinuxDriver.run_input_thread of Textual 8.2 with two changes: the
    parser is a PasteParser, and bytes that are not UTF-8 become U+FFFD. Textual creates
    its parser inside that method, so there is no smaller place to change it;
    tests/ui/test_paste.py fails when Textual's version of the method changes, so that this
    copy is looked at again.
    """

    def run_input_thread(self) -> None:
        """Wait for input and dispatch events."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        fileno = self.fileno
        parser = PasteParser(self._debug)
        decode = getincrementaldecoder("utf-8")(errors="replace").decode

        def process_selector_events(selector_events: list[tuple[selectors.SelectorKey, int]],
                                    final: bool = False) -> None:
            """Decode what arrived, parse it, and dispatch the events."""
            for index, (_key, mask) in enumerate(selector_events, start=1):
                if mask & selectors.EVENT_READ:
                    last = index == len(selector_events)
                    unicode_data = decode(os.read(fileno, 1024 * 4), final=final and last)
                    if not unicode_data:
                        break  # stdin is a pipe that has ended
                    for event in parser.feed(unicode_data):
                        self.process_message(event)
            for event in parser.tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process_selector_events(selector.select(0.1))
            selector.unregister(self.fileno)
            process_selector_events(selector.select(0.1), final=True)
        finally:
            selector.close()
            with suppress(EOFError, ParseError):
                for _event in parser.feed(""):
                    pass

    def write(self, data: str) -> None:
        """Write `data` to the terminal, each change of style sent as what changed."""
        super().write(minimise_styles(data))
