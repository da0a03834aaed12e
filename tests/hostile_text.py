"""A corpus of hostile text: what anyone who can e-mail support or fill in a form can plant.

Every string here must be storable where the rule allows it, shown as its visible stand-ins,
and never run as markup or reach the terminal as an escape sequence. The tests that use it
(tests/unit/test_hostile_services.py, tests/unit/test_hostile_mail.py,
tests/e2e/test_hostile_terminal.py) report how many strings × fields they tried.

`CORPUS` maps a short name (the test id) to the string. `EFFECTS` are marker words that only
appear on screen, in the tmux title or in the clipboard if an escape sequence took effect.
"""

from __future__ import annotations

TITLE_MARK = "PWNED-TITLE"
"""What an OSC 0/2 or tmux title sequence in the corpus tries to set as the window title."""
CLIPBOARD_MARK = "PWNED-CLIP"
"""What an OSC 52 sequence in the corpus tries to put on the clipboard (base64 below)."""
_CLIP = "UFdORUQtQ0xJUA=="  # base64 of CLIPBOARD_MARK

ONE_MEGABYTE = "x" * 1_000_000
TEN_THOUSAND_LINES = "\n".join(f"line {number}" for number in range(10_000))

CORPUS: dict[str, str] = {
    # --- markup: Rich/Textual content markup, Markdown, templates, formulas ---
    "markup-close": "[/] x",
    "markup-click": "[@click=app.quit]quit[/]",
    "markup-style": "[bold red on yellow]loud[/bold red on yellow]",
    "markup-link": '[link="file:///etc/passwd"]open me[/link]',
    "markup-open": "[b]unclosed [i",
    "markup-escaped": "a\\[b] c\\",
    "markup-variables": "$accent $primary ${secondary} $$",
    "markdown": "# Heading\n**bold** _it_ `code` <script>alert(1)</script>\n> quote\n- [ ] box",
    "markdown-links": "[text](javascript:alert(1)) ![img](file:///etc/passwd) <http://evil.example>",
    "format-strings": "{x} {0} {{7*7}} %s %(x)s ${7*7}",
    "csv-formula": "=cmd|' /C calc'!A0",
    "sql": "'; DROP TABLE task; -- \" OR 1=1",
    "header-injection": "Hello\r\nBcc: eve@evil.example",
    "digit-lookalikes": "²³",
    "huge-number": "9" * 30,
    "query-syntax": "status:open @me #tag due<fri -#spam \"quoted",
    # --- escape sequences: OSC, CSI, DCS, APC, PM, SOS, C1, tmux ---
    "osc52-bel": f"\x1b]52;c;{_CLIP}\x07",
    "osc52-st": f"copy \x1b]52;p;{_CLIP}\x1b\\ done",
    "osc52-query": "\x1b]52;c;?\x07",
    "osc8-link": "\x1b]8;;http://evil.example/\x07click me\x1b]8;;\x07",
    "osc0-title": f"\x1b]0;{TITLE_MARK}\x07",
    "osc2-title": f"\x1b]2;{TITLE_MARK}\x1b\\",
    "tmux-title": f"\x1bk{TITLE_MARK}\x1b\\",
    "csi-clear": "\x1b[2J\x1b[H\x1b[3J",
    "csi-sgr": "\x1b[31;1;5mred blink\x1b[0m",
    "csi-cursor": "\x1b[10;10H\x1b[Kmoved\x1b[1A\x1b[2K",
    "csi-status-report": "\x1b[6n\x1b[5n",
    "csi-device-attributes": "\x1b[c\x1b[>c\x1b[=c",
    "csi-title-report": "\x1b[21t\x1b[20t",
    "csi-modes": "\x1b[?1049l\x1b[?25l\x1b[?1000l\x1b[?2004l",
    "dcs-decrqss": "\x1bP$q\"p\x1b\\",
    "dcs-tmux-passthrough": f"\x1bPtmux;\x1b\x1b]52;c;{_CLIP}\x07\x1b\\",
    "apc-kitty-graphics": "\x1b_Gf=100,a=T;AAAA\x1b\\",
    "pm-sos": "\x1b^private\x1b\\ \x1bXstring\x1b\\",
    "esc-reset": "\x1bc\x1b7\x1b8\x1bD\x1bM",
    "esc-alone": "\x1b",
    "esc-incomplete": "tail \x1b[",
    "paste-end-injection": "\x1b[201~\x1b[200~x\r",
    "c1-csi": "\x9b2J\x9b31m",
    "c1-osc": f"\x9d0;{TITLE_MARK}\x9c",
    "c1-dcs-apc": "\x90x\x9c \x9f y\x9c \x9e z \x98 w",
    "c0-controls": "bell\x07 back\x08\x08 vt\x0b ff\x0c so\x0e si\x0f",
    "carriage-return": "safe\rEVIL",
    "backspaces": "abc\x08\x08\x08XYZ",
    "delete": "x\x7fy",
    # --- bidi and invisible format characters ---
    "bidi-override": "\u202etxt.exe\u202c",
    "bidi-isolates": "\u2066isolate\u2069 \u2067rtl\u2069 \u2068first\u2069",
    "bidi-marks": "\u200eLRM \u200fRLM \u061cALM \u202aLRE\u202b RLE\u202c \u202dLRO",
    "trojan-source": "access = 'user\u202e \u2066// admin\u2069 \u2066'",
    "zero-width": "zero\u200bwidth\u200cnon\u2060joiner\ufeffbom",
    "soft-hyphen": "shy\u00adhyphen \u180emongolian",
    "tags": "\U000e0001\U000e0041\U000e0042\U000e007f",
    "flag-tag-sequence": "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
    "annotation": "\ufff9base\ufffaruby\ufffb",
    # --- what no database stores ---
    "nul": "nul\x00byte",
    "surrogate-high": "\ud800",
    "surrogate-low": "lone \udfff low",
    "surrogate-escape": "caf\udce9 from latin-1",
    # --- size, lines, layout ---
    "one-megabyte": ONE_MEGABYTE,
    "ten-thousand-lines": TEN_THOUSAND_LINES,
    "long-word": "W" * 5000,
    "line-separators": "a\u2028b\u2029c",
    "line-breaking-controls": "a\x1cb\x1dc\x1ed\x85e",
    "mixed-newlines": "a\r\nb\rc\nd",
    "tabs": "col1\tcol2\t\tend",
    "empty": "",
    "blank": "   \t  ",
    # --- scripts, widths, combining ---
    "wide": "日本語のタイトル 中文 한국어",
    "rtl-script": "שלום עולם مرحبا",
    "combining": "Z̷̢̛̪̩a̸͍̓l̵̰̈́g̶̱̈o̷̬͐",
    "combining-leading": "\u0301\u0301start",
    "emoji-zwj": "👩‍💻 👨‍👩‍👧‍👦 🏳️‍🌈",
    "noncharacters": "\ufffe\uffff\U0010ffff",
    "private-use": "\ue000\U000f0000\U000f001b\U0010fffd",
    "placeholder-lookalikes": "␛]52;c;x␇ ⟨U+202E⟩ ␀",
    "everything": f"[b]x[/b] \x1b]0;{TITLE_MARK}\x07 \u202eevil\u202c 日本 \u0301 \x9b2J",
}

UNSTORABLE = ("nul", "surrogate-high", "surrogate-low", "surrogate-escape")
"""The corpus strings no text field may store: a clear InvalidInput, never a crash."""

STORAGE = (*UNSTORABLE, "osc52-bel", "esc-alone", "c1-dcs-apc", "bidi-override", "tags",
           "noncharacters", "private-use", "emoji-zwj", "combining", "wide", "line-separators",
           "line-breaking-controls", "mixed-newlines", "one-megabyte", "ten-thousand-lines",
           "sql", "everything")
"""The strings whose storage could differ from one database to another (encodings, sizes,
line ends, what the driver refuses): the ones a second backend is tried with."""


def cannot_be_stored(text: str) -> bool:
    """Whether `text` holds a character no text field stores (NUL or a lone surrogate)."""
    return any(char == "\x00" or "\ud800" <= char <= "\udfff" for char in text)
