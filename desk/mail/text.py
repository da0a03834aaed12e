"""The readable text of an e-mail: HTML turned into plain text, quoted history cut off.

HTML is read with the standard library's `html.parser`, which only tokenises: nothing in a
message (scripts, styles, remote images, forms) is run, fetched or followed. Block elements
become line breaks, list items get a dash, links keep their address, and the contents of
script, style and head are dropped.

Quoted history is what mail clients append to a reply: lines starting with ">", an
"On <date>, <someone> wrote:" line and everything after it, and Outlook's separators
("-----Original Message-----", a line of underscores followed by "From:", or a
"From: ... Sent: ..." header block).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tr", "ul",
})
_HIDDEN = frozenset({"head", "script", "style", "template", "title", "noscript"})
_CELLS = frozenset({"td", "th"})

# "On Tue, 17 Nov 2026 at 09:12, Ada <ada@example.com> wrote:" and its translations; the
# line may be wrapped, so the pattern is tried on a line joined with the next one.
_ATTRIBUTION = re.compile(
    r"^\s*(On|Am|Le|El|Il|Op|Em)\s.{0,300}?(wrote|schrieb|a écrit|escribió|ha scritto|schreef"
    r"|escreveu)\b.{0,200}:\s*$", re.IGNORECASE)
_SEPARATORS = (
    re.compile(r"^\s*-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine)"
               r"\s*-{2,}\s*$", re.IGNORECASE),
    re.compile(r"^\s*-{2,}\s*Forwarded message\s*-{2,}\s*$", re.IGNORECASE),
)
_UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")
_HEADER_LINE = re.compile(r"^\s*\*?(From|Von|De)\s*:\*?\s", re.IGNORECASE)
_SENT_LINE = re.compile(r"^\s*\*?(Sent|Date|Gesendet|Envoyé)\s*:\*?\s", re.IGNORECASE)


class _TextExtractor(HTMLParser):
    """Collects the visible text of an HTML document as lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._parts: list[str] = []
        self._hidden = 0
        self._pre = 0
        self._href: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open an element: hidden ones hide their text, blocks break the line."""
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag == "br":
            self._parts.append("\n")
        elif tag in _BLOCKS:
            self._parts.append("\n")
            if tag == "li":
                self._parts.append("- ")
            elif tag == "pre":
                self._pre += 1
        elif tag in _CELLS:
            self._parts.append(" ")
        elif tag == "a":
            self._href.append(dict(attrs).get("href"))
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt and not self._hidden:
                self._parts.append(f"[{alt}]")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """A self-closing element (<br/>, <img/>): as if opened only."""
        if tag not in _HIDDEN:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        """Close an element: a link shows its address after its text."""
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCKS and tag != "li":  # an item ends where the next one starts
            self._parts.append("\n")
            if tag == "pre":
                self._pre = max(0, self._pre - 1)
        elif tag == "a" and self._href:
            href = self._href.pop()
            if href and href.startswith(("http:", "https:", "mailto:")) and not self._hidden:
                shown = href.removeprefix("mailto:")
                if not "".join(self._parts[-1:]).strip().endswith(shown):
                    self._parts.append(f" <{shown}>")

    def handle_data(self, data: str) -> None:
        """Text: its line breaks kept inside <pre>, else its white space collapsed."""
        if self._hidden:
            return
        self._parts.append(data if self._pre else re.sub(r"\s+", " ", data))

    def text(self) -> str:
        """The text gathered so far: lines stripped, runs of blank lines made one."""
        lines = [line.strip() for line in "".join(self._parts).splitlines()]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(html: str) -> str:
    """The readable text of an HTML document (nothing in it is run or fetched)."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return extractor.text()


def strip_quoted(text: str) -> str:
    """`text` without the quoted history a reply carries (see the module docstring).

    A message that is all quotation is returned whole: cutting it would leave nothing.
    """
    lines = text.replace("\r\n", "\n").split("\n")
    cut = _history_start(lines)
    kept = [line for line in lines[:cut] if not line.lstrip().startswith(">")]
    result = "\n".join(kept).strip()
    return result or text.strip()


def _history_start(lines: list[str]) -> int:
    """The index of the first line of quoted history, or len(lines) when there is none."""
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if _ATTRIBUTION.match(line) or _ATTRIBUTION.match(f"{line} {following}"):
            return index
        if any(pattern.match(line) for pattern in _SEPARATORS):
            return index
        if _UNDERSCORES.match(line) and _HEADER_LINE.match(following):
            return index
        if _HEADER_LINE.match(line) and _SENT_LINE.match(following):
            return index
    return len(lines)
