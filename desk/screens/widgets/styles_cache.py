"""Stop Textual keeping the last 1,024 widgets' drawn lines alive after the widgets are gone.

Each widget draws through a `StylesCache` of its own, which keeps the lines it last drew.
Textual 8.2 caches `StylesCache.get_inner_outer`, a method, with `functools.lru_cache(1024)`,
so the cache's keys hold the last 1,024 StylesCache objects, and with them every line they
drew, long after their widgets were removed (Textual issue 6665). In desk that is every row,
dialog and form field a session has closed, up to a thousand of them: memory that never goes
back, and that every garbage collection walks again (a sixth of the UI tests' CPU).

The pair of styles the method returns depends only on its two colours, so `cache_by_colour`
gives it a cache keyed by those alone: the same styles, the same hits, no widget held.
"""

from __future__ import annotations

from functools import lru_cache

from textual._styles_cache import StylesCache
from textual.color import Color
from textual.style import Style

_textuals_method = StylesCache.get_inner_outer


@lru_cache(1024)
def _inner_outer(base_background: Color, background: Color) -> tuple[Style, Style]:
    """Textual's inner and outer background styles for the two colours (it reads nothing
    else: its first parameter is never used)."""
    return _textuals_method.__wrapped__(None, base_background, background)


def _inner_outer_method(self: StylesCache, base_background: Color,
                        background: Color) -> tuple[Style, Style]:
    """`StylesCache.get_inner_outer`, cached by colour instead of by colour and widget."""
    return _inner_outer(base_background, background)


def cache_by_colour() -> None:
    """Make every StylesCache look its background styles up by colour alone (once; a
    Textual whose method is no longer cached per instance is left as it is)."""
    if getattr(StylesCache.get_inner_outer, "cache_info", None) is not None:
        StylesCache.get_inner_outer = _inner_outer_method
