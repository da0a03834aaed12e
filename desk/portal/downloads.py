"""The Content-Type a downloaded file is served with: the type it was stored with when that
is a well-formed type a browser will not run or render as a page of the portal's origin,
else application/octet-stream. Every download also goes out as an attachment, with the
portal's nosniff header, so a file is saved, never opened in the portal's pages."""

from __future__ import annotations

import re

DEFAULT_TYPE = "application/octet-stream"
_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}")
ACTIVE = ("html", "xml", "javascript", "ecmascript", "svg", "xsl", "multipart")
"""Words of the types a browser may run or render as a document: never served as such."""


def served_type(stored: str) -> str:
    """The type to serve a file stored with type `stored` as (parameters dropped)."""
    kind = stored.split(";", 1)[0].strip().lower()
    if not _TYPE.fullmatch(kind) or any(word in kind for word in ACTIVE):
        return DEFAULT_TYPE
    return kind
